"""The console's main screen as it looks, at the smallest and a large terminal (pytest-textual-snapshot).

Both show the reference scenario four minutes into the incident (seed 1): the threat in the
lower foyer, people crowding the exits, the first decisions taken. The header's real time of
day is hidden (`real_clock=None`) and notifications are cleared, so the pictures only change
when the layout does. Regenerate with `pytest tests/tui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import pytest
from pilot_helpers import jump_to, press, settle


async def _four_minutes_in(pilot) -> None:
    await settle(pilot)
    await jump_to(pilot, 119)
    await press(pilot, "n", "1", "y", "n")  # CH-17: open every exit, confirmed; then CH-18 at T+00:04:00
    pilot.app.clear_notifications()
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_main_screen(snap_compare, make_console, size):
    assert snap_compare(make_console(), terminal_size=size, run_before=_four_minutes_in)


def test_main_screen_small_with_the_venue_tab(snap_compare, make_console):
    async def venue(pilot) -> None:
        await _four_minutes_in(pilot)
        await press(pilot, "v", "v")

    assert snap_compare(make_console(), terminal_size=(80, 24), run_before=venue)
