"""Sync bookkeeping kept beside the event log, in the same SQLite file (office side; the
phone's is in sync/phonebook.py), plus the file layout both sides share.

The Store owns `events`, the projections and `meta`; sync adds its own tables
through its own migration set (never touching the Store's), so the office's
devices, enrolment codes, conflicts, rejections and event origins commit in the
same transactions as the events they describe.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterable

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from fieldapp.domain.rules import Rules
from fieldapp.store import Store

OFFICE_DB = "office.db"
PHONE_DB = "field.db"
PHOTO_DIR = "photos"
SIDECAR = "sync-state.json"  # next to office.db: tells a restored (older) db from the live one

META_SERVER_ID = "sync.server_id"


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat()


def wire_event(row: dict, server_seq: int | None = None) -> dict:
    """An `events` row as the dict Event.from_dict reads (no re-validation: it was valid when stored)."""
    out = {
        "id": row["id"],
        "type": row["type"],
        "subject": row["subject"],
        "payload": json.loads(row["payload"]),
        "actor": row["actor"],
        "device": row["device"],
        "recorded_at": row["recorded_at"],
    }
    if server_seq is not None:
        out["server_seq"] = server_seq
    return out


# --- office ---------------------------------------------------------------------------

office_migrations = Migrations("sync_office")


@office_migrations()
def m001_devices(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE sync_devices (
            device_id TEXT PRIMARY KEY,
            inspector TEXT NOT NULL,          -- the actor id its events must carry
            communities TEXT NOT NULL,        -- JSON list of community codes
            label TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,  -- SHA-256 of the bearer token; the token itself is never stored
            enrolled_at TEXT NOT NULL,
            last_seen_at TEXT,
            revoked_at TEXT
        )"""
    )
    db.execute(
        """
        CREATE TABLE sync_enrol_codes (
            code_hash TEXT PRIMARY KEY,       -- SHA-256 of the normalised one-time code
            inspector TEXT NOT NULL,
            communities TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT,
            device_id TEXT,
            claim_hash TEXT                   -- SHA-256 of the phone's nonce: a retried exchange is recognised
        )"""
    )


@office_migrations()
def m002_conflicts_rejections(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE sync_conflicts (
            id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL,
            device_id TEXT NOT NULL,
            stored_hash TEXT NOT NULL,
            received_hash TEXT NOT NULL,
            received TEXT NOT NULL,           -- the refused event, as JSON, for the office to look at
            received_at TEXT NOT NULL,
            UNIQUE (event_id, received_hash)
        )"""
    )
    db.execute(
        """
        CREATE TABLE sync_rejections (
            device_id TEXT NOT NULL,
            event_id TEXT NOT NULL,
            reason TEXT NOT NULL,
            detail TEXT NOT NULL,
            times INTEGER NOT NULL,
            last_seen_at TEXT NOT NULL,
            PRIMARY KEY (device_id, event_id)
        )"""
    )


@office_migrations()
def m003_origin(db: Database) -> None:
    # Which device pushed each event: a device is not sent back what it sent (it keeps
    # everything), and the record cannot be forged through the event's own `device` field.
    db.execute("CREATE TABLE sync_origin (seq INTEGER PRIMARY KEY, device_id TEXT NOT NULL)")


@office_migrations()
def m004_device_alias(db: Database) -> None:
    # The actor id the phone stamped on its events before it was enrolled (its "local actor",
    # e.g. inspector-1a2b3c4d) and the phone's own device id: the device may push events under
    # that id too, so nothing written before enrolment is refused for ever (auth.redeem_code).
    db.execute("ALTER TABLE sync_devices ADD COLUMN local_actor TEXT")
    db.execute("ALTER TABLE sync_devices ADD COLUMN local_device TEXT")
    db.execute("CREATE INDEX sync_devices_local_actor ON sync_devices (local_actor)")


@office_migrations()
def m005_recheck_photos(db: Database) -> None:
    # The photos a case.rechecked event names, by photo: with the Store's `photos` table (the
    # photo.added events, indexed by sha256) this answers "which cases name this photo" with an
    # index lookup (policy.photo_visible, for GET /blobs/{sha256}). Kept by a trigger, so every
    # writer of office.db (a push, an outbox import, the office's own records) keeps it too.
    db.execute(
        """
        CREATE TABLE sync_recheck_photos (
            sha256 TEXT NOT NULL,
            case_id TEXT NOT NULL,
            PRIMARY KEY (sha256, case_id)
        ) WITHOUT ROWID"""
    )
    db.execute(
        """
        CREATE TRIGGER sync_recheck_photos_named AFTER INSERT ON events
        WHEN NEW.type = 'case.rechecked' AND NEW.case_id IS NOT NULL AND json_valid(NEW.payload)
        BEGIN
            INSERT OR IGNORE INTO sync_recheck_photos (sha256, case_id)
            SELECT j.value, NEW.case_id FROM json_each(NEW.payload, '$.photos') j WHERE j.type = 'text';
        END"""
    )
    db.execute(
        """INSERT OR IGNORE INTO sync_recheck_photos (sha256, case_id)
           SELECT j.value, e.case_id FROM events e, json_each(e.payload, '$.photos') j
           WHERE e.type = 'case.rechecked' AND e.case_id IS NOT NULL AND j.type = 'text'"""
    )


@office_migrations()
def m006_device_roles(db: Database) -> None:
    # What a device is enrolled as (fieldapp.domain.events.DEVICE_ROLES): an inspector's phone, or
    # community staff's (社区书记, 网格员), who may only report rectifications and ask for exemption
    # (sync/policy.py). Codes carry the role to the device they make. Every device and code from
    # before roles existed was an inspector's.
    db.execute("ALTER TABLE sync_devices ADD COLUMN role TEXT NOT NULL DEFAULT 'inspector'")
    db.execute("ALTER TABLE sync_enrol_codes ADD COLUMN role TEXT NOT NULL DEFAULT 'inspector'")


@office_migrations()
def m007_report_photos(db: Database) -> None:
    # The photos a community's report (case.reported) or request for exemption
    # (case.exemption_requested) names go in sync_recheck_photos too, so GET /blobs authorises
    # them like a re-check's (they normally arrive as photo.added as well; this holds if not).
    db.execute(
        """
        CREATE TRIGGER sync_report_photos_named AFTER INSERT ON events
        WHEN NEW.type IN ('case.reported', 'case.exemption_requested') AND NEW.case_id IS NOT NULL
             AND json_valid(NEW.payload)
        BEGIN
            INSERT OR IGNORE INTO sync_recheck_photos (sha256, case_id)
            SELECT j.value, NEW.case_id FROM json_each(NEW.payload, '$.photos') j WHERE j.type = 'text';
        END"""
    )
    db.execute(
        """INSERT OR IGNORE INTO sync_recheck_photos (sha256, case_id)
           SELECT j.value, e.case_id FROM events e, json_each(e.payload, '$.photos') j
           WHERE e.type IN ('case.reported', 'case.exemption_requested') AND e.case_id IS NOT NULL
             AND j.type = 'text'"""
    )


@office_migrations()
def m008_blob_uploads(db: Database) -> None:
    # Which device uploaded which photo (a device that uploaded the bytes may name the photo in
    # its events; policy.photo_usable), how big, when, and whether any event names it yet — kept by
    # a trigger on `events`, so every writer keeps it. A device's unnamed uploads are bounded
    # (Limits.max_unnamed_bytes) and removed after a grace period (`sweep_unnamed`).
    db.execute(
        """
        CREATE TABLE sync_blob_uploads (
            sha256 TEXT NOT NULL,
            device_id TEXT NOT NULL,
            size INTEGER NOT NULL,
            uploaded_at TEXT NOT NULL,
            named INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (sha256, device_id)
        ) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX sync_blob_uploads_device ON sync_blob_uploads (device_id, named)")
    db.execute("CREATE INDEX sync_blob_uploads_unnamed ON sync_blob_uploads (named, uploaded_at)")
    db.execute(
        """
        CREATE TRIGGER sync_blob_uploads_named AFTER INSERT ON events
        WHEN NEW.type IN ('photo.added', 'case.rechecked', 'case.reported', 'case.exemption_requested')
             AND json_valid(NEW.payload)
        BEGIN
            UPDATE sync_blob_uploads SET named = 1 WHERE named = 0 AND sha256 IN (
                SELECT json_extract(NEW.payload, '$.sha256')
                UNION ALL SELECT j.value FROM json_each(NEW.payload, '$.photos') j WHERE j.type = 'text');
        END"""
    )


@office_migrations()
def m009_blob_uploads_by_hash(db: Database) -> None:
    # m008's trigger let SQLite find the rows through the (named, uploaded_at) index, i.e. walk every
    # unnamed upload for each event naming a photo: with fifty phones' 10,000 photos uploaded and
    # their events arriving, most of a push. `+named` keeps that term off the index: the primary
    # key (sha256, …) finds the rows.
    db.execute("DROP TRIGGER sync_blob_uploads_named")
    db.execute(
        """
        CREATE TRIGGER sync_blob_uploads_named AFTER INSERT ON events
        WHEN NEW.type IN ('photo.added', 'case.rechecked', 'case.reported', 'case.exemption_requested')
             AND json_valid(NEW.payload)
        BEGIN
            UPDATE sync_blob_uploads SET named = 1 WHERE +named = 0 AND sha256 IN (
                SELECT json_extract(NEW.payload, '$.sha256')
                UNION ALL SELECT j.value FROM json_each(NEW.payload, '$.photos') j WHERE j.type = 'text');
        END"""
    )


#: Whether an event at the office names photo {sha} (photo.added, or a re-check's / report's list):
#: one expression for photo_named and record_uploads.
NAMED_SQL = "(EXISTS (SELECT 1 FROM photos WHERE sha256 = {sha}) OR EXISTS (SELECT 1 FROM sync_recheck_photos " \
            "WHERE sha256 = {sha}))"


def photo_named(store: Store, sha256: str) -> bool:
    """Whether an event at the office names this photo (NAMED_SQL)."""
    return bool(store.db.execute("SELECT " + NAMED_SQL.format(sha="?1"), [sha256]).fetchone()[0])


def record_uploads(store: Store, uploads: Iterable[tuple[str, str, int, str]]) -> None:
    """(sha256, device_id, size, uploaded_at) of photos devices uploaded (inside a transaction), in
    one statement (`named` as photo_named says)."""
    store.db.execute(
        f"""INSERT OR IGNORE INTO sync_blob_uploads
           SELECT sha, device_id, size, at, {NAMED_SQL.format(sha="sha")}
           FROM (SELECT json_extract(value, '$[0]') AS sha, json_extract(value, '$[1]') AS device_id,
                        json_extract(value, '$[2]') AS size, json_extract(value, '$[3]') AS at
                 FROM json_each(?) ORDER BY key)""", [json.dumps([list(u) for u in uploads])])


def uploaded_by(store: Store, device_id: str, sha256: str) -> bool:
    return store.db.execute("SELECT 1 FROM sync_blob_uploads WHERE sha256 = ? AND device_id = ?",
                            [sha256, device_id]).fetchone() is not None


def unnamed_bytes(store: Store, device_id: str) -> int:
    """What this device uploaded that no event names yet (its quota's use)."""
    return store.db.execute("SELECT coalesce(sum(size), 0) FROM sync_blob_uploads WHERE device_id = ? AND named = 0",
                            [device_id]).fetchone()[0]


META_SWEPT = "sync.unnamed_photos_removed"  # JSON {photos, bytes}: every unnamed upload removed so far


def sweep_unnamed(store: Store, blobs, grace_days: float, now: datetime | None = None) -> tuple[int, int]:
    """Remove the uploads that no event names `grace_days` after they came (files and records);
    returns (photos, bytes) removed now and adds them to the office's running count (META_SWEPT).

    Runs on the writer: a push naming one of them either committed before (then it is named
    and stays) or comes after (then it is missing, and the phone uploads it again).
    """
    cutoff = iso((now or utc_now()) - timedelta(days=grace_days))
    with store.write():
        rows = store.db.execute(
            "SELECT sha256, max(size) FROM sync_blob_uploads WHERE named = 0 AND uploaded_at < ? GROUP BY sha256",
            [cutoff]).fetchall()
        gone = [(sha, size) for sha, size in rows
                if not photo_named(store, sha) and not store.db.execute(
                    "SELECT 1 FROM sync_blob_uploads WHERE sha256 = ? AND (named = 1 OR uploaded_at >= ?)",
                    [sha, cutoff]).fetchone()]
        for sha, _ in gone:
            store.db.execute("DELETE FROM sync_blob_uploads WHERE sha256 = ?", [sha])
        if gone:
            total = json.loads(store.get_meta(META_SWEPT) or '{"photos": 0, "bytes": 0}')
            total = {"photos": total["photos"] + len(gone), "bytes": total["bytes"] + sum(s for _, s in gone)}
            store.set_meta(META_SWEPT, json.dumps(total))
        for sha, _ in gone:  # inside the write lock: no push can name it meanwhile
            blobs.remove(sha)
    return len(gone), sum(size for _, size in gone)


def record_origin(store: Store, seqs: Iterable[int], device_id: str) -> None:
    # One statement for the batch (each SQLite call costs the busy office's writer a wait: Store.append).
    store.db.execute("INSERT OR IGNORE INTO sync_origin SELECT value, ? FROM json_each(?)",
                     [device_id, json.dumps(list(seqs))])


def open_office(data_dir: str | Path, rules: Rules, *, durable: bool = True) -> Store:
    """The office Store with the sync tables in place (safe to call from many threads/processes)."""
    store = Store(Path(data_dir) / OFFICE_DB, rules, durable=durable)
    with store.write():
        office_migrations.apply(store.db)
    return store


def office_photo_dir(data_dir: str | Path) -> Path:
    return Path(data_dir) / PHOTO_DIR


def max_seq(store: Store) -> int:
    return store.db.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0]


class ServerIdentity:
    """The office's server id, and the sidecar file that detects a restored (older) database.

    A phone keeps acks per server id; when the office db goes back in time (restored
    from a backup) the id must change, or phones would never resend what was lost.
    The sidecar remembers the id and the highest seq ever committed; at start a
    database with a lower seq, or another id, is an older copy: it gets a new id.
    The sidecar may lag (written after commits, not fsynced) but can never be ahead
    of the database, so a live database is never taken for a restored one.
    """

    def __init__(self, data_dir: str | Path):
        self.path = Path(data_dir) / SIDECAR
        self._lock = threading.Lock()
        self._written_seq = -1
        self.server_id = ""

    def start(self, store: Store) -> tuple[str, bool]:
        """Load or create the id; returns (server id, whether it was rotated now)."""
        with store.write():
            current = store.get_meta(META_SERVER_ID)
            top = max_seq(store)
            side = self._read()
            rotated = False
            if current is None:
                current = new_server_id()
                store.set_meta(META_SERVER_ID, current)
            elif side is not None and (side.get("server_id") != current or top < side.get("max_seq", 0)):
                current = new_server_id()
                store.set_meta(META_SERVER_ID, current)
                rotated = True
        self.server_id = current
        self._write(top, force=True)
        return current, rotated

    def follow(self, store: Store) -> "ServerIdentity":
        """Take the id the database has, for a writer beside the server (an outbox import):
        it moves the high-water mark on (`committed`) and never rotates the id — only the
        server's `start` judges a restored database. No id yet (never served): nothing to keep."""
        self.server_id = store.get_meta(META_SERVER_ID) or ""
        return self

    def committed(self, top: int) -> None:
        """Called after a commit that stored events: keep the high-water mark (monotonic)."""
        if self.server_id and top > self._written_seq:
            self._write(top)

    def rotate(self, store: Store) -> str:
        with store.write():
            self.server_id = new_server_id()
            store.set_meta(META_SERVER_ID, self.server_id)
            top = max_seq(store)
        self._write(top, force=True)
        return self.server_id

    def _read(self) -> dict | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _write(self, top: int, force: bool = False) -> None:
        with self._lock:
            if not force and top <= self._written_seq:
                return
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            tmp.write_text(json.dumps({"server_id": self.server_id, "max_seq": top}), encoding="utf-8")
            os.replace(tmp, self.path)
            self._written_seq = top


def new_server_id() -> str:
    return "srv-" + secrets.token_hex(8)


def record_conflict(store: Store, event_id: str, device_id: str, received: dict, received_hash: str) -> None:
    stored = store.db.execute("SELECT content_hash FROM events WHERE id = ?", [event_id]).fetchone()
    store.db.execute(
        """INSERT OR IGNORE INTO sync_conflicts
           (event_id, device_id, stored_hash, received_hash, received, received_at) VALUES (?, ?, ?, ?, ?, ?)""",
        [event_id, device_id, stored[0] if stored else "", received_hash,
         json.dumps(received, ensure_ascii=False, sort_keys=True), iso(utc_now())],
    )


def record_rejection(store: Store, device_id: str, event_id: str | None, reason: str, detail: str) -> None:
    store.db.execute(
        """INSERT INTO sync_rejections VALUES (?, ?, ?, ?, 1, ?)
           ON CONFLICT (device_id, event_id) DO UPDATE SET
             reason = excluded.reason, detail = excluded.detail, times = times + 1,
             last_seen_at = excluded.last_seen_at""",
        [device_id, event_id or "", reason, detail[:500], iso(utc_now())],
    )


def conflicts(store: Store) -> list[dict]:
    """Events a device sent with an id the office already holds with other content."""
    return list(store.db.query("SELECT * FROM sync_conflicts ORDER BY id"))


def rejections(store: Store) -> list[dict]:
    return list(store.db.query("SELECT * FROM sync_rejections ORDER BY last_seen_at"))


def backup_office(data_dir: str | Path, rules: Rules, dest: str | Path) -> None:
    """A consistent copy of the office db (SQLite online backup: safe while serving)."""
    with open_office(data_dir, rules) as store:
        target = sqlite3.connect(str(dest))
        try:
            store.db.conn.backup(target)
        finally:
            target.close()


def restore_office(data_dir: str | Path, rules: Rules, backup: str | Path) -> str:
    """Replace the office db by a backup and give it a new server id; returns the id.

    Run with the server stopped. Phones then resend everything the backup lacks.
    """
    source = sqlite3.connect(str(backup))
    try:
        with open_office(data_dir, rules) as store:
            source.backup(store.db.conn)
    finally:
        source.close()
    with open_office(data_dir, rules) as store:  # migrate an older backup, then rotate
        return ServerIdentity(data_dir).rotate(store)
