"""The whole scenario: the root of the file format (docs/scenario-format.md).

`Scenario` is data only; `ttxsim.sim.Simulation` runs it. Protocols are kept as raw
overrides and resolved with `with_protocol`, which validates the merged result, so a
protocol can change anything in the file and is checked as strictly as the file itself.
The loader checks every protocol and posture level through `merged_data`, the very merge
`with_overrides` runs, so what validates is what runs.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import Field, PrivateAttr

from .base import Identifier, StrictModel
from .exercise import Exercise
from .incident import Incident
from .injects import Inject
from .intel import Intel, PostureLevel
from .merge import MergeNotes, Path, deep_merge
from .meta import Meta
from .population import Population
from .response import Response
from .uncertain import UncertainParameter, override_for
from .venue import Venue

__all__ = ["BASELINE", "Scenario", "merged_data"]

BASELINE = "baseline"
"""The name of the scenario as written, without overrides."""


class Scenario(StrictModel):
    """A venue, its occupants, the response, and the protocols to compare."""

    meta: Meta
    """Name, description, sources and clock."""
    venue: Venue
    """Zones and openings."""
    population: Population
    """Occupants at t = 0 and their behaviour."""
    incident: Incident = Incident()
    """The threat and the fire."""
    response: Response = Response()
    """The venue's and the authorities' response."""
    intel: Intel | None = None
    """The warning chain before the event; unset: no warning."""
    posture_levels: list[PostureLevel] = Field(default_factory=list)
    """Security posture levels and their effects (level 0, if listed, is normal)."""
    injects: list[Inject] = Field(default_factory=list, max_length=1000)
    """The exercise's Master Scenario Events List."""
    exercise: Exercise = Exercise()
    """The exercise's overview and objectives (HSEEP), for evaluation and the after-action report."""
    uncertain: list[UncertainParameter] = Field(default_factory=list, max_length=100)
    """Parameters that batch and sensitivity runs vary, with their ranges."""
    protocols: dict[Identifier, dict[str, Any]] = Field(default_factory=dict)
    """Named alternatives: each a deep-merge override of this file (lists of items with an
    `id` merge by id), with an optional `description` in plain words. `baseline` is the file as
    written: if listed, it may carry only a description."""

    _source_text: str | None = PrivateAttr(default=None)
    _protocol: str = PrivateAttr(default=BASELINE)
    _variants: dict = PrivateAttr(default_factory=dict)
    _warnings: list = PrivateAttr(default_factory=list)

    @property
    def protocol(self) -> str:
        """Which protocol this scenario is: `baseline` or one of `protocols`."""
        return self._protocol

    @property
    def protocol_names(self) -> list[str]:
        """`baseline` first, then the file's protocols in their order."""
        return [BASELINE] + [name for name in self.protocols if name != BASELINE]

    @property
    def source_text(self) -> str | None:
        """The file's text, when the scenario was loaded from one."""
        return self._source_text

    @property
    def warnings(self) -> list:
        """Problems the loader found that do not stop a run, as located `Problem`s.

        A protocol that replaces a whole list, say; `ttxsim validate` prints them.
        """
        return self._warnings

    @property
    def digest(self) -> str:
        """SHA-256 of the file's text (or of the canonical JSON if built in code)."""
        text = self._source_text
        if text is None:
            text = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    def with_protocol(self, name: str | None) -> Scenario:
        """The scenario with protocol `name` applied (None or `baseline`: unchanged)."""
        if name is None or name == BASELINE:
            return self
        if name not in self.protocols:
            known = ", ".join(self.protocol_names)
            raise KeyError(f"unknown protocol {name!r}; this scenario has: {known}")
        variant = self._variants.get(name)  # scenarios are frozen: a batch builds each variant once
        if variant is None:
            overrides = {k: v for k, v in self.protocols[name].items() if k != "description"}
            variant = self._variants[name] = self.with_overrides(overrides)
            variant._protocol = name
        return variant

    def protocol_description(self, name: str) -> str:
        """What a protocol means, in the file's words (`description` in its override), or ''."""
        return str(self.protocols.get(name, {}).get("description", ""))

    def with_values(self, values: dict[str, float]) -> Scenario:
        """The scenario with uncertain parameters (by name) set to the given values."""
        params = {p.name: p for p in self.uncertain}
        scenario = self
        for name, value in values.items():
            param = params[name]
            data = scenario.model_dump(mode="json", by_alias=True)
            scenario = scenario.with_overrides(
                override_for(data, param.path, round(value) if param.integer else value))
        return scenario

    def with_overrides(self, overrides: dict[str, Any]) -> Scenario:
        """The scenario deep-merged with `overrides` (a protocol's or a posture level's)."""
        merged, _ = merged_data(self, overrides)
        variant = Scenario.model_validate(merged)
        variant._source_text = self._source_text
        variant._protocol = self._protocol
        return variant


def merged_data(scenario: Scenario, overrides: dict[str, Any],
                notes: MergeNotes | None = None) -> tuple[dict[str, Any], dict[Path, Path]]:
    """The data of `scenario` deep-merged with `overrides`, and where each merged value came from.

    The base is the validated scenario as written (unset defaults left out), not the file's
    text: a bare number there is already `{dist: constant, value: ...}`. The loader validates
    protocols and posture levels through this function, `with_overrides` runs them through it.
    The full data (defaults filled in) is the base of a distribution the file leaves at its
    default and the override modifies (`{scale: 0.8}` on the default walking speed).
    """
    base = scenario.model_dump(mode="json", exclude_unset=True, by_alias=True)
    return deep_merge(base, overrides, scenario.model_dump(mode="json", by_alias=True), notes)
