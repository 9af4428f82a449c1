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
