"""Size limits that stop absurd input before it takes memory or hours.

They are far above any real venue (the largest stadiums hold about 150,000 people) and
are checked while validating, so a typo such as `count: 60000000` is a located error,
not a machine brought to its knees.
"""

MAX_FILE_BYTES = 8 * 1024 * 1024
"""A scenario file larger than this is refused before it is parsed."""

MAX_YAML_NODES = 500_000
"""YAML nodes after aliases are expanded (stops 'billion laughs' documents)."""

MAX_OCCUPANTS = 1_000_000
"""Occupants in one scenario, all zones together."""

MAX_ZONES = 5_000
"""Zones in one venue."""

MAX_OPENINGS = 20_000
"""Openings in one venue."""

MAX_HORIZON_S = 7 * 24 * 3600.0
"""Longest simulated incident (seconds after t = 0)."""

MAX_EXTENT_M = 100_000.0
"""Largest coordinate or size on a plan, in metres."""
