"""Store speed with 50,000 cases: append a case (p95 < 5 ms), first page of "my open cases" (< 50 ms).

Each figure is printed beside a baseline measured in the same run on the same file:
- append: a bare INSERT of the same event row in its own transaction (no projection);
- query: the same query with its index switched off (a table scan).

    python bench/store.py [--cases 50000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fieldapp.domain import commands as cmd  # noqa: E402
from fieldapp.domain.geo import Position  # noqa: E402
from fieldapp.domain.projection import project_case  # noqa: E402
from fieldapp.rules import load_rules  # noqa: E402
from fieldapp.store import Store  # noqa: E402

START = datetime(2022, 1, 3, 1, tzinfo=timezone.utc)
INSPECTORS = [cmd.Actor(f"inspector-{i}", f"phone-{i}") for i in range(30)]


def p95(samples):
    return statistics.quantiles(samples, n=20)[-1]


def make_case(rules, rng, i):
    who = rng.choice(INSPECTORS)
    now = START + timedelta(minutes=10 * i)
    reg = cmd.register_case(
        rules,
        who,
        now,
        community=rng.choice(rules.communities).code,
        category=rng.choice(rules.categories).code,
        position=Position(34.70 + rng.random() * 0.1, 113.60 + rng.random() * 0.1, 8.0),
        note="路边垃圾堆放",
    )
    events = [reg]
    if rng.random() < 0.6:  # most cases get rectified
        state = project_case([reg], rules.tz)
        events.append(cmd.recheck(state, who, now + timedelta(days=rng.randint(0, 5)), rectified=True))
    return events


def fill(store, rules, n, rng):
    batch = []
    for i in range(n):
        batch.extend(make_case(rules, rng, i))
        if len(batch) >= 2000:
            store.append(batch)
            batch = []
    store.append(batch)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--samples", type=int, default=300)
    args = parser.parse_args()
    rules = load_rules()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db", rules)
        t = time.perf_counter()
        fill(store, rules, args.cases, rng)
        print(f"filled {args.cases} cases / {store.event_count()} events in {time.perf_counter() - t:.1f} s")
        now = START + timedelta(minutes=10 * args.cases)

        ours, raw = [], []
        for i in range(args.samples):
            events = make_case(rules, rng, args.cases + i)[:1]
            t = time.perf_counter()
            store.append(events)
            ours.append((time.perf_counter() - t) * 1000)
            row = events[0].to_dict()
            t = time.perf_counter()
            with store.write():
                store.db.execute(
                    "INSERT INTO events (id, type, subject, case_id, payload, actor, device, recorded_at,"
                    " content_hash, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [row["id"] + "-raw", row["type"], row["subject"], None, "{}", row["actor"], row["device"],
                     row["recorded_at"], "x", "now"],
                )
            raw.append((time.perf_counter() - t) * 1000)
        print(
            f"append a case: p95 {p95(ours):.2f} ms (median {statistics.median(ours):.2f}) | "
            f"bare insert p95 {p95(raw):.2f} ms | ratio {p95(ours) / p95(raw):.2f}x  (target p95 < 5 ms)"
        )

        who = INSPECTORS[0].actor
        page, scan = [], []
        for _ in range(30):
            t = time.perf_counter()
            rows = store.open_cases(now, inspector=who, limit=50)
            page.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            store.db.execute(
                "SELECT * FROM cases NOT INDEXED WHERE lifecycle = 'open' AND registered_by = ?"
                " ORDER BY deadline, found_at, case_id LIMIT 50",
                [who],
            ).fetchall()
            scan.append((time.perf_counter() - t) * 1000)
        print(
            f"my open cases, first page ({len(rows)} rows): median {statistics.median(page):.2f} ms, "
            f"p95 {p95(page):.2f} ms | table scan median {statistics.median(scan):.2f} ms | "
            f"ratio {statistics.median(scan) / statistics.median(page):.1f}x faster  (target < 50 ms)"
        )
        store.close()


if __name__ == "__main__":
    main()
