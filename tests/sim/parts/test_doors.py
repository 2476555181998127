"""Openings as flow servers (sim/doors.py) on a bare Environment, against hand-worked times.

docs/model.md: an opening passes at most its capacity c in persons per second, in arrival
order, in either direction; with a standing queue one person every 1/c seconds; a person
who finds no queue passes at once; a full zone beyond passes nobody until room frees up.
Capacities here are powers of two (1, 2, 0.5 p/s) where times are compared exactly, so the
hand-worked times are exact in binary floating point.
"""

from __future__ import annotations

import pytest

from ttxsim.sim.doors import Door


@pytest.fixture
def room_to_outside(plan):
    """A 10 m × 10 m room (capacity 380) and a door to outside passing 2 p/s."""
    room = plan.zone("room")
    outside = plan.outside()
    return room, outside, plan.door(room, outside, capacity_p_s=2.0)


def small_zone(plan, id, capacity, x_m=0.0, people=0, first=1000):
    """A 1 m² zone admitting `capacity` people (max_density_p_m2 = capacity on 1 m²)."""
    return plan.zone(id, x_m=x_m, width_m=1.0, depth_m=1.0, max_density_p_m2=capacity,
                     people=people, first=first)


# --- headway and capacity -------------------------------------------------------------------


def test_a_crowd_arriving_at_once_passes_one_every_headway(plan, room_to_outside):
    room, outside, door = room_to_outside
    n = 10
    for p in range(n):
        plan.walk(p, room, door)
    plan.env.run()
    # c = 2 p/s: headway 1/c = 0.5 s, so passages at 0, 0.5, …, 4.5 s in arrival (start) order.
    assert door.headway == 0.5
    assert plan.times() == [0.5 * i for i in range(n)]
    assert plan.order() == list(range(n))
    # Flow = (n − 1) passages after the first over the span = 9 / 4.5 = 2 p/s = capacity.
    assert (n - 1) / (door.last_pass - door.first_pass) == door.capacity
    # Nobody lost: every walker passed, once, and the counts moved with them.
    assert door.passed == len(plan.outcome) == n and all(ok for _, ok in plan.outcome.values())
    assert room.count == 0 and outside.count == n
    assert door.first_pass == 0.0 and door.last_pass == 4.5


def test_headway_holds_for_a_capacity_that_is_not_a_power_of_two(plan):
    # 1.3 p/s per metre × 1 m (the empirical default): headway 1/1.3 = 0.769… s; 20 people
    # queued at once pass at i/1.3 s, the last at 19/1.3 = 14.615 s (within rounding).
    room, outside = plan.zone("room"), plan.outside()
    door = plan.door(room, outside, capacity_p_s=1.3)
    for p in range(20):
        plan.walk(p, room, door)
    plan.env.run()
    assert plan.times() == pytest.approx([i / 1.3 for i in range(20)], abs=1e-9)
    assert door.passed == 20


def test_someone_who_finds_no_queue_passes_at_once(plan, room_to_outside):
    room, _, door = room_to_outside
    plan.walk(0, room, door, walk_s=3.0)
    plan.walk(1, room, door, walk_s=7.25)
    plan.env.run()
    # Each arrives after the other has gone (headway 0.5 s): no wait, passage at arrival.
    assert plan.times() == [3.0, 7.25]
    assert door.peak_queue == 0


def test_someone_arriving_within_a_headway_of_the_last_passage_waits_for_the_rest(plan):
    room, outside = plan.zone("room"), plan.outside()
    door = plan.door(room, outside, capacity_p_s=0.5)  # headway 2 s
    plan.walk(0, room, door, walk_s=0.0)
    plan.walk(1, room, door, walk_s=1.0)
    plan.walk(2, room, door, walk_s=5.0)
    plan.env.run()
    # 0 passes at 0 (free until 2); 1 arrives at 1 and waits until 2; 2 arrives at 5 > 4: at once.
    assert plan.times() == [0.0, 2.0, 5.0]
    assert door.peak_queue == 1  # only person 1 ever waited


def test_arrival_order_not_setting_off_order(plan):
    room, outside = plan.zone("room"), plan.outside()
    door = plan.door(room, outside, capacity_p_s=1.0)  # headway 1 s
    plan.walk(0, room, door, walk_s=5.0)            # sets off first, arrives at 5
    plan.walk(1, room, door, walk_s=1.0)            # arrives at 1
    plan.walk(2, room, door, walk_s=1.0, at=0.5)    # sets off later, arrives at 1.5
    plan.walk(3, room, door, walk_s=2.0)            # arrives at 2
    plan.env.run()
    # Served in order of arrival: 1 at 1; 2 (arrived 1.5) when free at 2; 3 (arrived 2) at 3;
    # 0 arrives at 5, after the door is free again at 4: at once.
    assert plan.order() == [1, 2, 3, 0]
    assert plan.times() == [1.0, 2.0, 3.0, 5.0]


def test_a_fast_walker_overtakes_a_slow_one_already_scheduled(plan):
    room, outside = plan.zone("room"), plan.outside()
    door = plan.door(room, outside, capacity_p_s=1.0)
    plan.walk(0, room, door, walk_s=10.0)         # first of all, turn scheduled for t = 10
    plan.walk(1, room, door, walk_s=2.0, at=1.0)  # sets off at 1, arrives at 3: ahead of 0
    plan.env.run()
    assert plan.order() == [1, 0]
    assert plan.times() == [3.0, 10.0]


def test_bookkeeping_of_passages_and_the_peak_queue(plan):
    room, outside = plan.zone("room"), plan.outside()
    door = plan.door(room, outside, capacity_p_s=1.0)
    assert (door.passed, door.peak_queue, door.first_pass, door.last_pass) == (0, 0, None, None)
    plan.walk(0, room, door, walk_s=0.0)
    for p in range(1, 5):
        plan.walk(p, room, door, walk_s=0.25)
    plan.env.run()
    # 0 passes at 0; 1–4 arrive at 0.25 while the door is busy until 1: four wait at once.
    assert plan.times() == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert door.peak_queue == 4
    assert (door.passed, door.first_pass, door.last_pass) == (5, 0.0, 4.0)


def test_the_first_of_a_crowd_arriving_together_does_not_count_as_waiting(plan, room_to_outside):
    # n arriving together at a free opening: the first passes at once, n − 1 wait, as when the
    # same crowd arrives a moment after the first (test_bookkeeping_of_passages_and_the_peak_queue).
    room, _, door = room_to_outside
    for p in range(5):
        plan.walk(p, room, door)
    plan.env.run()
    assert plan.times()[0] == 0.0  # the first passed at once
    assert door.peak_queue == 4


def test_heading_and_queue_count_everybody_on_the_way_or_queued(plan):
    room, outside = plan.zone("room"), plan.outside()
    door = plan.door(room, outside, capacity_p_s=1.0)
    for p in range(3):
        plan.walk(p, room, door, walk_s=0.0)
    for p in range(3, 5):
        plan.walk(p, room, door, walk_s=10.0)
    plan.env.run(until=0.5)
    # Passed: 0 at t = 0. Queued: 1, 2. On the way: 3, 4.
    assert [t.person for t in door.queue] == [1, 2]
    assert door.heading == 2
    assert len(door.queue) + door.heading == 4
    plan.env.run()
    assert door.heading == 0 and not door.queue
    assert plan.times() == [0.0, 1.0, 2.0, 10.0, 11.0]


# --- shut and open --------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["closed", "locked"])
def test_shutting_sends_the_queue_away_and_those_coming_learn_on_arrival(plan, state):
    room, outside = plan.zone("room"), plan.outside()
    door = plan.door(room, outside, capacity_p_s=1.0)
    for p in range(6):
        plan.walk(p, room, door)
    plan.walk(9, room, door, walk_s=10.0)
    plan.at(2.5, lambda: door.shut(state))
    plan.env.run()
    # Passed at 0, 1, 2; at 2.5 those queued behind the head (4, 5) are told no at once; the
    # head (3), whose turn was due at 3, by then at the latest; the walker on arrival at 10.
    assert plan.times() == [0.0, 1.0, 2.0]
    assert plan.outcome[4] == plan.outcome[5] == (2.5, False)
    assert plan.outcome[3][1] is False and 2.5 <= plan.outcome[3][0] <= 2.5 + door.headway
    assert plan.outcome[9] == (10.0, False)
    assert door.state == state and door.passed == 3
    assert door.found_shut and not door.believed_usable  # word spreads: nobody heads there
    assert door.heading == 0 and not door.queue
    assert room.count == 4  # the four turned away are still inside


@pytest.mark.parametrize("send_away", ["shut", "turn_away"])
def test_the_queued_head_learns_at_once_too(plan, send_away):
    # Its turn is already due when the opening is free again (t = 2): it learns at 0.5 all the same.
    room, outside = plan.zone("room"), plan.outside()
    door = plan.door(room, outside, capacity_p_s=0.5)  # headway 2 s
    plan.walk(0, room, door)
    plan.walk(1, room, door)  # queued; its turn is due at 2
    plan.at(0.5, (lambda: door.shut("closed")) if send_away == "shut"
            else (lambda: door.turn_away(out_of=room)))
    plan.env.run()
    assert plan.outcome[1] == (0.5, False)


def test_a_walker_setting_off_to_a_shut_door_learns_on_arrival(plan):
    room, outside = plan.zone("room"), plan.outside()
    door = plan.door(room, outside, state="closed")
    assert not door.passable(room)
    assert door.believed_usable  # a signed exit nobody has found shut yet
    plan.walk(0, room, door, walk_s=4.0)
    plan.env.run(until=1.0)
    assert door.heading == 1  # still counted as heading there, for route choice
    plan.env.run()
    assert plan.outcome[0] == (4.0, False)
    assert door.heading == 0 and door.passed == 0
    door.mark_found_shut()  # what the simulation does on hearing the no
    assert not door.believed_usable


def test_withdrawing_someone_bound_for_a_shut_door_counts_them_out_once(plan):
    room, outside = plan.zone("room"), plan.outside()
    door = plan.door(room, outside, state="closed")
    plan.walk(0, room, door, walk_s=4.0)
    plan.at(1.0, lambda: door.withdraw(plan.turn_of[0]))
    plan.env.run(until=2.0)
    assert door.heading == 0
    plan.env.run()
    assert plan.outcome[0] == (4.0, False)  # their turn still fires on arrival: no second count
    assert door.heading == 0


def test_an_unsigned_closed_door_is_not_believed_usable(plan):
    room, outside = plan.zone("room"), plan.outside()
    assert not plan.door(room, outside, state="locked", signed_exit=False).believed_usable


def test_opening_resumes_service_at_the_headway(plan):
    room, outside = plan.zone("room"), plan.outside()
    door = plan.door(room, outside, capacity_p_s=1.0, state="locked")
    plan.at(5.0, door.open)
    for p in range(3):
        plan.walk(p, room, door, walk_s=1.0, at=5.0)
    plan.env.run()
    assert door.state == "open" and door.believed_usable and door.passable(room)
    # Set off at 5 once it is open, arrive at 6: 6, 7, 8.
    assert plan.times() == [6.0, 7.0, 8.0]


def test_shut_then_reopened_keeps_the_headway_from_the_last_passage(plan):
    room, outside = plan.zone("room"), plan.outside()
    door = plan.door(room, outside, capacity_p_s=0.5)  # headway 2 s
    plan.walk(0, room, door)
    plan.at(0.5, lambda: door.shut("closed"))
    plan.at(1.0, door.open)
    plan.walk(1, room, door, at=1.0)
    plan.env.run()
    # 0 passed at 0; the door is busy until 2 whatever happened in between.
    assert plan.times() == [0.0, 2.0]


# --- back-pressure ----------------------------------------------------------------------------


def test_a_full_zone_beyond_passes_nobody_until_someone_leaves(plan):
    hall = plan.zone("hall")
    stair = small_zone(plan, "stair", capacity=2, x_m=10.0, people=2, first=100)  # full
    door = plan.door(hall, stair, capacity_p_s=1.0)
    for p in range(5):
        plan.walk(p, hall, door)
    plan.at(5.0, lambda: stair.leave(100))
    plan.at(8.0, lambda: stair.leave(101))
    plan.at(20.0, lambda: (stair.leave(0), stair.leave(1)))
    plan.env.run(until=100.0)
    # Nobody before 5; one per place freed: at 5 and 8; two places at 20 pass at 20 and 21
    # (headway 1 s), then the zone is full again and the last waits for good.
    assert plan.times() == [5.0, 8.0, 20.0, 21.0]
    assert plan.order() == [0, 1, 2, 3]
    assert stair.count == stair.capacity == 2
    assert 4 not in plan.outcome and [t.person for t in door.queue] == [4]


def test_one_freed_place_lets_exactly_one_through_whichever_door(plan):
    west = plan.zone("west")
    east = plan.zone("east", x_m=11.0)
    stair = small_zone(plan, "stair", capacity=2, x_m=10.0, people=2, first=100)
    from_west = plan.door(west, stair, capacity_p_s=1.0)
    from_east = plan.door(east, stair, capacity_p_s=1.0)
    for p in (0, 1):
        plan.walk(p, west, from_west)
    for p in (2, 3):
        plan.walk(p, east, from_east)
    plan.at(5.0, lambda: stair.leave(100))
    plan.env.run(until=50.0)
    # Both heads wake at 5; the first to act takes the place, the other finds it full again.
    assert plan.times() == [5.0]
    assert stair.count == 2 and from_west.passed + from_east.passed == 1


def test_room_freed_is_one_event_shared_by_all_who_wait(plan):
    stair = small_zone(plan, "stair", capacity=2, people=2)
    freed = stair.room_freed()
    assert stair.room_freed() is freed and stair.full
    stair.enter(7)  # over capacity (an exception the simulation never makes): still full after one leaves
    stair.leave(7)
    assert not freed.triggered
    stair.leave(1000)
    assert freed.triggered and not stair.full
    assert stair.room_freed() is not freed  # the next wait gets a fresh event


# --- counterflow -----------------------------------------------------------------------------


def test_counterflow_shares_the_headway(plan):
    a = plan.zone("a")
    b = plan.zone("b", x_m=10.0)
    door = plan.door(a, b, capacity_p_s=1.0)
    plan.walk(0, a, door)
    plan.walk(1, b, door)
    plan.walk(2, a, door)
    plan.walk(3, b, door)
    plan.env.run()
    # One queue in arrival order, whichever way: 0, 1, 2, 3 at 0, 1, 2, 3 s.
    assert plan.passages == [(0, 0.0, "a", "b"), (1, 1.0, "b", "a"), (2, 2.0, "a", "b"),
                             (3, 3.0, "b", "a")]
    assert door.passed == 4 and a.count == b.count == 2


def test_someone_coming_out_of_a_full_zone_goes_first(plan):
    hall = plan.zone("hall")
    stair = small_zone(plan, "stair", capacity=2, x_m=10.0)
    door = plan.door(hall, stair, capacity_p_s=1.0)
    plan.walk(0, hall, door)   # first in line, into the stair
    plan.walk(1, stair, door)  # the stair is full with 1 and 2, both coming out
    plan.walk(2, stair, door)
    plan.env.run()
    # 0 waits for room; 1 (going the other way) passes first at 0, which frees a place;
    # 0 passes at 1 (the stair full again); 2 goes out into the hall, not full, at 2.
    assert plan.order() == [1, 0, 2]
    assert plan.times() == [0.0, 1.0, 2.0]


def test_two_full_zones_exchange_people_through_one_opening(plan):
    a = small_zone(plan, "a", capacity=2)
    b = small_zone(plan, "b", capacity=2, x_m=1.0)
    door = plan.door(a, b, capacity_p_s=1.0)
    plan.walk(0, a, door)
    plan.walk(1, a, door)
    plan.walk(10, b, door)
    plan.walk(11, b, door)
    assert a.full and b.full
    plan.env.run(until=100.0)
    assert door.passed == 4
    # 0 (head, into full b) swaps with 10 at 0; the swap takes two headways of the shared
    # capacity, so 1 swaps with 11 at 2. Both zones stay full and never overfill.
    assert plan.passages == [(0, 0.0, "a", "b"), (10, 0.0, "b", "a"),
                             (1, 2.0, "a", "b"), (11, 2.0, "b", "a")]
    assert all(plan.outcome[p] == (t, True) for p, t in ((0, 0.0), (10, 0.0), (1, 2.0), (11, 2.0)))
    assert a.count == b.count == 2 and a.peak == b.peak == 2


def test_someone_arriving_later_out_of_the_full_zone_is_let_through(plan):
    hall = plan.zone("hall")
    stair = small_zone(plan, "stair", capacity=2, x_m=10.0, people=2, first=100)  # full
    door = plan.door(hall, stair, capacity_p_s=1.0)
    plan.walk(0, hall, door)                          # waits for room in the stair from t = 0
    plan.walk(1, stair, door, walk_s=3.0, enter=False, at=0.0)
    stair.leave(100)
    stair.enter(1)  # 1 is one of the two on the stair; they reach the door at 3
    plan.env.run(until=50.0)
    # Nobody leaves the stair otherwise: 1, arriving at 3, passes out first and frees the place
    # 0 waits for; 0 passes one headway later.
    assert plan.passages == [(1, 3.0, "stair", "hall"), (0, 4.0, "hall", "stair")]


def test_someone_arriving_later_swaps_with_the_head_when_both_zones_are_full(plan):
    a = small_zone(plan, "a", capacity=1)
    b = small_zone(plan, "b", capacity=1, x_m=1.0)
    door = plan.door(a, b, capacity_p_s=1.0)
    plan.walk(0, a, door)
    plan.walk(10, b, door, walk_s=5.0)
    plan.env.run(until=50.0)
    assert plan.passages == [(0, 5.0, "a", "b"), (10, 5.0, "b", "a")]
    assert a.count == b.count == 1


# --- withdraw and turn away ------------------------------------------------------------------


def test_withdrawing_someone_queued_leaves_the_others_times_unchanged(plan):
    room, outside = plan.zone("room"), plan.outside()
    door = plan.door(room, outside, capacity_p_s=1.0)
    for p in range(4):
        plan.walk(p, room, door)
    plan.at(0.5, lambda: door.withdraw(plan.turn_of[2]))
    plan.env.run()
    # 2 is woken at once (to find out they are out of the line) and told no; 3 moves up.
    assert plan.outcome[2] == (0.5, False)
    assert plan.order() == [0, 1, 3]
    assert plan.times() == [0.0, 1.0, 2.0]


def test_withdrawing_the_head_gives_its_slot_to_the_next(plan):
    room, outside = plan.zone("room"), plan.outside()
    door = plan.door(room, outside, capacity_p_s=1.0)
    for p in range(3):
        plan.walk(p, room, door)
    plan.at(0.5, lambda: door.withdraw(plan.turn_of[1]))  # 1 is first now, turn due at 1
    plan.env.run()
    assert plan.order() == [0, 2]
    assert plan.times() == [0.0, 1.0]  # 2 passes at 1, in the withdrawn head's slot
    assert plan.outcome[1][1] is False


def test_withdrawing_someone_on_the_way_stops_counting_them(plan):
    room, outside = plan.zone("room"), plan.outside()
    door = plan.door(room, outside, capacity_p_s=1.0)
    plan.walk(0, room, door, walk_s=10.0)
    plan.walk(1, room, door, walk_s=20.0)
    plan.at(2.0, lambda: door.withdraw(plan.turn_of[1]))
    plan.env.run(until=3.0)
    assert door.heading == 1
    assert plan.outcome[1] == (2.0, False)  # not first, so woken at once
    plan.env.run()
    assert plan.order() == [0] and door.heading == 0


def test_turn_away_into_a_zone_sends_away_only_those_going_there(plan):
    a = plan.zone("a")
    b = plan.zone("b", x_m=10.0)
    door = plan.door(a, b, capacity_p_s=1.0)
    for p in (0, 1, 2):
        plan.walk(p, a, door)                 # a → b, queued from t = 0
    plan.walk(3, b, door)                     # b → a, queued behind them
    plan.walk(4, a, door, walk_s=10.0)        # a → b, on the way
    plan.at(0.5, lambda: door.turn_away(into=b))
    plan.env.run()
    # 0 passed at 0. At 0.5, 1 (the head, whose turn was due at 1) and 2, both into b, are
    # told no at once (test_the_queued_head_learns_at_once_too), 4 on arrival at 10; 3, going
    # the other way, keeps the next slot: 1.
    assert plan.outcome[2] == (0.5, False) and plan.outcome[1] == (0.5, False)
    assert plan.outcome[4] == (10.0, False)
    assert plan.passages == [(0, 0.0, "a", "b"), (3, 1.0, "b", "a")]
    assert door.heading == 0


def test_turn_away_out_of_a_zone(plan):
    a = plan.zone("a")
    b = plan.zone("b", x_m=10.0)
    door = plan.door(a, b, capacity_p_s=1.0)
    plan.walk(0, a, door, walk_s=1.0)
    plan.walk(1, b, door, walk_s=1.0)
    plan.at(0.5, lambda: door.turn_away(out_of=a))
    plan.env.run()
    assert plan.outcome[0] == (1.0, False)  # learns on arrival
    assert plan.passages == [(1, 1.0, "b", "a")]


# --- passable -----------------------------------------------------------------------------


def _hazard(zone, *, threat=None, untenable=None):
    if threat is not None:
        zone.threat = threat
    if untenable is not None:
        zone.untenable = untenable
    zone.hazard_changed()


def test_passable_rules(plan):
    a = plan.zone("a")
    b = plan.zone("b", x_m=10.0)
    outside = plan.outside()
    inner = plan.door(a, b)
    exit_ = plan.door(a, outside)
    assert inner.passable(a) and inner.passable(b) and exit_.passable(a)

    _hazard(b, threat=True)  # threat beyond: nobody goes in; coming out is allowed
    assert b.blocked and not inner.passable(a) and inner.passable(b)
    _hazard(b, threat=False)
    assert inner.passable(a)

    _hazard(b, untenable=True)  # untenable beyond: only for someone already in untenable smoke
    assert not inner.passable(a)
    _hazard(a, untenable=True)
    assert inner.passable(a)
    _hazard(a, untenable=False)
    _hazard(b, untenable=False)

    _hazard(a, threat=True)  # the threat covers the way out to safety, not the way further in
    assert not exit_.passable(a) and inner.passable(a)


def test_a_way_blocked_while_queued_turns_the_queue_away_at_their_turn(plan):
    a = plan.zone("a")
    b = plan.zone("b", x_m=10.0)
    door = plan.door(a, b, capacity_p_s=1.0)
    for p in (0, 1):
        plan.walk(p, a, door)
    plan.walk(2, b, door)
    plan.at(0.5, lambda: _hazard(b, threat=True))
    plan.env.run()
    # 1's turn comes at 1: b now holds the threat, so no; 2 (coming out of b) passes at once.
    assert plan.outcome[1] == (1.0, False)
    assert plan.passages == [(0, 0.0, "a", "b"), (2, 1.0, "b", "a")]


def test_other_side(plan):
    a, b = plan.zone("a"), plan.zone("b", x_m=10.0)
    door = plan.door(a, b)
    assert door.other(a) is b and door.other(b) is a
    assert isinstance(door, Door) and door.sides == (a, b)
