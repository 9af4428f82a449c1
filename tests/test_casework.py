"""An inspector's actions end to end: real photos on disk, events in a real store."""

from datetime import date, timedelta

import pytest

from fieldapp.casework import CAME_BACK, SEEN_AGAIN
from fieldapp.domain.commands import CommandError
from fieldapp.domain.geo import Position, distance_m
from fieldapp.photos import PhotoRejected, photo_path
from tests.conftest import PHOTOS, files_in

WITH_GPS = PHOTOS / "01_gps_apple__Apple_iPhone_4.jpg"
NO_EXIF = PHOTOS / "13_no-exif__img_1771_no_exif.jpg"
HEIC_WITH_ACCURACY = PHOTOS / "15_heic_gps-west_apple__IMG_5195.HEIC"  # GPSHPositioningError 38.81 m


def test_register_with_a_photo_takes_its_position_when_there_is_no_fix(work, store, now):
    saved = work.register(community="C1", category="Z1", photos=[WITH_GPS.read_bytes()], note="垃圾堆")
    assert saved.position_from_photo
    state = store.case(saved.case_id)
    assert distance_m(state.position, Position(41.853, 12.4888333)) < 1
    assert len(state.before_photos) == 1
    assert photo_path(work.photo_dir, state.before_photos[0]).exists()
    assert store.open_cases(now)[0].thumb == state.before_photos[0]
    assert state.position.accuracy_m is None  # the iPhone 4 photo gives no GPSHPositioningError


def test_the_photo_position_keeps_the_photo_accuracy(work, store):
    saved = work.register(community="C1", category="Z1", photos=[HEIC_WITH_ACCURACY.read_bytes()])
    assert saved.position_from_photo
    state = store.case(saved.case_id)
    assert distance_m(state.position, Position(39.0513444, -94.2887722)) < 1
    assert state.position.accuracy_m == pytest.approx(38.8, abs=0.1)
    registered = saved.events[0].to_dict()["payload"]["position"]
    assert registered["accuracy_m"] == pytest.approx(38.8, abs=0.1)  # on the wire, to the office


def test_an_explicit_fix_keeps_its_own_accuracy_over_the_photo(work, store):
    here = Position(34.75, 113.62)  # a fix without accuracy: not replaced by the photo's
    saved = work.register(community="C1", category="Z1", photos=[HEIC_WITH_ACCURACY.read_bytes()], position=here)
    assert not saved.position_from_photo and store.case(saved.case_id).position == here


def test_an_explicit_fix_beats_the_photo(work, store):
    here = Position(34.75, 113.62, 9)
    saved = work.register(community="C1", category="Z1", photos=[WITH_GPS.read_bytes()], position=here)
    assert not saved.position_from_photo and store.case(saved.case_id).position == here


def test_no_position_anywhere_needs_a_place(work, store):
    with pytest.raises(CommandError) as err:
        work.register(community="C1", category="Z1", photos=[NO_EXIF.read_bytes()])
    assert err.value.code == "no_location"
    assert store.event_count() == 0 and files_in(work.photo_dir) == []
    saved = work.register(community="C1", category="Z1", photos=[NO_EXIF.read_bytes()], place="人民路菜场北口")
    assert store.case(saved.case_id).place == "人民路菜场北口"


def test_a_text_file_as_photo_stores_nothing(work, store):
    with pytest.raises(PhotoRejected):
        work.register(community="C1", category="Z1", photos=[WITH_GPS.read_bytes(), b"just some notes\n"])
    assert store.event_count() == 0
    assert files_in(work.photo_dir) == []  # the good first photo went too


def test_no_photo_and_past_deadline_are_refused(work, store, now):
    with pytest.raises(CommandError) as err:
        work.register(community="C1", category="Z1", photos=[], place="x")
    assert err.value.code == "no_photo"
    with pytest.raises(CommandError) as err:
        work.register(community="C1", category="Z1", photos=[NO_EXIF.read_bytes()], place="x", deadline=date(2022, 5, 1))
    assert err.value.code == "deadline_in_past"
    assert store.event_count() == 0 and files_in(work.photo_dir) == []


def test_seen_again_adds_a_sighting_not_a_case(work, store, now):
    first = work.register(community="C1", category="Z1", photos=[WITH_GPS.read_bytes()])
    again = work.register(
        community="C1", category="Z1", photos=[NO_EXIF.read_bytes()], judged=SEEN_AGAIN, earlier_case_id=first.case_id
    )
    assert again.case_id == first.case_id
    state = store.case(first.case_id)
    assert state.sightings == 1 and len(state.before_photos) == 2
    assert len(store.cases(now)) == 1


def test_came_back_after_rectification_proposes_a_recurrence(work, store, clock, now):
    first = work.register(community="C1", category="Z1", photos=[WITH_GPS.read_bytes()])
    clock.moment["now"] = now + timedelta(days=1)
    work.recheck(first.case_id, rectified=True, photos=[NO_EXIF.read_bytes()])
    assert store.case(first.case_id).status(clock(), store.tz) == "rectified_on_time"
    position = store.case(first.case_id).position
    nearby = work.nearby("C1", "Z1", position)
    assert [(n.case_id, n.kind) for n in nearby] == [(first.case_id, "recurrence")]
    clock.moment["now"] = now + timedelta(days=20)
    back = work.register(
        community="C1", category="Z1", photos=[WITH_GPS.read_bytes()], judged=CAME_BACK, earlier_case_id=first.case_id
    )
    assert store.case(back.case_id).recurrences == ((first.case_id, "proposed"),)


def test_recheck_falls_short_then_void(work, store, clock, now):
    saved = work.register(community="C2", category="L3", photos=[NO_EXIF.read_bytes()], place="东街")
    work.recheck(saved.case_id, rectified=False, photos=[WITH_GPS.read_bytes()], note="摊位还在")
    state = store.case(saved.case_id)
    assert state.falls_short and state.lifecycle == "open" and len(state.after_photos) == 1
    with pytest.raises(CommandError):
        work.void(saved.case_id, "")
    work.void(saved.case_id, "地点登记错误")
    assert store.case(saved.case_id).status(now, store.tz) == "voided"
    with pytest.raises(CommandError) as err:
        work.recheck(saved.case_id, rectified=True, photos=[NO_EXIF.read_bytes()])
    assert err.value.code == "case_voided"


def test_survey_answers_are_counted_for_today(work, store, now):
    for answer in ("满意", "基本满意", "不满意"):
        work.answer_survey("C4", answer)
    assert store.survey_count(day=date(2022, 6, 1), actor=work.who.actor) == 3


def test_unknown_earlier_case_is_refused(work, store):
    with pytest.raises(CommandError) as err:
        work.register(
            community="C1",
            category="Z1",
            photos=[WITH_GPS.read_bytes()],
            judged=CAME_BACK,
            earlier_case_id="33333333-3333-4333-8333-333333333333",
        )
    assert err.value.code == "unknown_case"
    assert store.event_count() == 0 and files_in(work.photo_dir) == []


# --- the community's phone: 整改反馈 and 申请免责 ------------------------------------------------


def test_the_community_reports_back_and_the_inspector_sees_it_waiting(work, community_work, store, clock, now):
    saved = work.register(community="C1", category="Z1", photos=[WITH_GPS.read_bytes()])
    clock.moment["now"] = now + timedelta(hours=5)
    community_work.report_rectified(saved.case_id, photos=[NO_EXIF.read_bytes()], note="已清运")
    state = store.case(saved.case_id)
    assert state.lifecycle == "open" and state.awaiting_since == now + timedelta(hours=5)
    assert len(state.after_photos) == 1 and state.reports[0].note == "已清运"
    waiting = store.open_cases(clock(), awaiting=True)
    assert [(r.case_id, r.awaiting_since) for r in waiting] == [(saved.case_id, now + timedelta(hours=5))]
    clock.moment["now"] = now + timedelta(days=9)  # the check comes late; the report was in time
    work.recheck(saved.case_id, rectified=True, photos=[HEIC_WITH_ACCURACY.read_bytes()])
    state = store.case(saved.case_id)
    assert state.rectified_at == now + timedelta(hours=5) and state.on_time
    assert store.open_cases(clock(), awaiting=True) == []


def test_the_reports_waiting_for_a_recheck_come_oldest_report_first(work, community_work, store, clock, now):
    cases = [work.register(community="C1", category="Z1", photos=[WITH_GPS.read_bytes()], place=f"p{i}").case_id
             for i in range(3)]
    for hours, case_id in ((5, cases[2]), (1, cases[0]), (3, cases[1])):
        clock.moment["now"] = now + timedelta(hours=hours)
        community_work.report_rectified(case_id, photos=[NO_EXIF.read_bytes()])
    assert [r.case_id for r in store.open_cases(clock(), awaiting=True)] == [cases[0], cases[1], cases[2]]


def test_a_report_needs_a_photo_and_an_open_case(work, community_work, store):
    saved = work.register(community="C1", category="Z1", photos=[WITH_GPS.read_bytes()])
    count = store.event_count()
    with pytest.raises(CommandError) as err:
        community_work.report_rectified(saved.case_id, photos=[])
    assert err.value.code == "no_photo"
    work.void(saved.case_id, "登记错误")
    count = store.event_count()
    with pytest.raises(CommandError) as err:
        community_work.report_rectified(saved.case_id, photos=[NO_EXIF.read_bytes()])
    assert err.value.code == "case_voided"
    assert store.event_count() == count and len(files_in(work.photo_dir)) == 2  # the photo went again


def test_exemption_is_asked_only_for_a_and_b_cases(work, community_work, store, now):
    from fieldapp.domain import commands as cmd
    d_case = work.register(community="C1", category="Z1", photos=[WITH_GPS.read_bytes()])
    with pytest.raises(CommandError) as err:
        community_work.request_exemption(d_case.case_id, reason="无法整改")
    assert err.value.code == "not_exemptible"
    b = cmd.register_case(store.rules, work.who, now, community="C1", category="L1", source="B", place="北街")
    store.append([b])
    with pytest.raises(CommandError) as err:
        community_work.request_exemption(b.data.case_id, reason="  ")
    assert err.value.code == "reason_required"
    community_work.request_exemption(b.data.case_id, reason="已列入拆迁范围", photos=[NO_EXIF.read_bytes()])
    state = store.case(b.data.case_id)
    assert state.exemption_request == "requested" and len(state.exemption_photos) == 1
    assert not state.exempted and state.after_photos == ()
