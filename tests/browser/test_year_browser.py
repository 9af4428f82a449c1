"""The current year in a real browser (issue 12 §4): the phone app on 2026-12-03 with only the
2022 rules says so on 我的案件 and 登记问题, and a pulled 2022 case shows its year instead of
逾期1675天; with the office's 2026 rules in its data folder (as a sync leaves them) the notice
is gone and 2026's deadline default applies. Settled screenshots at 360, 390 and 844×390
(tests/screenshots/year-*.png)."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from fieldapp.rules import RULES_DIR, copy_text, store_received
from fieldapp.ui import strings
from prefill import register_case, tiny_photo
from ui_harness import goto_tab, open_app, settled_screenshot

pytestmark = pytest.mark.browser

NOW = "2026-12-03T10:00:00+08:00"
SIZES = ((360, 800), (390, 844), (844, 390))


def rules_2026(d_days: int = 5) -> str:
    text = copy_text((RULES_DIR / "2022.toml").read_text(encoding="utf-8"), 2026, 2022)
    block = text.index('code = "D"')
    at = text.index("default_rectification_days = 3", block)
    return text[:at] + f"default_rectification_days = {d_days}" + text[at + len("default_rectification_days = 3"):]


def handle(page, name):
    return page.locator(f'[flt-semantics-identifier="{name}"]')


def test_a_phone_in_2026_with_and_without_the_years_rules(app_factory, phone_factory):
    without = app_factory(now=NOW, start=False)
    case_id = register_case(without.data_dir, "2022-06-01T10:00:00+08:00", deadline=date(2022, 6, 4),
                            photo=tiny_photo(), place="东风路与文化路交叉口东北角")
    without.start()
    notice = strings.YEAR_NO_RULES.format(year=2026, fallback=2022)
    for width, height in SIZES:
        page = open_app(phone_factory(width, height), without.url)
        size = f"{width}x{height}"
        expect(page.get_by_text(notice).first).to_be_visible()
        expect(page.get_by_text("2022年度·逾期").first).to_be_visible()
        expect(page.get_by_text("整改期限 2022年6月4日").first).to_be_visible()
        assert page.get_by_text("逾期1643天").count() == 0
        settled_screenshot(page, f"year-cases-no-rules-{size}")
        handle(page, f"case-{case_id}").tap()
        expect(page.get_by_text(strings.CASE_OF_YEAR.format(year=2022)).first).to_be_visible()
        settled_screenshot(page, f"year-detail-2022-case-{size}")
        goto_tab(page, strings.TAB_NEW)
        expect(page.get_by_text(notice).first).to_be_visible()
        expect(page.get_by_text("12月6日 周日").first).to_be_visible()  # 2022's 3 days, meanwhile
        settled_screenshot(page, f"year-new-no-rules-{size}")
        # the notice scrolls with the form, so a landscape phone gets the form's height back
        page.get_by_role("textbox", name=strings.NOTE_LABEL, exact=True).scroll_into_view_if_needed()
        box = handle(page, "year-notice-new").bounding_box()
        heading = handle(page, "screen-new").bounding_box()
        assert box is None or box["y"] + box["height"] <= heading["y"] + heading["height"] + 1, (box, heading)
        page.context.close()

    with_rules = app_factory(now=NOW, start=False)
    store_received(with_rules.data_dir, {2026: rules_2026(5)})
    with_rules.start()
    for width, height in SIZES:
        page = open_app(phone_factory(width, height), with_rules.url)
        size = f"{width}x{height}"
        goto_tab(page, strings.TAB_NEW)
        expect(page.get_by_text("12月8日 周二").first).to_be_visible()  # 2026's 5 days
        assert page.get_by_text(notice).count() == 0
        settled_screenshot(page, f"year-new-with-rules-{size}")
        page.context.close()
