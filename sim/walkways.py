"""Walks across a polygon zone that stay inside it: round the corner of an L, round a hole.

A walk between two points of a zone is the straight line when that line lies inside the zone
(the common case), else the shortest path through the corners of its outline: a visibility
graph over the polygon's vertices (two corners are joined when the segment between them lies
inside), searched with Dijkstra. The corners' graph is built once per zone, when the venue is
built; walks between openings are cached per pair, so the run only pays for people who start
at their own places (docs/model.md, walking distances).
"""

from __future__ import annotations

import heapq
import math

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon

__all__ = ["Walkways"]

SLACK_M = 0.01
"""A segment may leave the zone by this much and still count as inside: openings sit on its
edge and the path hugs its corners."""


class Walkways:
    """Shortest walks inside one zone's plan (a shapely Polygon or MultiPolygon)."""

    def __init__(self, outline: Polygon):
        self.area = outline.buffer(SLACK_M, join_style="mitre")
        """The plan with a little slack, for 'does this segment stay inside' tests."""
        shapely.prepare(self.area)
        polygons = list(getattr(outline, "geoms", [outline]))
        rings = [r for p in polygons for r in (p.exterior, *p.interiors)]
        self.corners: list[tuple[float, float]] = [
            (float(x), float(y)) for ring in rings for x, y in list(ring.coords)[:-1]
        ]
        """The outline's vertices: where a shortest walk can turn."""
        self._points = np.array(self.corners, dtype=float).reshape(-1, 2)
        n = len(self.corners)
        self.graph: list[list[tuple[int, float]]] = [[] for _ in range(n)]
        """Which corners see each other, and how far apart they are."""
        for i in range(n):
            seen = self._seen_from(self.corners[i])
            for j in np.flatnonzero(seen[i + 1:]) + i + 1:
                d = math.dist(self.corners[i], self.corners[j])
                self.graph[i].append((int(j), d))
                self.graph[int(j)].append((i, d))
        self._cache: dict[tuple[tuple[float, float], tuple[float, float]], float] = {}
        self._ends: dict[tuple[float, float], dict[int, float]] = {}
        """Per opening walked to: the corners that see it, and how far they are from it."""

    def visible(self, a: tuple[float, float], b: tuple[float, float]) -> bool:
        """Whether the straight segment from a to b stays inside the zone."""
        if a == b:
            return True
        return bool(self.area.covers(LineString((a, b))))

    def _seen_from(self, a: tuple[float, float]) -> np.ndarray:
        """Which corners the point `a` sees (one vectorised test for them all)."""
        starts = np.broadcast_to(np.asarray(a, dtype=float), self._points.shape)
        segments = shapely.linestrings(np.stack((starts, self._points), axis=1))
        seen = shapely.covers(self.area, segments)
        seen[np.all(self._points == starts, axis=1)] = True  # a corner sees itself
        return seen

    def _sight(self, a: tuple[float, float]) -> dict[int, float]:
        """The corners `a` sees, with their distances from it."""
        return {int(i): math.dist(a, self.corners[i]) for i in np.flatnonzero(self._seen_from(a))}

    def length(self, a: tuple[float, float], b: tuple[float, float], *, cache: bool = False) -> float:
        """Length of the shortest walk inside the zone from a to b (cached if `cache`: openings)."""
        key = (a, b)
        if cache and key in self._cache:
            return self._cache[key]
        found = self._shortest(a, b)
        if cache:
            self._cache[key] = self._cache[(b, a)] = found
        return found

    def _shortest(self, a: tuple[float, float], b: tuple[float, float]) -> float:
        straight = math.dist(a, b)
        if self.visible(a, b):
            return straight
        to_b = self._ends.get(b)
        if to_b is None:
            to_b = self._ends[b] = self._sight(b)  # walks end at openings: few distinct ends
        best: dict[int, float] = {}
        heap = [(d, i) for i, d in self._sight(a).items()]
        heapq.heapify(heap)
        result = math.inf
        while heap:
            d, i = heapq.heappop(heap)
            if d >= result:
                break
            if i in best:
                continue
            best[i] = d
            if i in to_b:
                result = min(result, d + to_b[i])
            for j, step in self.graph[i]:
                if j not in best:
                    heapq.heappush(heap, (d + step, j))
        return result if math.isfinite(result) else straight  # no path: a point off the plan
