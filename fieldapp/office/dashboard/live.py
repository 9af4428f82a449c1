"""The rankings kept in memory and refreshed event by event: `LiveBoard`.

Two `Scoreboard`s fold the office log once at start, then only the events that
arrived since (from phones through sync, from this dashboard, from a CLI import
in another process — whatever wrote office.db): `catch_up()` reads the events
after the last seq it saw and applies each to both boards.

- **live** — "if the year ended today": judged at now (never after the year's end);
- **final** — judged at the end of the year (31 December, 24:00 local). While the
  year runs this is what the records say *if nothing more happens*; once it is
  over it is the year's result.

It also keeps each community's monthly superior scores (the line chart).

All board work runs on one thread of its own (`executor`), with its own Store;
readers take a consistent `Snapshot` (made once per change and shared by every
session), so a browser never waits for a fold and never sees half of one.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Callable

from fieldapp.domain.events import Event, SuperiorScored
from fieldapp.domain.rules import Rules
from fieldapp.domain.scoring import Scoreboard, YearScore, evaluation_instant, year_bounds


@dataclass(frozen=True)
class Snapshot:
    """What the screens show, as of one version of the log."""

    version: int
    seq: int  # the last event seq folded
    live: YearScore
    final: YearScore
    #: community code -> month (1..12) -> score (the latest entry of each month)
    superior: dict[str, dict[int, Decimal]] = field(default_factory=dict)
    year_over: bool = False
    made_at: datetime | None = None


@dataclass
class Timing:
    """Milliseconds of the last load / catch-up (for the status line and the bench)."""

    load_ms: float = 0.0
    load_events: int = 0
    catch_up_ms: float = 0.0
    catch_up_events: int = 0
    snapshot_ms: float = 0.0


class LiveBoard:
    def __init__(self, open_store: Callable[[], object], rules: Rules, clock: Callable[[], datetime]):
        self._open_store = open_store
        self.rules = rules
        self.clock = clock
        self.executor = ThreadPoolExecutor(1, thread_name_prefix="dashboard-live")
        self._store = None  # opened on the executor's thread, used only there
        self._lock = threading.Lock()
        self._live: Scoreboard | None = None
        self._final: Scoreboard | None = None
        self._superior: dict[str, dict[str, tuple]] = {}  # community -> month -> (sort key, score)
        self._seq = 0
        self._version = 0
        self._snapshot: Snapshot | None = None
        self._live_minute: str = ""
        self.timing = Timing()

    # --- on the board thread ------------------------------------------------------------

    def _db(self):
        if self._store is None:
            self._store = self._open_store()
        return self._store

    def _read_new(self) -> tuple[list[Event], int]:
        """Events after the last seq seen, and the new last seq, from one read snapshot."""
        store = self._db()
        store.db.execute("BEGIN")
        try:
            top = store.db.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0]
            events = list(store.events(after_seq=self._seq)) if top > self._seq else []
        finally:
            store.db.execute("COMMIT")
        return events, top

    def load(self) -> "LiveBoard":
        """Fold the whole log (at start)."""
        started = time.perf_counter()
        events, top = self._read_new()
        now = self.clock()
        live = Scoreboard(self.rules, self._live_instant(now)).load(events)
        final = Scoreboard(self.rules, year_bounds(self.rules)[1]).load(events)
        with self._lock:
            self._live, self._final, self._seq = live, final, top
            self._superior = {}
            for event in events:
                self._fold_superior(event)
            self._live_minute = now.strftime("%Y%m%d%H%M")
            self._version += 1
            self._snapshot = None
        self.timing.load_ms = (time.perf_counter() - started) * 1000
        self.timing.load_events = len(events)
        return self

    def catch_up(self) -> int:
        """Apply the events stored since the last call (and move "today" on); returns how many."""
        if self._live is None:
            self.load()
            return self.timing.load_events
        started = time.perf_counter()
        events, top = self._read_new()
        now = self.clock()
        minute = now.strftime("%Y%m%d%H%M")
        if not events and minute == self._live_minute:
            return 0
        with self._lock:
            for event in events:
                self._live.apply(event)
                self._final.apply(event)
                self._fold_superior(event)
            if minute != self._live_minute:  # deadlines may have passed since: judge at the new "now"
                self._live.advance_to(self._live_instant(now))
                self._live_minute = minute
            self._seq = max(self._seq, top)
            self._version += 1
            self._snapshot = None
        self.timing.catch_up_ms = (time.perf_counter() - started) * 1000
        self.timing.catch_up_events = len(events)
        return len(events) or 1

    def _live_instant(self, now: datetime) -> datetime:
        return evaluation_instant(self.rules, now=now)

    def _fold_superior(self, event: Event) -> None:
        d = event.data
        if not isinstance(d, SuperiorScored) or not d.month.startswith(f"{self.rules.year}-"):
            return
        months = self._superior.setdefault(d.community, {})
        key = event.sort_key()
        held = months.get(d.month)
        if held is None or key > held[0]:
            months[d.month] = (key, Decimal(str(d.score)))

    def close(self) -> None:
        def shut():
            if self._store is not None:
                self._store.close()
                self._store = None

        try:
            self.executor.submit(shut).result(timeout=10)
        except Exception:  # noqa: BLE001 - closing anyway
            pass
        self.executor.shutdown(wait=True)

    # --- any thread -------------------------------------------------------------------------

    @property
    def version(self) -> int:
        return self._version

    @property
    def loaded(self) -> bool:
        return self._live is not None

    def snapshot(self) -> Snapshot:
        """The current rankings (made once per version, then shared)."""
        snap = self._snapshot
        if snap is not None:
            return snap
        with self._lock:
            if self._snapshot is not None:
                return self._snapshot
            if self._live is None:
                raise RuntimeError("LiveBoard.load() has not run")
            started = time.perf_counter()
            superior = {
                code: {int(month[5:]): score for month, (_key, score) in months.items()}
                for code, months in self._superior.items()
            }
            now = self.clock()
            snap = Snapshot(
                version=self._version,
                seq=self._seq,
                live=self._live.result(),
                final=self._final.result(),
                superior=superior,
                year_over=now >= year_bounds(self.rules)[1],
                made_at=now,
            )
            self._snapshot = snap
            self.timing.snapshot_ms = (time.perf_counter() - started) * 1000
            return snap


def open_store_factory(data_dir: str | Path, rules: Rules) -> Callable[[], object]:
    """A function opening the office Store (with the sync tables), for the board's thread."""

    def open_store():
        from sync.storage import open_office

        return open_office(data_dir, rules)

    return open_store
