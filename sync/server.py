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
import threading
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
DRAIN_CAP = 64 * 1024 * 1024  # past this an oversized body is not read to its end: the connection is dropped


class ApiError(Exception):
    def __init__(self, code: str, message: str = ""):
        super().__init__(message or code)
        self.code = code
        self.status = p.SERVER_ERRORS[code]
        self.message = message or code


def reply(body: dict, status: int = 200) -> JSONResponse:
    return JSONResponse({"protocol": p.MARKER, **body}, status_code=status, headers={p.MARKER_HEADER: "1"})


class Office:
    """The office's data dir as the API sees it: stores per thread, blobs, server identity."""

    def __init__(self, data_dir: str | Path, rules: Rules, limits: p.Limits, clock: Callable[[], datetime],
                 durable: bool = True):
        self.data_dir = Path(data_dir)
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

    def push(self, store: Store, device: auth.Device, raw_events: list) -> list[dict]:
        results, top = take_events(store, device, raw_events, self.blobs.has, self.blobs.sync_dirs)
        self.identity.committed(top)
        return results


# --- request helpers ----------------------------------------------------------------------


async def drain(request: Request) -> None:
    """Read what is left of a body before answering early: a client still sending would
    otherwise see a reset connection instead of our error."""
    seen = 0
    try:
        async for chunk in request.stream():
            seen += len(chunk)
            if seen > DRAIN_CAP:
                break
    except (ClientDisconnect, RuntimeError):  # gone, or the body was read already
        pass


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        await drain(request)
        raise ApiError("too_large", f"body of {declared} bytes; the limit is {limit}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            await drain(request)
            raise ApiError("too_large", f"body over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_json(body: bytes) -> object:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError("malformed_json", f"not valid JSON: {exc}") from None


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
               clock: Callable[[], datetime] = storage.utc_now, durable: bool = True) -> FastAPI:
    """The sync API over the office data dir (office.db + photos/). Others may mount more at "/"."""
    office = Office(data_dir, rules, limits or p.Limits(), clock, durable)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
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
        return reply(p.error_body(exc.code, exc.message), exc.status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith(api + "/"):
            await drain(request)
            code = "method_not_allowed" if exc.status_code == 405 else "not_found"
            return reply(p.error_body(code, str(exc.detail)), exc.status_code)
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
            await drain(request)
            raise ApiError(error, "this device may not sync")
        return device

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
        data = parse_json(await read_body(request, 4096))
        code = data.get("code") if isinstance(data, dict) else None
        if not isinstance(code, str):
            raise ApiError("invalid_body", "expected {code, label}")
        def text(key: str) -> str:
            return data[key] if isinstance(data.get(key), str) else ""

        try:
            device, token = await office.write(partial(
                auth.redeem_code, code=code, label=text("label"), nonce=text("nonce")[:200],
                local_actor=text("local_actor") or None, local_device=text("local_device") or None))
        except auth.EnrolError as exc:
            raise ApiError(exc.code, str(exc)) from None
        log.info("enrolled device %s for %s (%s)", device.device_id, device.inspector, device.role)
        return reply({"device_id": device.device_id, "token": token, "inspector": device.inspector,
                      "communities": list(device.communities), "role": device.role,
                      "server_id": office.server_id, "local_actor": device.local_actor}, 201)

    @app.post(api + "/blobs/missing", openapi_extra=json_body(schemas["missing"]))
    async def blobs_missing(request: Request):
        await device_of(request)
        data = parse_json(await read_body(request, office.limits.max_missing_query * 80 + 1024))
        hashes = data.get("sha256") if isinstance(data, dict) else None
        if not isinstance(hashes, list):
            raise ApiError("invalid_body", "expected {sha256: [...]}")
        if len(hashes) > office.limits.max_missing_query:
            raise ApiError("too_large", f"at most {office.limits.max_missing_query} hashes per query")
        if not all(p.is_sha256(h) for h in hashes):
            raise ApiError("bad_sha256", "every hash must be 64 lowercase hex digits")
        missing = await office.file_work(lambda: [h for h in dict.fromkeys(hashes) if not office.blobs.has(h)])
        return reply({"missing": missing})

    @app.put(api + "/blobs/{sha256}", openapi_extra={"requestBody": {"required": True, "content": {
        "application/octet-stream": {"schema": schemas["blob"]}}}})
    async def put_blob(request: Request,
                       sha256: str = PathParam(json_schema_extra={"pattern": p.SHA256_RE.pattern})):
        await device_of(request)
        if not p.is_sha256(sha256):  # also what keeps a name like "../x" out of the file system
            await drain(request)
            raise ApiError("bad_sha256", "a photo is named by its 64-hex-digit SHA-256")
        limit = office.limits.max_blob_bytes
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await drain(request)
            raise ApiError("too_large", f"photo of {declared} bytes; the limit is {limit}")
        upload = office.blobs.upload()
        office.uploads += 1
        try:
            async for chunk in request.stream():
                if upload.size + len(chunk) > limit:
                    upload.discard()
                    await drain(request)
                    raise ApiError("too_large", f"photo over {limit} bytes")
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
        results = await office.write(office.push, device, events)
        return reply({"results": results})

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
          log_level: str = "info") -> None:
    """Run the office server until interrupted (what `fieldapp office serve` does)."""
    import uvicorn

    app = create_app(data_dir, rules)
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, server_header=False,
                            timeout_graceful_shutdown=5)
    uvicorn.Server(config).run()
