"""Builders of real events for the scoring, import and report tests, and the worked example."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from fieldapp.domain.events import (
    BonusAwarded,
    CaseExempted,
    CaseRechecked,
    CaseRegistered,
    CaseVerified,
    CaseVoided,
    DeadlineChanged,
    ExemptionRefused,
    ExemptionRequested,
    FundRosterSet,
    OfficeAssessed,
    RectificationReported,
    RecurrenceConfirmed,
    RecurrenceProposed,
    RecurrenceRejected,
    SuperiorScored,
    SurveyAnswered,
    SurveyTallied,
    new_event,
)

SH = ZoneInfo("Asia/Shanghai")


def local(y, m, d, hh=10, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH)


class Log:
    """An event log under construction; each event gets a later device clock than the previous one."""

    def __init__(self, start: datetime | None = None):
        self.events = []
        self.clock = start or datetime(2022, 1, 1, tzinfo=timezone.utc)

    def add(self, payload, actor="staff-1", device="office", at: datetime | None = None):
        if at is None:
            self.clock += timedelta(seconds=1)
            at = self.clock
        event = new_event(payload, actor=actor, device=device, now=at)
        self.events.append(event)
        return event

    # --- cases -----------------------------------------------------------------

    def case(self, community="C1", source="D", *, found: datetime, deadline: date, category="Z1", place="东门") -> str:
        case_id = str(uuid.uuid4())
        self.add(CaseRegistered(case_id, community, category, source, "", place, None, found, deadline, False))
        return case_id

    def recheck(self, case_id, at: datetime, passed=True):
        return self.add(CaseRechecked(case_id, "rectified" if passed else "falls_short", at, "", ()))

    def report(self, case_id, at: datetime, photo="a" * 64):
        """The community's 整改反馈 (its device clock is the report's time)."""
        return self.add(RectificationReported(case_id, at, "已清理", (photo,)), actor="community-1",
                        device="community-phone", at=at)

    def request_exemption(self, case_id, reason="拆迁范围内"):
        return self.add(ExemptionRequested(case_id, reason, ()), actor="community-1", device="community-phone")

    def refuse_exemption(self, case_id, reason="不属于特殊情况"):
        return self.add(ExemptionRefused(case_id, reason))

    def verify(self, case_id):
        return self.add(CaseVerified(case_id, "属实"))

    def exempt(self, case_id, reason="拆迁范围内,无法整改"):
        return self.add(CaseExempted(case_id, reason))

    def void(self, case_id, reason="误登记"):
        return self.add(CaseVoided(case_id, reason))

    def move_deadline(self, case_id, deadline: date, reason="雨天"):
        return self.add(DeadlineChanged(case_id, deadline, reason))

    def recurrence(self, case_id, earlier, kind="confirmed"):
        cls = {"proposed": RecurrenceProposed, "confirmed": RecurrenceConfirmed, "rejected": RecurrenceRejected}[kind]
        return self.add(cls(case_id, earlier, ""))

    # --- office records ------------------------------------------------------------

    def superior(self, community, month: str, score: float):
        return self.add(SuperiorScored(community, month, score))

    def superior_year(self, community, scores, year=2022):
        for m, score in enumerate(scores, start=1):
            if score is not None:
                self.superior(community, f"{year}-{m:02d}", score)

    def office_assessment(self, community, day: date, score: float):
        return self.add(OfficeAssessed(community, day, score))

    def tally(self, community, day: date, counts: dict, note=""):
        return self.add(SurveyTallied(community, day, counts, note))

    def answer(self, community, answer: str, at: datetime):
        return self.add(SurveyAnswered(str(uuid.uuid4()), community, answer, "", at), actor="inspector-1", device="phone-1")

    def bonus(self, community, code, day: date, description="市级媒体报道"):
        return self.add(BonusAwarded(community, code, day, description))

    def roster(self, year, roster: dict):
        return self.add(FundRosterSet(year, roster))

    def components(self, community, superior=90.0, office=(85.0,), counts=None, year=2022):
        self.superior_year(community, [superior] * 12, year)
        for i, score in enumerate(office):
            self.office_assessment(community, date(year, 3 + i, 15), score)
        self.tally(community, date(year, 11, 1), counts or {"满意": 90, "基本满意": 0, "不满意": 10})


def worked_example(log: Log | None = None) -> tuple[Log, dict]:
    """Community 甲 (C1) of assessment-rules.md's worked example: final 84.9 on 2022-12-31."""
    log = log or Log()
    ids = {}
    log.superior_year("C1", [90.0] * 12)
    for day, score in ((date(2022, 3, 10), 80), (date(2022, 6, 20), 85), (date(2022, 10, 8), 90)):
        log.office_assessment("C1", day, score)
    # 200 respondents: 150 满意 + 30 基本满意 + 20 不满意, part on paper, part on the phone
    log.tally("C1", date(2022, 11, 20), {"满意": 140, "基本满意": 30, "不满意": 20})
    for i in range(10):
        log.answer("C1", "满意", local(2022, 11, 21, 9, i))
    # a verified A case, rectified on time: −2
    a = ids["A"] = log.case(source="A", found=local(2022, 3, 1), deadline=date(2022, 3, 8))
    log.verify(a)
    log.recheck(a, local(2022, 3, 6))
    # a verified B case, deadline 2022-06-10, rectified 2022-06-12: −1 −1
    b = ids["B"] = log.case(source="B", found=local(2022, 6, 3), deadline=date(2022, 6, 10))
    log.verify(b)
    log.recheck(b, local(2022, 6, 12))
    # a D case: falls short on 07-30, passes on 07-31, deadline 08-01: 0
    d1 = ids["D_saved"] = log.case(found=local(2022, 7, 25), deadline=date(2022, 8, 1))
    log.recheck(d1, local(2022, 7, 30), passed=False)
    log.recheck(d1, local(2022, 7, 31))
    # a D case, deadline 2022-09-01, never rectified: −0.1
    ids["D_overdue"] = log.case(found=local(2022, 8, 28), deadline=date(2022, 9, 1))
    # a D case registered 2022-12-29, deadline 2023-01-05: pending, 0
    ids["D_pending"] = log.case(found=local(2022, 12, 29), deadline=date(2023, 1, 5))
    # a confirmed recurrence of an earlier rectified case: −2 (its own D rules: on time, 0)
    earlier = ids["earlier"] = log.case(found=local(2022, 4, 1), deadline=date(2022, 4, 4), place="菜场北")
    log.recheck(earlier, local(2022, 4, 3))
    again = ids["recurrence"] = log.case(found=local(2022, 9, 10), deadline=date(2022, 9, 13), place="菜场北")
    log.recurrence(again, earlier, "proposed")
    log.recurrence(again, earlier, "confirmed")
    log.recheck(again, local(2022, 9, 12))
    # one city media report M3: +1; one district praise P3: +1
    ids["M3"] = log.bonus("C1", "M3", date(2022, 5, 18), "市电视台报道").id
    ids["P3"] = log.bonus("C1", "P3", date(2022, 11, 2), "区整治办通报表扬").id
    return log, ids
