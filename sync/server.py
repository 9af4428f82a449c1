"""The office's sync API (FastAPI) under /api/v1, and `serve()` to run it with uvicorn.

`create_app(data_dir, rules)` returns a FastAPI app whose routes all live under
/api/v1, so the office dashboard can be mounted at "/" of the same app (mount it
after creating the app: routes registered first match first).

Threads: SQLite work runs off the event loop, writes on one dedicated writer
thread (the datasette pattern: no lock contention between our own writers) and
reads on a small pool, each thread with its own Store. Request bodies are read
raw, with hard limits, so a malformed or oversized body gets our own JSON error
rather than a framework one.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Callable

from fastapi import FastAPI, Request
from fastapi import Path as PathParam
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from fieldapp.domain.rules import Rules
from fieldapp.photos import sweep_temp_files
from fieldapp.rules import RuleBook, folder_stamp
from fieldapp.store import Store
from sync import auth, policy
from sync.people import directory as people_directory
from sync import protocol as p
from sync import storage
from sync.blobs import BlobStore
from sync.intake import take_events

log = logging.getLogger("fieldapp.sync.server")

MAX_SQLITE_INT = 2**63 - 1
INLINE_FINISH_BYTES = 4 * 1024 * 1024  # a bigger photo's fsync always goes to a file thread
DRAIN_CAP = 1024 * 1024  # past this a refused body is not read to its end: the answer closes the connection
ENROL_TRIES = 10  # failed enrolment attempts per client address ...
ENROL_WINDOW = 60.0  # ... per this many seconds (then 429 too_many_requests, Retry-After)
SWEEP_EVERY = 3600.0  # seconds between looks for unnamed uploads past their grace period
PHOTO_GRACE_DAYS = 7.0  # an upload no event names is removed this long after it came
# FIELDAPP_PUSH_GROUP=0: one transaction per push, as before group commit (bench/sync_load.py --baseline)
GROUP_PUSHES = os.environ.get("FIELDAPP_PUSH_GROUP", "1") != "0"
# A group's pushes are answered together when it commits: bound it, so the first push of fifty
# does not wait for the other forty-nine's work (the work is CPU, ~0.6 ms an event; the fsync saved
# per push is a few ms).
GROUP_EVENTS = 600
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_INNERMOST = re.compile(rb"\[\]|\{\}")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


class ApiError(Exception):
    def __init__(self, code: str, message: str = "", *, close: bool = False, headers: dict | None = None):
        super().__init__(message or code)
        self.code = code
        self.status = p.SERVER_ERRORS[code]
        self.message = message or code
        self.close = close  # the body was not read to its end: end the connection with the answer
        self.headers = headers or {}


def reply(body: dict, status: int = 200, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"protocol": p.MARKER, **body}, status_code=status,
                        headers={p.MARKER_HEADER: "1", **(headers or {})})


class RateLimit:
    """At most `tries` failures per `window` seconds per key (a client address); on the event loop only."""

    def __init__(self, tries: int = ENROL_TRIES, window: float = ENROL_WINDOW, clock=time.monotonic):
        self.tries, self.window, self.clock = tries, window, clock
        self._seen: dict[str, deque] = {}

    def wait(self, key: str) -> float:
        """0 if a try is allowed now, else the seconds until one is."""
        now = self.clock()
        seen = self._seen.get(key)
        if seen is None:
            if len(self._seen) > 10_000:  # forget the quiet ones, never the busy ones
                self._seen = {k: v for k, v in self._seen.items() if v and v[-1] > now - self.window}
            seen = self._seen[key] = deque()
        while seen and seen[0] <= now - self.window:
            seen.popleft()
        if len(seen) >= self.tries:
            return seen[0] + self.window - now
        return 0.0

    def failed(self, key: str) -> None:
        self.wait(key)  # drops what is out of the window
        self._seen[key].append(self.clock())


class Office:
    """The office's data dir as the API sees it: stores per thread, blobs, server identity."""

    def __init__(self, data_dir: str | Path, rules: Rules, limits: p.Limits, clock: Callable[[], datetime],
                 durable: bool = True, pin_pem: str | None = None, photo_grace_days: float = PHOTO_GRACE_DAYS):
        self.data_dir = Path(data_dir)
        self.pin_pem = pin_pem  # the certificate phones pin (GET /tls), None when serving plain HTTP
        self.photo_grace_days = photo_grace_days
        self.enrol_limit = RateLimit()
        self._uploads_pending: deque = deque()  # (sha, device, size, at): recorded by the writer
        self._flush_lock = threading.Lock()
        self._pushes: deque = deque()  # (device, events, future, loop): committed together
        self._push_lock = threading.Lock()
        self._push_scheduled = False
        self.rules = rules
        self.limits = limits
        self.clock = clock
        self.durable = durable
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.identity = storage.ServerIdentity(self.data_dir)
        with storage.open_office(self.data_dir, rules, durable=durable) as store:
            server_id, rotated = self.identity.start(store)
        if rotated:
            log.warning("office db is older than the last one served: new server id %s", server_id)
        self._local = threading.local()
        self._book: tuple[tuple, RuleBook] | None = None  # (folder stamp, book): see rule_book()
        self.uploads = 0  # photo uploads in progress (counted on the event loop)
        self._auth_cache: dict[str, auth.Device] = {}  # only ever used on the event loop's thread
        self._auth_version = -1
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="sync-write")
        self._readers = ThreadPoolExecutor(4, thread_name_prefix="sync-read")
        self._files = ThreadPoolExecutor(4, thread_name_prefix="sync-files")  # fsyncs off the event loop
        self.blobs = BlobStore(storage.office_photo_dir(self.data_dir), executor=self._files)
        removed = self.blobs.clear_incoming()
        if removed:
            log.info("removed %d unfinished uploads", removed)
        # Photos the office wrote itself (imports, the sample) go through fieldapp.photos' temp files.
        swept = sweep_temp_files(self.blobs.photo_dir)
        if swept:
            log.info("removed %d unfinished photo files", swept)

    @property
    def server_id(self) -> str:
        return self.identity.server_id

    def rule_book(self) -> RuleBook:
        """Every year's rules the office has (shipped, and its own ``rules/<year>.toml``), read
        again when a file in its rules folder changed (`fieldapp office rules new` while serving);
        a broken file is left out (`office serve` refuses to start with one)."""
        stamp = folder_stamp(self.data_dir)
        held = self._book
        if held is None or held[0] != stamp:
            held = self._book = (stamp, RuleBook.load(self.data_dir, strict=False))
        return held[1]

    def _store(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = storage.open_office(self.data_dir, self.rules, durable=self.durable)
        return store

    def _call(self, fn, *args):
        return fn(self._store(), *args)

    async def read(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(self._readers, partial(self._call, fn, *args))

    def read_now(self, fn, *args):
        """A short read on the calling (event loop) thread's own Store."""
        return self._call(fn, *args)

    def authenticate(self, token: str) -> tuple[auth.Device | None, str | None]:
        """auth.authenticate on the event loop's Store, with the live devices remembered until the
        database changes: SQLite's data_version moves on every commit by any other connection or
        process (a revoke from the command line, an enrolment, our own writer thread), so a
        remembered answer is never older than the last commit. Runs for every photo upload."""
        store = self._store()
        version = store.db.execute("PRAGMA data_version").fetchone()[0]
        if version != self._auth_version:
            self._auth_cache.clear()
            self._auth_version = version
        known = self._auth_cache.get(token)
        if known is not None:
            return known, None
        device, error = auth.authenticate(store, token)
        if device is not None and len(self._auth_cache) < 10_000:
            self._auth_cache[token] = device
        return device, error

    async def write(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(self._writer, partial(self._call, fn, *args))

    async def file_work(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(self._files, partial(fn, *args))

    def later(self, fn, *args) -> None:
        """A write nobody waits for (queued behind the others on the writer thread)."""
        self._writer.submit(self._call, fn, *args)

    def close(self) -> None:
        # A sqlite connection belongs to its thread: the pools' Stores close as their threads end,
        # the calling (event loop) thread's one here.
        store = getattr(self._local, "store", None)
        if store is not None:
            store.close()
            self._local.store = None
        self._writer.shutdown(wait=True)
        self._readers.shutdown(wait=True)
        self._files.shutdown(wait=True)
        self.blobs.close()
        self.blobs.sync_dirs()

    # --- work done on the store threads -------------------------------------------------

    def uploaded(self, sha256: str, device_id: str, size: int) -> None:
        """A device's upload, recorded on the writer with the next push (or on its own soon)."""
        with self._flush_lock:
            self._uploads_pending.append((sha256, device_id, size, storage.iso(self.clock())))
            first = len(self._uploads_pending) == 1
        if first:
            self.later(self._flush_uploads)

    def _flush_uploads(self, store: Store) -> None:
        with self._flush_lock:
            batch = list(self._uploads_pending)  # still counted (pending_upload_bytes) until committed
        if batch:
            # Not fsynced: the renames of these photos are not durable either until a push naming
            # them makes them so (BlobStore.sync_dirs) and commits with an fsync, which takes these
            # records along (WAL). Fifty phones uploading keep this running back to back.
            with store.write(fsync=False):
                storage.record_uploads(store, batch)
            with self._flush_lock:
                for _ in batch:
                    self._uploads_pending.popleft()
                more = bool(self._uploads_pending)  # came while this batch was written: another round
            if more:
                self.later(self._flush_uploads)

    def pending_uploads(self, device_id: str) -> set[str]:
        """The photos this device uploaded that are not recorded yet (they are its own all the same)."""
        with self._flush_lock:
            return {sha for sha, dev, _, _ in self._uploads_pending if dev == device_id}

    def pending_upload_bytes(self, device_id: str) -> int:
        """Uploads not yet in the database (a quota check adds them to what it reads there); an
        upload counted twice for a moment, never none."""
        with self._flush_lock:
            return sum(size for _, dev, size, _ in self._uploads_pending if dev == device_id)

    async def push_events(self, device: auth.Device, raw_events: list) -> list[dict]:
        """Take a push with whatever other pushes wait for the writer, in one transaction (group
        commit): 50 phones pushing at once wait for a few commits, not for 50 one after another."""
        if not GROUP_PUSHES:
            return await self.write(self._push_alone, device, raw_events)
        self.blobs.sync_dirs_soon()  # the photos these events name, made durable while the push waits
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        with self._push_lock:
            self._pushes.append((device, raw_events, future, loop))
            schedule = not self._push_scheduled
            self._push_scheduled = True
        if schedule:
            self._writer.submit(self._call, self._push_group)
        return await future

    def _push_group(self, store: Store) -> None:
        with self._push_lock:
            group, size = [], 0
            while self._pushes and (not group or size + len(self._pushes[0][1]) <= GROUP_EVENTS):
                group.append(self._pushes.popleft())
                size += len(group[-1][1])
            self._push_scheduled = bool(self._pushes)
            if self._pushes:  # the rest in the next group, behind whatever else waits for the writer
                self._writer.submit(self._call, self._push_group)
        done: list[tuple] = []
        try:
            with store.write():  # each push a savepoint inside: a failing one is rolled back alone
                self._flush_uploads(store)
                for device, raw_events, future, loop in group:
                    try:
                        done.append((future, loop, self.push(store, device, raw_events, _at_commit), None))
                    except Exception as exc:  # reported to that phone as a 500 (logged by the handler)
                        done.append((future, loop, None, exc))
                top = storage.max_seq(store)
                # The photos the group's events name are durable before they are.
                self.blobs.sync_dirs(sha for _, raw_events, _, _ in group for raw in raw_events
                                     for sha in p.photo_hashes(raw))
        except Exception as exc:  # the commit itself failed: nothing of the group is stored
            done = [(future, loop, None, exc) for _, _, future, loop in group]
        else:
            self.identity.committed(top)
        for future, loop, results, exc in done:
            loop.call_soon_threadsafe(_settle, future, results, exc)

    def _push_alone(self, store: Store, device: auth.Device, raw_events: list) -> list[dict]:
        self._flush_uploads(store)
        results = self.push(store, device, raw_events, self.blobs.sync_dirs)
        self.identity.committed(storage.max_seq(store))
        return results

    def push(self, store: Store, device: auth.Device, raw_events: list,
             sync_dirs: Callable[[], None]) -> list[dict]:
        results, top = take_events(store, device, raw_events, self.blobs.has, sync_dirs)
        return results

    def sweep(self, store: Store) -> tuple[int, int]:
        self._flush_uploads(store)
        photos, size = storage.sweep_unnamed(store, self.blobs, self.photo_grace_days, self.clock())
        if photos:
            log.info("removed %d uploaded photos (%.1f MB) no event named within %g days",
                     photos, size / 1e6, self.photo_grace_days)
        return photos, size


def _at_commit() -> None:
    """A group's pushes make their photos durable together, before the group commits."""


def _settle(future: asyncio.Future, results, exc) -> None:
    if future.cancelled():
        return
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(results)


# --- request helpers ----------------------------------------------------------------------


async def drain(request: Request) -> bool:
    """Read what is left of a body before answering early, so a client still sending sees our
    error rather than a reset connection — at most DRAIN_CAP bytes: True if it all came, False
    if more was left (then the answer must close the connection: `ApiError(close=True)`)."""
    seen = 0
    try:
        async for chunk in request.stream():
            seen += len(chunk)
            if seen > DRAIN_CAP:
                return False
    except (ClientDisconnect, RuntimeError):  # gone, or the body was read already
        pass
    return True


def _declared(request: Request) -> int | None:
    value = request.headers.get("content-length")
    return int(value) if value is not None and value.isdigit() else None


async def refuse(request: Request, code: str, message: str) -> ApiError:
    """The error to raise before the body was read: a declared body bigger than DRAIN_CAP is not
    read at all (the answer closes the connection), a smaller one is drained."""
    declared = _declared(request)
    if declared is not None and declared > DRAIN_CAP:
        return ApiError(code, message, close=True)
    return ApiError(code, message, close=not await drain(request))


async def read_body(request: Request, limit: int) -> bytes:
    declared = _declared(request)
    if declared is not None and declared > limit:  # refused unread: the limit holds before any work
        raise ApiError("too_large", f"body of {declared} bytes; the limit is {limit}", close=True)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:  # the limit holds while reading: never more than `limit` kept
            raise ApiError("too_large", f"body over {limit} bytes", close=not await drain(request))
        chunks.append(chunk)
    return b"".join(chunks)


def json_depth_ok(body: bytes, limit: int = p.MAX_JSON_DEPTH) -> bool:
    """Whether no array or object in `body` is nested deeper than `limit` (strings skipped),
    found without parsing: each pass drops the innermost pairs (one level), in C, so a body
    is done in at most `limit` passes whatever its size. Brackets that do not pair also fail (and would
    not parse)."""
    brackets = _JSON_STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    for _ in range(limit):
        if not brackets:
            return True
        shorter = _INNERMOST.sub(b"", brackets)
        if len(shorter) == len(brackets):
            return False
        brackets = shorter
    return not brackets


def parse_json(body: bytes) -> object:
    """A request body as JSON, nested at most MAX_JSON_DEPTH deep (400 `too_deep`): nothing in it
    reaches any other code (Event.from_dict, hashing, storing) unless it is that shallow."""
    shallow = json_depth_ok(body)
    try:
        data = json.loads(body)  # only to say why, when too deep: the parser's recursion is bounded
    except RecursionError:
        shallow = False
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError("malformed_json", f"not valid JSON: {exc}") from None
    if not shallow:
        raise ApiError("too_deep", f"JSON nested deeper than {p.MAX_JSON_DEPTH} levels")
    return data


def json_body(schema: dict) -> dict:
    """openapi_extra for a route that reads its JSON body itself (so the schema still says what it takes)."""
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def request_schemas(limits: p.Limits) -> dict[str, dict]:
    """What each route takes, for the app's OpenAPI document (/api/v1/openapi.json).

    Documentation only: the routes check their bodies themselves and answer with our
    JSON errors (tests/sync/test_sync_fuzz.py generates requests from these schemas).
    """
    event = {
        "type": "object",
        "required": ["id", "type", "subject", "payload", "actor", "device", "recorded_at"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "type": {"type": "string", "enum": ["case.registered", "photo.added", "case.rechecked",
                                                "case.sighted", "survey.answered"]},
            "subject": {"type": "string"},
            "payload": {"type": "object"},
            "actor": {"type": "string", "maxLength": 64},
            "device": {"type": "string", "maxLength": 64},
            "recorded_at": {"type": "string", "format": "date-time"},
        },
    }
    sha = {"type": "string", "pattern": p.SHA256_RE.pattern}
    return {
        "enrol": {"type": "object", "required": ["code"], "properties": {
            "code": {"type": "string", "maxLength": 20},
            "label": {"type": "string", "maxLength": 64},
            "nonce": {"type": "string", "maxLength": 200},
            "local_actor": {"type": "string", "pattern": p.LOCAL_ACTOR_RE.pattern},
            "local_device": {"type": "string", "maxLength": 64},
        }},
        "missing": {"type": "object", "required": ["sha256"], "properties": {
            "sha256": {"type": "array", "items": sha, "maxItems": limits.max_missing_query}}},
        "events": {"type": "object", "required": ["events"], "properties": {
            "events": {"type": "array", "items": event, "maxItems": limits.max_events_per_push}}},
        "blob": {"type": "string", "format": "binary", "maxLength": limits.max_blob_bytes},
    }


def bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


# --- the app -------------------------------------------------------------------------------


def create_app(data_dir: str | Path, rules: Rules, *, limits: p.Limits | None = None,
               clock: Callable[[], datetime] = storage.utc_now, durable: bool = True,
               pin_pem: str | None = None, photo_grace_days: float = PHOTO_GRACE_DAYS) -> FastAPI:
    """The sync API over the office data dir (office.db + photos/). Others may mount more at "/".

    `pin_pem`: the certificate phones pin when the office serves TLS (answered at GET /tls);
    `photo_grace_days`: how long an upload no event names is kept (then removed and counted)."""
    office = Office(data_dir, rules, limits or p.Limits(), clock, durable, pin_pem, photo_grace_days)

    async def sweeping():
        while True:
            try:
                await office.write(office.sweep)
            except Exception as exc:  # a full disk, a locked db: next time
                log.warning("sweeping unnamed uploads failed: %s", type(exc).__name__)
            await asyncio.sleep(SWEEP_EVERY)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        sweeper = asyncio.get_running_loop().create_task(sweeping())
        try:
            yield
        finally:
            sweeper.cancel()
            office.close()  # when mounted inside another app, that app must call app.state.office.close()

    app = FastAPI(title="fieldapp office sync", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=f"{p.API_PREFIX}/openapi.json")
    app.state.office = office
    api = p.API_PREFIX
    schemas = request_schemas(office.limits)
    pull_params = {"parameters": [
        {"name": "since", "in": "query", "required": False,
         "schema": {"type": "integer", "minimum": 0, "default": 0}},
        {"name": "limit", "in": "query", "required": False,
         "schema": {"type": "integer", "minimum": 1, "maximum": office.limits.max_pull_limit}},
    ]}

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError):
        headers = {**exc.headers, **({"Connection": "close"} if exc.close else {})}
        return reply(p.error_body(exc.code, exc.message), exc.status, headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith(api + "/"):
            code = "method_not_allowed" if exc.status_code == 405 else "not_found"
            error = await refuse(request, code, str(exc.detail))
            return await api_error(request, error)
        return await http_exception_handler(request, exc)

    @app.exception_handler(ClientDisconnect)
    async def gone(request: Request, exc: ClientDisconnect):
        return JSONResponse({}, status_code=400)  # nobody is listening; nothing to log

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception):
        log.error("sync request %s %s failed: %s", request.method, request.url.path, type(exc).__name__)
        return reply(p.error_body("server_error", "internal error"), 500)

    async def device_of(request: Request) -> auth.Device:
        # On the loop's own Store, no thread hop: one indexed read (remembered until the next
        # commit), and WAL readers never wait for writers. It runs on every photo upload.
        device, error = office.authenticate(bearer(request))
        if device is None:
            raise await refuse(request, error, "this device may not sync")
        return device

    @app.get(api + "/tls")
    async def tls_certificate(request: Request):
        # Public (no token): the certificate phones pin. What makes it safe to fetch without
        # checking is the fingerprint in the enrolment QR code the phone compares it with.
        if office.pin_pem is None:
            raise ApiError("not_found", "this office serves plain HTTP (--insecure-http)")
        return reply({"certificate": office.pin_pem})

    @app.get(api + "/hello")
    async def hello(request: Request):
        device = await device_of(request)
        office.later(auth.touch, device.device_id)  # "last seen" is not worth a wait
        top = await office.read(storage.max_seq)
        people = await office.read(people_directory)  # actor id → name: phones show names (sync/people.py)
        return reply({
            "version": p.VERSION,
            "server_id": office.server_id,
            "server_time": storage.iso(office.clock()),
            "people": people,
            "max_seq": top,
            "limits": office.limits.to_dict(),
            "rules_digest": office.rule_book().digest,
            "device": {"device_id": device.device_id, "inspector": device.inspector,
                       "communities": list(device.communities), "local_actor": device.local_actor,
                       "role": device.role},
        })

    @app.post(api + "/enrol", openapi_extra=json_body(schemas["enrol"]))
    async def enrol(request: Request):
        # Per client address, on the event loop: guessing codes costs no database work at all.
        address = request.client.host if request.client else "?"
        wait = office.enrol_limit.wait(address)  # failed tries only: fifty phones enrolled at once pass
        if wait:
            error = await refuse(request, "too_many_requests", f"too many enrolment attempts; try again in "
                                 f"{wait:.0f} s")
            error.headers["Retry-After"] = str(max(1, round(wait)))
            raise error
        data = parse_json(await read_body(request, 4096))
        code = data.get("code") if isinstance(data, dict) else None
        if not isinstance(code, str):
            raise ApiError("invalid_body", "expected {code, label}")
        def text(key: str) -> str:
            return data[key] if isinstance(data.get(key), str) else ""

        if not await office.read(auth.code_exists, code):  # a wrong code never takes the writer
            office.enrol_limit.failed(address)
            raise ApiError("enrol_code_invalid", "unknown enrolment code")
        try:
            device, token = await office.write(partial(
                auth.redeem_code, code=code, label=text("label"), nonce=text("nonce")[:200],
                local_actor=text("local_actor") or None, local_device=text("local_device") or None))
        except auth.EnrolError as exc:
            office.enrol_limit.failed(address)
            raise ApiError(exc.code, str(exc)) from None
        log.info("enrolled device %s for %s (%s)", device.device_id, device.inspector, device.role)
        return reply({"device_id": device.device_id, "token": token, "inspector": device.inspector,
                      "communities": list(device.communities), "role": device.role,
                      "server_id": office.server_id, "local_actor": device.local_actor}, 201)

    @app.post(api + "/blobs/missing", openapi_extra=json_body(schemas["missing"]))
    async def blobs_missing(request: Request):
        device = await device_of(request)
        data = parse_json(await read_body(request, office.limits.max_missing_query * 80 + 1024))
        hashes = data.get("sha256") if isinstance(data, dict) else None
        if not isinstance(hashes, list):
            raise ApiError("invalid_body", "expected {sha256: [...]}")
        if len(hashes) > office.limits.max_missing_query:
            raise ApiError("too_large", f"at most {office.limits.max_missing_query} hashes per query")
        if not all(p.is_sha256(h) for h in hashes):
            raise ApiError("bad_sha256", "every hash must be 64 lowercase hex digits")
        # Only photos this device uploaded or may see count as "on the office": for any other the
        # answer is "missing", as if the office lacked it — so nobody learns which photos it holds,
        # and a phone names a photo only after uploading its bytes (policy.photo_usable).
        def lacking(store: Store) -> list[str]:
            usable = policy.photo_rule(store, device, office.blobs.has, hashes,
                                       office.pending_uploads(device.device_id))
            return [h for h in dict.fromkeys(hashes) if not usable(h)]

        return reply({"missing": await office.read(lacking)})

    @app.put(api + "/blobs/{sha256}", openapi_extra={"requestBody": {"required": True, "content": {
        "application/octet-stream": {"schema": schemas["blob"]}}}})
    async def put_blob(request: Request,
                       sha256: str = PathParam(json_schema_extra={"pattern": p.SHA256_RE.pattern})):
        device = await device_of(request)
        if not p.is_sha256(sha256):  # also what keeps a name like "../x" out of the file system
            raise await refuse(request, "bad_sha256", "a photo is named by its 64-hex-digit SHA-256")
        limit = office.limits.max_blob_bytes
        declared = _declared(request)
        if declared is not None and declared > limit:
            raise ApiError("too_large", f"photo of {declared} bytes; the limit is {limit}", close=True)
        quota = office.limits.max_unnamed_bytes
        held = office.read_now(storage.unnamed_bytes, device.device_id) + office.pending_upload_bytes(device.device_id)
        if held + (declared or 0) > quota:
            raise await refuse(request, "upload_quota", f"{held} bytes of this device's photos wait for an event "
                               f"naming them; at most {quota}: push those events first")
        upload = office.blobs.upload()
        office.uploads += 1
        try:
            async for chunk in request.stream():
                if upload.size + len(chunk) > limit:
                    upload.discard()
                    raise ApiError("too_large", f"photo over {limit} bytes", close=not await drain(request))
                upload.write(chunk)
            size = upload.size
            # fsync + rename: alone (one phone syncing) right here, since a hop to a thread and back
            # costs ~0.5 ms, a quarter of an upload; with others uploading too, on the file threads,
            # so their fsyncs run side by side and the loop keeps serving.
            if office.uploads == 1 and size <= INLINE_FINISH_BYTES:
                stored = upload.finish(sha256)
            else:
                stored = await office.file_work(upload.finish, sha256)
            if not stored:
                raise ApiError("hash_mismatch", "the bytes do not hash to the name they were sent under")
        except ClientDisconnect:
            return JSONResponse({}, status_code=400)  # nobody is listening; the temp file is gone
        finally:
            office.uploads -= 1
            upload.discard()
        office.uploaded(sha256, device.device_id, size)
        return reply({"sha256": sha256, "size": size, "stored": True}, 201)

    @app.get(api + "/blobs/{sha256}", response_class=Response, responses={
        200: {"description": "the photo's bytes (they hash to its name)",
              "content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}}},
        404: {"description": "no such photo, or not one this device may see (the same answer)"}})
    async def get_blob(request: Request,
                       sha256: str = PathParam(json_schema_extra={"pattern": p.SHA256_RE.pattern})):
        device = await device_of(request)
        if not p.is_sha256(sha256):  # also what keeps a name like "../x" out of the file system
            raise ApiError("bad_sha256", "a photo is named by its 64-hex-digit SHA-256")
        # Only a photo an event of the device's communities names; "no such photo" and "not
        # yours" get the same answer, so nobody learns which photos the office holds.
        data = None
        if await office.read(policy.photo_visible, device, sha256):
            data = await office.file_work(office.blobs.read, sha256)
        if data is None:
            raise ApiError("not_found", "no such photo")
        etag = f'"{sha256}"'  # the content's own hash: the bytes under a name never change
        headers = {p.MARKER_HEADER: "1", "ETag": etag, "Cache-Control": "private, max-age=31536000, immutable"}
        if etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        return Response(data, media_type="image/jpeg", headers=headers)

    @app.post(api + "/events", openapi_extra=json_body(schemas["events"]))
    async def push_events(request: Request):
        device = await device_of(request)
        data = parse_json(await read_body(request, office.limits.max_body_bytes))
        events = data.get("events") if isinstance(data, dict) else None
        if not isinstance(events, list):
            raise ApiError("invalid_body", "expected {events: [...]}")
        if len(events) > office.limits.max_events_per_push:
            raise ApiError("too_many_events", f"at most {office.limits.max_events_per_push} events per push")
        started = time.perf_counter()
        results = await office.push_events(device, events)
        took = (time.perf_counter() - started) * 1000  # the wait for the writer and the work: bench/sync_load.py
        return reply({"results": results}, headers={"Server-Timing": f"push;dur={took:.1f}"})

    @app.get(api + "/rules")
    async def rules_files(request: Request):
        await device_of(request)
        book = office.rule_book()
        return reply({"digest": book.digest,
                      "rules": [{"year": year, "text": book.texts[year]} for year in sorted(book.texts)]})

    @app.get(api + "/events", openapi_extra=pull_params)
    async def pull_events(request: Request):
        device = await device_of(request)
        try:
            since = int(request.query_params.get("since", "0"))
            limit = int(request.query_params.get("limit", str(office.limits.max_pull_limit)))
        except ValueError:
            raise ApiError("bad_query", "since and limit must be whole numbers") from None
        if not 0 <= since <= MAX_SQLITE_INT or limit < 1:
            raise ApiError("bad_query", "since must be ≥ 0 (and a seq SQLite can hold) and limit ≥ 1")
        limit = min(limit, office.limits.max_pull_limit)
        events, more, cursor = await office.read(policy.visible_page, device, since, limit)
        return reply({"events": events, "more": more, "cursor": cursor})

    return app


def serve(data_dir: str | Path, rules: Rules, *, host: str = "127.0.0.1", port: int = 8765,
          log_level: str = "info", tls=None) -> None:
    """Run the sync API alone until interrupted; `tls`: a sync.tls.OfficeCert, None for plain HTTP."""
    import uvicorn

    app = create_app(data_dir, rules, pin_pem=tls.pin_pem if tls else None)
    tune_threads()
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, server_header=False,
                            timeout_graceful_shutdown=5, **tls_options(tls))
    uvicorn.Server(config).run()


#: The interpreter's thread switch interval in the office process (seconds; Python's default 0.005).
#: The writer thread gives up the GIL in every SQLite call and must win it back from the event
#: loop, which, busy with fifty phones' uploads, holds it up to one interval each time: a push of
#: 250 events (thousands of SQLite calls) took 7–14 s at 5 ms. FIELDAPP_SWITCH_INTERVAL overrides.
SWITCH_INTERVAL = 0.0002


def tune_threads() -> None:
    import sys

    try:
        value = float(os.environ.get("FIELDAPP_SWITCH_INTERVAL", SWITCH_INTERVAL))
    except ValueError:
        value = SWITCH_INTERVAL
    sys.setswitchinterval(max(1e-5, value))


def tls_options(tls) -> dict:
    """uvicorn.Config's TLS arguments for a sync.tls.OfficeCert (none for plain HTTP)."""
    if tls is None:
        return {}
    return {"ssl_certfile": str(tls.cert_file), "ssl_keyfile": str(tls.key_file)}
