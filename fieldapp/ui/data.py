"""The phone's data behind the screens: a worker that owns the SQLite stores, and settings.

Screens never touch SQLite or decode photos on the UI loop. They call

    rows = await ctx.data.run(queries.case_page, now, filters, 0, 30)

which runs ``fn(store, *args)`` in a small thread pool; each worker thread opens
its own `Store` on first use (a sqlite3 connection belongs to its thread; WAL
lets the threads share the file). `run_here` does the same in the calling
thread (tests, benchmarks, start-up).

Settings live in the store's ``meta`` table: ``device_id`` (made once, at first
start), ``inspector_id`` (default ``inspector-<first 8 of device id>``),
``inspector_name`` and ``inspector_communities`` (JSON list of community codes).

Enrolment with the office (`enrol_phone`) makes the enrolled inspector id the
``inspector_id`` new events carry; the office keeps the old one as the device's
alias, so events written before enrolment are accepted too (docs/sync.md). What
the phone wrote under its own id is still "mine" (`Settings.my_ids`: 我登记的,
today's questionnaires).
`run_sync` runs sync work on its own thread (one at a time), with its own Store.

Every sync run — automatic or asked for by 立即同步 — goes through `DataService.autosync`
(fieldapp/ui/autosync.py: one run at a time, the automatic schedule), which runs
`sync_job` on that thread. Records saved through `DataService.casework` tell it, so
a new record is sent a few seconds later without anyone tapping anything.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Optional, TypeVar

from fieldapp.casework import Casework
from fieldapp.domain.commands import Actor
from fieldapp.domain.events import COMMUNITY, INSPECTOR
from fieldapp.domain.rules import Rules
from fieldapp.rules import RuleBook, folder_stamp
from fieldapp.store import Store
from fieldapp.ui.autosync import STOP_CODES, AutoSync, Skipped, Timing
from sync import phonebook
from sync.protocol import is_local_actor

log = logging.getLogger(__name__)
T = TypeVar("T")

DB_NAME = "field.db"
PHOTO_DIR_NAME = "photos"

META_DEVICE_ID = "device_id"
META_INSPECTOR_ID = "inspector_id"
META_INSPECTOR_NAME = "inspector_name"
META_COMMUNITIES = "inspector_communities"


@dataclass(frozen=True)
class Settings:
    device_id: str
    inspector_id: str
    inspector_name: str = ""
    communities: tuple[str, ...] = ()
    role: str = INSPECTOR  # what the office enrolled this phone as: its screens follow it

    @property
    def is_community(self) -> bool:
        """Enrolled as a community's phone (社区书记, 网格员): 待整改, 整改反馈, 申请免责."""
        return self.role == COMMUNITY

    @property
    def my_ids(self) -> tuple[str, ...]:
        """Every actor id this phone's own records carry: the inspector now, and the phone's
        own id from before enrolment (made from the device id, which never changes; the
        office's alias of this device)."""
        return tuple(dict.fromkeys((self.inspector_id, default_inspector_id(self.device_id))))

    def home_community(self, rules: Rules) -> str:
        """The inspector's own community: the first linked one, else the first of the rules."""
        known = {c.code for c in rules.communities}
        for code in self.communities:
            if code in known:
                return code
        return rules.communities[0].code

    @property
    def actor(self) -> Actor:
        return Actor(self.inspector_id, self.device_id)


def default_inspector_id(device_id: str) -> str:
    return f"inspector-{device_id.replace('-', '')[:8]}"


def ensure_settings(store: Store) -> Settings:
    """Read the settings, creating the device id and inspector id on first start."""
    device_id = store.get_meta(META_DEVICE_ID)
    if not device_id:
        device_id = str(uuid.uuid4())
        store.set_meta(META_DEVICE_ID, device_id)
    inspector_id = store.get_meta(META_INSPECTOR_ID)
    if not inspector_id:
        inspector_id = default_inspector_id(device_id)
        store.set_meta(META_INSPECTOR_ID, inspector_id)
    enrolled = store.get_meta(phonebook.META_INSPECTOR)
    if enrolled and enrolled != inspector_id:
        # Enrolled (perhaps by `fieldapp sync enrol`, or the app stopped half-way through
        # `enrol_phone`): from now on events carry the enrolled inspector id.
        return adopt_enrolment(store)
    return Settings(device_id, inspector_id, store.get_meta(META_INSPECTOR_NAME, "") or "",
                    tuple(str(c) for c in _json_list(store, META_COMMUNITIES)), phonebook.role(store))


def _json_list(store: Store, key: str) -> list:
    try:
        value = json.loads(store.get_meta(key, "[]") or "[]")
    except (ValueError, TypeError):
        return []
    return value if isinstance(value, list) else []


def write_settings(store: Store, settings: Settings) -> Settings:
    """Store name and communities (the ids never change once made)."""
    store.set_meta(META_INSPECTOR_NAME, settings.inspector_name.strip())
    store.set_meta(META_COMMUNITIES, json.dumps(list(settings.communities)))
    return ensure_settings(store)


def local_actor(settings: Settings) -> str:
    """The actor id this phone's events carried before enrolment (sent to the office at enrolment)."""
    if is_local_actor(settings.inspector_id):
        return settings.inspector_id
    return default_inspector_id(settings.device_id)


def adopt_enrolment(store: Store) -> Settings:
    """Make the enrolled inspector the one new events name (and, the first time, take the
    enrolled communities, and the inspector id as the name if none was typed)."""
    book = phonebook.PhoneBook(store)
    creds = book.credentials()
    if not creds["inspector"]:
        return ensure_settings(store)
    with store.write():
        if store.get_meta(META_INSPECTOR_ID) != creds["inspector"]:
            store.set_meta(META_INSPECTOR_ID, creds["inspector"])
            store.set_meta(META_COMMUNITIES, json.dumps(list(creds["communities"])))
            if not (store.get_meta(META_INSPECTOR_NAME) or "").strip():
                store.set_meta(META_INSPECTOR_NAME, creds["inspector"])
    return ensure_settings(store)


def enrol_phone(store: Store, server_url: str, code: str, label: str = "", **kwargs: Any
                ) -> tuple[dict, Settings]:
    """Enrol this phone with a one-time code (sync.client.enrol), telling the office the
    actor id its events carried so far, then adopt the enrolled identity.

    Returns (what the office said, the new settings). Raises sync.channel.SyncError.
    """
    from sync.client import enrol

    settings = ensure_settings(store)
    info = enrol(store, server_url, code, label=label or settings.inspector_name,
                 local_actor=local_actor(settings), local_device=settings.device_id, **kwargs)
    return info, adopt_enrolment(store)


def sync_job(store: Store, photo_dir: Path, progress: Callable, manual: bool, *,
             transport: Any = None) -> Any:
    """One sync run on the sync thread: a SyncResult, or (an automatic run) `Skipped` without
    touching the network when there is nobody to talk to — not enrolled, or the last run since
    the enrolment was refused for the token (revoked stays revoked across restarts).

    An automatic run gives up a request after 3 tries (the schedule retries later); a run the
    user asked for keeps the client's 5. `transport`: tests wrap the real one (sync_kit)."""
    from sync.channel import RetryPolicy
    from sync.client import SyncClient

    kwargs: dict[str, Any] = {}
    if not manual:
        book = phonebook.PhoneBook(store)
        creds = book.credentials()
        if not creds["token"] or not creds["server_url"]:
            return Skipped("not_enrolled")
        last = book.last_run() or {}
        if last.get("stopped") in STOP_CODES and str(last.get("at", "")) >= (creds["enrolled_at"] or ""):
            return Skipped(str(last["stopped"]))
        kwargs["retry"] = RetryPolicy(attempts=3)
    return SyncClient(store, photo_dir, progress=progress, transport=transport, **kwargs).run()


class DataService:
    """Process-wide: where the data lives, the clock, the worker threads, the settings."""

    def __init__(self, data_dir: Path, rules: Rules, clock: Callable[[], datetime],
                 workers: int = 2):
        self.data_dir = Path(data_dir)
        self.db_path = self.data_dir / DB_NAME
        self.photo_dir = self.data_dir / PHOTO_DIR_NAME
        self.base_rules = rules  # what the app was started with: used when the clock says nothing
        self._book: Optional[tuple[tuple, RuleBook]] = None  # (rules folder stamp, book): see `book`
        self.clock = clock
        self._local = threading.local()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fieldapp-db")
        # Sync runs (minutes on a slow Wi-Fi) never hold up the screens' queries, and
        # two of them (two browser tabs) never overlap.
        self._sync_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fieldapp-sync")
        self._stores: list[Store] = []
        self._lock = threading.Lock()
        self._settings: Optional[Settings] = None
        self._autosync: Optional[AutoSync] = None
        self._sync_transport: Any = None  # tests: a wrapper around the real httpx transport

    # --- stores --------------------------------------------------------------

    def store(self) -> Store:
        """This thread's Store (opened on first use)."""
        store = getattr(self._local, "store", None)
        rules = self.rules
        if store is None:
            store = Store(self.db_path, rules)
            self._local.store = store
            with self._lock:
                self._stores.append(store)
        elif store.rules is not rules:  # the year turned, or the office's rules came at a sync
            store.rules, store.tz = rules, rules.tz
        return store

    # --- the rules of each year ---------------------------------------------------------

    @property
    def book(self) -> RuleBook:
        """Every year's rules this phone has: shipped, and the office's received at sync
        (``<data dir>/rules/<year>.toml``, read again when a sync wrote a file there)."""
        stamp = folder_stamp(self.data_dir)
        held = self._book
        if held is None or held[0] != stamp:
            book = RuleBook.load(self.data_dir, strict=False)
            if not book.has(self.base_rules.year):
                book = RuleBook({**book.by_year, self.base_rules.year: self.base_rules}, book.texts)
            held = self._book = (stamp, book)
        return held[1]

    def _now(self) -> Optional[datetime]:
        try:
            now = self.clock()
        except Exception:  # noqa: BLE001 - a test's placeholder clock
            return None
        return now if isinstance(now, datetime) else None

    @property
    def rules(self) -> Rules:
        """The rules new records are made under: the current year's, else (until the office's
        arrive) the nearest year's — `year_has_rules` says which."""
        now = self._now()
        return self.base_rules if now is None else self.book.fallback(now)

    @property
    def year(self) -> int:
        """The current assessment year (the clock's, local time)."""
        now = self._now()
        return self.base_rules.year if now is None else self.book.year_at(now)

    @property
    def year_has_rules(self) -> bool:
        """Whether this phone has the rules of the current year (else the screens say so)."""
        return self.book.has(self.year)

    def rules_for(self, when: datetime | int) -> Rules:
        """The rules of a case's registration year (a time, or the year); the nearest year's if
        that year has none."""
        book = self.book
        year = when if isinstance(when, int) else book.year_at(when)
        return book.nearest(year)

    def run_here(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``fn(store, *args, **kwargs)`` in this thread, with this thread's Store."""
        return fn(self.store(), *args, **kwargs)

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``fn(store, *args, **kwargs)`` in a worker thread; the UI loop stays free."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._pool, functools.partial(self.run_here, fn, *args, **kwargs))

    async def run_sync(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Like `run`, on the sync thread (its own Store; one sync job at a time)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._sync_pool, functools.partial(self.run_here, fn, *args, **kwargs))

    # --- sync runs ---------------------------------------------------------------

    @property
    def autosync(self) -> AutoSync:
        """The one way to run a sync (one at a time); automatic tries only after `start_autosync`."""
        with self._lock:
            if self._autosync is None:
                self._autosync = AutoSync(self._sync_job, Timing.from_env())
            return self._autosync

    def start_autosync(self, timing: Optional[Timing] = None, *, transport: Any = None) -> AutoSync:
        """Turn the automatic sync on (the app does at start). `timing`/`transport`: for tests."""
        auto = self.autosync
        if timing is not None:
            auto.retime(timing)
        if transport is not None:
            self._sync_transport = transport
        return auto.start()

    def _sync_job(self, progress: Callable, manual: bool) -> Any:
        """On the autosync thread: the run itself goes to the sync thread (after any enrolment)."""
        return self._sync_pool.submit(self.run_here, sync_job, self.photo_dir, progress, manual,
                                      transport=self._sync_transport).result()

    def _local_change(self) -> None:
        if self._autosync is not None:
            self._autosync.local_change()

    def close(self) -> None:
        if self._autosync is not None:
            self._autosync.close()
        self._pool.shutdown(wait=True)
        self._sync_pool.shutdown(wait=True)
        with self._lock:
            for store in self._stores:
                try:
                    store.close()
                except Exception:  # a store of a finished thread
                    pass
            self._stores.clear()

    # --- settings and who acts -------------------------------------------------

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = self.run_here(ensure_settings)
        return self._settings

    def remember_settings(self, settings: Settings) -> None:
        self._settings = settings

    def casework(self, store: Store) -> Casework:
        """The inspector's Casework on `store` (call inside a worker function); what it stores
        schedules an automatic sync."""
        return Casework(store, self.photo_dir, self.settings.actor, self.clock, on_write=self._local_change,
                        rules_for=self.rules_for)

    def with_settings(self, **changes: Any) -> Settings:
        return replace(self.settings, **changes)


def data_of(ctx) -> DataService:
    """`ctx.data`, or (view-only unit tests) one made for `ctx.data_dir` and kept in extras."""
    if ctx.data is not None:
        return ctx.data
    data = ctx.extras.get("data")
    if data is None:
        from fieldapp.rules import load_rules

        data = DataService(ctx.data_dir, load_rules(), ctx.clock)
        ctx.extras["data"] = data
    return data
