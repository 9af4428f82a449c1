"""The dashboard and the years (issue 12 §4), as control trees: on today's clock (2026-12-03)
with only the 2022 rules it says plainly that 2026 has none, on every screen; once the office
has 2026's rules (`rules new`), the 排名 screen switches between the years with rules, and a
2026 case is scored in 2026 — not in 2022."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timezone
from decimal import Decimal
from types import SimpleNamespace

import pytest

from fieldapp.domain import commands as cmd
from fieldapp.domain.geo import Position
from fieldapp.office import users
from fieldapp.office.dashboard.context import DashContext
from fieldapp.office.dashboard.desk import Desk, LocalOffice
from fieldapp.office.dashboard.sample import fill_sample_office
from fieldapp.rules import RuleBook, new_year_file
from fieldapp.office import words as strings
from sync.storage import open_office
from tests.office.test_desk import FakePage, handles, texts

NOW = datetime(2026, 12, 3, 2, 0, tzinfo=timezone.utc)  # 10:00 in Beijing
INSPECTOR = cmd.Actor("inspector-z", "phone-z")


class ShellPage(FakePage):
    """Enough of ft.Page for the shell's frame."""

    def __init__(self):
        super().__init__()
        self.controls = []

    def add(self, *controls):
        self.controls.extend(controls)


@pytest.fixture
def office_dir(tmp_path, rules):
    path = tmp_path / "office"
    fill_sample_office(path, rules, cases=4)
    with open_office(path, rules) as store:
        users.ensure_schema(store)
        users.add_user(store, "li", users.STAFF, "li-password")
    return path


def desk_for(path) -> Desk:
    rules = RuleBook.load(path).fallback(NOW)  # as `office serve` picks its first year
    return Desk(LocalOffice(path, rules), rules, clock=lambda: NOW, poll_seconds=0)


async def enter(desk: Desk):
    from fieldapp.office.dashboard.shell import DashSession

    await desk.start()
    user, token = await desk.login("li", "li-password")
    session = DashSession(desk, ShellPage())
    await session.enter(user, token)
    return session


def test_without_the_years_rules_the_dashboard_says_so_on_every_screen(office_dir):
    async def scenario():
        desk = desk_for(office_dir)
        session = await enter(desk)
        frame = session.page.controls[0]
        found = handles(frame), texts(frame), desk.years, desk.current_year_missing()
        await desk.stop()
        desk.office.close()
        return found

    ids, shown, years, missing = asyncio.run(scenario())
    assert years == (2022,) and missing
    assert "no-rules-year" in ids
    assert strings.DASH_NO_RULES_YEAR.format(year=2026) in shown
    assert "2022年度" in shown  # the year shown, in the top bar


def test_the_ranking_switches_years_and_a_2026_case_counts_in_2026(office_dir):
    path = new_year_file(office_dir, 2026, 2022)
    rules_2026 = RuleBook.load(office_dir).for_year(2026)
    case = cmd.register_case(rules_2026, INSPECTOR, NOW, community="C1", category="Z1",
                             position=Position(34.7466, 113.6253, 5.0), place="东风路口")
    with open_office(office_dir, rules_2026) as store:
        store.append([case], assign_server_seq=True)
    assert case.data.deadline == date(2026, 12, 6) and path.is_file()

    async def scenario():
        from fieldapp.office.dashboard.ranking import RankingScreen

        desk = desk_for(office_dir)
        session = await enter(desk)
        frame_ids = handles(session.page.controls[0])
        ctx: DashContext = session.ctx
        screen: RankingScreen = session.screens["ranking"]
        first = (ctx.rules.year, [s.value for s in screen.year_switch.segments], screen.year_switch.selected,
                 texts(screen.control), session.year_text.value)
        c1_2026 = ctx.snapshot().final.community("C1")
        await screen._year_switched(SimpleNamespace(control=SimpleNamespace(selected=["2022"])))
        second = (ctx.year, ctx.snapshot().final.year, texts(screen.control), session.year_text.value)
        c1_2022 = ctx.snapshot().final.community("C1")
        await session.navigate("community", community="C1")
        community_2022 = texts(session.screens["community"].control)
        await screen._year_switched(SimpleNamespace(control=SimpleNamespace(selected=["2026"])))
        third = (ctx.year, ctx.snapshot().final.year)
        await desk.stop()
        desk.office.close()
        return frame_ids, first, c1_2026, second, c1_2022, community_2022, third

    frame_ids, first, c1_2026, second, c1_2022, community_2022, third = asyncio.run(scenario())
    assert "no-rules-year" not in frame_ids  # 2026 has rules now
    year, segments, selected, shown, top = first
    assert year == 2026 and segments == ["2022", "2026"] and selected == ["2026"] and top == "2026年度"
    # 2026's year end: the case's deadline (6 December) passed without a re-check: its further −0.1
    assert [i.case_id for i in c1_2026.deductions] == [case.case_id]
    assert c1_2026.deduction_total == Decimal("-0.1")
    assert second[0] == 2022 and second[1] == 2022 and second[3] == "2022年度"
    assert case.case_id not in [i.case_id for i in c1_2022.deductions]
    assert any("第一社区" in t for t in community_2022)
    assert third == (2026, 2026)
