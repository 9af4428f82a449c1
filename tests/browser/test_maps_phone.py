"""Maps on the phone, against a real office (`fieldapp office serve --demo` with a tile archive made
here): the phone copies only its communities' area at sync; 我的案件 · 地图 shows the cases as
markers (semantics labels) that open the right case, with tiles from the phone's copy while the
office is unreachable; 登记问题's pin moved on the map is stored beside the fix; 案件详情's map.
Without a copy the map is plain and the markers are there all the same."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest
from playwright.sync_api import expect

from fieldapp.maps import tiles as tl
from fieldapp.ui import strings
from tests import maps_kit
from tests.office_process import OfficeProcess, fieldapp, free_port
from prefill import open_store, register_case, tiny_photo
from ui_harness import FROZEN_NOW, goto_tab, open_app, settled_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

GPS = {"latitude": 34.7535, "longitude": 113.6190, "accuracy": 25}  # inside C1 (north-west)


def by_id(page, ident: str):
    return page.locator(f'[flt-semantics-identifier="{ident}"]')


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    root = tmp_path_factory.mktemp("maps-office")
    archive = maps_kit.make_mbtiles(root / "city.mbtiles", zooms=range(12, 17))
    fieldapp("office", "tiles", "import", str(archive), "--data-dir", str(root / "office"))
    proc = OfficeProcess(root / "office", free_port(), root / "office.log", "--demo").start()
    yield proc
    proc.stop()


@pytest.fixture(scope="module")
def phone_dir(office, tmp_path_factory):
    """A phone enrolled for C1 that has synced once: the office's C1 cases and its map copy."""
    d = tmp_path_factory.mktemp("maps-phone")
    code = office.enrol_code("inspector-maps", "C1")
    fieldapp("sync", "enrol", "--server", office.url, "--code", code, "--data-dir", str(d))
    fieldapp("sync", "--data-dir", str(d))
    return d


def test_the_phone_copied_only_its_area(phone_dir, office):
    copy = tl.TileArchive(phone_dir / "tiles" / tl.AREA_NAME)
    office_archive = tl.TileArchive(tl.archive_path(office.data_dir))
    z = 16
    inside = (tl.tile_x(113.6190, z), tl.tile_y(34.7535, z))          # C1
    far = (tl.tile_x(113.41, z), tl.tile_y(34.61, z))                  # another city
    other = (tl.tile_x(113.6400, z), tl.tile_y(34.7370, z))            # C4's far corner
    assert copy.tile(z, *inside) == office_archive.tile(z, *inside)
    for x, y in (far, other):
        assert office_archive.tile(z, x, y) is not None and copy.tile(z, x, y) is None
    assert (phone_dir / "rules" / "boundaries.geojson").is_file()


def test_phone_map_markers_open_their_case_with_tiles_from_the_copy_and_no_network(
        phone_dir, office, app_factory, phone_factory):
    app = app_factory(start=False, env={"FIELDAPP_AUTOSYNC": "0"})
    shutil.copytree(phone_dir, app.data_dir, dirs_exist_ok=True)
    app.now = FROZEN_NOW
    app.start()
    page = phone_factory(390, 844, geolocation=GPS)
    tile_hits = []
    page.on("response", lambda r: tile_hits.append(r.status) if "/tiles/" in r.url else None)
    page.context.route(f"{office.url}/**", lambda route: route.abort())  # the office is out of reach
    open_app(page, app.url)
    by_id(page, "view-map").click()
    markers = page.locator('[flt-semantics-identifier^="marker-"]')
    expect(markers.first).to_be_attached(timeout=30_000)
    expect(by_id(page, "map-basemap-tiles")).to_be_attached()
    expect(by_id(page, "view-map")).to_have_attribute("aria-current", "true")
    page.wait_for_timeout(1500)  # tiles load after the markers' semantics
    settled_screenshot(page, "maps-phone-390-map")
    assert tile_hits.count(200) >= 4, tile_hits  # from the copy (tiles beyond its area: 404, plain)
    label = markers.first.get_attribute("aria-label") or markers.first.inner_text()
    case_id = markers.first.get_attribute("flt-semantics-identifier").removeprefix("marker-")
    markers.first.click()
    expect(by_id(page, "detail-status")).to_be_attached(timeout=15_000)
    expect(by_id(page, "map-detail")).to_be_attached()
    expect(by_id(page, "detail-navigate")).to_be_attached()
    category = label.split("·")[0]
    expect(page.get_by_text(category).first).to_be_visible()
    settled_screenshot(page, "maps-phone-390-detail")
    assert case_id

    # 同步 says what the copy holds
    goto_tab(page, strings.TAB_SYNC)
    expect(by_id(page, "sync-map")).to_contain_text("缩放至 16 级", timeout=15_000)

    # 登记问题: the fix inside C1 proposes 第一社区; a tap on the map moves the pin
    goto_tab(page, strings.TAB_NEW)
    expect(by_id(page, "map-new")).to_be_attached(timeout=30_000)
    expect(by_id(page, "community-note")).to_contain_text("第一社区")
    by_id(page, "map-new").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    box = by_id(page, "map-new").bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.75)
    expect(by_id(page, "pin-note")).to_contain_text("距 GPS 定位", timeout=10_000)
    settled_screenshot(page, "maps-phone-390-new")

    # saved: the case keeps the GPS fix and the moved place
    by_id(page, "category-Z1").tap()
    photo = app.data_dir.parent / "problem.jpg"
    photo.write_bytes(tiny_photo(5))
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name=strings.PICK_PHOTO).last.tap()
    chooser.value.set_files(str(photo))
    expect(by_id(page, "photo-new-1")).to_be_visible(timeout=15_000)
    page.get_by_role("button", name=strings.SAVE_CASE).tap()
    expect(page.get_by_role("heading", name=strings.TITLE_CASES)).to_be_visible(timeout=20_000)
    with open_store(app.data_dir) as store:
        row = store.db.execute("SELECT payload FROM events WHERE type = 'case.registered' "
                               "ORDER BY seq DESC LIMIT 1").fetchone()
    payload = json.loads(row[0])
    assert payload["position"]["lat"] == pytest.approx(GPS["latitude"])
    assert payload["placed"] != {"lat": GPS["latitude"], "lon": GPS["longitude"]}, payload
    assert payload["community"] == "C1"


@pytest.mark.parametrize("size", [(390, 844)])
def test_no_copy_no_office_a_plain_map_with_the_markers(app_factory, phone_factory, size):
    from fieldapp.domain.geo import Position

    app = app_factory(start=False, env={"FIELDAPP_AUTOSYNC": "0"})
    ids = [register_case(app.data_dir, "2022-05-30T10:00:00+08:00", community=c, position=Position(lat, lon, 10),
                         place=f"p{i}", deadline=date(2022, 6, 3))
           for i, (c, lat, lon) in enumerate([("C1", 34.7520, 113.6200), ("C2", 34.7510, 113.6300),
                                              ("C4", 34.7420, 113.6310)])]
    app.now = FROZEN_NOW
    app.start()
    page = phone_factory(*size, geolocation=GPS)
    open_app(page, app.url)
    by_id(page, "view-map").click()
    expect(by_id(page, "map-basemap-plain")).to_be_attached(timeout=30_000)
    for case_id in ids:
        expect(by_id(page, f"marker-{case_id}")).to_be_attached(timeout=15_000)
    settled_screenshot(page, "maps-phone-390-plain")
    by_id(page, f"marker-{ids[1]}").click()
    expect(by_id(page, "detail-status")).to_be_attached(timeout=15_000)
    expect(page.get_by_text("第二社区").first).to_be_visible()
