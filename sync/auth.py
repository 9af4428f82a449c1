"""Enrolment codes and device tokens (office side).

The office makes a one-time code for a person — an inspector, or community staff
(the code's `role`, one of DEVICE_ROLES) — (single use, expires); the phone
exchanges it for a random bearer token, and the device keeps the code's role. Codes and tokens are stored only
as SHA-256 hashes, so a copy of the office db lets nobody sync as a phone.
Nothing in this module logs a code or a token.

Identity across enrolment: before a phone is enrolled its events carry a local
actor id (``inspector-<8 hex>``, made at first start). At enrolment the phone
sends that id and its own device id; the office records the id on the device
as an alias (if it is safe to: see `alias_for`), and the device may push events
under either name — so nothing written before enrolment is refused for ever.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from fieldapp.domain.events import DEVICE_ROLES, INSPECTOR
from fieldapp.store import Store
from sync.protocol import is_local_actor, is_trial_id
from sync.storage import iso, utc_now

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud or typed from paper
CODE_LENGTH = 12  # ~59 bits: far beyond guessing within a day
CODE_TTL = timedelta(hours=24)


class EnrolError(Exception):
    """The code cannot be exchanged; `code` is a protocol error code."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Device:
    device_id: str
    inspector: str  # the person's id (its events' actor): an inspector, or community staff (see `role`)
    communities: tuple[str, ...]
    label: str
    enrolled_at: str
    last_seen_at: str | None
    revoked_at: str | None
    local_actor: str | None = None  # the phone's actor id before enrolment: accepted as this device's too
    local_device: str | None = None  # the phone's own device id (as its events' `device` field)
    role: str = INSPECTOR  # what the device is enrolled as (DEVICE_ROLES): what it may write (sync/policy.py)

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @property
    def actors(self) -> frozenset[str]:
        """The actor ids this device may push events under."""
        return frozenset(a for a in (self.inspector, self.local_actor) if a)

    @property
    def device_ids(self) -> frozenset[str]:
        """The `device` its events may carry: its own id, or the phone's own (local_device)."""
        return frozenset(d for d in (self.device_id, self.local_device) if d)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def normalise_code(code: str) -> str:
    """People type codes with dashes, spaces and lower case: accept all of it."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def format_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def create_code(store: Store, inspector: str, communities: list[str], *, role: str = INSPECTOR,
                ttl: timedelta = CODE_TTL, now: datetime | None = None) -> tuple[str, datetime]:
    """A new one-time code (shown once, formatted XXXX-XXXX-XXXX) and when it expires.

    `inspector` is the person's id (the actor of their events), `role` what their phone is
    enrolled as (DEVICE_ROLES). A person has one role: a code for another role than their
    active devices' or waiting codes' is refused (revoke those first).
    """
    inspector = inspector.strip()
    if not inspector or len(inspector) > 64:
        raise ValueError("the inspector id must be 1–64 characters")
    if role not in DEVICE_ROLES:
        raise ValueError(f"unknown role {role!r}; a phone is enrolled as one of: {', '.join(DEVICE_ROLES)}")
    if is_trial_id(inspector):
        raise ValueError(f"{inspector!r} is the id of sample data (试用); choose another inspector id")
    if store.db.execute("SELECT 1 FROM sync_devices WHERE local_actor = ? LIMIT 1", [inspector]).fetchone():
        raise ValueError(f"{inspector!r} is a phone's id from before its enrolment; choose another inspector id")
    known = {c.code for c in store.rules.communities}
    unknown = [c for c in communities if c not in known]
    if not communities or unknown:
        raise ValueError(f"unknown or missing communities: {unknown or communities}; known: {sorted(known)}")
    now = now or utc_now()
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    expires = now + ttl
    with store.write():
        other = store.db.execute(
            """SELECT role FROM sync_devices WHERE inspector = ? AND revoked_at IS NULL AND role != ?
               UNION ALL
               SELECT role FROM sync_enrol_codes WHERE inspector = ? AND used_at IS NULL AND expires_at > ?
                 AND role != ? LIMIT 1""",
            [inspector, role, inspector, iso(now), role],
        ).fetchone()
        if other:
            raise ValueError(f"{inspector!r} is enrolled as {other[0]} (a device or a waiting code); "
                             f"revoke that first to enrol them as {role}")
        store.db.execute(
            """INSERT INTO sync_enrol_codes (code_hash, inspector, communities, created_at, expires_at,
                                             used_at, device_id, claim_hash, role)
               VALUES (?, ?, ?, ?, ?, NULL, NULL, NULL, ?)""",
            [_hash(code), inspector, json.dumps(sorted(set(communities))), iso(now), iso(expires), role],
        )
    return format_code(code), expires


def redeem_code(store: Store, code: str, label: str = "", nonce: str = "", *,
                local_actor: str | None = None, local_device: str | None = None,
                now: datetime | None = None) -> tuple[Device, str]:
    """Exchange a code for a new device and its token (returned once, stored hashed).

    `nonce` is a random value the phone sends with the code: if the answer was lost
    and the phone retries with the same nonce, its device gets a fresh token instead
    of a "code used" error that would leave the phone locked out.

    `local_actor` / `local_device`: the actor id the phone's events carried before
    enrolment and its own device id. The device records the actor id as its alias
    when `alias_for` allows it (else None: the enrolment still succeeds, and events
    under that id will be refused as `actor_mismatch`, visibly).
    """
    now = now or utc_now()
    if is_trial_id(local_actor) or is_trial_id(local_device):
        # A phone in trial mode (试用): its sample records must never reach the office. Refused
        # before the code is looked at, so the code stays good for the phone once it is cleared.
        raise EnrolError("trial_data", "this phone holds sample data (trial mode); discard it first")
    code_hash = _hash(normalise_code(code))
    with store.write():  # BEGIN IMMEDIATE: two phones racing for one code cannot both win
        row = store.db.execute(
            "SELECT inspector, communities, expires_at, used_at, device_id, claim_hash, role "
            "FROM sync_enrol_codes WHERE code_hash = ?",
            [code_hash],
        ).fetchone()
        if row is None:
            raise EnrolError("enrol_code_invalid", "unknown enrolment code")
        inspector, communities, expires_at, used_at, used_by, claim_hash, role = row
        token = secrets.token_urlsafe(32)
        if used_at is not None:
            device = get_device(store, used_by)
            if nonce and claim_hash == _hash(nonce) and device is not None and device.active:
                store.db.execute("UPDATE sync_devices SET token_hash = ? WHERE device_id = ?", [_hash(token), used_by])
                return device, token
            raise EnrolError("enrol_code_used", "this enrolment code was used already")
        if datetime.fromisoformat(expires_at) <= now:
            raise EnrolError("enrol_code_expired", "this enrolment code has expired")
        device_id = "dev-" + secrets.token_hex(4)
        label = (label or "").strip()[:64] or device_id
        local_device = local_device[:64] if isinstance(local_device, str) and local_device else None
        alias = alias_for(store, inspector, local_actor, local_device)
        store.db.execute(
            """INSERT INTO sync_devices (device_id, inspector, communities, label, token_hash, enrolled_at,
                                         last_seen_at, revoked_at, local_actor, local_device, role)
               VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?)""",
            [device_id, inspector, communities, label, _hash(token), iso(now), alias, local_device, role],
        )
        store.db.execute(
            "UPDATE sync_enrol_codes SET used_at = ?, device_id = ?, claim_hash = ? WHERE code_hash = ?",
            [iso(now), device_id, _hash(nonce) if nonce else None, code_hash],
        )
    return get_device(store, device_id), token


def code_exists(store: Store, code: str) -> bool:
    """Whether a code was ever made (a read: an unknown code is refused without the writer)."""
    return store.db.execute("SELECT 1 FROM sync_enrol_codes WHERE code_hash = ?",
                            [_hash(normalise_code(code))]).fetchone() is not None


def alias_for(store: Store, inspector: str, local_actor: object, local_device: str | None) -> str | None:
    """The alias a new device of `inspector` may have, given what the phone says it used before.

    Accepted only if it cannot let the phone speak for anyone else:
    - it has the shape of a phone's own pre-enrolment id (`protocol.is_local_actor`),
      never a person's name, and comes with the phone's own device id;
    - it is no inspector's id at this office (enrolled or with a code waiting);
    - no other phone recorded it (a re-enrolled phone, same local device id, may);
    - no event at the office carries it as actor unless a device of that same phone pushed it.
    """
    if not is_local_actor(local_actor) or local_actor == inspector or not local_device:
        return None
    db = store.db
    if db.execute("SELECT 1 FROM sync_devices WHERE inspector = ? UNION ALL "
                  "SELECT 1 FROM sync_enrol_codes WHERE inspector = ? LIMIT 1",
                  [local_actor, local_actor]).fetchone():
        return None
    if db.execute("SELECT 1 FROM sync_devices WHERE local_actor = ? AND local_device IS NOT ? LIMIT 1",
                  [local_actor, local_device]).fetchone():
        return None
    foreign = db.execute(
        """SELECT 1 FROM events e LEFT JOIN sync_origin o ON o.seq = e.seq
                   LEFT JOIN sync_devices d ON d.device_id = o.device_id
           WHERE e.actor = ? AND NOT coalesce(d.local_device = ?, 0) LIMIT 1""",
        [local_actor, local_device],
    ).fetchone()
    return None if foreign else local_actor


def authenticate(store: Store, token: str) -> tuple[Device | None, str | None]:
    """(device, None) for a live token, else (None, error code)."""
    if not token:
        return None, "token_missing"
    rows = list(store.db.query("SELECT * FROM sync_devices WHERE token_hash = ?", [_hash(token)]))
    if not rows:
        return None, "token_invalid"
    device = _device(rows[0])
    if not device.active:
        return None, "token_revoked"
    return device, None


def touch(store: Store, device_id: str, now: datetime | None = None) -> None:
    with store.write():
        store.db.execute("UPDATE sync_devices SET last_seen_at = ? WHERE device_id = ?",
                         [iso(now or utc_now()), device_id])


def revoke(store: Store, device_id: str, *, now: datetime | None = None) -> bool:
    """Revoke a device (its next request gets 401); False if unknown or already revoked."""
    with store.write():
        cursor = store.db.execute(
            "UPDATE sync_devices SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL",
            [iso(now or utc_now()), device_id],
        )
    return cursor.rowcount == 1


def get_device(store: Store, device_id: str) -> Device | None:
    rows = list(store.db.query("SELECT * FROM sync_devices WHERE device_id = ?", [device_id]))
    return _device(rows[0]) if rows else None


def devices(store: Store) -> list[Device]:
    return [_device(r) for r in store.db.query("SELECT * FROM sync_devices ORDER BY enrolled_at, device_id")]


def _device(row: dict) -> Device:
    return Device(
        device_id=row["device_id"],
        inspector=row["inspector"],
        communities=tuple(json.loads(row["communities"])),
        label=row["label"],
        enrolled_at=row["enrolled_at"],
        last_seen_at=row["last_seen_at"],
        revoked_at=row["revoked_at"],
        local_actor=row.get("local_actor"),
        local_device=row.get("local_device"),
        role=row.get("role") or INSPECTOR,
    )
