"""The phone's sync bookkeeping, in sync_* tables beside its event log (same SQLite file).

What each office (by server id) acknowledged (events, and photos it has), why own
events are still waiting, which events came from an office, the pull cursor per office,
and which photos of received events this phone still lacks (the downloads' work list). Acks are facts
about events: nothing here deletes or changes an event or a photo.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from fieldapp.domain.events import (
    DEVICE_ROLES,
    INSPECTOR,
    CaseRechecked,
    Event,
    ExemptionRequested,
    PhotoAdded,
    RectificationReported,
)
from fieldapp.domain.rules import Rules
from fieldapp.store import Store
from sync import protocol as p
from sync.storage import PHONE_DB, iso, utc_now

phone_migrations = Migrations("sync_phone")


@phone_migrations()
def m001_phone(db: Database) -> None:
    # What each office (by server id) has acknowledged: accepted, duplicate, pulled or conflict.
    db.execute(
        """
        CREATE TABLE sync_acks (
            event_id TEXT NOT NULL,
            server_id TEXT NOT NULL,
            status TEXT NOT NULL,
            server_seq INTEGER,
            at TEXT NOT NULL,
            PRIMARY KEY (event_id, server_id)
        )"""
    )
    # The last reason an own event could not be delivered (cleared once acknowledged).
    db.execute(
        """
        CREATE TABLE sync_pending_errors (
            event_id TEXT PRIMARY KEY,
            code TEXT NOT NULL,
            detail TEXT NOT NULL,
            at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE TABLE sync_cursors (server_id TEXT PRIMARY KEY, since INTEGER NOT NULL)")
    # Events that came from an office (never forgotten): everything else was made here and is ours to send.
    db.execute("CREATE TABLE sync_received (event_id TEXT PRIMARY KEY)")


@phone_migrations()
def m002_photo_acks(db: Database) -> None:
    # Photos an office (by server id) has: it took our upload (201), or said it had them
    # (not in its /blobs/missing answer). Only for counting what is still to upload: every
    # run asks /blobs/missing again before it sends anything.
    db.execute(
        """
        CREATE TABLE sync_photo_acks (
            sha256 TEXT NOT NULL,
            server_id TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (sha256, server_id)
        )"""
    )


@phone_migrations()
def m003_photo_wanted(db: Database) -> None:
    # Photos that events received from an office name, until their file is here: the work list
    # of the download step (sync/downloads.py). Filled in the transaction that stores a pulled
    # page; a row goes once the photo is here (downloaded, or found already there). A row an
    # office (refused_server) would not send to a device (refused_device) — 404: not one that
    # device may see, e.g. of a community it no longer has; or over the office's size limit —
    # is not asked for again by that device from that office; a new server id (a restored
    # office) or a new device id (a re-enrolment, maybe for other communities) asks again.
    db.execute(
        """
        CREATE TABLE sync_photo_wanted (
            sha256 TEXT PRIMARY KEY,
            case_id TEXT,
            stage TEXT NOT NULL,              -- before / after: what the first event naming it says
            size_bytes INTEGER,               -- as photo.added says (case.rechecked does not)
            refused_server TEXT,
            refused_device TEXT,
            reason TEXT
        )"""
    )
    # Events pulled before this table existed: their photos are wanted too (those already
    # here leave the list at the next download step).
    db.execute(
        """INSERT OR IGNORE INTO sync_photo_wanted (sha256, case_id, stage, size_bytes)
           SELECT ph.sha256, ph.case_id, ph.stage, ph.size_bytes
           FROM photos ph JOIN sync_received r ON r.event_id = ph.event_id"""
    )
    db.execute(
        """INSERT OR IGNORE INTO sync_photo_wanted (sha256, case_id, stage, size_bytes)
           SELECT j.value, e.case_id, 'after', NULL
           FROM events e JOIN sync_received r ON r.event_id = e.id, json_each(e.payload, '$.photos') j
           WHERE e.type = 'case.rechecked' AND j.type = 'text'"""
    )


META_URL = "sync.server_url"
META_TOKEN = "sync.token"
META_DEVICE = "sync.device_id"
META_INSPECTOR = "sync.inspector"
META_COMMUNITIES = "sync.communities"
META_PIN = "sync.pin"  # the office certificate (PEM) this phone trusts, from the enrolment QR code's fingerprint
META_ROLE = "sync.role"  # what the office enrolled this phone as (DEVICE_ROLES); absent: inspector
META_ENROLLED_AT = "sync.enrolled_at"
META_LAST_SERVER = "sync.last_server_id"
META_LAST_SYNC = "sync.last_sync_at"  # the end of the last run that completed
META_LAST_RUN = "sync.last_run"  # JSON: the last run's time and outcome (PhoneBook.record_run)

ACK_PULLED = "pulled"
TERMINAL = (p.ACCEPTED, p.DUPLICATE, ACK_PULLED, p.CONFLICT)  # never resent to that server

# Own events (not received from an office) a server (first parameter) has not acknowledged.
_PENDING = f"""FROM events e
    WHERE NOT EXISTS (SELECT 1 FROM sync_received r WHERE r.event_id = e.id)
      AND NOT EXISTS (SELECT 1 FROM sync_acks a WHERE a.event_id = e.id AND a.server_id = ?
                      AND a.status IN ({','.join('?' * len(TERMINAL))}))"""


def open_phone(data_dir: str | Path, rules: Rules) -> Store:
    store = Store(Path(data_dir) / PHONE_DB, rules)
    ensure_phone_tables(store)
    return store


def ensure_phone_tables(store: Store) -> None:
    with store.write():
        phone_migrations.apply(store.db)


def role(store: Store) -> str:
    """What this phone is enrolled as: "community" (社区: reports rectifications, asks for
    exemption) or "inspector" — also for a phone not enrolled yet, or enrolled before offices
    had roles (whose devices were all inspectors'). One meta read; for the UI to choose its screens."""
    value = store.get_meta(META_ROLE)
    return value if value in DEVICE_ROLES else INSPECTOR


class PhoneBook:
    """The phone's sync bookkeeping over its Store (same connection, same thread)."""

    def __init__(self, store: Store):
        self.store = store
        ensure_phone_tables(store)

    @property
    def db(self) -> Database:
        return self.store.db

    # --- credentials (from enrolment) ---------------------------------------------------

    def credentials(self) -> dict:
        get = self.store.get_meta
        return {
            "server_url": get(META_URL),
            "token": get(META_TOKEN),
            "device_id": get(META_DEVICE),
            "inspector": get(META_INSPECTOR),
            "communities": json.loads(get(META_COMMUNITIES) or "[]"),
            "role": role(self.store),
            "enrolled_at": get(META_ENROLLED_AT),
            "pin": get(META_PIN),
        }

    def save_credentials(self, server_url: str, token: str, device_id: str, inspector: str,
                         communities: list[str], role: str = INSPECTOR, pin: str | None = None) -> None:
        with self.store.write():
            if pin:
                self.store.set_meta(META_PIN, pin)
            else:  # enrolled with a plain-HTTP (test) office: no certificate to trust
                self.store.db.execute("DELETE FROM meta WHERE key = ?", [META_PIN])
            for key, value in ((META_URL, server_url), (META_TOKEN, token), (META_DEVICE, device_id),
                               (META_INSPECTOR, inspector), (META_COMMUNITIES, json.dumps(communities)),
                               (META_ROLE, role if role in DEVICE_ROLES else INSPECTOR),
                               (META_ENROLLED_AT, iso(utc_now()))):
                self.store.set_meta(key, value)

    # --- the last run ---------------------------------------------------------------------

    def record_run(self, result, finished_at: str) -> None:
        """Keep the outcome of a run (a SyncResult) for the 同步 screen: one small write."""
        summary = {
            "at": finished_at,
            "ok": result.ok,
            "stopped": result.stopped,
            "pushed": result.pushed,
            "acknowledged": result.acknowledged,
            "pulled": result.pulled,
            "photos_uploaded": result.photos_uploaded,
            "bytes_uploaded": result.bytes_uploaded,
            "photos_downloaded": result.photos_downloaded,
            "pending_events": result.pending_events,
            "pending_photos": result.pending_photos,
            "errors": sorted({e.code for e in result.errors}),
            "warnings": sorted({w.code for w in result.warnings}),
        }
        with self.store.write():
            if result.stopped is None:
                self.store.set_meta(META_LAST_SYNC, finished_at)
            self.store.set_meta(META_LAST_RUN, json.dumps(summary))

    def last_run(self) -> dict | None:
        try:
            value = json.loads(self.store.get_meta(META_LAST_RUN) or "null")
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    # --- outbox -------------------------------------------------------------------------

    def pending_rows(self, server_id: str | None) -> list[dict]:
        """Events made here that this server has not acknowledged, in the order they were made.

        "Made here" is "not received from an office", not "written by the enrolled inspector":
        an event written under another name must show up as refused, never sit unsent unseen.
        """
        return list(self.db.query(f"SELECT * {_PENDING} ORDER BY e.seq", [server_id or "", *TERMINAL]))

    def record_results(self, server_id: str, results: Iterable[tuple[str, str, int | None]]) -> None:
        """Acks from a push: (event id, status, server_seq); other statuses are pending errors."""
        now = iso(utc_now())
        with self.store.write():
            for event_id, status, seq in results:
                if status in (p.ACCEPTED, p.DUPLICATE, p.CONFLICT):
                    self._ack(event_id, server_id, status, seq, now)

    def _ack(self, event_id: str, server_id: str, status: str, seq: int | None, now: str) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO sync_acks VALUES (?, ?, ?, ?, ?)", [event_id, server_id, status, seq, now]
        )
        if status != p.CONFLICT:
            self.db.execute("DELETE FROM sync_pending_errors WHERE event_id = ?", [event_id])

    def record_pending_error(self, event_id: str, code: str, detail: str) -> None:
        with self.store.write():
            self.db.execute(
                "INSERT OR REPLACE INTO sync_pending_errors VALUES (?, ?, ?, ?)",
                [event_id, code, detail[:500], iso(utc_now())],
            )

    def pending_errors(self) -> list[dict]:
        """Why own events are still waiting (for the 同步 screen)."""
        return list(self.db.query("SELECT * FROM sync_pending_errors ORDER BY at"))

    def conflicts(self, server_id: str | None = None) -> list[str]:
        sql, params = "SELECT event_id FROM sync_acks WHERE status = ?", [p.CONFLICT]
        if server_id:
            sql, params = sql + " AND server_id = ?", params + [server_id]
        return [r[0] for r in self.db.execute(sql, params).fetchall()]

    def pending_counts(self) -> tuple[int, int]:
        """(events, photos) still to send to the last office synced with (for 待上传 n 条/张).

        Photos are those the pending events name, less those that office already has: it
        acknowledged them (an upload it took, or "not missing" in its /blobs/missing answer:
        `record_photos_on_office`), or it acknowledged an event naming them.
        """
        server_id = self.store.get_meta(META_LAST_SERVER) or ""
        params = [server_id, *TERMINAL]
        events = self.db.execute(f"SELECT count(*) {_PENDING}", params).fetchone()[0]
        if not events:
            return 0, 0
        photos = self.db.execute(
            f"""SELECT count(DISTINCT named.sha) FROM (
                    SELECT json_extract(e.payload, '$.sha256') AS sha {_PENDING} AND e.type = 'photo.added'
                    UNION ALL
                    SELECT j.value {_PENDING.replace('FROM events e', 'FROM events e, json_each(e.payload, ?) j')}
                      AND e.type = 'case.rechecked') AS named
                WHERE NOT EXISTS (SELECT 1 FROM sync_photo_acks k WHERE k.sha256 = named.sha AND k.server_id = ?)
                  AND NOT EXISTS (SELECT 1 FROM photos ph JOIN sync_acks a ON a.event_id = ph.event_id
                                  WHERE ph.sha256 = named.sha AND a.server_id = ? AND a.status IN (?, ?, ?))""",
            [*params, "$.photos", *params, server_id, server_id, p.ACCEPTED, p.DUPLICATE, ACK_PULLED],
        ).fetchone()[0]
        return events, photos

    def record_photos_on_office(self, server_id: str, hashes: Iterable[str]) -> None:
        """The office (`server_id`) has these photos: it took their upload or said it had them."""
        rows = [(sha, server_id, iso(utc_now())) for sha in dict.fromkeys(hashes)]
        if not rows:
            return
        with self.store.write():
            self.db.conn.executemany("INSERT OR IGNORE INTO sync_photo_acks VALUES (?, ?, ?)", rows)

    def pending_by_type(self) -> dict[str, int]:
        """{event type: n} of what `pending_counts` counts (the 同步 screen's breakdown)."""
        params = [self.store.get_meta(META_LAST_SERVER) or "", *TERMINAL]
        return dict(self.db.execute(f"SELECT e.type, count(*) {_PENDING} GROUP BY e.type", params).fetchall())

    # --- pull ---------------------------------------------------------------------------

    def cursor(self, server_id: str) -> int:
        row = self.db.execute("SELECT since FROM sync_cursors WHERE server_id = ?", [server_id]).fetchone()
        return row[0] if row else 0

    def set_cursor(self, server_id: str, since: int) -> None:
        self.db.execute("INSERT OR REPLACE INTO sync_cursors VALUES (?, ?)", [server_id, since])

    def record_pulled(self, server_id: str, acked: Iterable[tuple[str, int]], received: Iterable[str]) -> None:
        """Inside the caller's transaction: the office has these (it sent them); `received` are new here."""
        now = iso(utc_now())
        self.db.conn.executemany("INSERT OR IGNORE INTO sync_received VALUES (?)", [(e,) for e in received])
        for event_id, seq in acked:
            self.db.execute(
                """INSERT INTO sync_acks VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (event_id, server_id) DO UPDATE SET server_seq = excluded.server_seq
                   WHERE sync_acks.status != 'conflict'""",
                [event_id, server_id, ACK_PULLED, seq, now],
            )
            self.db.execute("DELETE FROM sync_pending_errors WHERE event_id = ?", [event_id])

    def max_acked_seq(self, server_id: str) -> int:
        row = self.db.execute(
            "SELECT coalesce(max(server_seq), 0) FROM sync_acks WHERE server_id = ? AND status != ?",
            [server_id, p.CONFLICT],
        ).fetchone()
        return row[0]

    def forget_server(self, server_id: str) -> None:
        """The office lost data under this id: forget its acks so everything is offered again."""
        with self.store.write():
            self.db.execute("DELETE FROM sync_acks WHERE server_id = ?", [server_id])
            self.db.execute("DELETE FROM sync_cursors WHERE server_id = ?", [server_id])
            self.db.execute("DELETE FROM sync_photo_acks WHERE server_id = ?", [server_id])
            self.db.execute("UPDATE sync_photo_wanted SET refused_server = NULL, refused_device = NULL, reason = NULL"
                            " WHERE refused_server = ?", [server_id])

    # --- photo downloads ------------------------------------------------------------------

    def want_photos(self, events: Iterable[Event]) -> None:
        """Inside the caller's transaction (the pulled page's): the photos these events, new
        here, name are wanted (sync_photo_wanted) until their file is here."""
        rows = [row for event in events for row in named_photos(event)]
        if rows:
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO sync_photo_wanted (sha256, case_id, stage, size_bytes) VALUES (?, ?, ?, ?)",
                rows)

    def photos_wanted(self, server_id: str, device_id: str) -> list[tuple[str, int | None]]:
        """(sha256, size or None) of the wanted photos, most wanted first, less those `server_id`
        said it will not send to `device_id`. Whether the file is here meanwhile is the caller's check.

        Order: the "before" photos of open cases (what a re-check is judged against), newest
        case first; then the others, newest case first, "before" before "after".
        """
        rows = self.db.execute(
            """SELECT w.sha256, w.size_bytes FROM sync_photo_wanted w LEFT JOIN cases c ON c.case_id = w.case_id
               WHERE w.refused_server IS NULL OR w.refused_server != ? OR w.refused_device != ?
               ORDER BY coalesce(c.lifecycle = 'open' AND w.stage = 'before', 0) DESC,
                        c.found_at DESC, w.stage = 'before' DESC, w.rowid""",
            [server_id, device_id],
        ).fetchall()
        return [(sha, size if isinstance(size, int) and size > 0 else None)
                for sha, size in rows if p.is_sha256(sha)]

    def photos_here(self, hashes: Iterable[str]) -> None:
        """These wanted photos are here now (downloaded, or found there): off the list."""
        rows = [(sha,) for sha in dict.fromkeys(hashes)]
        if rows:
            with self.store.write():
                self.db.conn.executemany("DELETE FROM sync_photo_wanted WHERE sha256 = ?", rows)

    def record_photos_unavailable(self, server_id: str, device_id: str, rows: Iterable[tuple[str, str]]) -> None:
        """(sha256, reason): photos `server_id` will not send `device_id` (404, or over its limit)."""
        values = [(server_id, device_id, reason, sha) for sha, reason in rows]
        if values:
            with self.store.write():
                self.db.conn.executemany(
                    "UPDATE sync_photo_wanted SET refused_server = ?, refused_device = ?, reason = ? WHERE sha256 = ?",
                    values)


def named_photos(event: Event) -> list[tuple[str, str, str, int | None]]:
    """(sha256, case id, stage, size) of the photos an event names (as protocol.photo_hashes)."""
    data = event.data
    if isinstance(data, PhotoAdded):
        return [(data.sha256, data.case_id, data.stage, data.size_bytes)]
    if isinstance(data, (CaseRechecked, RectificationReported)):
        return [(sha, data.case_id, "after", None) for sha in data.photos]
    if isinstance(data, ExemptionRequested):
        return [(sha, data.case_id, "exemption", None) for sha in data.photos]
    return []
