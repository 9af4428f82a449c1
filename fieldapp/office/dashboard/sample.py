"""A sample office for `fieldapp office serve --demo`, the dashboard's tests, screenshots and benchmark.

`fill_sample_office(data_dir, rules, now)` writes into an office data folder a
half-year of the 2022 campaign as of `now` (default 1 June 2022):

- superior scores January–April for the four communities (May left to type in),
  one office assessment each, a paper survey tally each, a C2 bonus (M3), the fund roster;
- inspectors' cases with photos (via `Casework` on a scratch phone store, then
  appended to office.db with server seqs, as sync would), in every state;
- an external A case in C3, verified and overdue (−2 −2); an unverified B case in C1;
- in C2 a case rectified in March and, 8 m away, a new one of the same category
  proposed as its recurrence — confirming it costs C2 two points.

`SAMPLE` names the cases the tests need; `big_office_log` makes a large log for the bench.
"""

from __future__ import annotations

import random
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from fieldapp.casework import CAME_BACK, Casework
from fieldapp.demo import near, scene_photo
from fieldapp.domain import commands as cmd
from fieldapp.domain.events import (
    BonusAwarded,
    FundRosterSet,
    OfficeAssessed,
    SuperiorScored,
    SurveyTallied,
    new_event,
)
from fieldapp.domain.geo import Position
from fieldapp.domain.rules import Rules
from fieldapp.store import Store

SAMPLE_NOW = datetime(2022, 6, 1, 1, 0, tzinfo=timezone.utc)  # 09:00 in Beijing
SUPERIOR = {  # Jan..Apr
    "C1": (90, 91, 92, 90),
    "C2": (88, 89, 90, 91),
    "C3": (85, 86, 84, 87),
    "C4": (92, 90, 91, 93),
}
OFFICE = {"C1": 85, "C2": 88, "C3": 80, "C4": 86}
TALLIES = {"C1": (70, 20, 10), "C2": (75, 15, 10), "C3": (60, 25, 15), "C4": (65, 20, 15)}
ROSTER = {
    "office_secretary": ["王书记"],
    "office_director": ["李主任"],
    "committee_member": ["张委员", "刘委员"],
    "section_head": ["陈科长"],
    "section_member": ["赵队员", "孙队员", "周队员"],
}
OFFICE_ACTOR = cmd.Actor("office:sample", "office")


@dataclass(frozen=True)
class Sample:
    recurrence_new: str  # the C2 case proposed as a recurrence
    recurrence_earlier: str
    external_a: str  # C3, verified, overdue
    external_b: str  # C1, not verified yet


def _office_event(payload, at: datetime):
    return new_event(payload, actor=OFFICE_ACTOR.actor, device=OFFICE_ACTOR.device, now=at)


def fill_sample_office(data_dir: str | Path, rules: Rules, now: datetime = SAMPLE_NOW, *, cases: int = 24,
                       seed: int = 2022) -> Sample:  # fmt: skip
    from sync.storage import office_photo_dir, open_office

    rng = random.Random(seed)
    tz = rules.tz
    year = rules.year
    photo_dir = office_photo_dir(data_dir)
    events = []

    def at(month: int, day: int, hour: int = 10) -> datetime:
        return datetime(year, month, day, hour, tzinfo=tz)

    # --- office records
    for code, scores in SUPERIOR.items():
        for m, score in enumerate(scores, start=1):
            events.append(_office_event(SuperiorScored(code, f"{year}-{m:02d}", score), at(m + 1, 3)))
    for code, score in OFFICE.items():
        events.append(_office_event(OfficeAssessed(code, date(year, 3, 15), score), at(3, 16)))
    for code, (a, b, c) in TALLIES.items():
        counts = dict(zip(rules.survey_answers, (a, b, c)))
        events.append(_office_event(SurveyTallied(code, date(year, 4, 20), counts, "纸质问卷"), at(4, 21)))
    events.append(_office_event(BonusAwarded("C2", "M3", date(year, 5, 8), "市级媒体报道背街小巷整治"), at(5, 9)))
    events.append(_office_event(FundRosterSet(year, ROSTER), at(1, 10)))

    with tempfile.TemporaryDirectory(prefix="fieldapp-sample-") as tmp:
        phone = Store(Path(tmp) / "phone.db", rules, durable=False)
        inspectors = [cmd.Actor(f"inspector-{i}", f"phone-{i}") for i in (1, 2, 3)]
        clock = {"now": now}

        def work(i: int) -> Casework:
            return Casework(phone, photo_dir, inspectors[i % 3], lambda: clock["now"])

        # everyday cases (source D) in every state
        for i in range(cases):
            found = now - timedelta(days=rng.randint(1, 40), hours=rng.randint(0, 6))
            clock["now"] = found
            category = rng.choice(rules.categories).code
            days = rng.choice([2, 3, 5, 7, 14])
            deadline = found.astimezone(tz).date() + timedelta(days=days)
            community = rules.communities[i % len(rules.communities)].code
            saved = work(i).register(
                community=community, category=category,
                photos=[scene_photo(rng)], note="样例：" + rng.choice(["垃圾堆放", "占道经营", "乱贴小广告", "渣土撒漏"]),
                place=f"建设路{rng.randint(1, 200)}号", position=near(rng, 800, community), deadline=deadline,
            )  # fmt: skip
            fate = rng.random()
            if fate < 0.45:
                clock["now"] = min(found + timedelta(days=rng.randint(0, days + 3), hours=2), now)
                work(i).recheck(saved.case_id, rectified=True, photos=[scene_photo(rng, after=True)], note="已清理")
            elif fate < 0.55:
                clock["now"] = min(found + timedelta(days=1), now)
                work(i).recheck(saved.case_id, rectified=False, photos=[scene_photo(rng)], note="仍未整改")

        # the recurrence in C2: rectified in March, back in late May 8 m away
        place = Position(34.7466 + 60 / 111_000, 113.6253 + 60 / 91_300, 5.0)  # inside C2 (sample boundaries)
        clock["now"] = at(3, 2)
        earlier = work(0).register(community="C2", category="L3", photos=[scene_photo(rng)], note="店外占道经营",
                                   place="文化街12号", position=place, deadline=date(year, 3, 5))  # fmt: skip
        clock["now"] = at(3, 4)
        work(0).recheck(earlier.case_id, rectified=True, photos=[scene_photo(rng, after=True)], note="已清理")
        clock["now"] = at(5, 28)
        again = Position(place.lat + 8 / 111_000, place.lon, 6.0)
        new = work(1).register(community="C2", category="L3", photos=[scene_photo(rng)], note="又在店外摆卖",
                               place="文化街12号", position=again, deadline=date(year, 6, 10),
                               judged=CAME_BACK, earlier_case_id=earlier.case_id)  # fmt: skip
        phone_events = list(phone.events())
        phone.close()

    # external cases, entered at the office
    a = cmd.register_case(rules, OFFICE_ACTOR, at(4, 10), community="C3", category="Z4", source="A",
                          note="省整治办转办：河道漂浮垃圾（案件编号 2022-A-001）", place="东风河桥下",
                          deadline=date(year, 4, 17))  # fmt: skip
    a_state = _state(rules, [a])
    events += [a, cmd.verify(a_state, OFFICE_ACTOR, at(4, 12), note="现场核查属实")]
    b = cmd.register_case(rules, OFFICE_ACTOR, at(5, 25), community="C1", category="Z5", source="B",
                          note="市民热线屡次反映：渣土乱倒（案件编号 2022-B-002）", place="新华路工地",
                          deadline=date(year, 6, 1))  # fmt: skip
    events.append(b)

    with open_office(data_dir, rules) as office:
        office.append(phone_events + events, assign_server_seq=True)
    return Sample(new.case_id, earlier.case_id, a.case_id, b.case_id)


def fill_sample_office_if_empty(data_dir: str | Path, rules: Rules) -> Sample | None:
    """`serve --demo`: fill an office folder that holds no events yet; never touch one with data."""
    from sync.storage import open_office

    with open_office(data_dir, rules) as office:
        if office.event_count():
            return None
    return fill_sample_office(data_dir, rules)


def _state(rules, events):
    from fieldapp.domain.projection import project_case

    return project_case(events, rules.tz)


__all__ = ["SAMPLE_NOW", "Sample", "fill_sample_office"]
