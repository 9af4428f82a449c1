"""The assessment plan's arithmetic: every rule, its edges, and the live (incremental) board."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldapp.domain import scoring
from fieldapp.domain.scoring import (
    Scoreboard,
    end_of_day,
    evaluation_instant,
    score_year,
    score_year_from_projections,
)
from tests.scoring_helpers import SH, Log, local, worked_example

YEAR_END = datetime(2023, 1, 1, tzinfo=SH)  # evaluated on 2022-12-31


def D(text) -> Decimal:
    return Decimal(str(text))


def score(rules, log, at=YEAR_END):
    return score_year(rules, log.events, at)


def lines(community_score):
    return [(i.rule, i.points) for i in community_score.deductions]


def notes(community_score, code=None):
    return [n for n in community_score.notes if code is None or n.code == code]


def board_one_by_one(rules, events, at):
    board = Scoreboard(rules, at)
    for event in events:
        board.apply(event)
    return board


# --- the worked example of assessment-rules.md ----------------------------------------


def test_worked_example_gives_exactly_84_9(rules):
    log, ids = worked_example()
    result = score(rules, log)
    c1 = result.community("C1")
    assert c1.superior.value == 90 and c1.superior.count == 12 and c1.superior.missing == ()
    assert c1.office.value == 85 and c1.office.count == 3
    assert c1.satisfaction.value == 90 and c1.satisfaction.count == 200 and c1.satisfaction.satisfied == 180
    assert c1.composite == D("89.0")
    assert lines(c1) == [
        ("A.base", D(-2)),
        ("B.base", D(-1)),
        ("B.further", D(-1)),
        ("D.further", D("-0.1")),
        ("recurrence", D(-2)),
    ]
    assert [(b.rule, b.points) for b in c1.bonuses] == [("M3", D(1)), ("P3", D(1))]
    assert c1.deduction_total == D("-6.1") and c1.bonus_total == D(2)
    assert c1.final == D("84.9")
    assert str(c1.final) == "84.90"
    assert c1.rank == 1 and not c1.tied


def test_worked_example_line_items_name_their_case_and_rule(rules):
    log, ids = worked_example()
    c1 = score(rules, log).community("C1")
    by_rule = {i.rule: i for i in c1.deductions}
    assert by_rule["A.base"].case_id == ids["A"] and by_rule["A.base"].reason == scoring.R_VERIFIED
    late = by_rule["B.further"]
    assert late.case_id == ids["B"] and late.reason == scoring.R_RECTIFIED_LATE
    assert late.deadline == date(2022, 6, 10) and late.rectified_at == local(2022, 6, 12)
    assert by_rule["D.further"].case_id == ids["D_overdue"] and by_rule["D.further"].reason == scoring.R_NOT_RECTIFIED
    rec = by_rule["recurrence"]
    assert rec.case_id == ids["recurrence"] and rec.earlier == (ids["earlier"],)
    confirmation = next(e for e in log.events if e.type == "recurrence.confirmed")
    assert rec.event_id == confirmation.id
    registration = next(e for e in log.events if e.type == "case.registered" and e.case_id == ids["A"])
    assert by_rule["A.base"].event_id == registration.id and by_rule["A.base"].on == date(2022, 3, 1)
    assert {b.event_id for b in c1.bonuses} == {ids["M3"], ids["P3"]}
    assert [(n.code, n.case_id, n.detail) for n in notes(c1, scoring.N_PENDING)] == [
        ("pending", ids["D_pending"], "2023-01-05")
    ]


def test_worked_example_same_by_every_path_and_in_any_order(rules):
    log, _ = worked_example()
    full = score(rules, log)
    assert score_year_from_projections(rules, log.events, YEAR_END) == full
    assert board_one_by_one(rules, log.events, YEAR_END).result() == full
    shuffled = list(log.events)
    random.Random(7).shuffle(shuffled)
    assert board_one_by_one(rules, shuffled + shuffled[:20], YEAR_END).result() == full


# --- deadlines ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("checked_at", "further"),
    [
        (datetime(2022, 6, 10, 15, 59, 59, 999999, tzinfo=timezone.utc), False),  # 23:59:59 in Shanghai
        (datetime(2022, 6, 10, 16, 0, tzinfo=timezone.utc), True),  # 00:00 on the 11th in Shanghai
        (datetime(2022, 6, 10, 23, 59, tzinfo=timezone(timedelta(hours=8))), False),
        (datetime(2022, 6, 11, 0, 0, tzinfo=timezone(timedelta(hours=8))), True),
    ],
)
def test_the_deadline_day_ends_at_local_midnight(rules, checked_at, further):
    log = Log()
    case = log.case(source="D", found=local(2022, 6, 7), deadline=date(2022, 6, 10))
    log.recheck(case, checked_at)
    c1 = score(rules, log).community("C1")
    assert lines(c1) == ([("D.further", D("-0.1"))] if further else [])
    if further:
        assert c1.deductions[0].reason == scoring.R_RECTIFIED_LATE


def test_a_passing_check_before_the_deadline_saves_a_case_that_fell_short(rules):
    log = Log()
    saved = log.case(source="C", found=local(2022, 5, 1), deadline=date(2022, 5, 4))
    log.recheck(saved, local(2022, 5, 2), passed=False)
    log.recheck(saved, local(2022, 5, 4, 18))
    short = log.case(source="C", found=local(2022, 5, 1), deadline=date(2022, 5, 4))
    log.recheck(short, local(2022, 5, 3), passed=False)
    c1 = score(rules, log).community("C1")
    assert [(i.case_id, i.rule, i.points, i.reason) for i in c1.deductions] == [
        (short, "C.further", D("-0.5"), scoring.R_NOT_RECTIFIED)
    ]


def test_further_deduction_applies_once_not_per_day(rules):
    log = Log()
    log.case(source="C", found=local(2022, 2, 1), deadline=date(2022, 2, 4))
    assert lines(score(rules, log).community("C1")) == [("C.further", D("-0.5"))]


def test_a_deadline_not_yet_passed_is_pending_then_deducts_when_it_passes(rules):
    log = Log()
    case = log.case(source="D", found=local(2022, 6, 1), deadline=date(2022, 6, 10))
    on_the_day = end_of_day(date(2022, 6, 9), rules)
    c1 = score(rules, log, on_the_day).community("C1")
    assert lines(c1) == [] and [n.case_id for n in notes(c1, scoring.N_PENDING)] == [case]
    still = score(rules, log, datetime(2022, 6, 10, 15, 59, tzinfo=timezone.utc)).community("C1")
    assert lines(still) == []
    board = Scoreboard(rules, on_the_day).load(log.events)
    board.advance_to(end_of_day(date(2022, 6, 10), rules))
    assert lines(board.result().community("C1")) == [("D.further", D("-0.1"))]
    assert board.result() == score(rules, log, end_of_day(date(2022, 6, 10), rules))


def test_a_check_recorded_after_the_evaluation_instant_is_not_known_then(rules):
    log = Log()
    case = log.case(source="D", found=local(2022, 6, 1), deadline=date(2022, 6, 10))
    log.recheck(case, local(2022, 6, 8))
    c1 = score(rules, log, end_of_day(date(2022, 6, 5), rules)).community("C1")
    assert lines(c1) == [] and len(notes(c1, scoring.N_PENDING)) == 1
    assert notes(score(rules, log).community("C1"), scoring.N_PENDING) == []


def test_a_deadline_change_moves_the_day_judged_and_the_latest_change_wins(rules):
    log = Log()
    moved = log.case(source="D", found=local(2022, 6, 1), deadline=date(2022, 6, 4))
    log.move_deadline(moved, date(2022, 6, 20))
    log.recheck(moved, local(2022, 6, 15))  # late for the first deadline, on time for the moved one
    twice = log.case(source="D", found=local(2022, 6, 1), deadline=date(2022, 6, 4))
    log.move_deadline(twice, date(2022, 6, 30))
    log.move_deadline(twice, date(2022, 6, 10))  # later by sort key: the one that counts
    log.recheck(twice, local(2022, 6, 15))
    c1 = score(rules, log).community("C1")
    assert [(i.case_id, i.rule, i.deadline) for i in c1.deductions] == [(twice, "D.further", date(2022, 6, 10))]


def test_the_deadline_change_that_counts_is_latest_by_sort_key_not_arrival(rules):
    log = Log()
    case = log.case(source="D", found=local(2022, 6, 1), deadline=date(2022, 6, 4))
    first = log.move_deadline(case, date(2022, 6, 30))
    second = log.move_deadline(case, date(2022, 6, 10))
    log.recheck(case, local(2022, 6, 15))
    reordered = [e for e in log.events if e not in (first, second)] + [second, first]
    assert board_one_by_one(rules, reordered, YEAR_END).result() == score(rules, log)


# --- sources, verification, exemption, voiding -------------------------------------------


def test_each_source_costs_what_the_plan_says(rules):
    log = Log()
    for source in "ABCDE":
        case = log.case(source=source, found=local(2022, 3, 1), deadline=date(2022, 3, 8))
        if source in "ABE":
            log.verify(case)
    c1 = score(rules, log).community("C1")
    assert sorted(lines(c1)) == sorted(
        [
            ("A.base", D(-2)),
            ("A.further", D(-2)),
            ("B.base", D(-1)),
            ("B.further", D(-1)),
            ("C.further", D("-0.5")),
            ("D.further", D("-0.1")),
            ("E.base", D("-0.1")),
        ]
    )
    assert c1.deduction_total == D("-6.7")


def test_tenths_add_up_exactly(rules):
    log = Log()
    for _ in range(30):
        log.case(source="D", found=local(2022, 3, 1), deadline=date(2022, 3, 4))
    c1 = score(rules, log).community("C1")
    assert c1.deduction_total == D("-3.0") and c1.final == D("-3.00")


def test_an_exempted_overdue_a_case_keeps_its_base_deduction_only(rules):
    log = Log()
    case = log.case(source="A", found=local(2022, 4, 1), deadline=date(2022, 4, 8))
    log.verify(case)
    log.exempt(case, "列入棚改范围,确因特殊情况无法整改")
    c1 = score(rules, log).community("C1")
    assert lines(c1) == [("A.base", D(-2))]
    assert [(n.case_id, n.detail) for n in notes(c1, scoring.N_EXEMPTED)] == [(case, "列入棚改范围,确因特殊情况无法整改")]


def test_an_exemption_of_a_source_that_is_not_exemptible_changes_nothing(rules):
    log = Log()
    case = log.case(source="C", found=local(2022, 4, 1), deadline=date(2022, 4, 4))
    log.exempt(case)  # the command refuses this; an event could still carry it
    c1 = score(rules, log).community("C1")
    assert lines(c1) == [("C.further", D("-0.5"))]
    assert [n.detail for n in notes(c1, scoring.N_EXEMPTION_IGNORED)] == ["C"]


def test_an_unverified_b_case_is_left_out_and_noted_until_verified(rules):
    log = Log()
    case = log.case(source="B", found=local(2022, 4, 1), deadline=date(2022, 4, 8))
    c1 = score(rules, log).community("C1")
    assert lines(c1) == [] and [(n.case_id, n.detail) for n in notes(c1, scoring.N_UNVERIFIED)] == [(case, "B")]
    board = Scoreboard(rules, YEAR_END).load(log.events)
    affected = board.apply(log.verify(case))
    assert affected == {"C1"}
    assert lines(board.result().community("C1")) == [("B.base", D(-1)), ("B.further", D(-1))]


def test_sources_without_verification_count_at_once(rules):
    log = Log()
    log.case(source="D", found=local(2022, 4, 1), deadline=date(2022, 4, 4))
    assert notes(score(rules, log).community("C1"), scoring.N_UNVERIFIED) == []


def test_a_voided_case_counts_for_nothing_even_after_a_late_check(rules):
    log = Log()
    case = log.case(source="A", found=local(2022, 4, 1), deadline=date(2022, 4, 8))
    log.verify(case)
    log.recheck(case, local(2022, 4, 20))
    log.void(case, "重复登记")
    c1 = score(rules, log).community("C1")
    assert lines(c1) == [] and c1.deduction_total == 0
    assert [(n.case_id, n.detail) for n in notes(c1, scoring.N_VOIDED)] == [(case, "重复登记")]


# --- the year a case belongs to ----------------------------------------------------------------


def test_a_case_belongs_to_the_local_year_it_was_registered_in(rules):
    log = Log()
    log.case(source="C", found=local(2021, 12, 28), deadline=date(2022, 1, 3))  # 2021's, overdue in 2022
    # 2021-12-31 16:30 UTC is 2022-01-01 00:30 in Shanghai: 2022's
    new_year = log.case(source="C", found=datetime(2021, 12, 31, 16, 30, tzinfo=timezone.utc), deadline=date(2022, 1, 3))
    # 2022-12-31 16:30 UTC is 2023-01-01 00:30 in Shanghai: 2023's
    log.case(source="C", found=datetime(2022, 12, 31, 16, 30, tzinfo=timezone.utc), deadline=date(2023, 1, 3))
    c1 = score(rules, log, end_of_day(date(2023, 3, 1), rules)).community("C1")
    assert [(i.case_id, i.rule) for i in c1.deductions] == [(new_year, "C.further")]


def test_a_case_registered_after_the_evaluation_instant_is_not_counted_yet(rules):
    log = Log()
    log.case(source="C", found=local(2022, 8, 1), deadline=date(2022, 8, 3))
    at = end_of_day(date(2022, 7, 1), rules)
    assert lines(score(rules, log, at).community("C1")) == []
    board = Scoreboard(rules, at).load(log.events)
    board.advance_to(YEAR_END)
    assert lines(board.result().community("C1")) == [("C.further", D("-0.5"))]


# --- recurrences ---------------------------------------------------------------------------------


def _rectified(log, community="C1", place="菜场北", when=local(2022, 3, 1)):
    case = log.case(community, "D", found=when, deadline=when.date() + timedelta(days=3), place=place)
    log.recheck(case, when + timedelta(days=1))
    return case


def test_two_recurrences_of_one_case_cost_two_each(rules):
    log = Log()
    earlier = _rectified(log)
    again = _rectified(log, when=local(2022, 5, 1))
    log.recurrence(again, earlier, "proposed")
    log.recurrence(again, earlier)
    third = _rectified(log, when=local(2022, 8, 1))
    log.recurrence(third, earlier)
    c1 = score(rules, log).community("C1")
    assert [(i.case_id, i.rule, i.points, i.earlier) for i in c1.deductions] == [
        (again, "recurrence", D(-2), (earlier,)),
        (third, "recurrence", D(-2), (earlier,)),
    ]


def test_a_recurrence_is_on_top_of_the_case_own_rules(rules):
    log = Log()
    earlier = _rectified(log)
    again = log.case(source="B", found=local(2022, 5, 1), deadline=date(2022, 5, 8))
    log.verify(again)
    log.recurrence(again, earlier)
    c1 = score(rules, log).community("C1")
    assert lines(c1) == [("B.base", D(-1)), ("B.further", D(-1)), ("recurrence", D(-2))]


def test_only_a_link_whose_latest_decision_is_confirmed_counts(rules):
    log = Log()
    earlier = _rectified(log)
    proposed = _rectified(log, when=local(2022, 4, 1))
    log.recurrence(proposed, earlier, "proposed")
    rejected = _rectified(log, when=local(2022, 5, 1))
    log.recurrence(rejected, earlier, "confirmed")
    log.recurrence(rejected, earlier, "rejected")
    reconfirmed = _rectified(log, when=local(2022, 6, 1))
    log.recurrence(reconfirmed, earlier, "rejected")
    log.recurrence(reconfirmed, earlier, "confirmed")
    log.recurrence(reconfirmed, earlier, "proposed")  # a late proposal never downgrades a decision
    c1 = score(rules, log).community("C1")
    assert [(i.case_id, i.rule) for i in c1.deductions] == [(reconfirmed, "recurrence")]


def test_one_case_confirmed_against_two_earlier_cases_is_one_recurrence(rules):
    log = Log()
    first, second = _rectified(log), _rectified(log, place="菜场南")
    again = _rectified(log, when=local(2022, 6, 1))
    log.recurrence(again, first)
    log.recurrence(again, second)
    c1 = score(rules, log).community("C1")
    assert [(i.rule, i.earlier) for i in c1.deductions] == [("recurrence", tuple(sorted((first, second))))]
    assert [n.case_id for n in notes(c1, scoring.N_RECURRENCE_LINKS)] == [again]


def test_a_recurrence_of_a_voided_case_does_not_count_and_the_board_follows_the_void(rules):
    log = Log()
    earlier = _rectified(log)
    again = _rectified(log, when=local(2022, 6, 1))
    log.recurrence(again, earlier)
    board = Scoreboard(rules, YEAR_END).load(log.events)
    assert lines(board.result().community("C1")) == [("recurrence", D(-2))]
    board.apply(log.void(earlier))
    c1 = board.result().community("C1")
    assert lines(c1) == [] and [n.detail for n in notes(c1, scoring.N_RECURRENCE_OF_VOIDED)] == [earlier]
    assert board.result() == score(rules, log)


def test_a_recurrence_of_a_case_from_an_earlier_year_counts(rules):
    log = Log()
    earlier = _rectified(log, when=local(2021, 11, 1))
    again = _rectified(log, when=local(2022, 2, 1))
    log.recurrence(again, earlier)
    assert lines(score(rules, log).community("C1")) == [("recurrence", D(-2))]


def test_an_unverified_case_is_left_out_with_its_recurrence(rules):
    log = Log()
    earlier = _rectified(log)
    again = log.case(source="A", found=local(2022, 6, 1), deadline=date(2022, 6, 8))
    log.recurrence(again, earlier)
    c1 = score(rules, log).community("C1")
    assert lines(c1) == [] and len(notes(c1, scoring.N_UNVERIFIED)) == 1


# --- components -------------------------------------------------------------------------------------


def test_a_year_with_months_missing_averages_the_months_present_and_says_so(rules):
    log = Log()
    log.superior_year("C1", [90, 92, None, 88, 90, 90, None, 91, 89, 90, None, 90])
    c1 = score(rules, log).community("C1")
    assert c1.superior.count == 9 and c1.superior.value == D(810) / 9
    assert c1.superior.missing == ("2022-03", "2022-07", "2022-11")
    assert [n.detail for n in notes(c1, scoring.N_MONTHS_MISSING)] == ["2022-03,2022-07,2022-11"]


def test_a_live_view_expects_only_the_months_so_far(rules):
    log = Log()
    log.superior_year("C1", [90] * 5 + [None] * 7)
    c1 = score(rules, log, end_of_day(date(2022, 5, 31), rules)).community("C1")
    assert c1.superior.missing == () and notes(c1, scoring.N_MONTHS_MISSING) == []


def test_a_month_typed_in_again_uses_the_latest_entry(rules):
    log = Log()
    log.superior("C1", "2022-03", 80)
    log.superior("C1", "2022-03", 91.5)
    c1 = score(rules, log).community("C1")
    assert c1.superior.value == D("91.5") and c1.superior.count == 1
    assert [n.detail for n in notes(c1, scoring.N_MONTH_REENTERED)] == ["2022-03×2"]


def test_a_component_without_data_counts_as_zero_and_is_flagged(rules):
    log = Log()
    log.superior_year("C1", [90] * 12)
    c1 = score(rules, log).community("C1")
    assert c1.office.value is None and c1.office.used == 0 and c1.satisfaction.value is None
    assert c1.composite == D("36.0")
    assert sorted(n.detail for n in notes(c1, scoring.N_NO_DATA)) == ["office", "satisfaction"]


def test_satisfaction_counts_answers_and_tallies_of_the_year_once_each(rules):
    log = Log()
    log.tally("C1", date(2022, 5, 1), {"满意": 3, "基本满意": 1, "不满意": 2})
    log.tally("C1", date(2021, 12, 31), {"满意": 50})  # last year's
    answer = log.answer("C1", "满意", local(2022, 6, 1))
    log.events.append(answer)  # the same event again
    log.answer("C1", "不满意", local(2022, 6, 2))
    log.answer("C1", "满意", datetime(2021, 12, 31, 15, 59, tzinfo=timezone.utc))  # 23:59 on 12-31: last year
    c1 = score(rules, log).community("C1")
    assert c1.satisfaction.count == 8 and c1.satisfaction.satisfied == 5
    assert c1.satisfaction.value == D(500) / 8


def test_office_assessments_average_and_records_after_the_evaluation_date_wait(rules):
    log = Log()
    log.office_assessment("C1", date(2022, 3, 1), 80)
    log.office_assessment("C1", date(2022, 9, 1), 91)
    c1 = score(rules, log, end_of_day(date(2022, 6, 30), rules)).community("C1")
    assert c1.office.value == 80 and c1.office.count == 1
    assert [n.detail for n in notes(c1, scoring.N_AFTER_EVALUATION)] == ["1"]
    assert score(rules, log).community("C1").office.value == D("85.5")


def test_bonuses_by_their_points_in_the_year(rules):
    log = Log()
    for code in ("M1", "M2", "M3", "P1", "P2", "P3", "M3"):
        log.bonus("C1", code, date(2022, 7, 1), "报道")
    log.bonus("C1", "M1", date(2021, 12, 31), "去年的")
    c1 = score(rules, log).community("C1")
    assert [b.rule for b in c1.bonuses] == ["M1", "M2", "M3", "M3", "P1", "P2", "P3"]
    assert c1.bonus_total == D(5 + 3 + 1 + 1 + 3 + 2 + 1)


def test_no_cap_and_no_floor(rules):
    log = Log()
    log.components("C1", superior=100, office=(100,), counts={"满意": 10})
    for _ in range(3):
        log.bonus("C1", "M1", date(2022, 7, 1), "央视报道")
    for _ in range(3):
        case = log.case("C2", "A", found=local(2022, 3, 1), deadline=date(2022, 3, 8))
        log.verify(case)
    result = score(rules, log)
    assert result.community("C1").final == D(115)
    assert result.community("C2").final == D(-12)


# --- ranking ------------------------------------------------------------------------------------------


def test_equal_scores_share_a_rank_1_2_2_4(rules):
    log = Log()
    log.components("C1", superior=95)
    log.components("C2", superior=90)
    log.components("C3", superior=90)
    log.components("C4", superior=80)
    result = score(rules, log)
    assert [(c.code, c.rank, c.tied) for c in result.communities] == [
        ("C1", 1, False),
        ("C2", 2, True),
        ("C3", 2, True),
        ("C4", 4, False),
    ]
    assert [n.detail for n in result.notes if n.code == scoring.N_TIE] == ["2: C2,C3"]


def test_rank_follows_deductions_and_bonuses(rules):
    log = Log()
    for code in ("C1", "C2", "C3", "C4"):
        log.components(code)
    log.case("C1", "C", found=local(2022, 3, 1), deadline=date(2022, 3, 4))
    log.bonus("C3", "P3", date(2022, 3, 1), "区表扬")
    result = score(rules, log)
    assert [(c.code, c.rank) for c in result.communities] == [("C3", 1), ("C2", 2), ("C4", 2), ("C1", 4)]


# --- the fund, odd data, the evaluation instant --------------------------------------------------------


def test_the_fund_is_deposits_by_role_plus_the_office_match(rules):
    log = Log()
    log.roster(2022, {"office_secretary": ["王书记"], "section_member": ["李", "张"], "community_director": ["赵"]})
    fund = score(rules, log).fund
    assert fund.deposits == D(500 + 2 * 300 + 300) and fund.match == fund.deposits
    assert fund.total == D(2800)
    assert {line.role: line.amount for line in fund.lines}["section_member"] == D(600)


def test_without_a_roster_the_fund_is_absent_and_noted(rules):
    result = score(rules, Log())
    assert result.fund is None and any(n.code == scoring.N_NO_FUND_ROSTER for n in result.notes)


def test_records_of_unknown_communities_and_orphan_case_events_are_noted_not_counted(rules):
    log = Log()
    log.superior("C9", "2022-03", 90)
    log.answer("C9", "满意", local(2022, 3, 1))
    log.recheck("11111111-1111-4111-8111-111111111111", local(2022, 3, 1))
    result = score(rules, log)
    assert {(n.code, n.detail) for n in result.notes} >= {("unknown_community", "C9×2"), ("orphan_events", "1")}


def test_evaluation_instant(rules):
    assert evaluation_instant(rules, date(2022, 12, 31)) == YEAR_END
    june = datetime(2022, 6, 1, 2, tzinfo=timezone.utc)
    assert evaluation_instant(rules, now=june) == june
    assert evaluation_instant(rules, now=datetime(2023, 2, 1, tzinfo=timezone.utc)) == YEAR_END
    with pytest.raises(ValueError):
        evaluation_instant(rules)


# --- the live board -----------------------------------------------------------------------------------


def test_one_event_recomputes_one_case_not_the_year(rules, monkeypatch):
    log = Log()
    ids = [log.case(source="D", found=local(2022, 3, 1), deadline=date(2022, 3, 4)) for _ in range(200)]
    board = Scoreboard(rules, YEAR_END).load(log.events)
    calls = []
    original = Scoreboard._contribution

    def counting(self, case):
        calls.append(case.case_id)
        return original(self, case)

    monkeypatch.setattr(Scoreboard, "_contribution", counting)
    event = log.recheck(ids[5], local(2022, 3, 2))
    assert board.apply(event) == {"C1"}
    assert calls == [ids[5]]
    standing = {s.code: s for s in board.standings()}["C1"]
    assert standing.deduction_total == D("-19.9")
    assert board.apply(log.superior("C2", "2022-01", 90)) == {"C2"}
    assert len(calls) == 1


def test_moving_the_evaluation_instant_back_recomputes_everything(rules):
    log, _ = worked_example()
    board = Scoreboard(rules, YEAR_END).load(log.events)
    earlier = end_of_day(date(2022, 6, 30), rules)
    board.advance_to(earlier)
    assert board.result() == score(rules, log, earlier)
    board.advance_to(YEAR_END)
    assert board.result() == score(rules, log)


# --- property: the fast fold, the live board and the projections agree ----------------------------------

_CASES = ["%08d-0000-4000-8000-000000000000" % i for i in range(5)]
# Six weeks around new year, by the hour: year boundaries, deadlines and checks collide often.
_TIMES = st.integers(min_value=-10 * 24, max_value=30 * 24).map(
    lambda h: datetime(2022, 1, 1, tzinfo=timezone.utc) + timedelta(hours=h)
)


@st.composite
def _logs(draw):
    from fieldapp.domain import events as ev

    items = []
    for case_id in draw(st.lists(st.sampled_from(_CASES), min_size=1, max_size=5, unique=True)):
        for _ in range(draw(st.integers(1, 2))):  # sometimes registered twice
            found = draw(_TIMES)
            items.append(
                ev.CaseRegistered(case_id, draw(st.sampled_from(["C1", "C2"])), "Z1", draw(st.sampled_from("ABCDE")),
                                  "", "x", None, found, found.date() + timedelta(days=draw(st.integers(0, 10))), False)  # fmt: skip
            )
    for _ in range(draw(st.integers(0, 30))):
        case_id = draw(st.sampled_from(_CASES))
        kind = draw(st.sampled_from(["pass"] * 3 + ["short", "deadline", "verify", "verify", "exempt", "void"] + ["link"] * 3))
        if kind in ("pass", "short"):
            items.append(ev.CaseRechecked(case_id, "rectified" if kind == "pass" else "falls_short", draw(_TIMES), "", ()))
        elif kind == "deadline":
            items.append(ev.DeadlineChanged(case_id, draw(_TIMES).date(), "r"))
        elif kind == "verify":
            items.append(ev.CaseVerified(case_id, ""))
        elif kind == "exempt":
            items.append(ev.CaseExempted(case_id, draw(st.sampled_from(["r1", "r2"]))))
        elif kind == "void":
            items.append(ev.CaseVoided(case_id, draw(st.sampled_from(["v1", "v2"]))))
        else:
            earlier = draw(st.sampled_from([c for c in _CASES if c != case_id]))
            cls = draw(st.sampled_from([ev.RecurrenceProposed, ev.RecurrenceConfirmed, ev.RecurrenceRejected]))
            items.append(cls(case_id, earlier, ""))
    events = [ev.new_event(p, actor="a", device="d", now=draw(_TIMES)) for p in items]
    at = draw(_TIMES)
    order = draw(st.permutations(range(len(events))))
    return events, at, [events[i] for i in order]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_logs())
def test_fast_fold_live_board_and_projections_agree(rules, data):
    events, at, shuffled = data
    full = score_year(rules, events, at)
    assert score_year_from_projections(rules, events, at) == full
    board = Scoreboard(rules, at)
    for event in shuffled + shuffled[: len(shuffled) // 2]:
        board.apply(event)
    assert board.result() == full
