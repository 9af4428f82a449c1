"""The community's own report (整改反馈) and requests for exemption, as assessment-rules.md §2 reads them.

Every test scores the same log three ways (the fast fold, event by event, and the naive
path from full projections) and checks the projection a phone shows agrees.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from fieldapp.domain import projection as pj
from fieldapp.domain import scoring
from fieldapp.domain.scoring import Scoreboard, end_of_day, score_year, score_year_from_projections
from tests.scoring_helpers import SH, Log, local

YEAR_END = datetime(2023, 1, 1, tzinfo=SH)
DEADLINE = date(2022, 6, 10)


def scored(rules, log, at=YEAR_END):
    """The year's score, the same by every path and in any arrival order."""
    full = score_year(rules, log.events, at)
    assert score_year_from_projections(rules, log.events, at) == full
    shuffled = list(log.events)
    random.Random(3).shuffle(shuffled)
    board = Scoreboard(rules, at)
    for event in shuffled + shuffled[:3]:
        board.apply(event)
    assert board.result() == full
    return full.community("C1")


def lines(community_score):
    return [(i.rule, i.points, i.reason) for i in community_score.deductions]


def state(rules, log, case_id):
    return pj.project_case([e for e in log.events if e.case_id == case_id], rules.tz)


def d_case(log, source="D"):
    return log.case(source=source, found=local(2022, 6, 7), deadline=DEADLINE)


@pytest.mark.parametrize(
    ("reported_at", "on_time"),
    [
        (datetime(2022, 6, 10, 23, 59, tzinfo=SH), True),  # a minute before local midnight of the deadline day
        (datetime(2022, 6, 11, 0, 1, tzinfo=SH), False),  # a minute after
        (datetime(2022, 6, 10, 15, 59, tzinfo=timezone.utc), True),  # 23:59 in Shanghai, written in UTC
        (datetime(2022, 6, 10, 16, 1, tzinfo=timezone.utc), False),  # 00:01 on the 11th in Shanghai
    ],
)
def test_a_report_by_the_end_of_the_deadline_day_confirmed_later_is_on_time(rules, reported_at, on_time):
    log = Log()
    case = d_case(log)
    log.report(case, reported_at)
    log.recheck(case, local(2022, 6, 14))  # the inspector comes four days later
    c1 = scored(rules, log)
    if on_time:
        assert lines(c1) == []
    else:
        assert lines(c1) == [("D.further", Decimal("-0.1"), scoring.R_RECTIFIED_LATE)]
        assert c1.deductions[0].rectified_at == reported_at  # the report's time, not the check's
    s = state(rules, log, case)
    assert (s.lifecycle, s.rectified_at, s.on_time) == (pj.RECTIFIED, reported_at, on_time)
    assert [r.outcome for r in s.reports] == [pj.REPORT_CONFIRMED]


def test_a_failed_check_rejects_the_reports_before_it(rules):
    log = Log()
    case = d_case(log)
    log.report(case, local(2022, 6, 8))
    log.report(case, local(2022, 6, 9))
    log.recheck(case, local(2022, 6, 9, 15), passed=False)
    log.report(case, local(2022, 6, 12))  # the second report comes after the deadline
    log.recheck(case, local(2022, 6, 13))
    c1 = scored(rules, log)
    assert lines(c1) == [("D.further", Decimal("-0.1"), scoring.R_RECTIFIED_LATE)]
    assert c1.deductions[0].rectified_at == local(2022, 6, 12)
    s = state(rules, log, case)
    assert [r.outcome for r in s.reports] == [pj.REPORT_REJECTED, pj.REPORT_REJECTED, pj.REPORT_CONFIRMED]
    assert s.rectified_at == local(2022, 6, 12) and s.on_time is False


def test_a_failed_check_then_a_new_report_in_time_and_a_pass_is_on_time(rules):
    log = Log()
    case = d_case(log, source="C")
    log.report(case, local(2022, 6, 8))
    log.recheck(case, local(2022, 6, 8, 16), passed=False)
    log.report(case, local(2022, 6, 10, 20))
    log.recheck(case, local(2022, 6, 15))
    assert lines(scored(rules, log)) == []


def test_a_report_awaiting_its_check_past_the_deadline_is_pending_with_its_age(rules):
    log = Log()
    case = d_case(log)
    log.report(case, local(2022, 6, 9))
    at = end_of_day(date(2022, 6, 14), rules)
    c1 = scored(rules, log, at)
    assert lines(c1) == []
    [note] = [n for n in c1.notes if n.case_id == case]
    assert (note.code, note.detail) == (scoring.N_AWAITING_RECHECK, "2022-06-09|5")
    s = state(rules, log, case)
    assert s.lifecycle == pj.OPEN and s.awaiting_since == local(2022, 6, 9)
    # settled by that check: a failing one makes the case overdue and deducted at once
    log.recheck(case, local(2022, 6, 15), passed=False)
    assert lines(scored(rules, log, end_of_day(date(2022, 6, 15), rules))) == [
        ("D.further", Decimal("-0.1"), scoring.R_NOT_RECTIFIED)]
    assert state(rules, log, case).awaiting_since is None
    assert state(rules, log, case).last_failed_check.checked_at == local(2022, 6, 15)


def test_a_late_report_awaiting_its_check_cannot_save_the_case(rules):
    log = Log()
    case = d_case(log)
    log.report(case, local(2022, 6, 12))
    c1 = scored(rules, log, end_of_day(date(2022, 6, 13), rules))
    assert lines(c1) == [("D.further", Decimal("-0.1"), scoring.R_NOT_RECTIFIED)]


def test_the_live_board_settles_an_awaiting_report_when_time_moves_on(rules):
    log = Log()
    case = d_case(log)
    log.report(case, local(2022, 6, 9))
    log.recheck(case, local(2022, 6, 20))  # the pass comes after the first evaluation instant
    board = Scoreboard(rules, end_of_day(date(2022, 6, 15), rules)).load(log.events)
    assert [n.code for n in board.result().community("C1").notes if n.case_id] == [scoring.N_AWAITING_RECHECK]
    board.advance_to(YEAR_END)
    assert board.result() == score_year(rules, log.events, YEAR_END)
    assert lines(board.result().community("C1")) == []
    assert [n for n in board.result().community("C1").notes if n.case_id] == []


def test_a_passing_check_with_no_report_before_it_is_its_own_time(rules):
    log = Log()
    case = d_case(log)
    log.recheck(case, local(2022, 6, 11))
    log.report(case, local(2022, 6, 12))  # a report after the case closed changes nothing
    assert lines(scored(rules, log)) == [("D.further", Decimal("-0.1"), scoring.R_RECTIFIED_LATE)]
    assert state(rules, log, case).rectified_at == local(2022, 6, 11)


def test_a_request_for_exemption_changes_nothing_until_the_office_grants_it(rules):
    log = Log()
    case = d_case(log, source="B")
    log.verify(case)
    log.request_exemption(case)
    deducted = [("B.base", Decimal("-1"), scoring.R_VERIFIED), ("B.further", Decimal("-1"), scoring.R_NOT_RECTIFIED)]
    assert lines(scored(rules, log)) == deducted
    assert state(rules, log, case).exemption_request == pj.EXEMPTION_REQUESTED
    log.refuse_exemption(case)
    assert lines(scored(rules, log)) == deducted
    s = state(rules, log, case)
    assert (s.exemption_request, s.exemption_refusal_reason) == (pj.EXEMPTION_REFUSED, "不属于特殊情况")
    log.request_exemption(case, "再次申请：已列入拆迁")
    assert state(rules, log, case).exemption_request == pj.EXEMPTION_REQUESTED
    log.exempt(case)
    assert lines(scored(rules, log)) == deducted[:1]
    assert state(rules, log, case).exemption_request == pj.EXEMPTION_GRANTED


def test_the_same_events_give_the_same_case_in_any_order(rules):
    log = Log()
    case = d_case(log)
    log.report(case, local(2022, 6, 8))
    log.recheck(case, local(2022, 6, 9), passed=False)
    log.report(case, local(2022, 6, 10))
    log.recheck(case, local(2022, 6, 12))
    events = [e for e in log.events if e.case_id == case]
    expected = pj.project_case(events, rules.tz)
    for seed in range(20):
        shuffled = list(events)
        random.Random(seed).shuffle(shuffled)
        assert pj.project_case(shuffled + shuffled[:2], rules.tz) == expected
    assert expected.rectified_at == local(2022, 6, 10) and expected.on_time is True


def test_a_report_and_a_check_at_the_same_instant_count_the_report_first(rules):
    log = Log()
    case = d_case(log)
    same = local(2022, 6, 12)
    log.report(case, same - timedelta(0))
    log.recheck(case, same, passed=False)
    s = state(rules, log, case)
    assert [r.outcome for r in s.reports] == [pj.REPORT_REJECTED] and s.awaiting_since is None


def test_the_report_says_a_case_awaits_its_check_in_chinese(rules):
    from fieldapp.office.report import note_text
    log = Log()
    case = d_case(log)
    log.report(case, local(2022, 6, 9))
    c1 = scored(rules, log, end_of_day(date(2022, 6, 14), rules))
    [note] = [n for n in c1.notes if n.case_id == case]
    assert "社区已于 2022-06-09 反馈整改，待复查（已等待 5 天），暂不加扣" in note_text(note, {})
