"""Fixtures for driving the phone app in Debian's Chromium through Playwright.

Fixtures
--------
app_factory      function  ``app_factory(now=None, env=None, start=True)`` -> started
                           `AppServer` (own data folder and port); all stopped at
                           teardown. ``start=False``: fill ``server.data_dir`` (see
                           prefill.py), set ``server.now``, then ``server.start()``.
                           ``server.restart()`` = stop + start, same port and data.
app_server       function  one app with the clock frozen at ``FROZEN_NOW``.
chromium_browser module    headless /usr/bin/chromium. Skips when Chromium or
                           Playwright is missing — but FAILS when ``CI=true``.
phone_factory    function  ``phone_factory(width=390, height=844)`` -> a Page in a
                           fresh phone context (3x, touch, Android UA, zh-CN,
                           Asia/Shanghai, GPS + camera permission, https:// aborted).
phone            function  ``phone_factory()``.
app_page         function  `phone` with `app_server` open and semantics enabled.

Helpers (``from ui_harness import ...``): `open_app`, `enable_semantics`,
`goto_tab`, `tab`, `heading`, `screen`, `settled_screenshot`,
`run_async_in_thread`, `FROZEN_NOW`.

On a failing test the app log tail is printed and each open page is saved as
``tests/screenshots/FAILED-<test>-<n>.png``.

asyncio: Playwright's sync API runs an event loop while it is started. Browser
fixtures are module-scoped so it is stopped before other test modules run; an
``asyncio.run`` *inside* a browser test must run in a thread of its own
(`run_async_in_thread`).
"""

from __future__ import annotations

import re
from typing import Callable, Iterator, Optional

import pytest

from ui_harness import (
    ANDROID_UA,
    FROZEN_NOW,
    GEOLOCATION,
    SCREENSHOT_DIR,
    AppServer,
    launch_chromium,
    open_app,
    test_failed,
)

MEDIA_ARGS = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]


def pytest_collection_modifyitems(config, items):
    """A test that uses Chromium is a browser test, marked or not (``-m 'not browser'``)."""
    for item in items:
        if "chromium_browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


# --- app process ------------------------------------------------------------------

@pytest.fixture
def app_factory(tmp_path, request) -> Iterator[Callable[..., AppServer]]:
    servers: list[AppServer] = []

    def start(now: Optional[str] = None, env: Optional[dict[str, str]] = None,
              start: bool = True) -> AppServer:
        n = len(servers)
        server = AppServer(data_dir=tmp_path / f"data{n}", log_path=tmp_path / f"app{n}.log",
                           now=now, env=env)
        servers.append(server)
        if not start:   # fill server.data_dir first, then server.start()
            server.data_dir.mkdir(parents=True, exist_ok=True)
            return server
        return server.start()

    yield start
    for server in servers:
        server.stop()
        if test_failed(request):
            print(f"\n--- app log {server.log_path} ---\n{server.log_tail()}")


@pytest.fixture
def app_server(app_factory) -> AppServer:
    return app_factory(now=FROZEN_NOW)


# --- browser ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def chromium_browser():
    yield from launch_chromium(MEDIA_ARGS)


@pytest.fixture
def phone_factory(chromium_browser, request):
    contexts = []

    def new_phone(width: int = 390, height: int = 844, **overrides):
        options = dict(
            viewport={"width": width, "height": height},
            device_scale_factor=3,
            is_mobile=True,
            has_touch=True,
            user_agent=ANDROID_UA,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            geolocation=GEOLOCATION,
            permissions=["geolocation", "camera"],
        )
        options.update(overrides)
        context = chromium_browser.new_context(**options)
        # Offline like a phone on patrol; Flutter still asks a CDN for one runtime file.
        context.route("https://**", lambda route: route.abort())
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield new_phone
    if test_failed(request):
        name = re.sub(r"[^\w.\-]+", "_", request.node.name)
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        for i, page in enumerate(p for c in contexts for p in c.pages):
            try:
                page.screenshot(path=str(SCREENSHOT_DIR / f"FAILED-{name}-{i}.png"))
            except Exception:
                pass
    for context in contexts:
        context.close()


@pytest.fixture
def phone(phone_factory):
    return phone_factory()


@pytest.fixture
def app_page(phone, app_server):   # phone first: a missing Chromium skips before the app starts
    return open_app(phone, app_server.url)
