"""HSEEP MSEL spreadsheets: import a CSV export as injects, export injects as a CSV.

An exercise's Master Scenario Events List is usually kept in a spreadsheet with the HSEEP
template's columns (Event Number, Designated Scenario Time, Event Type, Inject Mode, From,
To, Message, Expected Player Action, Objective, Notes). `import_msel` reads such a sheet
saved as CSV (comma, semicolon or tab separated; UTF-8 with or without Excel's byte-order
mark, UTF-16 "Unicode text", or Windows-1252) and returns inject mappings that validate as
`ttxsim.sim.scenario.injects.Inject`; `export_msel` writes injects back in those columns and
in ttxsim's own (When, Unless, Decision, Options, Option Actions, Default, Deadline,
Otherwise ...), so that a trainer edits the whole MSEL, decisions and conditions included, in
a spreadsheet; `dump_injects_yaml` writes imported injects as a scenario file's `injects:`
section, and `replace_injects` puts them into a scenario file in place of its own.

Times (see `parse_msel_time`) become seconds relative to the event start (t = 0), read as
HSEEP MSELs write them: `T+0:15` (hours:minutes), `T+0:04:30`, `T-14d`, `+ 0:09`, `45m`;
times of day `20:12`, `T-7d 10:00`, `Day 0 19:55`, `D-1 10:00`; dates `2024-03-22 19:55`,
`22/03/2024 19:55`, `3/22/2024 7:55 PM`; and `on first_detection + 0:02`. Times of day,
days and dates need the event start (its date and time of day). Event numbers are the
inject ids as written (`10a`), and every text survives export then import unchanged.

One job a module: `times` (time cells), `cells` (a cell's text, defused and read back
exactly), `decision_cells` (options and their actions in cells), `sheet` (encodings,
delimiter, records), `columns` (the template's vocabulary), `importer` (the sheet), `row`
(one record), `export`, `yaml_out`, `into` (a scenario's injects replaced in place, its text
kept), `changes` (what an import changes) and `update` (the import into a scenario, checked
whole). Files are written with `ttxsim.sim.atomic.write_atomic`.
"""

from ..atomic import write_atomic
from .changes import InjectChanges, compare_injects
from .columns import COLUMNS, EXPORT_COLUMNS
from .export import export_msel
from .importer import MAX_INJECTS, ImportedSheet, import_msel, read_msel
from .into import replace_injects
from .times import MAX_OFFSET_DAYS, MSEL_TIME_FORMS, parse_msel_time
from .update import ScenarioUpdate, update_scenario
from .yaml_out import dump_inject_items, dump_injects_yaml

__all__ = [
    "COLUMNS",
    "EXPORT_COLUMNS",
    "MAX_INJECTS",
    "MAX_OFFSET_DAYS",
    "MSEL_TIME_FORMS",
    "ImportedSheet",
    "InjectChanges",
    "ScenarioUpdate",
    "compare_injects",
    "dump_inject_items",
    "dump_injects_yaml",
    "export_msel",
    "import_msel",
    "parse_msel_time",
    "read_msel",
    "replace_injects",
    "update_scenario",
    "write_atomically",
]

write_atomically = write_atomic
"""The shared atomic writer under its former name here, which `ttxsim msel import` uses."""
