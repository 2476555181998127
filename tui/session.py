"""An exercise session: the MSEL delivered over the running model, every step journaled.

A session is the one `Simulation` of the exercise plus what the exercise adds on top: which
injects were delivered when, what the players decided, the facilitator's own actions, notes
and the evaluation. Everything that changes it goes through a command (advance, choose,
apply, deliver, note, rate, ...) that is executed and then appended to the journal; replaying
a journal's commands in order on the same scenario text and seed rebuilds the session
exactly, because the model is deterministic and the commands are the only input
(docs/model.md: determinism, actions; docs/console.md: the journal). What follows from a
command (an inject coming due, a default applied at a deadline) is journaled on the command's
own line (`recs`), so the two reach the disk as one unit, and is checked on replay
(`replay.py`). A failed write stops the session (`JournalFailed`) until `move_journal` puts
the whole journal in another file.

The console (`tui/app.py`) only calls these methods; it has no model logic of its own.
"""

from __future__ import annotations

import math
import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ttxsim.sim import (
    BASELINE,
    ActionError,
    Scenario,
    Simulation,
    load_scenario,
    parse_action,
    parse_scenario,
    triggers_of,
)
from ttxsim.sim.conditions import Facts, facts_of
from ttxsim.sim.triggers import EVENT_KINDS
from ttxsim.sim.version import installed_version

from .action_menu import available_actions
from .applied import AppliedAction
from .clock import format_clock, parse_wall, wall_now
from .decision_times import DecisionWalls
from .evaluation import Evaluation, EvaluationError, LogLine, Note
from .journal import Journal, JournalError, JournalWriteError
from .msel import InjectState, Msel, delivery_line
from .replay import SessionError, open_header, read_checked, replay_commands
from .undo import last_decision, nothing_to_undo, take_back

__all__ = ["ExerciseSession", "InjectState", "JournalFailed", "SessionError", "format_clock"]


class JournalFailed(SessionError):
    """The journal could not be written: the session stops until the journal is moved elsewhere."""


class ExerciseSession:
    """The exercise's model, MSEL and records; build it with `start`, `resume` or `replay`."""

    def __init__(self, base_scenario: Scenario, *, scenario_path: str | os.PathLike,
                 protocol: str | None = None, seed: int = 0):
        protocol = protocol or BASELINE
        if protocol not in base_scenario.protocol_names:
            raise SessionError(f"unknown protocol {protocol!r}; this scenario has: "
                               f"{', '.join(base_scenario.protocol_names)}")
        self.base_scenario = base_scenario
        self.scenario_path = Path(scenario_path)
        self.scenario_sha256 = base_scenario.digest
        self.protocol, self.seed = protocol, seed
        times = [i.at for i in base_scenario.with_protocol(protocol).injects if i.at is not None]
        start = min(times) if times and min(times) < 0 else None
        self.sim = Simulation(base_scenario, protocol=protocol, seed=seed, start_s=start)
        self.scenario = self.sim.scenario
        self.msel = Msel(self.scenario.injects)
        self.injects = self.msel.states
        """The MSEL rows and what has become of them, in MSEL order."""
        self.log: list[LogLine] = []
        self.safe_series: list[tuple[float, int]] = []
        self.notes: list[Note] = []
        self.evaluation = Evaluation(self.scenario.exercise, self.scenario.injects)
        self.ratings = self.evaluation.ratings
        self.observations = self.evaluation.observations
        self.corrective_actions = self.evaluation.corrective_actions
        self.applied: list[AppliedAction] = []
        """Every action the exercise applied, with where it came from."""
        self.commands: list[dict[str, Any]] = []
        """The commands so far, as journaled: replaying them rebuilds this session."""
        self.records: list[dict[str, Any]] = []
        self.notices: list[str] = []
        """What the journal's reader noted (an old format, ...), for the console to say once."""
        self.journal: Journal | None = None
        self.journal_path: Path | None = None
        self.started_wall = datetime.now().astimezone()
        self.ended_wall: datetime | None = None
        self.walls = DecisionWalls()
        """When each inject reached the room and each decision was taken, by the wall clock."""
        self._seen_events = 0
        self._absorb()

    # -- opening a session ---------------------------------------------------------------

    @classmethod
    def start(cls, scenario_path: str | os.PathLike, *, protocol: str | None = None, seed: int = 0,
              journal_path: str | os.PathLike | None = None) -> ExerciseSession:
        """A new session on a scenario file, journaled from its first moment."""
        scenario = load_scenario(scenario_path)
        session = cls(scenario, scenario_path=scenario_path, protocol=protocol, seed=seed)
        if journal_path is None:
            stamp = session.started_wall.strftime("%Y%m%d-%H%M%S")
            journal_path = Path(f"exercise-{Path(scenario_path).stem}-{stamp}.jsonl")
        header = {"scenario_path": str(scenario_path), "scenario_sha256": session.scenario_sha256,
                  "scenario_text": scenario.source_text or "", "protocol": session.protocol, "seed": seed,
                  "started": session.started_wall.isoformat(timespec="seconds"),
                  "ttxsim": installed_version()}
        try:
            session.journal = Journal.create(journal_path, header)
        except JournalError as exc:
            raise SessionError(str(exc)) from None
        session.journal_path = Path(journal_path)
        return session

    @classmethod
    def resume(cls, scenario_path: str | os.PathLike, journal_path: str | os.PathLike, *,
               protocol: str | None = None, seed: int | None = None) -> ExerciseSession:
        """Rebuild a session from its journal and go on appending to it."""
        contents = read_checked(journal_path)
        header = contents.header
        scenario = load_scenario(scenario_path)
        if scenario.digest != header["scenario_sha256"]:
            raise SessionError(
                f"{journal_path}: this journal was written for another scenario text "
                f"({header.get('scenario_path')}, sha256 {header['scenario_sha256'][:12]}…), not "
                f"{scenario_path} (sha256 {scenario.digest[:12]}…); resume it with the scenario it was "
                "made with")
        for name, given, kept in (("protocol", protocol, header["protocol"]), ("seed", seed, header["seed"])):
            if given is not None and given != kept:
                raise SessionError(f"{journal_path}: the session was played with {name} {kept!r}, "
                                   f"not {given!r}")
        session = open_header(cls, scenario, scenario_path, contents, journal_path)
        try:
            session.journal = Journal.reopen(journal_path, contents)
            session.journal_path = Path(journal_path)
            session.journal.append({"rec": "resumed", "t": session.now, "wall": wall_now()})
        except JournalError as exc:
            session.close()
            raise SessionError(str(exc)) from None
        return session

    @classmethod
    def replay(cls, journal_path: str | os.PathLike) -> ExerciseSession:
        """A read-only copy of a journaled session, from the scenario text the journal carries."""
        contents = read_checked(journal_path)
        header = contents.header
        name = header.get("scenario_path") or str(journal_path)
        try:
            scenario = parse_scenario(header["scenario_text"], name)
        except Exception as exc:  # a damaged header: refused, never a traceback
            raise SessionError(f"{journal_path}:1: the scenario text in the header does not load "
                               f"({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})") from None
        session = open_header(cls, scenario, name, contents, journal_path)
        session.journal_path = Path(journal_path)
        return session

    def copy(self) -> ExerciseSession:
        """An unjournaled twin at the same moment, for looking ahead without moving this session."""
        twin = type(self)(self.base_scenario, scenario_path=self.scenario_path, protocol=self.protocol,
                          seed=self.seed)
        replay_commands(twin, self.commands, None, None)
        return twin

    # -- reading --------------------------------------------------------------------------

    @property
    def now(self) -> float:
        """The scenario clock, seconds from t = 0."""
        return self.sim.now

    @property
    def finished(self) -> bool:
        """The model has played out (everyone accounted for) or reached its horizon."""
        return self.sim.finished

    @property
    def at_horizon(self) -> bool:
        """The clock cannot go further."""
        return self.now >= self.sim.horizon_s

    def state(self):
        """The model's snapshot now (`SimState`)."""
        return self.sim.state()

    def clock(self) -> str:
        """The scenario clock as the room reads it: `T−16d 00:00:00`, `T+00:04:10`."""
        return format_clock(self.now)

    def wall_clock(self) -> datetime | None:
        """The real date and time the scenario clock stands for, if the scenario gives its start."""
        start = self.scenario.meta.start_time
        return start + timedelta(seconds=self.now) if start is not None else None

    def available_actions(self) -> list[tuple[str, dict]]:
        """Every action that can apply now, labelled for the command palette."""
        return available_actions(self.sim)

    @property
    def current(self) -> InjectState | None:
        """The inject delivered last."""
        return self.msel.current

    def inject(self, inject_id: str) -> InjectState:
        """The MSEL row with this id; SessionError if there is none."""
        state = self.msel.get(inject_id)
        if state is None:
            raise SessionError(f"no inject {inject_id!r} in this MSEL")
        return state

    def pending_decisions(self) -> list[InjectState]:
        """Delivered injects whose decision is still open, in MSEL order."""
        return self.msel.pending()

    def next_due(self) -> float | None:
        """The next time something is scheduled: an inject's delivery or a decision's deadline."""
        times = self.msel.upcoming_times()
        return min(times) if times else None

    def final_result(self):
        """The outcome of this session's decisions, played to the end on a twin (this clock stays)."""
        return self.copy().sim.run()

    # -- commands (each journaled) --------------------------------------------------------

    def step(self, seconds: float) -> list[InjectState]:
        """Advance by `seconds`, stopping early if an inject is delivered."""
        if not seconds > 0:
            raise SessionError("a step must be longer than zero")
        return self.run_to(self.now + seconds)

    def run_to(self, t: float, *, stop_at_injects: bool = True) -> list[InjectState]:
        """Advance to time `t`; with `stop_at_injects`, stop at the first inject delivered on the way."""
        if not math.isfinite(t):
            raise SessionError(f"cannot run to {t}")
        if t < self.now:
            raise SessionError(f"the clock is at {self.clock()}; the past cannot be re-run")
        return self._command({"cmd": "advance", "to": float(t), "stop_at_injects": bool(stop_at_injects)})

    def next_inject(self) -> list[InjectState]:
        """Run until the next inject is delivered (or to the horizon if none is left)."""
        return self.run_to(self.sim.horizon_s)

    def choose(self, inject_id: str, option_id: str) -> None:
        """The players' decision on an inject: apply the chosen option's actions now."""
        state = self.inject(inject_id)
        if state.inject.decision is None:
            raise SessionError(f"{inject_id} asks for no decision")
        if state.delivered_s is None:
            raise SessionError(f"{inject_id} has not been delivered yet")
        if state.choice is not None:
            raise SessionError(f"{inject_id} was already decided: {state.choice} ({state.chosen_by}); "
                               "take a players' decision back with undo (u in the console)")
        if state.option(option_id) is None:
            raise SessionError(f"{inject_id} has no option {option_id!r}")
        self._command({"cmd": "choose", "inject": inject_id, "option": option_id})

    def undo(self) -> InjectState:
        """Take back the players' last decision: the session is rebuilt without it (`tui/undo.py`)."""
        decision = last_decision(self.commands)
        if decision is None:
            raise SessionError(nothing_to_undo(self))
        self._command({"cmd": "undo", "inject": decision["inject"], "option": decision["option"]})
        return self.inject(decision["inject"])

    def apply(self, action: dict) -> None:
        """Apply any action now (the facilitator's command palette)."""
        try:
            parse_action(action)
        except ValidationError as exc:
            raise SessionError(f"invalid action {action!r}: {exc.errors()[0]['msg']}") from None
        self._command({"cmd": "apply", "action": dict(action)})

    def deliver_now(self, inject_id: str) -> None:
        """Deliver an inject now, out of its turn."""
        if self.inject(inject_id).delivered_s is not None:
            raise SessionError(f"{inject_id} was already delivered")
        self._command({"cmd": "deliver", "inject": inject_id})

    def note(self, text: str, inject_id: str | None = None) -> None:
        """A free-text note, attached to an inject if given."""
        if not text.strip():
            raise SessionError("an empty note")
        if inject_id is not None:
            self.inject(inject_id)
        self._command({"cmd": "note", "text": text.strip(), "inject": inject_id})

    def rate(self, objective_id: str, capability: str, rating: str) -> None:
        """The evaluator's HSEEP rating (P, S, M or U) of a capability under an objective."""
        self._evaluate(self.evaluation.rating_entry, objective_id, capability, rating)

    def mark(self, inject_id: str, number: int, mark: str) -> None:
        """The evaluator's met / partly / not met for an inject's expected action `number` (from 1)."""
        self._evaluate(self.evaluation.mark_entry, inject_id, number, mark)

    def observe(self, capability: str, kind: str, observation: str, analysis: str = "",
                recommendation: str = "", objective_id: str | None = None) -> None:
        """A strength or an area for improvement, under a core capability."""
        self._evaluate(self.evaluation.observation_entry, capability, kind, observation, analysis,
                       recommendation, objective_id)

    def add_corrective_action(self, capability: str, issue: str, action: str, element: str = "",
                              organisation: str = "", poc: str = "", start: str = "",
                              completion: str = "") -> None:
        """A row of the improvement plan."""
        self._evaluate(self.evaluation.corrective_entry, capability=capability, issue=issue, action=action,
                       element=element, organisation=organisation, poc=poc, start=start,
                       completion=completion)

    def _evaluate(self, make_entry, *args, **kwargs) -> None:
        try:
            entry = make_entry(*args, **kwargs)
        except EvaluationError as exc:
            raise SessionError(str(exc)) from None
        self._command(entry)

    def end(self) -> None:
        """Close the exercise (the journal says when); the session can still be read and reported."""
        self._command({"cmd": "end"})

    def close(self) -> None:
        """Close the journal file."""
        if self.journal is not None:
            self.journal.close()
            self.journal = None

    @property
    def journal_failure(self) -> str | None:
        """Why the journal stopped taking commands (a failed write), or None while it works."""
        failure = self.journal.failure if self.journal is not None else None
        return str(failure) if failure is not None else None

    def move_journal(self, path: str | os.PathLike) -> None:
        """Go on journaling in a new file, after a failed write: every line is copied there from memory.

        The old file is left as it was, resumable to the last command it holds.
        """
        if self.journal is None:
            raise SessionError("this session has no journal")
        try:
            self.journal = self.journal.move_to(path)
        except JournalError as exc:
            raise SessionError(str(exc)) from None
        self.journal_path = Path(path)

    # -- executing commands ---------------------------------------------------------------

    def _command(self, entry: dict[str, Any]):
        """Execute a command, then journal it with its consequences as one line (one atomic unit)."""
        if self.journal_failure is not None:
            raise JournalFailed(f"{self.journal_failure}. No command is taken until the journal goes on in "
                                "another file.")
        entry = {**entry, "t": self.now, "wall": wall_now()}
        first = len(self.records)
        result = self._execute(entry)
        if len(self.records) > first:
            entry["recs"] = self.records[first:]
        self.commands.append(entry)
        if self.journal is not None:
            try:
                self.journal.append(entry)
            except JournalWriteError as exc:
                raise JournalFailed(
                    f"{exc}. The clock is stopped; nothing is lost: the whole session is kept in memory. "
                    "Choose another file and the journal goes on there.") from None
        return result

    def _execute(self, entry: dict[str, Any]):
        first = len(self.records)
        result = self._perform(entry)
        self.walls.take(entry, self.records[first:])
        return result

    def _perform(self, entry: dict[str, Any]):
        kind = entry["cmd"]
        if kind == "advance":
            delivered = self._advance(entry["to"], entry.get("stop_at_injects", True))
            if "reached" in entry and entry["reached"] != self.now:
                raise SessionError(f"replay reached {self.now} instead of {entry['reached']}")
            entry["reached"] = self.now
            return delivered
        if kind == "choose":
            self._decide(self.inject(entry["inject"]), entry["option"], "players")
        elif kind == "apply":
            self._apply(entry["action"])
        elif kind == "deliver":
            self._deliver(self.inject(entry["inject"]), "out_of_turn")
        elif kind == "note":
            self.notes.append(Note(self.now, entry["text"], entry.get("inject"), entry.get("wall", "")))
            self._say("note", entry["text"])
        elif kind == "undo":
            take_back(self, entry)
        elif kind in ("rate", "mark", "observe", "corrective"):
            self.evaluation.check(entry)
            self.evaluation.record(entry)
        elif kind == "end":
            self.ended_wall = parse_wall(entry.get("wall")) or datetime.now().astimezone()
        else:
            raise SessionError(f"unknown journal command {kind!r}")
        return None

    def _record(self, record: dict[str, Any]) -> None:
        self.records.append(record)

    # -- the model under the MSEL ---------------------------------------------------------

    def _advance(self, to: float, stop_at_injects: bool) -> list[InjectState]:
        to = min(to, self.sim.horizon_s)
        delivered: list[InjectState] = []
        while True:
            # one at a time when stopping at injects: two due at the same moment are read in turn
            delivered += self._deliver_due(limit=1 if stop_at_injects else None)
            if (stop_at_injects and delivered) or self.now >= to:
                break
            target = min([to, *(t for t in self.msel.upcoming_times() if t > self.now)])
            before = self.now
            kinds = {EVENT_KINDS[trigger] for trigger in self.msel.awaited_triggers()}
            event = self.sim.run_until(target, stop_on=kinds)
            self._absorb()
            if event is None and self.now <= before:
                break
        self._record_safe()
        return delivered

    def _absorb(self) -> None:
        """Take the model's new events into the log and fire the triggers they carry."""
        events = self.sim.events
        for event in events[self._seen_events:]:
            self.log.append(LogLine(event.t, event.kind, _describe(event), event.zone, "model"))
            for trigger in triggers_of(event, self.scenario):
                self.msel.fire(trigger, event.t)
        self._seen_events = len(events)

    def _deliver_due(self, limit: int | None = None) -> list[InjectState]:
        for state in self.msel.expired(self.now):
            self._decide(state, state.inject.decision.default, "default")
        delivered: list[InjectState] = []
        for state in self.msel.due(self.now):
            if limit is not None and len(delivered) >= limit:
                break
            if self._deliver(state, "scheduled" if state.inject.at is not None else "triggered"):
                delivered.append(state)
        return delivered

    def _deliver(self, state: InjectState, how: str) -> bool:
        """Deliver an inject as its condition says (`Msel.deliver`); False if it was skipped."""
        if state.delivered_s is not None:
            raise SessionError(f"{state.inject.id} was already delivered")
        record = self.msel.deliver(state, self.facts(), self.now, how)
        self._say("inject", delivery_line(state, how))
        self._record(record)
        return record["rec"] == "delivered"

    def facts(self) -> Facts:
        """What conditions and live values read now: the model's state and the decisions so far."""
        return facts_of(self.sim, {s.inject.id: s.choice for s in self.injects if s.choice is not None})

    def _decide(self, state: InjectState, option_id: str, by: str) -> None:
        option = state.option(option_id)
        state.choice, state.chosen_s, state.chosen_by = option_id, self.now, by
        who = "players chose" if by == "players" else "deadline passed; default"
        self._say("decision", f"{state.inject.id}: {who} “{option.label}”")
        if by == "default":
            self._record({"rec": "default", "inject": state.inject.id, "option": option_id, "t": self.now})
        for action in option.actions:
            try:
                self._apply(action, state.inject.id, option_id)
            except SessionError as exc:
                self._say("action_failed", f"{state.inject.id}: {exc}")

    def _apply(self, action: dict, inject: str | None = None, option: str | None = None) -> None:
        try:
            self.sim.apply(parse_action(action))
        except (ActionError, ValidationError) as exc:
            raise SessionError(f"cannot apply {action.get('action')}: {exc}") from None
        self.applied.append(AppliedAction(self.now, dict(action), inject, option))
        self._absorb()

    def _say(self, kind: str, text: str) -> None:
        self.log.append(LogLine(self.now, kind, text, None, "exercise"))

    def _record_safe(self) -> None:
        if self.sim.begun and (not self.safe_series or self.safe_series[-1][0] < self.now):
            self.safe_series.append((self.now, self.sim.state().safe))


def _describe(event) -> str:
    where = ", ".join(x for x in (event.zone, event.opening) if x)
    text = event.kind.replace("_", " ")
    if event.detail:
        text += f": {event.detail}"
    return f"{text} [{where}]" if where else text
