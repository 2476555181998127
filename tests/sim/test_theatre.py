"""The fictional theatre scenario uses every section of the format, and every protocol runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from ttxsim.sim import Simulation, load_scenario, parse_action

ROOT = Path(__file__).resolve().parents[2]
THEATRE = ROOT / "scenarios" / "theatre.yaml"


@pytest.fixture(scope="module")
def theatre():
    return load_scenario(THEATRE)


def _conserved(result) -> bool:
    return result.evacuated + result.remaining + result.sheltered + result.harmed_total == result.occupants


def test_loads(theatre):
    assert theatre.meta.name
    assert theatre.meta.start_time is not None
    assert theatre.meta.sources
    assert sum(g.count for g in theatre.population.occupants) > 1_500


def test_every_section_is_present(theatre):
    incident = theatre.incident
    assert incident.threat is not None and incident.threat.route and incident.threat.wander is not None
    assert incident.fire is not None
    assert incident.fire.untenable_after_s is None  # the computed (NFPA 92 filling) path
    assert theatre.intel is not None and theatre.intel.agencies and theatre.intel.channels
    assert theatre.intel.warnings
    assert theatre.posture_levels
    assert theatre.injects
    assert theatre.uncertain
    assert theatre.protocols
    assert theatre.response.police is not None and theatre.response.fire_service is not None
    assert theatre.response.announcement is not None


def test_injects_use_times_triggers_and_decisions(theatre):
    injects = theatre.injects
    assert 10 <= len(injects) <= 15
    assert any(i.at is not None for i in injects)
    assert sum(i.on is not None for i in injects) >= 2
    assert sum(i.decision is not None for i in injects) >= 3
    times = [i.at for i in injects if i.at is not None]
    assert min(times) == -10 * 86400 and max(times) == 30 * 60


def test_venue_uses_every_kind_and_state(theatre):
    venue = theatre.venue
    zones = {z.id: z for z in venue.zones}
    assert {0, 1} <= {z.floor for z in venue.zones}
    assert any(z.kind == "stair" for z in venue.zones)
    assert any(z.lockable for z in venue.zones)
    assert any(z.rects for z in venue.zones)
    openings = venue.openings
    assert {o.kind for o in openings} == {"door", "opening", "turnstile", "stair"}
    assert {o.state for o in openings} == {"open", "closed", "locked"}
    assert any(o.state == "closed" and o.staff_open_after_s is not None for o in openings)
    assert any(not o.signed_exit for o in openings)
    assert any(o.capacity_p_s is not None for o in openings)
    assert all(g.entrance is not None for g in theatre.population.occupants)
    assert theatre.intel.warnings[0].issued == -10 * 86400
    assert {a.role for a in theatre.intel.agencies} == {
        "foreign_partner", "national_service", "police", "venue_security", "other"}
    levels = {p.level: p for p in theatre.posture_levels}
    assert levels[3].cancels_event and levels[2].attendance_share < 1.0
    assert zones["circle"].floor == 1


def test_protocols_are_the_expected_ones(theatre):
    assert theatre.protocol_names == ["baseline", "staged", "shelter", "warning_heeded", "exits_unlocked"]
    assert theatre.with_protocol("staged").response.strategy == "staged"
    assert theatre.with_protocol("shelter").response.strategy == "shelter"


@pytest.mark.parametrize("protocol", ["baseline", "staged", "shelter", "warning_heeded", "exits_unlocked"])
def test_every_protocol_runs_to_the_end(theatre, protocol):
    sim = Simulation(theatre, protocol=protocol, seed=1)
    result = sim.run()
    assert sim.finished
    assert result.end_s < theatre.meta.horizon_s  # ended because everybody was accounted for
    assert result.remaining == 0
    assert result.occupants > 0
    assert _conserved(result)
    assert result.rset_s is not None


def test_warning_heeded_raises_the_posture(theatre):
    for seed in range(5):
        result = Simulation(theatre, protocol="warning_heeded", seed=seed).run()
        assert result.posture >= 1, seed
        assert result.warning_reached_venue, seed
        assert _conserved(result)


def test_every_decision_option_parses_as_actions(theatre):
    for inject in theatre.injects:
        if inject.decision is None:
            continue
        for option in inject.decision.options:
            for raw in option.actions:
                parse_action(raw)


@pytest.mark.parametrize("inject_id", ["INJ-02", "INJ-03", "INJ-04", "INJ-05", "INJ-08"])
def test_timed_decision_options_apply(theatre, inject_id):
    inject = next(i for i in theatre.injects if i.id == inject_id)
    for option in inject.decision.options:
        sim = Simulation(theatre, seed=1, decisions=[(inject.at, a) for a in option.actions])
        result = sim.run()
        assert len(sim.applied) == len(option.actions)
        assert _conserved(result)
        if option.actions and option.actions[0]["action"] == "cancel_event":
            assert result.cancelled and result.occupants == 0
