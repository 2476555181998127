"""Exposure and harm (sim/harm.py) on a bare Environment, against hand-worked times.

docs/model.md, threat and fire: a person in the threat's zone is harmed once λ × (time with the threat)
reaches their unit-exponential threshold, drawn in advance; a person in smoke once their
FED (Purser) reaches the scenario's threshold. The thresholds come from a seeded generator:
the tests draw them again from the same seed to know each person's due time.
"""

from __future__ import annotations

import numpy as np
import pytest

from ttxsim.sim.census import HARMED, INSIDE, SAFE, SHELTERED
from ttxsim.sim.fed import CoProfile
from ttxsim.sim.harm import Exposure

SEED = 7
THRESHOLDS = (0.70752926, 1.02520335, 0.56854866, 0.89510986)
"""np.random.default_rng(7).exponential(1.0, 4): the unit-exponential thresholds of persons 0-3."""

FED1_AT_2700_S = 604.951213
"""FED 1 at a steady 2,700 ppm, in seconds: 1 / (2.764e-5 × 2700^1.036 / 60) = 1 / 0.00165303 /s
(worked in tests/sim/parts/test_fire.py)."""

STEADY_2700 = CoProfile(arrival_s=0.0, untenable_s=0.0, co_at_untenable_ppm=2700.0)
"""2,700 ppm from t = 0 on (a step: untenable at arrival)."""


class Crowd:
    """People 0..n-1 in a `hall` with a `lobby` next to it, their statuses, and their Exposure.

    `harmed` records (time, person, cause); harming a person does what `Census.harm` does
    to what the exposure reads: the status becomes HARMED and they leave their zone.
    """

    def __init__(self, plan, n=4, *, rate=0.01, fed_threshold=1.0):
        self.env = plan.env
        self.hall = plan.zone("hall", people=n, first=0)
        self.lobby = plan.zone("lobby", x_m=10.0)
        self.zones = [self.hall, self.lobby]
        self.status = [INSIDE] * n
        self.harmed: list[tuple[float, int, str]] = []
        self.exposure = Exposure(self.env, self.status, rate, fed_threshold,
                                 np.random.default_rng(SEED), self._harm)

    def _harm(self, person, cause):
        self.harmed.append((self.env.now, person, cause))
        self.status[person] = HARMED
        for zone in self.zones:
            if person in zone.members:
                zone.leave(person)
            zone.sheltered.discard(person)

    def threat(self, zone, present):
        """The threat enters or leaves `zone`, bracketed as `Reactions.threat_moved` brackets it."""
        self.exposure.zone_changed(zone, before_change=True)
        zone.threat = present
        zone.hazard_changed()
        self.exposure.zone_changed(zone, before_change=False)

    def smoke(self, zone, profile):
        """Smoke reaches `zone`, bracketed as `SmokeModel.fill_zone` brackets it."""
        self.exposure.zone_changed(zone, before_change=True)
        zone.smoke = profile
        zone.smoky = True
        zone.hazard_changed()
        self.exposure.zone_changed(zone, before_change=False)

    def move(self, person, from_zone, to_zone):
        """A passage as `Census.passed` reports it."""
        from_zone.leave(person)
        to_zone.enter(person)
        self.exposure.moved(person, from_zone, to_zone)

    def shelter(self, person, zone):
        zone.leave(person)
        zone.sheltered.add(person)
        self.status[person] = SHELTERED

    def at(self, t, action, *args):
        def later():
            yield self.env.timeout(t - self.env.now)
            action(*args)

        self.env.process(later())


def test_the_thresholds_are_the_seeded_unit_exponential_draws(plan):
    crowd = Crowd(plan)
    assert crowd.exposure.threshold == pytest.approx(THRESHOLDS, rel=1e-7)
    assert crowd.exposure.threshold == np.random.default_rng(SEED).exponential(1.0, 4).tolist()


def test_threat_harms_each_person_at_threshold_over_rate(plan):
    crowd = Crowd(plan, rate=0.01)
    crowd.threat(crowd.hall, True)
    plan.env.run(until=200.0)
    # λ = 0.01 /s: due at threshold / λ = 70.753, 102.520, 56.855, 89.511 s, so in the order 2, 0, 3, 1.
    assert [p for _, p, _ in crowd.harmed] == [2, 0, 3, 1]
    assert {p: t for t, p, _ in crowd.harmed} == pytest.approx(
        {p: THRESHOLDS[p] / 0.01 for p in range(4)}, rel=1e-7)
    assert {cause for _, _, cause in crowd.harmed} == {"threat"}
    assert crowd.exposure.exposed == {0, 1, 2, 3}


def test_the_threat_going_away_pauses_the_clock(plan):
    crowd = Crowd(plan, 1, rate=0.01)
    crowd.threat(crowd.hall, True)
    crowd.at(30.0, crowd.threat, crowd.hall, False)
    crowd.at(100.0, crowd.threat, crowd.hall, True)
    plan.env.run(until=50.0)
    # The checkpoint at 30 s carries λ × 30 = 0.30 of exposure; the 70 s away add nothing.
    assert crowd.exposure.exposure[0] == pytest.approx(0.30)
    assert crowd.harmed == []  # the due time at 70.753 s was dropped when the threat went
    plan.env.run(until=300.0)
    # Back at 100 s with 0.70753 − 0.30 = 0.40753 to go: 40.753 s more, harmed at 140.753 s.
    assert crowd.harmed == [(pytest.approx(140.752926), 0, "threat")]


def test_moving_out_pauses_the_clock_and_moving_back_resumes_it(plan):
    crowd = Crowd(plan, 1, rate=0.01)
    crowd.threat(crowd.hall, True)
    crowd.at(50.0, crowd.move, 0, crowd.hall, crowd.lobby)
    crowd.at(80.0, crowd.move, 0, crowd.lobby, crowd.hall)
    plan.env.run(until=79.0)
    assert crowd.exposure.exposure[0] == pytest.approx(0.50)  # λ × 50 s in the hall
    assert crowd.harmed == []
    plan.env.run(until=300.0)
    # 0.70753 − 0.50 = 0.20753 to go from 80 s: harmed at 100.753 s.
    assert crowd.harmed == [(pytest.approx(100.752926), 0, "threat")]


def test_someone_who_walks_into_the_threat_is_exposed_from_then_on(plan):
    crowd = Crowd(plan, 2, rate=0.01)
    crowd.move(1, crowd.hall, crowd.lobby)  # person 1 waits next door
    crowd.threat(crowd.hall, True)
    plan.env.run(until=60.0)
    assert crowd.exposure.exposed == {0}
    crowd.move(1, crowd.lobby, crowd.hall)
    plan.env.run(until=300.0)
    # Person 0: 70.753 s. Person 1 from 60 s: 60 + 1.02520 / 0.01 = 162.520 s.
    assert crowd.harmed == [(pytest.approx(70.752926), 0, "threat"), (pytest.approx(162.520335), 1, "threat")]
    assert crowd.exposure.exposed == {0, 1}


def test_smoke_harms_at_the_fed_threshold_of_a_steady_concentration(plan):
    crowd = Crowd(plan, 1, rate=0.0)
    crowd.smoke(crowd.hall, CoProfile(arrival_s=100.0, untenable_s=100.0, co_at_untenable_ppm=2700.0))
    plan.env.run(until=1000.0)
    # Smoke at a steady 2,700 ppm from 100 s: FED 1 after 604.951 s more, at 704.951 s.
    assert crowd.harmed == [(pytest.approx(100.0 + FED1_AT_2700_S), 0, "smoke")]
    assert crowd.exposure.exposed == set()


def test_smoke_on_a_linear_rise_harms_at_the_integrated_dose(plan):
    crowd = Crowd(plan, 1, rate=0.0)
    crowd.smoke(crowd.hall, CoProfile(arrival_s=0.0, untenable_s=300.0, co_at_untenable_ppm=2700.0))
    plan.env.run(until=1000.0)
    # C = 9 u ppm: FED(u) = a 9^b u^(b+1) / (b+1), 0.243570 at 300 s (tests/sim/parts/test_fire.py);
    # FED 1 at u = 300 × (1 / 0.243570)^(1/2.036) = 300 × 2.001086 = 600.326 s.
    assert crowd.harmed == [(pytest.approx(600.3257, rel=1e-6), 0, "smoke")]


def test_the_dose_is_carried_from_one_smoky_zone_to_the_next(plan):
    crowd = Crowd(plan, 1, rate=0.0)
    crowd.smoke(crowd.hall, STEADY_2700)
    crowd.smoke(crowd.lobby, CoProfile(arrival_s=0.0, untenable_s=0.0, co_at_untenable_ppm=1350.0))
    crowd.at(302.4756, crowd.move, 0, crowd.hall, crowd.lobby)
    plan.env.run(until=2000.0)
    # Half the FED-1 time at 2,700 ppm (302.4756 s) gives FED 0.5. At 1,350 ppm the rate is
    # 0.5^1.036 = 1/2.050534 of it, so the other 0.5 takes 302.4756 × 2.050534 = 620.237 s:
    # harmed at 922.712 s, not at 604.951 (the hall) nor 302.48 + 604.95 (a fresh start).
    assert crowd.exposure.fed[0] == pytest.approx(0.5, rel=1e-6)
    assert crowd.harmed == [(pytest.approx(922.7122, rel=1e-6), 0, "smoke")]


def test_the_earlier_of_threat_and_smoke_wins_and_harms_once(plan):
    crowd = Crowd(plan, 4, rate=0.001)
    crowd.threat(crowd.hall, True)
    crowd.smoke(crowd.hall, STEADY_2700)
    plan.env.run(until=2000.0)
    # λ = 0.001: threat due at 707.5, 1025.2, 568.5, 895.1 s; smoke due for all at 604.951 s.
    # Person 2's threat (568.549 s) beats the smoke; the others go at 604.951 s, by smoke.
    assert crowd.harmed[0] == (pytest.approx(568.54866), 2, "threat")
    assert sorted(crowd.harmed[1:], key=lambda h: h[1]) == [
        (pytest.approx(FED1_AT_2700_S), p, "smoke") for p in (0, 1, 3)]
    assert len(crowd.harmed) == 4  # the losing cause's due time never harms again


def test_sheltering_people_are_not_exposed_to_the_threat_but_take_smoke(plan):
    crowd = Crowd(plan, 2, rate=0.01)
    crowd.shelter(0, crowd.hall)  # person 0 has locked themselves in (threshold 0.708: 70.75 s)
    crowd.threat(crowd.hall, True)
    plan.env.run(until=500.0)
    assert crowd.harmed == [(pytest.approx(102.520335), 1, "threat")]
    assert crowd.exposure.exposed == {1} and crowd.exposure.exposure[0] == 0.0
    crowd.smoke(crowd.hall, CoProfile(arrival_s=500.0, untenable_s=500.0, co_at_untenable_ppm=2700.0))
    plan.env.run(until=2000.0)
    assert crowd.harmed[1] == (pytest.approx(500.0 + FED1_AT_2700_S), 0, "smoke")


def test_people_already_safe_or_harmed_are_never_harmed(plan):
    crowd = Crowd(plan, 2, rate=0.01)
    crowd.threat(crowd.hall, True)
    crowd.smoke(crowd.hall, STEADY_2700)

    def marked():
        yield plan.env.timeout(50.0)
        crowd.status[0] = SAFE    # out, as the census marks it (due at 70.75 s)
        crowd.status[1] = HARMED  # harmed by some other hand (due at 102.52 s)

    plan.env.process(marked())
    plan.env.run(until=2000.0)
    assert crowd.harmed == []


def test_no_threat_harm_at_rate_zero(plan):
    crowd = Crowd(plan, 4, rate=0.0)
    crowd.threat(crowd.hall, True)
    plan.env.run(until=10_000.0)
    assert crowd.harmed == []
    assert crowd.exposure.exposure == [0.0] * 4


def test_sharing_a_zone_with_a_harmless_threat_still_counts_as_exposed(plan):
    crowd = Crowd(plan, 4, rate=0.0)
    crowd.threat(crowd.hall, True)
    plan.env.run(until=10.0)
    assert crowd.exposure.exposed == {0, 1, 2, 3}
