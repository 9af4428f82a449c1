"""Markers grouped when zoomed out (pure): a grid in Web Mercator pixels at the map's zoom.

`cluster(points, zoom, cell_px, view)` puts every point in the grid cell of `cell_px` screen
pixels it falls in at `zoom`; a cell with one point is that point, a cell with more is a cluster
at their mean place. `view` (min_lat, min_lon, max_lat, max_lon) drops what is off screen, so
a map of 5,000 cases draws at most a screenful of markers at any zoom.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generic, Iterable, Optional, Sequence, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Point(Generic[T]):
    lat: float
    lon: float
    item: T


@dataclass(frozen=True)
class Group(Generic[T]):
    lat: float
    lon: float
    points: tuple[Point[T], ...]

    @property
    def single(self) -> bool:
        return len(self.points) == 1


def world_px(lat: float, lon: float, zoom: float) -> tuple[float, float]:
    scale = 256 * 2 ** zoom
    lat = max(-85.0511, min(85.0511, lat))
    x = (lon + 180) / 360 * scale
    s = math.sin(math.radians(lat))
    y = (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * scale
    return x, y


def cluster(points: Iterable[Point[T]], zoom: float, cell_px: float = 56,
            view: Optional[tuple[float, float, float, float]] = None) -> list[Group[T]]:
    cells: dict[tuple[int, int], list[Point[T]]] = {}
    z = math.floor(zoom)
    for p in points:
        if view is not None and not (view[0] <= p.lat <= view[2] and view[1] <= p.lon <= view[3]):
            continue
        x, y = world_px(p.lat, p.lon, z)
        cells.setdefault((int(x // cell_px), int(y // cell_px)), []).append(p)
    out = []
    for members in cells.values():
        lat = sum(p.lat for p in members) / len(members)
        lon = sum(p.lon for p in members) / len(members)
        out.append(Group(lat, lon, tuple(members)))
    return out


def view_box(lat: float, lon: float, zoom: float, width_px: float, height_px: float,
             margin: float = 0.5) -> tuple[float, float, float, float]:
    """The (min_lat, min_lon, max_lat, max_lon) a map of that size shows around its centre (plus margin)."""
    x, y = world_px(lat, lon, zoom)
    scale = 256 * 2 ** zoom
    half_w, half_h = width_px * (0.5 + margin), height_px * (0.5 + margin)

    def back(px: float, py: float) -> tuple[float, float]:
        lon_ = px / scale * 360 - 180
        n = math.pi - 2 * math.pi * py / scale
        return math.degrees(math.atan(math.sinh(n))), lon_
    north, west = back(x - half_w, y - half_h)
    south, east = back(x + half_w, y + half_h)
    return south, west, north, east


def fit_zoom(points: Sequence[tuple[float, float]], width_px: float, height_px: float,
             max_zoom: float = 17, min_zoom: float = 3) -> tuple[float, float, float]:
    """(lat, lon, zoom) showing every point on a map of that size."""
    if not points:
        return 0.0, 0.0, min_zoom
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    lat, lon = (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    for z in range(int(max_zoom), int(min_zoom) - 1, -1):
        x0, y0 = world_px(max(lats), min(lons), z)
        x1, y1 = world_px(min(lats), max(lons), z)
        if x1 - x0 <= width_px * 0.85 and y1 - y0 <= height_px * 0.85:
            return lat, lon, z
    return lat, lon, min_zoom
