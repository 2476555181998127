"""Console fixtures: a journaled session on the reference scenario, the app built as the CLI builds it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ttxsim.tui.app import ExerciseApp, make_app
from ttxsim.tui.session import ExerciseSession

REFERENCE = Path(__file__).resolve().parents[2] / "scenarios" / "concert_hall.yaml"
"""The reference scenario (Crocus City Hall), played with seed 1 throughout."""


@pytest.fixture
def console_session(tmp_path: Path):
    """A fresh session on the reference scenario, journaled in the test's own folder."""
    opened = ExerciseSession.start(REFERENCE, seed=1, journal_path=tmp_path / "journal.jsonl")
    yield opened
    opened.close()


@pytest.fixture
def make_console(console_session) -> Callable[..., ExerciseApp]:
    """The console over `console_session`: no real time of day in the header, a tiny in-process preview."""

    def make(**options) -> ExerciseApp:
        return make_app(
            console_session, **{"real_clock": None, "preview_runs": 2, "preview_workers": 1, **options}
        )

    return make
