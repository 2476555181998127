"""Why people are still inside at the end (sim/trapped.py), on zones and doors built by hand.

A hall with a corridor to outside: whoever is left in the hall is counted by the first
obstacle whose lifting would open a way out (shut openings, untenable smoke, the threat).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from ttxsim.sim.census import HARMED, INSIDE, SAFE, SHELTERED
from ttxsim.sim.trapped import TRAPPED_REASONS, trapped_by_reason


@dataclass
class Books:
    """The two lists of the census that the reasons read."""

    status: list[int] = field(default_factory=list)
    zone_of: list[int] = field(default_factory=list)


@pytest.fixture
def hall_corridor(plan):
    hall = plan.zone("hall")
    corridor = plan.zone("corridor", x_m=10.0)
    outside = plan.outside()
    inner = plan.door(hall, corridor)
    exit_ = plan.door(corridor, outside)
    return hall, corridor, inner, exit_


def reasons(plan, hall, statuses):
    books = Books(list(statuses), [hall.index] * len(statuses))
    counts = trapped_by_reason(books, plan.zones)
    return {k: v for k, v in counts.items() if v}


@pytest.mark.usefixtures("hall_corridor")
def test_nobody_inside_means_nobody_trapped(plan):
    assert trapped_by_reason(Books([SAFE, HARMED], [0, 0]), plan.zones) == dict.fromkeys(TRAPPED_REASONS, 0)


def test_an_open_way_out_is_no_reason(plan, hall_corridor):
    hall, *_ = hall_corridor
    assert reasons(plan, hall, [INSIDE, INSIDE]) == {"no_reason": 2}


def test_a_shut_exit_locks_people_in(plan, hall_corridor):
    hall, _, _, exit_ = hall_corridor
    exit_.shut("locked")
    assert reasons(plan, hall, [INSIDE]) == {"locked_in": 1}


def test_the_threat_on_the_way_out_cuts_people_off(plan, hall_corridor):
    hall, corridor, _, _ = hall_corridor
    corridor.threat = True
    corridor.hazard_changed()
    assert reasons(plan, hall, [INSIDE]) == {"behind_threat": 1}


def test_the_threat_in_their_own_zone_covers_its_exit(plan, hall_corridor):
    _, corridor, _, _ = hall_corridor
    corridor.threat = True
    corridor.hazard_changed()
    assert reasons(plan, corridor, [INSIDE]) == {"behind_threat": 1}


def test_untenable_smoke_on_the_way_out_cuts_people_off(plan, hall_corridor):
    hall, corridor, _, _ = hall_corridor
    corridor.untenable = True
    assert reasons(plan, hall, [INSIDE]) == {"untenable": 1}


def test_people_already_in_untenable_smoke_may_still_cross_it(plan, hall_corridor):
    hall, corridor, _, _ = hall_corridor
    hall.untenable = corridor.untenable = True
    assert reasons(plan, hall, [INSIDE]) == {"no_reason": 1}


def test_a_locked_door_and_smoke_beyond_it_count_as_smoke(plan, hall_corridor):
    # Opening the door would not get them out: the smoke beyond would still stop them.
    hall, corridor, inner, _ = hall_corridor
    inner.shut("locked")
    corridor.untenable = True
    assert reasons(plan, hall, [INSIDE]) == {"untenable": 1}
    corridor.untenable = False
    assert reasons(plan, hall, [INSIDE]) == {"locked_in": 1}


def test_sheltering_people_are_counted_as_sheltering(plan, hall_corridor):
    hall, *_ = hall_corridor
    assert reasons(plan, hall, [SHELTERED, SHELTERED, INSIDE]) == {"sheltering": 2, "no_reason": 1}
