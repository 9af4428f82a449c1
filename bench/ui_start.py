#!/usr/bin/env python3
"""Cold start of the phone app: process start -> first screen usable in Chromium.

    .venv/bin/python bench/ui_start.py [--runs 5] [--no-baseline]

Each run starts ``python -m fieldapp.ui.app`` on a free port with an empty data
folder, opens it in a fresh phone-sized context of headless /usr/bin/chromium
(launched once, before timing; a fresh context has an empty cache), and records:

  http    process start -> first HTTP 200
  tab     process start -> the "我的案件" tab is in the accessibility tree
  font    process start -> the CJK font file has been downloaded
  usable  max(tab, font): the first screen can be read and tapped

Baseline, same run, same method: a bare Flet app with a two-tab NavigationBar,
ASCII labels and no bundled font. The ratio shows what the shell and the 2.4 MB
font cost on top of Flet itself.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "browser"))

from ui_harness import (  # noqa: E402
    ANDROID_UA, CHROMIUM, CHROMIUM_ARGS, AppServer, enable_semantics, free_port,
)

BASELINE_APP = """
import sys, flet as ft
def main(page):
    page.navigation_bar = ft.NavigationBar(destinations=[
        ft.NavigationBarDestination(icon=ft.Icons.LIST, label="Cases"),
        ft.NavigationBarDestination(icon=ft.Icons.ADD, label="New")])
    page.add(ft.Text("Cases"))
ft.run(main, view=ft.AppView.WEB_BROWSER, host="127.0.0.1", port=int(sys.argv[1]), no_cdn=True)
"""


class BaselineServer(AppServer):
    def command(self) -> list[str]:
        return [sys.executable, "-c", BASELINE_APP, str(self.port)]


def measure(browser, server: AppServer, tab_name: str, font_marker: str | None) -> dict:
    server.start()
    t0 = server.started_at
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True,
        has_touch=True, user_agent=ANDROID_UA, locale="zh-CN")
    context.route("https://**", lambda route: route.abort())
    page = context.new_page()
    marks: dict[str, float] = {}

    def on_finished(request):
        if font_marker and font_marker in request.url:
            marks.setdefault("font", time.perf_counter() - t0)

    page.on("requestfinished", on_finished)
    try:
        page.goto(server.url)
        enable_semantics(page)
        page.get_by_role("tab", name=tab_name, exact=True).wait_for(state="visible",
                                                                    timeout=30_000)
        marks["tab"] = time.perf_counter() - t0
        deadline = time.monotonic() + 30
        while font_marker and "font" not in marks and time.monotonic() < deadline:
            page.wait_for_timeout(20)
        marks["http"] = server.ready_after
        marks.setdefault("font", float("nan") if font_marker else 0.0)
        marks["usable"] = max(marks["tab"], marks["font"])
        return marks
    finally:
        context.close()
        server.stop()


def run_series(browser, make_server, tab_name, font_marker, runs) -> list[dict]:
    results = []
    for i in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            server = make_server(Path(tmp))
            marks = measure(browser, server, tab_name, font_marker)
        results.append(marks)
        print(f"  run {i + 1}: " + "  ".join(f"{k} {marks[k]:.2f}s"
                                            for k in ("http", "tab", "font", "usable")))
    return results


def median(results: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args(argv)
    if not shutil.which(CHROMIUM):
        print(f"no Chromium at {CHROMIUM}", file=sys.stderr)
        return 2

    from playwright.sync_api import sync_playwright

    from fieldapp.ui import strings

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        print(f"fieldapp UI, {args.runs} cold starts:")
        ours = run_series(
            browser,
            lambda d: AppServer(d / "data", d / "app.log", port=free_port()),
            strings.TAB_CASES, "NotoSansSC-Subset.ttf", args.runs)
        base = None
        if not args.no_baseline:
            print(f"baseline (bare Flet app, no CJK font), {args.runs} cold starts:")
            base = run_series(
                browser,
                lambda d: BaselineServer(d / "data", d / "app.log", port=free_port()),
                "Cases", None, args.runs)
        browser.close()

    print()
    print(f"median fieldapp: http {median(ours, 'http'):.2f}s  tab {median(ours, 'tab'):.2f}s"
          f"  font {median(ours, 'font'):.2f}s  usable {median(ours, 'usable'):.2f}s")
    if base:
        print(f"median baseline: http {median(base, 'http'):.2f}s  "
              f"usable {median(base, 'usable'):.2f}s")
        print(f"ratio fieldapp/baseline (usable): "
              f"{median(ours, 'usable') / median(base, 'usable'):.2f}")
    target = 3.0
    verdict = "OK" if median(ours, "usable") < target else "SLOW"
    print(f"target < {target:.1f}s: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
