"""Office records → events: validate plain dicts (one per record) and build the events.

A record is what the office types in or imports (docs/import-format.md):

    {"record": "superior_score", "community": "C1", "month": "2022-03", "score": 91.5}

`RecordBuilder.build(record)` returns the payloads it stands for, or raises
`RecordError` whose message names the field and says what is wrong, in the
office's language. `to_events` stamps payloads as events with **deterministic
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
    FundRosterSet,
    OfficeAssessed,
    Payload,
    RecurrenceConfirmed,
    RecurrenceProposed,
    RecurrenceRejected,
    SuperiorScored,
    SurveyTallied,
)
from fieldapp.domain.geo import Position
from fieldapp.domain.rules import Rules
from fieldapp.domain.validate import EventError

# Fixed namespace: the same record gives the same event id on every office PC.
NAMESPACE = uuid.UUID("6c1f3d2e-2f4b-5a8e-9d0c-7b1e4a2f9c35")

# An office clock a little behind the phone's is not an error; a check "next week" is.
FUTURE_TOLERANCE = timedelta(hours=12)

OUTCOME_WORDS = {"rectified": "rectified", "整改到位": "rectified", "falls_short": "falls_short", "未整改到位": "falls_short"}
DECISIONS = {"confirmed": RecurrenceConfirmed, "rejected": RecurrenceRejected, "proposed": RecurrenceProposed}


class RecordError(ValueError):
    """A record that cannot be imported; the message names the field."""


@dataclass(frozen=True)
class KnownCase:
    """What validating a follow-up record needs to know of an existing case."""

    case_id: str
    source: str
    found_at: datetime


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
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise RecordError(f"{key}: 不能为空")
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise RecordError(f"{key}: 应为文字,却是 {value!r}")
    value = value.strip()
    if len(value) > limit:
        raise RecordError(f"{key}: 超过 {limit} 个字")
    return value


def _number(record: dict, key: str, low: float, high: float) -> float:
    value = record.get(key)
    if value is None or value == "":
        raise RecordError(f"{key}: 不能为空")
    if isinstance(value, bool):
        raise RecordError(f"{key}: 应为数字,却是 {value!r}")
    if isinstance(value, str):
        try:
            parsed = Decimal(value.strip())
        except InvalidOperation:
            raise RecordError(f"{key}: 应为数字,却是 {value!r}") from None
        if not parsed.is_finite():
            raise RecordError(f"{key}: 应为数字,却是 {value!r}")
        value = float(parsed)
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise RecordError(f"{key}: 应为数字,却是 {value!r}")
    if not low <= value <= high:
        raise RecordError(f"{key}: {value:g} 不在 {low:g}–{high:g} 之间")
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
        raise RecordError(f"{where}: 应为不小于 0 的整数,却是 {value!r}")
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
    raise RecordError(f"{key}: 应为日期 YYYY-MM-DD,却是 {value!r}")


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
    raise RecordError(f"{key}: 应为时间(如 2022-06-10 或 2022-06-10T15:30+08:00),却是 {value!r}")


def _month(record: dict, key: str) -> str:
    value = record.get(key)
    if isinstance(value, (date, datetime)):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", value)
        if m and 1 <= int(m.group(2)) <= 12:
            return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    raise RecordError(f"{key}: 应为月份 YYYY-MM,却是 {value!r}")


class _Checks:
    """Reads the fields of one record and keeps every error, so that all its faults are told at once."""

    def __init__(self, separator: str = ";"):
        self.errors: list[str] = []
        self.separator = separator

    def __call__(self, read: Callable, *args, **kwargs):
        try:
            return read(*args, **kwargs)
        except RecordError as exc:
            self.errors.append(str(exc))
            return None

    def done(self) -> None:
        if self.errors:
            raise RecordError(self.separator.join(self.errors))


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
        self._communities = {c.code: c.code for c in rules.communities} | {c.name: c.code for c in rules.communities}
        self._categories = {c.code: c.code for c in rules.categories} | {c.name: c.code for c in rules.categories}
        self._roles = {r.code: r.code for r in rules.fund_roles} | {r.name: r.code for r in rules.fund_roles}

    # --- names -------------------------------------------------------------------------

    def community(self, value: Any, key: str = "community") -> str:
        code = self._communities.get(value.strip() if isinstance(value, str) else value)
        if code is None:
            known = "、".join(f"{c.code}({c.name})" for c in self.rules.communities)
            raise RecordError(f"{key}: 未知社区 {value!r},应为 {known}")
        return code

    def category(self, value: Any) -> str:
        code = self._categories.get(value.strip() if isinstance(value, str) else value)
        if code is None:
            raise RecordError(f"category: 未知问题类别 {value!r},应为规则中的代码(如 Z1、L3)或名称")
        return code

    def _case_ref(self, record: dict, key: str = "case", id_key: str = "case_id") -> str:
        ref, given = record.get(key), record.get(id_key)
        if ref not in (None, "") and given not in (None, ""):
            raise RecordError(f"{key}: {key} 与 {id_key} 只能给一个")
        if ref not in (None, ""):
            if not isinstance(ref, (str, int)) or isinstance(ref, bool) or not str(ref).strip():
                raise RecordError(f"{key}: 应为案件编号(文字),却是 {ref!r}")
            return case_id_for(str(ref))
        if given not in (None, ""):
            try:
                if isinstance(given, str) and str(uuid.UUID(given)) == given:
                    return given
            except ValueError:
                pass
            raise RecordError(f"{id_key}: 应为小写 UUID,却是 {given!r}")
        raise RecordError(f"{key}: 需要案件编号({key})或案件 ID({id_key})")

    def _known(self, record: dict, key: str = "case", id_key: str = "case_id") -> KnownCase:
        case_id = self._case_ref(record, key, id_key)
        known = self.declared.get(case_id) or self.lookup(case_id)
        if known is None:
            shown = record.get(key) or record.get(id_key)
            raise RecordError(f"{key}: 找不到案件 {shown!r}(既不在本次导入中,也不在办公室数据库中)")
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

    def _declare(self, record: dict) -> KnownCase:
        case_id = self._case_ref(record)
        source = record.get("source")
        if source not in {s.code for s in self.rules.sources}:
            raise RecordError(f"source: 应为 {'/'.join(s.code for s in self.rules.sources)} 之一,却是 {source!r}")
        found = parse_time(record.get("found"), "found", self.tz) if record.get("found") not in (None, "") else None
        if found is None:
            raise RecordError("found: 不能为空(发现日期)")
        known = KnownCase(case_id, source, found)
        self.declared[case_id] = known
        return known

    def build(self, record: Any) -> list[Payload]:
        if not isinstance(record, dict):
            raise RecordError(f"应为一个 JSON 对象,却是 {type(record).__name__}")
        kind = record.get("record")
        if kind not in FIELDS:
            raise RecordError(f"record: 未知记录类型 {kind!r},应为 {', '.join(RECORD_KINDS)} 之一")
        unknown = sorted(set(record) - FIELDS[kind] - {"record"})
        if unknown:
            raise RecordError(f"{unknown[0]}: {kind} 记录没有这个字段(可用:{', '.join(sorted(FIELDS[kind]))})")
        payloads = getattr(self, "_" + kind)(record)
        for payload in payloads:  # the event types' own checks, in the same words as the sync API's
            try:
                type(payload).from_payload(json.loads(json.dumps(payload.to_payload(), ensure_ascii=False)))
            except EventError as exc:
                raise RecordError(str(exc)) from None
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
            raise RecordError(f"code: 应为 {'/'.join(b.code for b in self.rules.bonuses)} 之一,却是 {code!r}")
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
            raise RecordError(f"counts: 应为各答案的人数,如 {{\"满意\": 120, \"基本满意\": 30, \"不满意\": 10}},却是 {counts_in!r}")
        check = _Checks()
        for answer in counts_in:
            if answer not in self.rules.survey_answers:
                check.errors.append(f"counts: 未知答案 {answer!r},应为 {'、'.join(self.rules.survey_answers)}")
        counts = {a: check(_count, counts_in, a, f"counts.{a}") for a in self.rules.survey_answers if a in counts_in}
        check.done()
        if not sum(counts.values()):
            raise RecordError("counts: 没有受访人数")
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
            raise RecordError(f"year: 应为年度,如 {self.rules.year},却是 {r.get('year')!r}")
        roster_in = r.get("roster")
        if not isinstance(roster_in, dict):
            raise RecordError("roster: 应为 角色 → 姓名列表,如 {\"office_secretary\": [\"王某\"]}")
        roster = {}
        for role, names in roster_in.items():
            code = self._roles.get(role.strip() if isinstance(role, str) else role)
            if code is None:
                known = "、".join(f"{x.code}({x.name})" for x in self.rules.fund_roles)
                raise RecordError(f"roster: 未知角色 {role!r},应为 {known}")
            if isinstance(names, str):
                names = [n for n in re.split(r"[,,、;;\s]+", names) if n]
            if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
                raise RecordError(f"roster.{role}: 应为姓名列表")
            roster[code] = [n.strip() for n in names]
        return [FundRosterSet(year, roster)]

    def _position(self, r: dict) -> Position | None:
        raw = r.get("position")
        if raw in (None, ""):
            return None
        try:
            return Position(float(raw["lat"]), float(raw["lon"]))
        except (TypeError, KeyError, ValueError) as exc:
            raise RecordError(f"position: 应为 {{\"lat\": 纬度, \"lon\": 经度}}:{exc}") from None

    def _case_deadline(self, r: dict, known: KnownCase) -> date:
        found_day = deadlines.local_today(known.found_at, self.tz)
        if r.get("deadline") in (None, ""):
            return found_day + timedelta(days=self.rules.source(known.source).default_rectification_days)
        deadline = parse_date(r.get("deadline"), "deadline")
        if deadline < found_day:
            raise RecordError(f"deadline: {deadline} 早于发现日期 {found_day}")
        return deadline

    def _flag(self, r: dict, key: str) -> bool:
        value = r.get(key, False)
        if not isinstance(value, bool):
            raise RecordError(f"{key}: 应为 true 或 false,却是 {value!r}")
        return value

    def _external_case(self, r: dict) -> list[Payload]:
        check = _Checks()
        known = check(self._declare, r)
        if known is not None and known.found_at > self.now + FUTURE_TOLERANCE:
            check.errors.append(f"found: {known.found_at.date()} 在将来")
        community = check(self.community, r.get("community"))
        category = check(self.category, r.get("category"))
        description = check(_text, r, "description")
        place = check(_text, r, "place", required=False, limit=200)
        position = check(self._position, r)
        deadline = check(self._case_deadline, r, known) if known is not None else None
        verified = check(self._flag, r, "verified")
        if r.get("verified_note") and not verified:
            check.errors.append("verified_note: 只有 verified 为 true 时才能填写")
        verified_note = check(_text, r, "verified_note", required=False)
        rechecks = r.get("rechecks", [])
        if not isinstance(rechecks, list):
            check.errors.append("rechecks: 应为复查记录的列表")
            rechecks = []
        check.done()  # the rest needs a known case

        case_id = known.case_id
        ref = r.get("case")
        note = f"{description}(案件编号 {str(ref).strip()})" if ref not in (None, "") else description
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
            raise RecordError(f"rechecks[{i}]: 应为 {{\"at\": ..., \"outcome\": ...}}")
        extra = sorted(set(item) - {"at", "outcome", "note"})
        if extra:
            raise RecordError(f"rechecks[{i}].{extra[0]}: 复查记录没有这个字段(可用:at, outcome, note)")
        try:
            return self._recheck(known, item)
        except RecordError as exc:
            raise RecordError(f"rechecks[{i}].{exc}") from None

    def _exemption(self, known: KnownCase, reason: str) -> CaseExempted:
        if not self.rules.source(known.source).exemptible:
            raise RecordError(f"exempted: {known.source} 类案件不能免于加扣(只有 "
                              f"{'/'.join(s.code for s in self.rules.sources if s.exemptible)} 类可以)")  # fmt: skip
        return CaseExempted(known.case_id, reason)

    def _recheck_time(self, known: KnownCase, value: Any) -> datetime:
        at = parse_time(value, "at", self.tz)
        found_day = known.found_at.astimezone(self.tz).date()
        if at.astimezone(self.tz).date() < found_day:
            raise RecordError(f"at: 复查时间 {at.astimezone(self.tz).date()} 早于发现日期 {found_day}")
        if at > self.now + FUTURE_TOLERANCE:
            raise RecordError(f"at: 复查时间 {at.astimezone(self.tz).date()} 在将来")
        return at

    def _outcome(self, value: Any) -> str:
        outcome = OUTCOME_WORDS.get(value) if isinstance(value, str) else None
        if outcome is None:
            raise RecordError(f"outcome: 应为 {' / '.join(RECHECK_OUTCOMES)}(整改到位 / 未整改到位),却是 {value!r}")
        return outcome

    def _recheck(self, known: KnownCase, r: dict) -> CaseRechecked:
        check = _Checks(separator=";")
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

    def _deadline_changed(self, r: dict) -> list[Payload]:
        known = self._known(r)
        deadline = parse_date(r.get("deadline"), "deadline")
        if deadline < known.found_at.astimezone(self.tz).date():
            raise RecordError(f"deadline: {deadline} 早于发现日期")
        return [DeadlineChanged(known.case_id, deadline, _text(r, "reason"))]

    def _case_voided(self, r: dict) -> list[Payload]:
        return [CaseVoided(self._known(r).case_id, _text(r, "reason"))]

    def _recurrence(self, r: dict) -> list[Payload]:
        case = self._known(r)
        earlier = self._known(r, "earlier", "earlier_case_id")
        if earlier.case_id == case.case_id:
            raise RecordError("earlier: 一个案件不能是它自己的再次出现")
        decision = r.get("decision", "confirmed")
        if decision not in DECISIONS:
            raise RecordError(f"decision: 应为 {' / '.join(DECISIONS)} 之一,却是 {decision!r}")
        return [DECISIONS[decision](case.case_id, earlier.case_id, _text(r, "note", required=False))]
