"""`fieldapp office ...` and `fieldapp sync ...` end to end against a running office."""

from __future__ import annotations

import re

from sync_kit import Phone

from fieldapp.cli import main
from fieldapp.domain import commands as cmd
from fieldapp.ui.strings import SYNC_MESSAGES
from sync.phonebook import PhoneBook


def run(capsys, *argv) -> tuple[int, str]:
    code = main([str(a) for a in argv])
    return code, capsys.readouterr().out


def test_enrol_sync_list_revoke_from_the_command_line(capsys, tmp_path, rules, office):
    office_dir = office.data_dir
    code, out = run(capsys, "office", "enrol", "inspector-9", "--communities", "C1,C2", "--data-dir", office_dir)
    assert code == 0
    enrol_code = re.search(r"([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})", out).group(1)

    phone_dir = tmp_path / "phone"
    code, out = run(capsys, "sync", "enrol", "--server", office.url, "--code", enrol_code, "--data-dir", phone_dir)
    assert code == 0 and "inspector-9" in out
    assert enrol_code not in run(capsys, "office", "devices", "--data-dir", office_dir)[1]

    phone = Phone(phone_dir, rules, "cli-phone")
    creds = PhoneBook(phone.store).credentials()
    phone.who = cmd.Actor(creds["inspector"], creds["device_id"])
    phone.new_case("C2")

    code, out = run(capsys, "sync", "--data-dir", phone_dir, "--quiet")  # the server URL was kept at enrolment
    assert code == 0 and out.startswith("sync done: pushed 2")
    code, out = run(capsys, "sync", "status", "--data-dir", phone_dir)
    assert "pending: 0 events, 0 photos" in out

    code, out = run(capsys, "office", "devices", "--data-dir", office_dir)
    assert creds["device_id"] in out and "active" in out and creds["token"] not in out
    assert run(capsys, "office", "revoke", creds["device_id"], "--data-dir", office_dir)[0] == 0
    assert run(capsys, "office", "revoke", creds["device_id"], "--data-dir", office_dir)[0] == 1

    code, out = run(capsys, "sync", "--server", office.url, "--data-dir", phone_dir, "--quiet")
    assert code == 2 and "[token_revoked]" in out and SYNC_MESSAGES["token_revoked"] in out
    assert run(capsys, "office", "conflicts", "--data-dir", office_dir) == (0, "")
    phone.close()


def test_bad_code_and_unknown_community_are_errors(capsys, tmp_path, office):
    code, out = run(capsys, "office", "enrol", "x", "--communities", "C9", "--data-dir", office.data_dir)
    assert code == 2 and "unknown" in out
    code, out = run(capsys, "sync", "enrol", "--server", office.url, "--code", "NOPE-NOPE-NOPE",
                    "--data-dir", tmp_path / "p")
    assert code == 2 and "enrol_code_invalid" in out


def test_backup_and_restore_commands(capsys, tmp_path, office):
    backup = tmp_path / "backup"  # a folder: office.db, photos/, rules/, tls/ (tests/sync/test_backup_restore.py)
    assert run(capsys, "office", "backup", backup, "--data-dir", office.data_dir)[0] == 0
    assert (backup / "office.db").is_file() and (backup / "backup.json").is_file()
    office.stop()
    code, out = run(capsys, "office", "restore", backup, "--data-dir", office.data_dir)
    assert code == 0 and "new server id srv-" in out
    office.start()
