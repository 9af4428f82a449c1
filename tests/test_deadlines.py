"""Deadlines are local dates in Asia/Shanghai and end at the end of that day."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from fieldapp.domain import deadlines as dl

SH = ZoneInfo("Asia/Shanghai")
UTC = timezone.utc


def test_work_done_late_evening_local_is_on_time_even_if_utc_is_still_that_day():
    deadline = date(2022, 6, 10)
    # 23:59 local on the 10th is 15:59 UTC on the 10th: on time.
    assert dl.is_on_time(datetime(2022, 6, 10, 15, 59, tzinfo=UTC), deadline, SH)
    # 00:00 local on the 11th is 16:00 UTC on the 10th: late, although the UTC date is the 10th.
    assert not dl.is_on_time(datetime(2022, 6, 10, 16, 0, tzinfo=UTC), deadline, SH)


@pytest.mark.parametrize(
    "now_utc, expected, left",
    [
        (datetime(2022, 6, 5, 2, tzinfo=UTC), dl.LATER, 5),
        (datetime(2022, 6, 7, 2, tzinfo=UTC), dl.DUE_SOON, 3),
        (datetime(2022, 6, 9, 15, 59, tzinfo=UTC), dl.DUE_SOON, 1),  # 23:59 local on the 9th
        (datetime(2022, 6, 9, 16, 0, tzinfo=UTC), dl.DUE_TODAY, 0),  # 00:00 local on the 10th
        (datetime(2022, 6, 10, 15, 59, tzinfo=UTC), dl.DUE_TODAY, 0),
        (datetime(2022, 6, 10, 16, 0, tzinfo=UTC), dl.OVERDUE, -1),
        (datetime(2022, 6, 20, 2, tzinfo=UTC), dl.OVERDUE, -10),
    ],
)
def test_urgency_follows_the_local_calendar(now_utc, expected, left):
    assert dl.urgency(date(2022, 6, 10), now_utc, SH, 3) == expected
    assert dl.days_left(date(2022, 6, 10), now_utc, SH) == left


def test_naive_clock_is_refused():
    with pytest.raises(ValueError):
        dl.local_today(datetime(2022, 6, 1), SH)


def test_default_deadline_counts_from_the_local_day_found():
    # Found at 01:00 local on 2 June (17:00 UTC on 1 June): 3 days → 5 June.
    found = datetime(2022, 6, 1, 17, 0, tzinfo=UTC)
    assert dl.default_deadline(found, SH, 3) == date(2022, 6, 5)
