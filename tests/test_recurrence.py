"""Nearby earlier cases: open ones are duplicates, rectified ones possible recurrences."""

from fieldapp.domain.geo import Position, bounding_box, distance_m
from fieldapp.domain.recurrence import DUPLICATE, RECURRENCE, Candidate, nearby_cases

HERE = Position(34.7466, 113.6253)


def offset(metres_north: float, metres_east: float = 0.0) -> Position:
    return Position(HERE.lat + metres_north / 111_000, HERE.lon + metres_east / 91_300)


def cand(case_id, pos, lifecycle="rectified", community="C1", category="Z1"):
    return Candidate(case_id, community, category, pos, lifecycle)


def test_nearest_first_and_kinds_told_apart():
    found = nearby_cases(
        "C1",
        "Z1",
        HERE,
        [
            cand("far", offset(29)),
            cand("near", offset(5), lifecycle="open"),
            cand("outside", offset(45)),
            cand("other-category", offset(1), category="Z2"),
            cand("other-community", offset(1), community="C2"),
            cand("voided", offset(1), lifecycle="voided"),
            cand("no-position", None),
        ],
        radius_m=30,
    )
    assert [(n.case_id, n.kind) for n in found] == [("near", DUPLICATE), ("far", RECURRENCE)]
    assert 4 < found[0].distance_m < 6 and 28 < found[1].distance_m < 30


def test_the_new_case_itself_is_excluded():
    assert nearby_cases("C1", "Z1", HERE, [cand("self", HERE)], 30, exclude="self") == []


def test_bounding_box_contains_the_circle():
    box = bounding_box(HERE, 30)
    for north, east in ((30, 0), (-30, 0), (0, 30), (0, -30), (21, 21)):
        p = offset(north, east)
        assert distance_m(HERE, p) <= 30.5
        assert box[0] <= p.lat <= box[1] and box[2] <= p.lon <= box[3]
