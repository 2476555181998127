"""The fuzz suite: mutated scenario, decisions, MSEL and journal files fed to the real `ttxsim`.

Each kind of input has a deterministic mutation generator (`scenarios.py`, `decisions.py`,
`msel.py`, `journals.py`): case *n* of a kind is built from `random.Random("<kind>:<n>")`
over the shipped files, so a case number reproduces its input exactly on any machine.
`check.py` runs the commands in process through click's `CliRunner` and says what went
wrong: an exception escaping a command, a traceback or an "internal" error in the output, an
exit status other than 0 or 2, a message that is not located, a file that should not have
changed. `test_fuzz.py` runs a fixed subset in CI; `python -m tests.fuzz.run` (`make fuzz`)
runs thousands and prints a summary. Cases that fail today are listed, with why, in
`known_failures.py`: the one place to empty as the fixes land.
"""
