"""HSEEP MSEL export: injects written as a CSV sheet that Excel opens and `import_msel` reads back.

The sheet has the HSEEP template's columns and ttxsim's (`EXPORT_COLUMNS`: conditions, the
decision, the alternative), one row per inject. It is UTF-8 with a byte-order mark and CRLF
line ends (so Excel reads it as UTF-8), and is defused against CSV injection:
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
from ..scenario.injects import Decision, Inject
from ..scenario.times import format_scenario_time
from .cells import write_list, write_text
from .columns import EXPORT_FIELDS, EXPORT_NAMES, KIND_LABELS, OPTIONAL_FIELDS
from .decision_cells import write_option_actions, write_options
from .row import NONE_CELL
from .times import format_msel_duration

__all__ = ["export_msel"]


def export_msel(injects: Iterable[Inject | Mapping[str, Any]], path: str | os.PathLike, *,
                event_start: datetime | None = None) -> None:
    """Write injects as an HSEEP MSEL CSV (UTF-8 with BOM and CRLF, as Excel expects).

    Columns are `EXPORT_COLUMNS` (the HSEEP template's, then When, Unless, the decision's and
    Otherwise Message), and the alternative's other `Otherwise ...` columns that some inject
    uses. Times are written as `T+00:04:00` / `T-14d`, or as a date and time
    `2024-03-22 19:55:00` (the event's local time) when `event_start` is given; `on:` injects
    as `on first_detection` or `on first_detection + 00:02:00`. Lists are written one item a
    line; a decision's options as `id: label` lines and their actions as `id: action
    key=value` lines (`decision_cells`). Cells that a spreadsheet would run as a formula
    (starting with `=`, `+`, `-`, `@`, tab or CR) get a leading `'`, which `import_msel`
    removes; so do the cells it would otherwise change (see `cells.write_text`).

    Everything survives `export_msel` → `import_msel` unchanged, decisions, conditions and
    alternatives included, except a line break inside one expected action or question (items
    are lines) and an empty sender or channel (an empty cell reads as the default). The file
    is written atomically (`ttxsim.sim.atomic.write_atomic`).
    """
    rows = [_cells(item if isinstance(item, Inject) else Inject.model_validate(item), event_start)
            for item in injects]
    fields = [*EXPORT_FIELDS, *(f for f in OPTIONAL_FIELDS if any(row.get(f) for row in rows))]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([EXPORT_NAMES[f] for f in fields])
    for row in rows:
        writer.writerow([row.get(f, "") for f in fields])
    write_atomic(path, buffer.getvalue(), encoding="utf-8-sig")


def _cells(inject: Inject, event_start: datetime | None) -> dict[str, str]:
    """An inject's cells by column key (see `columns.EXPORT_NAMES`)."""
    cells = {
        "id": write_text(inject.id), "at": write_text(_export_time(inject, event_start)),
        "kind": KIND_LABELS[inject.kind], "channel": write_text(inject.channel),
        "from": write_text(inject.sender), "to": write_text(inject.to), "message": write_text(inject.message),
        "expected_actions": write_list(inject.expected_actions), "objective": write_text(inject.objective),
        "questions": write_list(inject.questions), "notes": write_text(inject.notes),
        "when": write_text(inject.when or ""), "unless": write_text(inject.unless or ""),
        **_decision_cells(inject.decision, ""),
    }
    if (other := inject.otherwise) is not None:
        cells.update(_decision_cells(other.decision, "otherwise_"))
        values = {"message": other.message, "from": other.sender, "to": other.to, "channel": other.channel,
                  "objective": other.objective, "notes": other.notes}
        for field, text in values.items():
            if text is not None:
                cells[f"otherwise_{field}"] = write_text(text) if text else NONE_CELL
        if other.kind is not None:
            cells["otherwise_kind"] = KIND_LABELS[other.kind]
        for field, items in (("expected_actions", other.expected_actions), ("questions", other.questions)):
            if items is not None:
                cells[f"otherwise_{field}"] = write_list(items) if items else NONE_CELL
    return cells


def _decision_cells(decision: Decision | None, prefix: str) -> dict[str, str]:
    if decision is None:
        return {}
    options = [o.model_dump() for o in decision.options]
    return {f"{prefix}decision": write_text(decision.prompt),
            f"{prefix}options": write_text(write_options(options)),
            f"{prefix}option_actions": write_text(write_option_actions(options)),
            f"{prefix}default": write_text(decision.default),
            f"{prefix}deadline": format_msel_duration(decision.deadline_s)}


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
