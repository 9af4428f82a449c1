"""Evidence marks: what makes a record less than trustworthy evidence (pure).

明察暗访 is evidence: a case found on patrol should carry a position taken there and then
and a photo taken there and then. These functions say, from the facts a phone has when it
saves (its GPS fix, the photos' EXIF, the clock, the rules), which marks a record gets. The
phone shows the marks as a warning before saving and writes them into the record
(`CaseRegistered.marks`, `CaseRechecked.marks`, `RectificationReported.marks`); the office
reads them from there, so both show the same marks (docs/projection.md, "Evidence marks").

Marks (codes; the words are in fieldapp/text/common.py EVIDENCE_MARKS):

- ``photo_position``  — no GPS fix: the position is the photo's EXIF one (an album photo's
  position may be anywhere, any time);
- ``photo_old``       — a photo's EXIF time is more than `rules.photo_max_age_days` before the save;
- ``outside_area``    — the position is outside the sub-district's area: outside every community's
  boundary where the boundaries are known (fieldapp/maps/boundaries.py decides, the caller passes
  `outside_boundaries`), else outside the `rules.area` circle;
- ``mocked_position`` — the phone's location service said the fix was mocked (a fake-GPS app);
- ``after_like_before`` — an after photo is nearly the same picture as a before photo
  (perceptual hash distance at most `NEAR_DUPLICATE_BITS`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo

from fieldapp.domain.geo import Position, distance_m
from fieldapp.domain.rules import Area, Rules

PHOTO_POSITION = "photo_position"
PHOTO_OLD = "photo_old"
OUTSIDE_AREA = "outside_area"
MOCKED_POSITION = "mocked_position"
AFTER_LIKE_BEFORE = "after_like_before"

#: the order marks are listed and shown in
MARKS = (MOCKED_POSITION, PHOTO_POSITION, OUTSIDE_AREA, PHOTO_OLD, AFTER_LIKE_BEFORE)

#: two 64-bit perceptual hashes this close (differing bits) are "nearly the same picture"
NEAR_DUPLICATE_BITS = 8


def taken_time(taken_at: str | None, tz: ZoneInfo) -> datetime | None:
    """A photo's EXIF time (ISO text, maybe without offset: then local time in `tz`), or None."""
    if not taken_at:
        return None
    try:
        moment = datetime.fromisoformat(taken_at)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=tz)


def photo_too_old(taken_at: str | None, now: datetime, rules: Rules) -> bool:
    """Whether a photo taken at `taken_at` is older than the rules allow at `now` (unknown: no)."""
    taken = taken_time(taken_at, rules.tz)
    return taken is not None and now - taken > timedelta(days=rules.photo_max_age_days)


def outside(position: Position | None, area: Area | None) -> bool:
    """Whether `position` lies outside `area` (no position or no area: no)."""
    if position is None or area is None:
        return False
    return distance_m(position, Position(area.lat, area.lon)) > area.radius_m


def registration_marks(
    rules: Rules,
    now: datetime,
    *,
    position: Position | None,
    position_from_photo: bool,
    mocked: bool = False,
    photo_times: Iterable[str | None] = (),
    outside_boundaries: bool | None = None,
) -> tuple[str, ...]:
    """The marks of a new case: `position` is the one it will be saved with (the fix, or the
    first photo's when `position_from_photo`); `mocked` as the fix reported it; `photo_times`
    the EXIF times of its photos; `outside_boundaries`: whether the position lies outside every
    community's boundary (None: no boundaries known, the rules' area circle decides)."""
    marks = set()
    if mocked and not position_from_photo and position is not None:
        marks.add(MOCKED_POSITION)
    if position_from_photo and position is not None:
        marks.add(PHOTO_POSITION)
    if position is not None and (outside_boundaries if outside_boundaries is not None
                                 else outside(position, rules.area)):
        marks.add(OUTSIDE_AREA)
    if any(photo_too_old(t, now, rules) for t in photo_times):
        marks.add(PHOTO_OLD)
    return ordered(marks)


def hash_distance(a: str, b: str) -> int:
    """Differing bits of two perceptual hashes given as hex text of equal length."""
    if len(a) != len(b):
        raise ValueError("hashes of different sizes")
    return bin(int(a, 16) ^ int(b, 16)).count("1")


def nearly_same(after_hash: str | None, before_hashes: Sequence[str]) -> bool:
    """Whether an after photo's perceptual hash is within NEAR_DUPLICATE_BITS of a before photo's."""
    if not after_hash:
        return False
    return any(len(h) == len(after_hash) and hash_distance(after_hash, h) <= NEAR_DUPLICATE_BITS
               for h in before_hashes if h)


def ordered(marks: Iterable[str]) -> tuple[str, ...]:
    """Marks without repeats in display order (codes this version does not know go last)."""
    unique = set(marks)
    return tuple(m for m in MARKS if m in unique) + tuple(sorted(unique - set(MARKS)))
