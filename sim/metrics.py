"""Milestones and metrics, defined once: results, the command line, the store and plots read them here.

A milestone is a moment of the incident (the alarm, police on site); a metric is one number
a run leaves behind (people harmed, RSET, a milestone's time). The results store's columns,
the comparison tables and the summaries are all made from these lists, so a new metric is
added in one place and a renamed one cannot silently turn into an empty column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["METRICS", "MILESTONES", "SUMMARY_MILESTONES", "Metric", "Milestone", "metric", "milestone"]


@dataclass(frozen=True)
class Milestone:
    """A moment of the incident that a run records once (the first time it happens)."""

    name: str
    """Its name in `Result.times` (`alarm`); its JSON key is `t_<name>_s`."""
    label: str
    """How a summary or a plot names it."""
    description: str
    """What it means, for the store and the docs."""

    @property
    def key(self) -> str:
        """Its key in `Result.to_dict()` and its column in the results store."""
        return f"t_{self.name}_s"


MILESTONES: tuple[Milestone, ...] = (
    Milestone("detection", "first report", "first report"),
    Milestone("alarm", "venue alarm", "venue alarm"),
    Milestone("evac_order", "evacuation order", "evacuation order"),
    Milestone("announcement", "announcement", "first public announcement"),
    Milestone("police_arrival", "first police on site", "first police on site"),
    Milestone("contained", "threat contained", "threat contained or venue secured"),
    Milestone("threat_left", "threat left", "threat left the venue"),
    Milestone("all_clear", "all-clear", "all-clear given"),
    Milestone("fire_start", "fire starts", "fire start"),
    Milestone("fire_service", "fire service on site", "fire service on site"),
    Milestone("suppressed", "fire suppressed", "fire suppressed"),
)
"""Every milestone of `Result.times`, in the order the model keeps them."""

SUMMARY_MILESTONES: tuple[str, ...] = (
    "detection", "alarm", "evac_order", "announcement", "fire_start", "police_arrival",
    "threat_left", "contained", "all_clear", "fire_service", "suppressed",
)
"""The order of a typical incident, for timelines."""

_BY_NAME = {m.name: m for m in MILESTONES}


def milestone(name: str) -> Milestone:
    """The milestone called `name` (KeyError names the known ones)."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"no milestone {name!r}; known: {', '.join(_BY_NAME)}") from None


@dataclass(frozen=True)
class Metric:
    """One number of a run: a store column, a comparison row."""

    name: str
    """Its column name in the store and its key in a batch record."""
    description: str
    """What it means, with its unit."""
    lower_is_better: bool | None
    """True if less is the better outcome, False if more is (a higher posture, a warning that
    arrived), None if neither: the run's setting (occupants, fire start) or a count whose
    worth depends on the case (people still sheltering at the end)."""
    read: Callable[[Any], float | int | None]
    """Its value from a `Result` (None where a time never came)."""


def _field(name: str) -> Callable[[Any], Any]:
    return lambda result: getattr(result, name)


def _time(name: str) -> Callable[[Any], Any]:
    return lambda result: result.times.get(name)


def _harmed(cause: str) -> Callable[[Any], Any]:
    return lambda result: result.harmed.get(cause, 0)


def _hiding(name: str) -> Callable[[Any], Any]:
    return lambda result: getattr(result.hiding, name) if result.hiding is not None else 0


def _trapped(reason: str) -> Callable[[Any], Any]:
    return lambda result: result.trapped.get(reason, 0)


_STORED_MILESTONES = ("detection", "alarm", "evac_order", "police_arrival", "contained", "fire_start",
                      "fire_service", "suppressed")
"""The milestones kept as metrics (the others are in the event log and the run's JSON)."""

METRICS: tuple[Metric, ...] = (
    Metric("occupants", "people at the venue at t = 0", None, _field("occupants")),
    Metric("evacuated", "people who reached safety", False, _field("evacuated")),
    Metric("remaining", "people still inside at the end", True, _field("remaining")),
    Metric("sheltered", "people sheltering at the end", None, _field("sheltered")),
    Metric("harmed_total", "people harmed, all causes", True, _field("harmed_total")),
    Metric("harmed_threat", "people harmed by the threat", True, _harmed("threat")),
    Metric("harmed_smoke", "people incapacitated by smoke (FED)", True, _harmed("smoke")),
    Metric("exposed", "people exposed to the threat", True, _field("exposed")),
    Metric("exposed_smoke", "people who were in smoke", True, _field("exposed_smoke")),
    Metric("injured_smoke", "people who got out with a smoke dose of FED 0.3 or more", True,
           _field("injured_smoke")),
    Metric("trapped_locked_in", "people inside at the end whose ways out are shut or locked", True,
           _trapped("locked_in")),
    Metric("trapped_behind_threat", "people inside at the end cut off from safety by the threat", True,
           _trapped("behind_threat")),
    Metric("trapped_untenable", "people inside at the end cut off by untenable smoke", True,
           _trapped("untenable")),
    Metric("trapped_no_reason", "people inside at the end with an open way out (gridlock: should be 0)",
           True, _trapped("no_reason")),
    Metric("hid", "people who hid (run, hide or freeze)", None, _hiding("hid")),
    Metric("hidden_peak", "most people hiding at once", None, _hiding("hidden_peak")),
    Metric("hidden_end", "people still hiding at the end (trapped: hiding)", True, _hiding("hidden_end")),
    Metric("harmed_hidden", "people harmed while hiding (threat or smoke)", True, _hiding("harmed_hidden")),
    Metric("rset_s", "time the last person reached safety (s)", True, _field("rset_s")),
    Metric("t50_s", "time half the occupants were safe (s)", True, _field("t50_s")),
    Metric("t95_s", "time 95 % of the occupants were safe (s)", True, _field("t95_s")),
    Metric("posture", "security posture level at t = 0", False, _field("posture")),
    Metric("warning_reached_venue", "1 if a warning reached the venue before the event", False,
           lambda result: int(bool(result.warning_reached_venue))),
    Metric("t_warning_at_venue_s", "time the warning reached the venue (s, negative: before)", True,
           _field("t_warning_at_venue_s")),
    *(Metric(m.key, f"{m.description} (s)", None if m.name == "fire_start" else True, _time(m.name))
      for m in (_BY_NAME[n] for n in _STORED_MILESTONES)),
)
"""Every numeric metric of a run, in the store's column order."""

_METRIC_BY_NAME = {m.name: m for m in METRICS}


def metric(name: str) -> Metric:
    """The metric called `name` (KeyError names the known ones)."""
    try:
        return _METRIC_BY_NAME[name]
    except KeyError:
        raise KeyError(f"no metric {name!r}; known: {', '.join(_METRIC_BY_NAME)}") from None
