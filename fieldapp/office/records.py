"""Office records → events: validate plain dicts (one per record) and build the events.

A record is what the office types in or imports (docs/import-format.md):

    {"record": "superior_score", "community": "C1", "month": "2022-03", "score": 91.5}

`RecordBuilder.build(record)` returns the payloads it stands for, or raises
`RecordError` whose message names the field by its label (``得分：150 不在 0–100 之间``)
and says what is wrong, in the office's language; its `faults` say which field each
fault is about (the key), so a form can mark that field. `to_events` stamps payloads as events with **deterministic
ids** (a UUID5 of what the event says; a case registration: of the case), so
importing the same file twice adds nothing, and events of one batch get
increasing device times in batch order (a later line is a later fact).

Cases are named by the office's own reference (`"case": "2022-A-003"`), which
becomes the case id (a UUID5), or by an existing `case_id`.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from fieldapp.domain import deadlines
from fieldapp.domain.events import (
    RECHECK_OUTCOMES,
    BonusAwarded,
    CaseExempted,
    CaseRechecked,
    CaseRegistered,
    CaseVerified,
    CaseVoided,
    DeadlineChanged,
    Event,
    ExemptionRefused,
    ExemptionRequested,
    FundRosterSet,
    OfficeAssessed,
    Payload,
    RectificationReported,
    RecurrenceConfirmed,
    RecurrenceProposed,
    RecurrenceRejected,
    SuperiorScored,
    SurveyTallied,
)
from fieldapp.domain.geo import Position
from fieldapp.domain.recurrence import link_fault
from fieldapp.domain.rules import Rules
from fieldapp.domain.validate import EventError
from fieldapp.office import words as S

# Fixed namespace: the same record gives the same event id on every office PC.
NAMESPACE = uuid.UUID("6c1f3d2e-2f4b-5a8e-9d0c-7b1e4a2f9c35")

# An office clock a little behind the phone's is not an error; a check "next week" is.
FUTURE_TOLERANCE = timedelta(hours=12)

# a re-check's outcome: the event's word, or the one the phone shows
OUTCOME_WORDS = {"rectified": "rectified", S.STATUS_RECTIFIED: "rectified",
                 "falls_short": "falls_short", S.STATUS_NOT_RECTIFIED: "falls_short"}  # fmt: skip
DECISIONS = {"confirmed": RecurrenceConfirmed, "rejected": RecurrenceRejected, "proposed": RecurrenceProposed}


class RecordError(ValueError):
    """A record that cannot be imported; the message names the field by its label.

    `faults`: (key, message) for each fault (key "" when it is about no one field);
    the message is all of them joined.
    """

    def __init__(self, message: str, key: str = "", *, faults: list[tuple[str, str]] | None = None):
        self.faults = list(faults) if faults is not None else [(key, message)]
        super().__init__(S.RECORD_SEPARATOR.join(m for _k, m in self.faults) if faults is not None else message)

    @property
    def keys(self) -> list[str]:
        """The fields at fault (their keys, e.g. ``score``, ``counts.满意``)."""
        return [k for k, _m in self.faults if k]


def field_label(key: str, kind: str | None = None) -> str:
    """A field's label for messages: ``score`` → 得分, ``counts.满意`` → 满意人数."""
    if key.startswith("counts."):
        return S.RECORD_COUNT_FIELD.format(answer=key.split(".", 1)[1])
    if key.startswith("roster."):
        return S.RECORD_ROLE_FIELD.format(role=key.split(".", 1)[1])
    return S.RECORD_FIELDS_OF.get(kind or "", {}).get(key) or S.RECORD_FIELDS.get(key, key)


def shown(value: Any) -> str:
    """What was given, for a message: ``“abc”``, ``“101”``; ``空的`` for nothing."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return S.RECORD_VALUE_EMPTY
    return S.RECORD_VALUE.format(value=value)


def day_text(d: date) -> str:
    """A date in a message, as the dashboard writes dates (fmt.date_full): ``2022年6月3日``."""
    return S.DATE_FULL_FMT.format(year=d.year, month=d.month, day=d.day)


def _error(template: str, key: str = "", kind: str | None = None, **values) -> RecordError:
    """A RecordError saying one of the RECORD_* messages of fieldapp/office/words.py about field `key`.

    ``{field}`` is the field's label; a ``value`` is shown quoted (see `shown`) unless the message
    formats it as a number (RECORD_OUT_OF_RANGE).
    """
    if "value" in values and template is not S.RECORD_OUT_OF_RANGE:
        values["value"] = shown(values["value"])
    return RecordError(template.format(field=field_label(key, kind) if key else "", **values), key)


@dataclass(frozen=True)
class KnownCase:
    """What validating a follow-up record needs to know of an existing case."""

    case_id: str
    source: str
    found_at: datetime
    community: str = ""  # its code ("" when not known: then a recurrence is not checked against it)
    category: str = ""
    rectified: bool | None = None  # it has a passing re-check (None: not known)


def case_id_for(ref: str) -> str:
    """The case id an office reference stands for (stable across imports and PCs)."""
    return str(uuid.uuid5(NAMESPACE, "case|" + ref.strip()))


def event_id_for(payload: Payload) -> str:
    """A registration is identified by its case; every other event by everything it says."""
    if isinstance(payload, CaseRegistered):
        identity = payload.case_id
    else:
        identity = json.dumps(payload.to_payload(), sort_keys=True, ensure_ascii=False)
    return str(uuid.uuid5(NAMESPACE, f"{payload.TYPE}|{identity}"))


def to_events(payloads: list[Payload], *, actor: str, device: str, now: datetime) -> list[Event]:
    """Events for payloads in order, each a microsecond after the previous (their sort order)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    out = []
    for i, payload in enumerate(payloads):
        event = Event(event_id_for(payload), payload, actor, device, now + timedelta(microseconds=i))
        out.append(Event.from_dict(event.to_dict()))  # canonical, and validated once more
    return out


# --- field readers -------------------------------------------------------------------------


def _text(record: dict, key: str, *, required: bool = True, limit: int = 2000) -> str:
    value = record.get(key)
    kind = record.get("record")
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise _error(S.RECORD_REQUIRED, key, kind)
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise _error(S.RECORD_NOT_TEXT, key, kind, value=value)
    value = value.strip()
    if len(value) > limit:
        raise _error(S.RECORD_TOO_LONG, key, kind, limit=limit)
    return value


def _number(record: dict, key: str, low: float, high: float) -> float:
    value = record.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise _error(S.RECORD_REQUIRED, key)
    if isinstance(value, bool):
        raise _error(S.RECORD_NOT_NUMBER, key, value=value)
    if isinstance(value, str):
        try:
            parsed = Decimal(value.strip())
        except InvalidOperation:
            raise _error(S.RECORD_NOT_NUMBER, key, value=value) from None
        if not parsed.is_finite():
            raise _error(S.RECORD_NOT_NUMBER, key, value=value)
        value = float(parsed)
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _error(S.RECORD_NOT_NUMBER, key, value=value)
    if not low <= value <= high:
        raise _error(S.RECORD_OUT_OF_RANGE, key, value=value, low=low, high=high)
    return value


def _count(record: dict, key: str, where: str | None = None) -> int:
    value = record.get(key)
    where = where or key
    if value is None or value == "":
        return 0
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _error(S.RECORD_NOT_COUNT, where, value=value)
    return value


def parse_date(value: Any, key: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip().replace("/", "-")
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise _error(S.RECORD_NOT_DATE, key, value=value)


def parse_time(value: Any, key: str, tz) -> datetime:
    """A time: ISO 8601 with an offset; without one, local time; a date alone is 00:00 local."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time.min, tzinfo=tz)
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d{4}[-/]\d{1,2}[-/]\d{1,2}", text):
            return datetime.combine(parse_date(text, key), time.min, tzinfo=tz)
        try:
            parsed = datetime.fromisoformat(text.replace(" ", "T", 1))
        except ValueError:
            pass
        else:
            return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=tz)
    raise _error(S.RECORD_NOT_TIME, key, value=value)


def _month(record: dict, key: str) -> str:
    value = record.get(key)
    if isinstance(value, (date, datetime)):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", value)
        if m and 1 <= int(m.group(2)) <= 12:
            return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    raise _error(S.RECORD_NOT_MONTH, key, value=value)


class _Checks:
    """Reads the fields of one record and keeps every error, so that all its faults are told at once."""

    def __init__(self):
        self.faults: list[tuple[str, str]] = []

    def __call__(self, read: Callable, *args, **kwargs):
        try:
            return read(*args, **kwargs)
        except RecordError as exc:
            self.faults.extend(exc.faults)
            return None

    def add(self, error: RecordError) -> None:
        self.faults.extend(error.faults)

    def done(self) -> None:
        if self.faults:
            raise RecordError("", faults=self.faults)


# --- the builder ------------------------------------------------------------------------------------

FIELDS = {
    "superior_score": {"community", "month", "score"},
    "office_assessment": {"community", "date", "score"},
    "external_case": {
        "case", "case_id", "community", "category", "source", "description", "place", "position", "found",
        "deadline", "verified", "verified_note", "exempted", "rechecks", "voided",
    },
    "case_verified": {"case", "case_id", "note"},
    "case_exempted": {"case", "case_id", "reason"},
    "case_rechecked": {"case", "case_id", "at", "outcome", "note"},
    "rectification_reported": {"case", "case_id", "at", "note"},
    "exemption_requested": {"case", "case_id", "reason"},
    "exemption_refused": {"case", "case_id", "reason"},
    "deadline_changed": {"case", "case_id", "deadline", "reason"},
    "case_voided": {"case", "case_id", "reason"},
    "recurrence": {"case", "case_id", "earlier", "earlier_case_id", "decision", "note"},
    "bonus": {"community", "code", "date", "description"},
    "survey_tally": {"community", "date", "counts", "note"},
    "fund_roster": {"year", "roster"},
}  # fmt: skip
RECORD_KINDS = tuple(FIELDS)


class RecordBuilder:
    """Turns office records into payloads, checked against the rules and the known cases.

    `lookup(case_id)` tells of cases already in the store; cases defined by
    `external_case` records are known to later records of the same builder (and
    to earlier ones, through `declare_cases`, so a file's order does not matter).
    """

    def __init__(self, rules: Rules, now: datetime, lookup: Callable[[str], KnownCase | None] = lambda _id: None):
        self.rules = rules
        self.tz = rules.tz
        self.now = now
        self.lookup = lookup
        self.declared: dict[str, KnownCase] = {}
        self.passed: set[str] = set()  # cases a passing re-check of this batch rectifies (declare_cases)
        self._communities = {c.code: c.code for c in rules.communities} | {c.name: c.code for c in rules.communities}
        self._categories = {c.code: c.code for c in rules.categories} | {c.name: c.code for c in rules.categories}
        self._roles = {r.code: r.code for r in rules.fund_roles} | {r.name: r.code for r in rules.fund_roles}

    # --- names -------------------------------------------------------------------------

    def community(self, value: Any, key: str = "community") -> str:
        code = self._communities.get(value.strip() if isinstance(value, str) else value)
        if code is None:
            known = S.LIST_SEPARATOR.join(f"{c.code}({c.name})" for c in self.rules.communities)
            raise _error(S.RECORD_UNKNOWN_COMMUNITY, key, value=value, known=known)
        return code

    def category(self, value: Any) -> str:
        code = self._categories.get(value.strip() if isinstance(value, str) else value)
        if code is None:
            raise _error(S.RECORD_UNKNOWN_CATEGORY, "category", value=value)
        return code

    def _case_ref(self, record: dict, key: str = "case", id_key: str = "case_id") -> str:
        ref, given = record.get(key), record.get(id_key)
        if ref not in (None, "") and given not in (None, ""):
            raise _error(S.RECORD_REF_AND_ID, key)
        if ref not in (None, ""):
            if not isinstance(ref, (str, int)) or isinstance(ref, bool) or not str(ref).strip():
                raise _error(S.RECORD_NOT_CASE_REF, key, value=ref)
            return case_id_for(str(ref))
        if given not in (None, ""):
            try:
                if isinstance(given, str) and str(uuid.UUID(given)) == given:
                    return given
            except ValueError:
                pass
            raise _error(S.RECORD_NOT_UUID, id_key, value=given)
        raise _error(S.RECORD_NO_CASE, key)

    def _known(self, record: dict, key: str = "case", id_key: str = "case_id") -> KnownCase:
        case_id = self._case_ref(record, key, id_key)
        known = self.declared.get(case_id) or self.lookup(case_id)
        if known is None:
            given = record.get(key) or record.get(id_key)
            raise _error(S.RECORD_CASE_UNKNOWN, key, value=given)
        return known

    # --- records ----------------------------------------------------------------------------

    def declare_cases(self, records: list[dict]) -> None:
        """Learn the cases a batch defines (best effort: bad records are reported by build)."""
        for record in records:
            if isinstance(record, dict) and record.get("record") == "external_case":
                try:
                    self._declare(record)
                except RecordError:
                    pass
            elif isinstance(record, dict) and record.get("record") == "case_rechecked":
                try:  # a case rectified by a later line counts as rectified for a recurrence
                    if OUTCOME_WORDS.get(record.get("outcome")) == "rectified":
                        self.passed.add(self._case_ref(record))
                except (RecordError, TypeError):
                    pass

    def _declare(self, record: dict) -> KnownCase:
        case_id = self._case_ref(record)
        source = record.get("source")
        if source not in {s.code for s in self.rules.sources}:
            choices = S.LIST_SEPARATOR.join(S.RECORD_CHOICE.format(code=s.code, name=s.name) for s in self.rules.sources)
            raise _error(S.RECORD_UNKNOWN_SOURCE, "source", value=source, choices=choices)
        found = parse_time(record.get("found"), "found", self.tz) if record.get("found") not in (None, "") else None
        if found is None:
            raise _error(S.RECORD_REQUIRED, "found")
        rechecks = record.get("rechecks")
        passed = isinstance(rechecks, list) and any(
            isinstance(r, dict) and isinstance(r.get("outcome"), str) and OUTCOME_WORDS.get(r["outcome"]) == "rectified"
            for r in rechecks)  # fmt: skip
        community, category = record.get("community"), record.get("category")
        known = KnownCase(case_id, source, found,
                          self._communities.get(community.strip() if isinstance(community, str) else community, ""),
                          self._categories.get(category.strip() if isinstance(category, str) else category, ""),
                          passed)  # fmt: skip
        self.declared[case_id] = known
        return known

    def build(self, record: Any) -> list[Payload]:
        if not isinstance(record, dict):
            raise _error(S.RECORD_NOT_OBJECT)
        kind = record.get("record")
        if kind not in FIELDS:
            raise _error(S.RECORD_UNKNOWN_KIND, "record", value=kind, kinds=", ".join(RECORD_KINDS))
        unknown = sorted(set(record) - FIELDS[kind] - {"record"})
        if unknown:
            raise _error(S.RECORD_UNKNOWN_FIELD, value=unknown[0], record=kind, fields=", ".join(sorted(FIELDS[kind])))
        payloads = getattr(self, "_" + kind)(record)
        for payload in payloads:  # the event types' own checks, in the same words as the sync API's
            try:
                type(payload).from_payload(json.loads(json.dumps(payload.to_payload(), ensure_ascii=False)))
            except EventError:
                raise RecordError(S.RECORD_EVENT_INVALID) from None
        return payloads

    def _superior_score(self, r: dict) -> list[Payload]:
        check = _Checks()
        community = check(self.community, r.get("community"))
        month = check(_month, r, "month")
        score = check(_number, r, "score", 0, 100)
        check.done()
        return [SuperiorScored(community, month, score)]

    def _office_assessment(self, r: dict) -> list[Payload]:
        check = _Checks()
        community = check(self.community, r.get("community"))
        day = check(parse_date, r.get("date"), "date")
        score = check(_number, r, "score", 0, 100)
        check.done()
        return [OfficeAssessed(community, day, score)]

    def _bonus_code(self, code: Any) -> str:
        if code not in {b.code for b in self.rules.bonuses}:
            choices = S.LIST_SEPARATOR.join(S.RECORD_CHOICE.format(code=b.code, name=b.name) for b in self.rules.bonuses)
            raise _error(S.RECORD_UNKNOWN_BONUS, "code", value=code, choices=choices)
        return code

    def _bonus(self, r: dict) -> list[Payload]:
        check = _Checks()
        community = check(self.community, r.get("community"))
        code = check(self._bonus_code, r.get("code"))
        day = check(parse_date, r.get("date"), "date")
        description = check(_text, r, "description")
        check.done()
        return [BonusAwarded(community, code, day, description)]

    def _counts(self, counts_in: Any) -> dict[str, int]:
        if not isinstance(counts_in, dict):
            raise _error(S.RECORD_COUNTS_NOT_MAP, "counts", value=counts_in)
        check = _Checks()
        answers = S.LIST_SEPARATOR.join(self.rules.survey_answers)
        for answer in counts_in:
            if answer not in self.rules.survey_answers:
                check.add(_error(S.RECORD_UNKNOWN_ANSWER, "counts", value=answer, answers=answers))
        counts = {a: check(_count, counts_in, a, f"counts.{a}") for a in self.rules.survey_answers if a in counts_in}
        check.done()
        if not sum(counts.values()):
            raise _error(S.RECORD_NO_RESPONDENTS, "counts")
        return counts

    def _survey_tally(self, r: dict) -> list[Payload]:
        check = _Checks()
        community = check(self.community, r.get("community"))
        day = check(parse_date, r.get("date"), "date")
        counts = check(self._counts, r.get("counts"))
        note = check(_text, r, "note", required=False)
        check.done()
        return [SurveyTallied(community, day, counts, note)]

    def _fund_roster(self, r: dict) -> list[Payload]:
        year = _count(r, "year")
        if year < 2000:
            raise _error(S.RECORD_NOT_YEAR, "year", year=self.rules.year, value=r.get("year"))
        roster_in = r.get("roster")
        if not isinstance(roster_in, dict):
            raise _error(S.RECORD_NOT_ROSTER, "roster")
        roster = {}
        for role, names in roster_in.items():
            code = self._roles.get(role.strip() if isinstance(role, str) else role)
            if code is None:
                known = S.LIST_SEPARATOR.join(f"{x.code}({x.name})" for x in self.rules.fund_roles)
                raise _error(S.RECORD_UNKNOWN_ROLE, "roster", value=role, known=known)
            if isinstance(names, str):
                names = [n for n in re.split(r"[,，、;；\s]+", names) if n]
            if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
                raise _error(S.RECORD_NOT_NAMES, f"roster.{self.rules.fund_role(code).name}")
            roster[code] = [n.strip() for n in names]
        return [FundRosterSet(year, roster)]

    def _position(self, r: dict) -> Position | None:
        raw = r.get("position")
        if raw in (None, ""):
            return None
        try:
            return Position(float(raw["lat"]), float(raw["lon"]))
        except (TypeError, KeyError, ValueError):
            raise _error(S.RECORD_NOT_POSITION, "position") from None

    def _case_deadline(self, r: dict, known: KnownCase) -> date:
        found_day = deadlines.local_today(known.found_at, self.tz)
        if r.get("deadline") in (None, ""):
            return found_day + timedelta(days=self.rules.source(known.source).default_rectification_days)
        deadline = parse_date(r.get("deadline"), "deadline")
        if deadline < found_day:
            raise _error(S.RECORD_DEADLINE_BEFORE_FOUND, "deadline", deadline=day_text(deadline), found=day_text(found_day))
        return deadline

    def _flag(self, r: dict, key: str) -> bool:
        value = r.get(key, False)
        if not isinstance(value, bool):
            raise _error(S.RECORD_NOT_FLAG, key, value=value)
        return value

    def _external_case(self, r: dict) -> list[Payload]:
        check = _Checks()
        known = check(self._declare, r)
        if known is not None and known.found_at > self.now + FUTURE_TOLERANCE:
            check.add(_error(S.RECORD_FOUND_IN_FUTURE, "found", day=day_text(known.found_at.astimezone(self.tz).date())))
        community = check(self.community, r.get("community"))
        category = check(self.category, r.get("category"))
        description = check(_text, r, "description")
        place = check(_text, r, "place", required=False, limit=200)
        position = check(self._position, r)
        deadline = check(self._case_deadline, r, known) if known is not None else None
        verified = check(self._flag, r, "verified")
        if r.get("verified_note") and not verified:
            check.add(_error(S.RECORD_VERIFIED_NOTE_ALONE, "verified_note"))
        verified_note = check(_text, r, "verified_note", required=False)
        rechecks = r.get("rechecks", [])
        if not isinstance(rechecks, list):
            check.add(_error(S.RECORD_RECHECKS_NOT_LIST, "rechecks"))
            rechecks = []
        check.done()  # the rest needs a known case

        case_id = known.case_id
        ref = r.get("case")
        note = description if ref in (None, "") else S.RECORD_CASE_NOTE.format(description=description, ref=str(ref).strip())
        out: list[Payload] = [
            CaseRegistered(case_id, community, category, known.source, note, place, position, known.found_at, deadline, False)
        ]
        if verified:
            out.append(CaseVerified(case_id, verified_note))
        if r.get("exempted") not in (None, "", False):
            exemption = check(self._exemption, known, check(_text, r, "exempted"))
            out.append(exemption)
        for i, item in enumerate(rechecks):
            out.append(check(self._recheck_item, known, item, i))
        if r.get("voided") not in (None, "", False):
            out.append(CaseVoided(case_id, check(_text, r, "voided")))
        check.done()
        return out

    def _recheck_item(self, known: KnownCase, item: Any, i: int) -> CaseRechecked:
        if not isinstance(item, dict):
            raise RecordError(S.RECORD_RECHECK_NOT_OBJECT.format(n=i + 1), "rechecks")
        extra = sorted(set(item) - {"at", "outcome", "note"})
        if extra:
            raise RecordError(S.RECORD_RECHECK_UNKNOWN_FIELD.format(n=i + 1, value=shown(extra[0])), "rechecks")
        try:
            return self._recheck(known, item)
        except RecordError as exc:
            raise RecordError("", faults=[(f"rechecks[{i}].{k}" if k else "rechecks",
                                           S.RECORD_IN_RECHECK.format(n=i + 1, message=m))
                                          for k, m in exc.faults]) from None  # fmt: skip

    def _exemption(self, known: KnownCase, reason: str) -> CaseExempted:
        if not self.rules.source(known.source).exemptible:
            exemptible = S.LIST_SEPARATOR.join(f"“{s.name}”" for s in self.rules.sources if s.exemptible)
            raise _error(S.RECORD_NOT_EXEMPTIBLE, "exempted", source=self.rules.source(known.source).name,
                         exemptible=exemptible)  # fmt: skip
        return CaseExempted(known.case_id, reason)

    def _recheck_time(self, known: KnownCase, value: Any, what: str = S.RECORD_WHAT_RECHECK) -> datetime:
        at = parse_time(value, "at", self.tz)
        found_day = known.found_at.astimezone(self.tz).date()
        if at.astimezone(self.tz).date() < found_day:
            raise _error(S.RECORD_TIME_BEFORE_FOUND, "at", what=what, day=day_text(at.astimezone(self.tz).date()),
                         found=day_text(found_day))  # fmt: skip
        if at > self.now + FUTURE_TOLERANCE:
            raise _error(S.RECORD_TIME_IN_FUTURE, "at", what=what, day=day_text(at.astimezone(self.tz).date()))
        return at

    def _outcome(self, value: Any) -> str:
        outcome = OUTCOME_WORDS.get(value) if isinstance(value, str) else None
        if outcome is None:
            words = " / ".join((S.STATUS_RECTIFIED, S.STATUS_NOT_RECTIFIED))
            raise _error(S.RECORD_NOT_OUTCOME, "outcome", outcomes=" / ".join(RECHECK_OUTCOMES), words=words, value=value)
        return outcome

    def _recheck(self, known: KnownCase, r: dict) -> CaseRechecked:
        check = _Checks()
        at = check(self._recheck_time, known, r.get("at"))
        outcome = check(self._outcome, r.get("outcome"))
        note = check(_text, r, "note", required=False)
        check.done()
        return CaseRechecked(known.case_id, outcome, at, note, ())

    def _case_verified(self, r: dict) -> list[Payload]:
        return [CaseVerified(self._known(r).case_id, _text(r, "note", required=False))]

    def _case_exempted(self, r: dict) -> list[Payload]:
        return [self._exemption(self._known(r), _text(r, "reason"))]

    def _case_rechecked(self, r: dict) -> list[Payload]:
        return [self._recheck(self._known(r), r)]

    def _rectification_reported(self, r: dict) -> list[Payload]:
        """A community's 整改反馈 that came on paper: its time counts once a re-check after it passes."""
        known = self._known(r)
        check = _Checks()
        at = check(self._recheck_time, known, r.get("at"), S.RECORD_WHAT_REPORT)
        note = check(_text, r, "note", required=False)
        check.done()
        return [RectificationReported(known.case_id, at, note, ())]

    def _exemption_requested(self, r: dict) -> list[Payload]:
        known = self._known(r)
        self._exemption(known, "")  # only A/B
        return [ExemptionRequested(known.case_id, _text(r, "reason"), ())]

    def _exemption_refused(self, r: dict) -> list[Payload]:
        return [ExemptionRefused(self._known(r).case_id, _text(r, "reason"))]

    def _deadline_changed(self, r: dict) -> list[Payload]:
        known = self._known(r)
        deadline = parse_date(r.get("deadline"), "deadline")
        found_day = known.found_at.astimezone(self.tz).date()
        if deadline < found_day:
            raise _error(S.RECORD_DEADLINE_BEFORE_FOUND, "deadline", deadline=day_text(deadline), found=day_text(found_day))
        return [DeadlineChanged(known.case_id, deadline, _text(r, "reason"))]

    def _case_voided(self, r: dict) -> list[Payload]:
        return [CaseVoided(self._known(r).case_id, _text(r, "reason"))]

    def _recurrence(self, r: dict) -> list[Payload]:
        case = self._known(r)
        earlier = self._known(r, "earlier", "earlier_case_id")
        if earlier.case_id == case.case_id:
            raise _error(S.RECORD_SELF_RECURRENCE, "earlier")
        decision = r.get("decision", "confirmed")
        if decision not in DECISIONS:
            raise _error(S.RECORD_NOT_ONE_OF, "decision", choices=" / ".join(DECISIONS), value=decision)
        if decision != "rejected" and case.community and earlier.community:
            # the rules' recurrence: same community and category, an earlier case that was rectified
            rectified = None
            if decision == "confirmed":
                rectified = bool(earlier.rectified) or earlier.case_id in self.passed
            fault = link_fault(case.community, case.category, case.found_at, earlier.community, earlier.category,
                               earlier.found_at, rectified)  # fmt: skip
            if fault is not None:
                raise _error(S.RECORD_RECURRENCE_INVALID, "earlier", fault=S.RECURRENCE_FAULTS[fault])
        return [DECISIONS[decision](case.case_id, earlier.case_id, _text(r, "note", required=False))]
