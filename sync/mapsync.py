"""A step of a sync run (phone side): the office's community boundaries and the map of the phone's area.

After the rules, the phone asks ``GET /maps`` (sync/maps.py). New boundaries (another digest than
meta ``maps.boundaries_digest``) are checked against the phone's rules and written as
``<data dir>/rules/boundaries.geojson`` (atomic), then the digest kept. A new copy of the tile
archive for its area (another digest than ``maps.tiles_digest``) is streamed from
``GET /maps/tiles`` into ``<data dir>/tiles/`` as a temp file, hashed, checked (``X-Content-SHA256``)
and renamed over ``area.mbtiles`` only when whole, then its description kept in meta ``maps.tiles``
(JSON: digest, max zoom, tiles, bytes, attribution, bounds — what the 同步 screen shows). The
office's online tile source, if any, is kept in meta ``maps.online``.

An office from before maps (404 / 405) is no error; any other failure is the warning
``maps_failed`` (the next run tries again), never a stop — but the office refusing the device.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from contextlib import suppress
from pathlib import Path

import httpx

from fieldapp.durable import fsync_dir
from fieldapp.maps import boundaries as bnd
from fieldapp.maps import tiles as tl
from sync import protocol as p
from sync.channel import Channel, SyncError
from sync.result import SyncIssue, SyncResult

log = logging.getLogger("fieldapp.sync.maps")

META_BOUNDARIES = "maps.boundaries_digest"
META_TILES = "maps.tiles"
META_ONLINE = "maps.online"
#: a phone never takes a copy bigger than this, whatever the office says
MAX_COPY_BYTES = 400 * 1024 * 1024


def tiles_meta(store) -> dict | None:
    raw = store.get_meta(META_TILES)
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None


def take_maps(store, channel: Channel, data_dir: Path, result: SyncResult) -> None:
    """The office's boundaries and this phone's share of its map, if new (see the module doc)."""
    from fieldapp.rules import RuleBook

    book = RuleBook.load(data_dir, strict=False)
    community_names = bnd.names_of(book.by_year[y] for y in book.years)
    try:
        body = channel.call("GET", "/maps").body
    except SyncError as exc:
        if exc.code in p.AUTH_REFUSED:
            raise
        if exc.status in (404, 405):
            return  # an office from before maps
        result.warnings.append(SyncIssue("maps_failed", f"{exc.code}: {exc.message}"))
        return
    try:
        _take_boundaries(store, data_dir, body.get("boundaries"), community_names, result)
        online = body.get("online")
        text = json.dumps(online, ensure_ascii=False) if isinstance(online, dict) else ""
        if (store.get_meta(META_ONLINE) or "") != text:
            store.set_meta(META_ONLINE, text)
        _take_tiles(store, channel, data_dir, body.get("tiles"), result)
    except SyncError as exc:
        if exc.code in p.AUTH_REFUSED:
            raise
        result.warnings.append(SyncIssue("maps_failed", f"{exc.code}: {exc.message}"))
    except (OSError, httpx.HTTPError) as exc:
        log.warning("maps step failed: %s", exc)
        result.warnings.append(SyncIssue("maps_failed", type(exc).__name__))


def _take_boundaries(store, data_dir: Path, item, names: dict[str, str], result: SyncResult) -> None:
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        return
    digest = item.get("digest")
    if not isinstance(digest, str) or store.get_meta(META_BOUNDARIES) == digest:
        return
    try:
        checked = bnd.check_text(item["text"], names)
    except bnd.BoundaryError as exc:
        result.warnings.append(SyncIssue("maps_failed", f"boundaries: {exc}"[:300]))
        return
    bnd.save(data_dir, checked)
    store.set_meta(META_BOUNDARIES, digest)


def _take_tiles(store, channel: Channel, data_dir: Path, item, result: SyncResult) -> None:
    if not isinstance(item, dict) or not isinstance(item.get("digest"), str):
        return
    held = tiles_meta(store)
    dest = tl.tiles_dir(data_dir) / tl.AREA_NAME
    if held and held.get("digest") == item["digest"] and dest.is_file():
        return
    size = item.get("bytes") if isinstance(item.get("bytes"), int) else 0
    if size > MAX_COPY_BYTES:
        result.warnings.append(SyncIssue("maps_failed", f"tiles: {size} bytes is more than this phone takes"))
        return
    folder = dest.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".incoming-", suffix=".mbtiles")
    try:
        h = hashlib.sha256()
        got = 0
        with os.fdopen(fd, "wb") as f, channel.client.stream("GET", "/maps/tiles") as response:
            if response.status_code != 200:
                response.read()
                channel._answer(response, 0.0, 0.0)  # raises the office's error code
                raise SyncError("protocol_mismatch", f"HTTP {response.status_code} without tiles")
            expected = response.headers.get("x-content-sha256", "")
            for chunk in response.iter_bytes(1 << 16):
                got += len(chunk)
                if got > MAX_COPY_BYTES:
                    raise SyncError("too_large", "tile copy over the phone's limit")
                h.update(chunk)
                f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
        if not expected or h.hexdigest() != expected:
            raise SyncError("hash_mismatch", "the tile copy did not hash to what the office said")
        tl.TileArchive(tmp).close()  # opens as an archive (metadata, tiles)
        os.replace(tmp, dest)
        fsync_dir(folder)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    keep = {k: item.get(k) for k in ("digest", "max_zoom", "tiles", "format", "attribution", "bounds")}
    keep["bytes"] = got
    store.set_meta(META_TILES, json.dumps(keep, ensure_ascii=False))
    log.info("map tiles of this phone's area: %d bytes, zoom ≤ %s", got, item.get("max_zoom"))
