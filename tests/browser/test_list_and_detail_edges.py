"""我的案件 and 案件详情 as a new inspector meets them (issue 12 §5): the filter chips on one
line, 已办结 to find closed cases, an empty list that says what to do, a long note that does
not push the actions away, and a photo viewer that really is full screen.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from fieldapp.casework import Casework
from fieldapp.ui import strings
from fieldapp.ui.data import PHOTO_DIR_NAME
from sync.phonebook import PhoneBook
from prefill import OFFICE, PHOTO_GPS, PHOTO_NO_EXIF, open_store, register_case
from test_inspector import assert_fits, button, by_id, open_case
from ui_harness import FROZEN_NOW, goto_tab, heading, open_app, settled_screenshot

pytestmark = pytest.mark.slow

LONG_NOTE = "东侧围墙外长期堆放建筑垃圾和生活垃圾，" * 12  # 228 characters


def test_chips_closed_filter_long_note_and_full_screen_photo(app_factory, phone_factory):
    server = app_factory(start=False, env={"FIELDAPP_AUTOSYNC": "0"})
    data = server.data_dir
    with open_store(data) as store:
        def work(at: str) -> Casework:
            return Casework(store, Path(data) / PHOTO_DIR_NAME, OFFICE, lambda: datetime.fromisoformat(at))

        long_one = work("2022-05-30T10:00:00+08:00").register(
            community="C1", category="Z1", photos=[PHOTO_GPS.read_bytes()], place="east wall", note=LONG_NOTE,
            deadline=date(2022, 6, 3)).case_id
        done = register_case(data, "2022-05-25T10:00:00+08:00", store=store, category="L3",
                             deadline=date(2022, 5, 28), place="market gate")
        work("2022-05-27T10:00:00+08:00").recheck(done, rectified=True, photos=[PHOTO_NO_EXIF.read_bytes()])
    server.now = FROZEN_NOW
    server.start()
    page = open_app(phone_factory(360, 740), server.url)

    # one line of chips, sideways
    chips = [by_id(page, i) for i in ("filter-community", "filter-awaiting", "filter-status-all")]
    middles = {round(c.bounding_box()["y"] + c.bounding_box()["height"] / 2) for c in chips}
    assert len(middles) == 1, middles
    assert by_id(page, "filter-status-all").bounding_box()["height"] >= 47  # a finger's tap target
    expect(by_id(page, "filter-status-all")).to_contain_text(strings.FILTER_STATUS_ALL)
    expect(by_id(page, f"case-{done}")).to_have_count(0)

    # 已办结: the rectified case, found again
    by_id(page, "filter-status-closed").tap()
    expect(by_id(page, f"case-{done}")).to_contain_text(strings.STATUS_RECTIFIED_ON_TIME)
    expect(by_id(page, f"case-{long_one}")).to_have_count(0)
    settled_screenshot(page, "edges-01-closed-360")
    open_case(page, done)
    expect(by_id(page, "compare-after")).to_be_visible()  # before and after side by side
    by_id(page, "back").tap()
    by_id(page, "filter-status-all").tap()

    # a long note: folded, and 复查 still on the first screen
    open_case(page, long_one)
    expect(button(page, strings.NOTE_EXPAND)).to_be_visible()
    recheck = button(page, strings.RECHECK)
    expect(recheck).to_be_visible()
    assert recheck.bounding_box()["y"] + recheck.bounding_box()["height"] <= 740
    settled_screenshot(page, "edges-02-long-note-360")
    assert_fits(page, 360)

    # the photo viewer fills the screen
    by_id(page, "photo-before-1").tap()
    viewer = by_id(page, "photo-viewer")
    expect(viewer).to_be_visible()
    box = viewer.bounding_box()
    assert box["width"] >= 359 and box["height"] >= 739, box
    settled_screenshot(page, "edges-03-viewer-360")
    page.get_by_role("button", name=strings.CLOSE).tap()
    expect(viewer).to_have_count(0)


def test_an_empty_list_leads_to_the_form(app_factory, phone_factory):
    server = app_factory(start=False, env={"FIELDAPP_AUTOSYNC": "0"})
    with open_store(server.data_dir) as store:  # enrolled, nothing registered yet
        PhoneBook(store).save_credentials("http://127.0.0.1:9/", "token", "phone-1", "张三", ["C1"])
    server.now = FROZEN_NOW
    server.start()
    page = open_app(phone_factory(390, 844), server.url)
    expect(by_id(page, "empty-cases")).to_have_attribute("aria-label", re.compile(strings.CASES_EMPTY))
    by_id(page, "empty-cases").get_by_role("button", name=strings.TAB_NEW).tap()
    expect(heading(page, strings.TITLE_NEW)).to_be_visible()


def test_the_new_case_form_keeps_save_in_reach_says_what_it_cut_and_asks_before_leaving(app_factory, phone_factory):
    server = app_factory(start=False, env={"FIELDAPP_AUTOSYNC": "0"})
    with open_store(server.data_dir) as store:
        PhoneBook(store).save_credentials("http://127.0.0.1:9/", "token", "phone-1", "张三", ["C1"])
    server.now = FROZEN_NOW
    server.start()
    page = open_app(phone_factory(360, 740), server.url)
    goto_tab(page, strings.TAB_NEW)
    save = button(page, strings.SAVE_CASE)
    expect(save).to_be_visible()
    nav_top = page.get_by_role("tab", name=strings.TAB_NEW).bounding_box()["y"]
    assert save.bounding_box()["y"] + save.bounding_box()["height"] <= nav_top  # no scrolling to find it

    by_id(page, "category-Z1").tap()
    # a paste longer than 问题描述 takes: cut by the field, and said
    note = page.get_by_role("textbox", name=strings.NOTE_LABEL)
    for attempt in range(3):  # a multi-line field ignores input until Flutter has focused it
        note.focus()
        page.keyboard.insert_text("垃" * 2100)
        try:
            expect(by_id(page, "message-new")).to_contain_text(
                strings.TEXT_CUT.format(field=strings.SECTION_NOTE, n=2000), timeout=5_000)
            break
        except AssertionError:
            if attempt == 2:
                raise

    # leaving with unsaved input asks first; 继续填写 keeps it, 放弃并离开 drops it
    page.get_by_role("tab", name=strings.TAB_CASES).tap()
    expect(page.get_by_text(strings.LEAVE_FORM_TITLE)).to_be_visible()
    settled_screenshot(page, "edges-04-leave-form-360")
    button(page, strings.LEAVE_FORM_STAY).tap()
    expect(heading(page, strings.TITLE_NEW)).to_be_visible()
    expect(page.get_by_role("tab", name=strings.TAB_NEW)).to_have_attribute("aria-selected", "true")
    page.get_by_role("tab", name=strings.TAB_CASES).tap()
    button(page, strings.LEAVE_FORM_GO).tap()
    expect(heading(page, strings.TITLE_CASES)).to_be_visible()
    goto_tab(page, strings.TAB_NEW)  # a fresh form: nothing to ask about when leaving again
    page.get_by_role("tab", name=strings.TAB_CASES).tap()
    expect(heading(page, strings.TITLE_CASES)).to_be_visible()
    expect(page.get_by_text(strings.LEAVE_FORM_TITLE)).to_have_count(0)
