"""The outcome preview streams its estimates and stops once the options are told apart (issue 17).

The futures here come from a fake, slow runner put in place of the model's (the preview's
jobs name `run_future` and `run_exact` by module attribute): what is tested is the preview's
own logic, the order of its futures, its estimates and its stopping rule, in a second.
"""

from __future__ import annotations

import math
import time

import pytest
from pilot_helpers import console_test, jump_to, press, settle
from textual.widgets import Label, ProgressBar

from ttxsim.tui import preview
from ttxsim.tui.preview import MIN_FUTURES, PreviewEstimate, preview_options, told_apart
from ttxsim.tui.screens.preview import PreviewScreen

EFFECT = {"open_all": 100.0, "open_stalls": 140.0, "none": 300.0}
"""People harmed, before the future's own noise, by the option of CH-17 (a made-up model)."""


def fake_runner(monkeypatch, session, *, shared_noise: float = 50.0, own_noise: float = 0.0,
                effect: dict[str, float] = EFFECT, delay_s: float = 0.0) -> list[tuple]:
    """Replace the model with `effect` plus noise; returns the list of futures run."""
    inject = session.inject("CH-17").inject
    history = tuple((a.t, a.action) for a in session.applied)
    tails = {repr(tuple((session.now, a) for a in o.actions)): o.id for o in inject.decision.options}
    ran: list[tuple] = []

    def run_future(text, name, protocol, seed, decisions, replication):
        option = tails[repr(decisions[len(history):])]
        ran.append((option, replication))
        time.sleep(delay_s)
        harmed = (effect[option] + shared_noise * math.sin(replication + 1)
                  + own_noise * math.cos(7 * replication + len(option)))
        return harmed, 600.0 + replication, 50.0

    def run_exact(text, name, protocol, seed, commands, inject_id, option_id):
        time.sleep(delay_s)
        return effect[option_id], 600.0, 50.0

    monkeypatch.setattr(preview, "run_future", run_future)
    monkeypatch.setattr(preview, "run_exact", run_exact)
    return ran


@pytest.fixture
def at_ch17(console_session):
    console_session.run_to(119, stop_at_injects=False)
    console_session.next_inject()
    assert console_session.inject("CH-17").awaiting_decision
    return console_session


def test_estimates_stream_in_replication_order_and_stop_once_told_apart(monkeypatch, at_ch17):
    ran = fake_runner(monkeypatch, at_ch17)
    estimates: list[PreviewEstimate] = []
    outcomes = preview_options(at_ch17, "CH-17", runs=100, workers=1, estimate=estimates.append)
    # every option's future i runs before any option's i + 1: the first estimate has them all
    assert [r for _, r in ran[:3]] == [0, 0, 0] and {o for o, _ in ran[:3]} == set(EFFECT)
    first = estimates[0]
    assert first.futures == 1 and len(first.outcomes) == 3 and not first.done
    assert [e.futures for e in estimates if not e.done] == sorted(e.futures for e in estimates if not e.done)
    last = estimates[-1]
    # constant differences under shared noise: told apart at the first look allowed
    assert last.done and last.futures == MIN_FUTURES and "stopped after 10 futures" in last.stopped_early
    assert "3 pairs differ" in last.stopped_early
    assert all(o.runs == MIN_FUTURES for o in outcomes)
    assert len(ran) == 3 * MIN_FUTURES  # no future beyond the stop (one worker: none in flight)
    by_id = {o.option_id: o for o in outcomes}
    assert by_id["none"].harmed_mean - by_id["open_all"].harmed_mean == pytest.approx(200.0)
    assert by_id["open_stalls"].exact_harmed == 140.0


def test_intervals_narrow_as_futures_come_in(monkeypatch, at_ch17):
    fake_runner(monkeypatch, at_ch17)
    estimates: list[PreviewEstimate] = []
    preview_options(at_ch17, "CH-17", runs=30, workers=1, estimate=estimates.append, stop_early=False)
    widths = [e.outcomes[0].harmed_hi - e.outcomes[0].harmed_lo for e in estimates
              if e.futures in (3, 10, 30) and e.outcomes[0].harmed_hi is not None]
    assert len(widths) >= 3 and widths[0] > widths[1] > widths[-1]
    assert estimates[-1].done and estimates[-1].futures == 30 and estimates[-1].stopped_early is None


def test_options_that_noise_hides_run_to_the_end(monkeypatch, at_ch17):
    # independent noise far larger than the differences: no pair is told apart in 15 futures
    ran = fake_runner(monkeypatch, at_ch17, shared_noise=0.0, own_noise=80.0,
                      effect={"open_all": 100.0, "open_stalls": 110.0, "none": 120.0})
    estimates: list[PreviewEstimate] = []
    outcomes = preview_options(at_ch17, "CH-17", runs=15, workers=1, estimate=estimates.append)
    assert estimates[-1].stopped_early is None and all(o.runs == 15 for o in outcomes)
    assert len(ran) == 45


def test_told_apart_reads_paired_intervals():
    apart = {"a": [100.0 + i for i in range(12)], "b": [150.0 + i for i in range(12)]}
    assert "1 pair differs" in told_apart(apart)
    same = {"a": [100.0 + 5 * (i % 3) for i in range(12)], "b": [100.3 + 5 * (i % 3) for i in range(12)]}
    assert "1 pair about the same" in told_apart(same)
    noisy = {"a": [100.0 + 40 * (i % 2) for i in range(12)],
             "b": [110.0 + 40 * (i % 3 == 0) for i in range(12)]}
    assert told_apart(noisy) is None
    assert told_apart({k: v[: MIN_FUTURES - 1] for k, v in apart.items()}) is None


@console_test
async def test_the_preview_screen_shows_estimates_as_they_come_and_says_why_it_stopped(make_console,
                                                                                       monkeypatch):
    app = make_console(preview_runs=100)
    shown: list[tuple[int, bool]] = []
    original = PreviewScreen._show

    def spy(self, outcomes, estimate=None):
        shown.append((estimate.futures, estimate.done))
        original(self, outcomes, estimate)

    monkeypatch.setattr(PreviewScreen, "_show", spy)
    async with app.run_test(size=(160, 48)) as pilot:
        await jump_to(pilot, 119)
        await press(pilot, "n")
        fake_runner(monkeypatch, app.session, delay_s=0.01)
        await press(pilot, "p")
        assert isinstance(app.screen, PreviewScreen)
        for _ in range(100):
            await settle(pilot)
            if shown and shown[-1][1]:
                break
        note = str(app.screen.query_one("#preview-note", Label).content)
        assert "stopped after 10 futures" in note and "3 pairs differ" in note
        assert shown[0] == (1, False) and shown[-1] == (10, True)
        assert len(shown) > 2  # the table was updated while futures came in, not once at the end
        table = app.screen.query_one("#preview-table")
        expected = 300 + 50 * sum(math.sin(i + 1) for i in range(10)) / 10
        assert str(table.get_row_at(2)[2]).startswith(f"{expected:,.0f}  [")
        # Every column is as wide as what it shows (no interval cut short), and the bar is full
        # once the preview has stopped, not left at the share of the 100 futures it planned.
        for column in table.ordered_columns:
            cells = [table.get_cell(row_key, column.key) for row_key in table.rows]
            assert column.get_render_width(table) >= max(len(str(c)) for c in cells)
        bar = app.screen.query_one("#preview-progress", ProgressBar)
        assert bar.percentage == 1.0


def test_a_count_interval_never_goes_below_zero_and_rset_is_a_median(monkeypatch, at_ch17):
    # few harmed, most futures none: a t interval alone would reach below 0
    fake_runner(monkeypatch, at_ch17, shared_noise=0.0, effect=dict.fromkeys(EFFECT, 0.0))
    values = iter([0.0, 0.0, 2.0, 0.0, 1.0, 0.0] * 10)
    real = preview.run_future
    monkeypatch.setattr(preview, "run_future", lambda *a: (next(values), *real(*a)[1:]))
    outcomes = preview_options(at_ch17, "CH-17", runs=6, workers=1, stop_early=False)
    assert all(o.harmed_lo is not None and o.harmed_lo >= 0.0 for o in outcomes)
    assert outcomes[0].rset_median == 602.0  # futures 0–5 end at 600 + i: the median, not the mean 602.5
