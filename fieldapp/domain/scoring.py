"""Community scores and ranking for one assessment year (pure: events in, numbers out).

What is scored is `shared/spec/assessment-rules.md`; the readings this module
adds are in docs/scoring.md. In short, per community:

    composite = w.superior·superior + w.office·office + w.satisfaction·satisfaction
    final     = composite − Σ deductions + Σ bonuses        (no cap, no floor)

Every deduction and bonus is its own `LineItem` naming the case or event it comes
from and the rule applied (``A.base``, ``A.further``, ``recurrence``, ``M3``…).
All arithmetic is Decimal; only the final score is rounded (to 0.01, half up).

Two ways in, one set of rules:

- `Scoreboard` folds events into compact per-case *facts* (registered, verified,
  exempted, voided, first passing check, effective deadline, recurrence links)
  and keeps each case's contribution and each community's totals, so applying
  one event recomputes only that case (and the cases that name it as the
  earlier case of a recurrence) and marks one community's components stale.
- `score_year(rules, events, at)` is a fresh Scoreboard loaded in bulk.
- `score_year_from_projections` scores from full `project_case` states: the
  slow, obviously-right baseline the benchmark and the property tests compare
  against.

The fold keeps the projection's rules (docs/projection.md): a case is voided
once any void exists; rectified from its earliest passing re-check; its
deadline is the latest deadline change by `Event.sort_key`; a recurrence link's
state is its latest confirmation/rejection by sort key, else "proposed"; of two
registrations of one case the earliest by sort key is kept.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter
from typing import Iterable, NamedTuple

from fieldapp.domain.evidence import ordered as ordered_marks
from fieldapp.domain.events import (
    BonusAwarded,
    CaseExempted,
    CaseRechecked,
    CaseRegistered,
    CaseSighted,
    CaseVerified,
    CaseVoided,
    DeadlineChanged,
    Event,
    FundRosterSet,
    OfficeAssessed,
    PhotoAdded,
    RectificationReported,
    RecurrenceConfirmed,
    RecurrenceProposed,
    RecurrenceRejected,
    SuperiorScored,
    SurveyAnswered,
    SurveyTallied,
)
from fieldapp.domain.projection import RECURRENCE_CONFIRMED, VOIDED, CaseState, project_case
from fieldapp.domain.recurrence import link_fault
from fieldapp.domain.rules import Rules

UTC = timezone.utc
ZERO = Decimal(0)
HUNDRED = Decimal(100)
FINAL_PLACES = Decimal("0.01")

DEDUCTION = "deduction"
BONUS = "bonus"

# Why a line item applies (LineItem.reason).
R_VERIFIED = "verified"  # base deduction of a source that needs verification
R_REGISTERED = "registered"  # base deduction of a source that does not
R_NOT_RECTIFIED = "not_rectified"  # deadline passed, no passing check at all
R_RECTIFIED_LATE = "rectified_late"  # deadline passed, first passing check after it
R_RECURRENCE = "recurrence"  # a confirmed recurrence of an earlier case
R_AWARDED = "awarded"  # a bonus event

# Note codes (Note.code); office/report.py words them in Chinese.
N_NO_DATA = "no_data"  # detail: superior/office/satisfaction
N_MONTHS_MISSING = "months_missing"  # detail: "2022-03,2022-07"
N_MONTH_REENTERED = "month_reentered"  # detail: "2022-03×2" (the latest entry is used)
N_AFTER_EVALUATION = "after_evaluation"  # detail: number of records dated after the evaluation date
N_PENDING = "pending"  # detail: deadline
N_AWAITING_RECHECK = "awaiting_recheck"  # detail: "reported local date|days waited": reported in time, not checked yet
N_EXEMPTED = "exempted"  # detail: reason
N_EXEMPTION_IGNORED = "exemption_ignored"  # detail: source (not exemptible)
N_UNVERIFIED = "unverified"  # detail: source
N_VOIDED = "voided"  # detail: reason
N_RECURRENCE_OF_VOIDED = "recurrence_of_voided"  # detail: earlier case id
N_RECURRENCE_LINKS = "recurrence_links"  # detail: earlier case ids (counted once)
N_UNKNOWN_SOURCE = "unknown_source"  # detail: source code not in the rules
N_UNKNOWN_COMMUNITY = "unknown_community"  # detail: "C9×3"
N_ORPHAN_EVENTS = "orphan_events"  # detail: number of cases with events but no registration
N_TIE = "tie"  # detail: "2: C2,C3"
N_NO_FUND_ROSTER = "no_fund_roster"
N_UNKNOWN_FUND_ROLE = "unknown_fund_role"  # detail: role code
N_EVIDENCE = "evidence"  # detail: the case's evidence marks, "photo_position,photo_old" (domain/evidence.py)
N_RECURRENCE_INVALID = "recurrence_invalid"  # detail: "earlier case id|fault" (domain/recurrence.py LINK_FAULTS)


# --- results --------------------------------------------------------------------


class LineItem(NamedTuple):
    """One deduction or bonus, traceable to its case or event (a tuple: cheap to make by the 100,000)."""

    community: str
    kind: str  # deduction / bonus
    rule: str  # "A.base", "A.further", "recurrence", "M3", ...
    points: Decimal  # signed: −2 for a deduction, +1 for a bonus
    event_id: str  # the registration, the recurrence confirmation or the bonus event
    reason: str  # R_* above
    case_id: str | None = None
    source: str | None = None
    on: date | None = None  # the case's local found date, or the bonus date
    deadline: date | None = None
    rectified_at: datetime | None = None
    earlier: tuple[str, ...] = ()  # recurrence: the earlier case(s)
    label: str = ""  # the case's place/note, or the bonus description
    marks: tuple[str, ...] = ()  # the case's evidence marks (domain/evidence.py)
    by: str = ""  # the actor id of who registered the case or entered the bonus


class Note(NamedTuple):
    """Something the report must say: missing data, pending cases, exemptions, ties…"""

    code: str
    community: str | None = None
    case_id: str | None = None
    detail: str = ""
    label: str = ""  # the case's place/note: staff know a case by where it is, not by its id


@dataclass(frozen=True)
class Component:
    """One of the three components: its value (None without data) and what it rests on."""

    value: Decimal | None  # exact mean / share; None when there is no data
    count: int  # months / assessments / respondents
    missing: tuple[str, ...] = ()  # superior: months (YYYY-MM) expected but without a score
    satisfied: int = 0  # satisfaction: respondents counted as satisfied

    @property
    def used(self) -> Decimal:
        """What enters the composite: a component without data counts as 0 (docs/scoring.md)."""
        return ZERO if self.value is None else self.value


@dataclass(frozen=True)
class Standing:
    """A community's numbers and rank, without the line items (cheap to refresh)."""

    code: str
    name: str
    superior: Component
    office: Component
    satisfaction: Component
    composite: Decimal  # exact
    deduction_total: Decimal  # ≤ 0
    bonus_total: Decimal  # ≥ 0
    final: Decimal  # composite + deduction_total + bonus_total, rounded to 0.01
    rank: int
    tied: bool


@dataclass(frozen=True)
class CommunityScore(Standing):
    """A standing plus every line item and note behind it."""

    deductions: tuple[LineItem, ...]
    bonuses: tuple[LineItem, ...]
    notes: tuple[Note, ...]


@dataclass(frozen=True)
class FundLine:
    role: str
    name: str
    deposit: Decimal
    people: tuple[str, ...]
    amount: Decimal


@dataclass(frozen=True)
class Fund:
    """The reward-and-penalty fund: deposits by role × people, plus the office's match."""

    lines: tuple[FundLine, ...]
    deposits: Decimal
    match_ratio: Decimal
    match: Decimal
    total: Decimal
    event_id: str


@dataclass(frozen=True)
class YearScore:
    year: int
    title: str
    evaluated_at: datetime  # the instant deadlines are judged at (exclusive end of the evaluation day)
    evaluation_day: date  # the last local day counted
    communities: tuple[CommunityScore, ...]  # in rank order (ties by community code)
    fund: Fund | None
    notes: tuple[Note, ...]  # not tied to one community

    def community(self, code: str) -> CommunityScore:
        for c in self.communities:
            if c.code == code:
                return c
        raise KeyError(code)


# --- the evaluation instant -------------------------------------------------------


def year_bounds(rules: Rules, year: int | None = None) -> tuple[datetime, datetime]:
    """[start, end) of the assessment year in local time."""
    year = rules.year if year is None else year
    tz = rules.tz
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def end_of_day(day: date, rules: Rules) -> datetime:
    """The first instant after a local day: evaluating "on" a day judges it at its end."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=rules.tz)


def evaluation_instant(rules: Rules, as_of: date | None = None, now: datetime | None = None) -> datetime:
    """The instant a year is judged at: the end of `as_of`, else now, but never after the year's end
    (a year's score is judged at the end of the year at the latest: --as-of 2023-01-31 for 2022 is
    the year-end result, the same answer as asking in February without --as-of)."""
    if as_of is not None:
        return min(end_of_day(as_of, rules), year_bounds(rules)[1])
    if now is None:
        raise ValueError("give as_of or now")
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return min(now, year_bounds(rules)[1])


# --- compact per-case facts -------------------------------------------------------


class _Case:
    """What scoring needs to know of a case (not its history)."""

    # Times are also kept in UTC: comparing aware times with different tzinfo objects
    # (every parsed event has its own) costs ten times more than comparing UTC times.
    __slots__ = (
        "case_id", "reg", "community", "category", "source", "found_at", "found_utc", "reg_deadline", "label",
        "deadline_key", "deadline", "verified", "exempt_key", "exempt_reason", "void_key", "void_reason",
        "first_pass", "first_pass_utc", "links", "reports", "fails", "marks",
    )  # fmt: skip

    def __init__(self, case_id: str):
        self.case_id = case_id
        self.reg: Event | None = None
        self.community = self.category = self.source = self.label = self.exempt_reason = self.void_reason = ""
        self.found_at = self.found_utc = self.first_pass = self.first_pass_utc = None
        self.reg_deadline = self.deadline = None  # deadline: from the latest deadline change, if any
        self.deadline_key = self.exempt_key = self.void_key = None
        self.verified = False
        self.links: dict[str, list] | None = None  # earlier case id -> [decision sort key or None, state, event id]
        # The community's reports (event id -> (UTC time, its own time)) and the failing checks (event id ->
        # UTC time): None for the many cases without any, which keep the simple first-pass rule.
        self.reports: dict[str, tuple[datetime, datetime]] | None = None
        self.fails: dict[str, datetime] | None = None
        self.marks: tuple[str, ...] = ()  # evidence marks of its re-checks and reports (the registration's: reg)

    def add_marks(self, marks: tuple[str, ...]) -> bool:
        new = tuple(m for m in marks if m not in self.marks)
        self.marks += new
        return bool(new)

    def add_fail(self, event_id: str, checked: datetime) -> None:
        if self.fails is None:
            self.fails = {}
        self.fails[event_id] = checked.astimezone(UTC)

    def settle(self, at: datetime) -> tuple[datetime | None, datetime | None, datetime | None]:
        """Reports and checks known at `at`, walked in time order (projection.settle's rule).

        Returns (rectification time in UTC, the same in its own zone, the earliest report
        still awaiting its check in UTC).
        """
        timeline = [(utc, 0, own) for utc, own in self.reports.values() if utc < at]
        timeline += [(utc, 1, None) for utc in (self.fails or {}).values() if utc < at]
        if self.first_pass_utc is not None and self.first_pass_utc < at:
            timeline.append((self.first_pass_utc, 2, self.first_pass))
        waiting = None
        for utc, kind, own in sorted(timeline, key=lambda t: t[:2]):
            if kind == 0:
                if waiting is None:
                    waiting = (utc, own)
            elif kind == 1:
                waiting = None  # a failing check rejects every report before it
            elif waiting is not None:
                return waiting[0], waiting[1], None
            else:
                return utc, own, None
        return None, None, waiting[0] if waiting else None

    @property
    def effective_deadline(self) -> date | None:
        return self.deadline if self.deadline is not None else self.reg_deadline

    def set_registration(self, event: Event) -> bool:
        """Keep the earliest registration by sort key; True if it changed."""
        if self.reg is not None and (self.reg.id == event.id or self.reg.sort_key() <= event.sort_key()):
            return False
        r: CaseRegistered = event.data
        self.reg = event
        self.community = r.community
        self.category = r.category
        self.source = r.source
        self.found_at = r.found_at
        self.found_utc = r.found_at.astimezone(UTC)
        self.reg_deadline = r.deadline
        self.label = f"{r.place} {r.note}" if r.place and r.note else r.place or r.note
        return True


class _Contribution:
    """One case's effect on its community: line items, notes, their total."""

    __slots__ = ("community", "items", "notes", "total", "time_sensitive", "later")

    def __init__(self, community, items, notes, total, time_sensitive, later=False):
        self.community = community
        self.items = items
        self.notes = notes
        self.total = total
        self.time_sensitive = time_sensitive
        self.later = later  # registered after the evaluation instant: counted in the after_evaluation note


class _CommunityData:
    """The component records of one community, and its cached components."""

    __slots__ = (
        "superior", "office", "survey_counts", "survey_later", "tallies", "bonuses",
        "cache",
    )  # fmt: skip

    def __init__(self):
        self.superior: dict[str, dict[str, tuple]] = {}  # month -> event id -> (sort key, score)
        self.office: dict[str, tuple[date, Decimal]] = {}  # event id -> (date, score)
        self.survey_counts: dict[str, int] = {}  # answer -> count, answered before the evaluation instant
        self.survey_later = 0  # answered in the year but at/after the evaluation instant
        self.tallies: dict[str, tuple[date, dict]] = {}  # event id -> (date, counts)
        self.bonuses: dict[str, tuple[date, str, str, str]] = {}  # event id -> (date, code, description, actor)
        self.cache = None  # (superior, office, satisfaction, bonus items, bonus total, notes)


@contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector while building many objects beside a large live log."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _months(year: int) -> list[str]:
    return [f"{year}-{m:02d}" for m in range(1, 13)]


class Scoreboard:
    """The live ranking of one assessment year, refreshed event by event.

    `load(events)` folds a whole log; `apply(event)` folds one more and
    recomputes only what it touches; `standings()` is cheap; `result()` lists
    every line item. `advance_to(at)` moves the evaluation instant.
    """

    def __init__(self, rules: Rules, at: datetime):
        if at.tzinfo is None:
            raise ValueError("at must be timezone-aware")
        self.rules = rules
        self.year = rules.year
        self._year_start, self._year_end = (t.astimezone(UTC) for t in year_bounds(rules))
        self._year_text = str(rules.year)
        self._codes = tuple(c.code for c in rules.communities)
        self._names = {c.code: c.name for c in rules.communities}
        self._tz = rules.tz
        # source code -> (−base, −further, needs verification, exemptible, base rule, further rule)
        self._src = {
            s.code: (-s.base, -s.further, s.requires_verification, s.exemptible, f"{s.code}.base", f"{s.code}.further")
            for s in rules.sources
        }
        self._bonus_points = {b.code: b.points for b in rules.bonuses}
        self._satisfied = rules.satisfied_answers
        self._recurrence = -rules.recurrence_deduction
        self._deadline_ends: dict[date, datetime] = {}

        self._cases: dict[str, _Case] = {}
        self._recurs_on: dict[str, set[str]] = {}  # earlier case id -> later case ids
        self._contrib: dict[str, _Contribution] = {}
        self._ded_total: dict[str, Decimal] = {c: ZERO for c in self._codes}
        self._time_sensitive: set[str] = set()
        self._data: dict[str, _CommunityData] = {c: _CommunityData() for c in self._codes}
        self._survey_ids: set[str] = set()
        # community -> answer -> times answered (UTC), any year: no object per survey
        self._answer_times: dict[str, dict[str, list[datetime]]] = {}
        self._unknown: dict[str, set[str]] = {}  # unknown community code -> event ids
        self._roster: Event | None = None
        self._set_time(at)
        self._handlers = {
            CaseRegistered: self._on_registered,
            CaseRechecked: self._on_rechecked,
            RectificationReported: self._on_reported,
            DeadlineChanged: self._on_deadline,
            CaseVerified: self._on_verified,
            CaseExempted: self._on_exempted,
            CaseVoided: self._on_voided,
            RecurrenceProposed: self._on_link,
            RecurrenceConfirmed: self._on_link,
            RecurrenceRejected: self._on_link,
            SurveyAnswered: self._on_answered,
            SurveyTallied: self._on_tallied,
            SuperiorScored: self._on_superior,
            OfficeAssessed: self._on_office,
            BonusAwarded: self._on_bonus,
            FundRosterSet: self._on_roster,
        }

    # --- time -------------------------------------------------------------------

    @property
    def at(self) -> datetime:
        return self._at_given

    def _set_time(self, at: datetime) -> None:
        self._at_given = at
        self._at = at.astimezone(UTC)
        # The last local day counted: records dated after it are not (yet) counted.
        self._day = (at - timedelta(microseconds=1)).astimezone(self.rules.tz).date()

    def advance_to(self, at: datetime) -> None:
        """Judge at a new instant; moving forward recomputes only cases whose outcome can change."""
        if at.tzinfo is None:
            raise ValueError("at must be timezone-aware")
        forward = at >= self._at
        self._set_time(at)
        self._recount_surveys()
        for d in self._data.values():
            d.cache = None
        if forward:
            for case_id in list(self._time_sensitive):
                self._refresh(case_id)
        else:
            self._recompute_all()

    # --- folding events ------------------------------------------------------------

    def load(self, events: Iterable[Event]) -> "Scoreboard":
        """Fold many events, then compute every case once (the fast full score).

        The same fold as `apply`, with the commonest events handled inline. The
        cyclic garbage collector is paused meanwhile: the fold allocates a few
        long-lived objects per case while the whole log is alive, and each
        collection it triggers would walk that log again (about a third of the
        time at a million events). Nothing here makes reference cycles.
        """
        with _gc_paused():
            self._fold_all(events)
            self._recount_surveys()
            self._recompute_all()
        return self

    def _fold_all(self, events: Iterable[Event]) -> None:
        handlers = self._handlers
        survey_ids = self._survey_ids
        answer_times = self._answer_times
        cases = self._cases
        answered, rechecked, photo, sighted = SurveyAnswered, CaseRechecked, PhotoAdded, CaseSighted
        registered = CaseRegistered
        for event in events:
            data = event.data
            kind = type(data)
            if kind is answered:
                if data.survey_id not in survey_ids:
                    survey_ids.add(data.survey_id)
                    by_answer = answer_times.get(data.community)
                    if by_answer is None:
                        by_answer = answer_times[data.community] = {}
                    times = by_answer.get(data.answer)
                    if times is None:
                        times = by_answer[data.answer] = []
                    times.append(data.answered_at.astimezone(UTC))
            elif kind is photo or kind is sighted:
                continue
            elif kind is rechecked:
                c = cases.get(data.case_id)
                if c is None:
                    c = cases[data.case_id] = _Case(data.case_id)
                if data.marks:
                    c.add_marks(data.marks)
                if data.outcome == "rectified":
                    checked = data.checked_at.astimezone(UTC)
                    if c.first_pass_utc is None or checked < c.first_pass_utc:
                        c.first_pass, c.first_pass_utc = data.checked_at, checked
                else:
                    c.add_fail(event.id, data.checked_at)
            elif kind is registered:
                c = cases.get(data.case_id)
                if c is None:
                    c = cases[data.case_id] = _Case(data.case_id)
                c.set_registration(event)
            else:
                handler = handlers.get(kind)
                if handler is not None:
                    handler(event)

    def apply(self, event: Event) -> frozenset[str]:
        """Fold one event and refresh what it touches; returns the communities affected."""
        handler = self._handlers.get(type(event.data))
        if handler is None:
            return frozenset()
        touched = handler(event)  # None, a community code (its records changed) or a _Case
        if touched is None:
            return frozenset()
        if isinstance(touched, str):
            return frozenset({touched})
        affected = set()
        for case_id in self._with_dependents(touched.case_id):
            affected |= self._refresh(case_id)
        return frozenset(affected)

    def _case(self, case_id: str) -> _Case:
        c = self._cases.get(case_id)
        if c is None:
            c = self._cases[case_id] = _Case(case_id)
        return c

    def _on_registered(self, event: Event):
        c = self._case(event.data.case_id)
        return c if c.set_registration(event) else None

    def _on_rechecked(self, event: Event):
        d: CaseRechecked = event.data
        c = self._case(d.case_id)
        marked = c.add_marks(d.marks) if d.marks else False
        if d.outcome != "rectified":
            c.add_fail(event.id, d.checked_at)
            return c if c.reports or marked else None  # it rejects the reports before it; alone, it ends nothing
        checked = d.checked_at.astimezone(UTC)
        if c.first_pass_utc is None or checked < c.first_pass_utc:
            c.first_pass, c.first_pass_utc = d.checked_at, checked
            return c
        return c if marked else None

    def _on_reported(self, event: Event):
        d: RectificationReported = event.data
        c = self._case(d.case_id)
        if c.reports is None:
            c.reports = {}
        c.reports[event.id] = (d.reported_at.astimezone(UTC), d.reported_at)
        if d.marks:
            c.add_marks(d.marks)
        return c

    def _on_deadline(self, event: Event):
        c = self._case(event.data.case_id)
        key = event.sort_key()
        if c.deadline_key is None or key > c.deadline_key:
            c.deadline_key, c.deadline = key, event.data.deadline
            return c
        return None

    def _on_verified(self, event: Event):
        c = self._case(event.data.case_id)
        if c.verified:
            return None
        c.verified = True
        return c

    def _on_exempted(self, event: Event):
        c = self._case(event.data.case_id)
        key = event.sort_key()
        if c.exempt_key is None or key > c.exempt_key:
            c.exempt_key, c.exempt_reason = key, event.data.reason
            return c
        return None

    def _on_voided(self, event: Event):
        c = self._case(event.data.case_id)
        key = event.sort_key()
        if c.void_key is None or key < c.void_key:
            c.void_key, c.void_reason = key, event.data.reason
            return c
        return None

    def _on_link(self, event: Event):
        d = event.data
        c = self._case(d.case_id)
        if c.links is None:
            c.links = {}
        self._recurs_on.setdefault(d.earlier_case_id, set()).add(c.case_id)
        current = c.links.get(d.earlier_case_id)
        if isinstance(d, RecurrenceProposed):
            if current is None:
                c.links[d.earlier_case_id] = [None, "proposed", event.id]
                return c
            return None
        state = "confirmed" if isinstance(d, RecurrenceConfirmed) else "rejected"
        key = event.sort_key()
        if current is None or current[0] is None or key > current[0]:
            c.links[d.earlier_case_id] = [key, state, event.id]
            return c
        return None

    def _community(self, code: str, record_id: str) -> _CommunityData | None:
        data = self._data.get(code)
        if data is None:
            self._unknown.setdefault(code, set()).add(record_id)
        return data

    def _on_answered(self, event: Event):
        d: SurveyAnswered = event.data
        if d.survey_id in self._survey_ids:
            return None
        self._survey_ids.add(d.survey_id)
        answered_at = d.answered_at.astimezone(UTC)
        self._answer_times.setdefault(d.community, {}).setdefault(d.answer, []).append(answered_at)
        data = self._data.get(d.community)
        if data is None or not (self._year_start <= answered_at < self._year_end):
            return None
        if answered_at < self._at:
            data.survey_counts[d.answer] = data.survey_counts.get(d.answer, 0) + 1
        else:
            data.survey_later += 1
        data.cache = None
        return d.community

    def _count_answers(self, by_answer: dict[str, list[datetime]]) -> tuple[dict[str, int], int]:
        """Answers given in the year before the evaluation instant, per answer; and how many after it."""
        start, end = self._year_start, self._year_end
        cutoff = min(self._at, end)
        counts, later = {}, 0
        for answer, times in by_answer.items():
            n = sum(1 for t in times if start <= t < cutoff)
            if n:
                counts[answer] = n
            if cutoff < end:
                later += sum(1 for t in times if cutoff <= t < end)
        return counts, later

    def _recount_surveys(self) -> None:
        """Count the single answers again (after a bulk load, or when the instant moves)."""
        for code, data in self._data.items():
            data.survey_counts, data.survey_later = self._count_answers(self._answer_times.get(code, {}))
            data.cache = None

    def _on_tallied(self, event: Event):
        d: SurveyTallied = event.data
        if d.date.year != self.year:
            return None
        data = self._community(d.community, event.id)
        if data is None:
            return None
        data.tallies[event.id] = (d.date, d.counts)
        data.cache = None
        return d.community

    def _on_superior(self, event: Event):
        d: SuperiorScored = event.data
        if not d.month.startswith(self._year_text):
            return None
        data = self._community(d.community, event.id)
        if data is None:
            return None
        data.superior.setdefault(d.month, {})[event.id] = (event.sort_key(), Decimal(str(d.score)))
        data.cache = None
        return d.community

    def _on_office(self, event: Event):
        d: OfficeAssessed = event.data
        if d.date.year != self.year:
            return None
        data = self._community(d.community, event.id)
        if data is None:
            return None
        data.office[event.id] = (d.date, Decimal(str(d.score)))
        data.cache = None
        return d.community

    def _on_bonus(self, event: Event):
        d: BonusAwarded = event.data
        if d.date.year != self.year:
            return None
        data = self._community(d.community, event.id)
        if data is None:
            return None
        data.bonuses[event.id] = (d.date, d.code, d.description, event.actor)
        data.cache = None
        return d.community

    def _on_roster(self, event: Event):
        if event.data.year != self.year:
            return None
        if self._roster is None or event.sort_key() > self._roster.sort_key():
            self._roster = event
        return None  # the fund does not move the ranking

    # --- per-case contributions --------------------------------------------------------

    def _with_dependents(self, case_id: str) -> list[str]:
        """A case and the later cases that name it as the earlier case of a recurrence."""
        return [case_id, *self._recurs_on.get(case_id, ())]

    def _refresh(self, case_id: str) -> set[str]:
        old = self._contrib.pop(case_id, None)
        new = self._contribution(self._cases[case_id])
        affected = set()
        if old is not None:
            self._ded_total[old.community] -= old.total
            affected.add(old.community)
        self._time_sensitive.discard(case_id)
        if new is not None:
            self._contrib[case_id] = new
            self._ded_total[new.community] += new.total
            affected.add(new.community)
            if new.time_sensitive:
                self._time_sensitive.add(case_id)
        return affected

    def _recompute_all(self) -> None:
        contribution = self._contribution
        contributions = self._contrib = {}
        sensitive = self._time_sensitive = set()
        totals = dict.fromkeys(self._codes, ZERO)
        for case_id, c in self._cases.items():
            new = contribution(c)
            if new is None:
                continue
            contributions[case_id] = new
            if new.total:
                totals[new.community] += new.total
            if new.time_sensitive:
                sensitive.add(case_id)
        self._ded_total = totals

    def _deadline_end(self, deadline: date) -> datetime:
        end = self._deadline_ends.get(deadline)
        if end is None:
            end = datetime.combine(deadline + timedelta(days=1), time.min, tzinfo=self._tz)
            end = self._deadline_ends[deadline] = end.astimezone(UTC)
        return end

    def _contribution(self, c: _Case) -> _Contribution | None:
        """The case's line items and notes at the evaluation instant.

        None when the case has no effect on this year at all (not registered,
        another year, an unknown community, or simply nothing to deduct or say).
        """
        reg = c.reg
        if reg is None:
            return None
        found = c.found_utc
        if found < self._year_start or found >= self._year_end:
            return None
        community = c.community
        if community not in self._ded_total:
            return None  # reported with the unknown communities
        at = self._at
        if found >= at:
            return _Contribution(community, (), (), ZERO, True, True)  # registered after the evaluation instant
        case_id = c.case_id
        if c.void_key is not None:
            return _Contribution(community, (), (Note(N_VOIDED, community, case_id, c.void_reason, c.label),), ZERO, False)
        rule = self._src.get(c.source)
        if rule is None:
            return _Contribution(community, (), (Note(N_UNKNOWN_SOURCE, community, case_id, c.source, c.label),), ZERO, False)
        base, further, needs_verification, exemptible, base_rule, further_rule = rule
        if needs_verification and not c.verified:
            return _Contribution(community, (), (Note(N_UNVERIFIED, community, case_id, c.source, c.label),), ZERO, False)

        deadline = c.deadline if c.deadline is not None else c.reg_deadline
        items = None
        notes = None
        pending = False
        late_at = None
        awaiting = None
        if further and (c.exempt_key is None or not exemptible):
            end = self._deadline_ends.get(deadline) or self._deadline_end(deadline)
            if c.reports:
                rectified, rectified_own, waiting = c.settle(at)
            else:  # the commonest case: the first passing check is the rectification
                rectified, rectified_own, waiting = c.first_pass_utc, c.first_pass, None
            if rectified is not None and rectified < end:
                pending = rectified >= at  # rectified after the evaluation instant: still open then
            elif at >= end and waiting is not None and waiting < end:
                pending = True  # reported in time, its re-check not made yet: settled by that check
                awaiting = waiting
            elif at >= end:
                late = rectified is not None and rectified < at
                late_at = rectified_own if late else None
                items = [(further_rule, further, R_RECTIFIED_LATE if late else R_NOT_RECTIFIED)]
            else:
                pending = True
        if base:
            items = [(base_rule, base, R_VERIFIED if needs_verification else R_REGISTERED)] + (items or [])
        if awaiting is not None:
            reported = awaiting.astimezone(self._tz).date()
            waited = (self._day - reported).days
            notes = [Note(N_AWAITING_RECHECK, community, case_id, f"{reported.isoformat()}|{waited}", c.label)]
        elif pending:
            notes = [Note(N_PENDING, community, case_id, deadline.isoformat(), c.label)]
        if c.exempt_key is not None:
            note = (
                Note(N_EXEMPTED, community, case_id, c.exempt_reason, c.label)
                if exemptible
                else Note(N_EXEMPTION_IGNORED, community, case_id, c.source, c.label)
            )
            notes = (notes or []) + [note]
        earlier_ids: tuple[str, ...] = ()
        link_event = ""
        if c.links:
            for earlier, (_key, state, decision) in sorted(c.links.items()):
                if state != RECURRENCE_CONFIRMED:
                    continue
                earlier_case = self._cases.get(earlier)
                if earlier_case is not None and earlier_case.void_key is not None:
                    notes = (notes or []) + [Note(N_RECURRENCE_OF_VOIDED, community, case_id, earlier, c.label)]
                    continue
                if earlier_case is not None and earlier_case.reg is not None:
                    # the rules' recurrence: same community and category, an earlier case, rectified
                    fault = link_fault(community, c.category, c.found_utc, earlier_case.community,
                                       earlier_case.category, earlier_case.found_utc,
                                       earlier_case.first_pass_utc is not None)  # fmt: skip
                    if fault is not None:
                        notes = (notes or []) + [Note(N_RECURRENCE_INVALID, community, case_id, f"{earlier}|{fault}",
                                                      c.label)]  # fmt: skip
                        continue
                earlier_ids += (earlier,)
                link_event = decision
            if earlier_ids:
                items = (items or []) + [("recurrence", self._recurrence, R_RECURRENCE)]
                if len(earlier_ids) > 1:
                    notes = (notes or []) + [Note(N_RECURRENCE_LINKS, community, case_id, ",".join(earlier_ids), c.label)]
        marks = ordered_marks(reg.data.marks + c.marks) if reg.data.marks or c.marks else ()
        if marks:
            notes = (notes or []) + [Note(N_EVIDENCE, community, case_id, ",".join(marks), c.label)]
        if items is None and notes is None:
            return None
        line_items = ()
        total = ZERO
        if items:
            on = c.found_at.astimezone(self._tz).date()
            line_items = tuple(
                LineItem(community, DEDUCTION, rule_code, points, link_event if reason == R_RECURRENCE else reg.id,
                         reason, case_id, c.source, on, deadline, late_at if rule_code == further_rule else None,
                         earlier_ids if reason == R_RECURRENCE else (), c.label, marks, reg.actor)  # fmt: skip
                for rule_code, points, reason in items
            )
            for _rule, points, _reason in items:
                total += points
        return _Contribution(community, line_items, tuple(notes or ()), total, pending or bool(c.reports))

    # --- components -------------------------------------------------------------------

    def _components(self, code: str):
        data = self._data[code]
        if data.cache is not None:
            return data.cache
        notes: list[Note] = []
        day = self._day
        later = data.survey_later
        # superior: the latest entry of each month, months up to the evaluation day
        expected = _months(self.year) if day.year > self.year else (
            _months(self.year)[: day.month] if day.year == self.year else []
        )
        last_month = f"{day.year:04d}-{day.month:02d}"
        scores = []
        for month in sorted(data.superior):
            entries = data.superior[month]
            if month > last_month:
                later += len(entries)
                continue
            scores.append(max(entries.values())[1])
            if len(entries) > 1:
                notes.append(Note(N_MONTH_REENTERED, code, None, f"{month}×{len(entries)}"))
        present = {m for m in data.superior if m <= last_month}
        missing = tuple(m for m in expected if m not in present)
        superior = Component(sum(scores, ZERO) / len(scores) if scores else None, len(scores), missing)
        if missing and scores:
            notes.append(Note(N_MONTHS_MISSING, code, None, ",".join(missing)))
        # office
        office_scores = []
        for d, score in data.office.values():
            if d > day:
                later += 1
            else:
                office_scores.append(score)
        office = Component(sum(office_scores, ZERO) / len(office_scores) if office_scores else None, len(office_scores))
        # satisfaction: single answers plus tallies
        counts = dict(data.survey_counts)
        for d, tally in data.tallies.values():
            if d > day:
                later += 1
                continue
            for answer, n in tally.items():
                counts[answer] = counts.get(answer, 0) + n
        respondents = sum(counts.values())
        satisfied = sum(n for answer, n in counts.items() if answer in self._satisfied)
        share = Decimal(satisfied) * HUNDRED / Decimal(respondents) if respondents else None
        satisfaction = Component(share, respondents, (), satisfied)
        for name, comp in (("superior", superior), ("office", office), ("satisfaction", satisfaction)):
            if comp.value is None:
                notes.append(Note(N_NO_DATA, code, None, name))
        # bonuses
        items = []
        for event_id, (d, bonus_code, description, actor) in data.bonuses.items():
            if d > day:
                later += 1
                continue
            points = self._bonus_points.get(bonus_code)
            if points is None:
                continue
            items.append(LineItem(code, BONUS, bonus_code, points, event_id, R_AWARDED, on=d, label=description,
                                  by=actor))
        items.sort(key=lambda i: (i.on, i.rule, i.event_id))
        bonus_total = sum((i.points for i in items), ZERO)
        if later:
            notes.append(Note(N_AFTER_EVALUATION, code, None, str(later)))
        data.cache = (superior, office, satisfaction, tuple(items), bonus_total, tuple(notes))
        return data.cache

    # --- reading the board ------------------------------------------------------------------

    def standings(self) -> tuple[Standing, ...]:
        """Every community's numbers and rank, best first (ties share a rank: 1, 2, 2, 4)."""
        w = self.rules.weights
        rows = []
        for code in self._codes:
            superior, office, satisfaction, _items, bonus_total, _notes = self._components(code)
            composite = w.superior * superior.used + w.office * office.used + w.satisfaction * satisfaction.used
            deduction_total = self._ded_total[code]
            final = (composite + deduction_total + bonus_total).quantize(FINAL_PLACES, ROUND_HALF_UP)
            rows.append([code, superior, office, satisfaction, composite, deduction_total, bonus_total, final])
        finals = [r[7] for r in rows]
        out = []
        for r in rows:
            rank = 1 + sum(1 for f in finals if f > r[7])
            tied = finals.count(r[7]) > 1
            out.append(Standing(r[0], self._names[r[0]], *r[1:], rank, tied))
        out.sort(key=lambda s: (s.rank, s.code))
        return tuple(out)

    def result(self) -> YearScore:
        """The full result: standings with every line item and note, the fund, global notes."""
        with _gc_paused():
            return self._result()

    def _result(self) -> YearScore:
        communities = []
        global_notes: list[Note] = []
        items: dict[str, list[LineItem]] = {c: [] for c in self._codes}
        notes: dict[str, list[Note]] = {c: [] for c in self._codes}
        later: dict[str, int] = dict.fromkeys(self._codes, 0)  # cases registered after the evaluation instant
        for contribution in self._contrib.values():
            if contribution.later:
                later[contribution.community] += 1
            if contribution.items:
                items[contribution.community].extend(contribution.items)
            if contribution.notes:
                notes[contribution.community].extend(contribution.notes)
        for s in self.standings():
            _sup, _off, _sat, bonus_items, _bt, component_notes = self._components(s.code)
            if later[s.code]:
                component_notes = _with_later_cases(component_notes, s.code, later[s.code])
            deductions, case_notes = items[s.code], notes[s.code]
            # Stable: a case's own items stay in the order made (base, further, recurrence).
            deductions.sort(key=_BY_DATE_AND_CASE)
            case_notes.sort(key=lambda n: (_NOTE_ORDER.get(n.code, 9), n.detail, n.case_id or ""))
            fields = {f: getattr(s, f) for f in Standing.__dataclass_fields__}
            communities.append(
                CommunityScore(**fields, deductions=tuple(deductions), bonuses=bonus_items,
                               notes=component_notes + tuple(case_notes))  # fmt: skip
            )
        by_rank: dict[int, list[str]] = {}
        for c in communities:
            if c.tied:
                by_rank.setdefault(c.rank, []).append(c.code)
        for rank, codes in sorted(by_rank.items()):
            global_notes.append(Note(N_TIE, None, None, f"{rank}: {','.join(codes)}"))
        unknown = {code: len(ids) for code, ids in self._unknown.items()}
        for code, by_answer in self._answer_times.items():
            if code not in self._data:
                counts, later = self._count_answers(by_answer)
                if counts or later:
                    unknown[code] = unknown.get(code, 0) + sum(counts.values()) + later
        for code, n in sorted(unknown.items()):
            global_notes.append(Note(N_UNKNOWN_COMMUNITY, code, None, f"{code}×{n}"))
        orphans = sum(1 for c in self._cases.values() if c.reg is None)
        if orphans:
            global_notes.append(Note(N_ORPHAN_EVENTS, None, None, str(orphans)))
        fund = self._fund(global_notes)
        return YearScore(
            year=self.year,
            title=self.rules.title,
            evaluated_at=self._at,
            evaluation_day=self._day,
            communities=tuple(communities),
            fund=fund,
            notes=tuple(global_notes),
        )

    def _fund(self, notes: list[Note]) -> Fund | None:
        if self._roster is None:
            notes.append(Note(N_NO_FUND_ROSTER))
            return None
        roster = self._roster.data.roster
        lines = []
        for role in self.rules.fund_roles:
            people = tuple(roster.get(role.code, ()))
            lines.append(FundLine(role.code, role.name, role.deposit, people, role.deposit * len(people)))
        known = {r.code for r in self.rules.fund_roles}
        for role in sorted(set(roster) - known):
            notes.append(Note(N_UNKNOWN_FUND_ROLE, None, None, role))
        deposits = sum((line.amount for line in lines), ZERO)
        match = deposits * self.rules.fund_match_ratio
        return Fund(tuple(lines), deposits, self.rules.fund_match_ratio, match, deposits + match, self._roster.id)


def _with_later_cases(notes: tuple[Note, ...], code: str, cases: int) -> tuple[Note, ...]:
    """The component notes with the cases registered after the evaluation instant counted in
    its after_evaluation note (one note per community: records and cases dated later)."""
    for i, note in enumerate(notes):
        if note.code == N_AFTER_EVALUATION:
            merged = Note(N_AFTER_EVALUATION, code, None, str(int(note.detail) + cases))
            return notes[:i] + (merged,) + notes[i + 1:]
    return notes + (Note(N_AFTER_EVALUATION, code, None, str(cases)),)


_BY_DATE_AND_CASE = attrgetter("on", "case_id")
_NOTE_ORDER = {N_PENDING: 0, N_AWAITING_RECHECK: 0, N_UNVERIFIED: 1, N_EXEMPTED: 2, N_EXEMPTION_IGNORED: 3, N_VOIDED: 4,
               N_EVIDENCE: 5}


# --- whole-year entry points -------------------------------------------------------------


def score_year(rules: Rules, events: Iterable[Event], at: datetime) -> YearScore:
    """Score the rules' year from an event log, judged at `at` (see `evaluation_instant`)."""
    with _gc_paused():
        return Scoreboard(rules, at).load(events).result()


def _facts_from_state(state: CaseState, events: list[Event]) -> _Case:
    """Rebuild compact facts from a full projection (for the baseline path)."""
    c = _Case(state.case_id)
    registrations = sorted((e for e in events if isinstance(e.data, CaseRegistered)), key=Event.sort_key)
    c.set_registration(registrations[0])
    c.deadline = state.deadline
    c.deadline_key = (datetime.min, "") if state.deadline != state.original_deadline else None
    c.verified = state.verified
    if state.exempted:
        c.exempt_key, c.exempt_reason = (datetime.min, ""), state.exempt_reason
    if state.lifecycle == VOIDED:
        c.void_key, c.void_reason = (datetime.min, ""), state.void_reason
    passes = [check for check in state.checks if check.passed]
    if passes:
        c.first_pass = passes[0].checked_at
        c.first_pass_utc = c.first_pass.astimezone(UTC)
    for check in state.checks:
        if not check.passed:
            c.add_fail(check.event_id, check.checked_at)
    if state.reports:
        c.reports = {r.event_id: (r.reported_at.astimezone(UTC), r.reported_at) for r in state.reports}
    c.marks = state.marks
    if state.recurrences:
        c.links = {}
        for earlier, link_state in state.recurrences:
            decisions = sorted(
                (e for e in events if isinstance(e.data, (RecurrenceConfirmed, RecurrenceRejected))
                 and e.data.earlier_case_id == earlier),
                key=Event.sort_key,
            )  # fmt: skip
            event_id = decisions[-1].id if decisions else ""
            c.links[earlier] = [None, link_state, event_id]
    return c


def score_year_from_projections(rules: Rules, events: Iterable[Event], at: datetime) -> YearScore:
    """The same score from full `project_case` states: the naive baseline (slow, obviously right)."""
    board = Scoreboard(rules, at)
    by_case: dict[str, list[Event]] = {}
    others = []
    for event in events:
        case_id = event.case_id
        if case_id is None:
            others.append(event)
        else:
            by_case.setdefault(case_id, []).append(event)
    board.load(others)
    for case_id, case_events in by_case.items():
        state = project_case(case_events, rules.tz)
        if state is None:
            if any(not isinstance(e.data, (PhotoAdded, CaseSighted)) for e in case_events):
                orphan = board._cases[case_id] = _Case(case_id)  # counted as an orphan, like the fold does
                voids = sorted((e for e in case_events if isinstance(e.data, CaseVoided)), key=Event.sort_key)
                if voids:  # a void still voids it as the earlier case of a recurrence
                    orphan.void_key, orphan.void_reason = voids[0].sort_key(), voids[0].data.reason
            continue
        board._cases[case_id] = _facts_from_state(state, case_events)
        for earlier, _ in state.recurrences:
            board._recurs_on.setdefault(earlier, set()).add(case_id)
    board._recompute_all()
    return board.result()


__all__ = [
    "BONUS",
    "DEDUCTION",
    "CommunityScore",
    "Component",
    "Fund",
    "FundLine",
    "LineItem",
    "Note",
    "Scoreboard",
    "Standing",
    "YearScore",
    "end_of_day",
    "evaluation_instant",
    "score_year",
    "score_year_from_projections",
    "year_bounds",
]
