"""The session's AAR/IP on the reference scenario: a short session, written as Markdown and HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ttxsim.analysis.stats import Tally
from ttxsim.sim import Simulation
from ttxsim.tui.aar import write_aar
from ttxsim.tui.session import ExerciseSession

SCENARIO = Path(__file__).parents[2] / "scenarios" / "concert_hall.yaml"
INTEL = "Intelligence and Information Sharing"
FUTURES = 2
"""Futures of the players' decisions and the baseline in these reports: few, to stay fast."""
NOTE = "Desk asked <b>who</b> decides | nobody knew"
SECTIONS = ("## 1. Exercise overview", "## 2. Analysis of capabilities", "## 3. Timeline",
            "## 4. Expected and actual player actions", "## 5. Outcomes against the baseline", "## 6. Notes",
            "## Appendix A: Improvement plan", "## Appendix B: Reproducing this report")


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    """T−16d to T−14d: CH-02 decided by the players, CH-04 left to its default, evaluated and noted."""
    folder = tmp_path_factory.mktemp("aar")
    played = ExerciseSession.start(SCENARIO, seed=1, journal_path=folder / "session.jsonl")
    played.next_inject()  # CH-01
    played.next_inject()  # CH-02
    played.choose("CH-02", "forward")
    played.next_inject()  # CH-03 (due with CH-02, read in turn)
    played.next_inject()  # CH-04
    played.run_to(played.inject("CH-04").deadline_abs_s)  # CH-04's default applies
    played.note(NOTE, "CH-02")
    played.rate("OBJ-1", INTEL, "S")
    played.observe(INTEL, "strength", "The duty desk logged the warning within the hour.",
                   "The SOP is known.")
    played.observe("Operational Coordination", "improvement", "Nobody owned the posture decision.",
                   "No written authority to raise it.", "Name the decision maker in the plan.", "OBJ-2")
    played.add_corrective_action(INTEL, "Credibility not stated with the warning",
                                 "Template for warning assessments", "Planning", "National security service",
                                 "Duty chief", "2025-01", "2025-06")
    played.end()
    yield played
    played.close()


@pytest.fixture(scope="module")
def reports(session, tmp_path_factory):
    folder = tmp_path_factory.mktemp("out")
    md = write_aar(session, folder / "aar.md", futures=FUTURES, workers=1)
    page = write_aar(session, folder / "aar.html", futures=FUTURES, workers=1)  # the same futures, reused
    return md, md.read_text(encoding="utf-8"), page.read_text(encoding="utf-8")


def test_sections_come_in_hseep_order(reports):
    _, md, page = reports
    assert md.startswith("# After-Action Report / Improvement Plan: Crocus City Hall tabletop exercise")
    positions = [md.index(heading) for heading in SECTIONS]
    assert positions == sorted(positions)
    assert all(f"<h2>{heading.removeprefix('## ')}</h2>" in page for heading in SECTIONS)


def test_overview_names_the_exercise_and_the_run(reports, session):
    _, md, _ = reports
    assert "| Exercise type | Tabletop exercise" in md
    assert "| Mission areas | Prevention, Protection, Response |" in md
    assert "- **OBJ-3**: Raise the alarm" in md and "- Fire and rescue service" in md
    assert "| Seed | 1 |" in md and session.scenario_sha256 in md
    assert f"| Exercise dates | {session.started_wall:%Y-%m-%d %H:%M}" in md


def test_chosen_option_stands_beside_the_expected_action(reports, session):
    _, md, _ = reports
    expected = session.inject("CH-02").inject.expected_actions[0]
    assert re.search(rf"\| {re.escape(expected)} \| Players chose “Pass it to the regional police”", md)
    assert "No decision by the deadline; default applied: “No change”" in md  # CH-04
    assert "Note at T−13d" in md  # the note, under the inject it was written on


def test_timeline_lists_injects_decisions_and_notes_in_time_order(reports):
    _, md, _ = reports
    timeline = md[md.index("## 3. Timeline"):md.index("## 4.")]
    rows = [line for line in timeline.splitlines() if line.startswith("| T")]
    assert any("| Inject | **CH-01**" in row for row in rows)
    assert any("| Decision | **CH-02**: Players chose" in row for row in rows)
    assert any("| Note | [CH-02] Desk asked" in row for row in rows)
    days = [int(re.match(r"\| T−(\d+)d", row)[1]) for row in rows if re.match(r"\| T−\d+d", row)]
    assert days == sorted(days, reverse=True) and days[0] == 16


def test_ratings_observations_and_improvement_plan(reports):
    _, md, _ = reports
    assert f"| {INTEL} | S — Performed with some challenges |" in md
    assert "| Public Information and Warning | not rated |" in md
    assert ("- **Strength 1**: The duty desk logged the warning within the hour. "
            "*Analysis:* The SOP is known.") in md
    assert "*Recommendation:* Name the decision maker in the plan." in md
    assert (f"| {INTEL} | Credibility not stated with the warning | Template for warning assessments "
            "| Planning | National security service | Duty chief | 2025-01 | 2025-06 |") in md
    assert "| Operational Coordination | Nobody owned the posture decision. | (to be agreed) |" in md


def test_outcomes_set_the_session_beside_the_baseline(reports, session):
    md_path, md, _ = reports
    ours = session.final_result()
    base = Simulation(session.base_scenario, protocol="baseline", seed=1).run()
    assert ("| Metric | This session (baseline, players' decisions) | Baseline protocol, no decisions "
            "| Difference (session − baseline) |") in md
    assert f"| Harmed, all causes | {ours.harmed_total} | {base.harmed_total} |" in md
    assert f"| Occupants | {base.occupants} | {base.occupants} | 0 |" in md
    assert "| Threat contained | — | — | — |" in md
    links = re.findall(r"!\[[^]]*\]\(([^)]+)\)", md)
    assert links == ["aar_figures/plan.png", "aar_figures/evacuation_curves.png"]
    assert all((md_path.parent / link).stat().st_size > 1000 for link in links)


def test_html_is_self_contained_and_escapes_what_players_wrote(reports):
    _, md, page = reports
    assert page.count('<img src="data:image/png;base64,') == 2  # the venue's plan, the evacuation curves
    assert not re.search(r"https?://", page) and "<script" not in page and "<link" not in page
    assert "Desk asked &lt;b&gt;who&lt;/b&gt; decides | nobody knew" in page
    assert "Desk asked \\<b>who\\</b> decides \\| nobody knew" in md  # in a table cell


def test_reproduce_appendix_gives_the_commands(reports, session):
    _, md, _ = reports
    assert f"ttxsim report --journal {session.journal_path} --out aar.md" in md
    assert "ttxsim run" in md and "--protocol baseline --seed 1" in md


def test_a_replayed_journal_gives_the_same_report(session, reports, tmp_path):
    _, md, _ = reports
    replayed = ExerciseSession.replay(session.journal_path)
    again = write_aar(replayed, tmp_path / "aar.md", futures=FUTURES, workers=1)
    assert again.read_text(encoding="utf-8") == md


@pytest.mark.parametrize("name", ["aar.pdf", "aar.txt", "aar"])
def test_other_suffixes_fail_cleanly(session, tmp_path, name):
    with pytest.raises(ValueError, match=r"name the file \*\.html or \*\.md"):
        write_aar(session, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_rewriting_replaces_the_file_whole(session, tmp_path):
    out = tmp_path / "aar.html"
    out.write_text("an older report", encoding="utf-8")
    write_aar(session, out, futures=FUTURES, workers=1)  # the module's futures, reused
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["aar.html"]  # no temporary file left behind


def test_a_scenario_without_an_exercise_section_still_gets_a_report(make_scenario, tmp_path):
    bare = ExerciseSession(make_scenario(), scenario_path="small.yaml", seed=2)
    bare.run_to(30)
    text = write_aar(bare, tmp_path / "aar.md", futures=0).read_text(encoding="utf-8")
    assert text.startswith("# After-Action Report / Improvement Plan: Small room")
    assert "nothing to rate" in text and "No inject was delivered in this session." in text
    assert "in progress (report written" in text and "none (the session was not journaled)" in text
    assert "| Harmed, all causes | 0 | 0 | 0 |" in text


# -- the executive summary and the outcomes over many futures --------------------------------

def test_the_executive_summary_opens_the_report(reports):
    _, md, _ = reports
    assert md.index("## Executive summary") < md.index("## 1. Exercise overview")
    summary = md[md.index("## Executive summary"):md.index("## 1. Exercise overview")]
    assert "Intelligence and Information Sharing: S (" in summary and "not rated" in summary
    assert "The duty desk logged the warning within the hour." in summary  # the strength
    assert "Nobody owned the posture decision." in summary  # the area for improvement
    assert f"over {FUTURES} paired futures" in summary and "- People harmed, all causes: " in summary


def test_outcomes_over_futures_pair_the_decisions_with_the_baseline(reports, session):
    from ttxsim.tui.aar_futures import run_futures
    from ttxsim.tui.aar_outcomes import describe_difference

    _, md, _ = reports
    futures = run_futures(session, FUTURES, workers=1)  # the report's own, cached
    assert md.index(f"### Over {FUTURES} futures") < md.index("### This session's run: one draw")
    assert futures.session_run.harmed_total == session.final_result().harmed_total  # future 0
    harmed = futures.row("harmed_total")
    assert harmed.pairs == FUTURES
    assert harmed.diff == pytest.approx(harmed.players[0] - harmed.baseline[0])  # every pair present
    assert harmed.sure == (harmed.low > 0 or harmed.high < 0)
    assert harmed.tally is not None and harmed.tally.n == FUTURES  # better, same and worse apart
    assert harmed.low >= -harmed.baseline[0] and min(harmed.players[1], harmed.baseline[1]) >= 0  # counts
    assert describe_difference(harmed, FUTURES) in md
    t95 = futures.row("t95_s")  # a time: medians, with the futures that never reach it counted
    assert t95.is_time and t95.reached is not None and t95.pairs == FUTURES
    if t95.reached[1] < FUTURES:
        assert f"not reached in {FUTURES - t95.reached[1]} of {FUTURES}" in md
    assert f"one draw among the {FUTURES} futures above" in md


def test_the_words_say_whether_the_interval_excludes_zero():
    from ttxsim.tui.aar_futures import MetricComparison
    from ttxsim.tui.aar_outcomes import describe_difference

    sure = MetricComparison("harmed_total", (20, 15, 25, 9), (50, 40, 60, 9), -30, -38, -22, 9,
                            Tally(9, 0, 0))
    unsure = MetricComparison("t_alarm_s", (60, 40, 80, 9), (75, 50, 100, 9), -15, -40, 10, 9, Tally(5, 1, 3),
                              reached=(9, 9))
    assert describe_difference(sure, 9) == (
        "People harmed, all causes: 30 fewer with the players' decisions (95 % interval −38 to −22); "
        "the interval excludes 0: the decisions made this difference, not chance.")
    assert describe_difference(unsure, 9) == (
        "Venue alarm: 15 s earlier with the players' decisions (95 % interval −40 s to +10 s); the interval "
        "includes 0: over 9 futures this could be chance.")
