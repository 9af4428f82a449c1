"""The 督办 screen in Chromium: `fieldapp office serve` on an office where the community's loop
has run (loop_office.py); a staff member refuses an exemption request with a reason, downloads
a community's 督办通知单, and a line opens its case. Screenshots of the settled screen at
1366×768 go to /tmp (looked at by a person; never committed)."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest

from dash_harness import FROZEN_NOW, PASSWORDS, ROLES, OfficeServer, by_id, expect, login, message, nav, press, type_into
from fieldapp.office import words as strings
from loop_office import INSPECTOR_NAME, REQUEST_B, fill_loop_office

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path("/tmp/fieldapp-supervision")
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def loop_server(tmp_path, rules):
    from fieldapp.office import users
    from sync.storage import open_office

    data = tmp_path / "office"
    loop = fill_loop_office(data, rules)
    with open_office(data, rules) as store:
        users.ensure_schema(store)
        for name, password in PASSWORDS.items():
            users.add_user(store, name, ROLES[name], password)
    server = OfficeServer(data_dir=data, log_path=tmp_path / "office.log", now=FROZEN_NOW)
    server.loop = loop
    server.start()
    yield server
    server.stop()


@pytest.fixture
def laptop(chromium_browser):
    context = chromium_browser.new_context(viewport=LAPTOP, device_scale_factor=1, locale="zh-CN",
                                           timezone_id="Asia/Shanghai", accept_downloads=True)  # fmt: skip
    context.route("https://**", lambda route: route.abort())
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def settled(page, name: str, timeout: float = 15.0) -> Path:
    """A screenshot in /tmp once two in a row are the same."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    previous, deadline = page.screenshot(), time.monotonic() + timeout
    while True:
        time.sleep(0.3)
        current = page.screenshot()
        if current == previous or time.monotonic() > deadline:
            path.write_bytes(current)
            return path
        previous = current


def says(locator, text: str) -> None:
    """The control's accessible name (Flutter merges a group's texts into it) contains `text`."""
    expect(locator).to_have_attribute("aria-label", re.compile(re.escape(text)))


def test_supervision_screen_refuse_a_request_download_a_notice_open_a_case(loop_server, laptop, tmp_path):
    page, loop = laptop, loop_server.loop
    login(page, loop_server.url, "li")
    nav(page, strings.DASH_NAV_SUPERVISION)
    expect(by_id(page, "screen-supervision")).to_be_visible()
    expect(by_id(page, f"exemption-{loop.request_b}")).to_be_visible()
    says(by_id(page, f"exemption-{loop.request_b}"), f"申请理由：{REQUEST_B}")
    settled(page, "supervision-1-top")

    # refuse B's request with a reason: it leaves the list, the message says so
    type_into(page, f"exemption-reason-{loop.request_b}", "属日常保洁范围")
    press(page, f"exemption-refuse-{loop.request_b}")
    expect(message(page, "supervision")).to_contain_text("已答复不同意免责")
    expect(by_id(page, f"exemption-{loop.request_b}")).to_have_count(0)

    # the per-inspector and per-community parts, further down
    late = by_id(page, "inspector-inspector-0a1b2c3d")
    late.scroll_into_view_if_needed()
    says(late, f"{INSPECTOR_NAME}：1 件待复查")
    settled(page, "supervision-2-rechecks")
    by_id(page, f"urgent-open-{loop.waiting}").scroll_into_view_if_needed()  # C1's last line
    expect(by_id(page, "community-C1")).to_be_visible()
    settled(page, "supervision-3-communities")

    # a community's notice, as PDF: a real PDF with its text
    with page.expect_download() as download:
        press(page, "notice-pdf-C1")
    assert download.value.suggested_filename == "督办通知单-第一社区-2022-06-01.pdf"
    pdf = tmp_path / "notice.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "解放路8号" in text and "属日常保洁范围" not in text
    assert "免责申请未获同意" in re.sub(r"\s+", "", text)  # the refusal just made is on the notice
    expect(by_id(page, "screen-supervision")).to_be_visible()  # the page stayed

    # a line opens its case
    opener = by_id(page, f"urgent-open-{loop.failed}")
    opener.scroll_into_view_if_needed()
    press(page, f"urgent-open-{loop.failed}")
    expect(by_id(page, "case-dialog")).to_be_visible()
    expect(by_id(page, "case-status")).to_contain_text("逾期7天")
    settled(page, "supervision-4-case")
