"""Helpers to drive the office dashboard in Chromium (``from dash_harness import ...``).

The dashboard is served by ``fieldapp office serve`` (the sync API and the dashboard in
one process) in a subprocess: `OfficeServer` is the phone harness's `AppServer`
(tests/browser/ui_harness.py) with that command. The rest reuses ui_harness too
(`enable_semantics`, `settled_screenshot`…).

Typing: click the field, then type keys. Playwright's ``focus()`` + ``fill()`` can land
in another field while Flutter still holds the previous one's text input (it did with an
autofocused field), and a field's DOM value can be stale: assert on what the app shows.
"""

from __future__ import annotations

import re
import sqlite3
import sys
import time
from pathlib import Path

BROWSER_HELPERS = Path(__file__).resolve().parents[1] / "browser"
if str(BROWSER_HELPERS) not in sys.path:
    sys.path.insert(0, str(BROWSER_HELPERS))

from ui_harness import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    PLAYWRIGHT_IMPORT_ERROR,
    SCREENSHOT_DIR,
    UI_TIMEOUT_MS,
    AppServer,
    enable_semantics,
    expect,
    free_port,
    settled_screenshot,
)

from fieldapp.office import words as strings  # noqa: E402

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
except ImportError:  # the browser suites are skipped then (conftest)
    PlaywrightTimeoutError = TimeoutError

FROZEN_NOW = "2022-06-01T09:00:00+08:00"  # = fieldapp.office.dashboard.sample.SAMPLE_NOW
DESKTOP = {"width": 1366, "height": 900}
PASSWORDS = {"wang": "wang-admin-pw", "li": "li-staff-pw1", "zhao": "zhao-viewer-pw"}
ROLES = {"wang": "admin", "li": "staff", "zhao": "viewer"}

__all__ = [
    "CHROMIUM", "CHROMIUM_ARGS", "DESKTOP", "FROZEN_NOW", "PASSWORDS", "PLAYWRIGHT_IMPORT_ERROR", "ROLES",
    "SCREENSHOT_DIR", "OfficeServer", "by_id", "click_when_ready", "enable_semantics", "event_count", "expect",
    "free_port",
    "login", "message", "nav", "press", "settled_screenshot", "type_into",
]  # fmt: skip


class OfficeServer(AppServer):
    """`fieldapp office serve` on its own port and data folder."""

    def command(self) -> list[str]:
        return [sys.executable, "-m", "fieldapp.cli", "office", "serve", "--data-dir", str(self.data_dir),
                "--port", str(self.port), "--insecure-http"]  # fmt: skip  (TLS: tests/office/test_office_tls.py)

    @property
    def db(self) -> Path:
        return self.data_dir / "office.db"


def event_count(server: OfficeServer) -> int:
    with sqlite3.connect(server.db) as conn:
        return conn.execute("SELECT count(*) FROM events").fetchone()[0]


def by_id(page, identifier: str):
    return page.locator(f'[flt-semantics-identifier="{identifier}"]')


def press(page, identifier: str) -> None:
    """Click the control with this handle: the button inside it, or itself (a chip is its own button)."""
    control = by_id(page, identifier)
    control.wait_for()
    inner = control.get_by_role("button")
    (inner.first if inner.count() else control).click()


def click_when_ready(page, target, attempts: int = 3) -> None:
    """Click `target`, giving a busy page time: if Flutter rebuilt its accessibility tree meanwhile
    (the button is there but not found), switch it on again and retry."""
    for attempt in range(attempts):
        try:
            expect(target).to_be_visible(timeout=30_000)
            target.click(timeout=10_000)
            return
        except (AssertionError, PlaywrightTimeoutError):
            if attempt == attempts - 1:
                raise
            enable_semantics(page)


def message(page, key: str):
    return by_id(page, f"message-{key}")


def type_into(page, target, text: str) -> None:
    """Click a text field (a Locator, or a handle whose input is meant) and type `text` over its content."""
    if isinstance(target, str):
        target = by_id(page, target).locator("input, textarea").first
    for attempt in range(3):
        target.click()
        time.sleep(0.15)  # Flutter moves its text input to the field a frame after the click
        page.keyboard.press("Control+A")
        page.keyboard.type(text)
        if target.input_value() == text:
            return
        time.sleep(0.3)
    raise AssertionError(f"could not type {text!r}: the field holds {target.input_value()!r}")


def nav(page, label: str) -> None:
    """Click the navigation rail entry `label` and wait for its screen."""
    page.get_by_role("button", name=re.compile("^" + re.escape(label) + r"\s")).click()


def login(page, url: str, user: str, password: str | None = None, timeout_ms: int = UI_TIMEOUT_MS) -> float:
    """Open the dashboard, log in, wait for 排名; returns seconds from load to the login form."""
    started = time.perf_counter()
    page.goto(url)
    enable_semantics(page, timeout_ms)
    name_box = page.get_by_role("textbox", name=strings.DASH_USERNAME)
    name_box.wait_for(timeout=timeout_ms)
    first_paint = time.perf_counter() - started
    type_into(page, name_box, user)
    type_into(page, page.get_by_role("textbox", name=strings.DASH_PASSWORD), password or PASSWORDS[user])
    page.get_by_role("button", name=strings.DASH_LOGIN, exact=True).click()
    if password is None:
        expect(by_id(page, "screen-ranking")).to_be_visible(timeout=timeout_ms)
    return first_paint
