"""Evidence end to end with real photos (issue 12 §3): marks written when a case is saved,
an after photo equal to a before photo refused with nothing stored, a nearly identical one
marked; the marks in the office's report (JSON and .xlsx)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from PIL import Image

from fieldapp.casework import LIKE_BEFORE, SAME_AS_BEFORE
from fieldapp.domain import evidence as ev
from fieldapp.domain.commands import CommandError
from fieldapp.domain.geo import Position
from fieldapp.domain.scoring import end_of_day, score_year
from fieldapp.office.report import to_json, write_xlsx
from fieldapp.photos import perceptual_hash
from fieldapp.office import words as S
from tests.conftest import PHOTOS, files_in

ROME_2011 = PHOTOS / "01_gps_apple__Apple_iPhone_4.jpg"  # GPS in Rome, taken 2011-01-13
NO_EXIF = PHOTOS / "13_no-exif__img_1771_no_exif.jpg"
HEIC = PHOTOS / "15_heic_gps-west_apple__IMG_5195.HEIC"
HERE = Position(34.7480, 113.6270, 8.0)  # inside the sub-district's area (rules [area])




def reencoded(path, scale=0.5, crop=0.02, quality=70) -> bytes:
    """The same picture again: cropped a little, scaled down, JPEG-compressed anew."""
    with Image.open(path) as img:
        w, h = img.size
        img = img.crop((int(w * crop), int(h * crop), w - int(w * crop), h - int(h * crop)))
        img = img.resize((int(img.width * scale), int(img.height * scale)))
        out = io.BytesIO()
        img.convert("RGB").save(out, "JPEG", quality=quality)
        return out.getvalue()


# --- marks when a case is saved ---------------------------------------------------------------


def test_an_album_photo_from_rome_2011_without_a_fix_gets_three_marks(work, store):
    saved = work.register(community="C1", category="Z1", photos=[ROME_2011.read_bytes()])
    assert saved.position_from_photo
    assert saved.marks == (ev.PHOTO_POSITION, ev.OUTSIDE_AREA, ev.PHOTO_OLD)
    assert store.case(saved.case_id).marks == saved.marks
    assert store.open_cases(work.clock())[0].marks == saved.marks
    registration = next(e for e in saved.events if e.type == "case.registered")
    assert registration.to_dict()["payload"]["marks"] == list(saved.marks)


def test_a_fresh_fix_here_with_a_photo_without_exif_is_not_marked(work, store):
    saved = work.register(community="C1", category="Z1", photos=[NO_EXIF.read_bytes()], position=HERE)
    assert saved.marks == () and store.case(saved.case_id).marks == ()
    registration = next(e for e in saved.events if e.type == "case.registered")
    assert "marks" not in registration.to_dict()["payload"]


def test_a_fix_here_with_the_old_rome_photo_is_old_only(work):
    saved = work.register(community="C1", category="Z1", photos=[ROME_2011.read_bytes()], position=HERE)
    assert saved.marks == (ev.PHOTO_OLD,)


def test_a_mocked_fix_is_stored_with_the_case(work, store):
    saved = work.register(community="C1", category="Z1", photos=[NO_EXIF.read_bytes()], position=HERE,
                          position_mocked=True)
    assert store.case(saved.case_id).marks == (ev.MOCKED_POSITION,)


def test_a_fix_outside_the_area(work):
    far = Position(34.2655, 108.9542, 8.0)  # Xi'an
    assert work.register(community="C1", category="Z1", photos=[NO_EXIF.read_bytes()],
                         position=far).marks == (ev.OUTSIDE_AREA,)


# --- after photos against before photos -------------------------------------------------------


def _state_of_store(store, work):
    return store.event_count(), files_in(work.photo_dir)


@pytest.mark.parametrize("who", ["inspector", "community"])
def test_an_after_photo_equal_to_a_before_photo_is_refused_and_nothing_is_stored(work, community_work, store,
                                                                                  clock, now, who):
    saved = work.register(community="C1", category="Z1", photos=[ROME_2011.read_bytes()], position=HERE)
    clock.moment["now"] = now + timedelta(hours=3)
    before = _state_of_store(store, work)
    same_bytes = ROME_2011.read_bytes()
    stored_copy = (work.photo_dir / store.case(saved.case_id).before_photos[0][:2]
                   / f"{store.case(saved.case_id).before_photos[0]}.jpg").read_bytes()
    for photo in (same_bytes, stored_copy):  # the camera's bytes, or the stored photo saved from the phone
        with pytest.raises(CommandError) as err:
            if who == "inspector":
                work.recheck(saved.case_id, rectified=True, photos=[photo])
            else:
                community_work.report_rectified(saved.case_id, photos=[photo], note="已清理")
        assert err.value.code == "after_same_as_before"
        assert S.ERRORS["after_same_as_before"]
        assert _state_of_store(store, work) == before
    # a second, new photo beside the equal one does not let it through either
    with pytest.raises(CommandError):
        work.recheck(saved.case_id, rectified=True, photos=[NO_EXIF.read_bytes(), same_bytes])
    assert _state_of_store(store, work) == before
    state = store.case(saved.case_id)
    assert state.lifecycle == "open" and state.after_photos == () and state.checks == ()


def test_a_nearly_identical_after_photo_is_saved_with_a_mark(work, community_work, store, clock, now):
    saved = work.register(community="C1", category="Z1", photos=[ROME_2011.read_bytes()], position=HERE)
    alike = reencoded(ROME_2011)
    sha_before = store.case(saved.case_id).before_photos[0]
    assert alike != ROME_2011.read_bytes()
    clock.moment["now"] = now + timedelta(hours=3)
    report = community_work.report_rectified(saved.case_id, photos=[alike], note="已清理")
    assert report.marks == (ev.AFTER_LIKE_BEFORE,)
    clock.moment["now"] = now + timedelta(hours=5)
    check = work.recheck(saved.case_id, rectified=True, photos=[HEIC.read_bytes()])  # a really new photo
    assert check.marks == ()
    state = store.case(saved.case_id)
    assert state.lifecycle == "rectified"
    assert state.marks == (ev.PHOTO_OLD, ev.AFTER_LIKE_BEFORE)
    assert sha_before not in state.after_photos


def test_the_form_asks_before_saving(work, store, tmp_path):
    """check_after_photo: what the 复查 / 整改反馈 dialog says as soon as a photo is chosen."""
    from fieldapp.ui.queries import inspect_photo

    saved = work.register(community="C1", category="Z1", photos=[ROME_2011.read_bytes()], position=HERE)
    verdicts = {}
    for name, data in (("same", ROME_2011.read_bytes()), ("alike", reencoded(ROME_2011)),
                       ("other", NO_EXIF.read_bytes())):
        picked = inspect_photo(data)
        verdicts[name] = work.check_after_photo(saved.case_id, sha256=picked.sha256,
                                                original_sha256=picked.original_sha256, phash=picked.phash)
    assert verdicts == {"same": SAME_AS_BEFORE, "alike": LIKE_BEFORE, "other": None}
    assert perceptual_hash(b"not a photo") is None


# --- the office's report ------------------------------------------------------------------------


def test_the_report_names_the_marks_on_line_items_and_notes(work, store, clock, now, rules, tmp_path):
    marked = work.register(community="C1", category="Z1", photos=[ROME_2011.read_bytes()], place="东街口",
                           deadline=(now + timedelta(days=2)).astimezone(rules.tz).date())
    plain = work.register(community="C1", category="Z2", photos=[NO_EXIF.read_bytes()], position=HERE,
                          place="西街口")
    # both never rectified: each gets a D.further line item after its deadline
    at = end_of_day((now + timedelta(days=10)).astimezone(rules.tz).date(), rules)
    result = score_year(rules, store.events(), at)
    data = to_json(result, rules)
    c1 = next(c for c in data["ranking"] if c["community"] == "C1")
    items = {i["case_id"]: i for i in c1["deductions"]}
    words = "、".join(S.EVIDENCE_MARKS[m] for m in (ev.PHOTO_POSITION, ev.OUTSIDE_AREA, ev.PHOTO_OLD))
    assert items[marked.case_id]["marks"] == ["photo_position", "outside_area", "photo_old"]
    assert words in items[marked.case_id]["text"]
    assert items[plain.case_id]["marks"] == [] and S.EVIDENCE_MARKS["photo_old"] not in items[plain.case_id]["text"]
    notes = [n for n in c1["notes"] if n["code"] == "evidence"]
    assert [n["case_id"] for n in notes] == [marked.case_id] and words in notes[0]["text"]

    path = write_xlsx(result, rules, tmp_path / "report.xlsx")
    sheet = load_workbook(path)[rules.community("C1").name]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    head = next(r for r in rows if r[0] == S.REPORT_ITEMS_HEAD[0] and r[-1] == S.REPORT_ITEMS_HEAD[-1])
    col, ids = head.index(S.REPORT_ITEMS_HEAD[-1]), head.index("完整 ID")
    by_case = {r[ids]: r for r in rows if r[ids] in (marked.case_id, plain.case_id) and r[1] is not None}
    assert by_case[marked.case_id][col] == words and not by_case[plain.case_id][col]
    assert any(r[0] and words in str(r[0]) and r[ids] == marked.case_id for r in rows)  # the notes part


def test_a_marked_case_rectified_on_time_still_shows_in_the_report(work, store, clock, now, rules):
    saved = work.register(community="C2", category="Z1", photos=[ROME_2011.read_bytes()], position=HERE)
    clock.moment["now"] = now + timedelta(hours=2)
    work.recheck(saved.case_id, rectified=True, photos=[NO_EXIF.read_bytes()])
    at = end_of_day((now + timedelta(days=10)).astimezone(rules.tz).date(), rules)
    c2 = score_year(rules, store.events(), at).community("C2")
    assert c2.deductions == ()
    assert [(n.code, n.case_id, n.detail) for n in c2.notes if n.case_id] == [("evidence", saved.case_id, "photo_old")]
