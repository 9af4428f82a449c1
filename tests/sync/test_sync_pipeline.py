"""Event pushes overlapped with photo uploads (sync/pusher.py): an event never goes before its
photos are on the office, its answer is recorded, and a cut anywhere still loses and
duplicates nothing, re-sending at most the photo in flight."""

from __future__ import annotations

import json
import threading

import httpx
from sync_kit import FAST_RETRY, FaultTransport, office_event_ids

from fieldapp.photos import photo_path
from sync import protocol as p
from sync import storage


class Recorder(FaultTransport):
    """Logs, in order: a photo acknowledged (its 201 arrived) and a batch of events sent."""

    def __init__(self):
        super().__init__()
        self.lock = threading.Lock()
        self.timeline: list[tuple[str, object, str]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        thread = threading.current_thread().name
        if request.method == "POST" and request.url.path.endswith("/events"):
            events = json.loads(request.read())["events"]
            with self.lock:
                self.timeline.append(("push", events, thread))
        response = super().handle_request(request)
        if request.method == "PUT" and response.status_code == 201:
            with self.lock:
                self.timeline.append(("photo", request.url.path.rsplit("/", 1)[-1], thread))
        return response

    def pushes(self) -> list[tuple[int, list, str]]:
        """Each push as (photos on the office when it went, its events, its thread); asserts
        that no event went before its photos."""
        on_office: set[str] = set()
        pushes = []
        for kind, what, thread in self.timeline:
            if kind == "photo":
                on_office.add(what)
                continue
            pushes.append((len(on_office), what, thread))
            for event in what:
                assert set(p.photo_hashes(event)) <= on_office, "an event went before its photo"
        return pushes


def test_batches_go_while_photos_upload_and_never_before_their_photos(office, office_store, phone):
    cases = [phone.new_case(("C1", "C2")[i % 2], photos=2, photo_size=30_000) for i in range(12)]
    transport = Recorder()
    result = phone.sync(transport=transport, batch_size=4)
    transport.close()

    assert result.ok and result.pushed == 36 and result.photos_uploaded == 24
    pushes = [(done, thread) for done, _, thread in transport.pushes()]
    # most batches went while photos were still uploading, on the helper thread
    assert sum(1 for done, _ in pushes if done < 24) >= 3
    assert any(thread.startswith("sync-push") for _, thread in pushes)
    assert set(office_event_ids(office_store)) == phone.own_event_ids()
    assert {c["case_id"] for c in office_store.db.query("SELECT case_id FROM cases")} == set(cases)


def test_ready_events_go_before_the_batch_is_full_while_photos_still_upload(office, office_store, phone):
    """With the usual batch size (250), a tenth of it ready goes at once when nothing is in flight:
    fifty phones' events reach the office spread over their uploads, not all when batches fill."""
    cases = [phone.new_case("C1", photos=2, photo_size=20_000) for _ in range(20)]
    transport = Recorder()
    result = phone.sync(transport=transport)
    transport.close()

    assert result.ok and result.pushed == 60 and result.photos_uploaded == 40
    pushes = [(done, len(events)) for done, events, _ in transport.pushes()]
    photos_before_first, first_size = pushes[0]
    assert photos_before_first < 40 and 25 <= first_size < 60  # the first went long before the last photo
    assert sum(size for _, size in pushes) == 60
    assert set(office_event_ids(office_store)) == phone.own_event_ids()
    assert {c["case_id"] for c in office_store.db.query("SELECT case_id FROM cases")} == set(cases)


def test_cut_while_a_batch_is_in_flight_loses_and_duplicates_nothing(office, office_store, phone):
    for i in range(10):
        phone.new_case("C1", photos=2, photo_size=30_000)
    cut = Recorder()
    cut.add("PUT", "/blobs/", "refuse", times=-1, skip=13)  # the Wi-Fi goes away after 13 photos
    first = phone.sync(transport=cut, batch_size=3)
    cut.close()
    assert first.stopped == "network"
    sent_first = {what for kind, what, _ in cut.timeline if kind == "photo"}
    assert len(sent_first) == 13
    pushed_first = first.pushed
    assert 0 < pushed_first < 30  # some batches went before the cut, and their answers were kept
    assert len(office_event_ids(office_store)) == pushed_first

    again = Recorder()
    second = phone.sync(transport=again, batch_size=3)
    again.close()
    assert second.ok, second.errors
    sent_again = {what for kind, what, _ in again.timeline if kind == "photo"}
    assert not sent_again & sent_first  # nothing acknowledged is sent twice
    assert second.pushed == 30 - pushed_first and second.acknowledged == 0
    ids = office_event_ids(office_store)
    assert len(ids) == len(set(ids)) == 30
    for sha in sent_first | sent_again:
        assert photo_path(storage.office_photo_dir(office.data_dir), sha).is_file()


def test_a_held_photo_holds_only_its_events_and_the_rest_flow(office, office_store, phone):
    cases = [phone.new_case("C1", photos=1, photo_size=20_000) for _ in range(6)]
    gone = next(r["payload"] for r in phone.store.db.query(
        "SELECT payload FROM events WHERE type = 'photo.added' AND case_id = ?", [cases[2]]))
    photo_path(phone.photo_dir, json.loads(gone)["sha256"]).unlink()
    result = phone.sync(batch_size=2, retry=FAST_RETRY)
    assert result.pushed == 11 and result.pending_events == 1
    assert [e.code for e in result.errors] == ["photo_missing_local"]
    assert len(office_event_ids(office_store)) == 11
