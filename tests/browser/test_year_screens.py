"""The current year on the phone's screens (issue 12 §4), as control trees (no browser):
dates show their year whenever it is not the current one; a phone on 2026-12-03 without
2026's rules says so on 登记问题 and 我的案件 and takes the nearest year's deadline default;
once the office's 2026 rules are in its data folder (as a sync leaves them) the notice goes
and their default applies; a 2022 case seen in 2026 says its year instead of 逾期1675天."""

from __future__ import annotations

from datetime import date, datetime, timezone

from fieldapp.rules import RULES_DIR, copy_text, store_received
from fieldapp.text import fmt
from fieldapp.ui import strings
from fieldapp.ui.context import AppContext, frozen_clock
from fieldapp.text.theme import Palette
from prefill import register_case, tiny_photo

NOW_2026 = "2026-12-03T10:00:00+08:00"
TZ = datetime.fromisoformat(NOW_2026).tzinfo


# --- dates with and without their year ---------------------------------------------------------

def test_a_date_shows_its_year_when_it_is_not_the_current_one():
    today = date(2026, 12, 3)
    assert fmt.date_auto(date(2026, 6, 4), today) == "6月4日"
    assert fmt.date_auto(date(2022, 6, 4), today) == "2022年6月4日"
    assert fmt.date_auto(date(2027, 1, 2), today) == "2027年1月2日"  # a deadline into next year
    assert fmt.date_auto(date(2022, 6, 4), None) == "6月4日"  # no `today`: as before
    assert fmt.date_short(date(2026, 12, 8), today) == "12月8日 周二"
    assert fmt.date_short(date(2022, 6, 4), today) == "2022年6月4日 周六"
    at = datetime(2022, 6, 1, 1, 5, tzinfo=timezone.utc)
    assert fmt.time_short(at, TZ, today) == "2022年6月1日 09:05"
    assert fmt.time_short(at, TZ, date(2022, 12, 1)) == "6月1日 09:05"
    # the registration line of the timeline too
    text = fmt.history_text("case.registered", {"category": "Z1", "deadline": "2022-06-04"}, lambda c: "暴露垃圾",
                            TZ, today)
    assert "2022年6月4日" in text


def test_a_case_overdue_since_an_earlier_year_says_its_year_not_1675_days():
    today = date(2026, 12, 3)
    assert fmt.urgency_label("overdue", -1643, date(2022, 6, 4), today) == ("2022年度·逾期", Palette.OVERDUE)
    assert fmt.urgency_label("overdue", -3, date(2026, 11, 30), today) == ("逾期3天", Palette.OVERDUE)
    assert fmt.urgency_label("overdue", -3) == ("逾期3天", Palette.OVERDUE)


# --- a phone in 2026 without, then with, the year's rules ------------------------------------------

def rules_2026(d_days: int) -> str:
    text = copy_text((RULES_DIR / "2022.toml").read_text(encoding="utf-8"), 2026, 2022)
    block = text.index('code = "D"')
    at = text.index("default_rectification_days = 3", block)
    return text[:at] + f"default_rectification_days = {d_days}" + text[at + len("default_rectification_days = 3"):]


def notice_text(screen) -> str:
    return screen.year_notice.message.value if screen.year_notice.control.visible else ""


def test_without_the_years_rules_the_phone_says_so_then_uses_them_once_they_came(tmp_path):
    from fieldapp.ui.screens import cases, new_case

    ctx = AppContext(data_dir=tmp_path, clock=frozen_clock(NOW_2026))
    form = new_case.build(ctx).data
    expected = strings.YEAR_NO_RULES.format(year=2026, fallback=2022)
    assert notice_text(form) == expected
    assert form.year_notice.control.identifier == "year-notice-new"
    assert form.deadline == date(2026, 12, 6)  # 2022's source D: 3 days, meanwhile
    listing = cases.build(ctx).data
    assert notice_text(listing) == expected

    # A sync leaves the office's 2026 rules in the data folder (sync/rulesync.py does exactly this).
    assert store_received(tmp_path, {2026: rules_2026(5)}) == [2026]
    new_case.on_show(form.root, ctx)
    assert notice_text(form) == "" and not form.year_notice.control.visible
    assert form.deadline == date(2026, 12, 8)  # 2026's source D: 5 days
    assert form.deadline_text.value.startswith("12月8日 周二")
    listing._paint_banner()
    assert notice_text(listing) == ""
    # A new screen (another session) has them from the start.
    assert notice_text(new_case.build(ctx).data) == "" and new_case.build(ctx).data.deadline == date(2026, 12, 8)


def test_a_2022_case_seen_in_2026_shows_its_year(tmp_path):
    from fieldapp.ui.data import data_of
    from fieldapp.ui.screens import cases
    from fieldapp.ui.screens.case_detail import CaseDetailView

    case_id = register_case(tmp_path, "2022-06-01T10:00:00+08:00", deadline=date(2022, 6, 4), photo=tiny_photo(),
                            place="东风路口")
    ctx = AppContext(data_dir=tmp_path, clock=frozen_clock(NOW_2026))
    listing = cases.build(ctx).data
    row = listing.list_view.controls[0]
    texts = _texts(row)
    assert "2022年度·逾期" in texts and "整改期限 2022年6月4日" in texts
    assert not any("1643" in t or "逾期1" in t for t in texts)

    import asyncio

    async def open_detail():
        view = CaseDetailView(ctx, data_of(ctx), case_id, on_back=_noop)
        await view.load()
        return view

    view = asyncio.run(open_detail())
    texts = _texts(view.body)
    assert "整改期限 2022年6月4日 周六" in texts
    assert any(t.startswith(f"{strings.REGISTERED_AT} 2022年6月1日 10:00") for t in texts)
    assert strings.CASE_OF_YEAR.format(year=2022) in texts
    assert any("2022年6月1日 10:00" in t for t in texts)  # the timeline
    data_of(ctx).close()


async def _noop(_changed: bool) -> None:
    return None


def _texts(control) -> list[str]:
    """Every Text value and Semantics label under `control`."""
    import flet as ft

    out: list[str] = []

    def walk(c):
        if c is None:
            return
        if isinstance(c, ft.Text) and isinstance(c.value, str):
            out.append(c.value)
        if isinstance(c, ft.Semantics) and isinstance(c.label, str):
            out.append(c.label)
        for name in ("content", "controls"):
            child = getattr(c, name, None)
            if isinstance(child, list):
                for x in child:
                    walk(x)
            elif isinstance(child, ft.Control):
                walk(child)

    walk(control)
    return out
