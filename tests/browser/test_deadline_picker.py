"""登记问题's 整改期限 (deadline) through Flutter's own Material date picker, in Chromium.

What the picker (Flet 1.0.5 `DatePicker`, zh-CN) shows in the accessibility tree:
a ``dialog``; a ``group`` named help text + selected date (``整改期限\\n6月18日周六``);
buttons ``切换到输入模式``, ``选择年份\\n2022年6月``, ``上个月``, ``下个月``; one ``button``
per day named ``<d>, <yyyy>年<m>月<d>日星期<x>`` (+ ``, 今天`` for today) with
``aria-current="true"`` on the selected day and ``aria-disabled="true"`` on days before
`first_date`; then the app's ``取消`` / ``确定`` (cancel_text / confirm_text).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from fieldapp.rules import load_rules
from fieldapp.text import fmt
from fieldapp.ui import strings
from fieldapp.ui.screens.new_case import INSPECTOR_SOURCE
from prefill import PHOTO_NO_EXIF, open_store
from ui_harness import goto_tab, heading, open_app

pytestmark = pytest.mark.browser

#: Wednesday 15 June 2022, 09:00 Beijing: mid-month, so the days before today are on
#: the picker's first page (as disabled cells) next to the default deadline.
NOW = "2022-06-15T09:00:00+08:00"
#: Flutter's zh localisation of the month buttons (MaterialLocalizationZh), not app text.
NEXT_MONTH, PREVIOUS_MONTH = "下个月", "上个月"


def by_id(page: Page, identifier: str):
    return page.locator(f'[flt-semantics-identifier="{identifier}"]')


def button(page: Page, name: str):
    return page.get_by_role("button", name=name, exact=True)


def choose_photo(page: Page, path: Path) -> None:
    with page.expect_file_chooser() as chooser:
        button(page, strings.PICK_PHOTO).last.tap()
    chooser.value.set_files(str(path))
    expect(by_id(page, "photo-new-1")).to_be_visible(timeout=15_000)


def deadline_text(deadline: date, today: date) -> str:
    """What the form shows for a deadline (NewCaseScreen._render_deadline)."""
    days = (deadline - today).days
    left = strings.DUE_IN_DAYS.format(n=days) if days else strings.DUE_TODAY
    return f"{fmt.date_short(deadline)} · {left}"


def day_cell(picker, d: date):
    """The picker's button for day `d`. Flutter names it ``<day>, <full date>…``; its
    zh full date starts like the app's own fmt.date_full (``2022年6月24日``)."""
    return picker.get_by_role("button", name=re.compile(
        rf"^{d.day}, {re.escape(fmt.date_full(d))}"))


def wait_tappable(cell) -> None:
    """Wait until the day grid takes taps: while its month pages scroll, Flutter ignores
    pointers there and drops the cells' tap action (``flt-tappable``); then let Playwright
    check the cell is visible, enabled and no longer moving (a trial tap taps nothing)."""
    expect(cell).to_have_attribute("flt-tappable", "")
    cell.tap(trial=True)


def test_deadline_picked_in_the_date_picker_is_saved(app_factory, phone):
    server = app_factory(now=NOW)
    today = datetime.fromisoformat(NOW).date()
    days = load_rules().source(INSPECTOR_SOURCE).default_rectification_days
    default = today + timedelta(days=days)
    picked = default + timedelta(days=6)
    yesterday = today - timedelta(days=1)
    # all on the picker's first page (June 2022): no month paging needed for the picks
    assert today.day > 1 and picked.month == today.month, (today, picked)

    page = open_app(phone, server.url)
    goto_tab(page, strings.TAB_NEW)
    value = by_id(page, "deadline-value")
    expect(value).to_have_text(deadline_text(default, today))
    hint = strings.DEADLINE_DEFAULT_HINT.format(n=days)
    expect(page.get_by_text(hint, exact=True)).to_be_visible()

    # the top of the form first: once the view has scrolled down to the deadline, a
    # category tile stays "outside of the viewport" for Playwright's tap
    expect(by_id(page, "location-status")).to_contain_text(
        strings.LOCATION_OK.format(m=8), timeout=20_000)
    by_id(page, "category-Z2").tap()
    choose_photo(page, PHOTO_NO_EXIF)
    expect(value).to_have_text(deadline_text(default, today))

    # the picker opens on the current deadline, with the app's help text
    button(page, strings.CHANGE_DEADLINE).tap()
    picker = page.get_by_role("dialog")
    expect(picker).to_have_count(1)
    expect(picker.get_by_role("group", name=re.compile("^" + re.escape(strings.SECTION_DEADLINE)))
           ).to_be_visible()
    expect(day_cell(picker, default)).to_have_attribute("aria-current", "true")
    # every day before today is a disabled cell; today and later ones are not
    for day in range(1, today.day):
        expect(day_cell(picker, today.replace(day=day))).to_be_disabled()
    expect(day_cell(picker, today)).to_be_enabled()
    expect(day_cell(picker, picked)).to_be_enabled()
    expect(button(page, PREVIOUS_MONTH)).to_be_disabled()   # nothing selectable before today

    # Taps are forced (no actionability wait): the same raw touch that selects `picked`
    # below hits the disabled `yesterday`, so the check cannot pass because the touch
    # never reached Flutter.
    wait_tappable(day_cell(picker, today))
    day_cell(picker, yesterday).tap(force=True)
    # barrier: page to July and back, so the touch on `yesterday` has surely been handled
    button(page, NEXT_MONTH).tap()
    next_month = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    expect(day_cell(picker, next_month)).to_be_visible()
    button(page, PREVIOUS_MONTH).tap()
    expect(day_cell(picker, yesterday)).to_be_visible()
    expect(day_cell(picker, yesterday)).to_have_attribute("aria-current", "false")
    expect(day_cell(picker, default)).to_have_attribute("aria-current", "true")

    # pick a later day and confirm (the app's confirm_text)
    wait_tappable(day_cell(picker, picked))
    day_cell(picker, picked).tap(force=True)
    expect(day_cell(picker, picked)).to_have_attribute("aria-current", "true")
    expect(day_cell(picker, default)).to_have_attribute("aria-current", "false")
    button(page, strings.CONFIRM).tap()
    expect(picker).to_have_count(0)
    expect(value).to_have_text(deadline_text(picked, today))

    # save the case: it is stored with exactly the picked deadline
    button(page, strings.SAVE_CASE).tap()
    expect(heading(page, strings.TITLE_CASES)).to_be_visible(timeout=15_000)
    expect(page.locator('[flt-semantics-identifier^="case-"]')).to_contain_text(
        strings.DUE_IN_DAYS.format(n=(picked - today).days))
    with open_store(server.data_dir) as store:
        rows = store.cases(datetime.fromisoformat(NOW))
        assert [(r.category, r.source, r.deadline) for r in rows] == [
            ("Z2", INSPECTOR_SOURCE, picked)]
        assert store.case(rows[0].case_id).deadline == picked

    # the emptied form is back on the default deadline
    goto_tab(page, strings.TAB_NEW)
    expect(value).to_have_text(deadline_text(default, today))
