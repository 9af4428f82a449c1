"""Positions and distances (pure; geopy does the geodesy)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from geopy.distance import geodesic


@dataclass(frozen=True)
class Position:
    """A WGS-84 fix in signed decimal degrees; accuracy is the radius in metres, if known."""

    lat: float
    lon: float
    accuracy_m: float | None = None

    def __post_init__(self) -> None:
        for name, value, limit in (("lat", self.lat, 90.0), ("lon", self.lon, 180.0)):
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise ValueError(f"{name} must be a number, got {value!r}")
            if not math.isfinite(value) or abs(value) > limit:
                raise ValueError(f"{name} {value!r} is outside ±{limit:g}")
        if self.accuracy_m is not None and (
            not math.isfinite(self.accuracy_m) or self.accuracy_m < 0
        ):
            raise ValueError(f"accuracy_m {self.accuracy_m!r} must be a non-negative number")
        if self.lat == 0 and self.lon == 0:
            raise ValueError("0,0 ('null island') is a placeholder, not a fix")

    def to_dict(self) -> dict:
        out = {"lat": self.lat, "lon": self.lon}
        if self.accuracy_m is not None:
            out["accuracy_m"] = self.accuracy_m
        return out

    @classmethod
    def from_dict(cls, data: dict | None) -> "Position | None":
        if data is None:
            return None
        if not isinstance(data, dict):
            raise ValueError(f"position must be an object, got {data!r}")
        return cls(data.get("lat"), data.get("lon"), data.get("accuracy_m"))


def distance_m(a: Position, b: Position) -> float:
    """Geodesic distance in metres on the WGS-84 ellipsoid."""
    return geodesic((a.lat, a.lon), (b.lat, b.lon)).meters


def bounding_box(centre: Position, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) that surely contains the circle; a cheap prefilter."""
    dlat = radius_m / 110_574.0 * 1.01
    cos_lat = max(math.cos(math.radians(centre.lat)), 1e-6)
    dlon = radius_m / (111_320.0 * cos_lat) * 1.01
    return centre.lat - dlat, centre.lat + dlat, centre.lon - dlon, centre.lon + dlon
