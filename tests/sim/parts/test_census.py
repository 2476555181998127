"""The census (sim/census.py): nobody lost or counted twice, on a bare Environment.

At every moment inside + safe + sheltered + harmed = total (docs/model.md), through every
passage, shelter, release and harm; a zone's clearing is logged once; the run is told when
nobody is inside or sheltering; each zone's head count is sampled every step until the end.
"""

from __future__ import annotations

import pytest

from ttxsim.sim.census import HARMED, INSIDE, SAFE, SHELTERED, Census

from .conftest import Calls, FakeExposure, Log


class Books:
    """A room (people 0–5), a hall (6–9) and the outside, counted in by a Census."""

    def __init__(self, plan, zone_of=(0, 0, 0, 0, 0, 0, 1, 1, 1, 1)):
        self.plan = plan
        self.room = plan.zone("room")
        self.hall = plan.zone("hall", x_m=10.0)
        self.outside = plan.outside()
        self.log = Log(plan.env)
        self.accounted = Calls(plan.env)
        self.census = Census(plan.env, plan.zones, log=self.log, accounted=self._accounted)
        self.census.count_in(list(zone_of))

    def _accounted(self):
        self.accounted(self.census.all_accounted)

    def check(self):
        """The books balance, and the zones agree with them."""
        c = self.census
        harmed = sum(c.harmed.values())
        assert c.inside + c.safe + c.sheltered + harmed == c.total
        assert c.inside == self.room.count + self.hall.count
        assert c.sheltered == len(self.room.sheltered) + len(self.hall.sheltered)
        assert c.safe == self.outside.count == c.status.count(SAFE)
        assert c.status.count(INSIDE) == c.inside and c.status.count(SHELTERED) == c.sheltered
        assert c.status.count(HARMED) == harmed == len(c.harm_times)


def test_count_in(plan):
    books = Books(plan)
    c = books.census
    assert c.total == c.inside == 10 and c.safe == c.sheltered == 0
    assert (books.room.initial, books.hall.initial, books.outside.initial) == (6, 4, 0)
    assert books.room.members == set(range(6)) and c.people_by_zone == {0: list(range(6)), 1: [6, 7, 8, 9]}
    books.check()


def test_the_books_balance_through_every_change(plan):
    books = Books(plan)
    c, room, hall, outside = books.census, books.room, books.hall, books.outside
    c.passed(0, None, room, hall)
    c.passed(1, None, room, hall)
    books.check()
    assert (room.count, hall.count) == (4, 6) and c.zone_of[0] == hall.index
    c.passed(6, None, hall, outside)
    c.passed(7, None, hall, outside)
    c.passed(0, None, hall, outside)
    books.check()
    assert c.safe == 3 and c.inside == 7
    c.shelter(room)  # 2, 3, 4, 5 lock themselves in
    books.check()
    assert c.sheltered == 4 and room.count == 0 and room.sheltered == {2, 3, 4, 5}
    c.unshelter(3, room)
    books.check()
    assert c.sheltered == 3 and c.started[3] and 3 in room.members
    c.harm(3, "threat")  # inside
    c.harm(4, "smoke")   # sheltering
    books.check()
    assert c.harmed == {"threat": 1, "smoke": 1} and room.sheltered == {2, 5}
    c.harm(1, "threat")  # in the hall
    books.check()
    # Inside: 8 and 9 in the hall; safe: 6, 7, 0; sheltering: 2, 5; harmed: 3, 4, 1.
    assert (c.inside, c.safe, c.sheltered, sum(c.harmed.values())) == (2, 3, 2, 3)


def test_zone_cleared_is_logged_once_when_the_last_starter_leaves(plan):
    books = Books(plan, zone_of=(0, 0))
    c, room, hall, outside = books.census, books.room, books.hall, books.outside
    plan.at(10.0, lambda: c.passed(0, None, room, hall))
    plan.at(20.0, lambda: c.passed(1, None, room, hall))
    plan.at(30.0, lambda: c.passed(1, None, hall, room))  # back in, and out again
    plan.at(40.0, lambda: c.passed(1, None, room, outside))
    plan.at(50.0, lambda: c.passed(0, None, hall, outside))
    plan.env.run()
    # The room empties at 20 s (logged) and again at 40 s (not logged, but cleared_at moves on);
    # the hall started empty, so its emptying at 50 s is not a clearing.
    assert [(e.t, e.zone) for e in books.log.of("zone_cleared")] == [(20.0, "room")]
    assert room.cleared_at == 40.0 and hall.cleared_at == 50.0


def test_accounted_is_called_when_nobody_is_inside_or_sheltering(plan):
    books = Books(plan, zone_of=(0, 0, 0))
    c, room, outside = books.census, books.room, books.outside
    c.passed(0, None, room, outside)
    assert books.accounted.calls == []  # two still inside
    c.shelter(room)
    c.harm(1, "smoke")
    assert books.accounted.calls == [(0.0, False)]  # told after every harm; one still sheltering
    c.unshelter(2, room)
    c.passed(2, None, room, outside)
    assert books.accounted.calls == [(0.0, False), (0.0, True)]
    books.check()


def test_the_last_one_harmed_accounts_for_everybody(plan):
    books = Books(plan, zone_of=(0,))
    books.census.harm(0, "threat")
    assert books.accounted.calls == [(0.0, True)] and books.census.all_accounted


def test_passages_reach_the_exposure_only_when_hazards_concern_them(plan):
    books = Books(plan)
    c, room, hall, outside = books.census, books.room, books.hall, books.outside
    exposure = c.exposure = FakeExposure(plan.env)
    hall.smoke = object()  # any profile: hazardous
    hall.hazard_changed()
    c.passed(0, None, room, hall)  # no hazard known to the census yet
    c.hazards = True
    c.passed(1, None, room, hall)     # into smoke
    c.passed(6, None, hall, outside)  # out of it
    c.passed(2, None, room, outside)  # neither side hazardous
    assert [m[1:] for m in exposure.moves] == [(1, "room", "hall"), (6, "hall", "outside")]


def test_sheltering_takes_people_out_of_a_queue(plan):
    books = Books(plan, zone_of=(0, 0, 0))
    c, room = books.census, books.room
    door = plan.door(room, books.outside)
    door._on_pass = c.passed
    for person in range(3):
        c.turn_of[person] = door.approach(person, room, 5.0)
    plan.env.run(until=1.0)
    c.shelter(room)
    assert c.turn_of == [None, None, None] and door.heading == 0 and len(door.queue) == 0
    plan.env.run()
    assert door.passed == 0 and c.safe == 0 and c.sheltered == 3
    books.check()


def test_occupancy_is_sampled_every_step_until_the_run_finishes(plan):
    books = Books(plan)
    c, room, hall, outside = books.census, books.room, books.hall, books.outside
    finished = plan.env.event()
    plan.env.process(c.record_occupancy(10.0, finished))
    plan.at(5.0, lambda: c.passed(0, None, room, hall))
    plan.at(12.0, lambda: c.shelter(room))  # sheltering people still count in their zone
    plan.at(15.0, lambda: [c.passed(p, None, hall, outside) for p in (0, 6, 7)])
    plan.at(25.0, finished.succeed)
    plan.at(40.0, lambda: c.passed(8, None, hall, outside))
    plan.env.run()
    # Samples at 0, 10, 20 s and the last one when the run finishes (25 s); none after.
    assert c.occupancy == {"room": [6, 5, 5, 5], "hall": [4, 5, 2, 2]}
    assert "outside" not in c.occupancy


@pytest.mark.parametrize("step_s", [1.0, 7.5])
def test_the_number_of_samples_follows_the_step(plan, step_s):
    books = Books(plan)
    finished = plan.env.event()
    plan.env.process(books.census.record_occupancy(step_s, finished))
    plan.at(29.5, finished.succeed)
    plan.env.run()
    # 1 s: 0, 1, …, 29 and the finish at 29.5: 31 samples. 7.5 s: 0, 7.5, 15, 22.5 and 29.5: 5.
    assert len(books.census.occupancy["room"]) == {1.0: 31, 7.5: 5}[step_s]
