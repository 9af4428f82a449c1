"""Event types: the immutable facts the whole system is built from (pure).

An event is an envelope (id, who, which device, the device's clock) around a
typed payload. Payloads are small frozen dataclasses that validate themselves;
`Event.from_dict` refuses anything malformed with an EventError naming the field.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, ClassVar

from fieldapp.domain import validate as v
from fieldapp.domain.geo import Position
from fieldapp.domain.validate import EventError

INSPECTOR = "inspector"
COMMUNITY = "community"  # community staff (社区书记, 网格员): rectify and report back
OFFICE = "office"
ROLES = (INSPECTOR, COMMUNITY, OFFICE)
DEVICE_ROLES = (INSPECTOR, COMMUNITY)  # what a phone can be enrolled as

PHOTO_STAGES = ("before", "after", "exemption")  # exemption: evidence for a request for exemption
RECHECK_OUTCOMES = ("rectified", "falls_short")  # 整改到位 / 未整改到位
SURVEY_ANSWERS = ("满意", "基本满意", "不满意")


def _position(data: dict, key: str) -> Position | None:
    raw = data.get(key)
    if raw is None:
        return None
    try:
        return Position.from_dict(raw)
    except (ValueError, TypeError) as exc:
        raise EventError(f"{key}: {exc}") from None


MAX_MARKS = 16


def _marks(data: dict) -> tuple[str, ...]:
    """Evidence marks (fieldapp.domain.evidence codes): optional, a list of distinct codes.

    Codes this version does not know are kept (a newer phone may write them) and shown
    with a general word."""
    raw = data.get("marks", [])
    if not isinstance(raw, list) or len(raw) > MAX_MARKS:
        raise EventError(f"marks: expected a list of at most {MAX_MARKS} codes, got {raw!r}")
    marks = tuple(v.code({"marks": m}, "marks") for m in raw)
    if len(set(marks)) != len(marks):
        raise EventError(f"marks: the same mark twice in {raw!r}")
    return marks


def _jsonable(value: Any) -> Any:
    if isinstance(value, Position):
        return value.to_dict()
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {k: _jsonable(item) for k, item in value.items()}
    return value


@dataclass(frozen=True)
class Payload:
    """Base of every payload: `TYPE` names it on the wire, `ROLES` may write it."""

    TYPE: ClassVar[str] = ""
    ROLES: ClassVar[frozenset[str]] = frozenset()
    # Fields added after events of this type were first written: left out of the payload while
    # they hold their default, so the canonical JSON (and content hash) of older events is unchanged.
    OMIT_IF_DEFAULT: ClassVar[tuple[str, ...]] = ()

    @property
    def subject(self) -> str:
        """The id of what the event is about (a case, a community…)."""
        return getattr(self, "case_id")

    def to_payload(self) -> dict:
        return {
            f.name: _jsonable(getattr(self, f.name))
            for f in dataclasses.fields(self)
            if not (f.name in self.OMIT_IF_DEFAULT and getattr(self, f.name) == f.default)
        }

    @classmethod
    def from_payload(cls, data: dict) -> "Payload":
        raise NotImplementedError


# --- cases -------------------------------------------------------------------


@dataclass(frozen=True)
class CaseRegistered(Payload):
    """A problem was found and logged (登记问题)."""

    TYPE = "case.registered"
    ROLES = frozenset({INSPECTOR, OFFICE})

    case_id: str
    community: str
    category: str
    source: str
    note: str
    place: str
    position: Position | None
    found_at: datetime
    deadline: date
    unannounced: bool  # 暗访 rather than 明查
    # Evidence marks the phone computed when saving (fieldapp.domain.evidence): position only
    # from the photo, an old photo, outside the sub-district's area, a mocked fix. Omitted when none.
    marks: tuple[str, ...] = ()
    # Where the inspector put the pin on 登记问题's map when the GPS fix was off (an alley, a
    # drifting fix): the problem's place; `position` stays the fix as the GPS gave it. Omitted when
    # the pin was not moved, so older events keep their content hash.
    placed: Position | None = None

    OMIT_IF_DEFAULT = ("marks", "placed")

    @classmethod
    def from_payload(cls, d: dict) -> "CaseRegistered":
        found_at = v.aware_time(d, "found_at")
        deadline = v.local_date(d, "deadline")
        # A deadline before the day the problem was found (anywhere on Earth) is a mistake.
        if deadline < found_at.date() and (deadline - found_at.date()).days < -1:
            raise EventError("deadline: before the day the problem was found")
        return cls(
            case_id=v.uuid_text(d, "case_id"),
            community=v.code(d, "community"),
            category=v.code(d, "category"),
            source=v.choice(d, "source", ("A", "B", "C", "D", "E")),
            note=v.text(d, "note", required=False),
            place=v.text(d, "place", required=False, limit=200),
            position=_position(d, "position"),
            found_at=found_at,
            deadline=deadline,
            unannounced=v.flag(d, "unannounced", False),
            marks=_marks(d),
            placed=_position(d, "placed"),
        )


@dataclass(frozen=True)
class PhotoAdded(Payload):
    """A photo of a case: `before` (the problem) or `after` (the rectification)."""

    TYPE = "photo.added"
    # A community device may add only `after` / `exemption` photos, as part of its report or
    # request (sync.policy checks the stage).
    ROLES = frozenset({INSPECTOR, COMMUNITY, OFFICE})

    case_id: str
    sha256: str  # of the stored photo: its file name, what sync transfers
    original_sha256: str  # of the bytes the camera gave, for provenance
    stage: str
    width: int
    height: int
    size_bytes: int
    position: Position | None  # read from the photo's EXIF, if any
    taken_at: str | None  # EXIF DateTimeOriginal as ISO text (maybe without offset)

    @classmethod
    def from_payload(cls, d: dict) -> "PhotoAdded":
        taken_at = d.get("taken_at")
        if taken_at is not None and not isinstance(taken_at, str):
            raise EventError(f"taken_at: expected text or null, got {taken_at!r}")
        return cls(
            case_id=v.uuid_text(d, "case_id"),
            sha256=v.sha256(d, "sha256"),
            original_sha256=v.sha256(d, "original_sha256"),
            stage=v.choice(d, "stage", PHOTO_STAGES),
            width=v.count(d, "width"),
            height=v.count(d, "height"),
            size_bytes=v.count(d, "size_bytes"),
            position=_position(d, "position"),
            taken_at=taken_at,
        )


@dataclass(frozen=True)
class CaseSighted(Payload):
    """The same open problem was seen again (a duplicate sighting, not a new case)."""

    TYPE = "case.sighted"
    ROLES = frozenset({INSPECTOR, OFFICE})

    case_id: str
    seen_at: datetime
    note: str
    position: Position | None

    @classmethod
    def from_payload(cls, d: dict) -> "CaseSighted":
        return cls(
            v.uuid_text(d, "case_id"),
            v.aware_time(d, "seen_at"),
            v.text(d, "note", required=False),
            _position(d, "position"),
        )


@dataclass(frozen=True)
class CaseRechecked(Payload):
    """A re-check (复查): rectified and accepted (整改到位) or falls short (未整改到位)."""

    TYPE = "case.rechecked"
    ROLES = frozenset({INSPECTOR, OFFICE})

    case_id: str
    outcome: str
    checked_at: datetime  # when the rectification was seen; judged against the deadline
    note: str
    photos: tuple[str, ...]  # sha256 of the "after" photos
    marks: tuple[str, ...] = ()  # e.g. after_like_before (evidence.py); omitted when none

    OMIT_IF_DEFAULT = ("marks",)

    @classmethod
    def from_payload(cls, d: dict) -> "CaseRechecked":
        return cls(
            case_id=v.uuid_text(d, "case_id"),
            outcome=v.choice(d, "outcome", RECHECK_OUTCOMES),
            checked_at=v.aware_time(d, "checked_at"),
            note=v.text(d, "note", required=False),
            photos=v.sha256_list(d, "photos"),
            marks=_marks(d),
        )


@dataclass(frozen=True)
class RectificationReported(Payload):
    """The community reports the problem rectified (整改反馈), with after photos.

    Its time becomes the rectification time if the next re-check after it passes
    (assessment-rules.md §2, "the community's own report").
    """

    TYPE = "case.reported"
    ROLES = frozenset({COMMUNITY, OFFICE})

    case_id: str
    reported_at: datetime
    note: str
    # sha256 of the "after" photos: a phone's report has at least one (commands and sync.policy
    # insist); a report the office imports from paper may have none.
    photos: tuple[str, ...]
    marks: tuple[str, ...] = ()  # e.g. after_like_before (evidence.py); omitted when none

    OMIT_IF_DEFAULT = ("marks",)

    @classmethod
    def from_payload(cls, d: dict) -> "RectificationReported":
        return cls(v.uuid_text(d, "case_id"), v.aware_time(d, "reported_at"), v.text(d, "note", required=False),
                   v.sha256_list(d, "photos"), _marks(d))


@dataclass(frozen=True)
class ExemptionRequested(Payload):
    """The community asks for exemption (申请免责, A/B only): only the office grants or refuses it."""

    TYPE = "case.exemption_requested"
    ROLES = frozenset({COMMUNITY, OFFICE})

    case_id: str
    reason: str
    photos: tuple[str, ...]  # optional evidence

    @classmethod
    def from_payload(cls, d: dict) -> "ExemptionRequested":
        return cls(v.uuid_text(d, "case_id"), v.text(d, "reason"), v.sha256_list(d, "photos"))


@dataclass(frozen=True)
class ExemptionRefused(Payload):
    """The office refuses a request for exemption, with its reason (granting is `case.exempted`)."""

    TYPE = "case.exemption_refused"
    ROLES = frozenset({OFFICE})

    case_id: str
    reason: str

    @classmethod
    def from_payload(cls, d: dict) -> "ExemptionRefused":
        return cls(v.uuid_text(d, "case_id"), v.text(d, "reason"))


@dataclass(frozen=True)
class DeadlineChanged(Payload):
    """The rectification deadline (整改期限) was moved, with a reason."""

    TYPE = "case.deadline_changed"
    ROLES = frozenset({OFFICE})

    case_id: str
    deadline: date
    reason: str

    @classmethod
    def from_payload(cls, d: dict) -> "DeadlineChanged":
        return cls(v.uuid_text(d, "case_id"), v.local_date(d, "deadline"), v.text(d, "reason"))


@dataclass(frozen=True)
class CaseVerified(Payload):
    """The office verified an external case as true (经核查属实)."""

    TYPE = "case.verified"
    ROLES = frozenset({OFFICE})

    case_id: str
    note: str

    @classmethod
    def from_payload(cls, d: dict) -> "CaseVerified":
        return cls(v.uuid_text(d, "case_id"), v.text(d, "note", required=False))


@dataclass(frozen=True)
class CaseExempted(Payload):
    """Rectification is truly impossible (确因特殊情况无法整改): the further deduction is waived."""

    TYPE = "case.exempted"
    ROLES = frozenset({OFFICE})

    case_id: str
    reason: str

    @classmethod
    def from_payload(cls, d: dict) -> "CaseExempted":
        return cls(v.uuid_text(d, "case_id"), v.text(d, "reason"))


@dataclass(frozen=True)
class CaseVoided(Payload):
    """Entered by mistake (作废): the case counts for nothing."""

    TYPE = "case.voided"
    ROLES = frozenset({INSPECTOR, OFFICE})

    case_id: str
    reason: str

    @classmethod
    def from_payload(cls, d: dict) -> "CaseVoided":
        return cls(v.uuid_text(d, "case_id"), v.text(d, "reason"))


@dataclass(frozen=True)
class _RecurrenceLink(Payload):
    case_id: str  # the new case
    earlier_case_id: str  # the earlier, rectified case it repeats
    note: str

    @classmethod
    def from_payload(cls, d: dict):
        case_id = v.uuid_text(d, "case_id")
        earlier = v.uuid_text(d, "earlier_case_id")
        if case_id == earlier:
            raise EventError("earlier_case_id: a case cannot repeat itself")
        return cls(case_id, earlier, v.text(d, "note", required=False))


@dataclass(frozen=True)
class RecurrenceProposed(_RecurrenceLink):
    """Someone says this case is the same problem back again (同一问题再次出现)."""

    TYPE = "recurrence.proposed"
    ROLES = frozenset({INSPECTOR, OFFICE})


@dataclass(frozen=True)
class RecurrenceConfirmed(_RecurrenceLink):
    """The office confirms a recurrence: −2 in the plan."""

    TYPE = "recurrence.confirmed"
    ROLES = frozenset({OFFICE})


@dataclass(frozen=True)
class RecurrenceRejected(_RecurrenceLink):
    """The office finds it is not the same problem."""

    TYPE = "recurrence.rejected"
    ROLES = frozenset({OFFICE})


# --- surveys and office records ------------------------------------------------


@dataclass(frozen=True)
class _CommunityRecord(Payload):
    """A record about a community as a whole: its subject is the community."""

    @property
    def subject(self) -> str:
        return getattr(self, "community")


@dataclass(frozen=True)
class SurveyAnswered(_CommunityRecord):
    """One resident's questionnaire (满意度调查)."""

    TYPE = "survey.answered"
    ROLES = frozenset({INSPECTOR, OFFICE})

    survey_id: str
    community: str
    answer: str
    comment: str
    answered_at: datetime

    @classmethod
    def from_payload(cls, d: dict) -> "SurveyAnswered":
        return cls(
            v.uuid_text(d, "survey_id"),
            v.code(d, "community"),
            v.choice(d, "answer", SURVEY_ANSWERS),
            v.text(d, "comment", required=False, limit=500),
            v.aware_time(d, "answered_at"),
        )


@dataclass(frozen=True)
class SurveyTallied(_CommunityRecord):
    """Paper questionnaires counted at the office: counts per answer."""

    TYPE = "survey.tallied"
    ROLES = frozenset({OFFICE})

    community: str
    date: date
    counts: dict  # answer -> count
    note: str

    @classmethod
    def from_payload(cls, d: dict) -> "SurveyTallied":
        raw = v.mapping(d.get("counts"), "counts")
        counts = {}
        for answer, n in raw.items():
            if answer not in SURVEY_ANSWERS:
                raise EventError(f"counts: unknown answer {answer!r}")
            counts[answer] = v.count(raw, answer)
        if not sum(counts.values()):
            raise EventError("counts: no respondents")
        return cls(v.code(d, "community"), v.local_date(d, "date"), counts, v.text(d, "note", required=False))


@dataclass(frozen=True)
class SuperiorScored(_CommunityRecord):
    """The higher level's monthly score of a community (上级考核)."""

    TYPE = "score.superior"
    ROLES = frozenset({OFFICE})

    community: str
    month: str  # YYYY-MM
    score: float

    @classmethod
    def from_payload(cls, d: dict) -> "SuperiorScored":
        return cls(v.code(d, "community"), v.month(d, "month"), v.number(d, "score", low=0, high=100))


@dataclass(frozen=True)
class OfficeAssessed(_CommunityRecord):
    """One of the office's irregular comprehensive assessments (本办考核)."""

    TYPE = "score.office"
    ROLES = frozenset({OFFICE})

    community: str
    date: date
    score: float

    @classmethod
    def from_payload(cls, d: dict) -> "OfficeAssessed":
        return cls(v.code(d, "community"), v.local_date(d, "date"), v.number(d, "score", low=0, high=100))


@dataclass(frozen=True)
class BonusAwarded(_CommunityRecord):
    """Media coverage or praise that earns a bonus (加分)."""

    TYPE = "bonus.awarded"
    ROLES = frozenset({OFFICE})

    community: str
    code: str
    date: date
    description: str

    @classmethod
    def from_payload(cls, d: dict) -> "BonusAwarded":
        return cls(
            v.code(d, "community"),
            v.choice(d, "code", ("M1", "M2", "M3", "P1", "P2", "P3")),
            v.local_date(d, "date"),
            v.text(d, "description"),
        )


@dataclass(frozen=True)
class FundRosterSet(Payload):
    """Who holds each fund role this year (role code -> names); replaces the earlier roster."""

    TYPE = "fund.roster_set"
    ROLES = frozenset({OFFICE})

    year: int
    roster: dict  # role code -> list of names

    @property
    def subject(self) -> str:
        return f"fund-{self.year}"

    @classmethod
    def from_payload(cls, d: dict) -> "FundRosterSet":
        year = v.count(d, "year")
        raw = v.mapping(d.get("roster"), "roster")
        roster = {}
        for role, names in raw.items():
            if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
                raise EventError(f"roster.{role}: expected a list of names")
            roster[v.code({"role": role}, "role")] = [n.strip() for n in names]
        return cls(year, roster)


PAYLOAD_TYPES: dict[str, type[Payload]] = {
    cls.TYPE: cls
    for cls in (
        CaseRegistered,
        PhotoAdded,
        CaseSighted,
        CaseRechecked,
        RectificationReported,
        ExemptionRequested,
        ExemptionRefused,
        DeadlineChanged,
        CaseVerified,
        CaseExempted,
        CaseVoided,
        RecurrenceProposed,
        RecurrenceConfirmed,
        RecurrenceRejected,
        SurveyAnswered,
        SurveyTallied,
        SuperiorScored,
        OfficeAssessed,
        BonusAwarded,
        FundRosterSet,
    )
}

CASE_EVENT_TYPES = frozenset(
    t for t, cls in PAYLOAD_TYPES.items() if "case_id" in {f.name for f in dataclasses.fields(cls)}
)


# --- the envelope ------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """One immutable fact: a payload plus who wrote it, where and when (device clock)."""

    id: str
    data: Payload
    actor: str
    device: str
    recorded_at: datetime
    server_seq: int | None = field(default=None, compare=False)

    @property
    def type(self) -> str:
        return self.data.TYPE

    @property
    def subject(self) -> str:
        return self.data.subject

    @property
    def case_id(self) -> str | None:
        return getattr(self.data, "case_id", None)

    def to_dict(self) -> dict:
        out = {
            "id": self.id,
            "type": self.type,
            "subject": self.subject,
            "payload": self.data.to_payload(),
            "actor": self.actor,
            "device": self.device,
            "recorded_at": self.recorded_at.isoformat(),
        }
        if self.server_seq is not None:
            out["server_seq"] = self.server_seq
        return out

    def content_hash(self) -> str:
        """SHA-256 of the canonical content: tells a re-sent event from a different one."""
        return content_hash_of(self.to_dict())

    def sort_key(self) -> tuple[datetime, str]:
        """A total order made only of the event's content, so any arrival order folds alike."""
        return (self.recorded_at.astimezone(timezone.utc), self.id)

    @classmethod
    def from_dict(cls, raw: Any) -> "Event":
        d = v.mapping(raw, "event")
        type_name = d.get("type")
        payload_type = PAYLOAD_TYPES.get(type_name) if isinstance(type_name, str) else None
        if payload_type is None:
            raise EventError(f"type: unknown event type {type_name!r}")
        payload = v.mapping(d.get("payload"), "payload")
        try:
            data = payload_type.from_payload(payload)
        except EventError as exc:
            raise EventError(f"payload.{exc}") from None
        if "subject" in d and d["subject"] != data.subject:
            raise EventError(f"subject: {d['subject']!r} does not match the payload ({data.subject!r})")
        seq = d.get("server_seq")
        if seq is not None and (isinstance(seq, bool) or not isinstance(seq, int) or seq < 1):
            raise EventError(f"server_seq: expected a positive integer, got {seq!r}")
        return cls(
            id=v.uuid_text(d, "id"),
            data=data,
            actor=v.text(d, "actor", limit=64),
            device=v.text(d, "device", limit=64),
            recorded_at=v.aware_time(d, "recorded_at"),
            server_seq=seq,
        )


def content_hash_of(body: dict) -> str:
    """`Event.content_hash` of an event's `to_dict()` (its server_seq left out), for a caller that
    has the dict already (the Store writes the same dict's payload)."""
    content = {k: v for k, v in body.items() if k != "server_seq"}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def new_event(data: Payload, *, actor: str, device: str, now: datetime) -> Event:
    """Make an event here and now, with a fresh UUID (round-tripped so it is canonical)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    event = Event(id=str(uuid.uuid4()), data=data, actor=actor, device=device, recorded_at=now)
    return Event.from_dict(event.to_dict())


def new_id() -> str:
    return str(uuid.uuid4())
