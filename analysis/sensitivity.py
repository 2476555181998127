"""Global sensitivity of a scenario's outcomes to its `uncertain` parameters (SALib).

The scenario's `uncertain` section gives the parameters and their ranges; SALib draws the
sample (Saltelli/Sobol' or Morris trajectories), every sample row runs as one replication
(`run_replication`), and SALib analyses each output: Sobol' first-order (S1) and total-order
(ST) indices, or Morris μ* and σ.

Every row runs with the same seed (replication 0 of the master seed): common random numbers,
so the differences between rows are the parameters' doing and not the model's own noise
(with a seed per row, the noise swamped the effects at the sample sizes a planner can afford).
The indices are then conditional on that seed; run again with other `--seed` values to see
how much they move. Outputs that are missing in a
run (RSET when somebody never reached safety) are replaced by the scenario's horizon, and
the result's notes say how often.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ttxsim.sim import atomic_output

from .executor import JobPool
from .progress import progress_bar
from .records import METRICS
from .replicate import run_replication

__all__ = ["METHODS", "SensitivityResult", "sensitivity"]

METHODS = ("sobol", "morris")
"""Supported methods: variance-based Sobol' indices, or Morris elementary effects."""

INDICES = {
    "sobol": ("S1", "S1_conf", "ST", "ST_conf"),
    "morris": ("mu_star", "mu_star_conf", "sigma"),
}
"""The indices kept per output and parameter, by method (`*_conf`: 95 % half-widths)."""

MORRIS_LEVELS = 4
"""Grid levels of the Morris design."""


@dataclass
class SensitivityResult:
    """Sensitivity indices of some outputs to a scenario's uncertain parameters.

    Attributes:
        scenario: The scenario's name (`meta.name`).
        protocol: The protocol every run used.
        method: "sobol" or "morris".
        runs: The base sample size N (Sobol': a power of two; Morris: trajectories).
        evaluations: Replications run (Sobol': N × (D + 2); Morris: N × (D + 1)).
        master_seed: The experiment's master seed (every row uses replication seed 0: common random numbers).
        parameters: One dict per uncertain parameter: name, path, low, high, description.
        outputs: The record metrics analysed, e.g. ("rset_s", "harmed_total").
        indices: output → parameter → index name → value (None where undefined, e.g. an
            output that never varied).
        notes: What the reader should know: rounding of N, missing values replaced, ...
    """

    scenario: str
    protocol: str
    method: str
    runs: int
    evaluations: int
    master_seed: int
    parameters: list[dict[str, Any]]
    outputs: tuple[str, ...]
    indices: dict[str, dict[str, dict[str, float | None]]]
    notes: list[str] = field(default_factory=list)

    @property
    def index_names(self) -> tuple[str, ...]:
        """The indices of this method, e.g. ("S1", "S1_conf", "ST", "ST_conf")."""
        return INDICES[self.method]

    @property
    def key_index(self) -> str:
        """The index parameters are ranked by: ST (Sobol') or mu_star (Morris)."""
        return "ST" if self.method == "sobol" else "mu_star"

    def ranking(self, output: str) -> list[str]:
        """Parameter names, most influential on `output` first (undefined indices last).

        Args:
            output: One of `outputs`.

        Returns:
            The parameter names ordered by the key index, descending.
        """
        per_param = self.indices[output]

        def key(name: str) -> float:
            value = per_param[name][self.key_index]
            return -math.inf if value is None else value

        return sorted(per_param, key=key, reverse=True)

    def table(self) -> list[dict[str, Any]]:
        """One row per output and parameter, most influential first within each output.

        Returns:
            Dicts with keys output, parameter and the method's indices.
        """
        return [{"output": output, "parameter": name, **self.indices[output][name]}
                for output in self.outputs for name in self.ranking(output)]

    def to_dict(self) -> dict[str, Any]:
        """The result as plain data (JSON-ready)."""
        data = asdict(self)
        data["outputs"] = list(self.outputs)
        data["table"] = self.table()
        return data

    def to_json(self, indent: int | None = 2) -> str:
        """The result as a JSON document (undefined indices are `null`)."""
        return json.dumps(self.to_dict(), indent=indent)

    def plot(self, path: str | os.PathLike) -> Path:
        """Write a bar chart of the indices, one subplot per output.

        Sobol': first-order (S1) and total-order (ST) indices with 95 % confidence error
        bars. Morris: μ* (with its confidence interval) and σ, in the output's unit.

        Args:
            path: The image file to write (the format follows the suffix, e.g. .png); it is
                replaced atomically, so an error leaves the previous image.

        Returns:
            The path written.
        """
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        names = [p["name"] for p in self.parameters]
        n_out = len(self.outputs)
        fig, axes = plt.subplots(1, n_out, figsize=(max(5.0, 1.2 * len(names) + 2.5) * n_out, 4.8),
                                 squeeze=False)
        x = np.arange(len(names))
        width = 0.38
        if self.method == "sobol":
            bars = (("S1", "S1_conf", "first order (S1)"), ("ST", "ST_conf", "total order (ST)"))
        else:
            bars = (("mu_star", "mu_star_conf", "μ* (mean |elementary effect|)"),
                    ("sigma", None, "σ (interactions, non-linearity)"))
        for ax, output in zip(axes[0], self.outputs, strict=True):
            per_param = self.indices[output]
            for k, (index, conf, label) in enumerate(bars):
                values = [_nan(per_param[n][index]) for n in names]
                errors = [_nan(per_param[n][conf]) for n in names] if conf else None
                ax.bar(x + (k - 0.5) * width, values, width, yerr=errors, capsize=3, label=label)
            if all(per_param[n][self.key_index] is None for n in names):
                ax.text(0.5, 0.5, "output did not vary:\nindices undefined", transform=ax.transAxes,
                        ha="center", va="center", color="grey")
            crowded = len(names) > 3
            ax.set_xticks(x, names, rotation=30 if crowded else 0, ha="right" if crowded else "center")
            ax.set_title(f"{output}\n{METRICS.get(output, '')}", fontsize=10)
            ax.set_xlim(-0.6, len(names) - 0.4)
            if self.method == "sobol":
                ax.set_ylabel("index (share of output variance)")
                ax.set_ylim(min(0.0, ax.get_ylim()[0]), max(1.0, ax.get_ylim()[1]))
            else:
                ax.set_ylabel(f"effect on {output} ({_unit(output)})")
            ax.axhline(0.0, color="black", linewidth=0.6)
            ax.legend(fontsize=8)
        title = "Sobol' indices" if self.method == "sobol" else "Morris screening"
        fig.suptitle(f"{title}: {self.scenario} — protocol {self.protocol}, N = {self.runs}, "
                     f"{self.evaluations:,} runs", fontsize=11)
        fig.tight_layout()
        out = Path(path)
        with atomic_output(out) as image:  # the format follows the suffix, as savefig(out) does
            fig.savefig(image, format=out.suffix[1:] or None, dpi=120)
        plt.close(fig)
        return out


def sensitivity(scenario_path: str | os.PathLike, *, method: str = "sobol", runs: int = 64,
                protocol: str | None = None, master_seed: int = 0, workers: int | None = None,
                outputs: Sequence[str] = ("rset_s", "harmed_total"),
                progress: bool = True) -> SensitivityResult:
    """Global sensitivity of `outputs` to the scenario's uncertain parameters.

    Args:
        scenario_path: The scenario file; it must have an `uncertain` section.
        method: "sobol" (Saltelli sampling, S1 and ST) or "morris" (elementary effects).
        runs: Sobol': base sample size N, rounded up to a power of two (noted in the result);
            Morris: number of trajectories.
        protocol: Protocol every run uses (None: baseline).
        master_seed: Seeds the replications (every row uses replication seed 0: common random
            numbers), SALib's sampling and its bootstrap confidence intervals.
        workers: Worker processes (None: os.cpu_count(); 1: run in this process).
        outputs: Record metrics to analyse (see records.METRICS).
        progress: Show a progress bar on the terminal.

    Returns:
        The indices per output and parameter, with notes.

    Raises:
        ScenarioError: The scenario file is invalid (located problems).
        KeyError: The protocol is unknown.
        ValueError: Bad method, runs, or outputs, or the scenario has no uncertain parameters.
    """
    from ttxsim.sim import load_scenario

    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; use one of: {', '.join(METHODS)}")
    if runs < 2:
        raise ValueError(f"runs must be at least 2, got {runs}")
    unknown = [o for o in outputs if o not in METRICS]
    if unknown:
        raise ValueError(f"unknown outputs: {', '.join(unknown)}; known: {', '.join(METRICS)}")
    scenario = load_scenario(scenario_path)
    protocol_name = scenario.with_protocol(protocol).protocol  # checks the name
    params = list(scenario.uncertain)
    if not params:
        raise ValueError(f"{scenario_path}: the scenario has no `uncertain` parameters to vary")
    text = scenario.source_text
    name = str(scenario_path)
    problem = {"num_vars": len(params), "names": [p.name for p in params],
               "bounds": [[p.low, p.high] for p in params]}

    notes: list[str] = []
    samples, n = _sample(problem, method, runs, master_seed, notes)
    values = [tuple(zip(problem["names"], map(float, row), strict=True)) for row in samples]
    jobs = ((text, name, protocol_name, 0, master_seed, v) for v in values)  # common random numbers
    records = _evaluate(jobs, len(values), workers=workers, progress=progress)

    horizon = float(scenario.meta.horizon_s)
    indices: dict[str, dict[str, dict[str, float | None]]] = {}
    for output in outputs:
        raw = [r.get(output) for r in records]
        missing = sum(v is None for v in raw)
        if missing:
            notes.append(f"{output}: {missing:,} of {len(raw):,} runs had no value (e.g. somebody never "
                         f"reached safety); the horizon {horizon:g} s was used instead.")
        y = np.array([horizon if v is None else float(v) for v in raw])
        indices[output] = _analyse(problem, method, samples, y, master_seed)
        if np.ptp(y) == 0.0:
            notes.append(f"{output}: the same value ({y[0]:g}) in every run; its indices are undefined.")

    return SensitivityResult(
        scenario=scenario.meta.name, protocol=protocol_name, method=method, runs=n,
        evaluations=len(values), master_seed=master_seed,
        parameters=[{"name": p.name, "path": p.path, "low": p.low, "high": p.high,
                     "description": p.description} for p in params],
        outputs=tuple(outputs), indices=indices, notes=notes)


def _sample(problem: dict[str, Any], method: str, runs: int, seed: int,
            notes: list[str]) -> tuple[np.ndarray, int]:
    """SALib's sample for `method`, and the base size N actually used."""
    if method == "sobol":
        from SALib.sample import sobol

        n = 1 << (runs - 1).bit_length()
        if n != runs:
            notes.append(f"Sobol' sampling needs a power of two: N = {runs} was rounded up to {n}.")
        return sobol.sample(problem, n, calc_second_order=False, seed=seed), n
    from SALib.sample import morris

    return morris.sample(problem, runs, num_levels=MORRIS_LEVELS, seed=seed), runs


def _analyse(problem: dict[str, Any], method: str, samples: np.ndarray, y: np.ndarray,
             seed: int) -> dict[str, dict[str, float | None]]:
    """Parameter → index → value for one output (None where undefined)."""
    names = problem["names"]
    if np.ptp(y) == 0.0:  # no variance: every index is 0/0
        return {n: dict.fromkeys(INDICES[method]) for n in names}
    if method == "sobol":
        from SALib.analyze import sobol

        res = sobol.analyze(problem, y, calc_second_order=False, print_to_console=False, seed=seed)
    else:
        from SALib.analyze import morris

        res = morris.analyze(problem, samples, y, num_levels=MORRIS_LEVELS, print_to_console=False, seed=seed)
    return {n: {index: _finite(res[index][i]) for index in INDICES[method]} for i, n in enumerate(names)}


def _evaluate(jobs: Iterable[tuple], total: int, *, workers: int | None, progress: bool) -> list[dict]:
    """Run every job through run_replication; records in job order."""
    records: list[dict | None] = [None] * total
    with (progress_bar(total, label="sensitivity runs", enabled=progress, transient=True) as advance,
          JobPool(workers) as pool):
        for i, record in pool.run((run_replication, job) for job in jobs):
            records[i] = record
            advance()
    return records  # type: ignore[return-value]


def _finite(value: Any) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def _nan(value: float | None) -> float:
    return math.nan if value is None else value


def _unit(output: str) -> str:
    """The unit of a metric, from its description: seconds or people."""
    return "s" if output.endswith("_s") else "people"
