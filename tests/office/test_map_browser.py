"""The dashboard's 地图 at 1366×768 against `fieldapp office serve` (the sample office and a tile
archive made here): markers for the cases (semantics labels) open the case dialog with that case;
boundaries, hot spots; the export of the shown cases as GeoJSON."""

from __future__ import annotations

import json

import pytest

from dash_harness import by_id, expect, login, nav, settled_screenshot
from fieldapp.maps import tiles as tl
from fieldapp.office import words as strings
from tests import maps_kit

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_office_map_opens_cases_and_exports_what_it_shows(office_server, desktop, tmp_path):
    tl.import_archive(maps_kit.make_mbtiles(tmp_path / "city.mbtiles", zooms=range(12, 16)), office_server.data_dir)
    page = desktop
    page.set_viewport_size({"width": 1366, "height": 768})
    tile_hits = []
    page.on("response", lambda r: tile_hits.append(r.status) if "/maptiles/" in r.url else None)
    login(page, office_server.url, "wang")
    nav(page, strings.DASH_NAV_MAP)
    markers = page.locator('[flt-semantics-identifier^="marker-"]')
    expect(markers.first).to_be_attached(timeout=30_000)
    expect(by_id(page, "map-office-count")).to_contain_text("显示")
    page.wait_for_timeout(1500)
    settled_screenshot(page, "maps-office-1366")
    assert tile_hits.count(200) >= 1, tile_hits
    label = markers.first.get_attribute("aria-label") or markers.first.inner_text()
    markers.first.click()
    expect(by_id(page, "case-dialog")).to_be_visible(timeout=15_000)
    expect(by_id(page, "case-dialog")).to_contain_text(label.split("·")[0])
    settled_screenshot(page, "maps-office-1366-dialog")
    page.keyboard.press("Escape")

    with page.expect_download() as download:
        by_id(page, "map-export-geojson").click()
    data = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert data["type"] == "FeatureCollection" and len(data["features"]) >= markers.count() > 0
