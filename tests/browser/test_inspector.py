"""The inspector's screens end to end in a phone-sized Chromium (390×844).

One long story per test (each app start + Flutter boot costs ~3 s):
register → nearby duplicate → re-check → void → surveys → restart → later clock.
"""

from __future__ import annotations

import re
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from fieldapp.ui import strings
from prefill import (
    HERE, PHOTO_12MP, PHOTO_GPS, PHOTO_NO_EXIF, open_store, register_case, tiny_photo,
)
from ui_harness import FROZEN_NOW, goto_tab, heading, open_app, settled_screenshot

pytestmark = pytest.mark.browser


# --- helpers ------------------------------------------------------------------------------

def by_id(page: Page, identifier: str):
    return page.locator(f'[flt-semantics-identifier="{identifier}"]')


def case_rows(page: Page) -> list[str]:
    """Case ids of the rows on screen, top to bottom."""
    return page.evaluate("""() => [...document.querySelectorAll('[flt-semantics-identifier^="case-"]')]
        .map(e => [e.getBoundingClientRect().top, e.getAttribute('flt-semantics-identifier').slice(5)])
        .sort((a, b) => a[0] - b[0]).map(x => x[1])""")


def button(page: Page, name: str):
    return page.get_by_role("button", name=name, exact=True)


def message(page: Page, key: str):
    return by_id(page, f"message-{key}")


def choose_photo(page: Page, path: Path, key: str = "new", n: int = 1) -> None:
    with page.expect_file_chooser() as chooser:
        button(page, strings.PICK_PHOTO).last.tap()
    chooser.value.set_files(str(path))
    if n:
        expect(by_id(page, f"photo-{key}-{n}")).to_be_visible(timeout=15_000)


def type_into(page: Page, label: str, text: str, attempts: int = 3, prefix: bool = False) -> None:
    """Type into the text field labelled `label` (with `prefix`: whose name starts with it —
    a focused field with a hint is named label + hint). Focus first (a multi-line field
    ignores input while it is not focused), then real key strokes: fill() can set the DOM
    value before Flutter's own text state sees it, and a button tapped right after reads
    the old value. Retry if Flutter rebuilt the field meanwhile (the text then is lost)."""
    name = re.compile("^" + re.escape(label)) if prefix else label
    box = page.get_by_role("textbox", name=name, exact=not prefix)
    for attempt in range(attempts):
        box.focus()
        page.keyboard.press("Control+A")
        page.keyboard.type(text)
        try:
            expect(box).to_have_value(text, timeout=2_000)
            return
        except AssertionError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.3)


def open_case(page: Page, case_id: str, attempts: int = 3) -> None:
    """Tap a case row and wait for its detail (retry: a refresh may have replaced the row
    just as it was tapped)."""
    for attempt in range(attempts):
        by_id(page, f"case-{case_id}").tap()
        try:
            expect(by_id(page, "screen-detail")).to_be_visible(timeout=4_000)
            return
        except AssertionError:
            if attempt == attempts - 1:
                raise


def wait_row_count(page: Page, n: int, timeout: float = 15) -> list[str]:
    deadline = time.monotonic() + timeout
    while True:
        rows = case_rows(page)
        if len(rows) == n or time.monotonic() > deadline:
            return rows
        time.sleep(0.2)


# --- the story ------------------------------------------------------------------------------

def test_register_recheck_void_survey_and_restart(app_factory, phone):
    # three cases registered earlier with the real Store/Casework: overdue, due today, later
    server = app_factory(now=None, start=False)
    data = server.data_dir
    overdue = register_case(data, "2022-05-20T10:00:00+08:00", category="Z2", community="C2",
                            deadline=date(2022, 5, 25), place="overdue-place")
    due_today = register_case(data, "2022-05-29T10:00:00+08:00", category="L3",
                              deadline=date(2022, 6, 1), place="today-place")
    later = register_case(data, "2022-05-30T10:00:00+08:00", category="L4",
                          deadline=date(2022, 6, 20), place="later-place")
    server.now = FROZEN_NOW
    server.start()
    page = open_app(phone, server.url)

    # 我的案件: most urgent first, with the right words
    expect(by_id(page, f"case-{overdue}")).to_contain_text(strings.OVERDUE_BY_DAYS.format(n=7))
    expect(by_id(page, f"case-{due_today}")).to_contain_text(strings.DUE_TODAY)
    expect(by_id(page, f"case-{later}")).to_contain_text(strings.DUE_IN_DAYS.format(n=19))
    assert case_rows(page) == [overdue, due_today, later]
    settled_screenshot(page, "inspector-01-cases")

    # 登记问题 with a real photo and the browser's GPS fix
    goto_tab(page, strings.TAB_NEW)
    expect(by_id(page, "location-status")).to_contain_text(
        strings.LOCATION_OK.format(m=8), timeout=20_000)
    by_id(page, "category-Z1").tap()
    choose_photo(page, PHOTO_GPS)
    type_into(page, strings.PLACE_LABEL, "construction-road 12")
    expect(by_id(page, "deadline-value")).to_contain_text("6月4日")
    settled_screenshot(page, "inspector-02-new-case-filled")
    button(page, strings.SAVE_CASE).tap()

    # back on 我的案件, at its place between "due today" and "later"
    expect(heading(page, strings.TITLE_CASES)).to_be_visible(timeout=15_000)
    rows = wait_row_count(page, 4)
    assert len(rows) == 4 and rows[:2] == [overdue, due_today] and rows[3] == later, rows
    first_new = rows[2]
    expect(by_id(page, f"case-{first_new}")).to_contain_text(strings.DUE_IN_DAYS.format(n=3))
    expect(by_id(page, f"case-{first_new}")).to_contain_text("6月4日")
    with open_store(data) as store:
        state = store.case(first_new)
        assert state.category == "Z1" and state.deadline == date(2022, 6, 4)
        assert state.position.lat == pytest.approx(HERE.lat) and state.before_photos

    # the same problem again at the same spot: the nearby case is shown; call it a new one
    goto_tab(page, strings.TAB_NEW)
    by_id(page, "category-Z1").tap()
    choose_photo(page, PHOTO_NO_EXIF)
    button(page, strings.SAVE_CASE).tap()
    expect(by_id(page, f"nearby-{first_new}")).to_be_visible(timeout=15_000)
    expect(by_id(page, f"nearby-{first_new}")).to_contain_text(strings.JUDGE_SEEN_AGAIN)
    settled_screenshot(page, "inspector-03-nearby")
    button(page, strings.JUDGE_NEW).tap()
    expect(heading(page, strings.TITLE_CASES)).to_be_visible(timeout=15_000)
    rows = wait_row_count(page, 5)
    second_new = next(r for r in rows if r not in (overdue, due_today, later, first_new))

    # 复查 the first one with an after photo: 整改到位, on time
    open_case(page, first_new)
    expect(by_id(page, "photo-before-1")).to_be_visible()
    button(page, strings.RECHECK).tap()
    choose_photo(page, PHOTO_NO_EXIF, key="after")
    page.get_by_role("radio", name=strings.STATUS_RECTIFIED, exact=True).tap()
    settled_screenshot(page, "inspector-04-recheck")
    button(page, strings.RECHECK_SAVE).tap()
    expect(by_id(page, "detail-status")).to_contain_text(strings.STATUS_RECTIFIED_ON_TIME,
                                                        timeout=15_000)
    expect(page.get_by_text(strings.CASE_CLOSED_RECTIFIED)).to_be_visible()
    expect(by_id(page, "photo-after-1")).to_be_visible()
    expect(by_id(page, "timeline")).to_contain_text(strings.EV_RECHECK_OK)
    settled_screenshot(page, "inspector-05-detail-rectified")
    by_id(page, "photo-before-1").tap()
    expect(by_id(page, "photo-viewer")).to_be_visible()
    settled_screenshot(page, "inspector-06-photo-full-screen")
    page.get_by_role("button", name=strings.CLOSE).tap()
    expect(by_id(page, "photo-viewer")).to_have_count(0)

    # back: the rectified case left the open list
    by_id(page, "back").tap()
    rows = wait_row_count(page, 4)
    assert first_new not in rows

    # 作废 the duplicate, with a reason (an empty reason is refused)
    open_case(page, second_new)
    button(page, strings.VOID).tap()
    button(page, strings.VOID_CONFIRM).tap()
    expect(message(page, "void")).to_contain_text(strings.ERRORS["reason_required"])
    type_into(page, strings.VOID_REASON, "duplicate entry")
    button(page, strings.VOID_CONFIRM).tap()
    expect(by_id(page, "detail-status")).to_contain_text(strings.STATUS_VOIDED, timeout=15_000)
    settled_screenshot(page, "inspector-07-detail-voided")
    with open_store(data) as store:
        assert store.case(first_new).lifecycle == "rectified" and store.case(first_new).on_time
        assert store.case(second_new).lifecycle == "voided"
        assert store.case(second_new).void_reason == "duplicate entry"

    # 满意度调查: two residents in a row
    goto_tab(page, strings.TAB_SURVEY)
    expect(by_id(page, "survey-count")).to_contain_text(strings.SURVEY_TODAY.format(n=0))
    button(page, strings.SURVEY_SUBMIT).tap()
    expect(message(page, "survey")).to_contain_text(strings.SURVEY_NEED_ANSWER)
    by_id(page, "answer-0").tap()
    button(page, strings.SURVEY_SUBMIT).tap()
    expect(by_id(page, "survey-count")).to_contain_text(strings.SURVEY_TODAY.format(n=1))
    by_id(page, "answer-2").tap()
    type_into(page, strings.SURVEY_COMMENT, "more bins please")
    button(page, strings.SURVEY_SUBMIT).tap()
    expect(by_id(page, "survey-count")).to_contain_text(strings.SURVEY_TODAY.format(n=2))
    settled_screenshot(page, "inspector-08-survey")
    with open_store(data) as store:
        answers = sorted((r["answer"], r["comment"]) for r in store.db.query("SELECT * FROM surveys"))
        assert answers == [("不满意", "more bins please"), ("满意", "")]

    # stop, restart ten days later: everything is still there, and now overdue
    server.now = "2022-06-11T09:00:00+08:00"
    server.restart()
    page = open_app(phone, server.url)
    expect(by_id(page, f"case-{overdue}")).to_contain_text(strings.OVERDUE_BY_DAYS.format(n=17))
    expect(by_id(page, f"case-{due_today}")).to_contain_text(strings.OVERDUE_BY_DAYS.format(n=10))
    assert first_new not in case_rows(page) and second_new not in case_rows(page)
    by_id(page, "filter-status-overdue").tap()
    expect(by_id(page, "filter-status-overdue")).to_contain_text("2")
    settled_screenshot(page, "inspector-09-cases-ten-days-later")
    goto_tab(page, strings.TAB_SURVEY)
    expect(by_id(page, "survey-count")).to_contain_text(strings.SURVEY_TODAY.format(n=0))
    with open_store(data) as store:
        assert store.case(first_new).lifecycle == "rectified"
        assert store.survey_count() == 2


def test_bad_input_is_refused_and_nothing_saved(app_server, phone, tmp_path):
    page = open_app(phone, app_server.url)
    goto_tab(page, strings.TAB_NEW)
    # no category
    button(page, strings.SAVE_CASE).tap()
    expect(message(page, "new")).to_contain_text(strings.NEED_CATEGORY)
    # no photo
    by_id(page, "category-L2").tap()
    button(page, strings.SAVE_CASE).tap()
    expect(message(page, "new")).to_contain_text(strings.NEED_PHOTO)
    # a text file chosen as a photo
    text_file = tmp_path / "notes.jpg"
    text_file.write_text("this is not a photo\n")
    choose_photo(page, text_file, n=0)
    expect(message(page, "new")).to_contain_text(strings.PHOTO_ERRORS["not_an_image"])
    expect(by_id(page, "photo-new-1")).to_have_count(0)
    settled_screenshot(page, "inspector-10-not-a-photo")
    button(page, strings.SAVE_CASE).tap()
    expect(message(page, "new")).to_contain_text(strings.NEED_PHOTO)
    with open_store(app_server.data_dir) as store:
        assert store.event_count() == 0
    assert not list((app_server.data_dir / "photos").rglob("*.jpg"))
    # the in-app camera (flet-camera; Chromium's fake camera): a real photo on the form
    button(page, strings.TAKE_PHOTO).tap()
    button(page, strings.CAMERA_SHUTTER).tap(timeout=15_000)
    expect(by_id(page, "photo-new-1")).to_be_visible(timeout=15_000)
    expect(message(page, "new")).to_contain_text(strings.PHOTO_ADDED)


def test_saving_a_12mp_photo_answers_at_once(app_server, phone):
    """File 11 (12 MP): the screen says 正在保存… at once; the case is stored soon after."""
    page = open_app(phone, app_server.url)
    goto_tab(page, strings.TAB_NEW)
    expect(by_id(page, "location-status")).to_contain_text(
        strings.LOCATION_OK.format(m=8), timeout=20_000)
    by_id(page, "category-L5").tap()
    choose_photo(page, PHOTO_12MP)
    t0 = time.perf_counter()
    button(page, strings.SAVE_CASE).tap()
    # the first answer ("正在保存…" or already the list) — whichever the browser shows first
    page.wait_for_function(
        """([saving, title]) => {
            const m = document.querySelector('[flt-semantics-identifier="message-new"]');
            return (m && m.textContent.includes(saving))
                || !!document.querySelector('[flt-semantics-identifier="screen-cases"]');
        }""", arg=[strings.SAVING, strings.TITLE_CASES], timeout=5_000, polling=20)
    answered = time.perf_counter() - t0
    expect(heading(page, strings.TITLE_CASES)).to_be_visible(timeout=10_000)
    listed = time.perf_counter() - t0
    with open_store(app_server.data_dir) as store:
        rows = store.open_cases(datetime(2022, 6, 1, 1, tzinfo=timezone.utc))
        assert [r.category for r in rows] == ["L5"]
    print(f"\n12 MP save: first answer {answered * 1000:.0f} ms, in the list {listed * 1000:.0f} ms "
          "(browser round trips included)")
    assert answered < 1.0 and listed < 3.0


def test_paging_and_every_screen_at_360px(app_factory, phone_factory):
    """70 cases: 30 rows, more on scrolling to the end; every screen fits 360 px."""
    server = app_factory(start=False)
    with open_store(server.data_dir) as store:
        for i in range(70):
            register_case(server.data_dir, "2022-05-25T10:00:00+08:00", store=store,
                          community=f"C{i % 4 + 1}", category=["Z1", "L3", "L4"][i % 3],
                          deadline=date(2022, 5, 28) + timedelta(days=i % 20),
                          place=f"road {i}", photo=tiny_photo(i))
    server.now = FROZEN_NOW
    server.start()
    width = 360
    page = open_app(phone_factory(width, 740), server.url)
    expect(by_id(page, "filter-status-all")).to_contain_text("70")
    settled_screenshot(page, "w360-01-cases")
    # scroll to the end: pages load until all 70 are shown
    footer = by_id(page, "cases-footer")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        page.mouse.move(180, 500)
        page.mouse.wheel(0, 4000)
        time.sleep(0.3)
        if footer.count() and strings.ALL_SHOWN.format(n=70) in (footer.first.text_content() or ""):
            break
    expect(footer).to_contain_text(strings.ALL_SHOWN.format(n=70))
    # filters: overdue only (deadlines 5-28 .. 5-31: i % 20 < 4 -> 16 cases)
    page.mouse.wheel(0, -100000)
    by_id(page, "filter-status-overdue").tap()
    expect(by_id(page, "filter-status-overdue")).to_contain_text("16")
    # the rows follow the chip: wait until no row of the unfiltered list is left
    expect(page.locator('[flt-semantics-identifier^="case-"]').first).to_contain_text(
        strings.OVERDUE_BY_DAYS.format(n=4))
    expect(page.locator('[flt-semantics-identifier^="case-"]', has_text=strings.DUE_IN_DAYS.split("{")[0])).to_have_count(0)
    assert all(strings.OVERDUE_BY_DAYS.format(n=1)[:2] in (by_id(page, f"case-{cid}").text_content() or "")
               for cid in case_rows(page))
    rows = case_rows(page)
    open_case(page, rows[0])
    settled_screenshot(page, "w360-02-detail")
    assert_fits(page, width)
    by_id(page, "back").tap()
    for label, name in [(strings.TAB_NEW, "new"), (strings.TAB_SURVEY, "survey"),
                        (strings.TAB_SYNC, "sync"), (strings.TAB_ME, "me")]:
        goto_tab(page, label)
        expect(by_id(page, f"screen-{name}")).to_be_visible()
        settled_screenshot(page, f"w360-03-{name}")
        assert_fits(page, width)
    expect(by_id(page, "pending-events")).to_have_count(0)   # left the sync tab
    goto_tab(page, strings.TAB_SYNC)
    expect(by_id(page, "pending-events")).to_contain_text(strings.PENDING_EVENTS.format(n=140))


def assert_fits(page: Page, width: int) -> None:
    """No accessibility node of the current screen sticks out on the right (but the chips of
    我的案件 — filters, 列表/地图 — a row that scrolls sideways on purpose)."""
    boxes = page.evaluate("""() => [...document.querySelectorAll('flt-semantics[role], flt-semantics[flt-semantics-identifier]')]
        .filter(e => !e.closest('[flt-semantics-identifier^="filter-"], [flt-semantics-identifier^="view-"]'))
        .map(e => { const r = e.getBoundingClientRect(); return [r.left, r.right, r.width, e.textContent.slice(0, 30)]; })
        .filter(b => b[2] > 0)""")
    wide = [b for b in boxes if b[0] < -0.5 or b[1] > width + 0.5]
    assert not wide, wide
