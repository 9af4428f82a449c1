"""Helpers to drive the Flet phone app in Chromium (Playwright sync API).

Import in a browser test as ``from ui_harness import goto_tab, settled_screenshot``
(pytest puts this folder on sys.path; it has no ``__init__.py`` on purpose).

Flutter paints on a canvas: Playwright sees the app only through Flutter's
accessibility tree, which is off until `enable_semantics` switches it on.
Then: a NavigationBar item is role ``tab``, a screen heading role ``heading``,
a text field ``textbox``, a button ``button``; ``ft.Semantics(identifier="x")``
shows as ``[flt-semantics-identifier="x"]``. Use ``exact=True`` with role names:
the default substring match makes "我的" also match "我的案件".
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Optional

from tests.office_process import free_port  # noqa: F401  (the browser suites import it from here)

try:
    from playwright.sync_api import expect
    PLAYWRIGHT_IMPORT_ERROR: Optional[str] = None
except ImportError as exc:  # conftest turns this into a skip (or a CI failure)
    expect = None
    PLAYWRIGHT_IMPORT_ERROR = str(exc)

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

REPO = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO / "tests" / "screenshots"   # git-ignored

CHROMIUM = os.environ.get("FIELDAPP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ANDROID_UA = ("Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 "
              "(KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36")
#: A place in the sub-district, for the context's fake GPS.
GEOLOCATION = {"latitude": 34.2655, "longitude": 108.9542, "accuracy": 8}
#: A fixed moment (Wednesday 1 June 2022, 09:00 Beijing) for deterministic screens.
FROZEN_NOW = "2022-06-01T09:00:00+08:00"

APP_START_TIMEOUT = 30.0     # seconds: process start -> HTTP 200
UI_TIMEOUT_MS = 30_000       # Flutter boot in headless Chromium takes ~1.5-3 s


# --- the app process ---------------------------------------------------------------

def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def browser_unavailable() -> Optional[str]:
    """Why browser tests cannot run here, or None."""
    if PLAYWRIGHT_IMPORT_ERROR:
        return (f"Playwright is not importable ({PLAYWRIGHT_IMPORT_ERROR}); "
                "install the test extra: pip install -e '.[test]'")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return (f"Chromium not found at {CHROMIUM}: apt-get install -y chromium "
                "(Debian's; `playwright install` does not work offline)")
    return None


def launch_chromium(extra_args: tuple[str, ...] = ()):
    """Yield headless Debian Chromium; skip without it — but fail when CI=true (a fixture body)."""
    import pytest

    reason = browser_unavailable()
    if reason:
        if in_ci():
            pytest.fail(f"CI=true, so browser tests must run: {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + list(extra_args))
        try:
            yield browser
        finally:
            browser.close()
    finally:
        pw.stop()


def test_failed(request) -> bool:
    """Whether the test using this fixture failed (set by tests/conftest.py's report hook)."""
    rep = getattr(request.node, "rep_call", None)
    return rep is not None and rep.failed


test_failed.__test__ = False  # a helper, not a test


class AppServer:
    """The phone app served by ``python -m fieldapp.ui.app`` in a subprocess.

    `restart()` stops and starts it on the same port and data folder (for
    "data survives a restart" tests); open pages must be reloaded afterwards.
    """

    def __init__(self, data_dir: Path, log_path: Path, now: Optional[str] = None,
                 env: Optional[dict[str, str]] = None, port: Optional[int] = None):
        self.data_dir = Path(data_dir)
        self.log_path = Path(log_path)
        self.now = now
        self.extra_env = dict(env or {})
        self.port = port or free_port()
        self.proc: Optional[subprocess.Popen] = None
        self.started_at = 0.0        # time.perf_counter() at the last start()
        self.ready_after = 0.0       # seconds from start() to the first HTTP 200

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def command(self) -> list[str]:
        return [sys.executable, "-m", "fieldapp.ui.app", "--port", str(self.port),
                "--data-dir", str(self.data_dir)]

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("FIELDAPP_", "FLET_"))}
        env["PYTHONUNBUFFERED"] = "1"
        if self.now:
            env["FIELDAPP_NOW"] = self.now
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = APP_START_TIMEOUT) -> "AppServer":
        if self.running:
            raise RuntimeError("app already running")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")
        self.started_at = time.perf_counter()
        try:
            self.proc = subprocess.Popen(self.command(), cwd=REPO, env=self.environment(),
                                         stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        finally:
            log.close()
        self._wait_http_ok(timeout)
        self.ready_after = time.perf_counter() - self.started_at
        return self

    def _wait_http_ok(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"app exited with {self.proc.returncode} before serving:\n"
                                   + self.log_tail())
            try:
                with urllib.request.urlopen(self.url, timeout=1) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"app not serving {self.url} after {timeout:.0f} s:\n"
                                   + self.log_tail())
            time.sleep(0.05)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, grace: float = 5.0) -> None:
        """SIGTERM, then SIGKILL after `grace` seconds. Safe to call twice."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(grace)

    def restart(self) -> "AppServer":
        self.stop()
        return self.start()

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])


# --- the page ------------------------------------------------------------------------

_CLICK_PLACEHOLDER = """() => {
  const el = document.querySelector('flt-semantics-placeholder');
  if (!el) return false;
  const r = el.getBoundingClientRect();
  el.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true,
      clientX: r.left + r.width / 2, clientY: r.top + r.height / 2}));
  return true;
}"""


def enable_semantics(page: Page, timeout_ms: int = UI_TIMEOUT_MS) -> None:
    """Switch on Flutter's accessibility tree (needed before any role locator).

    A plain ``.click()`` on the placeholder misses under a mobile user agent: the
    click must be a MouseEvent dispatched at its centre.
    """
    nodes = page.locator("flt-semantics-host flt-semantics")
    if nodes.count():
        return
    page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=timeout_ms)
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        page.evaluate(_CLICK_PLACEHOLDER)
        try:
            nodes.first.wait_for(state="attached", timeout=2000)
            return
        except Exception:
            if time.monotonic() > deadline:
                raise


def open_app(page: Page, url: str, timeout_ms: int = UI_TIMEOUT_MS, *, first_run: str = "later") -> Page:
    """Load the app, enable semantics, wait until the bottom tabs are there.

    A new phone (empty data folder) starts on the first-run screen: `first_run="later"` taps
    暂不连接 there (as most tests want the app itself); ``"stay"`` returns on that screen.
    """
    from fieldapp.ui import strings

    page.goto(url)
    enable_semantics(page, timeout_ms)
    tabs = page.get_by_role("tablist").first
    welcome = page.locator('[flt-semantics-identifier="screen-first-run"]')
    tabs.or_(welcome).first.wait_for(state="visible", timeout=timeout_ms)
    if welcome.count() and not tabs.is_visible():
        if first_run == "stay":
            return page
        page.get_by_role("button", name=strings.FIRST_RUN_LATER).tap()
    tabs.wait_for(state="visible", timeout=timeout_ms)
    return page


def tab(page: Page, label: str) -> Locator:
    """The bottom-navigation tab with exactly this label."""
    return page.get_by_role("tab", name=label, exact=True)


def heading(page: Page, title: str) -> Locator:
    """A screen heading (components.screen_header) with exactly this title."""
    return page.get_by_role("heading", name=title, exact=True)


def screen(page: Page, key: str) -> Locator:
    """The heading of screen `key` ("cases", "new"…), by its accessibility id."""
    return page.locator(f'[flt-semantics-identifier="screen-{key}"]')


def goto_tab(page: Page, label: str, timeout_ms: int = 10_000) -> None:
    """Tap the bottom tab `label` and wait until it is the selected one."""
    target = tab(page, label)
    target.tap()   # a tap, not a click: a mouse hover leaves a tooltip over the bar
    expect(target).to_have_attribute("aria-selected", "true", timeout=timeout_ms)


def settled_screenshot(page: Page, name: str, timeout: float = 15.0,
                       interval: float = 0.25) -> Path:
    """Save ``tests/screenshots/<name>.png`` once the pixels stop changing.

    Pixels can lag the accessibility tree by 1–2 s (fonts, animations): take
    screenshots until two consecutive ones are byte-identical.
    """
    if not re.fullmatch(r"[\w.\-]+", name):
        raise ValueError(f"bad screenshot name {name!r}")
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    deadline = time.monotonic() + timeout
    previous = page.screenshot()
    while True:
        time.sleep(interval)
        current = page.screenshot()
        if current == previous:
            path.write_bytes(current)
            return path
        if time.monotonic() > deadline:
            path.write_bytes(current)
            raise AssertionError(f"screen still changing after {timeout} s; last frame: {path}")
        previous = current


def run_async_in_thread(make_coro: Callable[[], Awaitable[Any]], timeout: float = 60) -> Any:
    """``asyncio.run(make_coro())`` in a fresh thread, for use inside a browser test.

    Playwright's sync API keeps an event loop running in the test's thread, so a
    direct ``asyncio.run`` there raises "cannot be called from a running event loop".
    """
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = asyncio.run(make_coro())
        except BaseException as exc:  # re-raised in the caller's thread
            result["error"] = exc

    thread = threading.Thread(target=target, name="asyncio-for-test", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError(f"coroutine still running after {timeout} s")
    if "error" in result:
        raise result["error"]
    return result.get("value")
