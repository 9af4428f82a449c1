"""Community boundaries: one GeoJSON file beside the rules, checked with shapely.

Where the file lives (like the rules files, fieldapp/rules.py):

- shipped: ``assets/rules/boundaries.geojson`` — a sample drawn around the shipped rules' made-up
  office (the demo's cases lie inside it); an office replaces it with its own;
- an office's own: ``<office dir>/rules/boundaries.geojson`` (``fieldapp office boundaries import
  FILE.geojson``);
- a phone's: ``<phone dir>/rules/boundaries.geojson``, the office's file received at sync
  (sync/mapsync.py).

The file is a FeatureCollection with one feature per community: ``properties.code`` (a community
code of the rules), optionally ``properties.name``, and a Polygon or MultiPolygon geometry in WGS-84
longitude/latitude (GeoJSON order). `check_text` refuses, with a message in Chinese naming the
feature, anything else: not JSON, not GeoJSON, an unknown or repeated code, a ring that is not
closed or has too few points, coordinates off the globe, an invalid polygon (self-intersection,
as shapely's `explain_validity` says), or two communities overlapping by more than
`OVERLAP_TOLERANCE_M2`.

Positions are WGS-84 as the GPS gives them; `Boundaries.community_at(lat, lon)` says which
community's area holds a position (shapely's prepared `covers`), or None.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, shape
from shapely.validation import explain_validity

from fieldapp.rules import RULES_DIR, rules_dir, write_text_atomic

FILE_NAME = "boundaries.geojson"
SHIPPED = RULES_DIR / FILE_NAME
#: two communities may share an edge; an overlap larger than this (square metres) is refused
OVERLAP_TOLERANCE_M2 = 100.0
MAX_BYTES = 20 * 1024 * 1024


class BoundaryError(ValueError):
    """A boundaries file that cannot be used; the message is Chinese, for the office clerk."""


@dataclass(frozen=True)
class Community:
    code: str
    name: str
    geometry: Polygon | MultiPolygon

    def rings(self) -> list[list[tuple[float, float]]]:
        """Outer rings as (lat, lon) lists, for drawing."""
        polys = self.geometry.geoms if isinstance(self.geometry, MultiPolygon) else [self.geometry]
        return [[(lat, lon) for lon, lat in p.exterior.coords] for p in polys]

    def holes(self) -> list[list[list[tuple[float, float]]]]:
        polys = self.geometry.geoms if isinstance(self.geometry, MultiPolygon) else [self.geometry]
        return [[[(lat, lon) for lon, lat in ring.coords] for ring in p.interiors] for p in polys]


class Boundaries:
    """The communities' areas of one file (maybe none)."""

    def __init__(self, communities: Iterable[Community] = (), text: str = ""):
        self.communities: dict[str, Community] = {c.code: c for c in communities}
        self.text = text
        self.digest = hashlib.sha256(text.encode("utf-8")).hexdigest() if text else ""
        for c in self.communities.values():
            shapely.prepare(c.geometry)

    def __bool__(self) -> bool:
        return bool(self.communities)

    def community_at(self, lat: float, lon: float) -> Optional[str]:
        """The code of the community whose area holds the position, or None (outside all)."""
        point = Point(lon, lat)
        for code, c in self.communities.items():
            if c.geometry.covers(point):
                return code
        return None

    def inside(self, code: str, lat: float, lon: float) -> bool:
        c = self.communities.get(code)
        return c is not None and c.geometry.covers(Point(lon, lat))

    def bounds(self, codes: Optional[Iterable[str]] = None) -> Optional[tuple[float, float, float, float]]:
        """(min_lat, min_lon, max_lat, max_lon) of the named communities (all: None), or None."""
        chosen = [c for k, c in self.communities.items() if codes is None or k in set(codes)]
        if not chosen:
            return None
        boxes = [c.geometry.bounds for c in chosen]  # (minx, miny, maxx, maxy) = lon, lat
        return (min(b[1] for b in boxes), min(b[0] for b in boxes),
                max(b[3] for b in boxes), max(b[2] for b in boxes))


# --- checking -------------------------------------------------------------------------------


def _metres_factor(lat: float) -> tuple[float, float]:
    return 111_320.0 * math.cos(math.radians(lat)), 110_574.0


def _area_m2(geometry, lat: float) -> float:
    fx, fy = _metres_factor(lat)
    return geometry.area * fx * fy


def _ring(coords, where: str, index: int) -> list[tuple[float, float]]:
    if not isinstance(coords, list) or len(coords) < 4:
        raise BoundaryError(f"{where}：第{index}个环至少要有4个坐标（首尾相同的闭合环）")
    ring = []
    for n, pt in enumerate(coords, start=1):
        if (not isinstance(pt, list) or len(pt) < 2
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in pt[:2])):
            raise BoundaryError(f"{where}：第{index}个环的第{n}个坐标不是 [经度, 纬度]")
        lon, lat = float(pt[0]), float(pt[1])
        if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lon) > 180 or abs(lat) > 90:
            raise BoundaryError(f"{where}：第{index}个环的第{n}个坐标 [{pt[0]}, {pt[1]}] 超出经纬度范围")
        ring.append((lon, lat))
    if ring[0] != ring[-1]:
        raise BoundaryError(f"{where}：第{index}个环未闭合（第一个坐标与最后一个坐标不同）")
    return ring


def _polygon(rings, where: str) -> Polygon:
    if not isinstance(rings, list) or not rings:
        raise BoundaryError(f"{where}：多边形没有坐标")
    checked = [_ring(r, where, i) for i, r in enumerate(rings, start=1)]
    return Polygon(checked[0], checked[1:])


def _geometry(geom, where: str) -> Polygon | MultiPolygon:
    if not isinstance(geom, dict):
        raise BoundaryError(f"{where}：缺少几何图形（geometry）")
    kind = geom.get("type")
    coords = geom.get("coordinates")
    if kind == "Polygon":
        result = _polygon(coords, where)
    elif kind == "MultiPolygon":
        if not isinstance(coords, list) or not coords:
            raise BoundaryError(f"{where}：多边形没有坐标")
        result = MultiPolygon([_polygon(p, f"{where}第{i}部分") for i, p in enumerate(coords, start=1)])
    else:
        raise BoundaryError(f"{where}：几何类型应为 Polygon 或 MultiPolygon，而不是 {kind!r}")
    if not result.is_valid:
        raise BoundaryError(f"{where}：多边形无效（{_why_invalid(explain_validity(result))}）")
    if result.area <= 0:
        raise BoundaryError(f"{where}：多边形面积为零")
    return result


def _why_invalid(reason: str) -> str:
    """shapely's reason in Chinese where we know it (the position stays as it said)."""
    words = {"Self-intersection": "边界自相交", "Ring Self-intersection": "环自相交",
             "Too few points": "点太少", "Hole lies outside shell": "内环在外环之外",
             "Nested shells": "外环嵌套", "Interior is disconnected": "内部不连通",
             "Duplicate Rings": "环重复", "Nested holes": "内环嵌套"}
    for en, zh in words.items():
        if reason.startswith(en):
            return zh + reason[len(en):]
    return reason


def check_text(text: str, community_names: dict[str, str]) -> Boundaries:
    """Parse and check a boundaries file against the rules' communities (code → name).
    Raises BoundaryError with a Chinese message; nothing is kept here."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, ValueError) as exc:
        raise BoundaryError(f"边界文件不是有效的 GeoJSON：第{getattr(exc, 'lineno', '?')}行有格式错误") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" \
            or not isinstance(data.get("features"), list):
        raise BoundaryError("边界文件应为 GeoJSON 要素集合（FeatureCollection），每个社区一个要素")
    if not data["features"]:
        raise BoundaryError("边界文件中没有任何社区")
    communities: list[Community] = []
    for n, feature in enumerate(data["features"], start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        code = props.get("code") if isinstance(props, dict) else None
        if not isinstance(code, str) or not code:
            raise BoundaryError(f"第{n}个要素：缺少社区代码（properties.code）")
        if code not in community_names:
            known = "、".join(community_names) or "无"
            raise BoundaryError(f"第{n}个要素：社区代码“{code}”不在考核规则的社区中（规则中的社区：{known}）")
        name = community_names[code]
        where = f"第{n}个要素（{name}）"
        if any(c.code == code for c in communities):
            raise BoundaryError(f"{where}：{name}的边界出现了两次")
        communities.append(Community(code, name, _geometry(feature.get("geometry"), where)))
    for i, a in enumerate(communities):
        for b in communities[i + 1:]:
            if not a.geometry.intersects(b.geometry):
                continue
            overlap = a.geometry.intersection(b.geometry)
            lat = overlap.centroid.y if not overlap.is_empty else 0.0
            area = _area_m2(overlap, lat)
            if area > OVERLAP_TOLERANCE_M2:
                raise BoundaryError(f"{a.name}与{b.name}的边界重叠约{area:,.0f}平方米"
                                    f"（允许相邻社区共用边线，重叠不得超过{OVERLAP_TOLERANCE_M2:.0f}平方米）")
    return Boundaries(communities, text)


# --- files ------------------------------------------------------------------------------------


def own_path(data_dir: str | Path) -> Path:
    return rules_dir(data_dir) / FILE_NAME


def path_of(data_dir: str | Path | None) -> Optional[Path]:
    """The file a data folder's boundaries come from: its own, else the shipped sample, else None."""
    if data_dir is not None and own_path(data_dir).is_file():
        return own_path(data_dir)
    return SHIPPED if SHIPPED.is_file() else None


def load(data_dir: str | Path | None, community_names: dict[str, str]) -> Boundaries:
    """The boundaries of a data folder; none (an empty Boundaries) if there is no file or it is
    broken (a broken file never reaches a phone: the office checks it on import, the phone on receipt)."""
    path = path_of(data_dir)
    if path is None:
        return Boundaries()
    try:
        return check_text(path.read_text(encoding="utf-8"), community_names)
    except (OSError, UnicodeDecodeError, BoundaryError):
        return Boundaries()


def read_import(path: str | Path, community_names: dict[str, str]) -> Boundaries:
    """Read and check a file to import; BoundaryError (Chinese) for anything wrong with it."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise BoundaryError(f"无法读取边界文件 {path}：{exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise BoundaryError(f"边界文件过大（超过 {MAX_BYTES // (1024 * 1024)} MB）")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BoundaryError("边界文件应为 UTF-8 编码的 GeoJSON") from None
    return check_text(text, community_names)


def save(data_dir: str | Path, boundaries: Boundaries) -> Path:
    """Keep checked boundaries as the data folder's own file (atomic)."""
    dest = own_path(data_dir)
    write_text_atomic(dest, boundaries.text)
    return dest


def names_of(rule_sets) -> dict[str, str]:
    """Community code → name over several years' rules (a later year's name wins)."""
    out: dict[str, str] = {}
    for rules in rule_sets:
        out.update({c.code: c.name for c in rules.communities})
    return out
