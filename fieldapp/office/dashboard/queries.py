"""Reads the dashboard makes of the office store (run on the sync server's reader threads).

Each function takes the Store first (``desk.read(fn, *args)`` calls ``fn(store, *args)``).
Lists come from the Store's own queries (`cases`, `open_cases`, `status_counts`);
the two work lists the phone has no use for — recurrence proposals and external
cases — read the `cases` projection table directly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fieldapp.domain.projection import CaseState
from fieldapp.store import CaseRow

#: the status filter of 案件: the Store's open-case statuses, plus every open case, plus all cases
OPEN_ALL = "open_all"
ALL = "all"
STATUS_FILTERS = (OPEN_ALL, "overdue", "due_today", "due_soon", "open", ALL)
PAGE = 100


@dataclass(frozen=True)
class CaseBrief:
    case_id: str
    community: str
    category: str
    source: str
    note: str
    place: str
    found_at: str
    deadline: str
    lifecycle: str
    verified: bool
    exempted: bool
    registered_by: str

    @property
    def label(self) -> str:
        return " ".join(x for x in (self.place, self.note) if x)


@dataclass(frozen=True)
class Proposal:
    new: CaseBrief
    earlier: CaseBrief | None  # None: the earlier case has not reached the office (yet)


def case_list(store, now: datetime, community: str | None, status: str, limit: int = PAGE) -> list[CaseRow]:
    """Cases for the 案件 table: open ones by urgency (overdue first); or every case."""
    if status == ALL:
        return store.cases(now, community=community, limit=limit)
    if status == OPEN_ALL:
        return store.open_cases(now, community=community, limit=limit)
    return store.open_cases(now, community=community, status=status, limit=limit)


def status_counts(store, now: datetime) -> dict[str, dict[str, int]]:
    return store.status_counts(now)


_BRIEF = """case_id, community, category, source, note, place, found_at, deadline, lifecycle, verified, exempted,
            registered_by"""


def _brief(row) -> CaseBrief:
    return CaseBrief(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8], bool(row[9]),
                     bool(row[10]), row[11])  # fmt: skip


def brief(store, case_id: str) -> CaseBrief | None:
    row = store.db.execute(f"SELECT {_BRIEF} FROM cases WHERE case_id = ?", [case_id]).fetchone()
    return _brief(row) if row else None


def recurrence_proposals(store) -> list[Proposal]:
    """Recurrence links still "proposed" (latest decision), newest case first."""
    rows = store.db.execute(
        f"""SELECT {_BRIEF}, recurrence FROM cases
            WHERE recurrence IS NOT NULL AND lifecycle != 'voided' ORDER BY found_at DESC, case_id"""
    ).fetchall()
    out = []
    for row in rows:
        links = json.loads(row[12])
        for earlier, state in links:
            if state == "proposed":
                out.append(Proposal(_brief(row), brief(store, earlier)))
    return out


def external_cases(store, limit: int = 200) -> list[CaseBrief]:
    """Cases not found by the office's own inspectors (sources other than D), not voided:
    unverified first, then by deadline."""
    rows = store.db.execute(
        f"""SELECT {_BRIEF} FROM cases WHERE source != 'D' AND lifecycle != 'voided'
            ORDER BY verified, deadline, case_id LIMIT ?""",
        [limit],
    ).fetchall()
    return [_brief(r) for r in rows]


def case_detail(store, case_id: str) -> tuple[CaseState | None, list[dict]]:
    """A case with its full history, and its photo rows (before first)."""
    state = store.case(case_id)
    return state, (store.case_photos(case_id) if state is not None else [])


def read_photo(photo_dir: Path, sha256: str) -> bytes | None:
    """The stored JPEG, or None if the office does not have it (not synced yet)."""
    from fieldapp.photos import photo_path

    try:
        return photo_path(photo_dir, sha256).read_bytes()
    except (OSError, ValueError):
        return None
