"""Decisions run over many futures: a decisions file as a batch's extra "protocol".

`ttxsim batch --decisions D.yaml` runs a protocol with a session's decisions applied in every
replication, beside the protocol as written. The runs with decisions are stored under their
own name, `<protocol>+<file stem>-<hash>`, where the hash is that of the decisions' content:
two files with the same name but other decisions never share runs, and the same decisions
under another name do not run twice. The store keeps each set's protocol, source, hash, seed
and items (`ResultsStore.decision_sets`), so `compare` and the report can say what each is.

A decisions file exported from a session names its seed. The batch then runs replication 0 of
every protocol on that seed (`replicate.replication_seed`), so the first run with the
decisions is the session's own result, and replication 0 stays paired across protocols.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ttxsim.sim.decisions import Decision, load_decisions_file

__all__ = ["DecisionSet", "first_seed_of", "load_decision_set"]


@dataclass(frozen=True)
class DecisionSet:
    """One decisions file to run under one protocol."""

    label: str
    """The name its runs are stored under, like a protocol's: `<protocol>+<file stem>-<hash>`."""
    protocol: str
    """The protocol the decisions are played on."""
    decisions: tuple[Decision, ...]
    """In time order."""
    sha256: str
    """Of the decisions' content (their items in order) and the protocol."""
    source: str
    """The file they were read from."""
    seed: int | None = None
    """The seed of the session they came from (the mapping form's `seed`), if the file names it."""

    def items(self) -> list[dict[str, Any]]:
        """The decisions as decisions-file items."""
        return [d.to_dict() for d in self.decisions]

    def describe(self) -> str:
        """One line for a report: what runs under this name."""
        players = sum(1 for d in self.decisions if d.by == "players")
        where = f", from a session with seed {self.seed}" if self.seed is not None else ""
        return (f"the {len(self.decisions)} decision(s) of {Path(self.source).name} ({players} by the players"
                f"{where}) played on protocol {self.protocol}")

    def to_meta(self) -> dict[str, Any]:
        """What the store keeps of it."""
        return {"protocol": self.protocol, "source": self.source, "sha256": self.sha256, "seed": self.seed,
                "description": self.describe(), "decisions": self.items()}


def load_decision_set(path: str | os.PathLike, scenario: Any, protocol: str) -> DecisionSet:
    """Read and check a decisions file against `scenario` under `protocol`.

    Raises:
        ScenarioError: The file is invalid, or names what this scenario lacks (located).
        KeyError: The protocol is unknown.
    """
    read = load_decisions_file(path, scenario.with_protocol(protocol))
    content = json.dumps({"protocol": protocol, "decisions": [d.to_dict() for d in read.decisions]},
                         sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
    label = f"{protocol}+{Path(path).stem}-{digest[:8]}"
    return DecisionSet(label, protocol, tuple(read.decisions), digest, str(path), read.seed)


def first_seed_of(sets: list[DecisionSet]) -> int | None:
    """The seed replication 0 runs on: the sessions' seed, if the files name one.

    Raises:
        ValueError: Two files name different seeds (replication 0 can reproduce one session).
    """
    seeds = {s.seed for s in sets if s.seed is not None}
    if len(seeds) > 1:
        named = ", ".join(f"{Path(s.source).name} (seed {s.seed})" for s in sets if s.seed is not None)
        raise ValueError(f"the decisions files come from sessions with different seeds: {named}; run them "
                         "into separate stores")
    return seeds.pop() if seeds else None
