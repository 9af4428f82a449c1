"""The current state of a case, folded from its events (pure).

The same set of events gives the same state whatever order they arrive in and
however often each arrives: events are de-duplicated by id and folded in
`Event.sort_key` order (device time, then id), and every rule below is written
so that a later-arriving event cannot be lost.

Fixed rules where people disagree (documented in docs/projection.md):
- a case is **voided** as soon as any void event exists;
- it is **rectified** from the earliest passing re-check; a re-check that falls
  short before that leaves it open (marked `falls_short`);
- the community's reports (整改反馈) and the re-checks are walked in time order
  (a report before a check at the same instant): a failing check rejects every
  report before it; a passing check confirms them, and the case counts as
  rectified at the earliest confirmed report (else at the check); a report with
  no check after it is awaiting its re-check (`awaiting_since`);
- a request for exemption is answered by the office's latest grant or refusal
  after it (by sort key); a later request asks again;
- the effective deadline is that of the latest deadline change (by sort key);
- a recurrence link's state is that of its latest proposal/confirmation/rejection;
- two registrations of one case keep the earliest and flag the case.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from typing import Iterable
from zoneinfo import ZoneInfo

from fieldapp.domain import deadlines
from fieldapp.domain.events import (
    CaseExempted,
    ExemptionRefused,
    ExemptionRequested,
    RectificationReported,
    CaseRechecked,
    CaseRegistered,
    CaseSighted,
    CaseVerified,
    CaseVoided,
    DeadlineChanged,
    Event,
    PhotoAdded,
    RecurrenceConfirmed,
    RecurrenceProposed,
    RecurrenceRejected,
)
from fieldapp.domain.geo import Position

OPEN = "open"
RECTIFIED = "rectified"
VOIDED = "voided"

# What a user sees: lifecycle plus urgency (for open cases) or timeliness.
STATUS_OPEN = "open"
STATUS_DUE_SOON = "due_soon"
STATUS_DUE_TODAY = "due_today"
STATUS_OVERDUE = "overdue"
STATUS_RECTIFIED_ON_TIME = "rectified_on_time"
STATUS_RECTIFIED_LATE = "rectified_late"
STATUS_VOIDED = "voided"
STATUSES = (
    STATUS_OVERDUE,
    STATUS_DUE_TODAY,
    STATUS_DUE_SOON,
    STATUS_OPEN,
    STATUS_RECTIFIED_ON_TIME,
    STATUS_RECTIFIED_LATE,
    STATUS_VOIDED,
)

REPORT_AWAITING = "awaiting"  # no re-check after it yet
REPORT_CONFIRMED = "confirmed"  # the next check passed
REPORT_REJECTED = "rejected"  # the next check fell short

EXEMPTION_REQUESTED = "requested"
EXEMPTION_GRANTED = "granted"
EXEMPTION_REFUSED = "refused"

RECURRENCE_PROPOSED = "proposed"
RECURRENCE_CONFIRMED = "confirmed"
RECURRENCE_REJECTED = "rejected"


@dataclass(frozen=True)
class HistoryEntry:
    event_id: str
    type: str
    at: datetime
    actor: str
    detail: dict


@dataclass(frozen=True)
class Report:
    """A community's report that the problem is rectified (整改反馈), and what the checks made of it."""

    event_id: str
    actor: str
    reported_at: datetime
    note: str
    photos: tuple[str, ...]
    outcome: str = REPORT_AWAITING


@dataclass(frozen=True)
class Check:
    """A re-check (复查): passed (整改到位) or fell short, with its note and after photos."""

    event_id: str
    actor: str
    checked_at: datetime
    passed: bool
    note: str
    photos: tuple[str, ...]


@dataclass(frozen=True)
class CaseState:
    case_id: str
    community: str
    category: str
    source: str
    note: str
    place: str
    position: Position | None
    found_at: datetime
    registered_by: str
    device: str
    unannounced: bool
    original_deadline: date
    deadline: date
    lifecycle: str = OPEN
    rectified_at: datetime | None = None
    on_time: bool | None = None
    falls_short: bool = False
    verified: bool = False
    exempted: bool = False
    exempt_reason: str = ""
    void_reason: str = ""
    before_photos: tuple[str, ...] = ()
    after_photos: tuple[str, ...] = ()
    sightings: int = 0
    recurrences: tuple[tuple[str, str], ...] = ()  # (earlier case id, proposed/confirmed/rejected)
    reports: tuple[Report, ...] = ()  # in time order
    checks: tuple[Check, ...] = ()  # in time order
    awaiting_since: datetime | None = None  # the earliest report still waiting for its re-check
    exemption_request: str = ""  # "" / requested / granted / refused
    exemption_request_reason: str = ""
    exemption_refusal_reason: str = ""
    exemption_photos: tuple[str, ...] = ()
    # Evidence marks (domain/evidence.py) of its registration, then of its re-checks and reports.
    marks: tuple[str, ...] = ()
    # The GPS fix, when the inspector moved the pin elsewhere (then `position` is the moved place,
    # where the problem is; CaseRegistered.placed). None: `position` is the fix itself.
    fix: Position | None = None
    flags: tuple[str, ...] = ()
    history: tuple[HistoryEntry, ...] = field(default=(), repr=False)

    def status(self, now: datetime, tz: ZoneInfo, due_soon_days: int = 3) -> str:
        return case_status(self.lifecycle, self.on_time, self.deadline, now, tz, due_soon_days)

    @property
    def last_failed_check(self) -> Check | None:
        """The latest re-check, if it fell short (what the community must hear: 复查未通过: 原因)."""
        return self.checks[-1] if self.checks and not self.checks[-1].passed else None

    @property
    def confirmed_recurrence_of(self) -> tuple[str, ...]:
        return tuple(e for e, state in self.recurrences if state == RECURRENCE_CONFIRMED)


_URGENCY_STATUS = {
    deadlines.OVERDUE: STATUS_OVERDUE,
    deadlines.DUE_TODAY: STATUS_DUE_TODAY,
    deadlines.DUE_SOON: STATUS_DUE_SOON,
    deadlines.LATER: STATUS_OPEN,
}


def case_status(
    lifecycle: str, on_time: bool | None, deadline: date, now: datetime, tz: ZoneInfo, due_soon_days: int = 3
) -> str:
    """What a user sees: voided, rectified on time / late, or an open case's urgency."""
    if lifecycle == VOIDED:
        return STATUS_VOIDED
    if lifecycle == RECTIFIED:
        return STATUS_RECTIFIED_ON_TIME if on_time else STATUS_RECTIFIED_LATE
    return _URGENCY_STATUS[deadlines.urgency(deadline, now, tz, due_soon_days)]


def _add_unique(items: tuple[str, ...], *new: str) -> tuple[str, ...]:
    return items + tuple(n for n in new if n not in items)


def _flag(state: CaseState, flag: str) -> CaseState:
    return replace(state, flags=_add_unique(state.flags, flag))


def project_case(events: Iterable[Event], tz: ZoneInfo) -> CaseState | None:
    """Fold one case's events into its state; None until its registration is known."""
    unique = {e.id: e for e in events}
    ordered = sorted(unique.values(), key=Event.sort_key)
    registration = next((e for e in ordered if isinstance(e.data, CaseRegistered)), None)
    if registration is None:
        return None
    r: CaseRegistered = registration.data
    state = CaseState(
        case_id=r.case_id,
        community=r.community,
        category=r.category,
        source=r.source,
        note=r.note,
        place=r.place,
        position=r.placed or r.position,
        fix=r.position if r.placed is not None else None,
        found_at=r.found_at,
        registered_by=registration.actor,
        device=registration.device,
        unannounced=r.unannounced,
        original_deadline=r.deadline,
        deadline=r.deadline,
        marks=r.marks,
    )
    links: dict[str, str] = {}
    timeline: list = []  # reports and checks
    history = []
    for event in ordered:
        if event.case_id != r.case_id:
            raise ValueError(f"event {event.id} belongs to case {event.case_id}, not {r.case_id}")
        state = _apply(state, event, links, timeline)
        history.append(HistoryEntry(event.id, event.type, event.recorded_at, event.actor, event.data.to_payload()))
    reports, checks, rectified_at = settle(timeline)
    state = replace(state, reports=reports, checks=checks, falls_short=bool(checks) and not checks[-1].passed)
    if rectified_at is not None:
        state = replace(
            state,
            lifecycle=RECTIFIED if state.lifecycle != VOIDED else VOIDED,
            rectified_at=rectified_at,
            on_time=deadlines.is_on_time(rectified_at, state.deadline, tz),
            falls_short=False,
        )
        if state.lifecycle == VOIDED:
            state = _flag(state, "voided_after_recheck")
    else:
        waiting = [rep.reported_at for rep in reports if rep.outcome == REPORT_AWAITING]
        state = replace(state, awaiting_since=waiting[0] if waiting else None)
    return replace(state, recurrences=tuple(sorted(links.items())), history=tuple(history))


def _moment(item: Report | Check) -> tuple:
    """Time order of reports and checks: a report before a check at the same instant."""
    if isinstance(item, Report):
        return (item.reported_at.astimezone(timezone.utc), 0, item.event_id)
    return (item.checked_at.astimezone(timezone.utc), 1, item.event_id)


def settle(timeline: Iterable[Report | Check]) -> tuple[tuple[Report, ...], tuple[Check, ...], datetime | None]:
    """Walk reports and checks in time order (assessment-rules.md §2, the community's own report).

    Returns the reports with their outcome, the checks, and the rectification time: that of
    the earliest report the first passing check confirms, else that check's own time, else None.
    Reports after the first passing check stay `awaiting` (the case is closed; nothing to settle).
    """
    reports: list[Report] = []
    checks: list[Check] = []
    open_reports: list[int] = []
    rectified_at = None
    for item in sorted(timeline, key=_moment):
        if isinstance(item, Report):
            if rectified_at is None:
                open_reports.append(len(reports))
            reports.append(item)
            continue
        checks.append(item)
        if rectified_at is not None:
            continue
        outcome = REPORT_CONFIRMED if item.passed else REPORT_REJECTED
        for i in open_reports:
            reports[i] = replace(reports[i], outcome=outcome)
        if item.passed:
            rectified_at = reports[open_reports[0]].reported_at if open_reports else item.checked_at
        open_reports = []
    return tuple(reports), tuple(checks), rectified_at


def _apply(state: CaseState, event: Event, links: dict[str, str], timeline: list) -> CaseState:
    data = event.data
    if isinstance(data, CaseRegistered):
        if (data.community, data.category, data.found_at) != (state.community, state.category, state.found_at):
            return _flag(state, "registered_twice")
        return state
    if isinstance(data, PhotoAdded):
        if data.stage == "before":
            return replace(state, before_photos=_add_unique(state.before_photos, data.sha256))
        if data.stage == "exemption":
            return replace(state, exemption_photos=_add_unique(state.exemption_photos, data.sha256))
        return replace(state, after_photos=_add_unique(state.after_photos, data.sha256))
    if isinstance(data, CaseRechecked):
        timeline.append(Check(event.id, event.actor, data.checked_at, data.outcome == "rectified", data.note,
                              data.photos))
        return replace(state, after_photos=_add_unique(state.after_photos, *data.photos),
                       marks=_add_unique(state.marks, *data.marks))
    if isinstance(data, RectificationReported):
        timeline.append(Report(event.id, event.actor, data.reported_at, data.note, data.photos))
        return replace(state, after_photos=_add_unique(state.after_photos, *data.photos),
                       marks=_add_unique(state.marks, *data.marks))
    if isinstance(data, ExemptionRequested):
        return replace(state, exemption_request=EXEMPTION_REQUESTED, exemption_request_reason=data.reason,
                       exemption_refusal_reason="",
                       exemption_photos=_add_unique(state.exemption_photos, *data.photos))
    if isinstance(data, ExemptionRefused):
        return replace(state, exemption_request=EXEMPTION_REFUSED, exemption_refusal_reason=data.reason)
    if isinstance(data, DeadlineChanged):
        return replace(state, deadline=data.deadline)
    if isinstance(data, CaseVerified):
        return replace(state, verified=True)
    if isinstance(data, CaseExempted):
        return replace(state, exempted=True, exempt_reason=data.reason, exemption_request=EXEMPTION_GRANTED,
                       exemption_refusal_reason="")
    if isinstance(data, CaseVoided):
        if state.lifecycle == VOIDED:
            return state
        return replace(state, lifecycle=VOIDED, void_reason=data.reason)
    if isinstance(data, CaseSighted):
        return replace(state, sightings=state.sightings + 1)
    if isinstance(data, RecurrenceProposed):
        links.setdefault(data.earlier_case_id, RECURRENCE_PROPOSED)
        return state
    if isinstance(data, RecurrenceConfirmed):
        links[data.earlier_case_id] = RECURRENCE_CONFIRMED
        return state
    if isinstance(data, RecurrenceRejected):
        links[data.earlier_case_id] = RECURRENCE_REJECTED
        return state
    raise ValueError(f"{event.type} is not a case event")
