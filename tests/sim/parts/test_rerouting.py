"""Re-routing (sim/rerouting.py): word of a shut opening, waking the trapped, leaving long queues.

docs/model.md: somebody who finds an opening shut tells everybody (once), so route choice
forgets it; people with no way out wait until something changes; when a way opens, people
at the back of a long queue move to another opening if it is clearly better for them (it
promises to get them out `route_inertia.margin_s`, 30 s here, sooner, and within their own
share of the time), counting those who moved before them, but the first five of a queue
never move; and people in queues look around every LOOK_AROUND_S.
"""

from __future__ import annotations

import pytest

from ttxsim.sim.rerouting import LOOK_AROUND_S, STAY_PUT, Rerouting
from ttxsim.sim.routing import QuickestRoute


class CountingRoute:
    """Route choice as re-routing sees it when nothing is chosen: counts invalidations."""

    def __init__(self):
        self.invalidated = 0

    def invalidate(self):
        self.invalidated += 1


def test_finding_an_opening_shut_is_logged_once_and_forgets_it(plan, log):
    room = plan.zone("room")
    door = plan.door(room, plan.outside(), state="closed")
    assert door.believed_usable  # a signed exit: people head for it until somebody finds it shut
    route = CountingRoute()
    rerouting = Rerouting(plan.env, route, log)
    rerouting.found_shut(door)
    rerouting.found_shut(door)
    assert [(e.kind, e.opening, e.detail) for e in log.events] == [("opening_found_shut", "door0", "closed")]
    assert door.found_shut and not door.believed_usable
    assert route.invalidated == 1


def test_the_trapped_wait_for_the_next_change(plan, log):
    rerouting = Rerouting(plan.env, CountingRoute(), log)
    rerouting.wake_trapped()  # nobody waiting: nothing to do
    woken = []

    def trapped(person):
        yield rerouting.routes_changed()
        woken.append((plan.env.now, person))

    for person in range(3):
        plan.env.process(trapped(person))
    plan.env.run(until=1.0)
    first = rerouting.routes_changed()
    assert rerouting.routes_changed() is first and not first.triggered  # one event for all who wait
    plan.at(30.0, rerouting.wake_trapped)
    plan.env.run(until=60.0)
    assert woken == [(30.0, 0), (30.0, 1), (30.0, 2)]
    later = rerouting.routes_changed()
    assert later is not first and not later.triggered  # the next wait is for the next change


class Queue:
    """A room with a slow door at (0, 0) holding a queue and an empty 1 p/s door 10 m away.

    Walking speed 1 m/s for route choice: the other door costs 10 m / 1 m/s = 10 s and no wait.
    """

    def __init__(self, plan, log, *, slow_p_s, people, keep_share=None, target=None):
        self.room = plan.zone("room")
        outside = plan.outside()
        self.slow = plan.door(self.room, outside, capacity_p_s=slow_p_s, position=(0.0, 0.0))
        self.other = plan.door(self.room, outside, capacity_p_s=1.0, position=(10.0, 0.0))
        self.route = QuickestRoute(plan.zones, plan.doors, 1.0, margin_s=30.0)
        self.rerouting = Rerouting(plan.env, self.route, log, keep_share, target)
        self.turns = []
        for person in range(people):
            self.room.enter(person)
            self.turns.append(self.slow.approach(person, self.room, 0.0))  # all there at t = 0, in order

    def reconsider(self):
        """A way opened: the room's queues reconsider; who is still queued at the slow door."""
        self.rerouting.reconsider_queues([self.room])
        return [t.person for t in self.slow.queue]


def test_the_back_of_a_long_queue_moves_to_a_clearly_better_opening(plan, log):
    queue = Queue(plan, log, slow_p_s=1.0, people=60)
    # Staying at place p costs p × 1 s. Moving costs 10 s + 1 s per earlier mover + the 30 s
    # margin. From the back, the k-th mover (place 59 − k) goes while 40 + k < 59 − k, i.e.
    # k ≤ 9: places 59 … 50 leave; place 49 would need 50 < 49, so the scan stops there.
    assert queue.route.margin_s == 30.0
    assert queue.reconsider() == list(range(50))
    assert all(not t.in_line and t.scheduled for t in queue.turns[50:])  # woken now, to choose again
    assert all(t.in_line for t in queue.turns[:50])
    assert queue.other.heading == 0 and len(queue.other.queue) == 0  # nobody is moved there for them
    # Choosing again where they stand, the other door wins: 10 s against 50 queued × 1 s.
    assert queue.route.choose(queue.room, queue.slow.position, 1.0, 0.0) == (queue.other, 10.0)


def test_the_first_five_of_a_queue_never_move(plan, log):
    queue = Queue(plan, log, slow_p_s=0.05, people=10)
    # Headway 20 s: staying at place p costs 20 p s. Places 9 … 5 move (40 + k < 20 (9 − k)).
    # Place 4 would gain too (10 + 5 + 30 = 45 < 80 s), but it is one of the first five.
    assert STAY_PUT == 5
    assert queue.reconsider() == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("people", [5, 1])
def test_a_short_queue_is_left_alone(plan, log, people):
    assert Queue(plan, log, slow_p_s=0.01, people=people).reconsider() == list(range(people))


def test_nobody_moves_when_the_other_way_is_no_better_by_the_margin(plan, log):
    # 35 queued at 1 p/s: the last (place 34) would gain 34 − 10 = 24 s < 30 s. Nobody moves.
    assert len(Queue(plan, log, slow_p_s=1.0, people=35).reconsider()) == 35


def test_nobody_moves_to_an_opening_that_is_shut(plan, log):
    queue = Queue(plan, log, slow_p_s=1.0, people=60)
    queue.other.shut("locked")
    queue.route.invalidate()
    assert len(queue.reconsider()) == 60


def test_each_person_leaves_a_queue_only_for_a_way_clearly_better_for_them(plan, log):
    # As the first test, but person 58 keeps to their queue unless another way takes at most
    # 20 % of the time (keep share 0.2): from place 58 (58 s) a 10 s + 1 s way is 19 %, so
    # they go; person 55 (keep 0.1) would need under 5.5 s and stays, and those in front of
    # them still weigh their own chance: place 50 goes as before (10 + 8 + 30 < 50).
    keep = [1.0] * 60
    keep[58], keep[55] = 0.2, 0.1
    queue = Queue(plan, log, slow_p_s=1.0, people=60, keep_share=keep)
    staying = queue.reconsider()
    assert 55 in staying and 58 not in staying
    assert staying == [*range(50), 55]


def test_people_in_a_queue_look_around_every_few_seconds(plan, log):
    # Nobody is passing here (no one takes their turn), so only looking around moves anyone.
    queue = Queue(plan, log, slow_p_s=1.0, people=60)
    plan.env.process(queue.rerouting.look_around(plan.zones))
    plan.env.run(until=LOOK_AROUND_S - 0.5)
    assert len(queue.slow.queue) == 60  # nobody has looked yet
    plan.env.run(until=LOOK_AROUND_S + 0.5)
    assert [t.person for t in queue.slow.queue] == list(range(50))  # as after a way opened


def test_nobody_leaves_the_queue_at_the_opening_they_head_for_whatever_the_queues(plan, log):
    # Person 59 has the slow door as their assigned exit (or familiar entrance): leaving its
    # queue they would only choose it again and rejoin at the back. The others weigh their
    # chances as before: places 58 … 50 leave (the k-th while 10 + k + 30 < 58 − k, k ≤ 8).
    target = [None] * 60
    target[59] = 0  # the slow door's index
    queue = Queue(plan, log, slow_p_s=1.0, people=60, target=target)
    assert queue.slow.index == 0
    staying = queue.reconsider()
    assert 59 in staying and staying == [*range(50), 59]
