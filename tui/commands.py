"""The command palette's exercise commands (ctrl+p): everything the facilitator can do, by name.

The keys cover the common moves; the palette covers all of them: every model action valid
now (docs/model.md, actions: order an evacuation, open an exit, announce, dispatch, ...), delivering
any upcoming inject out of turn, choosing an option of the open decision, undoing the last one,
reading any inject, notes, evaluation and the report. The list is rebuilt each time the palette
opens, so it always matches the session's state.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

from .undo import last_decision

__all__ = ["ExerciseCommands"]

_Entry = tuple[str, Callable[[], object], str]


class ExerciseCommands(Provider):
    """Commands for the console screen: its actions, the session's actions, and the MSEL."""

    async def startup(self) -> None:
        """Gather the commands once per opening of the palette."""
        self._entries: list[_Entry] = self._gather()

    def _gather(self) -> list[_Entry]:
        from .screens.console import ConsoleScreen

        console = self.screen
        if not isinstance(console, ConsoleScreen):
            return []
        app, session = self.app, console.session
        run = console.run_action
        entries: list[_Entry] = [
            (
                "Next inject",
                partial(run, "next_inject"),
                "n · run the model until the next inject is delivered",
            ),
            ("Step 10 seconds", partial(run, "step(10)"), "s"),
            ("Step 1 minute", partial(run, "step(60)"), "m"),
            ("Run / pause in real time", partial(run, "toggle_run"), "space"),
            ("Change real-time speed", partial(run, "cycle_speed"), "x · ×1, ×10, ×60"),
            ("Jump to a time…", partial(run, "jump"), "j · T+00:05:00, T-2d or seconds"),
            ("Add a note…", partial(run, "note"), "o · attached to the inject on the card"),
            (
                "Evaluation…",
                partial(run, "evaluate"),
                "e · P/S/M/U ratings, observations, corrective actions",
            ),
            (
                "Write the after-action report (AAR/IP)",
                partial(run, "report"),
                "r · Markdown and HTML beside the journal",
            ),
            ("Help: keys and map legend", partial(run, "help"), "?"),
        ]
        last = last_decision(session.commands)
        if last is not None:
            entries.append(
                (
                    "Undo the players' last decision…",
                    partial(run, "undo"),
                    f"u · {last['inject']}: {last['option']} (asks first; the journal keeps both)",
                )
            )
        pending = console.pending_decision()
        if pending is not None:
            decision = pending.inject.decision
            entries.append(
                (
                    "Outcome preview of the open decision…",
                    partial(run, "preview"),
                    f"p · {pending.inject.id}: {decision.prompt}",
                )
            )
            for number, option in enumerate(decision.options, start=1):
                entries.append(
                    (
                        f"Choose {number}: {option.label}",
                        partial(app.choose, pending.inject.id, option.id),
                        f"{pending.inject.id}: {decision.prompt}",
                    )
                )
        for label, action in session.available_actions():
            entries.append(
                (
                    f"Action: {label}",
                    partial(app.apply_action, label, action),
                    "applied to the model now, and journaled",
                )
            )
        for state in session.injects:
            inject = state.inject
            if state.delivered_s is None:
                entries.append(
                    (
                        f"Deliver {inject.id} now: {inject.sender} → {inject.to}",
                        partial(app.deliver, inject.id),
                        "out of turn · " + inject.message.strip()[:90],
                    )
                )
        for state in session.injects:
            inject = state.inject
            entries.append(
                (
                    f"Read {inject.id}: {inject.sender} → {inject.to}",
                    partial(console.read_inject, inject.id),
                    f"{state.status} · {inject.message.strip()[:90]}",
                )
            )
        return entries

    async def discover(self) -> Hits:
        """Before anything is typed: the console's own commands and the open decision's options."""
        for name, callback, help_text in self._entries:
            if not name.startswith(("Action:", "Deliver", "Read")):
                yield DiscoveryHit(Content(name), callback, text=name, help=escape(help_text))

    async def search(self, query: str) -> Hits:
        """Everything, fuzzily matched."""
        matcher = self.matcher(query)
        for name, callback, help_text in self._entries:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, _highlight(matcher, name), callback, text=name, help=escape(help_text))


def _highlight(matcher: Matcher, name: str) -> Content:
    """The name with the matched letters marked, read literally.

    `Matcher.highlight` reads its candidate as markup, and the names carry scenario text (zone
    and inject names), which must show as written.
    """
    content = Content(name)
    score, offsets = matcher.fuzzy_search.match(matcher.query, name)
    for offset in offsets if score else ():
        if not name[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
