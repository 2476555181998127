"""A session's decisions as a decisions file: the room's choices, ready to run over many futures.

What the players chose, what the deadlines chose for them and what the facilitator applied of
their own accord are, for the model, timed actions; written as a decisions file (the mapping
form of docs/scenario-format.md, decisions files) they run again with `ttxsim run --decisions`
and `ttxsim batch --decisions`. Each item is an action the session actually applied, at the
moment it applied it (seconds, written in full so the time is the same float), with where it
came from: the inject, its option, who decided (`players`, `default`, `facilitator`) and when
the inject was delivered. An action that failed in the session is left out, as it changed
nothing. Run with the session's protocol and seed, the file gives the session's own result.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from ttxsim.sim import parse_action
from ttxsim.sim.decisions import PROVENANCE_FIELDS, Decision

from .clock import format_clock

__all__ = ["decisions_of", "session_decisions", "write_decisions"]


def decisions_of(session: Any) -> list[dict[str, Any]]:
    """Every action the session applied, as decisions-file items, in the order applied."""
    states = {s.inject.id: s for s in session.injects}
    items = []
    for applied in session.applied:
        item: dict[str, Any] = {"t": float(applied.t), **applied.action}
        state = states.get(applied.inject) if applied.inject is not None else None
        if state is None:
            item["by"] = "facilitator"
        else:
            item.update(inject=applied.inject, option=applied.option, by=state.chosen_by or "players")
            if state.delivered_s is not None:
                item["delivered"] = float(state.delivered_s)
        items.append(item)
    return items


def write_decisions(session: Any, out_path: str | os.PathLike) -> Path:
    """Write the session's decisions file (YAML) to `out_path`, replacing it whole.

    Raises:
        OSError: The file cannot be written (nothing is left half-written).
    """
    out_path = Path(out_path)
    header = {"scenario": session.scenario.meta.name, "scenario_sha256": session.scenario_sha256,
              "protocol": session.protocol, "seed": session.seed}
    lines = [f"# The decisions of the exercise session in {session.journal_path or 'memory'}, as timed",
             "# actions: `ttxsim run --decisions` or `ttxsim batch --decisions` with this protocol",
             "# (and seed) runs them again. Times are seconds from t = 0, written in full.",
             yaml.safe_dump(header, sort_keys=False, allow_unicode=True).rstrip(), "decisions:"]
    items = decisions_of(session)
    for item in items:
        who = item.get("by")
        where = f" {item['inject']} → {item['option']}" if "inject" in item else ""
        lines.append(f"  # {format_clock(item['t'])}{where} ({who})")
        lines.append("  - " + yaml.safe_dump(_ordered(item), default_flow_style=True, sort_keys=False,
                                               allow_unicode=True, width=10_000).strip())
    if not items:
        lines[-1] = "decisions: []  # nothing was decided or applied in this session"
    temporary = out_path.with_name(f".{out_path.name}.tmp")
    try:
        temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
        os.replace(temporary, out_path)
    finally:
        temporary.unlink(missing_ok=True)
    return out_path


def _ordered(item: dict[str, Any]) -> dict[str, Any]:
    """Time, then the action's fields, then where it came from: as a person reads the item."""
    tail = {k: item[k] for k in PROVENANCE_FIELDS if k in item}
    return {k: v for k, v in item.items() if k not in tail} | tail


def session_decisions(session: Any) -> list[Decision]:
    """The session's decisions as the model plays them (`ttxsim.sim.decision_play`), in time order."""
    out = []
    for item in decisions_of(session):
        action = {k: v for k, v in item.items() if k != "t" and k not in PROVENANCE_FIELDS}
        out.append(Decision(item["t"], parse_action(action), inject=item.get("inject"),
                            option=item.get("option"), by=item.get("by"), due_s=item.get("delivered")))
    return sorted(out, key=lambda d: d.t)
