"""Fixtures for the office dashboard tests.

sample_dir       session   an office data folder filled once with the sample office
                           (fieldapp/office/dashboard/sample.py) and three accounts:
                           wang (admin), li (staff), zhao (viewer) — dash_harness.PASSWORDS
office_server    function  ``fieldapp office serve`` on a copy of it (own port, own folder),
                           clock frozen at 2022-06-01 09:00 Beijing; stopped at teardown
chromium_browser module    headless /usr/bin/chromium (skips without it; fails when CI=true)
desktop          function  a 1366×900 zh-CN page (https:// aborted); a failing test's
                           page is saved as tests/screenshots/FAILED-office-<test>.png
"""

from __future__ import annotations

import re
import shutil

import pytest

from dash_harness import (
    DESKTOP,
    FROZEN_NOW,
    PASSWORDS,
    ROLES,
    SCREENSHOT_DIR,
    OfficeServer,
)
from ui_harness import launch_chromium, test_failed


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory, rules):
    from fieldapp.office import users
    from fieldapp.office.dashboard.sample import fill_sample_office
    from sync.storage import open_office

    path = tmp_path_factory.mktemp("office-sample") / "office"
    sample = fill_sample_office(path, rules)
    with open_office(path, rules) as store:
        users.ensure_schema(store)
        for name, password in PASSWORDS.items():
            users.add_user(store, name, ROLES[name], password)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path, sample


@pytest.fixture
def office_server(sample_dir, tmp_path, request):
    source, sample = sample_dir
    data = tmp_path / "office"
    shutil.copytree(source, data)
    server = OfficeServer(data_dir=data, log_path=tmp_path / "office.log", now=FROZEN_NOW)
    server.sample = sample
    server.start()
    yield server
    server.stop()
    if test_failed(request):
        print(f"\n--- office log {server.log_path} ---\n{server.log_tail(60)}")


@pytest.fixture(scope="module")
def chromium_browser():
    yield from launch_chromium()


@pytest.fixture
def desktop(chromium_browser, request):
    context = chromium_browser.new_context(viewport=DESKTOP, device_scale_factor=1, locale="zh-CN",
                                           timezone_id="Asia/Shanghai", accept_downloads=True)  # fmt: skip
    context.route("https://**", lambda route: route.abort())
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    if test_failed(request):
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.\-]+", "_", request.node.name)
        for i, open_page in enumerate(context.pages):  # every tab the test opened
            try:
                open_page.screenshot(path=str(SCREENSHOT_DIR / f"FAILED-office-{name}-{i}.png"))
            except Exception:
                pass
    context.close()
