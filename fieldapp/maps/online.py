"""The office's optional online tile source, and GCJ-02 for display only.

``<office dir>/maps.json`` holds ``{"online": {"url", "attribution", "datum"}}`` (written by
``fieldapp office tiles online --url ... --attribution ... [--datum gcj02]``, removed by
``--off``). `url` is an XYZ template with ``{z}``, ``{x}``, ``{y}`` (and maybe ``{s}``);
`datum` is what the tiles are drawn in: ``wgs84`` (OpenStreetMap, 天地图's CGCS2000, which differs
from WGS-84 by centimetres) or ``gcj02`` (most commercial Chinese maps: 高德, 腾讯).

Positions are stored as the GPS gives them (WGS-84). Over GCJ-02 tiles, markers and boundaries are
drawn at `wgs84_to_gcj02` of their position — display only, nothing stored changes.

Why our own 20 lines for the conversion rather than a library: the Python packages that do it
(eviltransform 0.1.1, 2018; coord-convert 0.2.1, 2019; coordTransform 0.2.1, a compiled wheel
without tests) are unmaintained or untested; the forward transform is one published closed-form
formula (no iteration, unlike GCJ→WGS), and tests/test_maps_online.py checks it against values
computed with eviltransform.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Optional

from fieldapp.rules import write_text_atomic

FILE_NAME = "maps.json"
DATUMS = ("wgs84", "gcj02", "cgcs2000")


class SourceError(ValueError):
    """A tile source the office cannot use (Chinese message)."""


@dataclass(frozen=True)
class OnlineSource:
    url: str
    attribution: str
    datum: str = "wgs84"

    @property
    def gcj(self) -> bool:
        return self.datum == "gcj02"

    def to_dict(self) -> dict:
        return asdict(self)


def check(url: str, attribution: str, datum: str = "wgs84") -> OnlineSource:
    url, attribution, datum = (url or "").strip(), (attribution or "").strip(), (datum or "wgs84").strip().lower()
    if not url.startswith(("http://", "https://")):
        raise SourceError("在线瓦片地址应以 http:// 或 https:// 开头")
    if not all(part in url for part in ("{z}", "{x}", "{y}")):
        raise SourceError("在线瓦片地址应含有 {z}、{x}、{y}（例如 https://example.com/{z}/{x}/{y}.png）")
    if not attribution:
        raise SourceError("请填写地图来源的署名（--attribution），瓦片的许可通常要求在地图上注明")
    if datum not in DATUMS:
        raise SourceError(f"坐标系应为 {'、'.join(DATUMS)} 之一，而不是“{datum}”")
    return OnlineSource(url, attribution, "wgs84" if datum == "cgcs2000" else datum)


def load(office_dir: str | Path) -> Optional[OnlineSource]:
    try:
        data = json.loads((Path(office_dir) / FILE_NAME).read_text("utf-8"))
        online = data.get("online")
        return check(online["url"], online["attribution"], online.get("datum", "wgs84")) if online else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def save(office_dir: str | Path, source: Optional[OnlineSource]) -> None:
    write_text_atomic(Path(office_dir) / FILE_NAME,
                      json.dumps({"online": source.to_dict() if source else None}, ensure_ascii=False, indent=1))


def from_dict(data) -> Optional[OnlineSource]:
    try:
        return check(data["url"], data["attribution"], data.get("datum", "wgs84")) if data else None
    except (SourceError, KeyError, TypeError, AttributeError):
        return None


# --- GCJ-02 (display only) -------------------------------------------------------------------

_A = 6378245.0
_EE = 0.00669342162296594323


def _out_of_china(lat: float, lon: float) -> bool:
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _t_lat(x: float, y: float) -> float:
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _t_lon(x: float, y: float) -> float:
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def wgs84_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    """Where a WGS-84 position is drawn on GCJ-02 tiles (outside China: unchanged)."""
    if _out_of_china(lat, lon):
        return lat, lon
    d_lat = _t_lat(lon - 105.0, lat - 35.0)
    d_lon = _t_lon(lon - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return lat + d_lat, lon + d_lon
