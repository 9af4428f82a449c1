"""Display formats (China Standard Time, zh-CN words) and error messages.

Pure functions, no Flet: unit-tested without a browser.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Optional

from fieldapp.domain.geo import Position
from fieldapp.text import common as strings
from fieldapp.text.theme import Palette


def date_auto(d: date, today: Optional[date]) -> str:
    """``6月4日`` in the current year (`today`'s), ``2022年6月4日`` in any other: a date shows
    its year whenever it is not the current one (without `today`: never)."""
    if today is not None and d.year != today.year:
        return date_full(d)
    return strings.DATE_FMT.format(month=d.month, day=d.day)


def date_short(d: date, today: Optional[date] = None) -> str:
    """``6月1日 周三`` (``2022年6月1日 周三`` when `today` is in another year)."""
    return f"{date_auto(d, today)} {strings.WEEKDAYS[d.weekday()]}"


def date_full(d: date) -> str:
    """``2022年6月1日``."""
    return strings.DATE_FULL_FMT.format(year=d.year, month=d.month, day=d.day)


def time_short(t: datetime, tz: tzinfo, today: Optional[date] = None) -> str:
    """``6月1日 09:05`` in local time (``2022年6月1日 09:05`` when `today` is in another year)."""
    local = t.astimezone(tz)
    return f"{date_auto(local.date(), today)} {local:%H:%M}"


# --- deadlines and statuses -----------------------------------------------------------

#: status (fieldapp.domain.projection.STATUSES) -> (label, colour)
STATUS_LABELS = {
    "overdue": (strings.STATUS_OVERDUE, Palette.OVERDUE),
    "due_today": (strings.DUE_TODAY, Palette.DUE_TODAY),
    "due_soon": (strings.STATUS_DUE_SOON, Palette.DUE_SOON),
    "open": (strings.STATUS_LATER, Palette.PRIMARY),
    "rectified_on_time": (strings.STATUS_RECTIFIED_ON_TIME, Palette.RECTIFIED),
    "rectified_late": (strings.STATUS_RECTIFIED_LATE, Palette.DUE_TODAY),
    "voided": (strings.STATUS_VOIDED, Palette.VOIDED),
    "closed": (strings.STATUS_CLOSED, Palette.RECTIFIED),  # the 已办结 filter
}
#: the open-case statuses, most urgent first (the filter chips of 我的案件)
OPEN_STATUSES = ("overdue", "due_today", "due_soon", "open")


def urgency_label(status: str, days_left: int, deadline: Optional[date] = None,
                  today: Optional[date] = None) -> tuple[str, str]:
    """What a case row shows on the right: ``逾期3天`` (red), ``今日到期``, ``剩2天``…
    A case overdue since an earlier year says that year (``2022年度·逾期``), not 1675 days.

    Closed cases show their status instead.
    """
    if status == "overdue" or (status in OPEN_STATUSES and days_left < 0):
        if deadline is not None and today is not None and deadline.year < today.year:
            return strings.OVERDUE_SINCE_YEAR.format(year=deadline.year), Palette.OVERDUE
        return strings.OVERDUE_BY_DAYS.format(n=-days_left), Palette.OVERDUE
    if status == "due_today" or (status in OPEN_STATUSES and days_left == 0):
        return strings.DUE_TODAY, Palette.DUE_TODAY
    if status in OPEN_STATUSES:
        colour = Palette.DUE_SOON if status == "due_soon" else Palette.ON_SURFACE_VARIANT
        return strings.DUE_IN_DAYS.format(n=days_left), colour
    return status_label(status)


def status_label(status: str) -> tuple[str, str]:
    return STATUS_LABELS.get(status, (status, Palette.ON_SURFACE))


# --- places ---------------------------------------------------------------------------

def distance(metres: float) -> str:
    """``12 米``, ``1.5 公里``."""
    if metres < 1000:
        return strings.DISTANCE_M.format(n=round(metres))
    return strings.DISTANCE_KM.format(n=metres / 1000)


def position(p: Position) -> str:
    """``北纬 34.26550，东经 108.95420`` (plain signed degrees outside the N/E quadrant)."""
    if p.lat >= 0 and p.lon >= 0:
        return strings.POSITION_FMT.format(lat=p.lat, lon=p.lon)
    return strings.POSITION_FMT_ANY.format(lat=p.lat, lon=p.lon)


def accuracy_text(accuracy_m: Optional[float], warn_above_m: float) -> tuple[str, bool]:
    """(text, is_warning) for a GPS fix's accuracy."""
    return _accuracy_said(accuracy_m, warn_above_m,
                          (strings.LOCATION_OK_UNKNOWN, strings.LOCATION_POOR, strings.LOCATION_OK))


def photo_position_text(p: Position, warn_above_m: float) -> tuple[str, bool]:
    """(text, is_warning) for the photo's EXIF position used when there is no GPS fix;
    its accuracy (GPSHPositioningError) is said, or that it is unknown."""
    return _accuracy_said(p.accuracy_m, warn_above_m, (strings.LOCATION_FROM_PHOTO_UNKNOWN,
                          strings.LOCATION_FROM_PHOTO_POOR, strings.LOCATION_FROM_PHOTO), pos=position(p))


def _accuracy_said(accuracy_m: Optional[float], warn_above_m: float, texts: tuple[str, str, str],
                   **fields: str) -> tuple[str, bool]:
    """One of `texts` (unknown, poor, fine) filled with {m} and `fields`; poor is a warning."""
    unknown, poor, fine = texts
    if accuracy_m is None or accuracy_m <= 0:
        return unknown.format(**fields), False
    m = round(accuracy_m)
    if accuracy_m > warn_above_m:
        return poor.format(m=m, **fields), True
    return fine.format(m=m, **fields), False


# --- errors ---------------------------------------------------------------------------

def error_message(exc: BaseException) -> str:
    """A Chinese sentence saying what happened and what to do, for any failure."""
    from fieldapp.domain.commands import CommandError
    from fieldapp.domain.validate import EventError
    from fieldapp.photos import PhotoRejected

    if isinstance(exc, PhotoRejected):
        return strings.PHOTO_ERRORS.get(exc.code, strings.PHOTO_ERRORS["not_an_image"])
    if isinstance(exc, CommandError):
        known = strings.ERRORS.get(exc.code)
        return known or strings.ERROR_UNKNOWN.format(detail=exc.code)
    if isinstance(exc, EventError):
        return strings.ERRORS["invalid"]
    if isinstance(exc, OSError):
        return strings.ERROR_STORAGE.format(detail=exc.strerror or type(exc).__name__)
    return strings.ERROR_UNKNOWN.format(detail=type(exc).__name__)


# --- the timeline of a case -------------------------------------------------------------

def history_text(entry_type: str, detail: dict, category_name, tz: tzinfo, today: Optional[date] = None) -> str:
    """One line of 处理记录 for a HistoryEntry (type + payload)."""
    if entry_type == "case.registered":
        text = strings.EV_REGISTERED.format(
            category=category_name(detail.get("category", "")),
            deadline=_date_text(detail.get("deadline"), today))
    elif entry_type == "photo.added":
        text = {"after": strings.EV_PHOTO_AFTER, "exemption": strings.EV_PHOTO_EXEMPTION}.get(
            detail.get("stage"), strings.EV_PHOTO_BEFORE)
    elif entry_type == "case.reported":
        text = strings.EV_REPORTED
    elif entry_type == "case.exemption_requested":
        text = strings.EV_EXEMPTION_REQUESTED.format(reason=detail.get("reason", ""))
    elif entry_type == "case.exemption_refused":
        text = strings.EV_EXEMPTION_REFUSED.format(reason=detail.get("reason", ""))
    elif entry_type == "case.sighted":
        text = strings.EV_SIGHTED
    elif entry_type == "case.rechecked":
        text = strings.EV_RECHECK_OK if detail.get("outcome") == "rectified" else strings.EV_RECHECK_SHORT
    elif entry_type == "case.deadline_changed":
        text = strings.EV_DEADLINE.format(deadline=_date_text(detail.get("deadline"), today),
                                          reason=detail.get("reason", ""))
    elif entry_type == "case.verified":
        text = strings.EV_VERIFIED
    elif entry_type == "case.exempted":
        text = strings.EV_EXEMPTED.format(reason=detail.get("reason", ""))
    elif entry_type == "case.voided":
        return strings.EV_VOIDED.format(reason=detail.get("reason", ""))
    elif entry_type == "recurrence.proposed":
        text = strings.EV_RECURRENCE_PROPOSED
    elif entry_type == "recurrence.confirmed":
        text = strings.EV_RECURRENCE_CONFIRMED
    elif entry_type == "recurrence.rejected":
        text = strings.EV_RECURRENCE_REJECTED
    else:
        text = strings.EV_OTHER
    note = (detail.get("note") or "").strip()
    if note and entry_type in ("case.rechecked", "case.sighted", "case.verified", "case.reported"):
        text = text + strings.PARENS.format(text=strings.EV_NOTE.format(note=note))
    return text


def _date_text(value, today: Optional[date] = None) -> str:
    if isinstance(value, date):
        return date_short(value, today)
    try:
        return date_short(date.fromisoformat(str(value)), today)
    except ValueError:
        return str(value or "")


# --- the outbox file (sync/outbox.py) ------------------------------------------------------


def outbox_imported_lines(result, file_name: str) -> list[str]:
    """What the office is told after importing a phone's outbox file (sync.outbox.Imported)."""
    lines = [strings.OUTBOX_IMPORTED.format(file=file_name, inspector=result.inspector, events=result.events,
                                            accepted=result.accepted, duplicate=result.duplicate,
                                            photos=result.photos_stored)]  # fmt: skip
    if result.rejected:
        reasons = dict.fromkeys(strings.SYNC_REJECTIONS.get(r["reason"], r["reason"]) for r in result.rejected)
        lines.append(strings.OUTBOX_REJECTED.format(n=len(result.rejected), reasons=strings.LIST_SEPARATOR.join(reasons)))
    if result.missing_blob:
        lines.append(strings.OUTBOX_WAITING.format(n=len(result.missing_blob)))
    if result.conflict:
        lines.append(strings.OUTBOX_CONFLICTS.format(n=result.conflict))
    return lines


def outbox_error(code: str) -> str:
    return strings.OUTBOX_ERRORS.get(code) or strings.OUTBOX_ERRORS["damaged"]
