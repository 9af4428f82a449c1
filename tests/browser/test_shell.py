"""The app shell in a phone-sized Chromium: Chinese tabs, tab switching, screenshots."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from fieldapp.ui import strings
from fieldapp.ui.screens import TABS
from ui_harness import (
    goto_tab, heading, open_app, run_async_in_thread, screen, settled_screenshot, tab,
)

pytestmark = pytest.mark.browser

TITLES = {
    "cases": strings.TITLE_CASES,
    "new": strings.TITLE_NEW,
    "survey": strings.TITLE_SURVEY,
    "sync": strings.TITLE_SYNC,
    "me": strings.TITLE_ME,
}


def test_tab_labels_are_the_plan_words():
    assert [t.label for t in TABS] == ["我的案件", "登记问题", "满意度调查", "同步", "我的"]
    assert set(TITLES) == {t.key for t in TABS}


def test_starts_on_my_cases_with_chinese_tabs(app_page):
    for t in TABS:
        expect(tab(app_page, t.label)).to_be_visible()
    expect(tab(app_page, strings.TAB_CASES)).to_have_attribute("aria-selected", "true")
    expect(heading(app_page, strings.TITLE_CASES)).to_be_visible()
    # the empty list says so and offers 登记问题 (a group: its words are the group's label)
    expect(app_page.locator('[flt-semantics-identifier="empty-cases"]')).to_have_attribute(
        "aria-label", re.compile(strings.CASES_EMPTY))
    # the frozen clock (FIELDAPP_NOW = Wed 1 June 2022, Beijing) reaches the screen
    expect(app_page.get_by_text(f"{strings.APP_ORG} · 6月1日 周三", exact=True)).to_be_visible()
    assert app_page.title() == strings.APP_TITLE


@pytest.mark.parametrize("width,height", [(390, 844), (360, 740)])
def test_each_tab_shows_its_screen(app_server, phone_factory, width, height):
    page = open_app(phone_factory(width, height), app_server.url)
    for t in TABS:
        goto_tab(page, t.label)
        expect(screen(page, t.key)).to_have_text(TITLES[t.key])
        expect(heading(page, TITLES[t.key])).to_be_visible()
        for other in TABS:
            if other.key != t.key:
                expect(screen(page, other.key)).to_have_count(0)
        # nothing sticks out of the viewport: the heading and all five tabs fit
        for box in [screen(page, t.key).bounding_box()] + [
                tab(page, o.label).bounding_box() for o in TABS]:
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5
            assert box["y"] >= 0 and box["y"] + box["height"] <= height + 0.5
        settled_screenshot(page, f"shell-{t.key}-{width}x{height}")


def test_tab_views_are_kept_while_switching(app_page):
    goto_tab(app_page, strings.TAB_SYNC)
    goto_tab(app_page, strings.TAB_CASES)
    goto_tab(app_page, strings.TAB_SYNC)
    expect(heading(app_page, strings.TITLE_SYNC)).to_be_visible()
    expect(app_page.get_by_text(strings.SYNC_EMPTY)).to_be_visible()


def test_restart_keeps_port_and_data_dir(app_server, phone):
    marker = app_server.data_dir / "survives-restart.txt"
    marker.write_text("ok")
    port = app_server.port
    open_app(phone, app_server.url)
    app_server.restart()
    assert app_server.port == port and marker.read_text() == "ok"
    open_app(phone, app_server.url)   # a reload: the old session died with the process
    expect(tab(phone, strings.TAB_ME)).to_be_visible()


def test_asyncio_code_runs_beside_the_browser(app_page):
    async def answer():
        return 42

    assert run_async_in_thread(answer) == 42
