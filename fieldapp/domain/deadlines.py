"""Rectification deadlines in local time (pure; the clock is always passed in).

A deadline (整改期限) is a local calendar date in the plan's time zone and ends
at the end of that day: work accepted at 23:59 local on the day is on time,
whatever the UTC date is then.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

OVERDUE = "overdue"
DUE_TODAY = "due_today"
DUE_SOON = "due_soon"
LATER = "later"


def local_today(now: datetime, tz: ZoneInfo) -> date:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(tz).date()


def deadline_end(deadline: date, tz: ZoneInfo) -> datetime:
    """The first instant after the deadline day (exclusive end), as an aware time."""
    return datetime.combine(deadline + timedelta(days=1), time.min, tzinfo=tz)


def is_on_time(done_at: datetime, deadline: date, tz: ZoneInfo) -> bool:
    return done_at < deadline_end(deadline, tz)


def has_passed(deadline: date, now: datetime, tz: ZoneInfo) -> bool:
    return now >= deadline_end(deadline, tz)


def days_left(deadline: date, now: datetime, tz: ZoneInfo) -> int:
    """Whole local days until the deadline day: 0 on the day, −N when N days overdue."""
    return (deadline - local_today(now, tz)).days


def urgency(deadline: date, now: datetime, tz: ZoneInfo, due_soon_days: int = 3) -> str:
    left = days_left(deadline, now, tz)
    if left < 0:
        return OVERDUE
    if left == 0:
        return DUE_TODAY
    if left <= due_soon_days:
        return DUE_SOON
    return LATER


def default_deadline(found_at: datetime, tz: ZoneInfo, rectification_days: int) -> date:
    return local_today(found_at, tz) + timedelta(days=rectification_days)
