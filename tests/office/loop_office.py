"""An office where the community's loop has run (``from loop_office import fill_loop_office``).

The sample office (fieldapp/office/dashboard/sample.py, 1 June 2022 09:00 Beijing) plus,
in 第一社区 (C1), written through the project's own Casework and domain commands:

- `failed`:    an inspector's case due 25 May whose re-check fell short on 26 May ("仍有垃圾堆放");
- `waiting`:   due 3 June (剩2天), the community reported it rectified on 28 May 16:00: waiting 3 whole days;
- `recent`:    due 10 June, reported the evening before: not waiting long, not due soon;
- `request_a`: an office A case, verified, due 30 May; the community asks for exemption;
- `request_b`: an office B case, due 2 June; the community asks for exemption;
- `exempted`:  an A case the office exempted, overdue: on no notice.

The inspector's phone is enrolled as 张三, its events carrying its pre-enrolment id
(`INSPECTOR_ACTOR`), so the office shows the name; the community's staff is 李四.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from fieldapp.casework import Casework
from fieldapp.demo import scene_photo
from fieldapp.domain import commands as cmd
from fieldapp.domain.projection import project_case
from fieldapp.office.dashboard.sample import SAMPLE_NOW, Sample, fill_sample_office
from fieldapp.store import Store

INSPECTOR_ACTOR = "inspector-0a1b2c3d"
INSPECTOR_NAME = "张三"
COMMUNITY_ACTOR = cmd.Actor("李四", "phone-community-1")
OFFICE = cmd.Actor("office:sample", "office")
FAILED_NOTE = "仍有垃圾堆放"
REQUEST_A = "道路施工封闭，无法进场清理"
REQUEST_B = "权属不清，需区里协调"


@dataclass(frozen=True)
class Loop:
    sample: Sample
    failed: str
    waiting: str
    recent: str
    request_a: str
    request_b: str
    exempted: str


def fill_loop_office(path: Path, rules, *, cases: int = 8) -> Loop:
    import random

    from sync import auth
    from sync.storage import office_photo_dir, open_office

    sample = fill_sample_office(path, rules, cases=cases)
    tz = rules.tz
    rng = random.Random(8)
    photo_dir = office_photo_dir(path)
    clock = {"now": SAMPLE_NOW}

    def at(month: int, day: int, hour: int = 10) -> datetime:
        return datetime(rules.year, month, day, hour, tzinfo=tz)

    with tempfile.TemporaryDirectory(prefix="loop-office-") as tmp:
        phone = Store(Path(tmp) / "phone.db", rules, durable=False)
        inspector = Casework(phone, photo_dir, cmd.Actor(INSPECTOR_ACTOR, "phone-zhang"), lambda: clock["now"])
        community = Casework(phone, photo_dir, COMMUNITY_ACTOR, lambda: clock["now"])

        def register(found: datetime, deadline: date, place: str, note: str, category: str) -> str:
            clock["now"] = found
            return inspector.register(community="C1", category=category, photos=[scene_photo(rng)], place=place,
                                      note=note, deadline=deadline).case_id

        failed = register(at(5, 20), date(2022, 5, 25), "解放路8号", "楼道口堆放生活垃圾", "Z1")
        clock["now"] = at(5, 26)
        inspector.recheck(failed, rectified=False, photos=[scene_photo(rng)], note=FAILED_NOTE)
        waiting = register(at(5, 21), date(2022, 6, 3), "人民路15号", "商铺占道经营", "L3")
        clock["now"] = at(5, 28, 16)
        community.report_rectified(waiting, photos=[scene_photo(rng, after=True)], note="已清理完毕")
        recent = register(at(5, 22), date(2022, 6, 10), "胜利街3号", "墙面小广告", "L2")
        clock["now"] = at(5, 31, 20)
        community.report_rectified(recent, photos=[scene_photo(rng, after=True)], note="已铲除")

        office = []
        a = cmd.register_case(rules, OFFICE, at(5, 23), community="C1", category="Z5", source="A",
                              note="省整治办转办：渣土乱倒（案件编号 2022-A-010）", place="和平路北段",
                              deadline=date(2022, 5, 30))  # fmt: skip
        a_state = project_case([a], tz)
        office += [a, cmd.verify(a_state, OFFICE, at(5, 24), note="现场核查属实")]
        b = cmd.register_case(rules, OFFICE, at(5, 27), community="C1", category="Z2", source="B",
                              note="市民多次反映：楼间卫生死角（案件编号 2022-B-011）", place="幸福小区5栋",
                              deadline=date(2022, 6, 2))  # fmt: skip
        office.append(b)
        x = cmd.register_case(rules, OFFICE, at(5, 10), community="C1", category="Z4", source="A",
                              note="省级媒体曝光：河道污物（案件编号 2022-A-012）", place="北护城河",
                              deadline=date(2022, 5, 20))  # fmt: skip
        x_state = project_case([x], tz)
        office += [x, cmd.verify(x_state, OFFICE, at(5, 11)),
                   cmd.exempt(x_state, rules, OFFICE, at(5, 19), reason="汛期水位高，无法打捞")]
        phone.append(office)
        clock["now"] = at(5, 31, 9)
        community.request_exemption(a.case_id, reason=REQUEST_A)
        clock["now"] = at(5, 31, 10)
        community.request_exemption(b.case_id, reason=REQUEST_B)
        events = list(phone.events())
        phone.close()

    with open_office(path, rules) as store:  # enrolled first: its earlier events then arrive as its sync would
        code, _ = auth.create_code(store, INSPECTOR_NAME, ["C1", "C2"], now=SAMPLE_NOW - timedelta(days=30))
        auth.redeem_code(store, code, local_actor=INSPECTOR_ACTOR, local_device="phone-zhang",
                         now=SAMPLE_NOW - timedelta(days=30))  # fmt: skip
        store.append(events, assign_server_seq=True)
    return Loop(sample, failed, waiting, recent, a.case_id, b.case_id, x.case_id)
