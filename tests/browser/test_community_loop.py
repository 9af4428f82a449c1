"""The community in the loop, end to end with real processes (issue 8):
发现 → 交办 → 整改反馈 → 复查 → 考核.

A real office (`fieldapp office serve`), an inspector's phone app and a community's phone
app (each its own process, data folder and automatic sync), both in Chromium:

1. the inspector registers two cases with real photos; they reach the office by themselves;
2. the community's phone (enrolled with `office enrol --role community`) opens on 待整改 and
   gets them after its automatic sync; it reports both 已整改 with an after photo;
3. the inspector's phone shows them under 待复查 with before and after photos side by side;
   it passes the first and fails the second with a reason;
4. the community sees "复查未通过: reason", reports again after the deadline; the inspector passes it;
5. the office scores the first on time (no deduction) and the second late (its further deduction).
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from fieldapp.ui import strings
from prefill import PHOTO_GPS, PHOTO_NO_EXIF, open_store
from test_inspector import button, by_id, choose_photo, open_case, type_into, wait_row_count
from test_sync_screen import register_case_in_the_app
from tests.office_process import OfficeProcess, fieldapp
from ui_harness import FROZEN_NOW, free_port, goto_tab, heading, open_app, settled_screenshot

pytestmark = pytest.mark.slow

#: Quick automatic sync: a record goes a second after it is saved; others' records come
#: every few seconds (a real phone: 5 s after a record, every 5 minutes).
QUICK_SYNC = {"FIELDAPP_AUTOSYNC_START_S": "0.3", "FIELDAPP_AUTOSYNC_DEBOUNCE_S": "0.5",
              "FIELDAPP_AUTOSYNC_PERIOD_S": "2", "FIELDAPP_AUTOSYNC_JITTER": "0"}
AFTER_DEADLINE = "2022-06-06T10:00:00+08:00"  # the cases' deadline is 6月4日


@pytest.fixture
def office(tmp_path):
    server = OfficeProcess(tmp_path / "office", free_port(), tmp_path / "office.log").start()
    yield server
    server.stop()


def enrol_in_the_app(page: Page, office_url: str, code: str, who: str) -> None:
    goto_tab(page, strings.TAB_SYNC)
    type_into(page, strings.SYNC_ADDRESS, office_url, prefix=True)
    type_into(page, strings.SYNC_CODE, code.replace("-", ""), prefix=True)
    button(page, strings.SYNC_ENROL).tap()
    expect(by_id(page, "sync-enrolled")).to_contain_text(who, timeout=15_000)


def office_cases(office) -> dict[str, object]:
    with office.store() as store:
        return {row["case_id"]: store.case(row["case_id"]) for row in store.db.query("SELECT case_id FROM cases")}


def wait_for(predicate, timeout: float = 30.0, what: str = ""):
    import time
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def report_done(page: Page, case_id: str, note: str) -> None:
    open_case(page, case_id)
    button(page, strings.REPORT_DONE).tap()
    button(page, strings.REPORT_SAVE).tap()  # no photo yet: refused, nothing saved
    expect(by_id(page, "message-report")).to_contain_text(strings.NEED_PHOTO)
    choose_photo(page, PHOTO_NO_EXIF, key="after")
    type_into(page, strings.REPORT_NOTE, note)
    button(page, strings.REPORT_SAVE).tap()
    expect(by_id(page, "message-detail")).to_contain_text(strings.REPORT_SAVED, timeout=15_000)
    expect(by_id(page, "loop-state")).to_contain_text(strings.AWAITING_RECHECK)


def recheck(page: Page, case_id: str, passed: bool, reason: str = "") -> None:
    open_case(page, case_id)
    expect(by_id(page, "compare-before")).to_be_visible()
    expect(by_id(page, "compare-after")).to_be_visible()
    button(page, strings.RECHECK).tap()
    choose_photo(page, PHOTO_NO_EXIF, key="after")
    result = strings.STATUS_RECTIFIED if passed else strings.STATUS_NOT_RECTIFIED
    page.get_by_role("radio", name=result, exact=True).tap()
    if not passed:
        button(page, strings.RECHECK_SAVE).tap()  # a failure needs its reason
        expect(by_id(page, "message-recheck")).to_contain_text(strings.ERRORS["reason_required"])
        type_into(page, strings.RECHECK_FAIL_REASON, reason)
    button(page, strings.RECHECK_SAVE).tap()
    expect(by_id(page, "message-detail")).to_contain_text(strings.RECHECK_SAVED.format(result=result),
                                                         timeout=15_000)
    by_id(page, "back").tap()


def test_the_whole_loop_from_inspector_to_community_and_back(office, app_factory, phone_factory):
    inspector_code = office.enrol_code("张三", "C1")
    out = fieldapp("office", "enrol", "李四", "--role", "community", "--communities", "C1",
                   "--data-dir", str(office.data_dir))
    community_code = re.search(r"([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})", out).group(1)

    # 1. the inspector registers two cases; automatic sync takes them to the office
    inspector = app_factory(now=FROZEN_NOW, env=QUICK_SYNC)
    ip = open_app(phone_factory(390, 844), inspector.url)
    enrol_in_the_app(ip, office.url, inspector_code, "张三")
    register_case_in_the_app(ip, PHOTO_GPS, "north gate 1", "Z1")
    register_case_in_the_app(ip, PHOTO_GPS, "south lane 2", "L3")
    cases = wait_for(lambda: (c := office_cases(office)) and len(c) == 2 and c, what="both cases at the office")
    by_place = {s.place: cid for cid, s in cases.items()}
    first, second = by_place["north gate 1"], by_place["south lane 2"]
    assert {s.deadline for s in cases.values()} == {date(2022, 6, 4)}

    # 2. the community's phone: enrolled with a community code, it becomes 待整改
    community = app_factory(now=FROZEN_NOW, env=QUICK_SYNC)
    cp = open_app(phone_factory(390, 844), community.url)
    enrol_in_the_app(cp, office.url, community_code, "李四")
    expect(cp.get_by_role("tab", name=strings.TAB_NEW)).to_have_count(0)  # nothing to register here
    goto_tab(cp, strings.TAB_TODO)
    expect(heading(cp, strings.TITLE_TODO)).to_be_visible()
    expect(by_id(cp, f"case-{first}")).to_be_visible(timeout=30_000)  # after its automatic sync
    expect(by_id(cp, f"case-{second}")).to_contain_text(strings.DUE_IN_DAYS.format(n=3))
    settled_screenshot(cp, "loop-01-community-todo-390")
    open_case(cp, first)
    expect(by_id(cp, "photo-before-1")).to_be_visible(timeout=30_000)  # the before photo came too
    expect(cp.get_by_role("button", name=strings.EXEMPTION_ASK)).to_have_count(0)  # a D case: no exemption
    by_id(cp, "back").tap()
    report_done(cp, first, "cleared on the day")
    settled_screenshot(cp, "loop-02-community-reported-390")
    by_id(cp, "back").tap()
    report_done(cp, second, "stalls moved")
    wait_for(lambda: all(s.awaiting_since for s in office_cases(office).values()), what="the reports at the office")

    # 3. the inspector's phone: 待复查, before and after side by side
    goto_tab(ip, strings.TAB_CASES)
    expect(by_id(ip, "cases-banner")).to_contain_text(strings.BANNER_RECHECK.format(n=2), timeout=30_000)
    by_id(ip, "cases-banner").tap()
    expect(by_id(ip, "filter-awaiting")).to_contain_text("2")
    # both reports carry the community phone's frozen clock: the same time (oldest-first: test_casework)
    assert sorted(wait_row_count(ip, 2)) == sorted([first, second])
    settled_screenshot(ip, "loop-03-inspector-awaiting-390")
    recheck(ip, first, passed=True)
    recheck(ip, second, passed=False, reason="stalls back at noon")

    # 4. the community hears why, and reports again after the deadline
    expect(by_id(cp, "screen-detail")).to_be_visible()
    by_id(cp, "back").tap()
    expect(by_id(cp, f"case-{second}")).to_contain_text(
        strings.RECHECK_FAILED_REASON.format(reason="stalls back at noon"), timeout=30_000)
    expect(by_id(cp, f"case-{first}")).to_have_count(0)  # rectified: off the list
    settled_screenshot(cp, "loop-04-community-failed-check-390")
    community.now = AFTER_DEADLINE
    community.restart()
    cp = open_app(cp, community.url)
    expect(by_id(cp, f"case-{second}")).to_contain_text(strings.OVERDUE_BY_DAYS.format(n=2))
    expect(by_id(cp, "cases-banner")).to_contain_text(strings.BANNER_TODO.format(overdue=1, today=0))
    report_done(cp, second, "stalls gone for good")
    wait_for(lambda: office_cases(office)[second].awaiting_since, what="the second report at the office")
    inspector.now = AFTER_DEADLINE
    inspector.restart()
    ip = open_app(ip, inspector.url)
    expect(by_id(ip, "cases-banner")).to_contain_text(strings.BANNER_RECHECK.format(n=1), timeout=30_000)
    recheck(ip, second, passed=True)

    # 5. the office: the first on time, the second late; its ranking counts it so
    done = wait_for(lambda: (c := office_cases(office)) and c[second].lifecycle == "rectified" and c,
                    what="the pass at the office")
    assert done[first].on_time is True and done[first].rectified_at.date() == date(2022, 6, 1)
    assert done[second].on_time is False
    assert [r.outcome for r in done[second].reports] == ["rejected", "confirmed"]
    score = json.loads(fieldapp("office", "score", "--year", "2022", "--json", "--data-dir", str(office.data_dir)))
    c1 = next(c for c in score["ranking"] if c["community"] == "C1")
    items = {(i["case_id"], i["rule"]): i["points"] for i in c1["deductions"]}
    assert items == {(second, "D.further"): "-0.1"}, items
    with open_store(community.data_dir) as store:  # the community's phone never saw another community's case
        assert {row["community"] for row in store.db.query("SELECT community FROM cases")} == {"C1"}
