"""Many phones at once: 50 simulated phones × 100 cases × 2 photos syncing together on loopback.

The office is the real `fieldapp office serve` process; each phone is a thread with its own
SQLite file and photo folder, enrolled with its own code, running SyncClient until it reports
done (at most 5 runs each; the whole benchmark gives up after --timeout seconds). Afterwards
the office is checked: every event and every photo exactly once, nothing half-written left.

    python bench/sync_load.py [--phones 50] [--cases 100] [--photo-kb 20] [--timeout 600] [--modes tls,http]
                              [--baseline]

Prints the office's ingest throughput (events/s, photos/s, MB/s, until it has everything), the time
until every phone is done (pulls included), and request latency (p50/p95/p99 per kind), once over
TLS (the default: phones enrolled with the fingerprint, pinning the office's CA) and once over plain
HTTP (`--insecure-http`) in the same run, and TLS's cost as their ratio. "POST events (office)" is the
office's own time per push (its Server-Timing header: the wait for the writer and the work), which
the phones' shared interpreter does not inflate; the push p95 is printed beside the figures from
before the work on it (TODAY_PUSH_P95_MS, GROUPED_PUSH_P95_MS). `--baseline` adds a run with one
transaction per push (FIELDAPP_PUSH_GROUP=0).
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

    def __init__(self, samples: dict, lock: threading.Lock, pin: str | None = None):
        from sync.tls import pinned_context

        self.inner = httpx.HTTPTransport(verify=pinned_context(pin) if pin else False)
        self.samples, self.lock = samples, lock

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        kind = _kind(request)
        t = time.perf_counter()
        response = self.inner.handle_request(request)
        response.read()
        with self.lock:
            self.samples[kind].append(time.perf_counter() - t)
            timing = response.headers.get("server-timing", "")
            if timing.startswith("push;dur="):
                self.samples["POST events (office)"].append(float(timing.split("=", 1)[1]) / 1000)
        return response

    def close(self) -> None:
        self.inner.close()


def _kind(request: httpx.Request) -> str:
    path = request.url.path
    if path.endswith("/hello"):
        return "hello"
    if path.endswith("/blobs/missing"):
        return "blobs/missing"
    if "/blobs/" in path:  # uploads, and the downloads of others' photos after the pull
        return "PUT blob" if request.method == "PUT" else "GET blob"
    return "POST events" if request.method == "POST" else "GET events"


class Phone(threading.Thread):
    def __init__(self, n: int, root: Path, url: str, code: str, args, ready: threading.Barrier,
                 samples: dict, lock: threading.Lock, fingerprint: str = ""):
        super().__init__(name=f"phone-{n}", daemon=True)
        self.fingerprint = fingerprint
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
                info = enrol(store, self.url, self.code, label=self.name, fingerprint=self.fingerprint)
                pin = phonebook.PhoneBook(store).credentials()["pin"]
                self.fill(store, cmd.Actor(info["inspector"], info["device_id"]), rules)
                self.ready.wait()
                t = time.perf_counter()
                transport = Timed(self.samples, self.lock, pin)
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


def start_office(data_dir: Path, tls: bool, env: dict | None = None) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "fieldapp.cli", "office", "serve", "--port", str(port), "--data-dir", str(data_dir),
         "--log-level", "warning"] + ([] if tls else ["--insecure-http"]),
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})}, stdout=subprocess.DEVNULL,
    )
    url = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/api/v1/hello", timeout=1, verify=False).json().get("protocol") == MARKER:
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
    parser.add_argument("--modes", default="tls,http", help="tls, http, or both (comma-separated), in that order")
    parser.add_argument("--baseline", action="store_true",
                        help="also run over TLS with one transaction per push (FIELDAPP_PUSH_GROUP=0; the "
                             "ingest and the phones' pushes stay today's)")
    args = parser.parse_args()
    runs = [(m, {}) for m in args.modes.split(",") if m]
    if args.baseline:
        runs.append(("tls", {"FIELDAPP_PUSH_GROUP": "0"}))
    figures = {}
    for mode, env in runs:
        label = mode + (" one transaction per push" if env else "")
        print(f"=== {label}: " + ("TLS, phones pinning the office's CA" if mode == "tls" else "plain HTTP"))
        figures[label] = one_run(args, mode == "tls", env)
        if figures[label] is None:
            return 1
    if "tls" in figures and "http" in figures:
        tls, http = figures["tls"], figures["http"]
        had = (f"the office had everything {tls['ingested'] / http['ingested']:.2f}x, "
               if tls["ingested"] and http["ingested"] else "")
        print(f"TLS cost (tls / plain HTTP, same run): {had}every phone done {tls['wall'] / http['wall']:.2f}x, "
              f"PUT blob p50 {tls['put50'] / http['put50']:.2f}x, hello p50 {tls['hello50'] / http['hello50']:.2f}x")
    for label, f in figures.items():
        print(f"event push p95 [{label}]: office {f['push95_office'] * 1e3:.0f} ms, as the phones measured "
              f"{f['push95'] * 1e3:.0f} ms (target < 500 ms); before: {TODAY_PUSH_P95_MS} ms as the phones "
              f"measured (one transaction per push, plain HTTP), {GROUPED_PUSH_P95_MS[label.split()[0]]} ms "
              "with group commit alone (office)")
    return 0 if all(f["ok"] for f in figures.values()) else 1


#: POST events p95 as the phones measured it on this 2-CPU machine (50 phones × 100 cases, the
#: defaults) before the work on issue 10's target: one transaction per push, plain HTTP, the
#: office's ingest of then (commit f60a661's run, in docs/sync.md's "Load" table). The issue
#: says "about 2 s" of another machine; this is the figure measured here.
TODAY_PUSH_P95_MS = 20480
#: The same p95 by the office's own Server-Timing with group commit but the old ingest and pusher
#: (commit 0b4b06a, first run of 2026-12-03 on this machine, nothing else running), by mode.
GROUPED_PUSH_P95_MS = {"tls": 18395, "http": 19757}


def one_run(args, tls: bool, env: dict) -> dict | None:
    rules = load_rules(2022)

    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        root = Path(tmp)
        office_dir = root / "office"
        proc, url = start_office(office_dir, tls, env)
        try:
            from sync.tls import serving

            fingerprint = serving(office_dir).get("fingerprint", "") if tls else ""
            with storage.open_office(office_dir, rules) as store:
                codes = [auth.create_code(store, f"inspector-{n}", [COMMUNITIES[n % 4]])[0] for n in range(args.phones)]
            samples: dict[str, list[float]] = defaultdict(list)
            lock = threading.Lock()
            ready = threading.Barrier(args.phones + 1)
            phones = [Phone(n, root, url, codes[n], args, ready, samples, lock, fingerprint)
                      for n in range(args.phones)]
            t = time.perf_counter()
            for phone in phones:
                phone.start()
            try:
                ready.wait(timeout=args.timeout)  # every phone enrolled and filled
            except threading.BrokenBarrierError:
                print(f"setup failed: {[(p.name, repr(p.error)) for p in phones if p.error][:3]}")
                return None
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
                return None
            return report(phones, samples, wall, ingested, office_dir, rules, args)
        finally:
            proc.terminate()
            proc.wait(10)


def report(phones, samples, wall: float, ingested: float | None, office_dir: Path, rules, args) -> dict:
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
    return {"ok": all(checks.values()), "wall": wall, "ingested": ingested,
            "put50": percentile(samples["PUT blob"], .5),
            "hello50": percentile(samples["hello"], .5), "push95": percentile(samples["POST events"], .95),
            "push95_office": percentile(samples["POST events (office)"], .95)}


if __name__ == "__main__":
    sys.exit(main())
