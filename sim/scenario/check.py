"""Cross-checks that the schema alone cannot make: references, reachability, sizes.

Each problem comes back as (path, message) so the loader can point at the exact line.
"""

from __future__ import annotations

from collections import defaultdict, deque

from ..geometry import near_zone, shared_edge_point
from .errors import quote
from .limits import MAX_OCCUPANTS
from .merge import Path
from .plan_check import check_plan, overlap_m2
from .scenario import BASELINE, Scenario
from .venue import OUTSIDE, Zone, opening_floor

__all__ = ["check_scenario"]


def check_scenario(scenario: Scenario) -> list[tuple[Path, str]]:
    """Every cross-reference and plausibility problem in a validated scenario."""
    problems: list[tuple[Path, str]] = []
    venue = scenario.venue
    zones: dict[str, Zone] = {}
    for i, zone in enumerate(venue.zones):
        if zone.id == OUTSIDE:
            problems.append((("venue", "zones", i, "id"), f"'{OUTSIDE}' is reserved for the safe outside"))
        elif zone.id in zones:
            problems.append((("venue", "zones", i, "id"), f"duplicate zone id '{zone.id}'"))
        else:
            zones[zone.id] = zone

    seen_openings: set[str] = set()
    links: dict[str, set[str]] = defaultdict(set)
    broken_links = False  # an opening names an unknown zone: routes cannot be judged
    for i, opening in enumerate(venue.openings):
        at = ("venue", "openings", i)
        if opening.id in seen_openings:
            problems.append(((*at, "id"), f"duplicate opening id '{opening.id}'"))
        seen_openings.add(opening.id)
        a, b = opening.between
        unknown = [(k, z) for k, z in enumerate((a, b)) if z != OUTSIDE and z not in zones]
        for k, z in unknown:
            problems.append(((*at, "between", k), f"unknown zone {quote(z)}"))
        broken_links = broken_links or bool(unknown)
        if a == b:
            problems.append(((*at, "between"), "an opening must join two different zones"))
        if unknown or a == b:
            continue
        links[a].add(b)
        links[b].add(a)
        problems.extend(_check_position(opening, zones, at))
        problems.extend(_check_floors(opening, zones, at))

    total = 0
    group_ids: set[str] = set()
    counts = scenario.population.counts  # after population.scale, as they run
    for i, group in enumerate(scenario.population.occupants):
        at = ("population", "occupants", i)
        total += counts[i]
        if group.id is not None:
            if group.id in group_ids:
                problems.append(((*at, "id"), f"duplicate occupant group id '{group.id}'"))
            group_ids.add(group.id)
        group_zone = zones.get(group.zone)
        if group_zone is None:
            problems.append(((*at, "zone"), f"unknown zone '{group.zone}'"))
            continue
        if group_zone.is_safe:
            problems.append(((*at, "zone"),
                             f"'{group_zone.id}' is an outside zone: its people are already safe"))
        if group.at_m is not None and not near_zone(group.at_m, group_zone):
            problems.append(((*at, "at_m"), f"position {list(group.at_m)} is not in zone '{group_zone.id}'"))
        if group.entrance is not None and group.entrance not in seen_openings:
            problems.append(((*at, "entrance"), f"unknown opening '{group.entrance}'"))
        if group.assigned_exit is not None:
            problems.extend(_check_assigned_exit(group.assigned_exit, venue.openings, zones, at))
    if total > MAX_OCCUPANTS:
        problems.append((("population", "occupants"),
                         f"{total} occupants{_scaled(scenario)} exceed the limit of {MAX_OCCUPANTS}"))

    problems.extend(check_plan(venue, zones))
    problems.extend(_check_incident(scenario, zones))
    problems.extend(_check_intel(scenario))
    problems.extend(_check_uncertain(scenario))
    problems.extend(_check_injects(scenario))
    problems.extend(_check_density(scenario, zones))
    problems.extend(_check_hiding_places(scenario))
    if not broken_links:  # else "no route to safety" would only repeat the unknown zone
        problems.extend(_check_reachability(scenario, zones, links))

    if set(scenario.protocols.get(BASELINE, {})) - {"description"}:
        problems.append((("protocols", BASELINE),
                         "'baseline' is the file as written: it may carry only a description"))
    for name, override in scenario.protocols.items():
        if not isinstance(override.get("description", ""), str):
            problems.append((("protocols", name, "description"), "must be text"))
        if "protocols" in override:
            problems.append((("protocols", name, "protocols"), "a protocol cannot define protocols"))
    return problems


def _check_assigned_exit(exit_id: str, openings, zones: dict[str, Zone], at: Path) -> list[tuple[Path, str]]:
    """An assigned exit must be an opening that leads outside: people are sent out by it."""
    path = (*at, "assigned_exit")
    opening = next((o for o in openings if o.id == exit_id), None)
    if opening is None:
        return [(path, f"unknown opening {quote(exit_id)}")]
    if not any(z == OUTSIDE or (z in zones and zones[z].is_safe) for z in opening.between):
        return [(path, f"opening {quote(exit_id)} does not lead outside: an assigned exit must")]
    return []


def _check_position(opening, zones, at: Path) -> list[tuple[Path, str]]:
    a, b = opening.between
    inside = [zones[z] for z in (a, b) if z != OUTSIDE]
    if opening.at_m is None:
        if len(inside) < 2:
            return [((*at, "at_m"), "an opening to outside needs its position at_m: [x, y]")]
        if shared_edge_point(inside[0], inside[1]) is None:
            if overlap_m2(inside[0], inside[1]):
                return []  # reported as an overlap by check_plan
            return [((*at, "at_m"), f"zones '{a}' and '{b}' share no edge: give at_m: [x, y]")]
        return []
    return [
        ((*at, "at_m"), f"position {list(opening.at_m)} is not on zone '{zone.id}'")
        for zone in inside
        if not near_zone(opening.at_m, zone)
    ]


def _check_incident(scenario: Scenario, zones) -> list[tuple[Path, str]]:
    """Zones named by the threat, the fire and the staged evacuation exist and are inside."""
    named: list[tuple[Path, str]] = []
    threat, fire = scenario.incident.threat, scenario.incident.fire
    if threat is not None:
        named += [(("incident", "threat", "route", i, "zone"), stop.zone)
                  for i, stop in enumerate(threat.route)]
    if fire is not None:
        named.append((("incident", "fire", "zone"), fire.zone))
    named += [(("incident", "further_fires", i, "zone"), f.zone)
              for i, f in enumerate(scenario.incident.further_fires)]
    for i, stage in enumerate(scenario.response.stages):
        named += [(("response", "stages", i, j), zone) for j, zone in enumerate(stage)]
    problems = []
    for path, zone_id in named:
        zone = zones.get(zone_id)
        if zone is None:
            problems.append((path, f"unknown zone '{zone_id}'"))
        elif zone.is_safe:
            problems.append((path, f"'{zone_id}' is an outside zone"))
    return problems


def _check_intel(scenario: Scenario) -> list[tuple[Path, str]]:
    """Channels and warnings name known agencies; posture levels are unique and defined."""
    problems: list[tuple[Path, str]] = []
    levels = [p.level for p in scenario.posture_levels]
    for i, level in enumerate(levels):
        if levels.index(level) != i:
            problems.append((("posture_levels", i, "level"), f"duplicate posture level {level}"))
    known_levels = set(levels) | {0}
    intel = scenario.intel
    if intel is None:
        return problems
    agencies = {a.id for a in intel.agencies}
    for i, channel in enumerate(intel.channels):
        for key, name in (("from", channel.sender), ("to", channel.to)):
            if name not in agencies:
                problems.append((("intel", "channels", i, key), f"unknown agency '{name}'"))
    for i, warning in enumerate(intel.warnings):
        if warning.origin not in agencies:
            problems.append((("intel", "warnings", i, "origin"), f"unknown agency '{warning.origin}'"))
    for i, agency in enumerate(intel.agencies):
        if agency.raises_posture_to not in known_levels:
            problems.append((("intel", "agencies", i, "raises_posture_to"),
                             f"no posture level {agency.raises_posture_to} in posture_levels"))
    for key in ("initial_posture", "fixed_posture"):
        level = getattr(intel, key)
        if level is not None and level not in known_levels:
            problems.append((("intel", key), f"no posture level {level} in posture_levels"))
    return problems


def _check_uncertain(scenario: Scenario) -> list[tuple[Path, str]]:
    """Every uncertain parameter names a number the scenario accepts at both ends of its range."""
    problems: list[tuple[Path, str]] = []
    names = set()
    for i, param in enumerate(scenario.uncertain):
        if param.name in names:
            problems.append((("uncertain", i, "name"), f"duplicate name '{param.name}'"))
        names.add(param.name)
        for end in ("low", "high"):
            try:
                scenario.with_values({param.name: getattr(param, end)})
            except (KeyError, ValueError) as exc:
                message = str(exc).splitlines()[0] if not hasattr(exc, "errors") else \
                    f"{'.'.join(map(str, exc.errors()[0]['loc']))}: {exc.errors()[0]['msg']}"
                value = getattr(param, end)
                problems.append((("uncertain", i, "path"), f"{end} = {value:g} does not apply: {message}"))
                break
    return problems


def _check_injects(scenario: Scenario) -> list[tuple[Path, str]]:
    """Inject ids are unique, every option's actions are valid for this scenario, and so are conditions.

    Their arguments are checked as a decisions file's are (`dispatch.check_arguments`); when
    they apply depends on when the players decide, so the console judges that.
    """
    from ..actions import parse_action  # the actions module builds on the schema: import late
    from ..conditions import check_inject_conditions
    from ..dispatch import check_arguments

    problems: list[tuple[Path, str]] = []
    seen: set[str] = set()
    for i, inject in enumerate(scenario.injects):
        if inject.id in seen:
            problems.append((("injects", i, "id"), f"duplicate inject id '{inject.id}'"))
        seen.add(inject.id)
        if inject.decision is None:
            continue
        for j, option in enumerate(inject.decision.options):
            for k, raw in enumerate(option.actions):
                at = ("injects", i, "decision", "options", j, "actions", k)
                try:
                    action = parse_action(raw)
                except ValueError as exc:
                    first = exc.errors()[0] if hasattr(exc, "errors") else {"msg": str(exc), "loc": ()}
                    problems.append(((*at, *first["loc"]), str(first["msg"])))
                    continue
                problems += [((*at, *path), message) for path, message in check_arguments(action, scenario)]
    return problems + check_inject_conditions(scenario)


def _check_floors(opening, zones, at: Path) -> list[tuple[Path, str]]:
    """An opening joins zones on one floor, or a stair and a zone on a floor it reaches.

    A stair reaches the floors from its foot to its head (`Zone.floors`); an opening's own
    `floor` must be one each of its zones reaches, and an opening of a stair with
    `top_floor` must have a floor that can be told (`opening_floor`).
    """
    inside = [zones[z] for z in opening.between if z != OUTSIDE]
    if opening.floor is not None:
        off = [z for z in inside if opening.floor not in z.floors]
        if off:
            return [((*at, "floor"), f"floor {opening.floor} is not on {_span(off[0])}")]
    if len(inside) == 2 and not set(inside[0].floors) & set(inside[1].floors):
        a, b = inside
        return [((*at, "between"), f"{_span(a)} and {_span(b)} are on different floors; "
                 "join them through a stair zone")]
    cores = [z for z in inside if z.kind == "stair" and z.top_floor is not None]
    if cores and opening_floor(opening, zones) is None:
        a, b = inside
        shared = sorted(set(a.floors) & set(b.floors))
        return [((*at, "floor"), f"stairs '{a.id}' and '{b.id}' share floors {shared[0]} to "
                 f"{shared[-1]}: say which this opening is on (floor: N)")]
    return []


def _span(zone: Zone) -> str:
    """How a message names a zone and its floors: "'core' (floors 0 to 3)"."""
    floors = zone.floors
    where = f"floor {floors[0]}" if len(floors) == 1 else f"floors {floors[0]} to {floors[-1]}"
    return f"'{zone.id}' ({where})"


def _check_density(scenario: Scenario, zones) -> list[tuple[Path, str]]:
    counts: dict[str, int] = defaultdict(int)
    first_index: dict[str, int] = {}
    scaled = scenario.population.counts
    for i, group in enumerate(scenario.population.occupants):
        counts[group.zone] += scaled[i]
        first_index.setdefault(group.zone, i)
    problems: list[tuple[Path, str]] = []
    for zone_id, count in counts.items():
        zone = zones.get(zone_id)
        if zone is None or zone.is_safe:
            continue
        limit = zone.max_density_p_m2 or scenario.venue.jam_density_p_m2
        density = count / zone.area_m2
        if density > limit:
            problems.append((
                ("population", "occupants", first_index[zone_id], "count"),
                f"{count} people{_scaled(scenario)} in {zone.area_m2:.0f} m² of '{zone_id}' "
                f"is {density:.2f} /m², "
                f"above its limit of {limit:g} /m²",
            ))
    return problems


def _check_hiding_places(scenario: Scenario) -> list[tuple[Path, str]]:
    """A hiding place is inside, and holds no more than its floor does at the density limit."""
    problems: list[tuple[Path, str]] = []
    for i, zone in enumerate(scenario.venue.zones):
        if not zone.hide_capacity:
            continue
        at = ("venue", "zones", i, "hide_capacity")
        if zone.is_safe:
            problems.append((at, f"'{zone.id}' is an outside zone: nobody hides where they are safe"))
            continue
        limit = zone.max_density_p_m2 or scenario.venue.jam_density_p_m2
        room = max(1, int(limit * zone.area_m2))
        if zone.hide_capacity > room:
            problems.append((at, f"{zone.hide_capacity} people cannot hide in {zone.area_m2:.0f} m² of "
                                 f"'{zone.id}': at most {room} at {limit:g} /m²"))
    return problems


def _check_reachability(scenario: Scenario, zones, links) -> list[tuple[Path, str]]:
    safe = {OUTSIDE} | {z.id for z in zones.values() if z.is_safe}
    reached = set(safe)
    queue = deque(safe)
    while queue:
        for nxt in links.get(queue.popleft(), ()):
            if nxt not in reached:
                reached.add(nxt)
                queue.append(nxt)
    counts = scenario.population.counts
    return [
        (("population", "occupants", i, "zone"), f"zone '{g.zone}' has no route to safety")
        for i, g in enumerate(scenario.population.occupants)
        if g.zone in zones and g.zone not in reached and counts[i] > 0
    ]


def _scaled(scenario: Scenario) -> str:
    """' (scaled ×1.5)' where population.scale changes the counts, for messages about them."""
    scale = scenario.population.scale
    return "" if scale == 1.0 else f" (scaled ×{scale:g})"
