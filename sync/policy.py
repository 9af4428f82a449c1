"""Who may push what, and who may see what (office side).

A phone speaks for one person and a few communities, in one role (auth.Device.role,
fieldapp.domain.events.DEVICE_ROLES). It may push only events whose actor is its person
(or the phone's own id from before its enrolment, recorded on the device: auth.alias_for),
whose type its role may write (the payload's ROLES), about its communities — for case
events the community is the one the office has for the case, never one the phone claims.

A community device (社区书记, 网格员) may write less still (`COMMUNITY_WRITES`): a report of
rectification (case.reported), a request for exemption (case.exemption_requested, only
where the case's source is exemptible in the rules) and the after / exemption photos that
go with them — only for cases the office has as open (not rectified, not voided).

A device may pull only its communities' events, and download only the photos those events
name. These checks run inside the push transaction; a case registered earlier in the same
batch counts as known.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from dataclasses import dataclass
from typing import Callable, Iterable

from fieldapp.domain.events import (
    COMMUNITY,
    CaseRechecked,
    CaseRegistered,
    Event,
    ExemptionRequested,
    PhotoAdded,
    RectificationReported,
    RecurrenceConfirmed,
    RecurrenceProposed,
    SurveyAnswered,
    SurveyTallied,
)
from fieldapp.domain.projection import OPEN, RECTIFIED
from fieldapp.domain.recurrence import link_fault
from fieldapp.domain.validate import EventError
from fieldapp.store import Store
from sync import protocol as p
from sync.auth import Device
from sync.storage import uploaded_by, wire_event


@dataclass(frozen=True)
class Verdict:
    """Either an event that may be appended, or the final result for the phone."""

    event: Event | None
    result: dict | None


def _refuse(event_id, reason: str, detail: str) -> Verdict:
    return Verdict(None, {"id": event_id, "status": p.REJECTED, "reason": reason, "detail": detail})


# What a community device may write, beside its role being in the payload's ROLES: an explicit
# list, so that a type later opened to the community role is not writable from its phones unnoticed.
COMMUNITY_WRITES = (RectificationReported, ExemptionRequested, PhotoAdded)
COMMUNITY_PHOTO_STAGES = ("after", "exemption")  # never a "before" photo: that is the problem's evidence


def case_community(store: Store, case_id: str) -> str | None:
    row = store.db.execute("SELECT community FROM cases WHERE case_id = ?", [case_id]).fetchone()
    return row[0] if row else None


class CaseFacts:
    """What the office has for the cases a batch names — (community, lifecycle, source, category,
    found_at) — read in one query up front, then asked per event; a case not named up front is
    read when asked. Valid while the `cases` table does not change (a batch is judged whole
    before any of it is appended): on a busy office every SQLite call costs the writer a wait
    for the interpreter, so one query a batch rather than one an event."""

    def __init__(self, store: Store, case_ids=()):
        self.store = store
        ids = [c for c in dict.fromkeys(case_ids) if isinstance(c, str)]
        self._rows: dict[str, tuple | None] = dict.fromkeys(ids)
        if ids:
            packed = store.db.execute(
                """SELECT json_group_array(json_array(case_id, community, lifecycle, source, category, found_at))
                   FROM cases WHERE case_id IN (SELECT value FROM json_each(?))""", [json.dumps(ids)]).fetchone()[0]
            for row in json.loads(packed):
                self._rows[row[0]] = tuple(row[1:])

    @classmethod
    def of_batch(cls, store: Store, raw_events: list) -> "CaseFacts":
        """For the cases a pushed batch names (its events' and recurrence links' case ids)."""
        ids = []
        for raw in raw_events:
            payload = raw.get("payload") if isinstance(raw, dict) else None
            if isinstance(payload, dict):
                ids += [payload.get("case_id"), payload.get("earlier_case_id")]
        return cls(store, ids)

    def get(self, case_id: str) -> tuple | None:
        if case_id not in self._rows:
            row = self.store.db.execute(
                "SELECT community, lifecycle, source, category, found_at FROM cases WHERE case_id = ?",
                [case_id]).fetchone()
            self._rows[case_id] = tuple(row) if row else None
        return self._rows[case_id]


def event_photos(event: Event) -> tuple[str, ...]:
    """The photos an event names (the same rule as protocol.photo_hashes, on a parsed event)."""
    if isinstance(event.data, PhotoAdded):
        return (event.data.sha256,)
    if isinstance(event.data, (CaseRechecked, RectificationReported, ExemptionRequested)):
        return event.data.photos
    return ()


def judge(raw: object, device: Device, store: Store, has_blob, batch_cases: dict[str, str],
          batch_facts: dict[str, tuple] | None = None, cases: CaseFacts | None = None) -> Verdict:
    """Parse and authorise one pushed event.

    `has_blob(sha)` says whether the device may name a photo (`photo_rule`); `batch_cases` maps
    the cases registered earlier in the same batch (not stored yet) to their community, and is
    updated here when a registration passes; `batch_facts` (if given) to their (community,
    category, found_at), for checking a recurrence link to or from them; `cases` the office's
    facts of the cases (`CaseFacts`; read here when not given).
    """
    cases = cases if cases is not None else CaseFacts(store)
    event_id = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
    try:
        event = Event.from_dict(raw)
    except EventError as exc:
        return _refuse(event_id, p.REASON_INVALID, str(exc))
    if event.server_seq is not None:  # the office assigns server_seq; whatever the phone sent is not ours
        event = dataclasses.replace(event, server_seq=None)
    if p.is_trial_id(event.actor) or p.is_trial_id(event.device):
        return _refuse(event.id, p.REASON_TRIAL, "sample data (trial mode) is never taken")
    if event.actor not in device.actors:
        return _refuse(event.id, p.REASON_ACTOR, f"actor {event.actor!r} is not this device's {device.role}")
    if event.device not in device.device_ids:  # its own id, or the phone's from before enrolment
        return _refuse(event.id, p.REASON_DEVICE, f"device {event.device!r} is not this phone's")
    if device.role not in event.data.ROLES or (
            device.role == COMMUNITY and not isinstance(event.data, COMMUNITY_WRITES)):
        return _refuse(event.id, p.REASON_ROLE, f"{device.role} devices may not write {event.type}")
    allowed = set(device.communities)
    claimed = getattr(event.data, "community", None)
    facts = None
    if event.case_id is not None:
        row = cases.get(event.case_id)
        facts = row[:3] if row else None
        known = facts[0] if facts else batch_cases.get(event.case_id)
        if known is None and not isinstance(event.data, CaseRegistered):
            return _refuse(event.id, p.REASON_UNKNOWN_CASE, f"no registered case {event.case_id}")
        # A registration must be for an allowed community, and may not re-register someone else's case.
        for community in {c for c in (known, claimed) if c is not None}:
            if community not in allowed:
                return _refuse(event.id, p.REASON_COMMUNITY, f"community {community} is not this device's")
    elif claimed is None or claimed not in allowed:
        return _refuse(event.id, p.REASON_COMMUNITY, f"community {claimed} is not this device's")
    if device.role == COMMUNITY:
        refused = _community_refusal(store, event, facts)
        if refused is not None:
            return _refuse(event.id, *refused)
    if isinstance(event.data, (RecurrenceProposed, RecurrenceConfirmed)):
        refused = _recurrence_refusal(cases, event, batch_facts or {})
        if refused is not None:
            return _refuse(event.id, p.REASON_RECURRENCE, refused)
    missing = [sha for sha in event_photos(event) if not has_blob(sha)]
    if missing:
        return Verdict(None, {"id": event.id, "status": p.MISSING_BLOB, "missing": missing})
    if isinstance(event.data, CaseRegistered) and event.case_id not in batch_cases:
        batch_cases[event.case_id] = event.data.community
        if batch_facts is not None:
            batch_facts[event.case_id] = (event.data.community, event.data.category, event.data.found_at, "")
    return Verdict(event, None)


def _link_facts(known: CaseFacts, case_id: str, batch_facts: dict[str, tuple]) -> tuple | None:
    """(community, category, found_at, lifecycle) of a case the office has or this batch registers."""
    row = known.get(case_id)
    if row is not None:
        community, lifecycle, _, category, found_at = row
        return community, category, datetime.fromisoformat(found_at), lifecycle
    return batch_facts.get(case_id)


def _recurrence_refusal(known: CaseFacts, event: Event, batch_facts: dict[str, tuple]) -> str | None:
    """Why a proposed or confirmed recurrence link is not one (detail), else None.

    The rules' recurrence (assessment-rules.md): the earlier case is of the same community and
    category and was found before the new one; a confirmation also needs it rectified. An
    earlier case the office does not have yet is not judged here (the office decides later).
    """
    new = _link_facts(known, event.data.case_id, batch_facts)
    earlier = _link_facts(known, event.data.earlier_case_id, batch_facts)
    if new is None or earlier is None:
        return None
    confirming = isinstance(event.data, RecurrenceConfirmed)
    fault = link_fault(new[0], new[1], new[2], earlier[0], earlier[1], earlier[2],
                       earlier[3] == RECTIFIED if confirming else None)  # fmt: skip
    if fault is None:
        return None
    return f"{event.data.earlier_case_id} cannot be the earlier case of {event.data.case_id}: {fault}"


def _community_refusal(store: Store, event: Event,
                       facts: tuple[str, str, str] | None) -> tuple[str, str] | None:
    """(reason, detail) if a community device may not write this event, else None.

    Its type is one of COMMUNITY_WRITES and its case one of the device's communities'
    already; `facts` are the office's (community, lifecycle, source) for that case — always
    known here, since a community device cannot register a case (no batch-registered ones).
    """
    if facts is None:
        return p.REASON_UNKNOWN_CASE, f"no registered case {event.case_id}"
    _, lifecycle, source = facts
    if lifecycle != OPEN:
        return p.REASON_CLOSED, f"case {event.case_id} is {lifecycle}, not open"
    data = event.data
    if isinstance(data, PhotoAdded) and data.stage not in COMMUNITY_PHOTO_STAGES:
        stages = "/".join(COMMUNITY_PHOTO_STAGES)
        return p.REASON_ROLE, f"community devices may add only {stages} photos, not {data.stage}"
    if isinstance(data, RectificationReported) and not data.photos:
        return p.REASON_INVALID, "payload.photos: a report needs at least one after photo"
    if isinstance(data, ExemptionRequested):
        try:
            exemptible = store.rules.source(source).exemptible
        except LookupError:  # a source the rules no longer name
            exemptible = False
        if not exemptible:
            return p.REASON_NOT_EXEMPTIBLE, f"source {source} cases cannot be exempted"
    return None


#: What a role may not pull although it is about its communities: the residents' questionnaires
#: assess the community, and each answer (with its comment) stays with the inspectors and the office.
HIDDEN_FROM = {COMMUNITY: [SurveyAnswered.TYPE, SurveyTallied.TYPE]}


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
                 AND e.type NOT IN (SELECT value FROM json_each(?))
               ORDER BY e.seq LIMIT ?""",
            [since, top, json.dumps(list(device.communities)), device.device_id,
             json.dumps(HIDDEN_FROM.get(device.role, [])), limit + 1],
        ))
    finally:
        db.execute("COMMIT")
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = rows[-1]["seq"] if more else max(top, since)
    return [wire_event(r, r["seq"]) for r in rows], more, cursor


def photo_rule(store: Store, device: Device, on_office: Callable[[str], bool],
               named: Iterable[str] = (), uploading: Iterable[str] = ()) -> Callable[[str], bool]:
    """The one rule for naming a photo, as a function of its hash: the office has it (`on_office`)
    and it is the device's to name (`photo_usable`) — for a push, an outbox file and
    `blobs/missing` alike. `named`: the hashes about to be asked, whose uploads by this device are
    read in one query up front (a batch's photos); `uploading`: the device's uploads the office
    took but has not recorded yet (they count as recorded ones)."""
    ask = [sha for sha in dict.fromkeys(named) if isinstance(sha, str)]
    uploaded: set[str] = set(uploading)
    if ask:
        packed = store.db.execute(
            """SELECT json_group_array(sha256) FROM sync_blob_uploads
               WHERE device_id = ? AND sha256 IN (SELECT value FROM json_each(?))""",
            [device.device_id, json.dumps(ask)]).fetchone()[0]
        uploaded.update(json.loads(packed))
    asked = set(ask)

    def usable(sha256: str) -> bool:
        if not on_office(sha256):
            return False
        if sha256 in uploaded:
            return True
        if sha256 in asked:
            return photo_visible(store, device, sha256)
        return photo_usable(store, device, sha256)

    return usable


def photo_usable(store: Store, device: Device, sha256: str) -> bool:
    """Whether the device may name this photo in an event, or be told the office has it: it
    uploaded the bytes itself (`sync_blob_uploads`), or the photo already belongs to a case the
    device may see (`photo_visible`). Any other photo is "missing" to it: to name it, the phone
    must upload the bytes — so nobody reaches a photo by knowing its hash."""
    return uploaded_by(store, device.device_id, sha256) or photo_visible(store, device, sha256)


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
