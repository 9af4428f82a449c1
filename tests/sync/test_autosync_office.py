"""Automatic sync (fieldapp/ui/autosync.py) end to end without a browser: the phone app's own
data service (real SQLite file, real photo files, records saved the way the screens save them)
against a real office server on 127.0.0.1 — down at first, behind a Wi-Fi login page, answering
503, or refusing a revoked phone. Nobody taps 立即同步.

Faults only where the network is: sync_kit.FaultTransport wraps a real httpx transport (and
counts what went by). Timing is shortened (what FIELDAPP_AUTOSYNC_*_S would set in the app).
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sync_kit import FaultTransport, free_port, wait_until

from fieldapp.photos import photo_path
from fieldapp.rules import load_rules
from fieldapp.ui import queries
from fieldapp.ui.autosync import Timing
from fieldapp.ui.data import DataService, enrol_phone
from fieldapp.ui.startup import prepare_data_dir
from sync import auth, storage
from tests.office_process import OfficeProcess

PHOTO = Path(__file__).resolve().parents[3] / "shared" / "data" / "photos" / "13_no-exif__img_1771_no_exif.jpg"
FAST = Timing(start_s=0.05, debounce_s=0.1, debounce_max_s=1.0, period_s=60.0,
              backoff_s=0.2, backoff_max_s=1.0, jitter=0.25)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@pytest.fixture
def app_data(tmp_path):
    """The phone app's data service, made as `fieldapp.ui.app.attach_data` makes it."""
    rules = load_rules()
    settings, _ = prepare_data_dir(tmp_path / "phone", rules, utc_now())
    data = DataService(tmp_path / "phone", rules, utc_now)
    data.remember_settings(settings)
    yield data
    data.close()


def enrol(data: DataService, url: str, code: str) -> dict:
    info, settings = data.run_here(enrol_phone, url, code)
    data.remember_settings(settings)
    return info


def register(data: DataService, place: str):
    """As the 登记问题 screen saves a case (DataService.casework)."""
    return data.run_here(lambda s: data.casework(s).register(
        community="C1", category="Z1", photos=[PHOTO.read_bytes()], place=place))


def pending_events(data: DataService) -> int:
    return data.run_here(queries.pending).events


def own_event_ids(data: DataService) -> list[str]:
    return [r[0] for r in data.run_here(lambda s: list(s.db.execute("SELECT id FROM events")))]


class StatusLog:
    """Every status the automatic sync reports from now on (keep it referenced: listeners are
    held weakly)."""

    def __init__(self, auto):
        self.seen: list = []
        auto.add_listener(self)

    def autosync_changed(self, status):
        self.seen.append(status)

    def autosync_progress(self, progress):
        pass


def test_records_go_by_themselves_when_the_office_comes_back(tmp_path, app_data):
    office = OfficeProcess(tmp_path / "office", free_port(), tmp_path / "office.log").start()
    try:
        enrol(app_data, office.url, office.enrol_code("张三", "C1"))
    finally:
        office.stop()  # down: nothing listens on its port any more

    transport = FaultTransport()  # no faults: a real transport that counts what went by
    auto = app_data.start_autosync(FAST, transport=transport)
    saved = register(app_data, "automatic road 1")
    assert pending_events(app_data) == len(saved.events) == 2

    # it tries by itself, fails, backs off and tries again — no dialogs, nothing lost
    assert wait_until(lambda: auto.status().failures >= 2, timeout=30)
    status = auto.status()
    assert status.last_code == "network" and status.stopped is None and status.next_in_s is not None
    assert transport.log and {code for _, _, code in transport.log} == {None}  # nothing reached anyone
    assert pending_events(app_data) == 2

    office.start()  # the network is back (same address, same office data); nobody taps anything
    back = time.monotonic()
    try:
        assert wait_until(lambda: pending_events(app_data) == 0, timeout=30), auto.status()
        assert time.monotonic() - back < 15
        assert wait_until(lambda: not auto.status().running, timeout=10)  # its pull, after the push
        with office.store() as store:
            office_ids = [r[0] for r in store.db.execute("SELECT id FROM events")]
            cases = list(store.db.query("SELECT case_id, place FROM cases"))
            shas = [r[0] for r in store.db.execute("SELECT sha256 FROM photos")]
        assert sorted(office_ids) == sorted(own_event_ids(app_data)) and len(office_ids) == 2  # each once
        assert cases == [{"case_id": saved.case_id, "place": "automatic road 1"}]
        assert len(shas) == 1
        office_file = photo_path(storage.office_photo_dir(office.data_dir), shas[0])
        assert office_file.read_bytes() == photo_path(app_data.photo_dir, shas[0]).read_bytes()
        uploads = [c for c in transport.log if c[0] == "PUT" and "/blobs/" in c[1]]
        assert [c[2] for c in uploads] == [201]  # the photo went exactly once
        assert auto.status().failures == 0 and auto.status().last_code is None
    finally:
        office.stop()


@pytest.mark.parametrize("fault, times, code", [
    (dict(action="respond", status=200, content=b"<html>Wi-Fi login</html>"), 2, "not_our_server"),
    (dict(action="respond", status=503, content=b"busy", content_type="text/plain"), 6, "server_unavailable"),
    (dict(action="refuse"), 6, "network"),
])
def test_network_failures_are_retried_until_the_records_go(office, app_data, fault, times, code):
    with office.store() as store:
        enrol(app_data, office.url, auth.create_code(store, "inspector-a", ["C1"])[0])
    transport = FaultTransport()
    transport.add("GET", "/hello", times=times, **fault)  # a few runs' worth: each run tries ≤ 3 times
    log = StatusLog(app_data.autosync)
    auto = app_data.start_autosync(FAST, transport=transport)
    register(app_data, "flaky road")

    assert wait_until(lambda: pending_events(app_data) == 0, timeout=30), auto.status()
    codes = [s.last_code for s in log.seen if s.failures]
    assert codes and set(codes) == {code}
    with office.store() as store:
        assert sorted(r[0] for r in store.db.execute("SELECT id FROM events")) == sorted(own_event_ids(app_data))


def test_a_revoked_phone_stops_trying_until_it_is_enrolled_again(office, app_data):
    with office.store() as store:
        info = enrol(app_data, office.url, auth.create_code(store, "inspector-a", ["C1"])[0])
        auth.revoke(store, info["device_id"])
    transport = FaultTransport()
    auto = app_data.start_autosync(FAST, transport=transport)
    register(app_data, "while revoked")

    assert wait_until(lambda: auto.status().stopped == "token_revoked", timeout=15)
    tries = len(transport.log)
    register(app_data, "still revoked")  # new records do not start it again either
    time.sleep(3 * FAST.backoff_max_s)
    assert len(transport.log) == tries and auto.status().next_in_s is None
    assert pending_events(app_data) == 4

    # the app restarts: still stopped, without asking the office (the last run was refused)
    app_data.close()
    restarted = DataService(app_data.data_dir, app_data.rules, utc_now)
    try:
        again = restarted.start_autosync(FAST, transport=transport)
        assert wait_until(lambda: again.status().stopped == "token_revoked", timeout=5)
        assert len(transport.log) == tries

        with office.store() as store:
            enrol(restarted, office.url, auth.create_code(store, "inspector-a", ["C1"])[0])
        again.enrolled()  # what the 同步 screen does after 登记本机
        assert wait_until(lambda: pending_events(restarted) == 0, timeout=15), again.status()
        assert again.status().stopped is None and len(transport.log) > tries
    finally:
        restarted.close()


def test_a_record_saved_through_the_app_schedules_a_try(app_data):
    auto = app_data.autosync  # automatic tries off: nothing runs, but the schedule hears of it
    assert auto.status().next_in_s is None
    app_data.run_here(lambda s: app_data.casework(s).answer_survey("C1", "满意"))
    assert auto.schedule.change_at is not None
