"""The venue: zones on floors, the openings between them, and how openings pass people.

Zones are polygons on a floor plan, in metres, given as `polygon` (with `holes`, e.g. the
well of a ring-shaped seating bowl) or, as a shorthand, as a rectangle or a union of
rectangles; their area gives density, their geometry gives walking distances. Openings join
two zones, or a zone and the implicit safe zone `outside`, at a point on their shared edge
(docs/model.md, zones and openings).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    NonNegativeFloat,
    PositiveFloat,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .base import Identifier, StrictModel
from .distributions import Distribution
from .limits import MAX_EXTENT_M, MAX_OPENINGS, MAX_ZONES

__all__ = ["OUTSIDE", "Opening", "Rect", "Venue", "Zone", "opening_floor"]

Coordinate = Annotated[float, Field(ge=-MAX_EXTENT_M, le=MAX_EXTENT_M)]
"""A position on a plan, metres."""

Point = tuple[Coordinate, Coordinate]
"""A corner of a polygon, [x, y] in metres."""
Ring = Annotated[list[Point], Field(min_length=3, max_length=1000)]
"""A closed outline: its corners in order (either way round), the last joined to the first."""

OUTSIDE = "outside"
"""The implicit safe zone every venue has; openings may lead to it."""

class Rect(StrictModel):
    """An axis-aligned rectangle on a floor plan; (x_m, y_m) is its lower-left corner."""

    x_m: float = Field(ge=-MAX_EXTENT_M, le=MAX_EXTENT_M)
    """Left edge, metres."""
    y_m: float = Field(ge=-MAX_EXTENT_M, le=MAX_EXTENT_M)
    """Bottom edge, metres."""
    width_m: PositiveFloat = Field(le=MAX_EXTENT_M)
    """Extent along x, metres."""
    depth_m: PositiveFloat = Field(le=MAX_EXTENT_M)
    """Extent along y, metres."""

    @property
    def area_m2(self) -> float:
        """Floor area in square metres."""
        return self.width_m * self.depth_m


class Zone(StrictModel):
    """A space people occupy and cross: a hall, a foyer, a corridor, a stair, or a safe outside area.

    Give its plan as one rectangle (`x_m`, `y_m`, `width_m`, `depth_m`), as `rects`, or as a
    `polygon` (with `holes`).
    """

    id: Identifier
    """Unique id, used by openings, population and actions."""
    name: str | None = None
    """Human-readable name for displays and reports."""
    kind: Literal["room", "hall", "foyer", "corridor", "stair", "outside"] = "room"
    """What the zone is; `outside` zones are safe places (a street, a car park)."""
    floor: int = Field(default=0, ge=-20, le=200)
    """Floor number (0 = ground). A stair zone's floor is its lower landing."""
    top_floor: int | None = Field(default=None, ge=-20, le=200)
    """Stairs only: the floor of its top landing, for a stair core that spans several floors
    (draw its plan once, as one floor's footprint with its landing; its openings may be on
    any floor from `floor` to `top_floor`). Unset: the stair climbs one floor, from `floor` to
    the floor above, and its plan is drawn as that one flight."""
    x_m: float | None = Field(default=None, ge=-MAX_EXTENT_M, le=MAX_EXTENT_M)
    """Left edge of the zone's rectangle, metres."""
    y_m: float | None = Field(default=None, ge=-MAX_EXTENT_M, le=MAX_EXTENT_M)
    """Bottom edge of the zone's rectangle, metres."""
    width_m: PositiveFloat | None = Field(default=None, le=MAX_EXTENT_M)
    """Extent along x, metres."""
    depth_m: PositiveFloat | None = Field(default=None, le=MAX_EXTENT_M)
    """Extent along y, metres."""
    rects: list[Rect] | None = Field(default=None, min_length=1, max_length=64)
    """The zone as a union of rectangles, instead of the four fields above. Walks across it stay
    inside it, as across a polygon."""
    polygon: Ring | None = None
    """The zone as a polygon, instead of rectangles: its corners `[[x, y], ...]` in order. Walks
    across it stay inside it (round a corner of an L, round a hole)."""
    holes: list[Ring] | None = Field(default=None, min_length=1, max_length=64)
    """With `polygon`: outlines of holes in it, where nobody stands or walks (the well of a
    ring-shaped seating bowl, a light well), each as `[[x, y], ...]`."""
    riser_mm: PositiveFloat = Field(default=178.0, le=300.0)
    """Stairs only: riser height (SFPE speed constant k and slope length depend on it)."""
    tread_mm: PositiveFloat = Field(default=279.0, le=600.0)
    """Stairs only: tread depth."""
    height_m: PositiveFloat = Field(default=3.0, le=200.0)
    """Ceiling height (smoke filling and volume). For a stair, the height of one storey of its
    enclosure, floor to floor: on a stair with `top_floor` it also sets each flight's length."""
    elevation_m: float | None = Field(default=None, ge=-200.0, le=1000.0)
    """Height of its floor above floor 0's, m, for smoke (a layer fills from the highest
    ceiling down); unset: `floor` × 3.5 m (a modelling choice)."""
    smoke_volume: Identifier | None = None
    """Name of an air volume it shares with other zones under one roof (stalls, balcony and
    stage of one hall): smoke fills the shared volume from its highest ceiling down, so
    upper tiers become untenable first. Unset: the zone is a volume of its own."""
    lockable: bool = False
    """Its doors can be locked from inside: people can shelter here (`order_shelter`)."""
    max_density_p_m2: PositiveFloat | None = Field(default=None, le=10.0)
    """Density at which nobody more can enter (back-pressure); the venue's default if unset."""
    hide_capacity: int = Field(default=0, ge=0, le=100_000)
    """How many people can hide here (a toilet, a service room, back-stage, a staff corridor,
    a stair), with `population.threat_response`; 0: not a hiding place. At most the zone's
    jam capacity (area × density limit)."""

    _shapes: list[Rect] = PrivateAttr(default_factory=list)
    _outline: Any = PrivateAttr(default=None)

    @field_validator("top_floor")
    @classmethod
    def _above_the_foot(cls, top: int | None, info: ValidationInfo) -> int | None:
        """Only a stair spans floors, and it climbs: otherwise its flights would be 0 or fewer."""
        kind, floor = info.data.get("kind"), info.data.get("floor")
        if top is not None and kind is not None and kind != "stair":
            raise ValueError(f"only a stair spans floors; this zone is a {kind}")
        if top is not None and floor is not None and top <= floor:
            raise ValueError(f"must be above the stair's foot, floor {floor} (got {top})")
        return top

    @model_validator(mode="after")
    def _one_plan(self):
        single = (self.x_m, self.y_m, self.width_m, self.depth_m)
        given = [v is not None for v in single]
        if self.holes is not None and self.polygon is None:
            raise ValueError("holes need a polygon to be holes in")
        if sum((self.rects is not None, any(given), self.polygon is not None)) > 1:
            raise ValueError("give one of polygon, rects or x_m/y_m/width_m/depth_m")
        if self.rects is None and self.polygon is None and not all(given):
            missing = [n for n, g in zip(("x_m", "y_m", "width_m", "depth_m"), given, strict=True) if not g]
            raise ValueError(f"missing {', '.join(missing)} (or give rects, or a polygon)")
        if self.polygon is not None:
            from ..geometry import polygon_problem  # geometry builds on this module: import late

            problem = polygon_problem(self.polygon, self.holes or [])
            if problem:
                raise ValueError(problem)
        return self

    def model_post_init(self, context: Any, /) -> None:
        """Work out the rectangles once: geometry asks for them thousands of times a run."""
        if self.polygon is not None:
            xs = [p[0] for p in self.polygon]
            ys = [p[1] for p in self.polygon]
            self._shapes = [Rect(x_m=min(xs), y_m=min(ys), width_m=max(max(xs) - min(xs), 1e-3),
                                 depth_m=max(max(ys) - min(ys), 1e-3))]
        elif self.rects is not None:
            self._shapes = list(self.rects)
        else:
            assert self.x_m is not None and self.y_m is not None  # the validator asks for all four
            assert self.width_m is not None and self.depth_m is not None
            self._shapes = [Rect(x_m=self.x_m, y_m=self.y_m, width_m=self.width_m, depth_m=self.depth_m)]

    @property
    def shapes(self) -> list[Rect]:
        """The zone's rectangles, whichever way the file gave them.

        For a polygon, its bounding box (for displays that draw rectangles; geometry uses `outline`).
        """
        return self._shapes

    @property
    def outline(self) -> Any:
        """The zone's plan as a shapely (Multi)Polygon, built on first use and kept."""
        if self._outline is None:
            from ..geometry import zone_outline  # geometry builds on this module: import late

            self._outline = zone_outline(self)
        return self._outline

    @property
    def centre(self) -> tuple[float, float]:
        """Where someone is taken to stand when their place is not known.

        The middle of its first rectangle, or a point inside its polygon (never in a hole).
        """
        if self.polygon is None:
            r = self._shapes[0]
            return (r.x_m + r.width_m / 2, r.y_m + r.depth_m / 2)
        point = self.outline.representative_point()
        return (float(point.x), float(point.y))

    @property
    def flights(self) -> int:
        """Storeys a stair climbs (1 unless `top_floor` says more); 1 for any other zone."""
        if self.top_floor is None or self.kind != "stair":
            return 1
        return max(1, self.top_floor - self.floor)

    @property
    def floors(self) -> range:
        """The floors it has openings on: its own; a stair's from its foot to its head."""
        return range(self.floor, self.floor + (self.flights + 1 if self.kind == "stair" else 1))

    @property
    def plan_area_m2(self) -> float:
        """Area of its plan: a polygon's less its holes; rectangles' summed (assumed apart)."""
        if self.polygon is not None:
            return float(self.outline.area)
        return sum(r.area_m2 for r in self.shapes)

    @property
    def area_m2(self) -> float:
        """Floor area people stand on: the plan's, once per flight on a stair with `top_floor`.

        Each storey of such a core repeats its plan, landing included.
        """
        return self.plan_area_m2 * self.flights

    @property
    def volume_m3(self) -> float:
        """Floor area times ceiling height."""
        return self.area_m2 * self.height_m

    @property
    def is_safe(self) -> bool:
        """Whether reaching this zone means being safe."""
        return self.kind == "outside"


class Opening(StrictModel):
    """A door, opening, turnstile line or stair entry joining two zones (or a zone and outside).

    It passes people at a limited flow (persons per second), in arrival order, in either
    direction. `closed` means shut until staff open it (with `staff_open_after_s`, or by an
    `open_openings` action); `locked` means shut until an `open_openings` action.
    """

    id: Identifier
    """Unique id, used by actions and results."""
    name: str | None = None
    """Human-readable name, e.g. "Entrance 13"."""
    between: tuple[str, str]
    """The two zone ids it joins; one may be `outside`."""
    width_m: PositiveFloat = Field(le=100.0)
    """Clear width in metres."""
    kind: Literal["door", "opening", "turnstile", "stair"] = "door"
    """Sets the boundary layer of the SFPE flow model (door 0.15 m, opening 0.20 m per side)."""
    state: Literal["open", "closed", "locked"] = "open"
    """State at t = 0."""
    at_m: tuple[Coordinate, Coordinate] | None = None
    """Its position on the plan; if unset, the middle of the two zones' shared edge."""
    floor: int | None = Field(default=None, ge=-20, le=200)
    """The floor it is on, which matters on a stair with `top_floor` (walking through it
    counts the flights between its openings' floors). Unset: the floor of the zone it joins
    that is not a stair, else the one floor its two stairs share, else (a stair to outside)
    the stair's foot."""
    leakage_m2: NonNegativeFloat | None = Field(default=None, le=100.0)
    """Leakage area when closed or locked, m²: smoke seeps through a shut door. Unset: 0.01
    m² per m² of door (width × 2 m; about a 3 mm gap round the leaf; unverified)."""
    staff_open_after_s: Distribution | None = None
    """Time after the alarm at which staff open it if it is still `closed` (ignored otherwise).
    Unset: a closed opening stays closed until an `open_openings` action."""
    signed_exit: bool = True
    """Occupants head for it as if it were open until somebody finds it shut (a signed exit)."""
    capacity_p_s: PositiveFloat | None = Field(default=None, le=1000.0)
    """A measured capacity in persons per second, overriding the flow model."""
    boundary_layer_m: NonNegativeFloat | None = Field(default=None, le=1.0)
    """Boundary layer per side for the SFPE model, overriding the kind's value."""


class Venue(StrictModel):
    """The building: its zones and openings and the flow model of its openings."""

    flow_model: Literal["empirical", "sfpe"] = "empirical"
    """`empirical`: specific_flow_p_s_m per metre of clear width (default 1.3, between theatre
    drills at ~1.0 and laboratory bottlenecks at 1.6-1.9); `sfpe`: the SFPE hydraulic model's
    conservative design value, Fs_max per metre of effective width (boundary layers removed)."""
    specific_flow_p_s_m: PositiveFloat = Field(default=1.3, le=5.0)
    """Persons per second per metre of clear width in the `empirical` model (PD 7974-6: 1.33)."""
    jam_density_p_m2: PositiveFloat = Field(default=3.8, le=10.0)
    """Density at which a zone admits nobody more (SFPE: walking stops at about 3.8 /m²)."""
    zones: list[Zone] = Field(min_length=1, max_length=MAX_ZONES)
    """The zones; at least one."""
    openings: list[Opening] = Field(min_length=1, max_length=MAX_OPENINGS)
    """The openings; at least one must lead to safety."""


def opening_floor(opening: Opening, zones: Mapping[str, Zone]) -> int | None:
    """The floor an opening is on: its own `floor`, else inferred from the zones it joins.

    None when it cannot be told: two stairs sharing more than one floor (or none).
    """
    if opening.floor is not None:
        return opening.floor
    sides = [zones[z] for z in opening.between if z in zones]
    level = [z.floor for z in sides if z.kind != "stair"]
    if level or len(sides) < 2:
        return level[0] if level else (sides[0].floor if sides else None)
    shared = set(sides[0].floors) & set(sides[1].floors)
    return shared.pop() if len(shared) == 1 else None
