"""The office's rough edges (issue 12 §5) in Chromium at 1366×768, on the sample office: a bad
录入 field named in Chinese and marked; a viewer's forms read-only; every row that opens a case
with a 查看案件 button that does; sources by their names. Settled screenshots of each screen go to
/tmp/fieldapp-rough-edges/ (looked at by a person; never committed)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from dash_harness import by_id, click_when_ready, expect, login, message, nav, press, settled_screenshot, type_into
from fieldapp.office import words as strings

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path("/tmp/fieldapp-rough-edges")
LAPTOP = {"width": 1366, "height": 768}


def shot(page, name: str) -> None:
    time.sleep(1.5)  # pixels lag the accessibility tree (two equal blank frames are "settled" too)
    path = settled_screenshot(page, name)
    SHOTS.mkdir(parents=True, exist_ok=True)
    path.replace(SHOTS / path.name)


@pytest.fixture
def laptop(desktop):
    desktop.set_viewport_size(LAPTOP)
    return desktop


def test_a_clerk_sees_chinese_errors_marked_fields_and_clickable_rows(office_server, laptop, rules):
    page = laptop
    page.goto(office_server.url)
    from dash_harness import enable_semantics

    enable_semantics(page)
    expect(page.get_by_text(strings.DASH_LOGIN_HINT)).to_be_visible(timeout=30_000)
    shot(page, "office-rough-01-login")
    login(page, office_server.url, "li")
    expect(by_id(page, "open-C1")).to_be_visible()
    shot(page, "office-rough-02-ranking")
    press(page, "open-C2")  # the ranking's 查看详情 opens the community
    expect(by_id(page, "screen-community")).to_be_visible()
    shot(page, "office-rough-03-community")

    nav(page, strings.DASH_NAV_ENTRY)
    press(page, "form-office")
    score = page.get_by_role("textbox", name=re.compile("^" + re.escape(strings.DASH_FIELD_SCORE)))
    type_into(page, score, "150")
    press(page, "save-office")
    expect(message(page, "entry")).to_have_text("没有保存：得分：150 不在 0–100 之间")
    expect(page.get_by_text("150 不在 0–100 之间", exact=True)).to_be_visible()  # under the field
    shot(page, "office-rough-04-entry-error")

    nav(page, strings.DASH_NAV_CASES)
    b = office_server.sample.external_b
    expect(by_id(page, f"external-{b}")).to_have_text(rules.source("B").name)
    shot(page, "office-rough-05-cases")
    press(page, f"external-open-{b}")
    expect(by_id(page, "case-dialog")).to_be_visible()
    expect(by_id(page, "case-dialog")).to_contain_text(strings.DASH_CASE_SOURCE.format(source=rules.source("B").name))
    shot(page, "office-rough-06-case")
    page.keyboard.press("Escape")
    expect(by_id(page, "case-dialog")).to_have_count(0)
    first_row = page.locator('[flt-semantics-identifier^="case-open-"]').first
    first_row.scroll_into_view_if_needed()
    first_row.get_by_role("button").click()
    expect(by_id(page, "case-dialog")).to_be_visible()
    page.keyboard.press("Escape")
    expect(by_id(page, "case-dialog")).to_have_count(0)
    click_when_ready(page, page.get_by_role("button", name=re.compile("^" + strings.DASH_NAV_SUPERVISION + r"\s")))
    expect(by_id(page, "screen-supervision")).to_be_visible()
    shot(page, "office-rough-07-supervision")
    nav(page, strings.DASH_NAV_FUND)
    expect(page.get_by_text(strings.DASH_FUND_RANKING_HINT)).to_be_visible()
    shot(page, "office-rough-08-fund")


def test_a_viewer_sees_every_form_read_only(office_server, laptop, rules):
    page = laptop
    login(page, office_server.url, "zhao")
    nav(page, strings.DASH_NAV_ENTRY)
    expect(by_id(page, "entry-read-only")).to_contain_text(strings.DASH_ENTRY_READ_ONLY)
    expect(by_id(page, "sup-C1-5").locator("input")).to_be_disabled()
    shot(page, "office-rough-09-viewer-entry")
    nav(page, strings.DASH_NAV_CASES)
    b = office_server.sample.external_b
    expect(by_id(page, f"external-verify-{b}").get_by_role("button")).to_be_disabled()
    press(page, f"external-open-{b}")
    expect(by_id(page, "case-read-only")).to_be_visible()
    shot(page, "office-rough-10-viewer-case")
