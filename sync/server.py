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
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from fieldapp.domain.rules import Rules
from fieldapp.store import ACCEPTED, CONFLICT, Store
from sync import auth, policy
from sync import protocol as p
from sync import storage
from sync.blobs import BlobStore

log = logging.getLogger("fieldapp.sync.server")

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
        self.blobs = BlobStore(storage.office_photo_dir(self.data_dir))
        removed = self.blobs.clear_incoming()
        if removed:
            log.info("removed %d unfinished uploads", removed)
        self._local = threading.local()
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="sync-write")
        self._readers = ThreadPoolExecutor(4, thread_name_prefix="sync-read")
        self._files = ThreadPoolExecutor(4, thread_name_prefix="sync-files")  # fsyncs off the event loop

    @property
    def server_id(self) -> str:
        return self.identity.server_id

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
        self.blobs.sync_dirs()

    # --- work done on the store threads -------------------------------------------------

    def push(self, store: Store, device: auth.Device, raw_events: list) -> list[dict]:
        results: list[dict | None] = []
        passed: list[tuple[int, object]] = []  # (index in results, event)
        batch_cases: dict[str, str] = {}
        with store.write():  # one transaction, one fsync for the whole batch
            for raw in raw_events:
                verdict = policy.judge(raw, device, store, self.blobs.has, batch_cases)
                if verdict.event is not None:
                    passed.append((len(results), verdict.event))
                    results.append(None)
                    continue
                if verdict.result["status"] == p.REJECTED:
                    storage.record_rejection(store, device.device_id, verdict.result["id"],
                                             verdict.result["reason"], verdict.result["detail"])
                results.append(verdict.result)
            # One append for the batch: each case's projection is refreshed once, not per event.
            outcomes = store.append([event for _, event in passed], assign_server_seq=True) if passed else []
            storage.record_origin(store, [o.seq for o in outcomes if o.status == ACCEPTED], device.device_id)
            for (index, event), outcome in zip(passed, outcomes):
                if outcome.status == CONFLICT:
                    storage.record_conflict(store, event.id, device.device_id, event.to_dict(), event.content_hash())
                    results[index] = {"id": event.id, "status": p.CONFLICT}
                else:
                    results[index] = {"id": event.id, "status": outcome.status, "server_seq": outcome.seq}
            top = storage.max_seq(store)
            self.blobs.sync_dirs()  # the photos these events name are durable before the events are
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

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError):
        return reply(p.error_body(exc.code, exc.message), exc.status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith(api + "/"):
            await drain(request)
            return reply(p.error_body("not_found", str(exc.detail)), exc.status_code)
        return await http_exception_handler(request, exc)

    @app.exception_handler(ClientDisconnect)
    async def gone(request: Request, exc: ClientDisconnect):
        return JSONResponse({}, status_code=400)  # nobody is listening; nothing to log

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception):
        log.error("sync request %s %s failed: %s", request.method, request.url.path, type(exc).__name__)
        return reply(p.error_body("server_error", "internal error"), 500)

    async def device_of(request: Request) -> auth.Device:
        # On the loop's own Store, no thread hop: one indexed read, and WAL readers never
        # wait for writers. It runs on every photo upload, where a hop costs ~10 %.
        device, error = office.read_now(auth.authenticate, bearer(request))
        if device is None:
            await drain(request)
            raise ApiError(error, "this device may not sync")
        return device

    @app.get(api + "/hello")
    async def hello(request: Request):
        device = await device_of(request)
        office.later(auth.touch, device.device_id)  # "last seen" is not worth a wait
        top = await office.read(storage.max_seq)
        return reply({
            "version": p.VERSION,
            "server_id": office.server_id,
            "server_time": storage.iso(office.clock()),
            "max_seq": top,
            "limits": office.limits.to_dict(),
            "device": {"device_id": device.device_id, "inspector": device.inspector,
                       "communities": list(device.communities)},
        })

    @app.post(api + "/enrol")
    async def enrol(request: Request):
        data = parse_json(await read_body(request, 4096))
        code = data.get("code") if isinstance(data, dict) else None
        if not isinstance(code, str):
            raise ApiError("invalid_body", "expected {code, label}")
        label = data.get("label") if isinstance(data.get("label"), str) else ""
        nonce = data.get("nonce") if isinstance(data.get("nonce"), str) else ""
        try:
            device, token = await office.write(auth.redeem_code, code, label, nonce[:200])
        except auth.EnrolError as exc:
            raise ApiError(exc.code, str(exc)) from None
        log.info("enrolled device %s for %s", device.device_id, device.inspector)
        return reply({"device_id": device.device_id, "token": token, "inspector": device.inspector,
                      "communities": list(device.communities), "server_id": office.server_id}, 201)

    @app.post(api + "/blobs/missing")
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

    @app.put(api + "/blobs/{sha256}")
    async def put_blob(sha256: str, request: Request):
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
        try:
            async for chunk in request.stream():
                if upload.size + len(chunk) > limit:
                    upload.discard()
                    await drain(request)
                    raise ApiError("too_large", f"photo over {limit} bytes")
                upload.write(chunk)
            size = upload.size
            if not await office.file_work(upload.finish, sha256):
                raise ApiError("hash_mismatch", "the bytes do not hash to the name they were sent under")
        except ClientDisconnect:
            return JSONResponse({}, status_code=400)  # nobody is listening; the temp file is gone
        finally:
            upload.discard()
        return reply({"sha256": sha256, "size": size, "stored": True}, 201)

    @app.post(api + "/events")
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

    @app.get(api + "/events")
    async def pull_events(request: Request):
        device = await device_of(request)
        try:
            since = int(request.query_params.get("since", "0"))
            limit = int(request.query_params.get("limit", str(office.limits.max_pull_limit)))
        except ValueError:
            raise ApiError("bad_query", "since and limit must be whole numbers") from None
        if since < 0 or limit < 1:
            raise ApiError("bad_query", "since must be ≥ 0 and limit ≥ 1")
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
