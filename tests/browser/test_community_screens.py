"""The community's phone and the inspector's 待复查, screen by screen at 360 px, 390 px and
landscape (844×390): what each shows, that it fits, and settled screenshots to look at.

The data folders are filled before the app starts with the real Store and Casework (an
inspector registers, the community reports, the inspector re-checks), and a community phone
is one whose enrolment says so (`sync.phonebook`), as after `office enrol --role community`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from fieldapp.casework import Casework
from fieldapp.domain import commands as cmd
from fieldapp.domain.events import COMMUNITY
from fieldapp.ui import strings
from fieldapp.ui.data import PHOTO_DIR_NAME
from prefill import PHOTO_GPS, PHOTO_NO_EXIF, PHOTOS, open_store, register_case
from sync.phonebook import PhoneBook
from test_inspector import assert_fits, button, by_id, open_case
from ui_harness import FROZEN_NOW, open_app, settled_screenshot

pytestmark = pytest.mark.slow

INSPECTOR = cmd.Actor("张三", "inspector-phone")
STAFF = cmd.Actor("李四", "community-phone")
SIZES = [(360, 740), (390, 844), (844, 390)]
PHOTO_CHECK = PHOTOS / "03_gps_htc-android__HTC_Desire.jpg"  # the re-check's own after photo


def fill(data_dir: Path, *, community_phone: bool) -> dict[str, str]:
    """Four C1 cases: overdue and failed once, reported and waiting, an A case, one due later."""
    ids = {}
    with open_store(data_dir) as store:
        photos = Path(data_dir) / PHOTO_DIR_NAME
        ids["failed"] = register_case(data_dir, "2022-05-25T10:00:00+08:00", store=store, category="L3",
                                      deadline=date(2022, 5, 28), place="east market north gate",
                                      photo=PHOTO_GPS.read_bytes(), who=INSPECTOR)
        ids["waiting"] = register_case(data_dir, "2022-05-30T10:00:00+08:00", store=store, category="Z1",
                                       deadline=date(2022, 6, 1), place="south lane 2",
                                       photo=PHOTO_GPS.read_bytes(), who=INSPECTOR)
        ids["later"] = register_case(data_dir, "2022-05-31T10:00:00+08:00", store=store, category="L4",
                                     deadline=date(2022, 6, 9), place="west road 7", who=INSPECTOR)
        a_case = cmd.register_case(store.rules, cmd.Actor("office", "office"),
                                   datetime.fromisoformat("2022-05-31T11:00:00+08:00"), community="C1",
                                   category="Z5", source="A", place="river bank", deadline=date(2022, 6, 3))
        store.append([a_case])
        ids["a_case"] = a_case.data.case_id

        def work(who, at):
            return Casework(store, photos, who, lambda: datetime.fromisoformat(at))

        work(STAFF, "2022-05-27T09:00:00+08:00").report_rectified(
            ids["failed"], photos=[PHOTO_NO_EXIF.read_bytes()], note="stalls moved")
        work(INSPECTOR, "2022-05-27T15:00:00+08:00").recheck(
            ids["failed"], rectified=False, photos=[PHOTO_CHECK.read_bytes()], note="stalls back at noon")
        work(STAFF, "2022-05-31T18:00:00+08:00").report_rectified(
            ids["waiting"], photos=[PHOTO_NO_EXIF.read_bytes()], note="rubbish cleared")
        if community_phone:
            PhoneBook(store).save_credentials("http://127.0.0.1:9/", "token", "community-phone", "李四", ["C1"],
                                              role=COMMUNITY)
    return ids


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_community_phone_at_each_size(app_factory, phone_factory, width, height):
    server = app_factory(start=False, env={"FIELDAPP_AUTOSYNC": "0"})
    ids = fill(server.data_dir, community_phone=True)
    server.now = FROZEN_NOW
    server.start()
    page = open_app(phone_factory(width, height), server.url)
    name = f"{width}x{height}"

    expect(page.get_by_role("tab", name=strings.TAB_TODO)).to_be_visible()
    expect(page.get_by_role("tab", name=strings.TAB_NEW)).to_have_count(0)
    expect(by_id(page, "cases-banner")).to_contain_text(strings.BANNER_TODO.format(overdue=1, today=1))
    expect(by_id(page, f"case-{ids['failed']}")).to_contain_text(
        strings.RECHECK_FAILED_REASON.format(reason="stalls back at noon"))
    expect(by_id(page, f"case-{ids['waiting']}")).to_contain_text(strings.AWAITING_RECHECK)
    expect(by_id(page, "filter-awaiting")).to_have_count(0)  # 待复查 is the inspector's
    settled_screenshot(page, f"community-01-todo-{name}")
    assert_fits(page, width)

    open_case(page, ids["a_case"])  # an A case: 已整改 and 申请免责
    expect(button(page, strings.REPORT_DONE)).to_be_visible()
    button(page, strings.EXEMPTION_ASK).tap()
    button(page, strings.EXEMPTION_SAVE).tap()  # no reason: refused, nothing saved
    expect(by_id(page, "message-exemption")).to_contain_text(strings.ERRORS["reason_required"])
    settled_screenshot(page, f"community-02-exemption-{name}")
    page.get_by_role("button", name=strings.CANCEL).tap()
    by_id(page, "back").tap()

    open_case(page, ids["failed"])  # a D case: no exemption; the failed check's reason
    expect(by_id(page, "loop-state")).to_contain_text(strings.RECHECK_FAILED_REASON.format(
        reason="stalls back at noon"))
    expect(page.get_by_role("button", name=strings.EXEMPTION_ASK)).to_have_count(0)
    button(page, strings.REPORT_DONE).tap()
    expect(page.get_by_role("button", name=strings.TAKE_PHOTO)).to_be_visible()
    settled_screenshot(page, f"community-03-report-{name}")
    page.get_by_role("button", name=strings.CANCEL).tap()
    settled_screenshot(page, f"community-04-detail-{name}")
    assert_fits(page, width)
    with open_store(server.data_dir) as store:  # the refused and cancelled forms stored nothing
        assert store.case(ids["a_case"]).exemption_request == ""
        assert len(store.case(ids["failed"]).reports) == 1


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_inspectors_awaiting_list_and_comparison_at_each_size(app_factory, phone_factory, width, height):
    server = app_factory(start=False, env={"FIELDAPP_AUTOSYNC": "0"})
    ids = fill(server.data_dir, community_phone=False)
    server.now = FROZEN_NOW
    server.start()
    page = open_app(phone_factory(width, height), server.url)
    name = f"{width}x{height}"
    expect(by_id(page, "cases-banner")).to_contain_text(strings.BANNER_RECHECK.format(n=1))
    by_id(page, "filter-awaiting").tap()
    expect(by_id(page, f"case-{ids['failed']}")).to_have_count(0)  # its report was rejected
    expect(by_id(page, f"case-{ids['waiting']}")).to_contain_text(strings.AWAITING_RECHECK)
    expect(by_id(page, "cases-banner")).to_have_count(0)
    settled_screenshot(page, f"inspector-awaiting-01-list-{name}")
    assert_fits(page, width)
    open_case(page, ids["waiting"])
    expect(by_id(page, "compare")).to_have_attribute("aria-label", re.compile("李四.*rubbish cleared"))
    expect(by_id(page, "compare-after")).to_be_visible()
    settled_screenshot(page, f"inspector-awaiting-02-compare-{name}")
    assert_fits(page, width)
