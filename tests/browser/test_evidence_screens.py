"""Evidence in the phone app (issue 12 §3), in Chromium at 360, 390 and 844×390:

- 登记问题 with GPS refused and the 2011 Rome album photo: the warning names the three marks
  in words *before* anything is saved; saved, the case carries them and the message says so;
- 案件详情 shows them; 复查 offers 拍照 first and drops an after photo equal to the before photo;
- the geolocator's ``mocked`` flag is kept with the fix (data level: Chromium cannot fake it).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect

from fieldapp.domain import evidence as ev
from fieldapp.ui import strings
from fieldapp.ui.device import Device
from prefill import PHOTO_GPS, open_store
from test_inspector import assert_fits, button, by_id, choose_photo, message, open_case, wait_row_count
from ui_harness import FROZEN_NOW, goto_tab, heading, open_app, run_async_in_thread, settled_screenshot

SIZES = [(360, 740), (390, 844), (844, 390)]
ROME_MARKS = (ev.PHOTO_POSITION, ev.OUTSIDE_AREA, ev.PHOTO_OLD)


def scroll_to(page: Page, target) -> None:
    """Scroll the Flutter form (the canvas scrolls, not the DOM) until `target`'s top is near
    the top of the screen, by wheel steps over the middle of the screen."""
    size = page.viewport_size
    page.mouse.move(size["width"] / 2, size["height"] / 2)
    for _ in range(8):
        top = target.bounding_box()["y"]
        if 60 <= top <= 140:
            return
        page.mouse.wheel(0, top - 100)
        page.wait_for_timeout(400)


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_warning_shows_before_saving_and_the_case_is_marked(app_factory, phone_factory, width, height):
    server = app_factory(now=FROZEN_NOW, env={"FIELDAPP_AUTOSYNC": "0"})
    # no geolocation permission: the phone has no fix, as with GPS refused
    page = open_app(phone_factory(width, height, permissions=["camera"]), server.url)
    size = f"{width}x{height}"
    goto_tab(page, strings.TAB_NEW)
    expect(by_id(page, "location-status")).to_contain_text(strings.LOCATION_NONE, timeout=30_000)
    expect(by_id(page, "evidence-warning")).to_have_count(0)  # nothing chosen yet: nothing to warn about

    by_id(page, "category-Z1").tap()
    choose_photo(page, PHOTO_GPS)  # an album photo: Rome, 2011
    warning = by_id(page, "evidence-warning")
    expect(warning).to_be_visible(timeout=10_000)
    expect(warning).to_contain_text(strings.EVIDENCE_WARN_TITLE)
    for mark in ROME_MARKS:
        expect(warning).to_contain_text(strings.EVIDENCE_MARKS[mark])
    expect(warning).not_to_contain_text(strings.EVIDENCE_MARKS[ev.MOCKED_POSITION])
    for code in ev.MARKS:
        expect(warning).not_to_contain_text(code)
    with open_store(server.data_dir) as store:
        assert store.event_count() == 0  # warned before anything is saved
    scroll_to(page, warning)  # right under the photos
    assert_fits(page, width)
    settled_screenshot(page, f"evidence-new-case-warning-{size}")

    button(page, strings.SAVE_CASE).tap()
    expect(heading(page, strings.TITLE_CASES)).to_be_visible(timeout=15_000)
    case_id = wait_row_count(page, 1)[0]
    with open_store(server.data_dir) as store:
        assert store.case(case_id).marks == ROME_MARKS

    # 案件详情: the marks, in words
    open_case(page, case_id)
    panel = by_id(page, "detail-evidence")
    expect(panel).to_be_visible()
    for mark in ROME_MARKS:
        expect(panel).to_contain_text(strings.EVIDENCE_MARKS[mark])
    assert_fits(page, width)
    settled_screenshot(page, f"evidence-detail-{size}")

    # 复查: 拍照 comes first; the before photo again is dropped at once, and nothing is stored
    button(page, strings.RECHECK).tap()
    expect(page.get_by_text(strings.RECHECK_CAMERA_FIRST)).to_be_visible()
    camera, album = button(page, strings.TAKE_PHOTO).last, button(page, strings.PICK_PHOTO).last
    cam_box, album_box = camera.bounding_box(), album.bounding_box()
    assert (cam_box["y"], cam_box["x"]) < (album_box["y"], album_box["x"])  # first in reading order
    choose_photo(page, PHOTO_GPS, key="after", n=0)
    expect(message(page, "recheck")).to_contain_text(strings.AFTER_SAME_AS_BEFORE, timeout=15_000)
    expect(by_id(page, "photo-after-1")).to_have_count(0)
    assert_fits(page, width)
    settled_screenshot(page, f"evidence-recheck-same-photo-{size}")
    page.get_by_role("radio", name=strings.STATUS_RECTIFIED, exact=True).tap()
    button(page, strings.RECHECK_SAVE).tap()
    expect(message(page, "recheck")).to_contain_text(strings.NEED_PHOTO)
    with open_store(server.data_dir) as store:
        state = store.case(case_id)
        assert state.lifecycle == "open" and state.after_photos == () and state.checks == ()


def test_the_device_keeps_the_geolocators_mocked_flag():
    class FakeGeolocator:
        def __init__(self, mocked):
            self.mocked = mocked

        async def get_current_position(self):
            return SimpleNamespace(latitude=34.748, longitude=113.627, accuracy=6.0, mocked=self.mocked)

    device = Device()
    for mocked, expected in ((True, True), (False, False), (None, False)):
        device._geolocator = FakeGeolocator(mocked)
        position = run_async_in_thread(device.locate)  # Playwright may hold this thread's loop
        assert position.lat == 34.748 and device.fix_mocked is expected
