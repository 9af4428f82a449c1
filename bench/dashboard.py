#!/usr/bin/env python3
"""The office dashboard: live ranking refresh and first paint.

    .venv/bin/python bench/dashboard.py [--cases 5000] [--events 50000] [--no-browser]

Fills an office database (bench/score.py's synthetic year, stored with server seqs,
plus the sample office's accounts), then, in the same run:

refresh (no browser)
  load       LiveBoard.load: both boards (live, year-end) folded from office.db
  catch-up   one new event stored -> both boards applied -> the shared Snapshot made
  baseline   what a dashboard without the live board would do per change: score the
             year twice from the database (live and year-end), like `office score`
browser (headless Chromium, 1366×900; skipped with --no-browser)
  http       `fieldapp office serve` start -> first HTTP 200
  paint      page load -> login form usable
  login      login click -> 排名 table shown
  phone      an event stored by another process -> the ranking in the browser shows it
             (the ticker polls every half second: a quarter second on average, plus the redraw)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# bench/ (this script's folder, sys.path[0]) holds a sync.py that would hide the sync package
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO / "bench"]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "office"))


def _bench_module(name: str):
    """A sibling bench script as a module (bench/ is not put on sys.path: bench/sync.py would hide sync/)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_log = _bench_module("score").build_log

from fieldapp.domain.events import Event, SuperiorScored  # noqa: E402
from fieldapp.domain.scoring import evaluation_instant, score_year, year_bounds  # noqa: E402
from fieldapp.office import users  # noqa: E402
from fieldapp.office.dashboard.live import LiveBoard, open_store_factory  # noqa: E402
from fieldapp.rules import load_rules  # noqa: E402
from sync.storage import open_office  # noqa: E402

NOW = datetime(2022, 11, 15, 4, 0, tzinfo=timezone.utc)


def fill(path: Path, rules, n_cases: int, n_events: int) -> int:
    events = build_log(rules, n_cases, n_events)
    with open_office(path, rules, durable=False) as store:
        for i in range(0, len(events), 20_000):
            store.append(events[i:i + 20_000], assign_server_seq=True)
        users.ensure_schema(store)
        users.add_user(store, "bench", users.ADMIN, "bench-password")
    return len(events)


def superior(month: int, score: float) -> Event:
    return Event.from_dict(Event(str(uuid.uuid4()), SuperiorScored("C1", f"2022-{month:02d}", score), "office:bench",
                                 "office", NOW).to_dict())  # fmt: skip


def refresh_bench(path: Path, rules) -> dict:
    board = LiveBoard(open_store_factory(path, rules), rules, lambda: NOW)
    t0 = time.perf_counter()
    board.executor.submit(board.load).result()
    board.executor.submit(board.snapshot).result()
    load_s = time.perf_counter() - t0
    catch = []
    for i in range(5):
        with open_office(path, rules) as store:
            store.append([superior(1 + i, 80 + i)], assign_server_seq=True)
        t0 = time.perf_counter()
        board.executor.submit(board.catch_up).result()
        board.executor.submit(board.snapshot).result()
        catch.append(time.perf_counter() - t0)
    board.close()
    base = []
    for _ in range(2):
        t0 = time.perf_counter()
        with open_office(path, rules) as store:
            events = list(store.events())
        score_year(rules, events, evaluation_instant(rules, now=NOW))
        score_year(rules, events, year_bounds(rules)[1])
        base.append(time.perf_counter() - t0)
    return {"load": load_s, "catch_up": statistics.median(catch), "catch_up_max": max(catch),
            "baseline": statistics.median(base)}  # fmt: skip


def browser_bench(path: Path, rules) -> dict:
    from dash_harness import CHROMIUM, CHROMIUM_ARGS, DESKTOP, OfficeServer, by_id, login
    from playwright.sync_api import sync_playwright

    server = OfficeServer(data_dir=path, log_path=path.parent / "office.log", now=NOW.isoformat())
    marks = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            server.start(timeout=120)
            marks["http"] = server.ready_after
            context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
            context.route("https://**", lambda route: route.abort())
            page = context.new_page()
            t0 = time.perf_counter()
            marks["paint"] = login(page, server.url, "bench", "bench-password", timeout_ms=120_000)
            marks["login"] = time.perf_counter() - t0 - marks["paint"]
            seen = []
            for month in (7, 8, 9):
                before = by_id(page, "final-C1").text_content()
                with open_office(path, rules) as store:
                    store.append([superior(month, 10.0 * month)], assign_server_seq=True)
                t0 = time.perf_counter()
                while by_id(page, "final-C1").text_content() == before:
                    if time.perf_counter() - t0 > 30:
                        raise TimeoutError("the ranking never showed the new score")
                    time.sleep(0.02)
                seen.append(time.perf_counter() - t0)
            marks["phone"] = statistics.median(seen)
            context.close()
        finally:
            server.stop()
            browser.close()
    return marks


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)
    rules = load_rules(2022)
    with tempfile.TemporaryDirectory(prefix="fieldapp-bench-dash-") as tmp:
        path = Path(tmp) / "office"
        t0 = time.perf_counter()
        n = fill(path, rules, args.cases, args.events)
        print(f"office.db: {n:,} events for {args.cases:,} cases, filled in {time.perf_counter() - t0:.1f} s")
        r = refresh_bench(path, rules)
        print(f"LiveBoard.load (live + year-end boards, snapshot): {r['load'] * 1000:8.0f} ms")
        print(f"catch-up after one stored event (both + snapshot): {r['catch_up'] * 1000:8.1f} ms "
              f"(max {r['catch_up_max'] * 1000:.1f} ms)")  # fmt: skip
        print(f"baseline: rescore both from the database per change: {r['baseline'] * 1000:6.0f} ms")
        print(f"ratio baseline / catch-up:                          {r['baseline'] / r['catch_up']:8.0f}x")
        if not args.no_browser:
            b = browser_bench(path, rules)
            print(f"office serve start -> HTTP 200:                    {b['http']:8.2f} s")
            print(f"page load -> login form usable (first paint):      {b['paint']:8.2f} s")
            print(f"login click -> ranking shown:                      {b['login']:8.2f} s")
            print(f"event stored elsewhere -> browser ranking shows it: {b['phone'] * 1000:7.0f} ms (0.5 s poll)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
