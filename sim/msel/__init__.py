"""HSEEP MSEL spreadsheets: import a CSV export as injects, export injects as a CSV.

An exercise's Master Scenario Events List is usually kept in a spreadsheet with the HSEEP
template's columns (Event Number, Designated Scenario Time, Event Type, Inject Mode, From,
To, Message, Expected Player Action, Objective, Notes). `import_msel` reads such a sheet
saved as CSV (comma, semicolon or tab separated; UTF-8 with or without Excel's byte-order
mark, UTF-16 "Unicode text", or Windows-1252) and returns inject mappings that validate as
`ttxsim.sim.scenario.injects.Inject`; `export_msel` writes injects back in those columns;
`dump_injects_yaml` writes imported injects as a scenario file's `injects:` section.

Times (see `parse_msel_time`) become seconds relative to the event start (t = 0):
`T+00:04:00`, `T-14d`, `+ 00:09:00`, elapsed `00:04:00` or `0:04` (hours:minutes),
`45m`, `Day 0 19:55`, `D-1 10:00`, `2024-03-22 19:55`, `22/03/2024 19:55`,
`3/22/2024 7:55 PM`, and `on first_detection` or `on first_detection + 00:02:00`.
Days and dates need the event start (its date and time of day).

One job a module: `times` (time cells), `sheet` (encodings, delimiter, records), `columns`
(the template's vocabulary), `importer`, `export` and `yaml_out`. Files are written with
`ttxsim.sim.atomic.write_atomic`.
"""

from ..atomic import write_atomic
from .columns import COLUMNS, EXPORT_COLUMNS
from .export import export_msel
from .importer import MAX_INJECTS, import_msel
from .times import MSEL_TIME_FORMS, parse_msel_time
from .yaml_out import dump_injects_yaml

__all__ = [
    "COLUMNS",
    "EXPORT_COLUMNS",
    "MAX_INJECTS",
    "MSEL_TIME_FORMS",
    "dump_injects_yaml",
    "export_msel",
    "import_msel",
    "parse_msel_time",
    "write_atomically",
]

write_atomically = write_atomic
"""The shared atomic writer under its former name here, which `ttxsim msel import` uses."""
