"""The sample boundaries shipped beside the 2022 rules (assets/rules/boundaries.geojson).

Four communities around the rules' made-up office (fieldapp/demo.py CENTRE), split by two main
roads crossing there (建设路 east–west, 人民路 north–south), each reaching out about 1.1 km
with an irregular outer edge. The demo's cases of a community lie inside its area
(`fieldapp.demo.near`). Regenerate with ``python -m fieldapp.maps.sample > assets/rules/boundaries.geojson``.
"""

from __future__ import annotations

import json
import math

CENTRE = (34.7466, 113.6253)  # (lat, lon), as fieldapp/demo.py
#: quadrant of each community: (east sign, north sign)
QUADRANTS = {"C1": (-1, 1), "C2": (1, 1), "C3": (-1, -1), "C4": (1, -1)}
NAMES = {"C1": "第一社区", "C2": "第二社区", "C3": "第三社区", "C4": "第四社区"}
#: where each road ends (metres from the centre): shared by the two communities beside it
AXIS = {"E": 1150, "W": 1200, "N": 1120, "S": 1100}
#: the outer edge of each community between its two road ends (metres east, north; absolute)
OUTER = {
    "C1": [(1230, 380), (1080, 860), (760, 1150), (330, 1190)],
    "C2": [(1180, 400), (1050, 820), (900, 1120), (420, 1180)],
    "C3": [(1210, 450), (1000, 930), (620, 1120), (280, 1150)],
    "C4": [(1170, 350), (1120, 760), (840, 1080), (380, 1160)],
}


def metres_to_lonlat(east: float, north: float) -> list[float]:
    lat = CENTRE[0] + north / 110_574.0
    lon = CENTRE[1] + east / (111_320.0 * math.cos(math.radians(CENTRE[0])))
    return [round(lon, 7), round(lat, 7)]


def ring(code: str) -> list[list[float]]:
    sx, sy = QUADRANTS[code]
    x_end = AXIS["E"] if sx > 0 else AXIS["W"]
    y_end = AXIS["N"] if sy > 0 else AXIS["S"]
    pts = [(0, 0), (sx * x_end, 0)] + [(sx * x, sy * y) for x, y in OUTER[code]] + [(0, sy * y_end), (0, 0)]
    coords = [metres_to_lonlat(x, y) for x, y in pts]
    # GeoJSON outer rings run counter-clockwise (RFC 7946): flip where the quadrant mirrored it
    area = sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(coords, coords[1:]))
    return coords if area > 0 else coords[::-1]


def sample_geojson() -> dict:
    return {"type": "FeatureCollection", "name": "环北办事处社区边界（示例）", "features": [
        {"type": "Feature", "properties": {"code": code, "name": NAMES[code]},
         "geometry": {"type": "Polygon", "coordinates": [ring(code)]}}
        for code in QUADRANTS]}


if __name__ == "__main__":
    print(json.dumps(sample_geojson(), ensure_ascii=False, indent=1))
