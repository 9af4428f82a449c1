"""Evidence marks (issue 12 §3): the pure mark function, the rules' settings, the payloads
(old events keep their content hash), the projection and the store's list rows."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta, timezone

import pytest

from fieldapp.domain import commands as cmd
from fieldapp.domain import evidence as ev
from fieldapp.domain.events import CaseRechecked, CaseRegistered, Event, RectificationReported
from fieldapp.domain.geo import Position
from fieldapp.domain.projection import project_case
from fieldapp.domain.rules import Area, RulesError, parse_rules
from fieldapp.domain.validate import EventError
from fieldapp.rules import load_rules

INSIDE = Position(34.7480, 113.6270, 8.0)  # ~200 m from the area's centre
ROME = Position(41.853, 12.4888333)  # photo 01's EXIF position


def marks(rules, now, **kw):
    kw.setdefault("position", INSIDE)
    kw.setdefault("position_from_photo", False)
    return ev.registration_marks(rules, now, **kw)


# --- the pure mark function -------------------------------------------------------------------


def test_a_fresh_fix_inside_the_area_with_a_fresh_photo_has_no_mark(rules, now):
    assert marks(rules, now, photo_times=["2022-06-01T09:55:00"]) == ()
    assert marks(rules, now, photo_times=[None]) == ()  # no EXIF time: nothing to say


def test_position_only_from_the_photo(rules, now):
    assert marks(rules, now, position_from_photo=True) == (ev.PHOTO_POSITION,)


def test_an_old_photo_by_its_exif_time(rules, now):
    # now = 2022-06-01 10:00 in Shanghai; photo_max_age_days = 3
    assert marks(rules, now, photo_times=["2022-05-29T10:30:00"]) == ()  # 2 d 23.5 h: not yet
    assert marks(rules, now, photo_times=["2022-05-29T09:30:00"]) == (ev.PHOTO_OLD,)  # 3 d 0.5 h
    assert marks(rules, now, photo_times=["2011-01-13T14:33:39", None]) == (ev.PHOTO_OLD,)
    # an offset in the EXIF counts: 10:30 at +03:00 is 15:30 in Shanghai, 2 d 18.5 h before
    assert marks(rules, now, photo_times=["2022-05-29T10:30:00+03:00"]) == ()
    assert marks(rules, now, photo_times=["not a time"]) == ()


def test_outside_the_area(rules, now):
    assert rules.area == Area(34.7466, 113.6253, 3000.0)
    edge = Position(34.7466 + 2_900 / 111_000, 113.6253)
    beyond = Position(34.7466 + 3_100 / 111_000, 113.6253)
    assert marks(rules, now, position=edge) == ()
    assert marks(rules, now, position=beyond) == (ev.OUTSIDE_AREA,)
    assert marks(rules, now, position=None) == ()  # a typed place only: nothing to measure
    no_area = dataclasses.replace(rules, area=None)
    assert marks(no_area, now, position=ROME) == ()


def test_a_mocked_fix(rules, now):
    assert marks(rules, now, mocked=True) == (ev.MOCKED_POSITION,)
    # the position came from the photo, so the fix's mocked flag does not describe it
    assert marks(rules, now, mocked=True, position_from_photo=True) == (ev.PHOTO_POSITION,)


def test_all_marks_together_in_their_order(rules, now):
    assert marks(rules, now, position=ROME, position_from_photo=True, photo_times=["2011-01-13T14:33:39"]) == (
        ev.PHOTO_POSITION, ev.OUTSIDE_AREA, ev.PHOTO_OLD)
    assert ev.ordered(["zz_new", ev.PHOTO_OLD, ev.MOCKED_POSITION, ev.PHOTO_OLD]) == (
        ev.MOCKED_POSITION, ev.PHOTO_OLD, "zz_new")


def test_nearly_the_same_picture_by_perceptual_hash():
    a = "c3d1e0f0e0c0c0c0"
    assert ev.hash_distance(a, a) == 0
    b = f"{int(a, 16) ^ 0xFF:016x}"  # 8 bits apart
    c = f"{int(a, 16) ^ 0x1FF:016x}"  # 9 bits apart
    assert ev.nearly_same(b, [a]) and not ev.nearly_same(c, [a])
    assert not ev.nearly_same(None, [a]) and not ev.nearly_same(a, []) and not ev.nearly_same(a, ["", "ab"])


# --- the rules file -------------------------------------------------------------------------


def _raw_rules():
    import tomllib

    from fieldapp.rules import RULES_DIR

    return tomllib.loads((RULES_DIR / "2022.toml").read_text(encoding="utf-8"))


def test_the_rules_settings_are_optional_and_checked():
    raw = _raw_rules()
    assert parse_rules(raw).photo_max_age_days == 3
    del raw["photo_max_age_days"], raw["area"]
    plain = parse_rules(raw)
    assert plain.photo_max_age_days == 3 and plain.area is None
    for patch, field in (({"photo_max_age_days": 0}, "photo_max_age_days"),
                         ({"area": {"centre": [34.7], "radius_m": 10}}, "area.centre"),
                         ({"area": {"centre": [95, 113.6], "radius_m": 10}}, "area.centre"),
                         ({"area": {"centre": [34.7, 113.6], "radius_m": 0}}, "area.radius_m"),
                         ({"area": {"centre": [34.7, 113.6]}}, "area.radius_m")):
        with pytest.raises(RulesError, match=field.replace(".", r"\.")):
            parse_rules({**_raw_rules(), **patch})


# --- payloads: old events keep their canonical JSON -------------------------------------------

CASE = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
OLD_REGISTRATION = {
    "id": "7b0c2a4e-1f57-4c6e-9a3b-2d8f0e5c1a90", "type": "case.registered",
    "payload": {"case_id": CASE, "community": "C1", "category": "Z1", "source": "D", "note": "垃圾", "place": "东街",
                "position": {"lat": 34.7466, "lon": 113.6253, "accuracy_m": 8.0},
                "found_at": "2022-06-01T09:00:00+08:00", "deadline": "2022-06-04", "unannounced": False},
    "actor": "inspector-1", "device": "phone-1", "recorded_at": "2022-06-01T09:00:00+08:00"}
OLD_CHECK = {
    "id": "8c1d3b5f-2a68-4d7f-8b4c-3e9f1f6d2b01", "type": "case.rechecked",
    "payload": {"case_id": CASE, "outcome": "rectified", "checked_at": "2022-06-02T10:00:00+08:00", "note": "",
                "photos": ["a" * 64]},
    "actor": "inspector-1", "device": "phone-1", "recorded_at": "2022-06-02T10:00:00+08:00"}
OLD_REPORT = {
    "id": "9d2e4c6a-3b79-4e8a-9c5d-4fa02a7e3c12", "type": "case.reported",
    "payload": {"case_id": CASE, "reported_at": "2022-06-02T08:00:00+08:00", "note": "已清理", "photos": ["b" * 64]},
    "actor": "community-1", "device": "phone-2", "recorded_at": "2022-06-02T08:00:00+08:00"}
# content_hash() of these three events as computed before evidence marks existed (commit 560719f)
OLD_HASHES = {
    "case.registered": "97d1e4c49d5b9adc0d66c715aa5e56c89f7d534ac5a8ced5e2060f49bce5c696",
    "case.rechecked": "2d67526611ad77870552c70f05e7da3a9bf2cc4d4f555d83aa9aef98a67c0171",
    "case.reported": "2674a811f532074c7afbb4b1ba7a52972f6caf3684bda89567cb26f44571aed6",
}


@pytest.mark.parametrize("raw", [OLD_REGISTRATION, OLD_CHECK, OLD_REPORT], ids=lambda r: r["type"])
def test_an_old_event_keeps_its_content_hash_and_payload(raw):
    event = Event.from_dict(raw)
    assert event.content_hash() == OLD_HASHES[raw["type"]]
    assert event.to_dict()["payload"] == raw["payload"]  # no "marks": [] added
    assert event.data.marks == ()


def test_marks_travel_in_the_payload_and_change_the_hash():
    raw = json.loads(json.dumps(OLD_REGISTRATION))
    raw["payload"]["marks"] = ["photo_position", "photo_old"]
    event = Event.from_dict(raw)
    assert event.data.marks == ("photo_position", "photo_old")
    assert event.to_dict()["payload"]["marks"] == ["photo_position", "photo_old"]
    assert Event.from_dict(event.to_dict()).content_hash() == event.content_hash() != OLD_HASHES["case.registered"]
    raw["payload"]["marks"] = ["some_future_mark"]  # a newer phone's mark: kept, shown in general words
    assert Event.from_dict(raw).data.marks == ("some_future_mark",)
    for bad in ("photo_old", ["photo_old", "photo_old"], ["not a code!"], [1], ["m"] * 17):
        raw["payload"]["marks"] = bad
        with pytest.raises(EventError, match="payload.marks"):
            Event.from_dict(raw)


def test_checks_and_reports_carry_marks_too():
    for raw, cls in ((OLD_CHECK, CaseRechecked), (OLD_REPORT, RectificationReported)):
        data = json.loads(json.dumps(raw))
        data["payload"]["marks"] = [ev.AFTER_LIKE_BEFORE]
        event = Event.from_dict(data)
        assert isinstance(event.data, cls) and event.data.marks == (ev.AFTER_LIKE_BEFORE,)
        assert event.content_hash() != OLD_HASHES[raw["type"]]


# --- the projection and the store -------------------------------------------------------------


def test_the_projection_exposes_the_marks_of_registration_checks_and_reports(rules, inspector, now):
    who = inspector
    reg = cmd.register_case(rules, who, now, community="C1", category="Z1", position=ROME,
                            marks=(ev.PHOTO_POSITION, ev.OUTSIDE_AREA))
    state = project_case([reg], rules.tz)
    assert state.marks == (ev.PHOTO_POSITION, ev.OUTSIDE_AREA)
    report = cmd.report_rectified(state, cmd.Actor("李四", "c-phone"), now + timedelta(hours=1), photos=("c" * 64,),
                                  marks=(ev.AFTER_LIKE_BEFORE,))
    check = cmd.recheck(state, who, now + timedelta(hours=2), rectified=True, photos=("d" * 64,),
                        marks=(ev.AFTER_LIKE_BEFORE,))
    state = project_case([check, reg, report], rules.tz)
    assert state.marks == (ev.PHOTO_POSITION, ev.OUTSIDE_AREA, ev.AFTER_LIKE_BEFORE)
    assert project_case([Event.from_dict(OLD_REGISTRATION)], rules.tz).marks == ()


def test_the_store_lists_the_marks_and_rebuilds_them(store, rules, inspector, now):
    marked = cmd.register_case(rules, inspector, now, community="C1", category="Z1", position=INSIDE,
                               marks=(ev.MOCKED_POSITION,))
    plain = cmd.register_case(rules, inspector, now, community="C1", category="Z2", position=INSIDE)
    store.append([marked, plain])
    rows = {r.case_id: r for r in store.open_cases(now)}
    assert rows[marked.data.case_id].marks == (ev.MOCKED_POSITION,) and rows[plain.data.case_id].marks == ()
    store.db.execute("UPDATE cases SET marks = NULL")
    store.rebuild_projections()
    assert {r.case_id: r.marks for r in store.cases(now)}[marked.data.case_id] == (ev.MOCKED_POSITION,)


def test_every_mark_has_words():
    from fieldapp.ui import strings as S

    assert set(S.EVIDENCE_MARKS) == set(ev.MARKS) == set(S.EVIDENCE_WHY)
    for words in S.EVIDENCE_MARKS.values():
        assert words and not any(ch.isascii() and ch.isalpha() for ch in words)  # no codes on screen
