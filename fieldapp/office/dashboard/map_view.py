"""The dashboard's 地图: every case of the year on a map, by community, status, category and date
range; markers grouped when zoomed out (fieldapp/maps/cluster.py); the communities' boundaries; hot
spots (confirmed recurrences, and places where several cases gather within the recurrence radius)
as red circles; cases outside every boundary counted and flagged; a click on a case opens the case
dialog. 导出 GeoJSON / 导出 Excel write exactly the cases shown, through the office's case export
(fieldapp/office/export.py: the same columns as 案件's export), at ``/exports/map.{geojson|xlsx}``.

Test handles: ``map-office`` (the map), ``marker-<case id>``, ``map-office-count``, ``map-outside``,
``map-export-geojson`` / ``map-export-xlsx``, ``map-hotspot-<n>``.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Optional

import flet as ft
import flet_map as fm

from fieldapp.domain.projection import case_status
from fieldapp.maps import boundaries as bnd
from fieldapp.maps import cluster as cl
from fieldapp.text import fmt
from fieldapp.office import words as strings
from fieldapp.ui.mapview import CaseMap, MapCase, office_basemap

MAX_CASES = 50_000
HOTSPOT_MIN = 3
ALL = ""


@dataclass(frozen=True)
class OfficeCase:
    case_id: str
    community: str
    category: str
    lat: Optional[float]
    lon: Optional[float]
    status: str
    found: date
    recurrence: bool


def office_cases(store, rules, now: datetime, year: int) -> list[OfficeCase]:
    """The cases found in `year` (local time), with where they stand now."""
    tz = rules.tz
    out = []
    rows = store.db.execute(
        "SELECT case_id, community, category, lat, lon, lifecycle, on_time, deadline, found_at, recurrence "
        "FROM cases WHERE found_at >= ? AND found_at < ? LIMIT ?",
        [f"{year - 1}-12-31", f"{year + 1}-01-02", MAX_CASES]).fetchall()
    for case_id, community, category, lat, lon, lifecycle, on_time, deadline, found_at, recurrence in rows:
        found = datetime.fromisoformat(found_at).astimezone(tz)
        if found.year != year:
            continue
        status = case_status(lifecycle, None if on_time is None else bool(on_time), date.fromisoformat(deadline),
                             now, tz, rules.due_soon_days)
        confirmed = bool(recurrence) and any(state == "confirmed" for _e, state in json.loads(recurrence))
        out.append(OfficeCase(case_id, community, category, lat, lon, status, found.date(), confirmed))
    return out


def hot_spots(cases: list[OfficeCase], radius_m: float) -> list[tuple[float, float, int, int]]:
    """(lat, lon, cases, recurrences) of places where HOTSPOT_MIN cases or a confirmed recurrence gather."""
    zoom = 17 if radius_m <= 40 else 16  # a cell of 56 px is ≈ 65 m at zoom 17 in these latitudes
    points = [cl.Point(c.lat, c.lon, c) for c in cases if c.lat is not None]
    spots = []
    for g in cl.cluster(points, zoom):
        recurrences = sum(1 for p in g.points if p.item.recurrence)
        if len(g.points) >= HOTSPOT_MIN or recurrences:
            spots.append((g.lat, g.lon, len(g.points), recurrences))
    return spots


class MapScreen:
    def __init__(self, ctx):
        self.ctx = ctx
        desk = ctx.desk
        self.basemap = office_basemap(desk.data_dir)
        self.community, self.status, self.category = ALL, ALL, ALL
        self.date_from: Optional[date] = None
        self.date_to: Optional[date] = None
        self.hotspots_on = True
        self.cases: list[OfficeCase] = []
        self.shown: list[OfficeCase] = []
        self.boundaries = bnd.Boundaries()
        self.count = ft.Text("", size=14)
        self.outside = ft.Text("", size=14, color="#8A4100")
        self.hot_layer = fm.CircleLayer(circles=[])
        self.map: Optional[CaseMap] = None
        self.map_box = ft.Container(expand=True)
        rules = ctx.rules
        self.community_dd = self._dropdown(strings.SECTION_COMMUNITY,
                                           [(ALL, strings.ALL_COMMUNITIES)] + [(c.code, c.name) for c in rules.communities],
                                           "community")
        self.status_dd = self._dropdown(strings.DASH_MAP_STATUS, [(ALL, strings.DASH_MAP_STATUS_ALL)] + [
            (s, fmt.status_label(s)[0]) for s in ("overdue", "due_today", "due_soon", "open", "rectified_on_time",
                                                 "rectified_late", "voided")], "status")
        self.category_dd = self._dropdown(strings.CATEGORY, [(ALL, strings.DASH_MAP_ALL_CATEGORIES)] + [
            (c.code, c.name) for c in rules.categories], "category")
        self.from_field = ft.TextField(label=strings.DASH_MAP_FROM, hint_text="2022-01-01", width=150, dense=True,
                                       on_submit=self._dates, on_blur=self._dates)
        self.to_field = ft.TextField(label=strings.DASH_MAP_TO, hint_text="2022-12-31", width=150, dense=True,
                                     on_submit=self._dates, on_blur=self._dates)
        self.hot_switch = ft.Switch(label=strings.DASH_MAP_HOTSPOTS, value=True, on_change=self._hot_toggled)
        self.control = ft.Column([
            ft.Text(strings.DASH_MAP_TITLE, size=22, weight=ft.FontWeight.BOLD),
            ft.Row([self.community_dd, self.status_dd, self.category_dd, self.from_field, self.to_field,
                    self.hot_switch], wrap=True, spacing=12, vertical_alignment=ft.CrossAxisAlignment.CENTER),
            ft.Row([ft.Semantics(identifier="map-office-count", container=True, content=self.count),
                    ft.Semantics(identifier="map-outside", container=True, content=self.outside),
                    ft.Container(expand=True),
                    ft.Semantics(identifier="map-export-geojson", container=True, content=ft.OutlinedButton(
                        strings.DASH_MAP_EXPORT_GEOJSON, icon=ft.Icons.MAP_OUTLINED, on_click=self._export_geojson)),
                    ft.Semantics(identifier="map-export-xlsx", container=True, content=ft.OutlinedButton(
                        strings.DASH_MAP_EXPORT_XLSX, icon=ft.Icons.TABLE_VIEW, on_click=self._export_xlsx))],
                   spacing=16, vertical_alignment=ft.CrossAxisAlignment.CENTER),
            self.map_box,
        ], spacing=10, expand=True)

    def _dropdown(self, label: str, options, key: str) -> ft.Dropdown:
        async def changed(e):
            setattr(self, key, e.control.value or ALL)
            self._apply()  # the handler's return sends the changed tree
        return ft.Dropdown(label=label, value=ALL, width=170, dense=True,
                           options=[ft.DropdownOption(key=k, text=t) for k, t in options], on_select=changed)

    # --- data ---------------------------------------------------------------------------------

    async def show(self, **_kwargs) -> None:
        desk = self.ctx.desk
        rules = self.ctx.rules
        loop = asyncio.get_running_loop()
        self.boundaries = await loop.run_in_executor(None, lambda: bnd.load(desk.data_dir, bnd.names_of(
            desk.rules_for(y) for y in desk.years)))
        self.cases = await desk.read(office_cases, rules, self.ctx.now(), rules.year)
        if self.map is None:
            self.map = CaseMap("office", self.basemap, self.boundaries, self._open, size=(1000, 560),
                               extra_layers=[self.hot_layer])
            self.map_box.content = self.map.control
        self._apply()

    async def changed(self) -> None:
        await self.show()

    def _wanted(self, c: OfficeCase) -> bool:
        if self.community and c.community != self.community:
            return False
        if self.category and c.category != self.category:
            return False
        if self.status and c.status != self.status:
            return False
        if self.date_from and c.found < self.date_from:
            return False
        return not (self.date_to and c.found > self.date_to)

    def _apply(self) -> None:
        rules = self.ctx.rules
        names = {c.code: c.name for c in rules.communities}
        categories = {c.code: c.name for c in rules.categories}
        self.shown = [c for c in self.cases if self._wanted(c)]
        placed = [c for c in self.shown if c.lat is not None]
        outside = [c for c in placed if self.boundaries and self.boundaries.community_at(c.lat, c.lon) is None]
        outside_ids = {c.case_id for c in outside}
        marks = []
        for c in placed:
            label, colour = fmt.status_label(c.status)
            words = strings.MAP_MARKER.format(category=categories.get(c.category, c.category),
                                              community=names.get(c.community, c.community), status=label)
            if c.case_id in outside_ids:
                words += "·" + strings.OUTSIDE_BOUNDARIES
            marks.append(MapCase(c.case_id, c.lat, c.lon, colour, words))
        if self.map is not None:
            self.map.set_cases(marks)
        self.count.value = strings.DASH_MAP_SHOWN.format(n=len(self.shown), placed=len(placed))
        self.outside.value = strings.DASH_MAP_OUTSIDE.format(n=len(outside)) if outside else ""
        circles = []
        if self.hotspots_on:
            for lat, lon, n, k in hot_spots(placed, rules.recurrence_radius_m):
                circles.append(fm.CircleMarker(radius=max(40.0, rules.recurrence_radius_m * 1.5),
                                               coordinates=self.basemap.show(lat, lon), use_radius_in_meter=True,
                                               color=ft.Colors.with_opacity(0.25, "#D32F2F"),
                                               border_color="#D32F2F", border_stroke_width=2))
        self.hot_layer.circles = circles

    async def _open(self, case_id: str) -> None:
        await self.ctx.open_case(case_id)

    async def _dates(self, _e=None) -> None:
        def parse(text: str) -> Optional[date]:
            try:
                return date.fromisoformat(text.strip()) if text and text.strip() else None
            except ValueError:
                return None
        self.date_from, self.date_to = parse(self.from_field.value), parse(self.to_field.value)
        self._apply()

    async def _hot_toggled(self, e) -> None:
        self.hotspots_on = bool(e.control.value)
        self._apply()

    # --- export -------------------------------------------------------------------------------

    async def _export(self, kind: str) -> None:
        if self.ctx.token is None:
            return
        ticket = self.ctx.desk.ticket(self.ctx.token, "map-export", ids=[c.case_id for c in self.shown])
        await self.ctx.launch(f"/exports/map.{kind}?ticket={ticket}")

    async def _export_geojson(self, _e=None) -> None:
        await self._export("geojson")

    async def _export_xlsx(self, _e=None) -> None:
        await self._export("xlsx")


def add_routes(app, desk) -> None:
    """``GET /exports/map.{geojson|xlsx}?ticket=T``: the cases the map showed (ids kept with the ticket)."""
    from fastapi import HTTPException

    from fieldapp.office.dashboard.routes import EXPORT_TYPES, attachment

    @app.get("/exports/map.{kind}", include_in_schema=False)
    async def map_export(kind: str, ticket: str = ""):
        granted = await desk.redeem(ticket, "map-export")
        if granted is None:
            raise HTTPException(status_code=403, detail="log in to the dashboard, then export again")
        if kind not in ("geojson", "xlsx"):
            raise HTTPException(status_code=404, detail="no such export")
        try:
            from fieldapp.office import export
        except ImportError:
            raise HTTPException(status_code=404, detail="exports are not available") from None
        ids = set(granted[1].get("ids", ()))
        rules = desk.rules

        def build(store):
            lines = [line for line in export.case_lines(store, rules, desk.clock(), year=rules.year)
                     if line.case_id in ids]
            return export.to_geojson(lines) if kind == "geojson" else export.to_xlsx(lines, rules.title)
        data = await desk.read(build)
        name = strings.DASH_MAP_FILE.format(year=rules.year, kind=kind)
        return attachment(data, name, EXPORT_TYPES[kind])
