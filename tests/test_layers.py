"""The packages stack: sim at the bottom, analysis on it, the console (and the command's root) on top.

A package never imports one above it, not even inside a function, so the model can be used,
tested and installed without the console or the analysis tools, and `import ttxsim.sim`
stays quick.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]

ABOVE = {
    "sim": ("ttxsim.tui", "ttxsim.analysis"),
    "analysis": ("ttxsim.tui",),
}
"""Each package folder, and the packages it must not import."""

HEAVY = ("textual", "matplotlib", "distributed", "dask", "SALib", "rich", "pandas", "pyarrow")
"""Modules that cost a noticeable fraction of a second, loaded only by the commands that need them."""


def imported_modules(path: Path, package: str) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) of every import in a file, relative ones resolved.

    Also `importlib.import_module("...")` and `__import__("...")` with a literal name.
    """
    parts = [*package.split("."), *path.relative_to(ROOT / package.split(".")[-1]).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    current = parts[:-1] if path.name != "__init__.py" else parts  # the file's own package
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = current[: len(current) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            yield node.lineno, module
            for alias in node.names:  # `from ttxsim import tui`, `from .. import analysis`
                yield node.lineno, f"{module}.{alias.name}"
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)
              and (getattr(node.func, "attr", None) == "import_module"
                   or getattr(node.func, "id", None) == "__import__")):
            yield node.lineno, node.args[0].value


def test_the_relative_imports_are_resolved():
    sample = ROOT / "sim" / "scenario" / "__init__.py"
    assert sample.exists()
    names = {name for _, name in imported_modules(sample, "ttxsim.sim")}
    assert any(name.startswith("ttxsim.sim.scenario.") for name in names), names


@pytest.mark.parametrize("folder", list(ABOVE))
def test_no_package_imports_one_above_it(folder):
    forbidden = ABOVE[folder]
    found: dict[tuple[str, int], str] = {}  # (file, line) → the module it imports, once a line
    for path in sorted((ROOT / folder).rglob("*.py")):
        for line, name in imported_modules(path, f"ttxsim.{folder}"):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                found.setdefault((str(path.relative_to(ROOT)), line), name)
    assert not found, "\n".join(f"{file}:{line}: imports {found[file, line]}" for file, line in sorted(found))


def loaded_after(statement: str) -> list[str]:
    """The heavy modules a fresh interpreter has loaded after running `statement`."""
    code = f"import json, sys; {statement}; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          check=True)
    return [name for name in json.loads(done.stdout) if name.split(".")[0] in HEAVY]


def test_importing_the_model_loads_no_console_plots_or_cluster():
    assert loaded_after("import ttxsim.sim") == []


def test_the_command_line_root_loads_none_of_the_heavy_modules():
    assert loaded_after("import ttxsim.tui.cli") == []


def test_modules_stay_small_and_the_simulation_stays_a_stepping_api():
    # Issue 11: no module in the three packages over 500 lines; `Simulation` (the stepping API
    # that owns the parts) at most 400.
    sizes = {str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
             for folder in ("sim", "tui", "analysis") for p in (ROOT / folder).rglob("*.py")}
    assert {f: n for f, n in sizes.items() if n > 500} == {}
    assert sizes["sim/simulation.py"] <= 400
