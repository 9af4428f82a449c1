"""Properties 1–7 and 12 of the sync issue: a fault anywhere loses nothing and duplicates nothing."""

from __future__ import annotations

import json

from sync_kit import (
    FAST_RETRY,
    api,
    cases_table,
    incoming_files,
    office_event_ids,
    photos_table,
    token_of,
    wait_until,
    wires_of,
)

from fieldapp.photos import photo_path
from sync import storage
from sync.phonebook import PhoneBook


def office_has_photo(office, sha: str) -> bool:
    return photo_path(office.data_dir / storage.PHOTO_DIR, sha).is_file()


def still_missing(office, phone, sha: str) -> bool:
    with api(office, token_of(phone)) as http:
        return http.post("/blobs/missing", json={"sha256": [sha]}).json()["missing"] == [sha]


# 1
def test_connection_refused_before_push_changes_nothing_then_retry_succeeds(office, office_store, phone, transport):
    phone.new_case()
    before = wires_of(phone)
    transport.add("POST", "/events", "refuse", times=FAST_RETRY.attempts)

    failed = phone.sync(transport=transport)

    assert failed.stopped == "network" and not failed.ok
    assert len(transport.calls("POST", "/events")) == FAST_RETRY.attempts  # backed off and retried, bounded
    assert office_event_ids(office_store) == []
    assert wires_of(phone) == before and failed.pending_events == 2

    retried = phone.sync(transport=transport)

    assert retried.ok and retried.pushed == 2
    assert set(office_event_ids(office_store)) == phone.own_event_ids()


def test_one_refused_connection_is_retried_within_the_run(office, office_store, phone, transport):
    phone.new_case()
    transport.add("POST", "/events", "refuse", times=1)
    result = phone.sync(transport=transport)
    assert result.ok and result.pushed == 2


# 2
def test_response_lost_after_commit_is_acknowledged_as_duplicate(office, office_store, phone, transport):
    phone.new_case(photos=2)
    transport.add("POST", "/events", "lose_response", times=FAST_RETRY.attempts)

    lost = phone.sync(transport=transport)

    assert lost.stopped == "network" and lost.pending_events == 3  # the phone cannot know yet
    assert set(office_event_ids(office_store)) == phone.own_event_ids()  # ...but the office has them

    resent = phone.sync(transport=transport)

    assert resent.ok and resent.pushed == 0 and resent.acknowledged == 3
    ids = office_event_ids(office_store)
    assert len(ids) == len(set(ids)) == 3


def test_response_lost_once_is_retried_in_the_same_run(office, office_store, phone, transport):
    phone.new_case()
    transport.add("POST", "/events", "lose_response", times=1)
    result = phone.sync(transport=transport)
    assert result.ok and result.acknowledged == 2 and result.pushed == 0
    assert len(office_event_ids(office_store)) == 2


# 3
def test_photo_upload_cut_mid_body_leaves_nothing_and_retry_works(office, office_store, phone, transport):
    case_id = phone.new_case(photos=1, photo_size=300_000)
    sha = next(w for w in wires_of(phone, case_id) if w["type"] == "photo.added")["payload"]["sha256"]
    seen_mid_upload = []

    def look(request):  # the office really was half-way through writing it
        seen_mid_upload.append(wait_until(lambda: incoming_files(office) != [], 2.0))

    transport.add("PUT", "/blobs/" + sha, "cut_body", times=FAST_RETRY.attempts, cut_at=150_000, hook=look)

    cut = phone.sync(transport=transport)

    assert cut.stopped == "network" and cut.photos_uploaded == 0
    assert seen_mid_upload == [True] * FAST_RETRY.attempts
    assert wait_until(lambda: incoming_files(office) == [])  # the office dropped its temp file
    assert not office_has_photo(office, sha)
    assert office_event_ids(office_store) == []  # events wait for their photo
    assert still_missing(office, phone, sha)

    retried = phone.sync(transport=transport)

    assert retried.ok and retried.photos_uploaded == 1
    assert office_has_photo(office, sha) and incoming_files(office) == []
    assert set(office_event_ids(office_store)) == phone.own_event_ids()


# 4
def test_photo_bytes_not_matching_their_hash_are_refused(office, office_store, phone):
    good = phone.new_case()
    bad = phone.new_case()
    bad_photo = next(w for w in wires_of(phone, bad) if w["type"] == "photo.added")
    sha = bad_photo["payload"]["sha256"]
    path = photo_path(phone.photo_dir, sha)
    path.write_bytes(bytes(len(path.read_bytes())))  # same size, other bytes: a damaged file

    result = phone.sync()

    assert [e.code for e in result.errors] == ["photo_corrupt_local"]
    assert result.photos_uploaded == 1 and result.pending_events == 1
    assert not office_has_photo(office, sha) and still_missing(office, phone, sha)
    assert not office_store.has_event(bad_photo["id"])
    assert office_store.case(good) is not None and office_store.case(bad) is not None
    assert PhoneBook(phone.store).pending_errors()[0]["event_id"] == bad_photo["id"]


def test_put_of_wrong_bytes_is_422_and_stores_nothing(office, phone):
    sha = "a" * 64
    with api(office, token_of(phone)) as http:
        response = http.put(f"/blobs/{sha}", content=b"not those bytes")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "hash_mismatch"
    assert not office_has_photo(office, sha) and incoming_files(office) == []


# 5
def test_failure_between_a_pulled_page_and_the_cursor_is_harmless_to_replay(office, phone, make_phone, transport):
    for _ in range(3):
        phone.new_case("C1")
    assert phone.sync().ok
    other = make_phone("phone-b").enrol(office, "inspector-b", ("C1",))
    # Page 1 (2 events) is stored with its cursor; page 2's answer is lost on every try.
    transport.add("GET", "/events", "lose_response", times=FAST_RETRY.attempts, skip=1)

    cut = other.sync(transport=transport, pull_limit=2)

    assert cut.stopped == "network" and cut.pulled == 2
    book = PhoneBook(other.store)
    server_id = cut.server_id
    assert book.cursor(server_id) > 0

    resumed = other.sync(transport=transport, pull_limit=2)
    assert resumed.ok and resumed.pulled == 4
    # Now lose the cursor altogether (as if never saved): replaying every page changes nothing.
    with other.store.write():
        book.set_cursor(server_id, 0)
    replay = other.sync(pull_limit=2)
    assert replay.ok and replay.pulled == 0
    assert other.store.event_count() == 6
    assert cases_table(other.store) == cases_table(phone.store)


# 6
def test_same_id_different_content_is_a_conflict_and_overwrites_nothing(office, office_store, phone):
    case_id = phone.new_case()
    assert phone.sync().ok
    registered = wires_of(phone, case_id)[0]
    forged = json.loads(json.dumps(registered))
    forged["payload"]["note"] = "changed afterwards"
    stored_before = office_store.db.execute("SELECT payload, content_hash FROM events WHERE id = ?",
                                            [registered["id"]]).fetchone()

    with api(office, token_of(phone)) as http:
        answer = http.post("/events", json={"events": [forged]}).json()

    assert answer["results"] == [{"id": registered["id"], "status": "conflict"}]
    assert office_store.db.execute("SELECT payload, content_hash FROM events WHERE id = ?",
                                   [registered["id"]]).fetchone() == stored_before
    conflicts = storage.conflicts(office_store)
    assert [c["event_id"] for c in conflicts] == [registered["id"]]
    assert json.loads(conflicts[0]["received"])["payload"]["note"] == "changed afterwards"
    assert conflicts[0]["device_id"] == phone.device_id


def test_client_reports_a_conflict_and_does_not_resend_it(office, office_store, phone, make_phone):
    case_id = phone.new_case()
    assert phone.sync().ok
    twin = make_phone("phone-twin").enrol(office, "inspector-a", ("C1",))  # same inspector, buggy copy
    from fieldapp.domain.events import Event

    original = wires_of(phone, case_id)[0]
    changed = json.loads(json.dumps(original))
    changed["payload"]["note"] = "另一个版本"
    changed["device"] = twin.device_id  # the copy's events carry its device (another device's: device_mismatch)
    twin.store.append([Event.from_dict(changed)])

    first = twin.sync()
    second = twin.sync()

    assert "event_conflict" in [e.code for e in first.errors]
    assert "event_conflict" not in [e.code for e in second.errors]  # recorded, not resent each time
    assert PhoneBook(twin.store).conflicts() == [original["id"]]
    assert twin.store.has_event(original["id"])  # the phone's own copy is kept
    assert len(storage.conflicts(office_store)) == 1


# 7
def test_event_naming_a_photo_the_office_lacks_waits_for_the_upload(office, office_store, phone):
    case_id = phone.new_case()
    registration, photo = wires_of(phone, case_id)
    sha = photo["payload"]["sha256"]
    with api(office, token_of(phone)) as http:
        first = http.post("/events", json={"events": [registration, photo]}).json()["results"]
        assert first[0]["status"] == "accepted"
        assert first[1] == {"id": photo["id"], "status": "missing_blob", "missing": [sha]}
        assert not office_store.has_event(photo["id"])

        put = http.put(f"/blobs/{sha}", content=photo_path(phone.photo_dir, sha).read_bytes())
        assert put.status_code == 201
        again = http.post("/events", json={"events": [photo]}).json()["results"]
    assert again[0]["status"] == "accepted" and office_store.has_event(photo["id"])


def test_client_uploads_and_resends_after_missing_blob(office, office_store, phone, transport):
    case_id = phone.new_case()
    sha = wires_of(phone, case_id)[1]["payload"]["sha256"]

    def lose_photo(request):  # the photo vanishes from the office between upload and push
        photo_path(office.data_dir / storage.PHOTO_DIR, sha).unlink()

    transport.add("POST", "/events", "before", hook=lose_photo)
    result = phone.sync(transport=transport)

    assert result.ok, result.errors
    assert result.photos_uploaded == result.photos_to_upload == 2 and office_has_photo(office, sha)
    assert set(office_event_ids(office_store)) == phone.own_event_ids()


# 12
def test_a_missing_local_photo_holds_back_only_its_event(office, office_store, phone):
    kept = phone.new_case(photos=1)
    broken = phone.new_case(photos=2)
    photo_events = [w for w in wires_of(phone, broken) if w["type"] == "photo.added"]
    lost_sha = photo_events[0]["payload"]["sha256"]
    lost_bytes = photo_path(phone.photo_dir, lost_sha).read_bytes()
    photo_path(phone.photo_dir, lost_sha).unlink()

    result = phone.sync()

    assert [(e.code, e.sha256) for e in result.errors] == [("photo_missing_local", lost_sha)]
    assert result.stopped is None and result.pending_events == 1
    assert not office_store.has_event(photo_events[0]["id"])
    assert office_store.has_event(photo_events[1]["id"])
    assert office_store.case(kept) is not None and office_store.case(broken) is not None
    errors = PhoneBook(phone.store).pending_errors()
    assert [(e["event_id"], e["code"]) for e in errors] == [(photo_events[0]["id"], "photo_missing_local")]
    assert len(photos_table(office_store, {broken})) == 1  # the other photo made it

    phone.save_photo(lost_bytes)  # the file comes back (restored from a backup)
    again = phone.sync()
    assert again.ok and again.pushed == 1 and PhoneBook(phone.store).pending_errors() == []
