"""`Desk`: everything the dashboard's screens ask of the office, one per process.

Screens never touch SQLite or the scoreboards themselves; they call the Desk:

- **who** — `login`, `resume`, `logout` (fieldapp/office/users.py); login
  attempts are throttled per name;
- **reads** — `read(fn, *args)` runs ``fn(store, *args)`` on the sync server's
  reader threads; `snapshot()` is the rankings (live.py);
- **writes** — `write(token, build)` runs on the sync server's single writer
  thread: it resumes the session from the database, refuses a viewer or an
  expired/disabled account (`users.NotAllowed`), asks ``build(store, user)``
  for the events, and appends them with ``assign_server_seq=True`` — so phones
  pull them like any other office event. The check happens there, for every
  write, whatever the browser shows;
- **downloads** — `ticket(token, ...)` makes a single-use, short-lived ticket
  for a download route (the browser's download request carries no session).

After every write the rankings catch up at once; a ticker also catches up every
`POLL_SECONDS` with what phones (or a CLI import) stored, and tells the
sessions that subscribed.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import partial
from pathlib import Path
from typing import Awaitable, Callable

from fieldapp.domain.events import CaseRegistered, Event, Payload, new_id
from fieldapp.domain.projection import RECTIFIED
from fieldapp.domain.rules import Rules
from fieldapp.office import users
from fieldapp.office.dashboard.live import LiveBoard, Snapshot, open_store_factory
from fieldapp.office.imports import OFFICE_DEVICE, ImportReport, import_file
from fieldapp.office.records import KnownCase, RecordBuilder, RecordError, to_events
from fieldapp.rules import RuleBook
from fieldapp.store import ACCEPTED, DUPLICATE, AppendResult
from sync.outbox import import_outbox
from sync.storage import office_photo_dir

log = logging.getLogger("fieldapp.office.dashboard")

POLL_SECONDS = 0.5
TICKET_SECONDS = 120
LOGIN_FAILURES = users.ACCOUNT_FREE + 1  # from this many wrong passwords on, a name must wait (users.claim_attempt)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class LoginRefused(Exception):
    def __init__(self, code: str, wait: float = 0.0):
        super().__init__(code)
        self.code = code  # "bad_credentials" / "locked" (wait `wait` seconds before the next try)
        self.wait = wait


@dataclass(frozen=True)
class WriteOutcome:
    user: users.User
    results: tuple[AppendResult, ...]
    already: int = 0  # events whose id was stored before (the same record saved again): skipped
    conflicted: int = 0  # a case re-entered under its reference with other details: nothing saved

    @property
    def accepted(self) -> int:
        return sum(1 for r in self.results if r.status == ACCEPTED)

    @property
    def duplicates(self) -> int:
        return self.already + sum(1 for r in self.results if r.status == DUPLICATE)

    @property
    def conflicts(self) -> int:
        return self.conflicted + sum(1 for r in self.results if r.status not in (ACCEPTED, DUPLICATE))


class LocalOffice:
    """The part of sync.server.Office the Desk uses, for a Desk without the sync API (tests, tools)."""

    def __init__(self, data_dir: str | Path, rules: Rules):
        from sync.storage import open_office

        self.data_dir = Path(data_dir)
        self.rules = rules
        self._open = lambda: open_office(self.data_dir, rules)
        self._local = threading.local()
        self._stores: list = []
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="desk-write")
        self._readers = ThreadPoolExecutor(2, thread_name_prefix="desk-read")

    def _call(self, fn, *args):
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = self._open()
            self._stores.append(store)
        return fn(store, *args)

    async def read(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(self._readers, partial(self._call, fn, *args))

    async def write(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(self._writer, partial(self._call, fn, *args))

    def close(self) -> None:
        self._writer.shutdown(wait=True)
        self._readers.shutdown(wait=True)


def _differs(store, event: Event) -> bool:
    """A stored event of this id says something else (only a case registration can: its id is the case's)."""
    if not isinstance(event.data, CaseRegistered):
        return False  # same id = same content, but for the device clock: the same record saved again
    stored = next((e for e in store.case_events(event.case_id) if e.id == event.id), None)
    return stored is not None and stored.data != event.data


def known_case_lookup(store) -> Callable[[str], KnownCase | None]:
    def lookup(case_id: str) -> KnownCase | None:
        state = store.case(case_id)
        return None if state is None else KnownCase(state.case_id, state.source, state.found_at, state.community,
                                                    state.category, state.lifecycle == RECTIFIED)  # fmt: skip

    return lookup


class Desk:
    def __init__(self, office, rules: Rules, *, clock: Callable[[], datetime] = utc_now,
                 session_clock: Callable[[], datetime] = utc_now, poll_seconds: float = POLL_SECONDS):  # fmt: skip
        self.office = office
        self.rules = rules
        self.clock = clock  # the domain's "now" (FIELDAPP_NOW freezes it for tests)
        self.session_clock = session_clock  # real time: session expiry is security, not scoring
        self.data_dir = Path(office.data_dir)
        self.photo_dir = office_photo_dir(self.data_dir)
        self.live = LiveBoard(open_store_factory(self.data_dir, rules), rules, clock)
        # The rankings of other years, made when a session first switches to one (`board`).
        self.boards: dict[int, LiveBoard] = {rules.year: self.live}
        self._board_lock: asyncio.Lock | None = None
        self.poll_seconds = poll_seconds
        self._listeners: set[Callable[[], Awaitable[None]]] = set()
        self._notifying: set[asyncio.Task] = set()  # referenced until done (the loop keeps only weak refs)
        self._ticker: asyncio.Task | None = None
        self._started = False
        self._start_lock: asyncio.Lock | None = None
        self._tickets: dict[str, tuple] = {}
        self._stamp_lock = threading.Lock()
        self._last_stamp: datetime | None = None
        self.last_refresh_ms = 0.0

    # --- life ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Accounts schema, the first fold of the log, the ticker. Safe to call again."""
        if self._start_lock is None:
            self._start_lock = asyncio.Lock()
        async with self._start_lock:
            if self._started:
                return
            await self.office.write(users.ensure_schema)
            await asyncio.get_running_loop().run_in_executor(self.live.executor, self.live.load)
            log.info("dashboard: %d events folded in %.0f ms", self.live.timing.load_events, self.live.timing.load_ms)
            if self.poll_seconds:
                self._ticker = asyncio.get_running_loop().create_task(self._tick())
            self._started = True

    async def stop(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            try:
                await self._ticker
            except (asyncio.CancelledError, Exception):  # noqa: BLE001 - stopping
                pass
            self._ticker = None
        for board in self.boards.values():
            if board is not self.live:
                board.close()
        self.live.close()
        self._started = False

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(self.poll_seconds)
            try:
                await self.refresh()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - keep ticking; the next round retries
                log.warning("dashboard refresh failed: %s", type(exc).__name__)

    async def refresh(self) -> int:
        """Fold what arrived since the last refresh; tell the subscribers if anything did."""
        started = time.perf_counter()
        n = await asyncio.get_running_loop().run_in_executor(self.live.executor, self.live.catch_up)
        for board in [b for b in self.boards.values() if b is not self.live and b.loaded]:
            n = max(n, await asyncio.get_running_loop().run_in_executor(board.executor, board.catch_up))
        if n:
            await asyncio.get_running_loop().run_in_executor(self.live.executor, self.live.snapshot)
            self.last_refresh_ms = (time.perf_counter() - started) * 1000
            for listener in list(self._listeners):
                task = asyncio.get_running_loop().create_task(self._notify(listener))
                self._notifying.add(task)
                task.add_done_callback(self._notifying.discard)
        return n

    async def _notify(self, listener) -> None:
        try:
            await listener()
        except Exception as exc:  # noqa: BLE001 - a closed session must not stop the others
            log.debug("listener failed: %s", type(exc).__name__)
            self._listeners.discard(listener)

    def subscribe(self, listener: Callable[[], Awaitable[None]]) -> None:
        self._listeners.add(listener)

    def unsubscribe(self, listener) -> None:
        self._listeners.discard(listener)

    def snapshot(self, year: int | None = None) -> Snapshot:
        """The rankings of `year` (a board made by `board`), else of the Desk's own year."""
        board = self.boards.get(year) if year is not None else None
        return (board if board is not None and board.loaded else self.live).snapshot()

    # --- the years -------------------------------------------------------------------------

    @property
    def book(self) -> RuleBook:
        """Every year's rules the office has (its own files over the shipped ones)."""
        rule_book = getattr(self.office, "rule_book", None)
        if rule_book is not None:
            return rule_book()
        book = RuleBook.load(self.data_dir, strict=False)
        return book if book.has(self.rules.year) else RuleBook({**book.by_year, self.rules.year: self.rules}, {})

    @property
    def years(self) -> tuple[int, ...]:
        """The years the dashboard can show: those with rules."""
        return tuple(sorted(set(self.book.years) | {self.rules.year}))

    def rules_for(self, year: int | None) -> Rules:
        if year is None or year == self.rules.year:
            return self.rules
        return self.book.for_year(year)

    def current_year(self) -> int:
        return self.clock().astimezone(self.rules.tz).year

    def current_year_missing(self) -> bool:
        """The clock's year has no rules at the office: its cases are not scored (the screens say so)."""
        return self.current_year() not in self.years

    async def board(self, year: int) -> LiveBoard:
        """The rankings of `year`, folded from the log the first time a session asks (RulesError:
        no rules for that year); kept up to date by `refresh` like the Desk's own."""
        if self._board_lock is None:
            self._board_lock = asyncio.Lock()
        async with self._board_lock:
            board = self.boards.get(year)
            if board is None:
                rules = self.rules_for(year)
                board = LiveBoard(open_store_factory(self.data_dir, rules), rules, self.clock)
                self.boards[year] = board
            if not board.loaded:
                await asyncio.get_running_loop().run_in_executor(board.executor, board.load)
            return board

    # --- who ------------------------------------------------------------------------------

    async def login(self, username: str, password: str, address: str = "") -> tuple[users.User, str]:
        """Counted in office.db before the password is looked at (users.claim_attempt): parallel
        tries, and other processes, all count; past a few failures the account and the address
        must wait a growing delay (LoginRefused("locked", seconds)) — the real user is delayed,
        never shut out."""
        name = username.strip().lower()
        now = self.session_clock()
        wait = await self.office.write(users.claim_attempt, name, address, now)
        if wait > 0:
            raise LoginRefused("locked", wait)
        user, stale = await self.office.read(users.check_password, name, password)
        if user is None:
            await self.office.write(users.login_failed, name, address, now)
            raise LoginRefused("bad_credentials")
        await self.office.write(partial(users.login_succeeded, password=password if stale else None),
                                user, address, now)
        token = await self.office.write(users.start_session, user, now)
        log.info("dashboard: %s logged in (%s)", user.username, user.role)
        return user, token

    async def resume(self, token: str | None) -> users.User | None:
        if not token:
            return None
        return await self.office.write(users.resume_session, token, self.session_clock())

    async def check(self, token: str | None) -> bool:
        """Whether the session is still live, without counting as use (a background refresh)."""
        if not token:
            return False
        user = await self.office.read(partial(users.resume_session, touch=False), token, self.session_clock())
        return user is not None

    async def logout(self, token: str | None) -> None:
        if token:
            await self.office.write(users.end_session, token, self.session_clock())

    # --- reads ------------------------------------------------------------------------------

    async def read(self, fn, *args):
        return await self.office.read(fn, *args)

    # --- writes ------------------------------------------------------------------------------

    def stamp(self) -> datetime:
        """The domain clock, strictly increasing within this process (a frozen test clock too),
        so that of two entries of the same month the later one is later."""
        with self._stamp_lock:
            now = self.clock()
            if self._last_stamp is not None and now <= self._last_stamp:
                now = self._last_stamp + timedelta(milliseconds=1)
            self._last_stamp = now
            return now

    async def write(self, token: str | None, build: Callable[[object, users.User], list[Event]]) -> WriteOutcome:
        """Check the session and role on the writer thread, then append what `build` makes."""
        session_now = self.session_clock()

        def guarded(store):
            user = users.require_writer(users.resume_session(store, token, session_now))
            new, already, conflicted = [], 0, 0
            for event in build(store, user):
                if not store.has_event(event.id):
                    new.append(event)
                elif _differs(store, event):
                    conflicted += 1
                else:
                    already += 1
            if conflicted:
                return WriteOutcome(user, (), already, conflicted)
            results = store.append(new, assign_server_seq=True) if new else []
            return WriteOutcome(user, tuple(results), already)

        outcome = await self.office.write(guarded)
        if outcome.accepted:
            self._committed(max(r.seq for r in outcome.results if r.status == ACCEPTED))
            await self.refresh()
        return outcome

    async def enrolment(self, token: str | None, name: str, communities: list[str], role: str):
        """A one-time code for a phone, made by an admin (checked on the writer thread, like every
        write): (code, expires, the QR code's text, the fingerprint phones will pin or "")."""
        from sync import auth, enrolqr

        session_now = self.session_clock()

        def make(store):
            user = users.require_writer(users.resume_session(store, token, session_now))
            if user.role != users.ADMIN:
                raise users.NotAllowed("admin_only", "only admins enrol phones")
            return auth.create_code(store, name, communities, role=role)

        code, expires = await self.office.write(make)
        office = self.office
        url = getattr(office, "serving_url", None) or ""
        fingerprint = ""
        if getattr(office, "pin_pem", None):
            from sync.tls import fingerprint as fp

            fingerprint = fp(office.pin_pem)
        if not url or not fingerprint:  # what `office serve` noted: its address and certificate
            from sync.tls import serving

            noted = serving(self.data_dir)
            url = url or noted.get("url", "")
            fingerprint = fingerprint or (noted.get("fingerprint", "") if url.startswith("https://") else "")
        return code, expires, enrolqr.payload(url, code, fingerprint), fingerprint

    def _committed(self, top_seq: int) -> None:
        identity = getattr(self.office, "identity", None)
        if identity is not None:  # the sync server's restore detector: keep its high-water mark
            identity.committed(top_seq)

    def builder(self, store) -> RecordBuilder:
        return RecordBuilder(self.rules, self.clock(), known_case_lookup(store))

    def record_events(self, store, user: users.User, records: list[dict], *, fresh: bool = False) -> list[Event]:
        """Events for office records (the import's own checks and words; RecordError if one is bad).

        `fresh`: new ids (a superior score or a roster replaces the earlier one: typing
        back an earlier value must count again); else the import's deterministic ids,
        so the same tally, assessment or bonus saved twice is stored once.
        """
        builder = self.builder(store)
        builder.declare_cases(records)
        payloads: list[Payload] = []
        for record in records:
            payloads.extend(builder.build(record))
        return self.events_for(user, payloads, fresh=fresh)

    def events_for(self, user: users.User, payloads: list[Payload], *, fresh: bool = False) -> list[Event]:
        now = self.stamp()
        if not fresh:
            return to_events(payloads, actor=user.actor, device=OFFICE_DEVICE, now=now)
        out = []
        for i, payload in enumerate(payloads):
            event = Event(new_id(), payload, user.actor, OFFICE_DEVICE, now + timedelta(microseconds=i))
            out.append(Event.from_dict(event.to_dict()))
        return out

    async def import_upload(self, token: str | None, filename: str, data: bytes) -> ImportReport:
        """Import an uploaded file (all or nothing), as the session's user."""
        import tempfile

        suffix = Path(filename).suffix.lower() or ".xlsx"
        session_now = self.session_clock()
        now = self.stamp()

        def guarded(store):
            user = users.require_writer(users.resume_session(store, token, session_now))
            with tempfile.TemporaryDirectory(prefix="fieldapp-import-") as tmp:
                path = Path(tmp) / f"upload{suffix}"
                path.write_bytes(data)
                report = import_file(store, path, actor=user.actor, now=now)
            report.file = Path(filename).name
            top = store.db.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0]
            return report, top

        report, top = await self.office.write(guarded)
        if report.new:
            self._committed(top)
            await self.refresh()
        return report

    async def import_outbox_upload(self, token: str | None, data: bytes):
        """Take a phone's outbox file (sync/outbox.py) as the session's user: exactly as its sync would."""
        session_now = self.session_clock()

        def guarded(store):
            users.require_writer(users.resume_session(store, token, session_now))
            result = import_outbox(self.data_dir, store, data)
            return result, store.db.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0]

        result, top = await self.office.write(guarded)
        if result.accepted:
            self._committed(top)
            await self.refresh()
        return result

    # --- download tickets --------------------------------------------------------------------------

    def ticket(self, token: str, kind: str, **params) -> str:
        """A single-use ticket for a download, good for TICKET_SECONDS."""
        now = time.monotonic()
        for key in [k for k, v in self._tickets.items() if v[3] < now]:
            self._tickets.pop(key, None)
        ticket = secrets.token_urlsafe(24)
        self._tickets[ticket] = (token, kind, params, now + TICKET_SECONDS)
        return ticket

    async def redeem(self, ticket: str, kind: str) -> tuple[users.User, dict] | None:
        """The user and parameters of a live ticket of this kind (used up), else None."""
        held = self._tickets.pop(ticket or "", None)
        if held is None:
            return None
        token, held_kind, params, expires = held
        if held_kind != kind or time.monotonic() > expires:
            return None
        user = await self.office.read(partial(users.resume_session, touch=False), token, self.session_clock())
        return (user, params) if user is not None else None


__all__ = ["Desk", "LocalOffice", "LoginRefused", "RecordError", "WriteOutcome", "utc_now"]
