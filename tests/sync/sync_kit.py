"""Sync test kit (`from sync_kit import ...`): a real uvicorn office server on 127.0.0.1,
phones with real SQLite files and photo files, and a fault-injecting wrapper around a
real httpx transport.

Nothing of ours is mocked: faults are injected only where the network is.
"""

from __future__ import annotations

import hashlib
import os
import random
import socket
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

import httpx
import uvicorn

from fieldapp.domain import commands as cmd
from fieldapp.domain.events import PhotoAdded, new_event
from fieldapp.domain.geo import Position
from fieldapp.photos import photo_path
from fieldapp.store import Store
from sync import auth, phonebook, storage
from sync.channel import RetryPolicy
from sync.client import SyncClient, enrol
from sync.protocol import Limits
from sync.server import create_app
from tests.office_process import free_port  # noqa: F401  (the sync suites import it from here)

FAST_RETRY = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05)
T0 = datetime(2022, 6, 1, 2, 0, tzinfo=timezone.utc)


# --- the office server ---------------------------------------------------------------------


class OfficeServer:
    """create_app() served by uvicorn in a thread, on a fixed free port (restartable)."""

    def __init__(self, data_dir: Path, rules, limits: Limits | None = None, port: int | None = None):
        self.data_dir = Path(data_dir)
        self.rules = rules
        self.limits = limits
        self.port = port or free_port()
        self.server: uvicorn.Server | None = None
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "OfficeServer":
        app = create_app(self.data_dir, self.rules, limits=self.limits)
        self.app = app
        config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=1)
        self.server = uvicorn.Server(config)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("office server did not start")
            time.sleep(0.005)
        sock.close()  # uvicorn has its own handle on the listening socket now
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.should_exit = True
            self.thread.join(10)
            self.server = None

    def restart(self) -> "OfficeServer":
        self.stop()
        return self.start()

    def store(self) -> Store:
        return storage.open_office(self.data_dir, self.rules)


# --- faults on the wire -----------------------------------------------------------------------


@dataclass
class Fault:
    method: str
    path: str  # matched as a part of the URL path
    action: str  # refuse | lose_response | cut_body | respond | before | alter
    times: int = 1
    status: int = 200
    content: bytes = b""
    content_type: str = "text/html"
    cut_at: int = 0
    hook: Callable | None = None
    skip: int = 0  # let this many matching requests through first
    then_continue: bool = False  # cut_body: after the hook, keep sending (the hook broke the line itself)
    when: Callable | None = None  # an extra condition on the request
    alter: Callable[[bytes], bytes] | None = None  # alter: the real answer's body, changed on the way

    def matches(self, request: httpx.Request) -> bool:
        return (self.times != 0 and request.method == self.method and self.path in request.url.path
                and (self.when is None or self.when(request)))


class FaultTransport(httpx.BaseTransport):
    """A real HTTPTransport, with faults injected on matching requests; counts what goes by."""

    def __init__(self):
        self.inner = httpx.HTTPTransport(verify=False)  # plain http on loopback; skips loading CA certs
        self.faults: list[Fault] = []
        self.log: list[tuple[str, str, int | None]] = []  # (method, path, status or None)

    def add(self, method: str, path: str, action: str, **kw) -> Fault:
        fault = Fault(method, path, action, **kw)
        self.faults.append(fault)
        return fault

    def calls(self, method: str, path_part: str = "") -> list[tuple[str, str, int | None]]:
        return [c for c in self.log if c[0] == method and path_part in c[1]]

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        fault = next((f for f in self.faults if f.matches(request)), None)
        if fault is not None and fault.skip > 0:
            fault.skip -= 1
        elif fault is not None:
            fault.times -= 1  # a negative count never reaches 0: for ever
            return self._inject(fault, request)
        return self._forward(request)

    def _forward(self, request: httpx.Request) -> httpx.Response:
        try:
            response = self.inner.handle_request(request)
        except httpx.TransportError:
            self.log.append((request.method, request.url.path, None))
            raise
        response.read()
        self.log.append((request.method, request.url.path, response.status_code))
        return response

    def _inject(self, fault: Fault, request: httpx.Request) -> httpx.Response:
        self.log.append((request.method, request.url.path, None))
        if fault.action == "refuse":
            raise httpx.ConnectError("injected: connection refused")
        if fault.action == "respond":
            return httpx.Response(fault.status, content=fault.content, headers={"content-type": fault.content_type})
        if fault.action == "before":  # run a hook (e.g. kill the server), then send for real
            fault.hook(request)
            return self._forward(request)
        if fault.action == "lose_response":
            self._forward(request)  # the office got it and answered...
            raise httpx.ReadError("injected: response lost")  # ...but the answer never arrives
        if fault.action == "alter":  # the office answered; the bytes change on the way (same headers)
            response = self._forward(request)
            change = fault.alter or _flip_a_byte
            return httpx.Response(response.status_code, headers=response.headers, content=change(response.content))
        if fault.action == "cut_body":
            return self._forward(_cut(request, fault.cut_at, fault.hook, fault.then_continue))
        raise AssertionError(fault.action)

    def close(self) -> None:
        self.inner.close()


def _flip_a_byte(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1:] if data else b"x"


def _cut(request: httpx.Request, cut_at: int, hook, then_continue: bool = False) -> httpx.Request:
    """The same request whose body stops after `cut_at` bytes (headers still promise all of it).

    With then_continue the rest is sent after the hook ran: for a hook that kills the server.
    """
    original = request.stream

    def body():
        sent, cut = 0, False
        for chunk in original:
            if not cut and sent + len(chunk) >= cut_at:
                cut = True
                yield chunk[: cut_at - sent]
                time.sleep(0.05)  # let the partial body reach the office before the line drops
                if hook is not None:
                    hook(request)
                if not then_continue:
                    raise httpx.WriteError("injected: connection cut mid-body")
                yield chunk[cut_at - sent:]
                continue
            sent += len(chunk)
            yield chunk

    return httpx.Request(request.method, request.url, headers=request.headers, stream=_Stream(body()))


class _Stream(httpx.SyncByteStream):
    def __init__(self, gen):
        self.gen = gen

    def __iter__(self):
        return self.gen


# --- phones -----------------------------------------------------------------------------------------


class Phone:
    """A phone's data dir (field.db + photos/), enrolled with the office, making real cases."""

    def __init__(self, data_dir: Path, rules, name: str = "phone"):
        self.data_dir = Path(data_dir)
        self.rules = rules
        self.name = name
        self.store = phonebook.open_phone(self.data_dir, rules)
        self.photo_dir = self.data_dir / storage.PHOTO_DIR
        self.who: cmd.Actor | None = None
        self.clock = T0
        self.rng = random.Random(name)

    def enrol(self, office: OfficeServer, inspector: str, communities=("C1",)) -> "Phone":
        with office.store() as store:
            code, _ = auth.create_code(store, inspector, list(communities))
        info = enrol(self.store, office.url, code, label=self.name, retry=FAST_RETRY)
        self.who = cmd.Actor(info["inspector"], info["device_id"])
        self.device_id = info["device_id"]
        return self

    def tick(self, minutes: int = 1) -> datetime:
        self.clock += timedelta(minutes=minutes)
        return self.clock

    def photo_bytes(self, size: int = 40_000) -> bytes:
        return self.rng.randbytes(size)

    def save_photo(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        path = photo_path(self.photo_dir, sha)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return sha

    def new_case(self, community: str = "C1", photos: int = 1, photo_size: int = 40_000) -> str:
        now = self.tick()
        reg = cmd.register_case(self.rules, self.who, now, community=community, category="Z1",
                                position=Position(34.7466 + self.rng.random() / 100, 113.6253, 6.0))
        events = [reg]
        for _ in range(photos):
            events.append(self._photo_event(reg.case_id, self.photo_bytes(photo_size), "before", now))
        self.store.append(events)
        return reg.case_id

    def add_photo(self, case_id: str, stage: str = "before", size: int = 40_000) -> str:
        event = self._photo_event(case_id, self.photo_bytes(size), stage, self.tick())
        self.store.append([event])
        return event.data.sha256

    def _photo_event(self, case_id: str, data: bytes, stage: str, now: datetime):
        sha = self.save_photo(data)
        return new_event(PhotoAdded(case_id, sha, sha, stage, 1600, 1200, len(data), None, None),
                         actor=self.who.actor, device=self.who.device, now=now)

    def recheck(self, case_id: str, rectified: bool = True) -> None:
        state = self.store.case(case_id)
        now = self.tick()
        sha = self.save_photo(self.photo_bytes())
        photo = new_event(PhotoAdded(case_id, sha, sha, "after", 1600, 1200, 40_000, None, None),
                          actor=self.who.actor, device=self.who.device, now=now)
        self.store.append([photo, cmd.recheck(state, self.who, now, rectified=rectified, photos=(sha,))])

    def sync(self, office: OfficeServer | None = None, **kw):
        kw.setdefault("retry", FAST_RETRY)
        client = SyncClient(self.store, self.photo_dir, server_url=office.url if office else None, **kw)
        return client.run()

    def own_event_ids(self) -> set[str]:
        return {r[0] for r in self.store.db.execute("SELECT id FROM events WHERE actor = ?", [self.who.actor])}

    def close(self) -> None:
        self.store.close()


def cases_table(store: Store, communities=None) -> list[dict]:
    rows = list(store.db.query("SELECT * FROM cases ORDER BY case_id"))
    return [r for r in rows if communities is None or r["community"] in communities]


def photos_table(store: Store, case_ids) -> list[dict]:
    rows = store.db.query("SELECT * FROM photos ORDER BY case_id, sha256, stage")
    return [r for r in rows if r["case_id"] in case_ids]


def office_event_ids(store: Store) -> list[str]:
    return [r[0] for r in store.db.execute("SELECT id FROM events ORDER BY seq")]


def incoming_files(office: OfficeServer) -> list[str]:
    incoming = office.data_dir / storage.PHOTO_DIR / ".incoming"
    return os.listdir(incoming) if incoming.exists() else []


def wait_until(predicate, timeout: float = 3.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()




def api(office: OfficeServer, token: str | None = None) -> httpx.Client:
    """A bare HTTP client on the office API (for what a phone's client would never send)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=office.url + "/api/v1", headers=headers, timeout=10, verify=False)


def token_of(phone: Phone) -> str:
    from sync.phonebook import PhoneBook

    return PhoneBook(phone.store).credentials()["token"]


def wires_of(phone: Phone, case_id: str | None = None) -> list[dict]:
    from sync.storage import wire_event

    sql, params = "SELECT * FROM events ORDER BY seq", []
    if case_id:
        sql, params = "SELECT * FROM events WHERE case_id = ? ORDER BY seq", [case_id]
    return [wire_event(r) for r in phone.store.db.query(sql, params)]
