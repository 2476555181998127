"""The exercise clock as the room reads it, and wall-clock stamps for the journal."""

from __future__ import annotations

from datetime import datetime

__all__ = ["format_clock", "format_duration", "parse_wall", "wall_now"]


def format_clock(t: float) -> str:
    """`T−16d 00:00:00`, `T−02:00:00`, `T+00:04:10`, `T+1d 02:00:00` (whole seconds)."""
    sign = "−" if t < 0 else "+"
    total = round(abs(t))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    hms = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    return f"T{sign}{days}d {hms}" if days else f"T{sign}{hms}"


def wall_now() -> str:
    """Now on this machine, as an ISO time with its UTC offset (for journal entries)."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def parse_wall(text: str | None) -> datetime | None:
    """A journal's ISO time back as a datetime; None if absent or unreadable."""
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def format_duration(seconds: float) -> str:
    """A span as people say it: `45 s`, `3 min 05 s`, `2.5 h`, `3.0 days`."""
    seconds = round(seconds)
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 2 * 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"
