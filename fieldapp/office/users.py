"""Office staff accounts and dashboard sessions, kept in office.db beside the event log.

    add_user(store, "wang", ADMIN, "a long password")
    user = authenticate(store, "wang", "a long password")      # None if wrong
    token = start_session(store, user, now)                     # give to the browser
    user = resume_session(store, token, now)                    # on every request / write
    require_writer(user)                                        # raises NotAllowed for a viewer

Passwords are hashed with Argon2id (argon2-cffi's current parameters); a hash made
with older parameters — or scrypt, as before — still logs in and is rehashed at that
login (`needs_rehash`). An unknown user costs the same hash as a wrong password.
Login attempts are counted in the database, atomically and before the password is
checked (`claim_attempt`): parallel tries and several processes all count, and past a
few failures each further try must wait a growing delay, per account and per client
address — a delay, never a lock that would shut the real user out. Every failure is an
audit line (`office_login_audit` and the log). Session tokens are random (32 bytes); only their SHA-256 is stored.
A session ends after `IDLE_TIMEOUT` without use, on logout, or when its user is
disabled or demoted below what a request needs (the role is read from the
database on every call, never cached in the browser). Nothing here logs a
password or a token.

The tables have their own migration set (``office_users``), like sync's, so the
Store's schema is never touched.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

log = logging.getLogger("fieldapp.office.users")

ADMIN = "admin"
STAFF = "staff"
VIEWER = "viewer"
ROLES = (ADMIN, STAFF, VIEWER)
WRITERS = frozenset({ADMIN, STAFF})

#: A session unused for this long is over (the brief's "8 h idle").
IDLE_TIMEOUT = timedelta(hours=8)
#: And none lives longer than this, however busy.
MAX_SESSION = timedelta(days=7)

MIN_PASSWORD = 8
MAX_PASSWORD = 1024
SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_LEN = 2**14, 8, 1, 32  # hashes of older versions: rehashed at login
_SCHEME = "scrypt"
_ARGON2 = PasswordHasher()  # Argon2id with the library's current (RFC 9106 low-memory) parameters

#: Failures before each further try must wait, and the longest wait: per account (mild: the real
#: user waits at most a minute however many addresses attack the name) and per client address.
ACCOUNT_FREE, ACCOUNT_MAX_WAIT = 3, 60.0
ADDRESS_FREE, ADDRESS_MAX_WAIT = 10, 15 * 60.0
AUDIT_KEEP = timedelta(days=90)

#: Letters, digits, dot, dash, underscore: the name becomes part of the actor ("office:<name>").
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-")
MAX_NAME = 32

migrations = Migrations("office_users")


@migrations()
def m001_users_sessions(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE office_users (
            username TEXT PRIMARY KEY,
            role TEXT NOT NULL,
            password_hash TEXT NOT NULL,      -- scrypt$n$r$p$salt_hex$hash_hex
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            disabled_at TEXT
        )"""
    )
    db.execute(
        """
        CREATE TABLE office_sessions (
            token_hash TEXT PRIMARY KEY,      -- SHA-256 of the token; the token itself is never stored
            username TEXT NOT NULL,
            created_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            ended_at TEXT
        )"""
    )
    db.execute("CREATE INDEX office_sessions_user ON office_sessions(username)")


@migrations()
def m002_login_attempts(db: Database) -> None:
    # Failed logins per account ("user:<name>") and per client address ("addr:<ip>"), counted in
    # the database so parallel tries and several processes count alike; and one line per failure.
    db.execute(
        """
        CREATE TABLE office_login_attempts (
            key TEXT PRIMARY KEY,
            failures INTEGER NOT NULL,
            last_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE office_login_audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            username TEXT NOT NULL,
            address TEXT NOT NULL,
            outcome TEXT NOT NULL             -- failed / waited
        )"""
    )
    db.execute("CREATE INDEX office_login_audit_at ON office_login_audit(at)")


class UserError(ValueError):
    """A request about accounts that cannot be done; the message says why (English, for the CLI)."""


class NotAllowed(PermissionError):
    """This user (or no user) may not do that; `code` tells which case."""

    def __init__(self, code: str, message: str = ""):
        super().__init__(message or code)
        self.code = code  # "no_session" / "read_only"


@dataclass(frozen=True)
class User:
    username: str
    role: str
    created_at: str
    disabled_at: str | None = None

    @property
    def actor(self) -> str:
        """Who the events this user writes are by."""
        return f"office:{self.username}"

    @property
    def can_write(self) -> bool:
        return self.role in WRITERS and self.disabled_at is None


def ensure_schema(store) -> None:
    with store.write():
        migrations.apply(store.db)


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat()


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


# --- passwords ----------------------------------------------------------------------


def hash_password(password: str) -> str:
    """Argon2id, with a random salt (the PHC string carries the parameters)."""
    return _ARGON2.hash(password)


def scrypt_hash(password: str, *, salt: bytes | None = None) -> str:
    """The hash of earlier versions (still verified; rehashed to Argon2id at the next login)."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                            dklen=SCRYPT_LEN)  # fmt: skip
    return f"{_SCHEME}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Constant-time check of a password against a stored hash (Argon2id, or scrypt of any parameters)."""
    if stored.startswith("$argon2"):
        try:
            return _ARGON2.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
        if scheme != _SCHEME:
            return False
        expected = bytes.fromhex(digest_hex)
        digest = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt_hex), n=int(n), r=int(r),
                                p=int(p), dklen=len(expected), maxmem=128 * 1024 * 1024)  # fmt: skip
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, expected)


#: Hashed once: checking a password for an unknown user costs as much as for a known one.
_DUMMY_HASH = hash_password("not a password")


def needs_rehash(stored: str) -> bool:
    """Made with anything but the current Argon2id parameters (scrypt, or older Argon2 settings)."""
    if not stored.startswith("$argon2"):
        return True
    try:
        return _ARGON2.check_needs_rehash(stored)
    except InvalidHashError:
        return True


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"password too short: at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise UserError(f"password too long: at most {MAX_PASSWORD} characters")


def check_username(name: str) -> str:
    name = name.strip().lower()
    if not name or len(name) > MAX_NAME or not set(name) <= _NAME_CHARS:
        raise UserError(f"bad user name {name!r}: 1–{MAX_NAME} of a-z 0-9 . _ -")
    return name


# --- accounts -----------------------------------------------------------------------------


def _user(row) -> User:
    return User(row[0], row[1], row[2], row[3])


def get_user(store, username: str) -> User | None:
    row = store.db.execute(
        "SELECT username, role, created_at, disabled_at FROM office_users WHERE username = ?", [username]
    ).fetchone()
    return _user(row) if row else None


def list_users(store) -> list[User]:
    rows = store.db.execute("SELECT username, role, created_at, disabled_at FROM office_users ORDER BY username")
    return [_user(r) for r in rows.fetchall()]


def add_user(store, username: str, role: str, password: str, *, now: datetime | None = None) -> User:
    username = check_username(username)
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    check_password_rules(password)
    stamp = _iso(now or _utc_now())
    hashed = hash_password(password)  # slow: outside the write lock
    with store.write():
        if get_user(store, username) is not None:
            raise UserError(f"user {username!r} exists")
        store.db.execute("INSERT INTO office_users VALUES (?, ?, ?, ?, ?, NULL)",
                         [username, role, hashed, stamp, stamp])  # fmt: skip
    return User(username, role, stamp)


def set_password(store, username: str, password: str, *, now: datetime | None = None) -> None:
    """A new password; every open session of the user ends."""
    check_password_rules(password)
    hashed = hash_password(password)
    stamp = _iso(now or _utc_now())
    with store.write():
        if get_user(store, username) is None:
            raise UserError(f"no user {username!r}")
        store.db.execute("UPDATE office_users SET password_hash = ?, updated_at = ? WHERE username = ?",
                         [hashed, stamp, username])  # fmt: skip
        _end_all(store, username, stamp)


def set_role(store, username: str, role: str, *, now: datetime | None = None) -> None:
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    with store.write():
        if get_user(store, username) is None:
            raise UserError(f"no user {username!r}")
        store.db.execute("UPDATE office_users SET role = ?, updated_at = ? WHERE username = ?",
                         [role, _iso(now or _utc_now()), username])  # fmt: skip


def disable_user(store, username: str, *, now: datetime | None = None) -> bool:
    """Disable an account and end its sessions; False if it was already disabled."""
    stamp = _iso(now or _utc_now())
    with store.write():
        user = get_user(store, username)
        if user is None:
            raise UserError(f"no user {username!r}")
        if user.disabled_at is not None:
            return False
        store.db.execute("UPDATE office_users SET disabled_at = ?, updated_at = ? WHERE username = ?",
                         [stamp, stamp, username])  # fmt: skip
        _end_all(store, username, stamp)
    return True


def enable_user(store, username: str, *, now: datetime | None = None) -> None:
    with store.write():
        if get_user(store, username) is None:
            raise UserError(f"no user {username!r}")
        store.db.execute("UPDATE office_users SET disabled_at = NULL, updated_at = ? WHERE username = ?",
                         [_iso(now or _utc_now()), username])  # fmt: skip


def check_password(store, username: str, password: str) -> tuple[User | None, bool]:
    """(the user, whether their stored hash should be remade) — (None, False) for a wrong name or
    password or a disabled account, at the same cost. A read: run it off the writer."""
    try:
        name = check_username(username)
    except UserError:
        name = ""
    row = store.db.execute(
        "SELECT username, role, created_at, disabled_at, password_hash FROM office_users WHERE username = ?", [name]
    ).fetchone()
    ok = verify_password(password[:MAX_PASSWORD], row[4] if row else _DUMMY_HASH)
    if not ok or row is None or row[3] is not None:
        return None, False
    return _user(row), needs_rehash(row[4])


def _wait(failures: int, free: int, cap: float) -> float:
    return 0.0 if failures < free else min(cap, 2.0 ** (failures - free))


def _keys(username: str, address: str) -> list[tuple[str, int, float]]:
    return [(f"user:{username[:64]}", ACCOUNT_FREE, ACCOUNT_MAX_WAIT),
            (f"addr:{(address or '?')[:64]}", ADDRESS_FREE, ADDRESS_MAX_WAIT)]


def claim_attempt(store, username: str, address: str, now: datetime) -> float:
    """Atomically (one write transaction, so parallel tries and other processes queue): 0.0 and
    the attempt counted as a failure until `login_succeeded` says otherwise — or, if this account
    or address must still wait, the seconds left (nothing counted, the password not looked at)."""
    with store.write():
        wait = 0.0
        for key, free, cap in _keys(username, address):
            row = store.db.execute("SELECT failures, last_at FROM office_login_attempts WHERE key = ?",
                                   [key]).fetchone()  # fmt: skip
            if row:
                ready = datetime.fromisoformat(row[1]) + timedelta(seconds=_wait(row[0], free, cap))
                wait = max(wait, (ready - now).total_seconds())
        if wait > 0:
            store.db.execute("INSERT INTO office_login_audit (at, username, address, outcome) VALUES (?, ?, ?, ?)",
                             [_iso(now), username[:64], (address or "?")[:64], "waited"])  # fmt: skip
            return wait
        for key, _, _ in _keys(username, address):
            store.db.execute(
                """INSERT INTO office_login_attempts VALUES (?, 1, ?)
                   ON CONFLICT (key) DO UPDATE SET failures = failures + 1, last_at = excluded.last_at""",
                [key, _iso(now)])
    return 0.0


def login_failed(store, username: str, address: str, now: datetime) -> None:
    """The audit line of a wrong name or password (the attempt was counted when claimed)."""
    with store.write():
        store.db.execute("INSERT INTO office_login_audit (at, username, address, outcome) VALUES (?, ?, ?, ?)",
                         [_iso(now), username[:64], (address or "?")[:64], "failed"])  # fmt: skip
    log.warning("dashboard: failed login for %r from %s", username[:32], address or "?")


def login_succeeded(store, user: User, address: str, now: datetime, password: str | None = None) -> None:
    """Clear the account's count, take back this try from the address's, rehash the password to
    the current Argon2id if given (`check_password` said so), and prune old sessions and audit lines."""
    hashed = hash_password(password) if password is not None else None  # slow: before the write lock
    with store.write():
        store.db.execute("DELETE FROM office_login_attempts WHERE key = ?", [f"user:{user.username}"])
        store.db.execute("UPDATE office_login_attempts SET failures = max(0, failures - 1) WHERE key = ?",
                         [f"addr:{(address or '?')[:64]}"])  # fmt: skip
        if hashed is not None:
            store.db.execute("UPDATE office_users SET password_hash = ? WHERE username = ?", [hashed, user.username])
        store.db.execute("DELETE FROM office_login_audit WHERE at < ?", [_iso(now - AUDIT_KEEP)])
    prune_sessions(store, now)


def authenticate(store, username: str, password: str) -> User | None:
    """The user if the name and password match an enabled account, else None (same cost either way)."""
    return check_password(store, username, password)[0]


# --- sessions -------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(store, user: User, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    stamp = _iso(now)
    with store.write():
        store.db.execute("INSERT INTO office_sessions VALUES (?, ?, ?, ?, NULL)",
                         [_token_hash(token), user.username, stamp, stamp])  # fmt: skip
    return token


def resume_session(store, token: str | None, now: datetime, *, touch: bool = True,
                   idle: timedelta = IDLE_TIMEOUT) -> User | None:  # fmt: skip
    """The session's user if the token is live (not ended, not idle too long, user enabled), else None.

    `touch` moves its idle clock on (a request by the user); a live check that is not the
    user's doing (a download ticket, a background refresh) passes ``touch=False``.
    """
    if not token or len(token) > 200:
        return None
    key = _token_hash(token)
    row = store.db.execute(
        """SELECT s.created_at, s.last_seen_at, s.ended_at, u.username, u.role, u.created_at, u.disabled_at
           FROM office_sessions s JOIN office_users u ON u.username = s.username WHERE s.token_hash = ?""",
        [key],
    ).fetchone()
    if row is None or row[2] is not None or row[6] is not None:
        return None
    created, last_seen = datetime.fromisoformat(row[0]), datetime.fromisoformat(row[1])
    if now - last_seen > idle or now - created > MAX_SESSION:
        end_session(store, token, now)
        return None
    if touch and now > last_seen:
        with store.write():
            store.db.execute("UPDATE office_sessions SET last_seen_at = ? WHERE token_hash = ?", [_iso(now), key])
    return User(row[3], row[4], row[5], row[6])


def end_session(store, token: str | None, now: datetime) -> None:
    if not token:
        return
    with store.write():
        store.db.execute("UPDATE office_sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL",
                         [_iso(now), _token_hash(token)])  # fmt: skip


def _end_all(store, username: str, stamp: str) -> None:
    store.db.execute("UPDATE office_sessions SET ended_at = ? WHERE username = ? AND ended_at IS NULL",
                     [stamp, username])  # fmt: skip


def prune_sessions(store, now: datetime, keep: timedelta = timedelta(days=30)) -> int:
    """Forget sessions that ended (or went idle) more than `keep` ago."""
    cutoff = _iso(now - keep)
    with store.write():
        cursor = store.db.execute(
            "DELETE FROM office_sessions WHERE coalesce(ended_at, last_seen_at) < ?", [cutoff]
        )
    return cursor.rowcount


def require_writer(user: User | None) -> User:
    """The user, if they may write; else NotAllowed (checked on the server for every write)."""
    if user is None:
        raise NotAllowed("no_session", "not logged in, or the session has expired")
    if not user.can_write:
        raise NotAllowed("read_only", f"{user.role} accounts cannot write")
    return user
