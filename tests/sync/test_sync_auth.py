"""Enrolment codes, device tokens and what a phone may push and pull."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sync_kit import FAST_RETRY, FaultTransport, api, office_event_ids, token_of, wires_of

from fieldapp.domain import commands as cmd
from sync import auth
from sync import protocol as p
from sync.channel import SyncError
from sync.client import enrol
from sync.phonebook import PhoneBook, utc_now


def test_code_is_single_use(office, office_store, make_phone):
    code, _ = auth.create_code(office_store, "inspector-x", ["C1"])
    first = make_phone("one")
    enrol(first.store, office.url, code.lower().replace("-", " "), retry=FAST_RETRY)  # typed sloppily
    with pytest.raises(SyncError) as refused:
        enrol(make_phone("two").store, office.url, code, retry=FAST_RETRY)
    assert refused.value.code == "enrol_code_used" and refused.value.status == 403


def test_expired_and_unknown_codes_are_refused(office, office_store, make_phone):
    code, _ = auth.create_code(office_store, "inspector-x", ["C1"], now=utc_now() - timedelta(hours=25))
    phone = make_phone("late")
    with pytest.raises(SyncError) as expired:
        enrol(phone.store, office.url, code, retry=FAST_RETRY)
    assert expired.value.code == "enrol_code_expired"
    with pytest.raises(SyncError) as unknown:
        enrol(phone.store, office.url, "AAAA-BBBB-CCCC", retry=FAST_RETRY)
    assert unknown.value.code == "enrol_code_invalid"
    assert PhoneBook(phone.store).credentials()["token"] is None


def test_lost_enrol_answer_is_retried_without_burning_the_code(office, office_store, make_phone):
    code, _ = auth.create_code(office_store, "inspector-x", ["C1"])
    transport = FaultTransport()
    transport.add("POST", "/enrol", "lose_response", times=1)
    phone = make_phone("retry")
    info = enrol(phone.store, office.url, code, transport=transport, retry=FAST_RETRY)
    assert info["inspector"] == "inspector-x"
    assert [d.device_id for d in auth.devices(office_store)] == [info["device_id"]]
    phone.who = cmd.Actor("inspector-x", info["device_id"])
    phone.new_case()
    assert phone.sync().ok  # the token from the retried answer is the live one
    transport.close()


def test_tokens_and_codes_are_stored_only_as_hashes(office, office_store, phone):
    token = token_of(phone)
    dump = "\n".join(office_store.db.conn.iterdump())
    assert token not in dump
    assert len(token) >= 43  # token_urlsafe(32)


def test_unknown_communities_are_refused_at_code_creation(office_store):
    with pytest.raises(ValueError):
        auth.create_code(office_store, "inspector-x", ["C9"])


def test_revoked_device_is_listed_as_revoked(office, office_store, phone):
    assert auth.revoke(office_store, phone.device_id)
    assert not auth.revoke(office_store, phone.device_id)
    [device] = auth.devices(office_store)
    assert device.revoked_at is not None and not device.active


# --- what a phone may push -----------------------------------------------------------------------


def push(office, phone, events) -> list[dict]:
    with api(office, token_of(phone)) as http:
        return http.post("/events", json={"events": events}).json()["results"]


def test_events_of_another_actor_are_rejected(office, office_store, phone, make_phone):
    other = make_phone("other").enrol(office, "inspector-b", ("C1",))
    other.new_case()
    results = push(office, phone, wires_of(other)[:1])
    assert results[0]["status"] == "rejected" and results[0]["reason"] == p.REASON_ACTOR
    assert office_event_ids(office_store) == []


def test_office_only_event_types_are_rejected(office, office_store, phone, rules):
    case_id = phone.new_case()
    assert phone.sync().ok
    state = phone.store.case(case_id)
    change = cmd.change_deadline(state, rules, phone.who, phone.tick(), deadline=state.deadline + timedelta(days=3),
                                 reason="下雨")
    results = push(office, phone, [change.to_dict()])
    assert results[0]["reason"] == p.REASON_ROLE
    assert not office_store.has_event(change.id)
    assert office_store.db.execute("SELECT reason FROM sync_rejections").fetchone()[0] == p.REASON_ROLE


def test_other_communities_are_rejected(office, office_store, make_phone):
    phone = make_phone("c1-only").enrol(office, "inspector-c", ("C1",))
    phone.new_case("C3")
    result = phone.sync()
    codes = [(e.code, e.detail.split(":")[0]) for e in result.errors]
    assert codes == [("event_rejected", p.REASON_COMMUNITY), ("event_rejected", p.REASON_UNKNOWN_CASE)]
    assert office_event_ids(office_store) == [] and result.pending_events == 2


def test_case_events_use_the_office_community_not_the_phones(office, office_store, phone, make_phone):
    case_id = phone.new_case("C2")
    assert phone.sync().ok
    # Same inspector, but this device is only for C1: it may not touch a C2 case.
    c1_phone = make_phone("c1").enrol(office, "inspector-a", ("C1",))
    c1_phone.store.append(phone.store.case_events(case_id)[:1])  # as if it knew the case
    c1_phone.add_photo(case_id)
    result = c1_phone.sync()
    # The copied registration carries the other phone's device id; the photo, its own case's community.
    assert [e.detail.split(":")[0] for e in result.errors if e.code == "event_rejected"] == [
        p.REASON_DEVICE, p.REASON_COMMUNITY]


def test_case_events_for_an_unknown_case_are_rejected(office, office_store, phone):
    case_id = phone.new_case()
    results = push(office, phone, wires_of(phone, case_id)[1:])  # the photo without its registration
    assert results[0]["status"] == "rejected" and results[0]["reason"] == p.REASON_UNKNOWN_CASE


def test_pull_shows_only_the_devices_communities(office, office_store, phone, make_phone):
    c1 = phone.new_case("C1")
    phone.new_case("C2")
    assert phone.sync().ok
    viewer = make_phone("viewer").enrol(office, "inspector-v", ("C1",))
    with api(office, token_of(viewer)) as http:
        page = http.get("/events", params={"since": 0}).json()
    assert {e["payload"]["case_id"] for e in page["events"]} == {c1}
    assert page["more"] is False and page["cursor"] == len(office_event_ids(office_store))
    assert json.dumps(page, ensure_ascii=False)  # plain JSON


def test_an_event_written_under_another_name_is_refused_visibly_not_left_unsent(office, office_store, phone):
    stranger = cmd.Actor("someone-else", phone.device_id)
    event = cmd.register_case(phone.rules, stranger, phone.tick(), community="C1", category="Z1", place="东门")
    phone.store.append([event])
    result = phone.sync()
    assert [(e.code, e.event_id) for e in result.errors] == [("event_rejected", event.id)]
    assert p.REASON_ACTOR in result.errors[0].detail and result.pending_events == 1
    assert PhoneBook(phone.store).pending_errors()[0]["code"] == "event_rejected"


def test_a_revoke_takes_effect_at_once_although_the_office_remembers_live_tokens(office, office_store, phone):
    with api(office, token_of(phone)) as http:
        for _ in range(3):  # the office now remembers this token's device
            assert http.get("/hello").status_code == 200
            assert http.post("/blobs/missing", json={"sha256": []}).status_code == 200
        assert auth.revoke(office_store, phone.device_id)  # another connection, as the CLI would
        answer = http.post("/blobs/missing", json={"sha256": []})
        assert answer.status_code == 401 and answer.json()["error"]["code"] == "token_revoked"
