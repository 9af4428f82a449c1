"""Tile archives: the office's raster map of its area (MBTiles or PMTiles in, MBTiles kept).

- ``import_archive(src, office_dir)`` (``fieldapp office tiles import FILE``) reads an MBTiles
  (SQLite) or PMTiles (v3, through the ``pmtiles`` package) file of raster tiles (PNG, JPEG or
  WebP) and keeps it as ``<office dir>/tiles/archive.mbtiles``, one SQLite file with a
  ``tiles`` table indexed by (zoom, column, row) — written to a temp file, fsynced and renamed
  over the old one, so a cut import leaves the old archive. Vector tiles (MVT), an empty
  archive or any other file are refused with a Chinese message, nothing kept.
- ``TileArchive(path).tile(z, x, y)`` answers the XYZ (slippy map) tile the dashboard's and the
  phone's map ask for (MBTiles rows count from the south: TMS).
- ``extract(archive, dest, bbox, max_zoom, max_bytes)`` copies the tiles that cover a box (a
  phone's communities, with a margin), zoom level by level from the archive's lowest, up to
  `max_zoom` (18 at most) and as long as the copy stays under `max_bytes`; what the office
  sends a phone at sync (sync/maps.py), and what the phone keeps in ``<data dir>/tiles/``.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sqlite3
import tempfile
from contextlib import closing, suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator, Optional

from fieldapp.durable import fsync_dir

TILES_SUBDIR = "tiles"
ARCHIVE_NAME = "archive.mbtiles"
INFO_NAME = "archive.json"
#: the phone's copy of its area
AREA_NAME = "area.mbtiles"
MAX_ZOOM = 18
#: a phone's copy stops at the zoom level that would take it past this (bytes)
DEFAULT_AREA_BYTES = 150 * 1024 * 1024
FORMATS = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}
SQLITE_MAGIC = b"SQLite format 3\x00"
PMTILES_MAGIC = b"PMTiles"


class TileError(ValueError):
    """An archive that cannot be used; the message is Chinese, for the office clerk."""


@dataclass(frozen=True)
class ArchiveInfo:
    format: str            # png / jpg / webp
    min_zoom: int
    max_zoom: int
    tiles: int
    bytes: int             # of the tiles' data
    bounds: tuple[float, float, float, float]  # min_lat, min_lon, max_lat, max_lon the tiles cover
    digest: str            # SHA-256 of the archive file: a phone's copy is made again when it changes
    name: str = ""
    attribution: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "ArchiveInfo":
        return cls(d["format"], int(d["min_zoom"]), int(d["max_zoom"]), int(d["tiles"]), int(d["bytes"]),
                   tuple(d["bounds"]), d["digest"], d.get("name", ""), d.get("attribution", ""))


# --- tile arithmetic (Web Mercator, XYZ) ---------------------------------------------------


def tile_x(lon: float, z: int) -> int:
    n = 1 << z
    return min(n - 1, max(0, int((lon + 180.0) / 360.0 * n)))


def tile_y(lat: float, z: int) -> int:
    n = 1 << z
    lat = max(-85.0511, min(85.0511, lat))
    rad = math.radians(lat)
    return min(n - 1, max(0, int((1.0 - math.asinh(math.tan(rad)) / math.pi) / 2.0 * n)))


def tile_lat(y: int, z: int) -> float:
    """Latitude of a tile row's north edge."""
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / (1 << z)))))


def tile_lon(x: int, z: int) -> float:
    return x / (1 << z) * 360.0 - 180.0


def tile_range(bbox: tuple[float, float, float, float], z: int) -> tuple[int, int, int, int]:
    """(x0, x1, y0, y1) XYZ tiles covering (min_lat, min_lon, max_lat, max_lon) at zoom z."""
    min_lat, min_lon, max_lat, max_lon = bbox
    return tile_x(min_lon, z), tile_x(max_lon, z), tile_y(max_lat, z), tile_y(min_lat, z)


def widen(bbox: tuple[float, float, float, float], metres: float) -> tuple[float, float, float, float]:
    min_lat, min_lon, max_lat, max_lon = bbox
    dlat = metres / 110_574.0
    dlon = metres / (111_320.0 * max(math.cos(math.radians((min_lat + max_lat) / 2)), 1e-6))
    return min_lat - dlat, min_lon - dlon, max_lat + dlat, max_lon + dlon


def sniff(data: bytes) -> Optional[str]:
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:3] == b"\xff\xd8\xff":
        return "jpg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


# --- the archive ------------------------------------------------------------------------------


SCHEMA = """
CREATE TABLE metadata (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB,
                    PRIMARY KEY (zoom_level, tile_column, tile_row)) WITHOUT ROWID;
"""


def _connect_ro(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    return conn


class TileArchive:
    """Read tiles from one of our MBTiles files (the office's archive or a phone's copy)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._conn = _connect_ro(self.path)
        meta = dict(self._conn.execute("SELECT name, value FROM metadata").fetchall())
        self.format = meta.get("format", "png")
        self.media_type = FORMATS.get(self.format, "application/octet-stream")
        self.meta = meta

    def tile(self, z: int, x: int, y: int) -> Optional[bytes]:
        if not (0 <= z <= 30 and 0 <= x < (1 << z) and 0 <= y < (1 << z)):
            return None
        row = self._conn.execute(
            "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
            [z, x, (1 << z) - 1 - y]).fetchone()
        return bytes(row[0]) if row else None

    def zooms(self) -> list[int]:
        return [r[0] for r in self._conn.execute("SELECT DISTINCT zoom_level FROM tiles ORDER BY 1")]

    def close(self) -> None:
        self._conn.close()


def tiles_dir(data_dir: str | Path) -> Path:
    return Path(data_dir) / TILES_SUBDIR


def archive_path(office_dir: str | Path) -> Path:
    return tiles_dir(office_dir) / ARCHIVE_NAME


def archive_info(office_dir: str | Path) -> Optional[ArchiveInfo]:
    """What the office's archive holds (kept beside it at import), or None: no archive."""
    try:
        if not archive_path(office_dir).is_file():
            return None
        return ArchiveInfo.from_dict(json.loads((tiles_dir(office_dir) / INFO_NAME).read_text("utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _source_tiles(src: Path) -> tuple[Iterator[tuple[int, int, int, bytes]], dict]:
    """(z, x, y XYZ, data) of a source archive, and its metadata; TileError for a file we cannot read."""
    try:
        with open(src, "rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise TileError(f"无法读取瓦片文件 {src}：{exc.strerror or exc}") from None
    if head.startswith(SQLITE_MAGIC):
        return _mbtiles_source(src)
    if head.startswith(PMTILES_MAGIC):
        return _pmtiles_source(src)
    raise TileError("不是 MBTiles 或 PMTiles 瓦片文件（请使用 .mbtiles 或 .pmtiles 格式的栅格瓦片包）")


def _mbtiles_source(src: Path):
    try:
        conn = _connect_ro(src)
        meta = dict(conn.execute("SELECT name, value FROM metadata").fetchall())
        conn.execute("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles LIMIT 1").fetchall()
    except sqlite3.Error:
        raise TileError("MBTiles 文件缺少 metadata 或 tiles 表，无法使用") from None

    def rows():
        with closing(conn):
            for z, x, row, data in conn.execute("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles"):
                yield int(z), int(x), (1 << int(z)) - 1 - int(row), bytes(data)
    return rows(), meta


def _pmtiles_source(src: Path):
    import gzip

    from pmtiles.reader import MmapSource, Reader, all_tiles
    from pmtiles.tile import Compression

    f = open(src, "rb")
    try:
        get_bytes = MmapSource(f)
        reader = Reader(get_bytes)
        header = reader.header()
        if header.get("version", 3) != 3:
            raise TileError("只支持 PMTiles 第3版文件")
        try:
            meta = reader.metadata() or {}
        except Exception:  # noqa: BLE001 - metadata is optional for us
            meta = {}
    except TileError:
        f.close()
        raise
    except Exception:  # noqa: BLE001 - a damaged header
        f.close()
        raise TileError("PMTiles 文件已损坏，无法读取") from None
    compressed = header.get("tile_compression") == Compression.GZIP

    def rows():
        try:
            for (z, x, y), data in all_tiles(get_bytes):
                yield z, x, y, gzip.decompress(data) if compressed else bytes(data)
        except TileError:
            raise
        except Exception:  # noqa: BLE001
            raise TileError("PMTiles 文件已损坏，无法读取全部瓦片") from None
        finally:
            f.close()
    plain = {k: v for k, v in meta.items() if isinstance(v, (str, int, float))} if isinstance(meta, dict) else {}
    return rows(), {k: str(v) for k, v in plain.items()}


def import_archive(src: str | Path, office_dir: str | Path) -> ArchiveInfo:
    """Keep `src` (MBTiles or PMTiles of raster tiles) as the office's archive; TileError otherwise."""
    src = Path(src)
    rows, meta = _source_tiles(src)
    folder = tiles_dir(office_dir)
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".import-", suffix=".mbtiles")
    os.close(fd)
    try:
        info = _write_archive(Path(tmp), rows, meta)
        digest = _file_digest(Path(tmp))
        info = ArchiveInfo(**{**info.to_dict(), "digest": digest})
        os.replace(tmp, archive_path(office_dir))
        from fieldapp.durable import write_file

        write_file(folder / INFO_NAME, json.dumps(info.to_dict(), ensure_ascii=False).encode("utf-8"))
        fsync_dir(folder)
        return info
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


def _write_archive(path: Path, rows, meta: dict) -> ArchiveInfo:
    fmt = None
    count = size = 0
    min_z, max_z = 99, -1
    min_lat, min_lon, max_lat, max_lon = 90.0, 180.0, -90.0, -180.0
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.executescript(SCHEMA)
        batch = []
        for z, x, y, data in rows:
            kind = sniff(data)
            if kind is None:
                if data[:2] == b"\x1f\x8b" or meta.get("format") in ("pbf", "mvt"):
                    raise TileError("这是矢量瓦片（pbf/mvt），地图无法显示：请使用 PNG、JPEG 或 WebP 栅格瓦片")
                raise TileError(f"第{z}级瓦片 {x}/{y} 不是 PNG、JPEG 或 WebP 图片")
            if fmt is None:
                fmt = kind
            if not 0 <= z <= 24:
                raise TileError(f"瓦片缩放级别 {z} 超出范围（0–24）")
            batch.append((z, x, (1 << z) - 1 - y, data))
            count += 1
            size += len(data)
            min_z, max_z = min(min_z, z), max(max_z, z)
            if z == max_z or count == 1:
                min_lat, max_lat = min(min_lat, tile_lat(y + 1, z)), max(max_lat, tile_lat(y, z))
                min_lon, max_lon = min(min_lon, tile_lon(x, z)), max(max_lon, tile_lon(x + 1, z))
            if len(batch) >= 2000:
                conn.executemany("INSERT OR REPLACE INTO tiles VALUES (?, ?, ?, ?)", batch)
                batch.clear()
        if batch:
            conn.executemany("INSERT OR REPLACE INTO tiles VALUES (?, ?, ?, ?)", batch)
        if count == 0:
            raise TileError("瓦片文件中没有任何瓦片")
        name, attribution = str(meta.get("name", "")), str(meta.get("attribution", ""))
        conn.executemany("INSERT INTO metadata VALUES (?, ?)", [
            ("name", name), ("format", fmt), ("minzoom", str(min_z)), ("maxzoom", str(max_z)),
            ("attribution", attribution), ("bounds", f"{min_lon},{min_lat},{max_lon},{max_lat}")])
        conn.commit()
    _fsync(path)
    return ArchiveInfo(fmt, min_z, max_z, count, size, (min_lat, min_lon, max_lat, max_lon), "", name, attribution)


def _fsync(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --- a phone's share --------------------------------------------------------------------------


@dataclass(frozen=True)
class ExtractPlan:
    max_zoom: Optional[int]   # None: not even the lowest level fits
    tiles: int
    bytes: int


def plan_extract(archive: TileArchive, bbox, max_zoom: int = MAX_ZOOM,
                 max_bytes: int = DEFAULT_AREA_BYTES) -> ExtractPlan:
    """How deep a copy of `bbox` can go within `max_bytes` (whole zoom levels, lowest first)."""
    total = count = 0
    deepest = None
    for z in archive.zooms():
        if z > min(max_zoom, MAX_ZOOM):
            break
        x0, x1, y0, y1 = tile_range(bbox, z)
        n, size = archive._conn.execute(
            "SELECT count(*), coalesce(sum(length(tile_data)), 0) FROM tiles WHERE zoom_level = ? "
            "AND tile_column BETWEEN ? AND ? AND tile_row BETWEEN ? AND ?",
            [z, x0, x1, (1 << z) - 1 - y1, (1 << z) - 1 - y0]).fetchone()
        if total + size > max_bytes:
            break
        total, count, deepest = total + size, count + n, z
    return ExtractPlan(deepest, count, total)


def extract(archive: TileArchive, dest: str | Path, bbox, max_zoom: int = MAX_ZOOM,
            max_bytes: int = DEFAULT_AREA_BYTES) -> ExtractPlan:
    """Write the tiles covering `bbox` (within the plan's zoom levels) as an MBTiles file at `dest`
    (atomic: temp, fsync, rename)."""
    plan = plan_extract(archive, bbox, max_zoom, max_bytes)
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".extract-", suffix=".mbtiles")
    os.close(fd)
    try:
        with closing(sqlite3.connect(tmp)) as conn:
            conn.execute("PRAGMA journal_mode=OFF")
            conn.executescript(SCHEMA)
            conn.execute("ATTACH DATABASE ? AS src", [str(archive.path)])  # only read
            if plan.max_zoom is not None:
                for z in archive.zooms():
                    if z > plan.max_zoom:
                        break
                    x0, x1, y0, y1 = tile_range(bbox, z)
                    conn.execute(
                        "INSERT INTO tiles SELECT zoom_level, tile_column, tile_row, tile_data FROM src.tiles "
                        "WHERE zoom_level = ? AND tile_column BETWEEN ? AND ? AND tile_row BETWEEN ? AND ?",
                        [z, x0, x1, (1 << z) - 1 - y1, (1 << z) - 1 - y0])
            min_lat, min_lon, max_lat, max_lon = bbox
            meta = dict(archive.meta)
            meta.update({"bounds": f"{min_lon},{min_lat},{max_lon},{max_lat}",
                         "maxzoom": str(plan.max_zoom if plan.max_zoom is not None else -1)})
            conn.executemany("INSERT INTO metadata VALUES (?, ?)", sorted(meta.items()))
            conn.commit()
            conn.execute("DETACH DATABASE src")
        _fsync(Path(tmp))
        os.replace(tmp, dest)
        fsync_dir(dest.parent)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    return plan
