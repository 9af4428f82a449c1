"""Property 13: the real server process (`fieldapp office serve`) killed with SIGKILL mid-upload and
restarted → the next sync completes, every event and photo on the office exactly once."""

from __future__ import annotations

import hashlib

import pytest
from sync_kit import FaultTransport, free_port, incoming_files, office_event_ids

from fieldapp.photos import photo_path
from sync import storage
from sync.blobs import SPARE
from tests.office_process import OfficeProcess


@pytest.fixture
def server_process(tmp_path):
    server = OfficeProcess(tmp_path / "office", free_port(), tmp_path / "office.log").start()
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
