"""Events validate themselves, round-trip through JSON and tell a resend from a change."""

import json
from datetime import datetime, timezone

import pytest

from fieldapp.domain.events import PAYLOAD_TYPES, Event
from fieldapp.domain.validate import EventError
from tests.factories import case_history


def test_every_event_round_trips_through_json(rules, inspector, office, now):
    for event in case_history(rules, inspector, office, now):
        wire = json.loads(json.dumps(event.to_dict(), ensure_ascii=False))
        again = Event.from_dict(wire)
        assert again == event
        assert again.content_hash() == event.content_hash()


def test_content_hash_changes_with_content_not_with_server_seq(rules, inspector, office, now):
    event = case_history(rules, inspector, office, now)[0]
    d = event.to_dict()
    assert Event.from_dict({**d, "server_seq": 7}).content_hash() == event.content_hash()
    d["payload"] = {**d["payload"], "note": "改过的说明"}
    assert Event.from_dict(d).content_hash() != event.content_hash()


def _registered(rules, inspector, office, now):
    return case_history(rules, inspector, office, now)[0].to_dict()


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.update(type="case.teleported"), "type: unknown event type"),
        (lambda d: d.update(id="not-a-uuid"), "id: expected a lowercase UUID"),
        (lambda d: d.update(id=d["id"].upper()), "id: expected a lowercase UUID"),
        (lambda d: d.update(recorded_at="2022-06-01T10:00:00"), "recorded_at: time '2022-06-01T10:00:00' has no UTC offset"),
        (lambda d: d["payload"].update(source="F"), "payload.source: expected one of"),
        (lambda d: d["payload"].update(deadline="2022-13-01"), "payload.deadline: not a date"),
        (lambda d: d["payload"].update(position={"lat": 91, "lon": 0}), "payload.position: lat 91"),
        (lambda d: d["payload"].update(position={"lat": 0, "lon": 0}), "payload.position: 0,0"),
        (lambda d: d["payload"].update(position={"lat": float("nan"), "lon": 1}), "payload.position"),
        (lambda d: d["payload"].update(note="x" * 5000), "payload.note: longer than"),
        (lambda d: d["payload"].pop("community"), "payload.community: expected a code"),
        (lambda d: d.update(subject="someone-else"), "subject:"),
        (lambda d: d.update(payload=[1, 2]), "payload: expected an object"),
        (lambda d: d.update(server_seq=-3), "server_seq"),
    ],
)
def test_malformed_events_are_refused_naming_the_field(rules, inspector, office, now, change, message):
    d = _registered(rules, inspector, office, now)
    change(d)
    with pytest.raises(EventError) as err:
        Event.from_dict(d)
    assert message in str(err.value)


def test_not_an_object_is_refused():
    with pytest.raises(EventError, match="event: expected an object"):
        Event.from_dict(["case.registered"])


def test_every_payload_type_declares_who_may_write_it():
    for name, cls in PAYLOAD_TYPES.items():
        assert cls.ROLES, name
        assert cls.ROLES <= {"inspector", "community", "office"}
    assert PAYLOAD_TYPES["case.verified"].ROLES == {"office"}
    # A community device may write its report, its request and their photos, nothing else.
    assert {t for t, cls in PAYLOAD_TYPES.items() if "community" in cls.ROLES} == {
        "case.reported", "case.exemption_requested", "photo.added"}
    assert PAYLOAD_TYPES["case.exemption_refused"].ROLES == {"office"}
    assert PAYLOAD_TYPES["score.superior"].ROLES == {"office"}
    assert "inspector" in PAYLOAD_TYPES["case.rechecked"].ROLES


def test_survey_tally_needs_respondents():
    d = {"community": "C1", "date": "2022-05-01", "counts": {"满意": 0}, "note": ""}
    with pytest.raises(EventError, match="no respondents"):
        PAYLOAD_TYPES["survey.tallied"].from_payload(d)
    d["counts"] = {"很满意": 3}
    with pytest.raises(EventError, match="unknown answer"):
        PAYLOAD_TYPES["survey.tallied"].from_payload(d)
