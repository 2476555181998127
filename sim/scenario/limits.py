"""Size limits that stop absurd input before it takes memory or hours.

They are far above any real venue (the largest stadiums hold about 150,000 people) and
are checked while validating, so a typo such as `count: 60000000` is a located error,
not a machine brought to its knees. Every number must also be finite (`StrictModel`).
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

MAX_LEAD_S = 365 * 86400.0
"""Earliest a warning, inject or decision may come before the event: a year."""

MAX_DIST_VALUE = 1e8
"""Largest magnitude of any number in a distribution (about three years in seconds): the
quantities given as distributions are delays (at most a year before the event plus the
horizon) and walking speeds, so anything near it is a typo, and far beyond it draws overflow."""

MAX_LOG_SIGMA = 5.0
"""Largest `sigma` of a lognormal: at 5 a 3-SD draw is already 3 million times the median
(published pre-movement fits have sigma about 0.5 to 1.5); far above, draws overflow."""

MAX_SPEED_M_S = 10.0
"""Fastest walking speed a distribution may place people at: a sprinter's, several times
any crowd's (Weidmann 1993: 1.34 m/s mean, 2.12 m/s at +3 SD)."""

MAX_FACTOR = 10.0
"""Largest multiplier of a duration (pre-movement after an announcement)."""
