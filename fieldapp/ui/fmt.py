"""Display formats for dates and times (China Standard Time, zh-CN words)."""

from __future__ import annotations

from datetime import date

from fieldapp.ui import strings


def date_short(d: date) -> str:
    """``6月1日 周三``."""
    return f"{strings.DATE_FMT.format(month=d.month, day=d.day)} {strings.WEEKDAYS[d.weekday()]}"


def date_full(d: date) -> str:
    """``2022年6月1日``."""
    return strings.DATE_FULL_FMT.format(year=d.year, month=d.month, day=d.day)
