"""Maps at the office: boundaries and the tile archive for phones, tiles for the dashboard.

Routes (added by `add_routes(app)` to the office app, beside the sync API; docs/maps.md):

- ``GET /api/v1/maps`` (a phone, bearer token) → ``{boundaries: {digest, text} | null,
  tiles: {digest, max_zoom, tiles, bytes, format, attribution, bounds} | null, online: {...} | null}``:
  the office's community boundaries (its own file, else the shipped sample), what a copy of its tile
  archive covering the device's communities would hold (bounded by ``FIELDAPP_TILES_AREA_MB``,
  default 150 MB, zoom ≤ 18), and the office's online tile source if it set one.
- ``GET /api/v1/maps/tiles`` (a phone) → that copy as an MBTiles file (built once per archive,
  area and bound, kept in ``<office>/tiles/extracts/``), with ``X-Content-SHA256``.
- ``GET /maptiles/{z}/{x}/{y}`` → one tile of the archive for the dashboard's map (404: none).
  Not behind the login: a base map holds no case data, and Flutter's image loader sends no
  session; it is served only on the office's own address like the rest.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import threading
from pathlib import Path
from typing import Optional

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response

from fieldapp.maps import boundaries as bnd
from fieldapp.maps import online as onl
from fieldapp.maps import tiles as tl
from fieldapp.rules import RuleBook
from sync import protocol as p

log = logging.getLogger("fieldapp.sync.maps")

ENV_AREA_MB = "FIELDAPP_TILES_AREA_MB"
#: around the communities' boundaries, so a case just outside still has its map
MARGIN_M = 300
EXTRACTS = "extracts"


def area_bytes(environ=None) -> int:
    value = (environ if environ is not None else os.environ).get(ENV_AREA_MB, "")
    try:
        mb = float(value) if value else tl.DEFAULT_AREA_BYTES / (1024 * 1024)
        return max(0, int(mb * 1024 * 1024))
    except ValueError:
        log.warning("%s=%r is not a number: default used", ENV_AREA_MB, value)
        return tl.DEFAULT_AREA_BYTES


class OfficeMaps:
    """The office's map data, read again when its files change."""

    def __init__(self, office_dir: Path):
        self.dir = Path(office_dir)
        self._lock = threading.RLock()  # extract_file holds it and calls archive()
        self._archive: Optional[tuple[str, tl.TileArchive]] = None

    def community_names(self) -> dict[str, str]:
        book = RuleBook.load(self.dir, strict=False)
        return bnd.names_of(book.by_year[y] for y in book.years)

    def boundaries(self) -> bnd.Boundaries:
        return bnd.load(self.dir, self.community_names())

    def info(self) -> Optional[tl.ArchiveInfo]:
        return tl.archive_info(self.dir)

    def archive(self) -> Optional[tl.TileArchive]:
        info = self.info()
        if info is None:
            return None
        with self._lock:
            if self._archive is None or self._archive[0] != info.digest:
                if self._archive is not None:
                    self._archive[1].close()
                self._archive = (info.digest, tl.TileArchive(tl.archive_path(self.dir)))
            return self._archive[1]

    def area_of(self, communities, rules_area=None) -> Optional[tuple[float, float, float, float]]:
        box = self.boundaries().bounds(communities)
        if box is None and rules_area is not None:
            from fieldapp.domain.geo import Position, bounding_box

            lo_lat, hi_lat, lo_lon, hi_lon = bounding_box(Position(rules_area.lat, rules_area.lon), rules_area.radius_m)
            box = (lo_lat, lo_lon, hi_lat, hi_lon)
        return tl.widen(box, MARGIN_M) if box is not None else None

    def plan(self, communities, rules_area=None) -> Optional[tuple[str, tuple, tl.ExtractPlan, tl.ArchiveInfo]]:
        info, archive = self.info(), self.archive()
        box = self.area_of(communities, rules_area)
        if info is None or archive is None or box is None:
            return None
        limit = area_bytes()
        plan = tl.plan_extract(archive, box, tl.MAX_ZOOM, limit)
        if plan.max_zoom is None:
            return None
        key = hashlib.sha256(json.dumps([info.digest, [round(v, 7) for v in box], plan.max_zoom, limit])
                             .encode()).hexdigest()
        return key, box, plan, info

    def extract_file(self, key: str, box, plan: tl.ExtractPlan) -> Path:
        path = tl.tiles_dir(self.dir) / EXTRACTS / f"{key}.mbtiles"
        with self._lock:
            if not path.is_file():
                folder = path.parent
                folder.mkdir(parents=True, exist_ok=True)
                for old in folder.glob("*.mbtiles"):  # copies of an older archive are never asked again
                    if old.name != path.name and old.stat().st_mtime < self._archive_mtime():
                        old.unlink(missing_ok=True)
                tl.extract(self.archive(), path, box, plan.max_zoom, area_bytes())
        return path

    def _archive_mtime(self) -> float:
        try:
            return tl.archive_path(self.dir).stat().st_mtime
        except OSError:
            return 0.0


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def add_routes(app: FastAPI) -> OfficeMaps:
    """Add the map routes to an office app made by sync.server.create_app (before anything is
    mounted at "/")."""
    from sync.server import ApiError, bearer, reply

    office = app.state.office
    maps = OfficeMaps(office.data_dir)
    app.state.maps = maps
    api = p.API_PREFIX
    digests: dict[str, str] = {}

    async def device_of(request: Request):
        device, error = office.authenticate(bearer(request))
        if device is None:
            raise ApiError(error, "this device may not sync")
        return device

    def area(device):
        return maps.plan(device.communities, office.rules.area)

    @app.get(api + "/maps")
    async def maps_info(request: Request):
        device = await device_of(request)
        loop = asyncio.get_running_loop()
        boundaries = await loop.run_in_executor(None, maps.boundaries)
        planned = await loop.run_in_executor(None, area, device)
        source = onl.load(maps.dir)
        tiles = None
        if planned is not None:
            key, box, plan, info = planned
            tiles = {"digest": key, "max_zoom": plan.max_zoom, "tiles": plan.tiles, "bytes": plan.bytes,
                     "format": info.format, "attribution": info.attribution, "bounds": list(box)}
        return reply({
            "boundaries": {"digest": boundaries.digest, "text": boundaries.text} if boundaries else None,
            "tiles": tiles,
            "online": source.to_dict() if source else None,
        })

    @app.get(api + "/maps/tiles")
    async def maps_tiles(request: Request):
        device = await device_of(request)
        loop = asyncio.get_running_loop()
        planned = await loop.run_in_executor(None, area, device)
        if planned is None:
            raise ApiError("not_found", "the office has no map tiles for this device's area")
        key, box, plan, _info = planned
        path = await loop.run_in_executor(None, maps.extract_file, key, box, plan)
        if key not in digests:
            digests[key] = await loop.run_in_executor(None, _sha256_file, path)
        return FileResponse(path, media_type="application/octet-stream", headers={
            p.MARKER_HEADER: "1", "X-Content-SHA256": digests[key], "X-Tiles-Digest": key})

    @app.get("/maptiles/{z}/{x}/{y}")
    async def dashboard_tile(z: int, x: int, y: str):
        archive = maps.archive()
        y_num = y.split(".")[0]
        data = archive.tile(z, x, int(y_num)) if archive is not None and y_num.isdigit() else None
        if data is None:
            return Response(status_code=404)
        return Response(data, media_type=archive.media_type,
                        headers={"Cache-Control": "public, max-age=3600"})

    return maps
