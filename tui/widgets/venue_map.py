"""The venue panel: the floor plan at a glance, with occupancy, hazards and shut openings.

The drawing itself is `venue_plan.draw_plan`; this widget fits it to its size, adds the
legend, cycles floors when they do not fit side by side, and names the zone under the mouse
(name, head count, density, hazard) in a tooltip, since small rooms have no room for labels.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.widget import Widget

from .venue_plan import DENSITY_STOPS, OPENING_MARKS, Plan, choose_layout, draw_plan

__all__ = ["VenueMap"]


class VenueMap(Widget):
    """The floor plan of the scenario's venue, redrawn from each `SimState` it is given."""

    DEFAULT_CSS = """
    VenueMap { height: 1fr; width: 1fr; }
    """

    floor: reactive[int | None] = reactive(None)
    """The floor shown when the floors do not all fit (None: the lowest)."""

    def __init__(self, venue, *, name: str | None = None, id: str | None = None, classes: str | None = None):
        super().__init__(name=name, id=id, classes=classes)
        self.venue = venue
        self.state = None
        self._plan: Plan | None = None
        self._floors = sorted({z.floor for z in venue.zones})

    def show(self, state) -> None:
        """Draw this model state (a `SimState`, or None for the empty venue)."""
        self.state = state
        self.refresh()

    @property
    def cycles_floors(self) -> bool:
        """Whether the floors are shown one at a time here (so a key should cycle them)."""
        width, height = self._plan_size()
        return len(self._floors) > 1 and choose_layout(self.venue, width, height, self.floor)[0] == "single"

    def cycle_floor(self) -> int:
        """Show the next floor; returns it."""
        current = self.floor if self.floor in self._floors else self._floors[0]
        self.floor = self._floors[(self._floors.index(current) + 1) % len(self._floors)]
        return self.floor

    def _plan_size(self) -> tuple[int, int]:
        size = self.content_size
        return size.width, max(size.height - len(self._legend(size.width)), 1)

    def render(self) -> Text:
        """The plan, then the legend, in the content region."""
        width, height = self._plan_size()
        if width < 8 or height < 3:
            self._plan = None
            return Text("(too small for the plan)", style="dim")
        self._plan = draw_plan(self.venue, self.state, width, height, floor=self.floor)
        lines = list(self._plan.lines)
        spare = max(0, height - len(lines))
        lines = [Text()] * (spare // 2) + lines + [Text()] * (spare - spare // 2)
        return Text("\n").join([*lines, *self._legend(width)])

    def _legend(self, width: int) -> list[Text]:
        """One line if it fits, else two: hazard and opening symbols, then the density ramp."""
        marks = Text()
        marks.append("▲", "bold #ffffff on #c0262d").append(" threat  ")
        marks.append("░", "#b8b8b8").append(" smoke  ")
        marks.append("▒", "#ff9a3c").append(" untenable  ")
        for state, (symbol, style) in OPENING_MARKS.items():
            marks.append(symbol, style).append(f" {state}  ")
        ramp = Text("people/m² ", style="dim")
        for limit, colour in DENSITY_STOPS[1:]:
            ramp.append(f"{limit:g}", Style(bgcolor=colour, color="#101010" if limit >= 2 else "#f0f0f0"))
            ramp.append(" ")
        if self.cycles_floors_hint(width):
            ramp.append(" f: next floor", style="dim italic")
        if len(marks) + len(ramp) <= width:
            return [marks + ramp]
        marks.truncate(width)
        ramp.truncate(width)
        return [marks, ramp]

    def cycles_floors_hint(self, width: int) -> bool:
        """Whether to remind the user of the floor key (only when floors are shown one at a time)."""
        return len(self._floors) > 1 and self._plan is not None and len(self._plan.floors) == 1

    def watch_floor(self) -> None:
        """Redraw on another floor."""
        self.refresh()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """Name the zone under the pointer: small rooms cannot carry their own labels."""
        offset = event.get_content_offset(self)
        zone_id = None
        if self._plan is not None and offset is not None:
            row = offset.y
            if 0 <= row < len(self._plan.owners) and 0 <= offset.x < len(self._plan.owners[row]):
                zone_id = self._plan.owners[row][offset.x]
        self.tooltip = Text(self._describe(zone_id)) if zone_id else None  # zone names are literal

    def _describe(self, zone_id: str) -> str:
        zone = next(z for z in self.venue.zones if z.id == zone_id)
        state = self.state
        count = state.zones.get(zone_id, 0) if state is not None else 0
        lines = [
            f"{zone.name or zone.id} ({zone.id}, floor {zone.floor})",
            f"{count:,} people · {count / zone.area_m2:.2f}/m² · {zone.area_m2:,.0f} m²",
        ]
        if state is not None:
            hazards = [
                label
                for flag, label in (
                    (state.threat_zone == zone_id, "▲ threat here"),
                    (zone_id in state.untenable_zones, "▒ untenable"),
                    (zone_id in state.smoky_zones and zone_id not in state.untenable_zones, "░ smoke"),
                )
                if flag
            ]
            if hazards:
                lines.append(" · ".join(hazards))
        if zone.lockable:
            lines.append("lockable: people can shelter here")
        return "\n".join(lines)
