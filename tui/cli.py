"""The `ttxsim` command: the root group, gathering each package's own subcommands.

Each package owns its commands (`ttxsim.sim.commands`: validate, schema, run, msel;
`ttxsim.analysis.commands`: batch, sensitivity, compare, plot; `ttxsim.analysis.cli_plan`:
plan, animate; `ttxsim.analysis.cli_export`: export; `ttxsim.sim.floorplan`: import-plan, new;
this package: exercise, report and journal). The root sits here because the console is the top
of the stack: it may import the model and analysis, and neither of them may import it, so only
here can all three be gathered.

Importing this module loads click and the commands' definitions, not Textual, matplotlib,
rich, SALib or Dask: each command imports those when it runs, so `ttxsim --help` and
`ttxsim validate` start quickly.
"""

from __future__ import annotations

import click

from ttxsim.analysis import cli_export, cli_plan
from ttxsim.analysis import commands as analysis_commands
from ttxsim.sim import commands as sim_commands
from ttxsim.sim.floorplan import commands as floorplan_commands

from .cli_exercise import exercise
from .cli_journal import journal
from .cli_report import report

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, no_args_is_help=True)
@click.version_option(package_name="ttxsim", prog_name="ttxsim")
def cli() -> None:
    """Tabletop-exercise simulator: venue evacuation, incident and response in SimPy.

    Scenarios are YAML files (see `ttxsim schema`). Errors in them are reported as
    FILE:LINE:COL: field.path: message, and the command exits with status 2.
    """


for _command in (
    sim_commands.validate, sim_commands.schema, sim_commands.run, sim_commands.msel,
    analysis_commands.batch, analysis_commands.sensitivity, analysis_commands.compare,
    analysis_commands.plot, cli_export.export,
    exercise, report, journal, cli_plan.plan, cli_plan.animate,
    floorplan_commands.import_plan, floorplan_commands.new,
):
    cli.add_command(_command)


def main() -> None:
    """Entry point of the `ttxsim` console script."""
    cli(prog_name="ttxsim")


if __name__ == "__main__":
    main()
