"""The summary `ttxsim run` prints: key figures, milestones, openings, zones and decisions.

Times are shown in seconds and as a clock (`754.2 s (12:34)`), because planners read
timelines in minutes but compare runs in seconds. rich is imported only when a summary is
printed.
"""

from __future__ import annotations

from typing import Any

from .metrics import SUMMARY_MILESTONES, milestone

__all__ = ["clock_text", "print_summary"]


def print_summary(res: dict[str, Any]) -> None:
    """Print a run's results (`Result.to_dict()` plus its decisions) as rich tables on stdout."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    header = Text()
    header.append(str(res.get("scenario", "")), style="bold")
    header.append(f" — protocol {res.get('protocol') or 'baseline'}, seed {res.get('seed')}")
    console.print(header)

    figures = Table(title="Key figures", title_justify="left", show_header=False)
    figures.add_column("figure")
    figures.add_column("value", justify="right")
    harmed = res.get("harmed", {})
    for label, value in (
        ("occupants", f"{res['occupants']:,}"),
        ("evacuated", f"{res['evacuated']:,}"),
        ("remaining", f"{res['remaining']:,}"),
        ("sheltering", f"{res.get('sheltered', 0):,}"),
        ("harmed by the threat", f"{harmed.get('threat', 0):,}"),
        ("harmed by smoke (FED)", f"{harmed.get('smoke', 0):,}"),
        ("exposed to the threat", f"{res.get('exposed', 0):,}"),
        ("RSET (last person safe)", _duration(res.get("rset_s"))),
        ("t50 (half safe)", _duration(res.get("t50_s"))),
        ("t95 (95 % safe)", _duration(res.get("t95_s"))),
    ):
        figures.add_row(label, value)
    console.print(figures)

    milestones: list[tuple[str, float]] = [
        (m.label, t) for m in map(milestone, SUMMARY_MILESTONES) if (t := res.get(m.key)) is not None]
    if milestones:
        timeline = Table(title="Milestones", title_justify="left", show_header=False)
        timeline.add_column("milestone")
        timeline.add_column("time", justify="right")
        for label, t in sorted(milestones, key=lambda m: m[1]):
            timeline.add_row(label, clock_text(t))
        for zone, t in sorted(res.get("t_untenable_s", {}).items(), key=lambda kv: kv[1]):
            timeline.add_row(f"untenable: {zone}", clock_text(t))
        console.print(timeline)

    openings = Table(title="Openings", title_justify="left")
    for column in ("id", "state", "passed", "peak queue", "first pass", "last pass"):
        openings.add_column(column, justify="left" if column in ("id", "state") else "right")
    rows = sorted(res.get("openings", {}).items(), key=lambda kv: (-kv[1]["passed"], kv[0]))
    for oid, o in rows:
        openings.add_row(Text(oid), str(o.get("state", "")), f"{o['passed']:,}",
                         f"{o['peak_queue']:,}", clock_text(o.get("first_pass_s")),
                         clock_text(o.get("last_pass_s")))
    console.print(openings)

    zones = Table(title="Zones", title_justify="left")
    for column in ("id", "initial", "peak", "final", "cleared at"):
        zones.add_column(column, justify="left" if column == "id" else "right")
    for zid, z in res.get("zones", {}).items():
        zones.add_row(Text(zid), f"{z['initial']:,}", f"{z['peak_occupancy']:,}",
                      f"{z['final']:,}", clock_text(z.get("cleared_s")))
    console.print(zones)

    if res.get("decisions"):
        decisions = Table(title="Decisions", title_justify="left")
        decisions.add_column("t", justify="right")
        decisions.add_column("action")
        for d in res["decisions"]:
            details = ", ".join(f"{k}: {_brief(v)}" for k, v in d.items() if k not in ("t", "action"))
            decisions.add_row(clock_text(d["t"]), Text(d["action"] + (f" ({details})" if details else "")))
        console.print(decisions)
    console.print(f"{res.get('events_count', 0):,} events")


def clock_text(seconds: float | None) -> str:
    """`754.2` → `12:34`; an hour or more → `1:02:03`; None → `—`."""
    if seconds is None:
        return "—"
    sign, total = ("-" if seconds < 0 else ""), round(abs(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return sign + (f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}")


def _duration(seconds: float | None) -> str:
    """`754.2` → `754.2 s (12:34)`; None → `—`."""
    if seconds is None:
        return "—"
    return f"{seconds:,.1f} s ({clock_text(seconds)})"


def _brief(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
