"""Many phones at once: 50 simulated phones × 100 cases × 2 photos syncing together on loopback.

The office is the real `fieldapp office serve` process; each phone is a thread with its own
SQLite file and photo folder, enrolled with its own code, running SyncClient until it reports
done (at most 5 runs each; the whole benchmark gives up after --timeout seconds). Afterwards
the office is checked: every event and every photo exactly once, nothing half-written left.

    python bench/sync_load.py [--phones 50] [--cases 100] [--photo-kb 20] [--timeout 600]

Prints the office's ingest throughput (events/s, photos/s, MB/s, until it has everything), the time
until every phone is done (pulls included), and request latency (p50/p95/p99 per kind).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402

from fieldapp.domain import commands as cmd  # noqa: E402
from fieldapp.domain.events import PhotoAdded, new_event  # noqa: E402
from fieldapp.domain.geo import Position  # noqa: E402
from fieldapp.photos import photo_path  # noqa: E402
from fieldapp.rules import load_rules  # noqa: E402
from sync import auth, phonebook, storage  # noqa: E402
from sync.client import SyncClient, enrol  # noqa: E402
from sync.protocol import MARKER  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
START = datetime(2022, 6, 1, 1, tzinfo=timezone.utc)
COMMUNITIES = ("C1", "C2", "C3", "C4")
MAX_RUNS = 5


class Timed(httpx.BaseTransport):
    """A real transport that records how long each request took, by kind."""

    def __init__(self, samples: dict, lock: threading.Lock):
        self.inner = httpx.HTTPTransport(verify=False)
        self.samples, self.lock = samples, lock

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        kind = _kind(request)
        t = time.perf_counter()
        response = self.inner.handle_request(request)
        response.read()
        with self.lock:
            self.samples[kind].append(time.perf_counter() - t)
        return response

    def close(self) -> None:
        self.inner.close()


def _kind(request: httpx.Request) -> str:
    path = request.url.path
    if path.endswith("/hello"):
        return "hello"
    if path.endswith("/blobs/missing"):
        return "blobs/missing"
    if "/blobs/" in path:
        return "PUT blob"
    return "POST events" if request.method == "POST" else "GET events"


class Phone(threading.Thread):
    def __init__(self, n: int, root: Path, url: str, code: str, args, ready: threading.Barrier,
                 samples: dict, lock: threading.Lock):
        super().__init__(name=f"phone-{n}", daemon=True)
        self.n, self.dir, self.url, self.code, self.args = n, root / f"phone-{n}", url, code, args
        self.ready, self.samples, self.lock = ready, samples, lock
        self.results = []
        self.error: BaseException | None = None
        self.own: set[str] = set()
        self.shas: set[str] = set()
        self.synced_in = 0.0

    def run(self) -> None:
        try:
            rules = load_rules(2022)
            with phonebook.open_phone(self.dir, rules) as store:  # a Store belongs to its thread
                info = enrol(store, self.url, self.code, label=self.name)
                self.fill(store, cmd.Actor(info["inspector"], info["device_id"]), rules)
                self.ready.wait()
                t = time.perf_counter()
                transport = Timed(self.samples, self.lock)
                for _ in range(MAX_RUNS):
                    result = SyncClient(store, self.dir / storage.PHOTO_DIR, transport=transport).run()
                    self.results.append(result)
                    if result.ok:
                        break
                self.synced_in = time.perf_counter() - t
                transport.close()
        except BaseException as exc:  # reported by the main thread
            self.error = exc
            self.ready.abort()

    def fill(self, store, who: cmd.Actor, rules) -> None:
        rng = random.Random(self.n)
        community = COMMUNITIES[self.n % len(COMMUNITIES)]
        photo_dir = self.dir / storage.PHOTO_DIR
        for i in range(self.args.cases):
            now = START + timedelta(minutes=i, seconds=self.n)
            reg = cmd.register_case(rules, who, now, community=community, category="Z2",
                                    position=Position(34.7 + rng.random() / 50, 113.6 + rng.random() / 50, 5.0))
            events = [reg]
            for _ in range(2):
                data = b"\xff\xd8" + rng.randbytes(self.args.photo_kb * 1024 - 4) + b"\xff\xd9"
                sha = hashlib.sha256(data).hexdigest()
                path = photo_path(photo_dir, sha)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                self.shas.add(sha)
                events.append(new_event(PhotoAdded(reg.case_id, sha, sha, "before", 1600, 1200, len(data),
                                                   None, None), actor=who.actor, device=who.device, now=now))
            store.append(events)
            self.own.update(e.id for e in events)


def start_office(data_dir: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "fieldapp.cli", "office", "serve", "--port", str(port), "--data-dir", str(data_dir),
         "--log-level", "warning"],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/api/v1/hello", timeout=1).json().get("protocol") == MARKER:
                return proc, url
        except (httpx.TransportError, ValueError):
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("office did not start")


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=50)
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--photo-kb", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    rules = load_rules(2022)

    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        root = Path(tmp)
        office_dir = root / "office"
        proc, url = start_office(office_dir)
        try:
            with storage.open_office(office_dir, rules) as store:
                codes = [auth.create_code(store, f"inspector-{n}", [COMMUNITIES[n % 4]])[0] for n in range(args.phones)]
            samples: dict[str, list[float]] = defaultdict(list)
            lock = threading.Lock()
            ready = threading.Barrier(args.phones + 1)
            phones = [Phone(n, root, url, codes[n], args, ready, samples, lock) for n in range(args.phones)]
            t = time.perf_counter()
            for phone in phones:
                phone.start()
            try:
                ready.wait(timeout=args.timeout)  # every phone enrolled and filled
            except threading.BrokenBarrierError:
                print(f"setup failed: {[(p.name, repr(p.error)) for p in phones if p.error][:3]}")
                return 1
            print(f"{args.phones} phones × {args.cases} cases × 2 photos of {args.photo_kb} KB ready "
                  f"in {time.perf_counter() - t:.1f} s; syncing all at once")
            t = time.perf_counter()
            deadline = t + args.timeout
            expected = args.phones * args.cases * 3
            ingested = None  # when the office had every event (photos come before their events)
            with storage.open_office(office_dir, rules) as store:
                while time.perf_counter() < deadline and any(p.is_alive() for p in phones):
                    if ingested is None and store.event_count() >= expected:
                        ingested = time.perf_counter() - t
                    time.sleep(0.25)
                if ingested is None and store.event_count() >= expected:
                    ingested = time.perf_counter() - t
            for phone in phones:
                phone.join(max(0.0, deadline - time.perf_counter()))
            wall = time.perf_counter() - t
            stuck = [p.name for p in phones if p.is_alive()]
            failed = [(p.name, repr(p.error)) for p in phones if p.error is not None]
            if stuck or failed:
                print(f"NOT DONE: stuck {stuck[:5]}, failed {failed[:5]}")
                return 1
            return report(phones, samples, wall, ingested, office_dir, rules, args)
        finally:
            proc.terminate()
            proc.wait(10)


def report(phones, samples, wall: float, ingested: float | None, office_dir: Path, rules, args) -> int:
    runs = [len(p.results) for p in phones]
    not_ok = [p.name for p in phones if not p.results[-1].ok]
    events = sum(len(p.own) for p in phones)
    photos = sum(len(p.shas) for p in phones)
    megabytes = sum(r.bytes_uploaded for p in phones for r in p.results) / 1e6
    times = [p.synced_in for p in phones]
    if ingested:
        print(f"the office had every event and photo after {ingested:.1f} s: {events / ingested:.0f} events/s, "
              f"{photos / ingested:.0f} photos/s, {megabytes / ingested:.1f} MB/s")
    print(f"every phone done (pulls stored too) after {wall:.1f} s; runs per phone: max {max(runs)}; "
          f"slowest phone {max(times):.1f} s, median {statistics.median(times):.1f} s")
    print("  (the phones share this one process: storing what each pulls — thousands of other phones'")
    print("   events — competes for one interpreter lock, which real phones do not)")
    errors = [(i.code, i.detail) for p in phones for r in p.results for i in r.errors]
    if errors:
        print(f"errors on the way (retried): {len(errors)}, e.g. {errors[:3]}")
    print(f"{'request':<14} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    every = [s for values in samples.values() for s in values]
    for kind, values in sorted(samples.items()) + [("all", every)]:
        print(f"{kind:<14} {len(values):>6} {percentile(values, .5) * 1e3:>8.1f} {percentile(values, .95) * 1e3:>8.1f} "
              f"{percentile(values, .99) * 1e3:>8.1f} {max(values) * 1e3:>8.1f}")

    with storage.open_office(office_dir, rules) as store:
        ids = [r[0] for r in store.db.execute("SELECT id FROM events")]
    own = set().union(*(p.own for p in phones))
    shas = set().union(*(p.shas for p in phones))
    photo_dir = office_dir / storage.PHOTO_DIR
    files = [f for f in photo_dir.rglob("*.jpg")]
    bad = [f for f in files if hashlib.sha256(f.read_bytes()).hexdigest() != f.stem]
    leftovers = list((photo_dir / ".incoming").iterdir())
    checks = {
        "every phone done": not not_ok,
        f"events exactly once ({len(ids)} of {events})": len(ids) == len(set(ids)) == events and set(ids) == own,
        f"photos exactly once ({len(files)} of {photos})": len(files) == photos and {f.stem for f in files} == shas,
        "every photo's bytes match its name": not bad,
        "no half-written uploads left": not leftovers,
    }
    for name, ok in checks.items():
        print(f"  {'OK ' if ok else 'BAD'} {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
