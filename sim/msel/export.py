"""HSEEP MSEL export: injects written as a CSV sheet that Excel opens and `import_msel` reads back.

The sheet has the HSEEP template's columns (`EXPORT_COLUMNS`), is UTF-8 with a byte-order
mark and CRLF line ends (so Excel reads it as UTF-8), and is defused against CSV injection:
a cell that a spreadsheet would run as a formula gets a leading `'` (see `cells`, which also
marks the cells that the import would otherwise trim, so that every text reads back exactly).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from ..atomic import write_atomic
from ..scenario.injects import Inject
from ..scenario.times import format_scenario_time
from .cells import write_list, write_text
from .columns import EXPORT_COLUMNS, KIND_LABELS

__all__ = ["export_msel"]


def export_msel(injects: Iterable[Inject | Mapping[str, Any]], path: str | os.PathLike, *,
                event_start: datetime | None = None) -> None:
    """Write injects as an HSEEP MSEL CSV (UTF-8 with BOM and CRLF, as Excel expects).

    Columns are `EXPORT_COLUMNS`. Times are written as `T+00:04:00` / `T-14d`, or as a date
    and time `2024-03-22 19:55:00` (the event's local time) when `event_start` is given;
    `on:` injects as `on first_detection` or `on first_detection + 00:02:00`. Lists are
    written one item a line. Cells that a spreadsheet would run as a formula (starting with
    `=`, `+`, `-`, `@`, tab or CR) get a leading `'`, which `import_msel` removes; so do the
    cells it would otherwise change (see `cells.write_text`).

    A decision has no HSEEP column: a readable summary of it (prompt, options, default,
    deadline) is appended to the Notes. Importing that summary back is not supported: the
    re-imported inject keeps the summary as notes text and has no decision. Everything else
    survives `export_msel` → `import_msel` unchanged, except a line break inside one expected
    action or question (items are lines) and an empty sender or channel (an empty cell reads
    as the default). The file is written atomically (`ttxsim.sim.atomic.write_atomic`).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(EXPORT_COLUMNS)
    for item in injects:
        inject = item if isinstance(item, Inject) else Inject.model_validate(item)
        notes = inject.notes
        if inject.decision is not None:
            notes = "\n\n".join(n for n in (notes, _decision_summary(inject)) if n)
        texts = [inject.id, _export_time(inject, event_start), KIND_LABELS[inject.kind], inject.channel,
                 inject.sender, inject.to, inject.message]
        writer.writerow([*map(write_text, texts), write_list(inject.expected_actions),
                         write_text(inject.objective), write_list(inject.questions), write_text(notes)])
    write_atomic(path, buffer.getvalue(), encoding="utf-8-sig")


def _export_time(inject: Inject, event_start: datetime | None) -> str:
    if inject.on is not None:
        if not inject.delay_s:
            return f"on {inject.on}"
        return f"on {inject.on} + {format_scenario_time(inject.delay_s)[2:]}"
    assert inject.at is not None
    if event_start is None:
        return format_scenario_time(inject.at)
    try:
        if event_start.tzinfo is None:
            moment = event_start + timedelta(seconds=inject.at)
        else:
            moment = event_start.astimezone(UTC) + timedelta(seconds=inject.at)
            moment = moment.astimezone(event_start.tzinfo)
    except OverflowError:  # no date that far from the start: the offset still says when
        return format_scenario_time(inject.at)
    spec = "seconds" if moment.microsecond == 0 else "milliseconds"
    return moment.replace(tzinfo=None).isoformat(sep=" ", timespec=spec)


def _decision_summary(inject: Inject) -> str:
    decision = inject.decision
    assert decision is not None
    options = "; ".join(f"{o.id} = {o.label}" for o in decision.options)
    return (f"Decision (not imported from this sheet): {decision.prompt} Options: {options}. "
            f"Default: {decision.default} after {format_scenario_time(decision.deadline_s)[2:]}.")
