"""Property 8: the office db restored from an older backup → new server id → phones resend, nothing lost."""

from __future__ import annotations

import shutil

from sync_kit import office_event_ids

from sync import storage


def own_events_on_office(office, phones) -> None:
    with office.store() as store:
        ids = office_event_ids(store)
    assert len(ids) == len(set(ids))
    assert set(ids) >= set().union(*(p.own_event_ids() for p in phones))


def test_restoring_files_by_hand_is_detected_and_phones_resend(tmp_path, rules, office, phone, make_phone):
    other = make_phone("phone-b").enrol(office, "inspector-b", ("C1",))
    first = phone.new_case("C1")
    assert phone.sync().ok and other.sync().ok
    backup = tmp_path / "office-backup.db"
    storage.backup_office(office.data_dir, rules, backup)
    # After the backup: more work reaches the office, then the office db is lost.
    phone.recheck(first)
    other.new_case("C1")
    before = phone.sync()
    assert before.ok and other.sync().ok
    office.stop()
    db = office.data_dir / storage.OFFICE_DB
    for leftover in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copy(backup, db)
    office.start()

    after = phone.sync()
    other_after = other.sync()

    assert after.server_id != before.server_id
    assert after.ok and other_after.ok
    assert after.pushed == 2  # the photo and the re-check lost with the newer db
    assert after.acknowledged == 2  # the rest the backup had: acknowledged, not stored twice
    own_events_on_office(office, [phone, other])
    with office.store() as store:
        assert store.case(first).lifecycle == "rectified"


def test_restore_command_rotates_the_id(tmp_path, rules, office, phone):
    phone.new_case()
    assert phone.sync().ok
    backup = tmp_path / "b.db"
    storage.backup_office(office.data_dir, rules, backup)
    phone.new_case()
    old = phone.sync().server_id
    office.stop()
    new_id = storage.restore_office(office.data_dir, rules, backup)
    office.start()
    result = phone.sync()
    assert new_id != old and result.server_id == new_id
    assert result.ok and result.pushed == 2
    own_events_on_office(office, [phone])


def test_a_rollback_under_the_same_id_is_caught_by_the_phone(tmp_path, rules, office, phone):
    """Belt and braces: the whole data dir (sidecar too) restored, so the office keeps its id."""
    phone.new_case()
    assert phone.sync().ok
    storage.backup_office(office.data_dir, rules, tmp_path / "b.db")
    sidecar = (office.data_dir / storage.SIDECAR).read_text()
    phone.new_case()
    old = phone.sync().server_id
    office.stop()
    db = office.data_dir / storage.OFFICE_DB
    for leftover in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copy(tmp_path / "b.db", db)
    (office.data_dir / storage.SIDECAR).write_text(sidecar)
    office.start()

    result = phone.sync()

    assert result.server_id == old
    assert [w.code for w in result.warnings] == ["server_rolled_back"]
    assert result.ok and result.pushed == 2
    own_events_on_office(office, [phone])


def test_a_restart_keeps_the_server_id(office, phone):
    phone.new_case()
    first = phone.sync().server_id
    office.restart()
    again = phone.sync()
    assert again.server_id == first and again.ok and again.pushed == again.acknowledged == 0
