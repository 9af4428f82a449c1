"""Staff accounts and sessions (fieldapp/office/users.py) and `fieldapp office user ...`."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import pytest

from fieldapp.cli import main
from fieldapp.office import users
from fieldapp.store import Store

T0 = datetime(2022, 6, 1, 1, 0, tzinfo=timezone.utc)


@pytest.fixture
def db(tmp_path, rules):
    with Store(tmp_path / "office.db", rules) as store:
        users.ensure_schema(store)
        yield store


def test_password_hash_is_salted_argon2id_and_old_scrypt_hashes_still_check(monkeypatch):
    one, two = users.hash_password("correct horse"), users.hash_password("correct horse")
    assert one != two and one.startswith("$argon2id$")  # random salt, Argon2id
    assert "correct horse" not in one and not users.needs_rehash(one)
    assert users.verify_password("correct horse", one)
    assert not users.verify_password("correct hors", one)
    old = users.scrypt_hash("correct horse")  # what earlier versions stored
    scheme, n, r, p, salt, digest = old.split("$")
    assert (scheme, int(n), int(r), int(p), len(bytes.fromhex(salt))) == ("scrypt", 2**14, 8, 1, 16)
    compared = []
    real = users.hmac.compare_digest
    monkeypatch.setattr(users.hmac, "compare_digest", lambda a, b: compared.append(1) or real(a, b))
    assert users.verify_password("correct horse", old) and users.needs_rehash(old)
    assert not users.verify_password("correct hors", old)
    assert len(compared) == 2
    for broken in ("", "md5$x", "scrypt$1$2$3$zz$zz", old.replace("scrypt", "bcrypt"), "$argon2id$broken"):
        assert not users.verify_password("correct horse", broken)


def test_an_old_hash_is_rehashed_at_login_and_ended_sessions_are_pruned(db):
    users.add_user(db, "wang", users.ADMIN, "long enough", now=T0)
    with db.write():
        db.db.execute("UPDATE office_users SET password_hash = ? WHERE username = 'wang'",
                      [users.scrypt_hash("long enough")])
    user, stale = users.check_password(db, "wang", "long enough")
    assert user is not None and stale
    old_token = users.start_session(db, user, T0)
    users.end_session(db, old_token, T0)
    users.login_succeeded(db, user, "10.0.0.5", T0 + timedelta(days=40), password="long enough")
    stored = db.db.execute("SELECT password_hash FROM office_users WHERE username = 'wang'").fetchone()[0]
    assert stored.startswith("$argon2id$") and users.check_password(db, "wang", "long enough") == (user, False)
    assert db.db.execute("SELECT count(*) FROM office_sessions").fetchone()[0] == 0  # pruned


def test_parallel_wrong_passwords_all_count_and_delay_instead_of_locking_out(tmp_path, rules):
    """Ten tries at once from ten processes' worth of connections: each claim is atomic, so
    every one counts; past the free ones they must wait; the real user, later, gets in."""
    import threading

    from sync import storage

    path = tmp_path / "office"
    with storage.open_office(path, rules) as store:
        users.ensure_schema(store)
        users.add_user(store, "li", users.STAFF, "li-password", now=T0)
    answers = []

    def attempt():
        with storage.open_office(path, rules) as store:
            wait = users.claim_attempt(store, "li", "10.0.0.9", T0)
            if wait == 0:
                user, _ = users.check_password(store, "li", "wrong-password")
                assert user is None
                users.login_failed(store, "li", "10.0.0.9", T0)
            answers.append(wait)

    threads = [threading.Thread(target=attempt) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    checked = [w for w in answers if w == 0]
    assert len(checked) == users.ACCOUNT_FREE  # only the free tries reached the password check
    with storage.open_office(path, rules) as store:
        failures = dict(store.db.execute("SELECT key, failures FROM office_login_attempts").fetchall())
        assert failures["user:li"] == users.ACCOUNT_FREE
        audit = store.db.execute("SELECT outcome, count(*) FROM office_login_audit GROUP BY outcome").fetchall()
        assert dict(audit) == {"failed": 3, "waited": 7}  # an audit line for every one
        wait = users.claim_attempt(store, "li", "10.0.0.1", T0)  # the real user, from another PC: a delay...
        assert 0 < wait <= users.ACCOUNT_MAX_WAIT
        later = T0 + timedelta(seconds=wait)
        assert users.claim_attempt(store, "li", "10.0.0.1", later) == 0  # ...then in
        user, _ = users.check_password(store, "li", "li-password")
        users.login_succeeded(store, user, "10.0.0.1", later)
        assert not store.db.execute("SELECT 1 FROM office_login_attempts WHERE key = 'user:li'").fetchone()


def test_add_authenticate_disable(db):
    user = users.add_user(db, "Wang", users.ADMIN, "long enough", now=T0)
    assert (user.username, user.role, user.actor) == ("wang", "admin", "office:wang")
    assert users.authenticate(db, "wang", "long enough") == users.get_user(db, "wang")
    assert users.authenticate(db, " WANG ", "long enough") is not None
    assert users.authenticate(db, "wang", "long enougH") is None
    assert users.authenticate(db, "nobody", "long enough") is None
    assert users.authenticate(db, "bad name!", "long enough") is None
    with pytest.raises(users.UserError, match="exists"):
        users.add_user(db, "wang", users.STAFF, "another one")
    with pytest.raises(users.UserError, match="too short"):
        users.add_user(db, "li", users.STAFF, "short")
    with pytest.raises(users.UserError, match="role"):
        users.add_user(db, "li", "boss", "long enough")
    with pytest.raises(users.UserError, match="bad user name"):
        users.add_user(db, "王", users.STAFF, "long enough")
    assert users.disable_user(db, "wang") is True
    assert users.disable_user(db, "wang") is False
    assert users.authenticate(db, "wang", "long enough") is None
    users.enable_user(db, "wang")
    assert users.authenticate(db, "wang", "long enough") is not None
    stored = db.db.execute("SELECT password_hash FROM office_users").fetchone()[0]
    assert "long enough" not in stored


def test_sessions_expire_when_idle_and_end_on_logout_disable_and_new_password(db):
    user = users.add_user(db, "li", users.STAFF, "long enough")
    token = users.start_session(db, user, T0)
    assert token not in str(db.db.execute("SELECT * FROM office_sessions").fetchall())  # only its hash
    assert users.resume_session(db, token, T0 + timedelta(hours=7)) == user  # touches: idle clock restarts
    assert users.resume_session(db, token, T0 + timedelta(hours=14)) == user
    assert users.resume_session(db, token, T0 + timedelta(hours=22, seconds=1)) is None  # 8 h idle
    assert users.resume_session(db, token, T0 + timedelta(hours=14)) is None  # ended for good

    token = users.start_session(db, user, T0)
    assert users.resume_session(db, token, T0 + timedelta(hours=7), touch=False) == user
    assert users.resume_session(db, token, T0 + timedelta(hours=8, seconds=1)) is None  # not touched

    token = users.start_session(db, user, T0)
    for hours in range(7, 7 * 24 + 8, 7):  # busy all week: still ends after MAX_SESSION
        alive = users.resume_session(db, token, T0 + timedelta(hours=hours))
    assert alive is None

    token = users.start_session(db, user, T0)
    users.end_session(db, token, T0)
    assert users.resume_session(db, token, T0) is None

    token = users.start_session(db, user, T0)
    users.set_password(db, "li", "a new password")
    assert users.resume_session(db, token, T0) is None
    token = users.start_session(db, user, T0)
    users.disable_user(db, "li")
    assert users.resume_session(db, token, T0) is None
    for nonsense in (None, "", "x" * 500, "not-a-token"):
        assert users.resume_session(db, nonsense, T0) is None


def test_role_is_read_from_the_database_on_every_resume(db):
    user = users.add_user(db, "li", users.STAFF, "long enough")
    token = users.start_session(db, user, T0)
    assert users.require_writer(users.resume_session(db, token, T0)).username == "li"
    users.set_role(db, "li", users.VIEWER)
    with pytest.raises(users.NotAllowed) as refused:
        users.require_writer(users.resume_session(db, token, T0))
    assert refused.value.code == "read_only"
    with pytest.raises(users.NotAllowed) as refused:
        users.require_writer(None)
    assert refused.value.code == "no_session"


def test_prune_forgets_old_sessions(db):
    user = users.add_user(db, "li", users.STAFF, "long enough")
    old = users.start_session(db, user, T0)
    users.end_session(db, old, T0)
    users.start_session(db, user, T0 + timedelta(days=40))
    assert users.prune_sessions(db, T0 + timedelta(days=40)) == 1
    assert db.db.execute("SELECT count(*) FROM office_sessions").fetchone()[0] == 1


# --- the command line ---------------------------------------------------------------------------------


def run(capsys, monkeypatch, *argv, stdin: str | None = None) -> tuple[int, str]:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main([str(a) for a in argv])
    return code, capsys.readouterr().out


def test_user_add_list_disable_from_the_command_line(capsys, monkeypatch, tmp_path, rules):
    where = ["--data-dir", tmp_path / "office"]
    code, out = run(capsys, monkeypatch, "office", "user", "add", "wang", "--role", "admin", "--password-stdin",
                    *where, stdin="s3cret-password\n")  # fmt: skip
    assert code == 0 and out == "added wang (admin)\n"
    code, out = run(capsys, monkeypatch, "office", "user", "add", "zhao", "--role", "viewer", "--password-stdin",
                    *where, stdin="short\n")  # fmt: skip
    assert code == 2 and "too short" in out and "short\n" not in out.split(":", 1)[0]
    answers = iter(["typed twice", "typed twice"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    monkeypatch.setattr("fieldapp.commands.office_users.getpass.getpass", lambda prompt="": next(answers))
    code, out = run(capsys, monkeypatch, "office", "user", "add", "li", "--role", "staff", *where)
    assert code == 0, out
    code, out = run(capsys, monkeypatch, "office", "user", "list", *where)
    assert code == 0 and "wang" in out and "admin" in out and "li" in out and "active" in out
    assert "s3cret" not in out and "scrypt" not in out
    assert run(capsys, monkeypatch, "office", "user", "disable", "li", *where)[0] == 0
    assert run(capsys, monkeypatch, "office", "user", "disable", "li", *where)[0] == 1
    assert "disabled" in run(capsys, monkeypatch, "office", "user", "list", *where)[1]
    code, out = run(capsys, monkeypatch, "office", "user", "disable", "nobody", *where)
    assert code == 2 and "no user" in out
    code, out = run(capsys, monkeypatch, "office", "user", "passwd", "wang", "--password-stdin", *where,
                    stdin="another-password\n")  # fmt: skip
    assert code == 0
    from sync.storage import open_office

    with open_office(tmp_path / "office", rules) as store:
        assert users.authenticate(store, "wang", "another-password") is not None
        assert users.authenticate(store, "li", "typed twice") is None  # disabled


def test_prompted_passwords_must_match(capsys, monkeypatch, tmp_path):
    answers = iter(["first one!", "second one"])
    monkeypatch.setattr("fieldapp.commands.office_users.getpass.getpass", lambda prompt="": next(answers))
    code, out = run(capsys, monkeypatch, "office", "user", "add", "li", "--role", "staff",
                    "--data-dir", tmp_path / "office")  # fmt: skip
    assert code == 2 and "differ" in out and "first one" not in out
