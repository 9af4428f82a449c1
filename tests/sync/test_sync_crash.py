"""Property 13: the real server process (`fieldapp office serve`) killed with SIGKILL mid-upload and
restarted → the next sync completes, every event and photo on the office exactly once."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sync_kit import FaultTransport, free_port, incoming_files, office_event_ids

from fieldapp.photos import photo_path
from sync import storage
from sync.blobs import SPARE
from sync.protocol import MARKER

REPO = Path(__file__).resolve().parents[2]


class ServerProcess:
    def __init__(self, data_dir: Path, port: int):
        self.data_dir, self.port = data_dir, port
        self.proc: subprocess.Popen | None = None
        self.url = f"http://127.0.0.1:{port}"

    def start(self) -> "ServerProcess":
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "fieldapp.cli", "office", "serve", "--port", str(self.port),
             "--data-dir", str(self.data_dir), "--log-level", "warning"],
            cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.proc.stderr.read().decode()[-2000:]}")
            try:
                if httpx.get(self.url + "/api/v1/hello", timeout=1).json().get("protocol") == MARKER:
                    return self  # answers (401: no token) with our marker: it is up
            except (httpx.TransportError, ValueError):
                time.sleep(0.05)
        raise RuntimeError("server did not come up")

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self.proc.stderr.close()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc and self.proc.stderr and not self.proc.stderr.closed:
            self.proc.stderr.close()

    # The phone kit enrols through OfficeServer's interface.
    def store(self):
        from fieldapp.rules import load_rules

        return storage.open_office(self.data_dir, load_rules(2022))


@pytest.fixture
def server_process(tmp_path):
    server = ServerProcess(tmp_path / "office", free_port()).start()
    yield server
    server.stop()


@pytest.mark.slow
def test_sigkill_mid_upload_then_restart_delivers_everything_exactly_once(server_process, make_phone):
    server = server_process
    phone = make_phone("phone-a").enrol(server, "inspector-a", ("C1",))
    for _ in range(3):
        phone.new_case(photos=2, photo_size=300_000)
    transport = FaultTransport()
    killed = []

    def kill_server(request):
        killed.append(request.url.path)
        server.kill()

    # The third photo: half of it has reached the office when the office dies.
    transport.add("PUT", "/blobs/", "cut_body", skip=2, cut_at=150_000, hook=kill_server, then_continue=True)

    cut = phone.sync(transport=transport)

    assert killed and cut.stopped == "network", cut
    assert cut.photos_uploaded == 2 and cut.pending_events == 9
    assert len(incoming_files(server)) == 1  # the half-written temp file the kill left

    server.start()
    resumed = phone.sync(transport=transport)

    assert resumed.ok, resumed.errors
    assert resumed.photos_uploaded == 4  # the one in flight again, and the three never started
    with server.store() as store:
        ids = office_event_ids(store)
        assert len(ids) == len(set(ids)) and set(ids) == phone.own_event_ids()
        shas = [r[0] for r in store.db.execute("SELECT sha256 FROM photos")]
    assert len(shas) == len(set(shas)) == 6
    for sha in shas:
        stored = photo_path(server.data_dir / storage.PHOTO_DIR, sha).read_bytes()
        assert hashlib.sha256(stored).hexdigest() == sha
    photos = server.data_dir / storage.PHOTO_DIR
    files = [p for p in photos.rglob("*") if p.is_file() and SPARE not in p.parts]
    assert len(files) == 6 and incoming_files(server) == []
    assert all(p.stat().st_size == 0 for p in (photos / SPARE).iterdir())  # only empty temp files made ahead
    transport.close()
