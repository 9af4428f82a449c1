"""The office dashboard in a desktop Chromium (1366×900), served by `fieldapp office serve`.

Each test gets its own server on a copy of the sample office (tests/office/conftest.py),
frozen at 1 June 2022 09:00 Beijing. Screenshots: tests/screenshots/office-*.png.
"""

from __future__ import annotations

import time
from datetime import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from dash_harness import (
    FROZEN_NOW,
    by_id,
    click_when_ready,
    enable_semantics,
    event_count,
    expect,
    login,
    message,
    nav,
    press,
    settled_screenshot,
    type_into,
)
from fieldapp.domain.scoring import evaluation_instant, score_year
from fieldapp.office.imports import write_templates
from fieldapp.office import words as strings

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RECURRENCE_RULE = "同一问题再次出现"  # office/report.py rule_text of a recurrence line
MAY_SCORES = {"C1": "60", "C2": "90", "C3": "88", "C4": "95"}


def scores(server, rules) -> dict[str, tuple[int, str]]:
    """{community: (rank, final as shown)} computed from the server's database, at the frozen now."""
    from sync.storage import open_office

    at = evaluation_instant(rules, now=datetime.fromisoformat(FROZEN_NOW))
    with open_office(server.data_dir, rules) as store:
        result = score_year(rules, list(store.events()), at)
    return {c.code: (c.rank, str(c.final.quantize(Decimal("0.01")))) for c in result.communities}


def shown(page) -> dict[str, tuple[int, str]]:
    """{community: (rank, final)} as the 排名 table shows them."""
    out = {}
    for code in ("C1", "C2", "C3", "C4"):
        rank = by_id(page, f"rank-{code}").text_content().rstrip("=")
        out[code] = (int(rank), by_id(page, f"final-{code}").text_content())
    return out


def test_log_in_and_see_the_ranking_with_charts(office_server, desktop, rules):
    page = desktop
    first_paint = login(page, office_server.url, "wang", "not-the-password")
    expect(message(page, "login")).to_have_text(strings.DASH_LOGIN_FAILED)
    expect(by_id(page, "screen-ranking")).to_have_count(0)
    settled_screenshot(page, "office-01-login-refused")

    started = time.perf_counter()
    type_into(page, page.get_by_role("textbox", name=strings.DASH_PASSWORD), "wang-admin-pw")
    page.get_by_role("button", name=strings.DASH_LOGIN, exact=True).click()
    expect(by_id(page, "screen-ranking")).to_be_visible()
    logged_in = time.perf_counter() - started
    expect(by_id(page, "user")).to_have_text(strings.DASH_USER_LINE.format(name="wang", role="管理员"))
    assert shown(page) == scores(office_server, rules)
    for handle in ("chart-scores", "chart-monthly", "ranking-table"):
        expect(by_id(page, handle)).to_be_visible()
        box = by_id(page, handle).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1366 + 0.5, handle  # nothing cut off sideways
    print(f"\ndashboard: login form painted {first_paint:.2f} s after load; ranking {logged_in:.2f} s after login")
    settled_screenshot(page, "office-02-ranking")

    # an event stored by another process (as a phone's sync or `office import` would): the open ranking follows
    from fieldapp.domain.events import SuperiorScored, new_event
    from sync.storage import open_office

    with open_office(office_server.data_dir, rules) as store:
        store.append([new_event(SuperiorScored("C3", "2022-05", 100), actor="office:other", device="office",
                                now=datetime.fromisoformat(FROZEN_NOW))], assign_server_seq=True)  # fmt: skip
    expect(by_id(page, "final-C3")).to_have_text(scores(office_server, rules)["C3"][1])
    nav(page, strings.DASH_NAV_COMMUNITY)
    expect(by_id(page, "screen-community")).to_be_visible()
    press(page, "pick-C3")
    expect(by_id(page, "community-final")).to_contain_text("第三社区")
    settled_screenshot(page, "office-03-community")
    nav(page, strings.DASH_NAV_FUND)
    expect(by_id(page, "fund-total")).to_have_text("6200 元")
    settled_screenshot(page, "office-04-fund")

    # a reload reconnects to the same Flet session; a new tab resumes from the token in the
    # browser's storage; 退出登录 ends the session everywhere (the other tab's next move shows the login)
    page.reload()
    enable_semantics(page)
    expect(by_id(page, "screen-fund")).to_be_visible(timeout=30_000)
    other = page.context.new_page()
    other.bring_to_front()  # the tab in front is the one that renders at full speed
    other.goto(office_server.url)
    enable_semantics(other)
    expect(by_id(other, "screen-ranking")).to_be_visible(timeout=30_000)
    click_when_ready(other, other.get_by_role("button", name=strings.DASH_LOGOUT))
    expect(by_id(other, "screen-login")).to_be_visible(timeout=30_000)
    page.bring_to_front()
    nav(page, strings.DASH_NAV_RANKING)
    expect(message(page, "login")).to_have_text(strings.DASH_SESSION_OVER)
    third = page.context.new_page()
    third.bring_to_front()
    third.goto(office_server.url)
    enable_semantics(third)
    expect(by_id(third, "screen-login")).to_be_visible(timeout=30_000)


def test_typing_a_months_superior_scores_changes_the_ranking(office_server, desktop, rules):
    page = desktop
    login(page, office_server.url, "li")
    before = shown(page)
    nav(page, strings.DASH_NAV_ENTRY)
    expect(by_id(page, "screen-entry")).to_be_visible()
    for code, score in MAY_SCORES.items():
        type_into(page, f"sup-{code}-5", score)
    events = event_count(office_server)
    started = time.perf_counter()
    press(page, "save-superior")
    expect(message(page, "entry")).to_have_text(strings.DASH_SAVED_MONTH_SCORES.format(n=4))
    print(f"\nsave of 4 scores shown after {time.perf_counter() - started:.2f} s")
    assert event_count(office_server) == events + 4
    settled_screenshot(page, "office-05-entry-saved")

    nav(page, strings.DASH_NAV_RANKING)
    expected = scores(office_server, rules)
    assert expected != before
    assert expected["C1"][0] > before["C1"][0]  # a 60 in May drops 第一社区
    for code, (rank, final) in expected.items():
        expect(by_id(page, f"final-{code}")).to_have_text(final)
        expect(by_id(page, f"rank-{code}")).to_have_text(str(rank))
    settled_screenshot(page, "office-06-ranking-after-may")

    from sync.storage import open_office

    with open_office(office_server.data_dir, rules) as store:
        mine = [e for e in store.events() if e.type == "score.superior" and e.data.month == "2022-05"]
    assert {e.actor for e in mine} == {"office:li"} and {e.device for e in mine} == {"office"}
    assert all(e.server_seq for e in mine)  # phones pull them like any office event


def test_import_with_one_bad_cell_shows_it_and_imports_nothing(office_server, desktop, rules, tmp_path):
    superior, _survey = write_templates(tmp_path, rules)
    wb = load_workbook(superior)
    ws = wb.active
    for row in range(3, 7):  # the four communities; May is column F
        ws.cell(row, 6).value = 91
    ws["F4"] = "九十一"
    wb.save(superior)

    page = desktop
    login(page, office_server.url, "wang")
    nav(page, strings.DASH_NAV_ENTRY)
    press(page, "form-import")
    events = event_count(office_server)
    with page.expect_file_chooser() as chooser:
        press(page, "import-pick")
    chooser.value.set_files(str(superior))
    expect(message(page, "import")).to_contain_text(
        strings.DASH_IMPORT_ERRORS.format(file=superior.name, n=1))
    expect(by_id(page, "problem-1")).to_have_text("第4行F列")
    expect(by_id(page, "import-problems")).to_contain_text("得分：应为数字，却是“九十一”")
    assert event_count(office_server) == events  # nothing imported
    settled_screenshot(page, "office-07-import-refused")

    ws["F4"] = 91
    wb.save(superior)
    with page.expect_file_chooser() as chooser:
        press(page, "import-pick")
    chooser.value.set_files(str(superior))
    expect(message(page, "import")).to_have_text(f"{superior.name}：已导入 4 个上级考核月度得分")
    assert event_count(office_server) == events + 4


def test_confirming_a_recurrence_costs_two_points(office_server, desktop, rules):
    page = desktop
    login(page, office_server.url, "wang")
    before = Decimal(by_id(page, "final-C2").text_content())
    nav(page, strings.DASH_NAV_CASES)
    new = office_server.sample.recurrence_new
    expect(by_id(page, f"proposal-{new}")).to_be_visible()
    settled_screenshot(page, "office-08-cases")
    press(page, f"proposal-confirm-{new}")
    expect(message(page, "cases")).to_have_text(strings.DASH_RECURRENCE_CONFIRMED.format(community="第二社区", points="2"))
    expect(by_id(page, f"proposal-{new}")).to_have_count(0)

    nav(page, strings.DASH_NAV_RANKING)
    expect(by_id(page, "final-C2")).to_have_text(str(before - 2))
    assert scores(office_server, rules)["C2"][1] == str(before - 2)

    nav(page, strings.DASH_NAV_COMMUNITY)
    press(page, "pick-C2")
    line = page.get_by_role("row").filter(has_text=RECURRENCE_RULE)
    expect(line).to_have_count(1)
    # the new case, from its line item: photos from the office folder, the timeline
    line.get_by_role("button", name=strings.DASH_OPEN_CASE).click()
    expect(by_id(page, "case-dialog")).to_be_visible()
    expect(by_id(page, "case-timeline")).to_contain_text(strings.EV_RECURRENCE_CONFIRMED)
    expect(by_id(page, "case-photo-before-1")).to_be_visible()
    settled_screenshot(page, "office-09-case-dialog")


def test_exported_report_has_the_rankings_numbers(office_server, desktop, rules, tmp_path):
    page = desktop
    login(page, office_server.url, "zhao")  # a viewer may export
    with page.expect_download() as download:
        press(page, "export")
    path = tmp_path / "report.xlsx"
    download.value.save_as(path)
    assert download.value.suggested_filename == "实时排名报表-2022-2022-06-01.xlsx"
    expect(by_id(page, "screen-ranking")).to_be_visible()  # the page stayed

    ws = load_workbook(path)["排名"]
    rows = [r for r in ws.iter_rows(min_row=5, values_only=True) if r[0] is not None]
    expected = scores(office_server, rules)
    names = {c.code: c.name for c in rules.communities}
    assert len(rows) == 4
    codes = {name: code for code, name in names.items()}
    assert {codes[r[1]]: (r[0], f"{Decimal(str(r[11])):.2f}") for r in rows} == expected
    # a used ticket or none at all: refused
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(download.value.url)
    assert refused.value.code == 403


def test_a_viewer_sees_read_only_forms(office_server, desktop, rules):
    """A viewer's forms are read-only (the server refuses their writes anyway: test_desk.py)."""
    page = desktop
    login(page, office_server.url, "zhao")
    expect(page.get_by_text(strings.DASH_READ_ONLY)).to_be_visible()
    nav(page, strings.DASH_NAV_ENTRY)
    expect(by_id(page, "entry-read-only")).to_contain_text(strings.DASH_ENTRY_READ_ONLY)
    expect(by_id(page, "sup-C1-5").locator("input")).to_be_disabled()
    expect(by_id(page, "save-superior").get_by_role("button")).to_be_disabled()
    settled_screenshot(page, "office-10-viewer-read-only")

    nav(page, strings.DASH_NAV_CASES)
    expect(by_id(page, f"proposal-confirm-{office_server.sample.recurrence_new}").get_by_role("button")).to_be_disabled()


def test_voiding_a_case_in_its_dialog(office_server, desktop, rules):
    page = desktop
    login(page, office_server.url, "li")
    nav(page, strings.DASH_NAV_CASES)
    case = office_server.sample.external_b  # C1, source B, due today
    row = page.get_by_role("row").filter(has=by_id(page, f"external-{case}"))
    row.get_by_role("button", name=strings.DASH_OPEN_CASE).click()
    expect(by_id(page, "case-dialog")).to_be_visible()
    expect(by_id(page, "case-status")).to_contain_text(strings.DUE_TODAY)
    expect(by_id(page, "case-deadline")).to_be_visible()
    settled_screenshot(page, "office-11-case-actions")
    events = event_count(office_server)

    press(page, "case-void")  # no reason: refused
    expect(message(page, "case")).to_have_text(strings.ERRORS["reason_required"])
    type_into(page, "case-void-reason", "重复登记")
    press(page, "case-void")
    expect(message(page, "case")).to_have_text(strings.VOID_SAVED)
    expect(by_id(page, "case-status")).to_contain_text(strings.STATUS_VOIDED)
    expect(by_id(page, "case-dialog")).to_contain_text(strings.CASE_CLOSED_VOIDED.format(reason="重复登记"))
    expect(by_id(page, "case-void")).to_have_count(0)
    expect(by_id(page, "case-deadline")).to_have_count(0)
    settled_screenshot(page, "office-12-case-voided")

    from sync.storage import open_office

    assert event_count(office_server) == events + 1
    with open_office(office_server.data_dir, rules) as store:
        voided = store.case(case)
    assert (voided.lifecycle, voided.void_reason) == ("voided", "重复登记")
