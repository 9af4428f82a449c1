"""Nearby earlier cases: a duplicate sighting or a recurrence after rectification (pure).

FixMyStreet shows nearby reports of the same category before a new one is
filed; the plan also needs to tell a *recurrence* (the problem came back after
it was rectified: −2) from a mere *duplicate* (the open case seen again).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from fieldapp.domain.geo import Position, distance_m
from fieldapp.domain.projection import OPEN, RECTIFIED

DUPLICATE = "duplicate"  # the earlier case is still open: same problem seen again
RECURRENCE = "recurrence"  # the earlier case was rectified: the problem came back


@dataclass(frozen=True)
class Candidate:
    """What the finder needs to know of an earlier case."""

    case_id: str
    community: str
    category: str
    position: Position | None
    lifecycle: str


@dataclass(frozen=True)
class NearbyCase:
    case_id: str
    distance_m: float
    kind: str


def nearby_cases(
    community: str,
    category: str,
    position: Position,
    earlier: Iterable[Candidate],
    radius_m: float,
    exclude: str | None = None,
) -> list[NearbyCase]:
    """Earlier cases of the same community and category within radius_m, nearest first.

    Voided cases and cases without a position never match.
    """
    found = []
    for c in earlier:
        if c.case_id == exclude or c.position is None:
            continue
        if c.community != community or c.category != category or c.lifecycle not in (OPEN, RECTIFIED):
            continue
        d = distance_m(position, c.position)
        if d <= radius_m:
            found.append(NearbyCase(c.case_id, d, DUPLICATE if c.lifecycle == OPEN else RECURRENCE))
    return sorted(found, key=lambda n: (n.distance_m, n.case_id))


# --- what may be confirmed as a recurrence -------------------------------------------------------

# Why a link is not a recurrence (assessment-rules.md: "a new case linked to an earlier case of the
# same community and the same problem category, after the earlier one was rectified"). The codes are
# CommandError codes (fieldapp/text/common.py ERRORS words them) and scoring's note detail.
OTHER_COMMUNITY = "recurrence_other_community"
OTHER_CATEGORY = "recurrence_other_category"
NOT_EARLIER = "recurrence_not_earlier"
NOT_RECTIFIED = "recurrence_not_rectified"
LINK_FAULTS = (OTHER_COMMUNITY, OTHER_CATEGORY, NOT_EARLIER, NOT_RECTIFIED)


def link_fault(
    new_community: str,
    new_category: str,
    new_found,
    earlier_community: str,
    earlier_category: str,
    earlier_found,
    earlier_rectified: bool | None = None,
) -> str | None:
    """Why the later case cannot be a recurrence of the earlier one, or None if it can.

    The earlier case must be of the same community and category, found before the new one
    (aware datetimes), and — for a confirmation (`earlier_rectified` given) — rectified: a
    problem seen again while its case is still open is the same problem, not a recurrence.
    A proposal (`earlier_rectified` None) is not held to the last rule: the phone proposes from
    what it knew, and the office decides.
    """
    if new_community != earlier_community:
        return OTHER_COMMUNITY
    if new_category != earlier_category:
        return OTHER_CATEGORY
    if new_found is not None and earlier_found is not None and not earlier_found < new_found:
        return NOT_EARLIER
    if earlier_rectified is False:
        return NOT_RECTIFIED
    return None


def state_link_fault(new, earlier, *, confirming: bool) -> str | None:
    """`link_fault` for two CaseStates (fieldapp.domain.projection)."""
    return link_fault(new.community, new.category, new.found_at, earlier.community, earlier.category,
                      earlier.found_at, (earlier.lifecycle == RECTIFIED) if confirming else None)  # fmt: skip
