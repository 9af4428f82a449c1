"""Small tile archives for tests: tiles drawn with Pillow (a colour per zoom level, the z/x/y
written on it), as MBTiles or PMTiles."""

from __future__ import annotations

import io
import sqlite3
from contextlib import closing
from pathlib import Path

from PIL import Image, ImageDraw

from fieldapp.maps import tiles as tl

#: the sample boundaries' area (fieldapp/maps/sample.py), widened a little
SAMPLE_BOX = (34.730, 113.605, 34.765, 113.645)
#: a far-away box (another city): a phone's copy must never hold these tiles
FAR_BOX = (34.60, 113.40, 34.62, 113.43)
COLOURS = [(214, 228, 200), (200, 220, 236), (236, 224, 200), (226, 206, 230)]


def tile_png(z: int, x: int, y: int) -> bytes:
    img = Image.new("RGB", (256, 256), COLOURS[z % len(COLOURS)])
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, 255, 255], outline=(120, 120, 120))
    for i in range(0, 256, 32):  # "streets"
        d.line([(i, 0), (i, 255)], fill=(245, 245, 245), width=3)
    d.text((8, 8), f"{z}/{x}/{y}", fill=(40, 40, 40))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def tiles_of(boxes, zooms):
    for z in zooms:
        for box in boxes:
            x0, x1, y0, y1 = tl.tile_range(box, z)
            for x in range(x0, x1 + 1):
                for y in range(y0, y1 + 1):
                    yield z, x, y


def make_mbtiles(path: Path, boxes=(SAMPLE_BOX, FAR_BOX), zooms=range(12, 16)) -> Path:
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript("CREATE TABLE metadata (name TEXT, value TEXT);"
                           "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);")
        conn.executemany("INSERT INTO metadata VALUES (?, ?)", [("name", "test"), ("format", "png"),
                                                                 ("attribution", "测试底图")])
        conn.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)",
                         [(z, x, (1 << z) - 1 - y, tile_png(z, x, y)) for z, x, y in set(tiles_of(boxes, zooms))])
        conn.commit()
    return path


def make_pmtiles(path: Path, boxes=(SAMPLE_BOX,), zooms=range(12, 15)) -> Path:
    from pmtiles.tile import Compression, TileType, zxy_to_tileid
    from pmtiles.writer import Writer

    with open(path, "wb") as f:
        writer = Writer(f)
        ids = sorted((zxy_to_tileid(z, x, y), (z, x, y)) for z, x, y in set(tiles_of(boxes, zooms)))
        for tid, (z, x, y) in ids:
            writer.write_tile(tid, tile_png(z, x, y))
        min_lat, min_lon, max_lat, max_lon = boxes[0]
        writer.finalize({"tile_type": TileType.PNG, "tile_compression": Compression.NONE,
                         "min_zoom": min(zooms), "max_zoom": max(zooms),
                         "min_lon_e7": int(min_lon * 1e7), "min_lat_e7": int(min_lat * 1e7),
                         "max_lon_e7": int(max_lon * 1e7), "max_lat_e7": int(max_lat * 1e7),
                         "center_zoom": min(zooms), "center_lon_e7": int(113.62 * 1e7), "center_lat_e7": int(34.74 * 1e7)},
                        {"name": "pm test", "attribution": "测试底图"})
    return path
