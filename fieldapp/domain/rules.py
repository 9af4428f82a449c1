"""The assessment plan as data: parse and validate a rules mapping (pure).

Every error names the field at fault (e.g. ``sources[2].further``) so that an
office editing the rules file can find the mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

SOURCE_CODES = ("A", "B", "C", "D", "E")
BONUS_CODES = ("M1", "M2", "M3", "P1", "P2", "P3")
CATEGORY_GROUPS = ("五脏", "五乱")


class RulesError(ValueError):
    """The rules file is malformed; the message names the field."""


@dataclass(frozen=True)
class Community:
    code: str
    name: str


@dataclass(frozen=True)
class Category:
    code: str
    group: str
    name: str
    description: str


@dataclass(frozen=True)
class Source:
    code: str
    name: str
    base: Decimal
    further: Decimal
    requires_verification: bool
    exemptible: bool
    default_rectification_days: int


@dataclass(frozen=True)
class Bonus:
    code: str
    name: str
    points: Decimal


@dataclass(frozen=True)
class FundRole:
    code: str
    name: str
    deposit: Decimal


@dataclass(frozen=True)
class Weights:
    superior: Decimal
    office: Decimal
    satisfaction: Decimal


@dataclass(frozen=True)
class Area:
    """The sub-district's area as a circle (centre + radius): a case outside it is marked.

    A stand-in until the communities' boundaries exist (polygons will replace it)."""

    lat: float
    lon: float
    radius_m: float


@dataclass(frozen=True)
class Rules:
    year: int
    title: str
    time_zone: str
    recurrence_radius_m: float
    recurrence_deduction: Decimal
    due_soon_days: int
    gps_warn_accuracy_m: float
    weights: Weights
    survey_answers: tuple[str, ...]
    satisfied_answers: frozenset[str]
    communities: tuple[Community, ...]
    categories: tuple[Category, ...]
    sources: tuple[Source, ...]
    bonuses: tuple[Bonus, ...]
    fund_roles: tuple[FundRole, ...]
    fund_match_ratio: Decimal
    # A community's report waiting longer than this for its re-check is flagged on the 督办 screen.
    recheck_overdue_days: int = 2
    # A photo whose EXIF time is older than this many days when the case is saved marks the case.
    photo_max_age_days: int = 3
    # The sub-district's area; None: no case is marked as outside it.
    area: Area | None = None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def community(self, code: str) -> Community:
        return _find(self.communities, code, "community")

    def category(self, code: str) -> Category:
        return _find(self.categories, code, "category")

    def source(self, code: str) -> Source:
        return _find(self.sources, code, "source")

    def bonus(self, code: str) -> Bonus:
        return _find(self.bonuses, code, "bonus")

    def fund_role(self, code: str) -> FundRole:
        return _find(self.fund_roles, code, "fund role")


def _find(items, code, what):
    for item in items:
        if item.code == code:
            return item
    raise KeyError(f"unknown {what} {code!r}")


class _Reader:
    """Typed access to one mapping, with the path of each field for messages."""

    def __init__(self, data: Any, path: str):
        if not isinstance(data, dict):
            raise RulesError(f"{path or 'rules'}: expected a table, got {type(data).__name__}")
        self.data = data
        self.path = path

    def _where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def raw(self, key: str) -> Any:
        if key not in self.data:
            raise RulesError(f"{self._where(key)}: missing")
        return self.data[key]

    def text(self, key: str) -> str:
        value = self.raw(key)
        if not isinstance(value, str) or not value.strip():
            raise RulesError(f"{self._where(key)}: expected non-empty text, got {value!r}")
        return value.strip()

    def integer(self, key: str, minimum: int = 0) -> int:
        value = self.raw(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            raise RulesError(f"{self._where(key)}: expected an integer ≥ {minimum}, got {value!r}")
        return value

    def number(self, key: str, minimum: Decimal = Decimal(0)) -> Decimal:
        value = self.raw(key)
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise RulesError(f"{self._where(key)}: expected a number, got {value!r}")
        try:
            # str() keeps 0.1 as 0.1 rather than its binary approximation.
            number = Decimal(str(value))
        except InvalidOperation:
            raise RulesError(f"{self._where(key)}: expected a number, got {value!r}") from None
        if not number.is_finite() or number < minimum:
            raise RulesError(f"{self._where(key)}: expected a number ≥ {minimum}, got {value!r}")
        return number

    def flag(self, key: str) -> bool:
        value = self.raw(key)
        if not isinstance(value, bool):
            raise RulesError(f"{self._where(key)}: expected true or false, got {value!r}")
        return value

    def table(self, key: str) -> "_Reader":
        return _Reader(self.raw(key), self._where(key))

    def tables(self, key: str) -> list["_Reader"]:
        value = self.raw(key)
        if not isinstance(value, list) or not value:
            raise RulesError(f"{self._where(key)}: expected a non-empty list of tables")
        return [_Reader(item, f"{self._where(key)}[{i}]") for i, item in enumerate(value)]

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.raw(key)
        if not isinstance(value, list) or not value or not all(
            isinstance(v, str) and v.strip() for v in value
        ):
            raise RulesError(f"{self._where(key)}: expected a non-empty list of texts")
        return tuple(v.strip() for v in value)


def _unique(items, path: str):
    seen = set()
    for i, item in enumerate(items):
        if item.code in seen:
            raise RulesError(f"{path}[{i}].code: duplicate code {item.code!r}")
        seen.add(item.code)
    return tuple(items)


def _required_codes(items, expected: tuple[str, ...], path: str) -> None:
    missing = [code for code in expected if code not in {item.code for item in items}]
    if missing:
        raise RulesError(f"{path}: missing code(s) {', '.join(missing)}")


def parse_rules(data: dict) -> Rules:
    """Build Rules from a parsed rules file; raise RulesError naming the bad field."""
    r = _Reader(data, "")
    time_zone = r.text("time_zone")
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise RulesError(f"time_zone: unknown time zone {time_zone!r}") from None

    w = r.table("weights")
    weights = Weights(w.number("superior"), w.number("office"), w.number("satisfaction"))
    if weights.superior + weights.office + weights.satisfaction != 1:
        raise RulesError("weights: superior + office + satisfaction must add up to 1")

    s = r.table("satisfaction")
    answers = s.texts("answers")
    satisfied = s.texts("counted_as_satisfied")
    for answer in satisfied:
        if answer not in answers:
            raise RulesError(f"satisfaction.counted_as_satisfied: {answer!r} is not one of the answers")

    communities = _unique(
        [Community(c.text("code"), c.text("name")) for c in r.tables("communities")], "communities"
    )
    categories = []
    for c in r.tables("categories"):
        group = c.text("group")
        if group not in CATEGORY_GROUPS:
            raise RulesError(f"{c.path}.group: expected one of {'/'.join(CATEGORY_GROUPS)}, got {group!r}")
        categories.append(Category(c.text("code"), group, c.text("name"), c.text("description")))
    sources = [
        Source(
            code=c.text("code"),
            name=c.text("name"),
            base=c.number("base"),
            further=c.number("further"),
            requires_verification=c.flag("requires_verification"),
            exemptible=c.flag("exemptible"),
            default_rectification_days=c.integer("default_rectification_days", minimum=1),
        )
        for c in r.tables("sources")
    ]
    _required_codes(sources, SOURCE_CODES, "sources")
    bonuses = [Bonus(c.text("code"), c.text("name"), c.number("points")) for c in r.tables("bonuses")]
    _required_codes(bonuses, BONUS_CODES, "bonuses")
    fund = r.table("fund")
    roles = [FundRole(c.text("code"), c.text("name"), c.number("deposit")) for c in fund.tables("roles")]

    return Rules(
        year=r.integer("year", minimum=2000),
        title=r.text("title"),
        time_zone=time_zone,
        recurrence_radius_m=float(r.number("recurrence_radius_m")),
        recurrence_deduction=r.number("recurrence_deduction"),
        due_soon_days=r.integer("due_soon_days"),
        gps_warn_accuracy_m=float(r.number("gps_warn_accuracy_m")),
        weights=weights,
        survey_answers=answers,
        satisfied_answers=frozenset(satisfied),
        communities=communities,
        categories=_unique(categories, "categories"),
        sources=_unique(sources, "sources"),
        bonuses=_unique(bonuses, "bonuses"),
        fund_roles=_unique(roles, "fund.roles"),
        fund_match_ratio=fund.number("office_match_ratio"),
        recheck_overdue_days=r.integer("recheck_overdue_days", minimum=1) if "recheck_overdue_days" in r.data else 2,
        photo_max_age_days=r.integer("photo_max_age_days", minimum=1) if "photo_max_age_days" in r.data else 3,
        area=_area(r.table("area")) if "area" in r.data else None,
    )


def _area(a: _Reader) -> Area:
    """[area]: centre = [lat, lon] and radius_m (> 0)."""
    centre = a.raw("centre")
    if (not isinstance(centre, list) or len(centre) != 2
            or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in centre)):
        raise RulesError(f"{a._where('centre')}: expected [latitude, longitude], got {centre!r}")
    lat, lon = float(centre[0]), float(centre[1])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise RulesError(f"{a._where('centre')}: {centre!r} is not a position on Earth")
    radius = float(a.number("radius_m"))
    if radius <= 0:
        raise RulesError(f"{a._where('radius_m')}: expected a number > 0, got {radius:g}")
    return Area(lat, lon, radius)
