"""What the screens read and write, as plain functions ``fn(store, ...)``.

Each runs in a `DataService` worker (``await ctx.data.run(fn, ...)``), never on
the UI loop, and returns plain data (rows, bytes), never controls.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Optional, Sequence

from fieldapp import photos as photo_files
from fieldapp.domain.geo import Position
from fieldapp.domain.projection import CaseState
from fieldapp.store import CaseRow, Store
from sync.phonebook import META_URL, PhoneBook

PAGE_SIZE = 30


# --- 我的案件 --------------------------------------------------------------------------

@dataclass(frozen=True)
class CaseFilter:
    community: Optional[str] = None     # None: every community on this phone
    status: Optional[str] = None        # overdue / due_today / due_soon / open; None: all open
    # 我登记的: only the cases registered under these ids (Settings.my_ids: the inspector,
    # and the phone's own id from before enrolment); None: everyone's
    inspector: Optional[tuple[str, ...]] = None
    # 待复查: only the cases the community reported done, oldest report first
    awaiting: bool = False
    # a community's phone: only its own communities' cases; None: every community on this phone
    communities: Optional[tuple[str, ...]] = None


#: the pseudo-status the counts give for 待复查 (beside overdue / due_today / ...)
AWAITING = "awaiting"
#: the filter 已办结: rectified or voided cases, newest first (Store.open_cases(status=CLOSED))
CLOSED = "closed"
CLOSED_STATUSES = ("rectified_on_time", "rectified_late", "voided")


@dataclass(frozen=True)
class CasePage:
    rows: tuple[CaseRow, ...]
    thumbs: dict[str, bytes]            # thumbnail JPEG bytes by photo sha256
    offset: int
    has_more: bool
    after: dict[str, str] = field(default_factory=dict)  # case id -> its reported after photo (待复查)

    @property
    def next_offset(self) -> int:
        return self.offset + len(self.rows)


def read_thumb(photo_dir: Path, sha: Optional[str]) -> Optional[bytes]:
    if not sha:
        return None
    try:
        return photo_files.thumb_path(photo_dir, sha).read_bytes()
    except (OSError, ValueError):
        return None


def case_page(store: Store, photo_dir: Path, now: datetime, flt: CaseFilter,
              offset: int = 0, limit: int = PAGE_SIZE) -> CasePage:
    """One page of open cases by urgency, with their thumbnails (one extra row tells
    whether more remain)."""
    rows = store.open_cases(now, inspector=flt.inspector, community=flt.community,
                            status=flt.status, awaiting=flt.awaiting, communities=flt.communities,
                            limit=limit + 1, offset=offset)
    has_more = len(rows) > limit
    rows = rows[:limit]
    after = {r.case_id: sha for r in rows if r.awaiting_since and (sha := reported_photo(store, r.case_id))}
    thumbs = {}
    for sha in [r.thumb for r in rows] + list(after.values()):
        if sha and sha not in thumbs:
            data = read_thumb(photo_dir, sha)
            if data:
                thumbs[sha] = data
    return CasePage(tuple(rows), thumbs, offset, has_more, after)


def reported_photo(store: Store, case_id: str) -> Optional[str]:
    """The first after photo of the case's latest report (整改反馈), for the 待复查 list."""
    row = store.db.execute(
        "SELECT json_extract(payload, '$.photos[0]') FROM events "
        "WHERE case_id = ? AND type = 'case.reported' ORDER BY recorded_at DESC, seq DESC LIMIT 1",
        [case_id]).fetchone()
    return row[0] if row else None


def open_counts(store: Store, now: datetime, inspector: Optional[Sequence[str]] = None,
                communities: Optional[Sequence[str]] = None) -> dict[str, dict[str, int]]:
    """{community: {status: n}} (every status, zeros included), and per community how many
    open cases wait for their re-check (`AWAITING`). `communities`: only these."""
    counts = store.status_counts(now, inspector=inspector)
    if communities is not None:
        counts = {c: counts.get(c, {}) for c in communities}
    for status in counts.values():
        status[AWAITING] = 0
    where, params = "", []
    if inspector is not None:
        ids = tuple(inspector)
        where, params = f" AND registered_by IN ({', '.join('?' * len(ids))})", list(ids)
    for community, n in store.db.execute(
            "SELECT community, count(*) FROM cases WHERE lifecycle = 'open' AND awaiting_utc IS NOT NULL"
            f"{where} GROUP BY community", params).fetchall():
        if community in counts:
            counts[community][AWAITING] = n
    return counts


def count_open(counts: dict[str, dict[str, int]], community: Optional[str],
               status: Optional[str]) -> int:
    """How many cases a filter shows, from `open_counts` (open ones; `CLOSED`: the closed ones)."""
    statuses = CLOSED_STATUSES if status == CLOSED else (status,) if status else ("overdue", "due_today",
                                                                                     "due_soon", "open")
    communities = [community] if community else list(counts)
    return sum(counts.get(c, {}).get(s, 0) for c in communities for s in statuses)


# --- 案件详情 --------------------------------------------------------------------------

@dataclass(frozen=True)
class CaseDetail:
    state: CaseState
    status: str
    days_left: int
    before: tuple[tuple[str, Optional[bytes]], ...]   # (sha, thumb bytes)
    after: tuple[tuple[str, Optional[bytes]], ...]


def case_detail(store: Store, photo_dir: Path, now: datetime, case_id: str) -> Optional[CaseDetail]:
    from fieldapp.domain import deadlines

    state = store.case(case_id)
    if state is None:
        return None
    rules = store.rules
    return CaseDetail(
        state=state,
        status=state.status(now, rules.tz, rules.due_soon_days),
        days_left=deadlines.days_left(state.deadline, now, rules.tz),
        before=tuple((s, read_thumb(photo_dir, s)) for s in state.before_photos),
        after=tuple((s, read_thumb(photo_dir, s)) for s in state.after_photos),
    )


def photo_bytes(photo_dir: Path, sha: str) -> Optional[bytes]:
    """The stored (≤ 1600 px) photo, for the full-screen view."""
    try:
        return photo_files.photo_path(photo_dir, sha).read_bytes()
    except (OSError, ValueError):
        return None


# --- photos being taken -----------------------------------------------------------------

@dataclass(frozen=True)
class PickedPhoto:
    """A photo chosen on a form, not saved yet: the original bytes go to Casework on save."""

    data: bytes = field(repr=False)
    thumb: bytes = field(repr=False)
    position: Optional[Position]
    taken_at: Optional[str]
    # what an after photo is compared with the case's before photos by (Casework.check_after_photo)
    sha256: str = ""
    original_sha256: str = ""
    phash: Optional[str] = None


def inspect_photo(data: bytes) -> PickedPhoto:
    """Run the real photo intake on `data` in a throw-away folder: the same checks as
    saving (raises PhotoRejected), and a small upright preview to show on the form."""
    with tempfile.TemporaryDirectory(prefix="fieldapp-pick-") as tmp:
        stored = photo_files.ingest_bytes(data, Path(tmp))
        thumb = photo_files.thumb_path(Path(tmp), stored.sha256).read_bytes()
        phash = photo_files.stored_perceptual_hash(Path(tmp), stored.sha256)
    return PickedPhoto(bytes(data), thumb, stored.metadata.position, stored.metadata.taken_at,
                       stored.sha256, stored.original_sha256, phash)


# --- 满意度调查 / 同步 -------------------------------------------------------------------

def surveys_today(store: Store, day: date, actors: Sequence[str]) -> int:
    """Questionnaires this phone's inspector took on `day`, under any of their ids (Settings.my_ids)."""
    return store.survey_count(day=day, actor=actors)


@dataclass(frozen=True)
class Pending:
    events: int      # records the office has not acknowledged yet
    cases: int
    surveys: int
    photos: int


def pending(store: Store) -> Pending:
    """What is still waiting for the office: own events it has not acknowledged
    (sync.phonebook: per office, by its acknowledgements — never `server_seq`, which
    pulled events lack too and which an office restore invalidates)."""
    book = PhoneBook(store)
    events, photos = book.pending_counts()
    by_type = book.pending_by_type() if events else {}
    return Pending(events, by_type.get("case.registered", 0), by_type.get("survey.answered", 0), photos)


# --- 同步 --------------------------------------------------------------------------------

@dataclass(frozen=True)
class SyncState:
    """Everything the 同步 screen shows between runs."""

    server_url: str
    enrolled: bool
    inspector: str
    communities: tuple[str, ...]
    pending: Pending
    held: tuple[tuple[str, str, int], ...]   # (code, detail of one, how many events) why events wait
    last_run: Optional[dict]                  # sync.client's record of the last run (see META_LAST_RUN)
    enrolled_at: str = ""                     # ISO time of the last enrolment

    @property
    def token_dead(self) -> bool:
        """The last run since the last enrolment was refused for the token (revoked, unknown)."""
        last = self.last_run or {}
        return (last.get("stopped") in ("token_revoked", "token_invalid")
                and str(last.get("at", "")) >= self.enrolled_at)


def sync_state(store: Store) -> SyncState:
    book = PhoneBook(store)
    creds = book.credentials()
    held: dict[str, list] = {}
    for row in book.pending_errors():
        entry = held.setdefault(row["code"], [row["detail"], 0])
        entry[1] += 1
    return SyncState(
        server_url=creds["server_url"] or "",
        enrolled=bool(creds["token"]),
        inspector=creds["inspector"] or "",
        communities=tuple(creds["communities"]),
        pending=pending(store),
        held=tuple((code, detail, n) for code, (detail, n) in held.items()),
        last_run=book.last_run(),
        enrolled_at=creds["enrolled_at"] or "",
    )


def save_server_url(store: Store, url: str) -> None:
    store.set_meta(META_URL, url)


def names(rules) -> tuple[dict[str, str], dict[str, str]]:
    """(community code -> name, category code -> name)."""
    return ({c.code: c.name for c in rules.communities},
            {c.code: c.name for c in rules.categories})


def first_or_none(items: Sequence):
    return items[0] if items else None
