"""Who may push what, and who may see what (office side).

A phone speaks for one inspector and a few communities. It may push only
events whose actor is its inspector (or the phone's own id from before its
enrolment, recorded on the device: auth.alias_for), whose type inspectors may write, about
its communities — for case events the community is the one the office has
for the case, never one the phone claims. It may pull only its communities'
events, and download only the photos those events name. These checks run inside the push
transaction; a case registered earlier in the same batch counts as known.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

from fieldapp.domain.events import INSPECTOR, CaseRechecked, CaseRegistered, Event, PhotoAdded
from fieldapp.domain.validate import EventError
from fieldapp.store import Store
from sync import protocol as p
from sync.auth import Device
from sync.storage import wire_event


@dataclass(frozen=True)
class Verdict:
    """Either an event that may be appended, or the final result for the phone."""

    event: Event | None
    result: dict | None


def _refuse(event_id, reason: str, detail: str) -> Verdict:
    return Verdict(None, {"id": event_id, "status": p.REJECTED, "reason": reason, "detail": detail})


def case_community(store: Store, case_id: str) -> str | None:
    row = store.db.execute("SELECT community FROM cases WHERE case_id = ?", [case_id]).fetchone()
    return row[0] if row else None


def event_photos(event: Event) -> tuple[str, ...]:
    """The photos an event names (the same rule as protocol.photo_hashes, on a parsed event)."""
    if isinstance(event.data, PhotoAdded):
        return (event.data.sha256,)
    if isinstance(event.data, CaseRechecked):
        return event.data.photos
    return ()


def judge(raw: object, device: Device, store: Store, has_blob, batch_cases: dict[str, str]) -> Verdict:
    """Parse and authorise one pushed event.

    `has_blob(sha)` says whether the office has a photo; `batch_cases` maps the cases
    registered earlier in the same batch (not stored yet) to their community, and is
    updated here when a registration passes.
    """
    event_id = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
    try:
        event = Event.from_dict(raw)
    except EventError as exc:
        return _refuse(event_id, p.REASON_INVALID, str(exc))
    # The office assigns server_seq; whatever the phone sent is not ours to keep.
    event = dataclasses.replace(event, server_seq=None)
    if event.actor not in device.actors:
        return _refuse(event.id, p.REASON_ACTOR, f"actor {event.actor!r} is not this device's inspector")
    if INSPECTOR not in event.data.ROLES:
        return _refuse(event.id, p.REASON_ROLE, f"inspectors may not write {event.type}")
    allowed = set(device.communities)
    claimed = getattr(event.data, "community", None)
    if event.case_id is not None:
        known = case_community(store, event.case_id) or batch_cases.get(event.case_id)
        if known is None and not isinstance(event.data, CaseRegistered):
            return _refuse(event.id, p.REASON_UNKNOWN_CASE, f"no registered case {event.case_id}")
        # A registration must be for an allowed community, and may not re-register someone else's case.
        for community in {c for c in (known, claimed) if c is not None}:
            if community not in allowed:
                return _refuse(event.id, p.REASON_COMMUNITY, f"community {community} is not this device's")
    elif claimed is None or claimed not in allowed:
        return _refuse(event.id, p.REASON_COMMUNITY, f"community {claimed} is not this device's")
    missing = [sha for sha in event_photos(event) if not has_blob(sha)]
    if missing:
        return Verdict(None, {"id": event.id, "status": p.MISSING_BLOB, "missing": missing})
    if isinstance(event.data, CaseRegistered) and event.case_id not in batch_cases:
        batch_cases[event.case_id] = event.data.community
    return Verdict(event, None)


def visible_page(store: Store, device: Device, since: int, limit: int) -> tuple[list[dict], bool, int]:
    """Events after `since` (exclusive) this device may see: its communities', except those it pushed.

    Returns (events in wire form with server_seq, whether more remain, the cursor
    to send next). The office's `seq` is its arrival order and is what
    `server_seq` means on the wire. One read transaction: the cursor and the
    page come from the same snapshot, and SQLite hands out seqs in commit
    order, so nothing committed later can appear below the cursor.
    """
    db = store.db
    db.execute("BEGIN")
    try:
        top = db.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0]
        rows = list(db.query(
            """SELECT e.* FROM events e LEFT JOIN cases c ON c.case_id = e.case_id
               LEFT JOIN sync_origin o ON o.seq = e.seq
               WHERE e.seq > ? AND e.seq <= ?
                 AND (CASE WHEN e.case_id IS NOT NULL THEN c.community
                           ELSE json_extract(e.payload, '$.community') END)
                     IN (SELECT value FROM json_each(?))
                 AND o.device_id IS NOT ?
               ORDER BY e.seq LIMIT ?""",
            [since, top, json.dumps(list(device.communities)), device.device_id, limit + 1],
        ))
    finally:
        db.execute("COMMIT")
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = rows[-1]["seq"] if more else max(top, since)
    return [wire_event(r, r["seq"]) for r in rows], more, cursor


def photo_visible(store: Store, device: Device, sha256: str) -> bool:
    """Whether the device may download this photo: an event of a case in one of its communities
    names it (photo.added: the Store's `photos` table; case.rechecked: `sync_recheck_photos`).

    Two index lookups by sha256 (`photos_sha`, the primary key of sync_recheck_photos), each
    joined to its case by primary key. The same rule as `visible_page` for case events: the
    community is the one the office has for the case.
    """
    row = store.db.execute(
        """SELECT 1 FROM photos ph JOIN cases c ON c.case_id = ph.case_id
           WHERE ph.sha256 = :sha AND c.community IN (SELECT value FROM json_each(:communities))
           UNION ALL
           SELECT 1 FROM sync_recheck_photos r JOIN cases c ON c.case_id = r.case_id
           WHERE r.sha256 = :sha AND c.community IN (SELECT value FROM json_each(:communities))
           LIMIT 1""",
        {"sha": sha256, "communities": json.dumps(list(device.communities))},
    ).fetchone()
    return row is not None
