"""`fieldapp office backup DIR` and `office restore DIR` end to end (issue 10): a real office
process, two phones; the office PC's folder is lost after more work was synced; restored from
the backup, the phones sync on and the office ends with every event and photo exactly once."""

from __future__ import annotations

import hashlib
import re
import shutil

import pytest

from sync import storage
from sync_kit import Phone
from tests.office_process import OfficeProcess, fieldapp, free_port

pytestmark = pytest.mark.slow


def photo_files(root):
    return {p.stem: p for p in (root / storage.PHOTO_DIR).rglob("*.jpg") if "thumbs" not in p.parts}


def test_backup_with_photos_then_restore_and_phones_sync_on(tmp_path, rules):
    office_dir = tmp_path / "office"
    office = OfficeProcess(office_dir, free_port(), tmp_path / "office.log").start()
    a, b = Phone(tmp_path / "a", rules, "a"), Phone(tmp_path / "b", rules, "b")
    try:
        a.enrol(office, "inspector-a", ("C1",))
        b.enrol(office, "inspector-b", ("C2",))
        for _ in range(3):
            a.new_case("C1")
        b.new_case("C2", photos=2)
        assert a.sync().ok and b.sync().ok

        backup = tmp_path / "backup"
        out = fieldapp("office", "backup", str(backup), "--data-dir", str(office_dir))  # while serving
        assert re.search(r"5 new photos", out), out
        assert set(photo_files(backup)) == set(photo_files(office_dir)) and len(photo_files(backup)) == 5
        assert (backup / "office.db").is_file() and (backup / "backup.json").is_file()
        again = fieldapp("office", "backup", str(backup), "--data-dir", str(office_dir))
        assert "0 new photos" in again  # incremental: photos never change

        late = a.new_case("C1")  # synced after the backup: lost with the office's folder
        a.recheck(late)
        assert a.sync().ok
        office.stop()
        shutil.rmtree(office_dir)  # the office PC's disk is gone

        out = fieldapp("office", "restore", str(backup), "--data-dir", str(office_dir))
        assert "5 photos put back" in out and "new server id" in out
        office.start()
        first_a, first_b = a.sync(), b.sync()
        assert first_a.ok and first_b.ok, (first_a.errors, first_b.errors)
        assert first_a.pushed >= 4  # what the backup lacked: the late case, its photo, re-check photo and re-check
        assert a.sync().ok and b.sync().ok

        with office.store() as store:
            ids = [r[0] for r in store.db.execute("SELECT id FROM events")]
        assert len(ids) == len(set(ids))
        assert set(ids) == a.own_event_ids() | b.own_event_ids()
        files = photo_files(office_dir)
        assert all(hashlib.sha256(p.read_bytes()).hexdigest() == sha for sha, p in files.items())
        with office.store() as store:
            named = {r[0] for r in store.db.execute("SELECT sha256 FROM photos")}
        assert named <= set(files) and len(files) == 7
        # The phones hold no duplicates either.
        b_ids = [r[0] for r in b.store.db.execute("SELECT id FROM events")]
        assert len(b_ids) == len(set(b_ids))
        assert "Traceback" not in office.log_path.read_text(errors="replace")
    finally:
        office.stop()
        a.close()
        b.close()
