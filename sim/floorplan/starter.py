"""A commented starter scenario for `ttxsim new`: a small venue with every section explained.

The planner copies it and changes what differs; it validates and runs as written, so each
edit can be checked at once (`ttxsim validate`). Its numbers are illustrations, not data.
"""

from __future__ import annotations

import json

__all__ = ["starter_yaml"]

STARTER = """\
# {title}: a starter scenario written by `ttxsim new`. It validates and runs as it is; change
# it into your venue section by section, running `ttxsim validate` after each edit. Every
# number below is an illustration, not data: replace it and say where yours comes from in
# meta.sources. Reference: docs/scenario-format.md; floor plans: docs/floorplans.md.

meta:
  name: {name}
  description: A hall with a foyer and a gallery upstairs (starter scenario; replace).
  horizon_s: 3600            # the run stops here if people are still inside (s)
  sources:
    - "Starter scenario from `ttxsim new`: illustrative values, no sources yet."

# The building: zones (spaces people occupy) and openings (doors, stairs) between them, in
# metres on a plan. A zone is a rectangle (x_m, y_m = lower-left corner; width_m, depth_m),
# a list of rectangles (rects), or a polygon with optional holes. `outside` is the implicit
# safe zone; an opening to it must lie in an outside wall and needs its position at_m.
venue:
  zones:
    - {{id: hall, name: Main hall, kind: hall, x_m: 0, y_m: 8, width_m: 24, depth_m: 16, height_m: 8}}
    - {{id: foyer, name: Foyer, kind: foyer, x_m: 0, y_m: 0, width_m: 24, depth_m: 8}}
    # A stair climbs one floor from its `floor`; draw its flight on the plan.
    - {{id: stair, name: Gallery stair, kind: stair, x_m: 24, y_m: 8, width_m: 3, depth_m: 8}}
    # An L-shaped gallery on floor 1 as a polygon (over the hall, so their plans may overlap):
    # walks round its inner corner stay inside it. The stair's head is on its south edge.
    - id: gallery
      name: Gallery
      kind: hall
      floor: 1
      polygon: [[0, 16], [27, 16], [27, 24], [8, 24], [8, 28], [0, 28]]
    - {{id: office, name: Office, kind: room, x_m: 24, y_m: 0, width_m: 6, depth_m: 8, lockable: true,
       hide_capacity: 10}}  # lockable: people can shelter here; hide_capacity: a hiding place
  openings:
    # Between two zones the position defaults to the middle of their shared edge.
    - {{id: hall_doors, between: [hall, foyer], width_m: 3.6}}
    - {{id: office_door, between: [foyer, office], width_m: 0.9}}
    - {{id: stair_foot, kind: stair, between: [hall, stair], width_m: 1.5, at_m: [24, 12]}}
    - {{id: stair_head, kind: stair, between: [stair, gallery], width_m: 1.5, at_m: [25.5, 16]}}
    # Exits: in an outside wall, no wider than that wall. state: open, closed or locked.
    - {{id: main_exit, between: [foyer, outside], width_m: 2.4, at_m: [12, 0]}}
    - {{id: side_exit, between: [hall, outside], width_m: 1.2, at_m: [0, 16], state: locked}}

# The people: how many where, how fast they walk, how long before they move.
population:
  occupants:
    - {{id: audience, zone: hall, count: 300, entrance: main_exit}}   # entrance: the way they came in
    - {{id: gallery_crowd, zone: gallery, count: 80, entrance: main_exit}}
    - {{id: foyer_crowd, zone: foyer, count: 20}}
  # Pre-movement (alarm to setting off) has no default: it depends on the venue and its alarm.
  premovement_s: {{dist: lognormal, median: 60, sigma: 0.6, max: 600}}
  familiarity_share: 0.3     # share who know the building and take the quickest exit

# What happens: an abstract threat that moves through zones (harm while people share its
# zone) and a fire whose smoke makes zones untenable. Delete what your exercise does not use.
incident:
  threat:
    route:
      - {{zone: foyer, dwell_s: 120}}
      - {{zone: hall, dwell_s: 240}}
    harm_rate_per_s: 0.002
  fire:
    zone: hall
    start_s: 300
    growth: fast

# The response: detection, alarm, and the police who contain the threat.
response:
  detection_s: 20
  alarm_decision_s: {{dist: triangular, low: 30, mode: 60, high: 180}}
  police:
    patrol_travel_s: 480
    contain_after_arrival_s: 240
    contained_by: patrol

# The exercise's MSEL: what the players are told and when (docs/scenario-format.md, injects).
injects:
  - id: "1"
    at: T+00:01:00
    to: Venue control room
    channel: phone
    message: A caller reports a disturbance in the foyer.
    questions: ["Who decides to sound the alarm, and how long does it take?"]

# Numbers to vary in a sensitivity analysis (`ttxsim sensitivity`).
uncertain:
  - {{name: premovement, path: population.premovement_s.median, low: 30, high: 180,
     description: "median pre-movement (illustrative range)"}}

# Alternatives to compare: each says only what it changes (lists with ids merge by id).
protocols:
  side_exit_open:
    description: The side exit unlocked before the doors open.
    venue:
      openings:
        - {{id: side_exit, state: open}}
  prompt_alarm:
    description: Staff trained to sound the alarm at once.
    response: {{alarm_decision_s: 10}}
"""


def starter_yaml(name: str) -> str:
    """The starter scenario, titled `name`."""
    return STARTER.format(title=name, name=json.dumps(name))
