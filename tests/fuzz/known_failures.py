"""Fuzz cases that fail today, and why: the one list to empty as the hardening fixes land.

Keys are case names (`kind:number`, as `python -m tests.fuzz.run --only` takes them); values
say what fails. The CI subset (`test_fuzz.py`) marks these cases `xfail(strict=False)`, so a
fix makes them pass without failing the suite; delete an entry once its case passes. `make
fuzz` lists every failing case, these and the others, grouped by symptom.
"""

KNOWN_FAILURES: dict[str, str] = {
    # Scenario files: `ttxsim validate` catches the exception but prints "(internal) ... bug in ttxsim".
    "scenario:73": "validate: internal ReaderError: a raw control character (\\x0c) is refused by PyYAML's "
    "reader, outside the loader's try",
    "scenario:191": "validate: internal ValueError: `!!float abc` (a constructor error, not a YAMLError)",
    "scenario:302": "validate: internal ValueError: timestamp `2024-13-45T99:99:99` (month must be in 1..12)",
    "scenario:395": "validate: internal ValueError: a 5,000-digit integer exceeds Python's int-to-text limit",
    "scenario:495": "validate: internal AttributeError: `!!timestamp notadate` (None has no groupdict)",
    "scenario:835": "validate: internal KeyError: `!!bool maybe`",
    "scenario:238": "validate: a 3,000,000-character value quoted whole in a located message",
    # Decisions files: `ttxsim run --decisions` lets the exception escape.
    "decisions:65": "run --decisions: traceback KeyError: `!!bool maybe` (sim/scenario/loader.py:163)",
    "decisions:164": "run --decisions: traceback ReaderError: a raw ESC character (scenario/loader.py:101)",
    "decisions:192": "run --decisions: traceback ValueError: a 5,000-digit time (scenario/loader.py:163)",
    "decisions:195": "run --decisions: traceback ActionError: forward_warning to an unknown agency passes "
    "validation and fails in the run (sim/simulation.py:268)",
    "decisions:23": "run --decisions: a 10,000-character action name quoted whole in a located message",
    # MSEL sheets: `ttxsim msel import`.
    "msel:9": "msel import: traceback OverflowError: `0001-01-01 00:00` with the event start's UTC offset "
    "(sim/msel/times.py:182)",
    "msel:78": "msel import: a 10,000-character time cell quoted whole in a located message",
    # Journals: `ttxsim report --journal` and resuming (`open_session`).
    "journal:24": "report and resume: traceback RecursionError: a JSON line 1,000 deep (tui/journal.py:90)",
    "journal:103": "report and resume: traceback AttributeError: an `apply` entry whose action is not a "
    "mapping (tui/session.py:437)",
    "journal:127": "report: traceback ReaderError: the header's scenario text holds a control character "
    "(parse_scenario outside the report's except)",
    "journal:134": "report: traceback ScenarioError: an invalid scenario text (its sha256 matching); "
    "also located in the scenario file, not the journal",
    "journal:191": "report: traceback TypeError: a `note` entry whose text is not a string "
    "(analysis/document.py:92)",
    "journal:263": "report: traceback TypeError: a header's scenario_path a number (tui/session.py:64)",
    "journal:12": "report and resume: `unknown protocol 'nope'` from the journal's header, without the "
    "journal's name or line",
    "journal:258": "report and resume: a 1,000,000-character `reached` value quoted whole in the message",
}
