"""Maps without a browser: boundaries (shapely checks), tile archives (import, extract), GCJ-02,
the moved pin in the event, the command line."""

from __future__ import annotations

import copy
import gzip
import json
import sqlite3
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

import pytest

from fieldapp.domain.events import CaseRegistered, Event
from fieldapp.domain.geo import Position
from fieldapp.maps import boundaries as bnd
from fieldapp.maps import online as onl
from fieldapp.maps import sample
from fieldapp.maps import tiles as tl
from fieldapp.rules import load_rules
from tests import maps_kit

RULES = load_rules()
NAMES = {c.code: c.name for c in RULES.communities}


def sample_text(mutate=None) -> str:
    data = sample.sample_geojson()
    if mutate:
        mutate(data)
    return json.dumps(data, ensure_ascii=False)


def test_the_shipped_sample_is_sound_and_the_demo_cases_lie_in_their_community():
    import random

    from fieldapp.demo import near

    b = bnd.load(None, NAMES)
    assert set(b.communities) == {"C1", "C2", "C3", "C4"}
    rng = random.Random(7)
    for i in range(400):
        code = f"C{i % 4 + 1}"
        p = near(rng, 800, code)
        assert b.community_at(p.lat, p.lon) == code
    assert b.community_at(34.70, 113.70) is None


@pytest.mark.parametrize("mutate, words", [
    (lambda d: d["features"][0]["geometry"]["coordinates"][0].pop(), "未闭合"),
    (lambda d: d["features"][0]["properties"].update(code="C9"), "不在考核规则的社区中"),
    (lambda d: d["features"][1]["properties"].update(code="C1"), "出现了两次"),
    (lambda d: d["features"][0]["geometry"].update(type="Point"), "Polygon 或 MultiPolygon"),
    (lambda d: d["features"][0]["geometry"]["coordinates"][0].__setitem__(1, [200, 34.7]), "超出经纬度范围"),
    (lambda d: d.update(type="Feature"), "FeatureCollection"),
])
def test_a_bad_boundaries_file_is_refused_saying_why(mutate, words):
    with pytest.raises(bnd.BoundaryError, match=words):
        bnd.check_text(sample_text(mutate), NAMES)


def test_self_intersection_and_overlap_are_refused_a_shared_edge_is_not():
    bow = [[113.60, 34.74], [113.61, 34.75], [113.61, 34.74], [113.60, 34.75], [113.60, 34.74]]

    def bowtie(d):
        d["features"][0]["geometry"]["coordinates"] = [bow]
    with pytest.raises(bnd.BoundaryError, match="自相交"):
        bnd.check_text(sample_text(bowtie), NAMES)

    def overlap(d):  # C2 takes a big bite of C1: the same ring, moved 200 m west
        ring = copy.deepcopy(d["features"][1]["geometry"]["coordinates"][0])
        d["features"][1]["geometry"]["coordinates"] = [[[x - 0.0022, y] for x, y in ring]]
    with pytest.raises(bnd.BoundaryError, match="重叠约"):
        bnd.check_text(sample_text(overlap), NAMES)
    assert bnd.check_text(sample_text(), NAMES)  # the sample's neighbours share their roads


def test_not_json_is_refused(tmp_path):
    bad = tmp_path / "b.geojson"
    bad.write_text("{oops", encoding="utf-8")
    with pytest.raises(bnd.BoundaryError, match="不是有效的 GeoJSON"):
        bnd.read_import(bad, NAMES)


def test_archives_import_from_mbtiles_and_pmtiles_and_a_copy_holds_only_its_area(tmp_path):
    src = maps_kit.make_mbtiles(tmp_path / "city.mbtiles")
    info = tl.import_archive(src, tmp_path / "office")
    assert info.format == "png" and info.min_zoom == 12 and info.max_zoom == 15
    archive = tl.TileArchive(tl.archive_path(tmp_path / "office"))
    x, y = tl.tile_x(113.6253, 14), tl.tile_y(34.7466, 14)
    assert archive.tile(14, x, y) == maps_kit.tile_png(14, x, y)
    plan = tl.extract(archive, tmp_path / "copy.mbtiles", maps_kit.SAMPLE_BOX)
    copy_ = tl.TileArchive(tmp_path / "copy.mbtiles")
    assert copy_.tile(14, x, y) is not None
    fx, fy = tl.tile_x(113.41, 14), tl.tile_y(34.61, 14)
    assert archive.tile(14, fx, fy) is not None and copy_.tile(14, fx, fy) is None
    assert plan.max_zoom == 15
    # bounded in size: whole zoom levels from the lowest while they fit
    small = tl.plan_extract(archive, maps_kit.SAMPLE_BOX, max_bytes=plan.bytes // 2)
    assert small.max_zoom is not None and small.max_zoom < 15 and small.bytes <= plan.bytes // 2
    pm = tl.import_archive(maps_kit.make_pmtiles(tmp_path / "a.pmtiles"), tmp_path / "office2")
    assert pm.tiles > 0 and pm.max_zoom == 14


def test_vector_tiles_junk_and_empty_archives_are_refused_and_the_old_archive_stays(tmp_path):
    office = tmp_path / "office"
    tl.import_archive(maps_kit.make_mbtiles(tmp_path / "ok.mbtiles", zooms=[12]), office)
    before = tl.archive_path(office).read_bytes()
    vector = tmp_path / "v.mbtiles"
    with closing(sqlite3.connect(vector)) as conn:
        conn.executescript("CREATE TABLE metadata (name, value); CREATE TABLE tiles (zoom_level, tile_column, tile_row, tile_data);")
        conn.execute("INSERT INTO metadata VALUES ('format', 'pbf')")
        conn.execute("INSERT INTO tiles VALUES (1, 0, 0, ?)", [gzip.compress(b"\x1a\x00")])
        conn.commit()
    with pytest.raises(tl.TileError, match="矢量瓦片"):
        tl.import_archive(vector, office)
    junk = tmp_path / "j.mbtiles"
    junk.write_bytes(b"hello")
    with pytest.raises(tl.TileError, match="不是 MBTiles 或 PMTiles"):
        tl.import_archive(junk, office)
    empty = tmp_path / "e.mbtiles"
    with closing(sqlite3.connect(empty)) as conn:
        conn.executescript("CREATE TABLE metadata (name, value); CREATE TABLE tiles (zoom_level, tile_column, tile_row, tile_data);")
    with pytest.raises(tl.TileError, match="没有任何瓦片"):
        tl.import_archive(empty, office)
    assert tl.archive_path(office).read_bytes() == before
    assert [p.name for p in (office / "tiles").iterdir() if p.name.startswith(".")] == []


def test_gcj02_for_display_matches_eviltransform():
    # reference values computed with eviltransform 0.1.1 (wgs2gcj)
    for (lat, lon), (glat, glon) in [((34.7466, 113.6253), (34.74541732167272, 113.63134668278622)),
                                     ((39.9087, 116.3975), (39.91010352310999, 116.40374367837322)),
                                     ((22.5431, 114.0579), (22.54038276821278, 114.06301408516))]:
        got = onl.wgs84_to_gcj02(lat, lon)
        assert abs(got[0] - glat) < 2e-6 and abs(got[1] - glon) < 2e-6
    assert onl.wgs84_to_gcj02(48.85, 2.35) == (48.85, 2.35)
    with pytest.raises(onl.SourceError, match="{z}"):
        onl.check("https://t.example/tiles.png", "x")
    with pytest.raises(onl.SourceError, match="署名"):
        onl.check("https://t.example/{z}/{x}/{y}.png", "")


def test_a_moved_pin_is_an_optional_field_old_events_keep_their_hash():
    now = datetime(2022, 6, 1, 9, tzinfo=timezone.utc)
    base = dict(case_id="6f1c8d1e-8a64-4d4b-9f57-1c1b0d7b0e01", community="C1", category="Z1", source="D",
                note="", place="", position=Position(34.75, 113.62, 30.0), found_at=now,
                deadline=now.date(), unannounced=False)
    plain = Event("0b8e6f7e-2f7b-4b8e-9d1e-0f5e2b1e3c4a", CaseRegistered(**base), "a", "d", now)
    assert "placed" not in plain.to_dict()["payload"]
    moved = Event(plain.id, CaseRegistered(**base, placed=Position(34.7503, 113.6204)), "a", "d", now)
    back = Event.from_dict(moved.to_dict())
    assert back.data.placed == Position(34.7503, 113.6204) and back.data.position.accuracy_m == 30.0
    assert plain.content_hash() != moved.content_hash()
    assert Event.from_dict(plain.to_dict()).content_hash() == plain.content_hash()


def test_office_commands(tmp_path):
    from tests.office_process import ENV, REPO
    import subprocess
    import sys

    def run(*args):
        done = subprocess.run([sys.executable, "-m", "fieldapp.cli", "office", *args, "--data-dir", str(tmp_path / "o")],
                              cwd=REPO, env=ENV, capture_output=True, text=True, timeout=60)
        return done.returncode, done.stdout + done.stderr
    bad = tmp_path / "bad.geojson"
    bad.write_text(sample_text(lambda d: d["features"][0]["geometry"]["coordinates"][0].pop()), encoding="utf-8")
    code, out = run("boundaries", "import", str(bad))
    assert code == 2 and "未闭合" in out and not (tmp_path / "o" / "rules" / "boundaries.geojson").exists()
    good = tmp_path / "good.geojson"
    good.write_text(sample_text(), encoding="utf-8")
    code, out = run("boundaries", "import", str(good))
    assert code == 0 and "4 个社区" in out
    code, out = run("tiles", "import", str(maps_kit.make_mbtiles(tmp_path / "t.mbtiles", zooms=[12, 13])))
    assert code == 0 and "PNG" in out, out
    code, out = run("tiles", "online", "--url", "https://t.example/{z}/{x}/{y}.png", "--attribution", "© 测试",
                    "--datum", "gcj02")
    assert code == 0 and "gcj02" in out
    code, out = run("tiles", "info")
    assert "缩放 12–13 级" in out and "gcj02" in out
