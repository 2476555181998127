"""Taking back the players' last decision: the session rebuilt from its own journal without it.

The model is deterministic and the journal holds every command, so "as if the players had
never decided that" has one exact meaning: a fresh session that executes the same commands
minus that `choose`. Each `advance` runs to the time it reached when it was given, never
past it, so the clock ends where the room left it (earlier only if, without the decision, an
inject comes first and the run stops there, as it would have). What follows from time passing
is recomputed, not copied: a deadline passed since the decision applies its default now.

Defaults are not the players' decisions and are never undone by themselves; `u` takes back the
latest `choose` still standing, and repeated undos go further back. The undo is a command of
its own, appended to the journal (`{"cmd": "undo", "inject", "option"}`) with an `undone` record
that replay checks; the journal's lines are never rewritten, so resuming or replaying a journal
with an undo rebuilds the same session.
"""

from __future__ import annotations

from typing import Any

from .clock import format_clock
from .replay import SessionError

__all__ = ["KEPT_ON_UNDO", "effective_commands", "last_decision", "nothing_to_undo", "take_back"]

KEPT_ON_UNDO = frozenset({"commands", "records", "journal", "journal_path", "notices", "started_wall",
                          "ended_wall"})
"""Session attributes that belong to the journal, not to the played state: an undo keeps them.

Everything else (the model, the MSEL, the log, the applied actions, the evaluation) comes from
the rebuilt session, so state added to the session later is rebuilt too, without a list here."""


def effective_commands(commands: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The commands the session now stands on: all but the undos and the decisions they took back."""
    kept: list[dict[str, Any]] = []
    for entry in commands:
        if entry.get("cmd") != "undo":
            kept.append(entry)
            continue
        index = _last_choice(kept)
        if index is not None:
            del kept[index]
    return kept


def last_decision(commands: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The players' latest decision still standing (its `choose` command), or None."""
    kept = effective_commands(commands)
    index = _last_choice(kept)
    return kept[index] if index is not None else None


def nothing_to_undo(session: Any) -> str:
    """Why `u` has nothing to take back, and what to do about a default instead."""
    defaults = [s.inject.id for s in session.injects if s.chosen_by == "default"]
    text = "Nothing to undo: the players have taken no decision that still stands."
    if defaults:
        text += (f" Defaults applied at a deadline ({', '.join(defaults)}) are not the players' decisions "
                 "and are not undone; apply a corrective action from the palette (ctrl+p) instead.")
    return text


def take_back(session: Any, entry: dict[str, Any]) -> None:
    """Execute an `undo` command: rebuild `session` without its last decision, in place.

    The rebuild runs on a fresh session; only if every command replays does the session take
    its state (nothing changes on a refusal, and a refused undo is never journaled).
    """
    decision = last_decision(session.commands)
    if decision is None:
        raise SessionError(nothing_to_undo(session))
    if (decision["inject"], decision["option"]) != (entry.get("inject"), entry.get("option")):
        raise SessionError(f"the last decision is {decision['inject']}: {decision['option']}, not "
                           f"{entry.get('inject')}: {entry.get('option')}")
    twin = type(session)(session.base_scenario, scenario_path=session.scenario_path,
                         protocol=session.protocol, seed=session.seed)
    for command in effective_commands(session.commands):
        if command is not decision:
            _replay_bounded(twin, command, decision)
    for state in twin.injects:  # shown anew by the undo, if not before
        if state.delivered_s is not None:
            twin.walls.delivered[state.inject.id] = session.walls.delivered.get(
                state.inject.id, entry.get("wall") or "")
    for name, value in vars(twin).items():
        if name not in KEPT_ON_UNDO:
            setattr(session, name, value)
    session._record({"rec": "undone", "inject": decision["inject"], "option": decision["option"],
                     "t": decision.get("t")})
    option = session.inject(decision["inject"]).option(decision["option"])
    label = option.label if option else decision["option"]
    session._say("undo", f"{decision['inject']}: the players' decision “{label}” taken back; the session is "
                 "rebuilt without it")


def _replay_bounded(twin: Any, entry: dict[str, Any], decision: dict[str, Any]) -> None:
    """One command again on the twin; an advance goes no further than it went the first time."""
    command = {key: value for key, value in entry.items() if key not in ("recs", "reached")}
    if command["cmd"] == "advance" and "reached" in entry:
        command["to"] = entry["reached"]
    try:
        twin._execute(command)
    except Exception as exc:  # the later command depended on the decision: refuse the undo
        when = format_clock(entry["t"]) if isinstance(entry.get("t"), (int, float)) else "a later moment"
        raise SessionError(f"cannot take back {decision['inject']}: without it, the {entry['cmd']} given at "
                           f"{when} no longer applies ({exc})") from None
    twin.commands.append(entry)


def _last_choice(commands: list[dict[str, Any]]) -> int | None:
    return next((i for i in range(len(commands) - 1, -1, -1) if commands[i].get("cmd") == "choose"), None)
