"""Photo downloads: a phone gets the photos of its communities' cases that colleagues took
(GET /blobs/{sha256} after the pull), checked against their names, with the thumbnails the
screens show; other communities' photos are not given out (404, the same as no photo at all).

Real office (uvicorn), real SQLite files, real photo files; faults only on the wire.
"""

from __future__ import annotations

import hashlib
import pytest
from PIL import Image
from sync_kit import FAST_RETRY, api, token_of

from fieldapp.casework import Casework
from fieldapp.domain import commands as cmd
from fieldapp.photos import THUMB_SIDE, photo_path, thumb_path
from fieldapp.ui import queries
from sync import auth
from sync import protocol as p
from tests.conftest import PHOTOS

CAMERA_PHOTO = PHOTOS / "01_gps_apple__Apple_iPhone_4.jpg"
AFTER_PHOTO = PHOTOS / "13_no-exif__img_1771_no_exif.jpg"


def casework(phone) -> Casework:
    return Casework(phone.store, phone.photo_dir, phone.who, lambda: phone.tick())


def blob_gets(transport) -> list:
    return [c for c in transport.log if c[0] == "GET" and "/blobs/" in c[1]]


def files(folder) -> set[str]:
    return {str(f.relative_to(folder)) for f in folder.rglob("*") if f.is_file()} if folder.exists() else set()


@pytest.fixture
def a(make_phone, office):
    return make_phone("phone-a").enrol(office, "inspector-a", ("C1",))


@pytest.fixture
def b(make_phone, office):
    return make_phone("phone-b").enrol(office, "inspector-b", ("C1", "C2"))


@pytest.fixture
def shared_case(a):
    """A registers a case in C1 with a camera photo (stored by the real intake) and syncs."""
    saved = casework(a).register(community="C1", category="Z1", photos=[CAMERA_PHOTO.read_bytes()],
                                 place="东门")
    assert a.sync().ok
    sha = a.store.case(saved.case_id).before_photos[0]
    return saved.case_id, sha


def test_a_colleagues_photo_comes_down_byte_identical_with_its_thumbnail(office, a, b, shared_case, transport):
    case_id, sha = shared_case
    assert not photo_path(b.photo_dir, sha).exists()

    result = b.sync(office, transport=transport)

    assert result.ok, result
    assert result.pulled >= 2 and result.photos_to_download == result.photos_downloaded == 1
    original = photo_path(a.photo_dir, sha).read_bytes()
    assert photo_path(b.photo_dir, sha).read_bytes() == original
    assert result.bytes_downloaded == len(original)
    assert "downloaded photos 1/1" in result.summary()
    with Image.open(thumb_path(b.photo_dir, sha)) as thumb:  # the thumbnail the list and detail show
        assert thumb.format == "JPEG" and max(thumb.size) == THUMB_SIDE
    assert not [f for f in files(b.photo_dir) if f.endswith(".tmp")]
    # 案件详情 reads files by sha: it now shows the photo (thumbnail, and the full view)
    detail = queries.case_detail(b.store, b.photo_dir, b.clock, case_id)
    assert detail.before == ((sha, thumb_path(b.photo_dir, sha).read_bytes()),)
    assert queries.photo_bytes(b.photo_dir, sha) == original
    page = queries.case_page(b.store, b.photo_dir, b.clock, queries.CaseFilter())
    assert sha in page.thumbs
    assert b.store.get_meta("sync.last_run") and '"photos_downloaded": 1' in b.store.get_meta("sync.last_run")

    # nothing more to fetch: the next run asks for no photo; A never asks for its own
    transport.log.clear()
    again = b.sync(office, transport=transport)
    assert again.ok and again.photos_to_download == again.photos_downloaded == 0
    assert blob_gets(transport) == []
    assert a.sync().photos_downloaded == 0


def test_after_photos_come_down_too_also_when_only_the_recheck_names_them(office, a, b, shared_case):
    case_id, before = shared_case
    # A re-checks the app's way (photo.added "after" + case.rechecked) ...
    casework(a).recheck(case_id, rectified=False, photos=[AFTER_PHOTO.read_bytes()], note="未清理")
    # ... and then a re-check naming a photo in case.rechecked only (no photo.added), as another
    # client may: the office finds it through sync_recheck_photos.
    lone = a.photo_bytes(30_000)
    lone_sha = a.save_photo(lone)
    state = a.store.case(case_id)
    a.store.append([cmd.recheck(state, a.who, a.tick(), rectified=True, photos=(lone_sha,))])
    assert a.sync().ok

    result = b.sync()

    assert result.ok, result
    after = [s for s in b.store.case(case_id).after_photos]
    assert lone_sha in after and len(after) == 2
    assert result.photos_downloaded == 3  # the before photo and both after photos
    for sha in [before, *after]:
        assert photo_path(b.photo_dir, sha).read_bytes() == photo_path(a.photo_dir, sha).read_bytes()
    assert thumb_path(b.photo_dir, [s for s in after if s != lone_sha][0]).is_file()
    # bytes that are no image we can decode are still what the office holds: kept, no thumbnail
    assert not thumb_path(b.photo_dir, lone_sha).exists()


def test_other_communities_get_404_the_same_as_no_photo_and_download_nothing(office, a, b, shared_case,
                                                                              make_phone, transport):
    case_id, sha = shared_case
    c3 = make_phone("phone-c3").enrol(office, "inspector-c", ("C3",))
    made_up = hashlib.sha256(b"no such photo").hexdigest()

    with api(office, token_of(c3)) as http:
        theirs, nothing = http.get(f"/blobs/{sha}"), http.get(f"/blobs/{made_up}")
        bad = http.get("/blobs/" + "A" * 64)
    for answer in (theirs, nothing):
        assert answer.status_code == 404
        assert answer.headers["content-type"].startswith("application/json")
        assert answer.json() == {"protocol": p.MARKER, "error": {"code": "not_found", "message": "no such photo"}}
    assert theirs.content == nothing.content  # nothing tells one from the other
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "bad_sha256"  # as PUT /blobs answers

    result = c3.sync(office, transport=transport)
    assert result.ok and result.pulled == 0 and result.photos_downloaded == 0
    assert blob_gets(transport) == [] and files(c3.photo_dir) == set()

    # B may: the photo, its length, and its name as the ETag
    with api(office, token_of(b)) as http:
        got = http.get(f"/blobs/{sha}")
        again = http.get(f"/blobs/{sha}", headers={"If-None-Match": got.headers["etag"]})
        stranger = http.get(f"/blobs/{made_up}")
    assert got.status_code == 200 and got.headers["content-type"] == "image/jpeg"
    assert got.content == photo_path(a.photo_dir, sha).read_bytes()
    assert int(got.headers["content-length"]) == len(got.content)
    assert got.headers["etag"] == f'"{sha}"' and got.headers[p.MARKER_HEADER] == "1"
    assert again.status_code == 304 and again.content == b""
    assert stranger.status_code == 404 and stranger.content == nothing.content


def test_a_revoked_or_missing_token_gets_401(office, office_store, a, b, shared_case):
    _, sha = shared_case
    auth.revoke(office_store, b.device_id)
    with api(office, token_of(b)) as http:
        revoked = http.get(f"/blobs/{sha}")
    with api(office) as http:
        missing = http.get(f"/blobs/{sha}")
    with api(office, "made-up-token") as http:
        made_up = http.get(f"/blobs/{sha}")
    assert [r.status_code for r in (revoked, missing, made_up)] == [401, 401, 401]
    assert [r.json()["error"]["code"] for r in (revoked, missing, made_up)] == \
        ["token_revoked", "token_missing", "token_invalid"]
    result = b.sync()
    assert result.stopped == "token_revoked" and result.photos_downloaded == 0
    assert not photo_path(b.photo_dir, sha).exists()


def test_a_corrupted_download_is_refused_and_fetched_again_next_run(office, a, b, shared_case, transport):
    case_id, sha = shared_case
    transport.add("GET", f"/blobs/{sha}", "alter", times=1)  # one byte flipped on the way

    first = b.sync(office, transport=transport)

    assert first.stopped is None and first.ok  # a failed download is not a failed run
    assert first.photos_downloaded == 0 and first.photos_to_download == 1
    assert [(w.code, w.sha256) for w in first.warnings] == [("photo_download_corrupt", sha)]
    assert files(b.photo_dir) == set()  # nothing kept: no photo, no thumbnail, no temp file
    assert b.store.case(case_id) is not None  # the events came (downloads never touch them)
    events = b.store.event_count()

    second = b.sync(office, transport=transport)

    assert second.ok and second.photos_downloaded == 1 and not second.warnings
    assert photo_path(b.photo_dir, sha).read_bytes() == photo_path(a.photo_dir, sha).read_bytes()
    assert thumb_path(b.photo_dir, sha).is_file()
    assert b.store.event_count() == events
    assert [c[2] for c in blob_gets(transport) if c[2]] == [200, 200]  # asked once a run: the altered answer, the good one


def test_the_per_run_bound_newest_open_cases_first(office, a, b):
    cases = [a.new_case("C1", photo_size=40_000) for _ in range(5)]  # each later than the one before
    a.recheck(cases[-1])  # the newest case is closed now: its photos go last
    assert a.sync().ok
    expected_first = [a.store.case(c).before_photos[0] for c in reversed(cases[:-1])]

    def run(**bounds):
        before = set(files(b.photo_dir))
        result = b.sync(**bounds)
        assert result.ok, result
        new = {f.rsplit("/", 1)[-1][:-4] for f in set(files(b.photo_dir)) - before}
        return result, new

    first, got = run(max_photo_downloads=2)
    assert first.photos_to_download == 6 and first.photos_downloaded == 2
    assert got == set(expected_first[:2])  # the newest open cases' "before" photos
    second, got = run(max_download_bytes=100_000)  # 40 kB each: two fit, the third would cross it
    assert second.photos_to_download == 4 and second.photos_downloaded == 2
    assert got == set(expected_first[2:])
    third, got = run(max_photo_downloads=1)
    assert third.photos_downloaded == 1 and got == {a.store.case(cases[-1]).before_photos[0]}
    fourth, got = run()
    assert fourth.photos_downloaded == 1 and got == set(a.store.case(cases[-1]).after_photos)
    last, got = run()
    assert last.photos_to_download == last.photos_downloaded == 0 and got == set()


def test_a_network_failure_while_downloading_is_a_warning_and_the_next_run_goes_on(office, a, b, shared_case,
                                                                                 transport):
    case_id, sha = shared_case
    fault = transport.add("GET", "/blobs/", "refuse", times=-1)

    result = b.sync(office, transport=transport)

    assert result.stopped is None and result.ok and b.store.case(case_id) is not None
    assert [w.code for w in result.warnings] == ["photo_download_failed"]
    assert "network" in result.warnings[0].detail
    assert len(blob_gets(transport)) == FAST_RETRY.attempts  # retried like any request, then left for later
    fault.times = 0
    assert b.sync(office, transport=transport).photos_downloaded == 1


def test_an_office_without_downloads_is_no_error(office, a, b, shared_case, transport):
    old_office = ('{"protocol": "%s", "error": {"code": "method_not_allowed", "message": "Method Not Allowed"}}'
                  % p.MARKER).encode()
    transport.add("GET", "/blobs/", "respond", times=-1, status=405, content=old_office,
                  content_type="application/json")
    result = b.sync(office, transport=transport)
    assert result.ok and not result.warnings and result.photos_downloaded == 0
    assert len(blob_gets(transport)) == 1  # and no more asked for in that run


def test_a_photo_the_office_will_not_send_is_not_asked_for_again_by_that_device(office, a, b, shared_case,
                                                                                transport):
    case_id, sha = shared_case
    assert b.sync(max_photo_downloads=0).ok and b.store.case(case_id) is not None  # the events, no photo yet
    b.enrol(office, "inspector-b", ("C2",))  # re-enrolled for C2 only: C1's photos are no longer its to see

    first = b.sync(office, transport=transport)

    assert first.ok and not first.warnings
    assert first.photos_to_download == 1 and first.photos_downloaded == 0
    assert [c[2] for c in blob_gets(transport)] == [404]
    transport.log.clear()
    second = b.sync(office, transport=transport)
    assert second.ok and second.photos_to_download == 0 and blob_gets(transport) == []  # not asked again
    # another enrolment (a new device id) asks again
    b.enrol(office, "inspector-b", ("C1",))
    third = b.sync(office, transport=transport)
    assert third.photos_downloaded == 1 and [c[2] for c in blob_gets(transport)] == [200]
    assert photo_path(b.photo_dir, sha).read_bytes() == photo_path(a.photo_dir, sha).read_bytes()


def test_own_photos_are_never_downloaded_and_photos_already_here_leave_the_list(office, a, b, shared_case,
                                                                              transport):
    case_id, sha = shared_case
    own = b.new_case("C1")
    photo_path(b.photo_dir, b.store.case(own).before_photos[0]).unlink()  # lost here: not the download's job
    assert b.sync(max_photo_downloads=0).pulled >= 2
    wanted = [r[0] for r in b.store.db.execute("SELECT sha256 FROM sync_photo_wanted")]
    assert wanted == [sha]  # only A's photo is wanted, never B's own
    data = photo_path(a.photo_dir, sha).read_bytes()
    b.save_photo(data)  # it got here some other way meanwhile
    result = b.sync(office, transport=transport)
    assert result.photos_to_download == result.photos_downloaded == 0 and blob_gets(transport) == []
    assert b.store.db.execute("SELECT count(*) FROM sync_photo_wanted").fetchone()[0] == 0


def test_databases_from_before_downloads_are_filled_in_when_they_are_upgraded(office, a, b, shared_case):
    """Phones that pulled, and offices that stored re-checks, before this step existed."""
    from sync import phonebook, storage

    case_id, before = shared_case
    lone_sha = a.save_photo(a.photo_bytes(20_000))
    a.store.append([cmd.recheck(a.store.case(case_id), a.who, a.tick(), rectified=True, photos=(lone_sha,))])
    assert a.sync().ok
    assert b.sync(max_photo_downloads=0).ok
    office.stop()

    def forget(db, table: str, migration: str, trigger: str | None = None) -> None:
        with db.conn:
            if trigger:
                db.execute(f"DROP TRIGGER {trigger}")
            db.execute(f"DROP TABLE {table}")
            db.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [migration])

    forget(b.store.db, "sync_photo_wanted", "m003_photo_wanted")
    phonebook.ensure_phone_tables(b.store)
    assert {r[0] for r in b.store.db.execute("SELECT sha256 FROM sync_photo_wanted")} == {before, lone_sha}
    with office.store() as store:
        forget(store.db, "sync_recheck_photos", "m005_recheck_photos", "sync_recheck_photos_named")
    with storage.open_office(office.data_dir, office.rules) as store:
        assert list(store.db.execute("SELECT sha256, case_id FROM sync_recheck_photos")) == [(lone_sha, case_id)]

    office.start()
    result = b.sync()
    assert result.ok and result.photos_downloaded == 2
    assert photo_path(b.photo_dir, lone_sha).read_bytes() == photo_path(a.photo_dir, lone_sha).read_bytes()


def test_the_command_line_sync_counts_the_downloads(capsys, office, a, b, shared_case):
    from fieldapp.cli import main

    _, sha = shared_case
    assert main(["sync", "--data-dir", str(b.data_dir)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("sync done: ") and "downloaded photos 1/1" in captured.out
    assert "… download" in captured.err and "photos downloaded 1/1" in captured.err
    assert photo_path(b.photo_dir, sha).read_bytes() == photo_path(a.photo_dir, sha).read_bytes()


def test_a_login_page_instead_of_the_photo_is_not_a_photo(office, a, b, shared_case, transport):
    _, sha = shared_case
    transport.add("GET", "/blobs/", "respond", times=1, status=200, content=b"<html>Wi-Fi login</html>")
    result = b.sync(office, transport=transport)
    assert result.ok and result.photos_downloaded == 0
    assert [(w.code, w.detail.split(":")[0]) for w in result.warnings] == [("photo_download_failed", "not_our_server")]
    assert not photo_path(b.photo_dir, sha).exists()
    assert b.sync(office, transport=transport).photos_downloaded == 1
