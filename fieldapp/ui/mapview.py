"""What every map screen draws (flet-map 1.0): the base map, community boundaries, case markers
(grouped when zoomed out), "my position" with its accuracy, hot spots.

The base map (`Basemap`) is, in this order: the phone's copy of the office's archive (served by
fieldapp/maps/tileserver.py on 127.0.0.1, so it works with no network), the office's online tile
source, or none — then the map is a plain light background with the markers and boundaries on it,
never an error. The office's dashboard uses the office's archive (``/maptiles``) or its online
source. Over GCJ-02 tiles every position is drawn shifted (`Basemap.show`), nothing stored changes.

Test handles: ``marker-<case id>`` (a case; its label says category, community, status),
``cluster-<n>`` (n cases, tap zooms in), ``map-me``, ``map-<key>`` (the map itself),
``map-basemap-<tiles|online|plain>``.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Awaitable, Callable, Optional, Sequence

import flet as ft
import flet_map as fm

from fieldapp.domain.geo import Position
from fieldapp.maps import cluster as cl
from fieldapp.maps import online as onl
from fieldapp.maps import tiles as tl
from fieldapp.maps.boundaries import Boundaries
from fieldapp.ui import strings
from fieldapp.text.theme import FONT_FAMILY, Palette

log = logging.getLogger(__name__)

PLAIN_BG = "#EEF0EC"
BOUNDARY_COLOURS = ["#0B4F8A", "#1A6B1F", "#8A4100", "#6A1B9A", "#00695C", "#AD1457"]
MARKER = 30
CLUSTER = 40


@dataclass(frozen=True)
class Basemap:
    url: Optional[str] = None          # XYZ template, or None: plain background
    attribution: str = ""
    gcj: bool = False                  # tiles drawn in GCJ-02: shift positions for display
    max_native_zoom: int = 18
    kind: str = "plain"                # tiles / online / plain

    def show(self, lat: float, lon: float) -> fm.MapLatitudeLongitude:
        if self.gcj:
            lat, lon = onl.wgs84_to_gcj02(lat, lon)
        return fm.MapLatitudeLongitude(lat, lon)


def phone_basemap(data_dir: Path, meta: Callable[[str], Optional[str]]) -> Basemap:
    """The phone's copy if it has one, else the office's online source (meta), else plain."""
    from fieldapp.maps import tileserver
    from sync.mapsync import META_ONLINE, META_TILES

    copy = tl.tiles_dir(data_dir) / tl.AREA_NAME
    held = _json(meta(META_TILES))
    if copy.is_file() and held:
        server = tileserver.server_for(data_dir)
        zoom = held.get("max_zoom") if isinstance(held.get("max_zoom"), int) else 18
        return Basemap(server.template(str(held.get("digest", ""))[:8]), str(held.get("attribution") or ""),
                       False, zoom, "tiles")
    source = onl.from_dict(_json(meta(META_ONLINE)))
    if source is not None:
        return Basemap(source.url, source.attribution, source.gcj, 18, "online")
    return Basemap()


def office_basemap(office_dir: Path) -> Basemap:
    """The office's online source if it chose one, else its archive, else plain."""
    source = onl.load(office_dir)
    if source is not None:
        return Basemap(source.url, source.attribution, source.gcj, 18, "online")
    info = tl.archive_info(office_dir)
    if info is not None:
        return Basemap(f"/maptiles/{{z}}/{{x}}/{{y}}.{info.format}?v={info.digest[:8]}", info.attribution, False,
                       info.max_zoom, "tiles")
    return Basemap()


def _json(text: Optional[str]):
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def tile_layers(basemap: Basemap) -> list:
    if basemap.url is None:
        return []
    layers: list = [fm.TileLayer(url_template=basemap.url, max_native_zoom=basemap.max_native_zoom,
                                 user_agent_package_name="cn.gov.huanbei.fieldapp",
                                 evict_error_tile_strategy=fm.TileLayerEvictErrorTileStrategy.DISPOSE,
                                 display_mode=fm.InstantaneousTileDisplay())]
    if basemap.attribution:
        layers.append(fm.SimpleAttribution(text=basemap.attribution, alignment=ft.Alignment.BOTTOM_RIGHT,
                                           bgcolor="#CCFFFFFF", text_style=ft.TextStyle(size=11, font_family=FONT_FAMILY)))
    return layers


def boundary_layer(boundaries: Boundaries, basemap: Basemap, only: Optional[Sequence[str]] = None) -> fm.PolygonLayer:
    polys = []
    for i, (code, c) in enumerate(boundaries.communities.items()):
        if only is not None and code not in only:
            continue
        colour = BOUNDARY_COLOURS[i % len(BOUNDARY_COLOURS)]
        for ring in c.rings():
            polys.append(fm.PolygonMarker(coordinates=[basemap.show(lat, lon) for lat, lon in ring],
                                          label=c.name, color=ft.Colors.with_opacity(0.06, colour),
                                          border_color=colour, border_stroke_width=2,
                                          label_text_style=ft.TextStyle(size=13, color=colour, font_family=FONT_FAMILY,
                                                                        weight=ft.FontWeight.W_600)))
    return fm.PolygonLayer(polygons=polys, polygon_labels=True)


def me_layer(position: Optional[Position], basemap: Basemap) -> fm.CircleLayer:
    circles = []
    if position is not None:
        at = basemap.show(position.lat, position.lon)
        if position.accuracy_m:
            circles.append(fm.CircleMarker(radius=position.accuracy_m, coordinates=at, use_radius_in_meter=True,
                                           color=ft.Colors.with_opacity(0.15, "#1565C0"), border_color="#1565C0",
                                           border_stroke_width=1))
        circles.append(fm.CircleMarker(radius=8, coordinates=at, color="#1565C0", border_color="#FFFFFF",
                                       border_stroke_width=3))
    return fm.CircleLayer(circles=circles)


def case_marker(case_id: str, at: fm.MapLatitudeLongitude, colour: str, label: str,
                on_tap: Optional[Callable] = None, size: float = MARKER) -> fm.Marker:
    dot = ft.Container(width=size, height=size, border_radius=size / 2, bgcolor=colour,
                       border=ft.Border.all(3, "#FFFFFF"), on_click=on_tap,
                       shadow=ft.BoxShadow(blur_radius=3, color="#66000000"))
    return fm.Marker(content=ft.Semantics(identifier=f"marker-{case_id}", label=label, button=True, container=True,
                                          content=dot),
                     coordinates=at, width=size, height=size)


def cluster_marker(n: int, at: fm.MapLatitudeLongitude, on_tap: Callable, key: str = "") -> fm.Marker:
    box = ft.Container(ft.Text(str(n), color="#FFFFFF", weight=ft.FontWeight.BOLD, size=14),
                       width=CLUSTER, height=CLUSTER, border_radius=CLUSTER / 2, bgcolor=Palette.PRIMARY,
                       border=ft.Border.all(3, "#FFFFFF"), alignment=ft.Alignment.CENTER, on_click=on_tap)
    return fm.Marker(content=ft.Semantics(identifier=f"cluster-{key or n}", label=strings.MAP_CLUSTER.format(n=n),
                                          button=True, container=True, content=box),
                     coordinates=at, width=CLUSTER, height=CLUSTER)


@dataclass(frozen=True)
class MapCase:
    case_id: str
    lat: float
    lon: float
    colour: str
    label: str


class CaseMap:
    """A map of cases: markers grouped by `fieldapp.maps.cluster` at the map's zoom, regrouped
    when the map settles after a move; a tap on a case calls `on_open(case_id)`, on a group zooms in."""

    def __init__(self, key: str, basemap: Basemap, boundaries: Boundaries,
                 on_open: Callable[[str], Awaitable[None]], *, size: tuple[float, float] = (390, 600),
                 centre: Optional[tuple[float, float]] = None, extra_layers: Sequence = ()):
        self.key = key
        self.basemap = basemap
        self.on_open = on_open
        self.size = size
        self.cases: list[MapCase] = []
        self.points: list[cl.Point] = []
        self.markers = fm.MarkerLayer(markers=[])
        self.me = fm.CircleLayer(circles=[])
        self.extra = list(extra_layers)
        self.zoom = 14.0
        self.centre = centre or (34.7466, 113.6253)
        self._pending: Optional[asyncio.Task] = None
        box = boundaries.bounds()
        if centre is None and box is not None:
            self.centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
            self.zoom = cl.fit_zoom([(box[0], box[1]), (box[2], box[3])], *size)[2]
        self.map = fm.Map(
            expand=True,
            initial_center=basemap.show(*self.centre),
            initial_zoom=self.zoom,
            min_zoom=3,
            max_zoom=19,
            bgcolor=PLAIN_BG,
            interaction_configuration=fm.InteractionConfiguration(
                flags=fm.InteractionFlag.ALL & ~fm.InteractionFlag.ROTATE),
            layers=[*tile_layers(basemap), boundary_layer(boundaries, basemap), *self.extra, self.me, self.markers],
            on_position_change=self._moved,
        )
        self.control = ft.Semantics(identifier=f"map-{key}", container=True, content=ft.Stack([
            self.map,
            ft.Container(ft.Semantics(identifier=f"map-basemap-{basemap.kind}", container=True, content=ft.Text(
                strings.MAP_PLAIN if basemap.url is None else
                strings.SYNC_MAP_TITLE if basemap.kind == "tiles" else strings.VIEW_MAP,
                size=12, color=Palette.ON_SURFACE_VARIANT)),
                bgcolor="#DDFFFFFF", padding=ft.Padding.symmetric(horizontal=8, vertical=4),
                border_radius=ft.BorderRadius.all(6), left=8, top=8),
            ft.Column([
                ft.IconButton(ft.Icons.ADD, tooltip=strings.MAP_ZOOM_IN, on_click=self._zoom_in,
                              style=ft.ButtonStyle(bgcolor="#F2FFFFFF")),
                ft.IconButton(ft.Icons.REMOVE, tooltip=strings.MAP_ZOOM_OUT, on_click=self._zoom_out,
                              style=ft.ButtonStyle(bgcolor="#F2FFFFFF")),
            ], right=8, top=8, spacing=4),
        ], expand=True), expand=True)

    # --- content ----------------------------------------------------------------------------

    def set_cases(self, cases: Sequence[MapCase], fit: bool = False) -> None:
        self.cases = list(cases)
        self.points = [cl.Point(c.lat, c.lon, c) for c in self.cases]
        if fit and self.cases:
            lat, lon, zoom = cl.fit_zoom([(c.lat, c.lon) for c in self.cases], *self.size)
            self.centre, self.zoom = (lat, lon), zoom
            self.map.initial_center = self.basemap.show(lat, lon)
            self.map.initial_zoom = zoom
        self._draw()

    def set_me(self, position: Optional[Position]) -> None:
        self.me.circles = me_layer(position, self.basemap).circles

    def _draw(self) -> None:
        view = cl.view_box(self.centre[0], self.centre[1], self.zoom, *self.size)
        markers = []
        for g in cl.cluster(self.points, self.zoom, view=view):
            at = self.basemap.show(g.lat, g.lon)
            if g.single:
                c: MapCase = g.points[0].item
                markers.append(case_marker(c.case_id, at, c.colour, c.label, self._opener(c.case_id)))
            else:
                markers.append(cluster_marker(len(g.points), at, self._zoomer(g.lat, g.lon),
                                              key=f"{len(g.points)}-{round(g.lat, 5)}"))
        self.markers.markers = markers

    def _opener(self, case_id: str):
        async def tap(_e=None):
            await self.on_open(case_id)
        return tap

    def _zoomer(self, lat: float, lon: float):
        async def tap(_e=None):
            self.centre, self.zoom = (lat, lon), min(self.zoom + 2, 19)
            self._draw()
            await self.map.move_to(self.basemap.show(lat, lon), zoom=self.zoom)
            self._update()
        return tap

    async def _zoom_in(self, _e=None):
        self.zoom = min(self.zoom + 1, 19)
        self._draw()
        await self.map.zoom_in()
        self._update()

    async def _zoom_out(self, _e=None):
        self.zoom = max(self.zoom - 1, 3)
        self._draw()
        await self.map.zoom_out()
        self._update()

    def _moved(self, e) -> None:
        camera = e.camera
        centre = camera.center
        lat, lon = centre.latitude, centre.longitude
        if self.basemap.gcj:  # close enough to undo the shift for grouping
            glat, glon = onl.wgs84_to_gcj02(lat, lon)
            lat, lon = lat - (glat - lat), lon - (glon - lon)
        changed = abs(camera.zoom - self.zoom) >= 0.5 or abs(lat - self.centre[0]) + abs(lon - self.centre[1]) > 1e-4
        self.centre, self.zoom = (lat, lon), float(camera.zoom)
        if changed and (self._pending is None or self._pending.done()):
            page = self.map.page
            if page is not None:
                self._pending = page.run_task(self._settle)

    async def _settle(self) -> None:
        await asyncio.sleep(0.3)
        self._draw()
        self._update()

    def _update(self) -> None:
        try:
            if self.markers.page is not None:
                self.markers.update()
        except (RuntimeError, AssertionError):
            pass


def small_map(key: str, basemap: Basemap, at: Position, *, boundaries: Optional[Boundaries] = None,
              me: Optional[Position] = None, fix: Optional[Position] = None, height: float = 200,
              on_tap: Optional[Callable] = None, zoom: float = 17, label: str = "") -> tuple[ft.Control, fm.Map]:
    """A small map around `at` (a case, or a pin being placed): the pin, `fix` with its accuracy
    circle (the GPS), `me`; `on_tap(lat, lon)` for a tap on the map (moving a pin)."""
    layers = [*tile_layers(basemap)]
    if boundaries:
        layers.append(boundary_layer(boundaries, basemap))
    circles = me_layer(fix, basemap).circles if fix is not None else []
    if me is not None:
        circles += me_layer(me, basemap).circles
    layers.append(fm.CircleLayer(circles=circles))
    pin = fm.Marker(content=ft.Semantics(identifier=f"{key}-pin", label=label, container=True,
                                         content=ft.Icon(ft.Icons.LOCATION_ON, color=Palette.OVERDUE, size=40)),
                    coordinates=basemap.show(at.lat, at.lon), width=40, height=40,
                    alignment=ft.Alignment.TOP_CENTER)
    layers.append(fm.MarkerLayer(markers=[pin]))

    def tapped(e):
        if on_tap is not None:
            lat, lon = e.coordinates.latitude, e.coordinates.longitude
            if basemap.gcj:
                glat, glon = onl.wgs84_to_gcj02(lat, lon)
                lat, lon = lat - (glat - lat), lon - (glon - lon)
            return on_tap(lat, lon)
    the_map = fm.Map(expand=True, initial_center=basemap.show(at.lat, at.lon), initial_zoom=zoom, bgcolor=PLAIN_BG,
                     interaction_configuration=fm.InteractionConfiguration(
                         flags=fm.InteractionFlag.ALL & ~fm.InteractionFlag.ROTATE),
                     layers=layers, on_tap=tapped if on_tap else None)
    # With a tap handler the map's own semantics go: a screen reader's (or a test's) tap on a semantics
    # node lands at its centre, and the pin must go where the finger is.
    inner = ft.Semantics(exclude_semantics=True, content=the_map) if on_tap is not None else the_map
    box = ft.Semantics(identifier=f"map-{key}", container=True, label=label, content=ft.Container(
        inner, height=height, border_radius=ft.BorderRadius.all(8), clip_behavior=ft.ClipBehavior.HARD_EDGE,
        border=ft.Border.all(1, "#C8CDD3")))
    return box, the_map


def move_pin(the_map: fm.Map, basemap: Basemap, at: Position) -> None:
    """Put the small map's pin (its last marker layer's only marker) at `at`."""
    layer = next(lyr for lyr in reversed(the_map.layers) if isinstance(lyr, fm.MarkerLayer))
    layer.markers[0].coordinates = basemap.show(at.lat, at.lon)
