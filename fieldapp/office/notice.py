"""督办通知单: what the office sends a community about its overdue and nearly due cases.

`gather(store, rules, community, now)` collects, for one community, the open cases that
are overdue or due within ``rules.due_soon_days`` (overdue first, oldest deadline first),
leaving out those the office has exempted (免于扣分: they cannot be rectified). Each
line carries what the paper says — category and source by their names in the rules,
place, note, deadline, days left or overdue, the first before photo (its sha256, read
from the office's photo folder when printed), why the latest re-check fell short, and
whether the community has reported it rectified or asked for exemption — and nothing
the paper must not show (ids, file paths, rule letters).

The files: notice_pdf.py (`notice_pdf`) and notice_xlsx.py (`notice_xlsx`); the command
``fieldapp office notice`` (fieldapp/commands/office_notice.py); the dashboard's 督办
screen downloads both (dashboard/routes.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from fieldapp.domain import deadlines
from fieldapp.domain.projection import (
    EXEMPTION_REFUSED,
    EXEMPTION_REQUESTED,
    STATUS_DUE_SOON,
    STATUS_DUE_TODAY,
    STATUS_OVERDUE,
)
from fieldapp.domain.rules import Rules
from fieldapp.office.letterhead import office_name
from fieldapp.office import words as strings

URGENT = (STATUS_OVERDUE, STATUS_DUE_TODAY, STATUS_DUE_SOON)
MAX_LINES = 10_000


@dataclass(frozen=True)
class NoticeItem:
    category: str  # the category's name
    source: str  # the source's name
    place: str
    note: str
    deadline: date
    days_left: int  # 0 on the deadline day, −N when N days overdue
    thumb: str | None  # sha256 of the first before photo
    failed_check: str | None  # the latest re-check fell short: its note ("" if it gave none); else None
    reported_on: date | None  # the community reported it rectified on this day; the re-check is due
    exemption: str  # "" / requested / refused (a granted one is not on the notice)

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def time_left(self) -> str:
        """逾期N天 / 今日到期 / 剩N天."""
        return time_left(self.days_left)

    @property
    def progress(self) -> str:
        """What has happened to it since it was handed over, in one line ("" if nothing)."""
        return progress(self.reported_on, self.failed_check, self.exemption)


@dataclass(frozen=True)
class Notice:
    office: str
    community: str  # its name
    day: date  # the office's local date
    due_soon_days: int
    items: tuple[NoticeItem, ...]

    @property
    def overdue(self) -> int:
        return sum(1 for i in self.items if i.overdue)

    @property
    def due(self) -> int:
        return len(self.items) - self.overdue

    @property
    def summary(self) -> str:
        if not self.items:
            return strings.NOTICE_NOTHING.format(days=self.due_soon_days)
        return strings.NOTICE_SUMMARY.format(overdue=self.overdue, due=self.due, days=self.due_soon_days)

    @property
    def intro(self) -> str:
        return strings.NOTICE_INTRO.format(days=self.due_soon_days)

    @property
    def addressee(self) -> str:
        return strings.NOTICE_TO.format(community=self.community)


def time_left(days: int) -> str:
    if days < 0:
        return strings.OVERDUE_BY_DAYS.format(n=-days)
    if days == 0:
        return strings.DUE_TODAY
    return strings.DUE_IN_DAYS.format(n=days)


def progress(reported_on: date | None, failed_check: str | None, exemption: str, date_text=None) -> str:
    """复查未通过：reason / 社区已于6月1日反馈整改，待复查 / 已申请免责… ("" if none of them);
    `date_text` writes the date (the notice's short_date unless given: the dashboard's date_full)."""
    parts = []
    if reported_on is not None:
        parts.append(strings.NOTICE_REPORTED.format(date=(date_text or short_date)(reported_on)))
    elif failed_check is not None:
        parts.append(strings.NOTICE_CHECK_FAILED.format(reason=failed_check)
                     if failed_check else strings.NOTICE_CHECK_FAILED_PLAIN)  # fmt: skip
    if exemption == EXEMPTION_REQUESTED:
        parts.append(strings.NOTICE_EXEMPTION_REQUESTED)
    elif exemption == EXEMPTION_REFUSED:
        parts.append(strings.NOTICE_EXEMPTION_REFUSED)
    return strings.SEPARATOR.join(parts)


def short_date(day: date) -> str:
    return strings.DATE_FMT.format(month=day.month, day=day.day)


def full_date(day: date) -> str:
    return strings.DATE_FULL_FMT.format(year=day.year, month=day.month, day=day.day)


def _name(items, code: str) -> str:
    return next((item.name for item in items if item.code == code), code)


def gather(store, rules: Rules, community: str, now: datetime) -> Notice:
    """The notice for `community` as of `now` (KeyError for a community the rules do not have)."""
    name = rules.community(community).name
    tz = rules.tz
    items = []
    for row in store.open_cases(now, community=community, limit=MAX_LINES):
        if row.status not in URGENT:
            continue
        state = store.case(row.case_id)
        if state is None or state.exempted:
            continue
        failed = state.last_failed_check
        items.append(NoticeItem(
            category=_name(rules.categories, state.category),
            source=_name(rules.sources, state.source),
            place=state.place,
            note=state.note,
            deadline=state.deadline,
            days_left=deadlines.days_left(state.deadline, now, tz),
            thumb=state.before_photos[0] if state.before_photos else None,
            failed_check=failed.note.strip() if failed is not None else None,
            reported_on=state.awaiting_since.astimezone(tz).date() if state.awaiting_since else None,
            exemption=state.exemption_request if state.exemption_request in (EXEMPTION_REQUESTED, EXEMPTION_REFUSED)
            else "",
        ))  # fmt: skip
    return Notice(office_name(rules), name, deadlines.local_today(now, tz), rules.due_soon_days, tuple(items))


def file_name(notice: Notice, extension: str) -> str:
    """``督办通知单-第一社区-2022-06-01.pdf``."""
    return strings.NOTICE_FILE.format(community=notice.community, day=notice.day.isoformat(), ext=extension)
