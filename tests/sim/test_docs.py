"""The documentation (README.md and docs/): current with the code, complete, and self-contained.

A user who clones the repository must be able to read every page it links to, and what the
pages say about the scenario format, the commands, the metrics and the console's keys must
match the code. Each failure says what to fix.
"""

import importlib
import importlib.metadata
import re
import unicodedata
from pathlib import Path

import click
import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
REGENERATE = ".venv/bin/python -m ttxsim.sim.scenario.reference --write docs/scenario-format.md"

FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$", re.MULTILINE)


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# -- the scenario format ----------------------------------------------------------------------


def test_scenario_format_reference_matches_the_schema():
    from ttxsim.sim.scenario.reference import update_document

    text = read(DOCS / "scenario-format.md")
    if update_document(text) != text:
        pytest.fail(f"docs/scenario-format.md is out of date with the scenario schema; regenerate it:\n"
                    f"  {REGENERATE}")


def test_scenario_format_examples_are_valid(tmp_path):
    from ttxsim.sim import load_scenario, parse_scenario
    from ttxsim.sim.decisions import load_decisions

    blocks = re.findall(r"^```yaml\n(.*?)^```", read(DOCS / "scenario-format.md"), re.MULTILINE | re.DOTALL)
    scenario, decisions = blocks[0], blocks[1]
    assert parse_scenario(scenario, "docs/scenario-format.md (example)").protocol_names == [
        "baseline", "side_exit_open"]
    path = tmp_path / "decisions.yaml"
    path.write_text(decisions, encoding="utf-8")
    reference = load_scenario(ROOT / "scenarios" / "concert_hall.yaml")
    assert [d.action.action for d in load_decisions(path, scenario=reference)] == [
        "raise_posture", "open_openings", "announce"]


# -- the command line -------------------------------------------------------------------------


def cli_group() -> click.Group:
    """The `ttxsim` click group, found from the installed console script (wherever it lives)."""
    scripts = importlib.metadata.entry_points(group="console_scripts")
    entry = next((e for e in scripts if e.name == "ttxsim"), None)
    if entry is None:
        pytest.fail("no `ttxsim` console script: install the project (make setup)")
    target = entry.load()
    if isinstance(target, click.Group):
        return target
    module = importlib.import_module(entry.module)  # the script is a main() beside its group
    groups = [v for v in vars(module).values() if isinstance(v, click.Group)]
    children = {id(c) for g in groups for c in g.commands.values()}
    roots = [g for g in groups if id(g) not in children]
    assert len(roots) == 1, f"cannot tell the `ttxsim` group among {[g.name for g in groups]}"
    return roots[0]


def commands(group: click.Group, prefix: tuple[str, ...] = ("ttxsim",)):
    for name, command in sorted(group.commands.items()):
        if command.hidden:
            continue
        path = (*prefix, name)
        yield path, command
        if isinstance(command, click.Group):
            yield from commands(command, path)


def sections(text: str) -> dict[str, str]:
    """`## heading` → its text, headings without their backticks."""
    parts = re.split(r"^## +(.*)$", text, flags=re.MULTILINE)
    return {parts[i].replace("`", "").strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def test_every_command_and_option_is_in_the_cli_page():
    page = sections(read(DOCS / "cli.md"))
    missing = []
    for path, command in commands(cli_group()):
        name = " ".join(path)
        if isinstance(command, click.Group):
            if not any(h == name or h.startswith(name + " ") for h in page):
                missing.append(f"a section for `{name}` (or its subcommands)")
            continue
        if name not in page:
            missing.append(f"a section `## \\`{name}\\``")
            continue
        for param in command.params:
            if not isinstance(param, click.Option) or param.hidden:
                continue
            flag = max(param.opts, key=len)
            if flag not in page[name]:
                missing.append(f"option {flag} in the section `{name}`")
    assert not missing, "docs/cli.md lacks: " + "; ".join(missing)


# -- the results store and the console --------------------------------------------------------


def test_every_metric_is_in_the_results_store_page():
    from ttxsim.sim.metrics import METRICS

    text = read(DOCS / "results-store.md")
    missing = [m.name for m in METRICS if f"`{m.name}`" not in text]
    assert not missing, f"docs/results-store.md does not describe the metrics {missing}"


def test_every_console_key_is_in_the_console_page():
    from ttxsim.tui.screens.console import ConsoleScreen

    text = read(DOCS / "console.md")
    missing = [key for key in ConsoleScreen.HELP_TEXT if f"`{key}`" not in text]
    assert not missing, f"docs/console.md does not describe the keys {missing}"


# -- links ------------------------------------------------------------------------------------


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]{1,2}(?=\S)|(?<=\S)[`*_]{1,2}", "", heading).lower()
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    kept = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LN")
    return kept.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    out = set()
    for _, heading in HEADING.findall(FENCE.sub("", read(path))):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        out.add(base if count == 0 else f"{base}-{count}")
    return out


def links(path: Path) -> list[str]:
    text = INLINE_CODE.sub("", FENCE.sub("", read(path)))
    return LINK.findall(text)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_point_to_files_in_the_repository(page):
    problems = []
    for target in links(page):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto: ...: not a file here
            continue
        file, _, fragment = target.partition("#")
        resolved = (page.parent / file).resolve() if file else page
        if page == ROOT / "README.md" and file.startswith("../"):
            problems.append(f"{target}: leaves the repository")
            continue
        if not resolved.is_relative_to(ROOT):
            problems.append(f"{target}: outside the repository")
        elif not resolved.exists():
            problems.append(f"{target}: no such file")
        elif fragment and resolved.suffix == ".md" and fragment not in anchors(resolved):
            problems.append(f"{target}: no heading #{fragment} in {resolved.relative_to(ROOT)}")
    assert not problems, f"{page.relative_to(ROOT)}: " + "; ".join(problems)


def test_the_pages_are_all_linked_from_the_index():
    index = read(DOCS / "README.md")
    unlinked = [p.name for p in DOCS.glob("*.md") if p.name != "README.md" and f"]({p.name})" not in index]
    assert not unlinked, f"docs/README.md does not link {unlinked}"
