"""What people ask the system to do, checked against the rules and the case (pure).

Each function returns the event(s) to append, or raises CommandError whose
`code` the UI turns into a Chinese message (fieldapp.text.common.ERRORS).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from fieldapp.domain import deadlines
from fieldapp.domain.events import (
    CaseExempted,
    CaseRechecked,
    CaseRegistered,
    CaseSighted,
    CaseVerified,
    CaseVoided,
    DeadlineChanged,
    Event,
    ExemptionRefused,
    ExemptionRequested,
    RectificationReported,
    RecurrenceConfirmed,
    RecurrenceProposed,
    RecurrenceRejected,
    SurveyAnswered,
    new_event,
    new_id,
)
from fieldapp.domain.geo import Position
from fieldapp.domain.projection import EXEMPTION_GRANTED, EXEMPTION_REQUESTED, RECTIFIED, VOIDED, CaseState
from fieldapp.domain.recurrence import state_link_fault
from fieldapp.domain.rules import Rules
from fieldapp.domain.validate import EventError

# A device clock a little ahead of ours is not an error; a check "tomorrow" is.
CLOCK_TOLERANCE = timedelta(minutes=10)


class CommandError(ValueError):
    """A request the rules or the case's state do not allow; `code` names the reason."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


class Actor:
    """Who acts, from which device: stamped on every event."""

    def __init__(self, actor: str, device: str):
        self.actor = actor
        self.device = device

    def event(self, data, now: datetime) -> Event:
        try:
            return new_event(data, actor=self.actor, device=self.device, now=now)
        except EventError as exc:
            raise CommandError("invalid", str(exc)) from None


def _known(rules: Rules, community: str, category: str | None = None, source: str | None = None) -> None:
    if community not in {c.code for c in rules.communities}:
        raise CommandError("unknown_community", f"unknown community {community!r}")
    if category is not None and category not in {c.code for c in rules.categories}:
        raise CommandError("unknown_category", f"unknown category {category!r}")
    if source is not None and source not in {s.code for s in rules.sources}:
        raise CommandError("unknown_source", f"unknown source {source!r}")


def _not_in_past(deadline: date, now: datetime, rules: Rules) -> None:
    if deadline < deadlines.local_today(now, rules.tz):
        raise CommandError("deadline_in_past", f"deadline {deadline} is in the past")


def _open(state: CaseState) -> None:
    if state.lifecycle == VOIDED:
        raise CommandError("case_voided", "the case is voided")
    if state.lifecycle == RECTIFIED:
        raise CommandError("already_rectified", "the case is already rectified")


def register_case(
    rules: Rules,
    who: Actor,
    now: datetime,
    *,
    community: str,
    category: str,
    source: str = "D",
    note: str = "",
    place: str = "",
    position: Position | None = None,
    deadline: date | None = None,
    unannounced: bool = False,
    case_id: str | None = None,
    marks: tuple[str, ...] = (),
) -> Event:
    """A new case; the deadline defaults to the source's rectification period.
    `marks`: its evidence marks (fieldapp.domain.evidence.registration_marks)."""
    _known(rules, community, category, source)
    if position is None and not place.strip():
        raise CommandError("no_location", "a case needs a position or a described place")
    if deadline is None:
        deadline = deadlines.default_deadline(now, rules.tz, rules.source(source).default_rectification_days)
    _not_in_past(deadline, now, rules)
    return who.event(
        CaseRegistered(
            case_id=case_id or new_id(),
            community=community,
            category=category,
            source=source,
            note=note,
            place=place,
            position=position,
            found_at=now,
            deadline=deadline,
            unannounced=unannounced,
            marks=tuple(marks),
        ),
        now,
    )


def sight_again(state: CaseState, who: Actor, now: datetime, *, note: str = "", position: Position | None = None) -> Event:
    _open(state)
    return who.event(CaseSighted(state.case_id, now, note, position), now)


def recheck(
    state: CaseState,
    who: Actor,
    now: datetime,
    *,
    rectified: bool,
    photos: tuple[str, ...] = (),
    note: str = "",
    checked_at: datetime | None = None,
    marks: tuple[str, ...] = (),
) -> Event:
    """复查: 整改到位 (rectified) or 未整改到位 (falls short)."""
    _open(state)
    checked_at = checked_at or now
    if checked_at > now + CLOCK_TOLERANCE:
        raise CommandError("time_in_future", "a re-check cannot be in the future")
    if checked_at < state.found_at:
        raise CommandError("before_found", "a re-check cannot be before the case was found")
    outcome = "rectified" if rectified else "falls_short"
    return who.event(CaseRechecked(state.case_id, outcome, checked_at, note, tuple(photos), tuple(marks)), now)


def report_rectified(state: CaseState, who: Actor, now: datetime, *, photos: tuple[str, ...], note: str = "",
                     marks: tuple[str, ...] = ()) -> Event:
    """整改反馈: the community says it has rectified the case, with at least one after photo."""
    _open(state)
    if not photos:
        raise CommandError("no_photo", "a report needs an after photo")
    return who.event(RectificationReported(state.case_id, now, note, tuple(photos), tuple(marks)), now)


def request_exemption(state: CaseState, rules: Rules, who: Actor, now: datetime, *, reason: str,
                      photos: tuple[str, ...] = ()) -> Event:
    """申请免责: only for sources whose further deduction may be waived (A/B); the office answers."""
    _open(state)
    _exemptible(state, rules)
    if state.exemption_request == EXEMPTION_GRANTED:
        raise CommandError("already_exempted", "the case is already exempted")
    if not reason.strip():
        raise CommandError("reason_required", "a request for exemption needs a reason")
    return who.event(ExemptionRequested(state.case_id, reason, tuple(photos)), now)


def refuse_exemption(state: CaseState, who: Actor, now: datetime, *, reason: str) -> Event:
    """The office refuses a community's request for exemption (granting it is `exempt`)."""
    if state.exemption_request != EXEMPTION_REQUESTED:
        raise CommandError("no_request", "there is no request for exemption to answer")
    if not reason.strip():
        raise CommandError("reason_required", "a refusal needs a reason")
    return who.event(ExemptionRefused(state.case_id, reason), now)


def _exemptible(state: CaseState, rules: Rules) -> None:
    if not rules.source(state.source).exemptible:
        raise CommandError("not_exemptible", f"source {state.source} cases cannot be exempted")


def void(state: CaseState, who: Actor, now: datetime, *, reason: str) -> Event:
    if state.lifecycle == VOIDED:
        raise CommandError("case_voided", "the case is already voided")
    if not reason.strip():
        raise CommandError("reason_required", "voiding needs a reason")
    return who.event(CaseVoided(state.case_id, reason), now)


def change_deadline(state: CaseState, rules: Rules, who: Actor, now: datetime, *, deadline: date, reason: str) -> Event:
    _open(state)
    _not_in_past(deadline, now, rules)
    if not reason.strip():
        raise CommandError("reason_required", "a deadline change needs a reason")
    return who.event(DeadlineChanged(state.case_id, deadline, reason), now)


def verify(state: CaseState, who: Actor, now: datetime, *, note: str = "") -> Event:
    if state.lifecycle == VOIDED:
        raise CommandError("case_voided", "the case is voided")
    return who.event(CaseVerified(state.case_id, note), now)


def exempt(state: CaseState, rules: Rules, who: Actor, now: datetime, *, reason: str) -> Event:
    _exemptible(state, rules)
    if not reason.strip():
        raise CommandError("reason_required", "an exemption needs a reason")
    return who.event(CaseExempted(state.case_id, reason), now)


def link_recurrence(
    kind: str, case_id: str, earlier_case_id: str, who: Actor, now: datetime, note: str = "", *,
    new: CaseState | None = None, earlier: CaseState | None = None, check: bool = False,
) -> Event:
    """kind: proposed (anyone), confirmed or rejected (the office).

    With `check` (the office's dashboard), a confirmation needs both cases (`new`, `earlier`)
    and the rules' recurrence: the same community and category, an earlier case that was
    rectified (fieldapp.domain.recurrence.link_fault); a proposal is checked for community,
    category and order when both are given. Saying "not the same problem" is never refused.
    """
    payload = {"proposed": RecurrenceProposed, "confirmed": RecurrenceConfirmed, "rejected": RecurrenceRejected}
    if case_id == earlier_case_id:
        raise CommandError("invalid", "a case cannot repeat itself")
    if kind != "rejected" and (check or (new is not None and earlier is not None)):
        if kind == "confirmed" and (new is None or earlier is None):
            raise CommandError("recurrence_unknown_earlier", "both cases must be known to confirm a recurrence")
        if new is not None and earlier is not None:
            fault = state_link_fault(new, earlier, confirming=kind == "confirmed")
            if fault is not None:
                raise CommandError(fault, f"{earlier.case_id} cannot be the earlier case of {new.case_id}: {fault}")
    return who.event(payload[kind](case_id, earlier_case_id, note), now)


def answer_survey(rules: Rules, who: Actor, now: datetime, *, community: str, answer: str, comment: str = "") -> Event:
    _known(rules, community)
    if answer not in rules.survey_answers:
        raise CommandError("unknown_answer", f"unknown answer {answer!r}")
    return who.event(SurveyAnswered(new_id(), community, answer, comment, now), now)
