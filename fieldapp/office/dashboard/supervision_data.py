"""What the 督办 screen reads (run on the sync server's reader threads: ``desk.read(fn, ...)``).

- `urgent_cases` — per community, its open cases overdue or due within the rules'
  ``due_soon_days`` (overdue first), exempted ones left out as on the 督办通知单;
- `late_rechecks` — reports (整改反馈) waiting for their re-check longer than the rules'
  ``recheck_overdue_days``, grouped by the inspector whose case it is (registered_by);
- `exemption_requests` — cases whose latest word on exemption is the community's request;
- `people` — actor id → the name to show: enrolled phones' ``inspector`` (an actor's
  pre-enrolment alias too); an office account as 办事处 <name>; else the id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from fieldapp.domain.projection import EXEMPTION_REQUESTED, VOIDED, CaseState
from fieldapp.office.notice import URGENT
from fieldapp.store import CaseRow, utc_key

#: lines shown per community (the 督办通知单 lists them all)
SHOWN_PER_COMMUNITY = 50
MAX_ROWS = 10_000


@dataclass
class CommunityCases:
    code: str
    rows: list[CaseRow] = field(default_factory=list)  # the first SHOWN_PER_COMMUNITY
    overdue: int = 0
    due: int = 0

    @property
    def total(self) -> int:
        return self.overdue + self.due


@dataclass(frozen=True)
class LateRecheck:
    row: CaseRow
    waited_days: int  # whole days since the report


@dataclass(frozen=True)
class ExemptionRequest:
    case: CaseState
    reason: str
    actor: str  # who asked
    asked_at: datetime | None


def urgent_cases(store, now: datetime, communities: list[str], limit: int = SHOWN_PER_COMMUNITY
                 ) -> dict[str, CommunityCases]:  # fmt: skip
    exempted = {r[0] for r in store.db.execute("SELECT case_id FROM cases WHERE lifecycle = 'open' AND exempted = 1")}
    out = {code: CommunityCases(code) for code in communities}
    for code in communities:
        group = out[code]
        for row in store.open_cases(now, community=code, limit=MAX_ROWS):
            if row.status not in URGENT or row.case_id in exempted:
                continue
            if row.days_left < 0:
                group.overdue += 1
            else:
                group.due += 1
            if len(group.rows) < limit:
                group.rows.append(row)
    return out


def late_rechecks(store, now: datetime, days: int) -> dict[str, list[LateRecheck]]:
    """{registered_by: reports waiting longer than `days` days, oldest first}, inspectors in order of
    their oldest waiting report."""
    cutoff = utc_key(now - timedelta(days=days))
    out: dict[str, list[LateRecheck]] = {}
    for row in store.open_cases(now, awaiting=True, limit=MAX_ROWS):
        if row.awaiting_since is None or utc_key(row.awaiting_since) >= cutoff:
            continue
        waited = (now - row.awaiting_since).days
        out.setdefault(row.registered_by, []).append(LateRecheck(row, waited))
    return out


def exemption_requests(store) -> list[ExemptionRequest]:
    """Requests still unanswered (not for voided cases), oldest deadline first."""
    ids = [r[0] for r in store.db.execute(
        "SELECT case_id FROM cases WHERE exemption_request = ? AND lifecycle != ? ORDER BY deadline, case_id",
        [EXEMPTION_REQUESTED, VOIDED])]  # fmt: skip
    out = []
    for case_id in ids:
        state = store.case(case_id)
        if state is None:
            continue
        asked = [h for h in state.history if h.type == "case.exemption_requested"]
        last = asked[-1] if asked else None
        out.append(ExemptionRequest(state, state.exemption_request_reason, last.actor if last else "",
                                    last.at if last else None))  # fmt: skip
    return out

