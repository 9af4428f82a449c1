"""The outbox file (sync/outbox.py): days with no network, carried to the office by cable."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from sync_kit import cases_table, office_event_ids, photos_table

from fieldapp.domain.events import PhotoAdded, new_event
from fieldapp.photos import photo_path
from fieldapp.ui import strings
from sync import auth, phonebook, storage
from fieldapp.durable import write_file
from sync.outbox import OutboxError, export_outbox, import_outbox
from sync.phonebook import PhoneBook
from tests.office_process import fieldapp


def office_photo(office, sha: str) -> bool:
    return photo_path(storage.office_photo_dir(office.data_dir), sha).is_file()


def take(office, data) -> object:
    with office.store() as store:
        return import_outbox(office.data_dir, store, data)


def rewrite(data: bytes, change) -> bytes:
    """The same zip with `change(name, bytes) -> bytes | None` applied to each member (None drops it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = change(info.filename, src.read(info))
            if body is not None:
                dst.writestr(info.filename, body)
    return out.getvalue()


def test_an_offline_week_goes_over_by_file_exactly_once(office, office_store, phone, tmp_path):
    cases = [phone.new_case(photos=2) for _ in range(3)]
    phone.recheck(cases[0])
    before = phone.store.db.execute("SELECT count(*) FROM events").fetchone()[0]

    data, exported = export_outbox(phone.store, phone.photo_dir)
    path = tmp_path / "usb" / "outbox.zip"
    path.parent.mkdir()
    write_file(path, data)

    assert (exported.events, exported.photos, exported.photos_missing) == (11, 7, [])
    assert phone.store.db.execute("SELECT count(*) FROM events").fetchone()[0] == before  # the phone is unchanged
    assert PhoneBook(phone.store).pending_counts()[0] == 11  # still pending: the phone cannot know yet

    first = take(office, path)
    assert (first.accepted, first.duplicate, first.rejected, first.missing_blob) == (11, 0, [], [])
    assert first.photos_stored == 7 and first.inspector == "inspector-a"
    assert set(office_event_ids(office_store)) == phone.own_event_ids()
    assert all(office_photo(office, r["sha256"]) for r in photos_table(office_store, cases))
    assert {c["case_id"] for c in cases_table(office_store)} == set(cases)
    rectified = office_store.case(cases[0])
    assert rectified.lifecycle == phone.store.case(cases[0]).lifecycle

    again = take(office, path)  # the same file twice: nothing twice
    assert (again.accepted, again.duplicate, again.photos_stored, again.photos_known) == (0, 11, 0, 7)

    synced = phone.sync(office)  # back on the office Wi-Fi: the acks come, nothing is sent twice
    assert synced.ok and synced.photos_uploaded == 0
    assert PhoneBook(phone.store).pending_counts() == (0, 0)
    assert len(office_event_ids(office_store)) == 11


def test_a_file_changed_on_the_way_is_refused_and_nothing_is_stored(office, office_store, phone):
    phone.new_case(photos=1)
    data, _ = export_outbox(phone.store, phone.photo_dir)

    def swap_community(name, body):
        if name != "events.jsonl":
            return body
        assert b'"C1"' in body
        return body.replace(b'"C1"', b'"C2"')

    def flip_photo(name, body):
        return body[:-1] + bytes([body[-1] ^ 1]) if name.startswith("photos/") else body

    def forge_manifest(name, body):
        if name != "manifest.json":
            return body
        manifest = json.loads(body)
        manifest["inspector"] = "someone-else"  # the signature covers every field
        return json.dumps(manifest).encode()

    def drop_photo(name, body):
        return None if name.startswith("photos/") else body

    for change, code in ((swap_community, "damaged"), (flip_photo, "damaged"), (forge_manifest, "damaged"),
                         (drop_photo, "damaged")):  # fmt: skip
        with pytest.raises(OutboxError) as refused:
            take(office, rewrite(data, change))
        assert refused.value.code == code, change.__name__
    for junk, code in ((b"not a zip at all", "not_outbox"), (rewrite(data, lambda n, b: None if n == "manifest.json" else b),
                                                              "not_outbox")):  # fmt: skip
        with pytest.raises(OutboxError) as refused:
            take(office, junk)
        assert refused.value.code == code
    assert office_event_ids(office_store) == []
    assert not any(office_photo(office, r["sha256"]) for r in phone.store.db.query("SELECT sha256 FROM photos"))


def test_a_revoked_or_unknown_phone_is_refused(office, office_store, phone, make_phone):
    phone.new_case()
    data, _ = export_outbox(phone.store, phone.photo_dir)
    auth.revoke(office_store, phone.device_id)
    with pytest.raises(OutboxError) as refused:
        take(office, data)
    assert refused.value.code == "revoked" and office_event_ids(office_store) == []

    stranger = make_phone("not-enrolled")
    with pytest.raises(OutboxError) as not_enrolled:
        export_outbox(stranger.store, stranger.photo_dir)
    assert not_enrolled.value.code == "not_enrolled"


def test_events_beyond_the_phones_rights_are_refused_one_by_one(office, office_store, phone):
    allowed = phone.new_case(community="C1")
    other = phone.new_case(community="C4")  # enrolled for C1 and C2 only
    data, _ = export_outbox(phone.store, phone.photo_dir)
    result = take(office, data)
    # the C4 case is refused, and so is its photo, whose case the office does not have
    assert result.accepted == 2 and sorted(r["reason"] for r in result.rejected) == ["community_not_allowed",
                                                                                     "unknown_case"]
    assert [c["case_id"] for c in cases_table(office_store)] == [allowed]
    assert office_store.case(other) is None


def test_a_photo_gone_from_the_phone_holds_only_its_event(office, office_store, phone):
    kept = phone.new_case(photos=1)
    lost = phone.new_case(photos=1)
    gone = next(r["sha256"] for r in phone.store.db.query("SELECT sha256 FROM photos WHERE case_id = ?", [lost]))
    photo_path(phone.photo_dir, gone).unlink()

    data, exported = export_outbox(phone.store, phone.photo_dir)
    assert exported.photos_missing == [gone]
    result = take(office, data)
    assert len(result.missing_blob) == 1 and result.accepted == 3
    assert {c["case_id"] for c in cases_table(office_store)} == {kept, lost}


def test_a_file_naming_another_communitys_photo_is_refused_for_that_event(office, office_store, phone,
                                                                           make_phone):
    """The photo rule of a push (policy.photo_rule) holds for a file too: a photo of a case the
    phone may not see, whose bytes it did not send, cannot be named by knowing its hash."""
    c3 = make_phone("phone-c3").enrol(office, "inspector-c", ("C3",))
    secret_case = c3.new_case("C3")
    assert c3.sync().ok
    secret = next(r["sha256"] for r in photos_table(office_store, [secret_case]))
    own = phone.new_case("C1", photos=1)
    theft = new_event(PhotoAdded(own, secret, secret, "after", 1600, 1200, 40_000, None, None),
                      actor=phone.who.actor, device=phone.who.device, now=phone.tick())
    phone.store.append([theft])

    data, exported = export_outbox(phone.store, phone.photo_dir)
    assert exported.photos_missing == [secret]  # the phone never had its bytes
    result = take(office, data)

    assert result.missing_blob == [theft.id] and result.accepted == 2  # its own case and photo go
    assert not office_store.db.execute("SELECT 1 FROM events WHERE id = ?", [theft.id]).fetchone()
    assert [r["case_id"] for r in office_store.db.query("SELECT case_id FROM photos WHERE sha256 = ?",
                                                        [secret])] == [secret_case]


def test_the_command_line_carries_a_file_from_phone_to_office(office, office_store, phone, tmp_path):
    phone.new_case(photos=1)
    phone.store.close()  # the commands open the phone's and the office's databases themselves
    card = tmp_path / "card.zip"
    out = fieldapp("sync", "export", str(card), "--data-dir", str(phone.data_dir))
    assert strings.OUTBOX_EXPORTED.format(events=2, photos=1, file=card) in out
    out = fieldapp("office", "import-phone", str(card), "--data-dir", str(office.data_dir))
    assert strings.OUTBOX_IMPORTED.format(file="card.zip", inspector="inspector-a", events=2, accepted=2,
                                          duplicate=0, photos=1) in out  # fmt: skip
    assert len(office_event_ids(office_store)) == 2
    phone.store = phonebook.open_phone(phone.data_dir, phone.rules)  # for the fixture's teardown
