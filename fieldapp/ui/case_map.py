"""案件详情's map: the case on a small map (the phone's copy of the office's map, else plain),
my position when known, the GPS fix too when the inspector moved the pin, and 导航前往 — a
``geo:`` link, which Android hands to the phone's own map app for directions.

Test handles: ``map-detail``, ``detail-navigate``, ``detail-placed``.
"""

from __future__ import annotations

from urllib.parse import quote

import flet as ft

from fieldapp.domain.geo import distance_m
from fieldapp.text import fmt
from fieldapp.ui import strings
from fieldapp.ui.mapview import phone_basemap, small_map
from fieldapp.ui.screens.map import phone_boundaries
from fieldapp.text.theme import Palette


def geo_link(lat: float, lon: float, label: str = "") -> str:
    """``geo:34.75,113.62?q=34.75,113.62(label)`` (RFC 5870 with Android's query for a pin)."""
    q = f"{lat:.6f},{lon:.6f}"
    return f"geo:{q}?q={q}" + (f"({quote(label)})" if label else "")


def map_lines(data, state, label: str = "") -> list[ft.Control]:
    """What goes above the position text: the map, the moved-pin note, 导航前往."""
    at = state.position
    if at is None:
        return []
    basemap = data.run_here(lambda s: phone_basemap(data.data_dir, s.get_meta))
    box, _map = small_map("detail", basemap, at, boundaries=phone_boundaries(data.data_dir, data.rules),
                          fix=state.fix, height=200, zoom=17, label=label)
    lines: list[ft.Control] = [box]
    if state.fix is not None:
        lines.append(ft.Semantics(identifier="detail-placed", container=True, content=ft.Text(
            strings.MAP_PLACED_NOTE.format(fix=fmt.position(state.fix), m=fmt.distance(distance_m(state.fix, at))),
            theme_style=ft.TextThemeStyle.BODY_SMALL, color=Palette.DUE_TODAY)))
    lines.append(ft.Semantics(identifier="detail-navigate", container=True, content=ft.OutlinedButton(
        strings.MAP_NAVIGATE, icon=ft.Icons.DIRECTIONS, url=geo_link(at.lat, at.lon, label), height=48)))
    return lines
