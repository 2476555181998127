"""A person's turn at an opening: the one event that stands for their walk there and their wait."""

from __future__ import annotations

from typing import TYPE_CHECKING

import simpy

from .simpy_ext import init_pending, trigger_in

if TYPE_CHECKING:
    from .doors import Door
    from .zones import ZoneState

__all__ = ["Turn"]


class Turn(simpy.Event):
    """A person's turn at an opening: fires when they may try to pass.

    It is taken when they set off towards the opening, so it also stands for the walk: the
    opening keeps the people on their way in order of arrival and fires only the turn of
    whoever is first (see `Door`).
    """

    def __init__(self, env: simpy.Environment, door: Door, person: int, from_zone: ZoneState,
                 arrival: float):
        init_pending(self, env)  # simpy.Event.__init__, inlined: a Turn is made for every passage
        self.door = door
        self.person = person
        self.from_zone = from_zone
        self.arrival = arrival
        """When the person reaches the opening."""
        self.scheduled = False
        self.in_line = False
        """On its way or queued: the opening still holds a place for it."""
        self.finds_shut = False
        """On the way to an opening that was not open when they set off (so not in its line):
        still counted as heading there until they arrive."""
        self.exchanged = False
        """They passed while queued, swapping places with someone going the other way:
        `take_turn` says yes when their turn fires."""
        self.waited = True
        """They found a queue, or the opening busy, when they arrived (`_admit`): the first of
        a crowd arriving together at a free opening passes at once and is not counted waiting."""

    def fire_in(self, delay: float) -> None:
        """Schedule the turn `delay` seconds from now (as simpy.Timeout schedules itself)."""
        self.scheduled = True
        trigger_in(self, delay)
