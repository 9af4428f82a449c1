"""The office sees each evidence mark (issue 12 §3): on the case dialog, in the 案件 list, and
in the report's line items and notes (JSON and .xlsx) — in words, never as codes."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from fieldapp.domain import commands as cmd
from fieldapp.domain import evidence as ev
from fieldapp.domain.geo import Position
from fieldapp.domain.projection import project_case
from fieldapp.domain.scoring import end_of_day, score_year
from fieldapp.office import users
from fieldapp.office.dashboard.sample import SAMPLE_NOW, fill_sample_office
from fieldapp.office.report import to_json, write_xlsx
from fieldapp.office import words as S
from sync.storage import open_office
from tests.office.test_desk import FakePage, controls_in, make_desk, texts

PHONE = cmd.Actor("inspector-zhang", "phone-zhang")
HERE = Position(34.7480, 113.6270, 8.0)
#: one case per mark, as a phone writes them (registration marks; the last by its re-check)
MARKED = {
    ev.PHOTO_POSITION: (ev.PHOTO_POSITION,),
    ev.PHOTO_OLD: (ev.PHOTO_OLD,),
    ev.OUTSIDE_AREA: (ev.OUTSIDE_AREA,),
    ev.MOCKED_POSITION: (ev.MOCKED_POSITION,),
    ev.AFTER_LIKE_BEFORE: (),
}


def handles(control) -> set[str]:
    """Every Semantics identifier in a control tree, table rows and cells included."""
    import flet as ft

    return {c.identifier for c in controls_in(control) if isinstance(c, ft.Semantics) and c.identifier}


@pytest.fixture
def office(tmp_path, rules):
    path = tmp_path / "office"
    fill_sample_office(path, rules, cases=4)
    found = SAMPLE_NOW - timedelta(days=20)
    ids = {}
    with open_office(path, rules) as store:
        users.ensure_schema(store)
        users.add_user(store, "li", users.STAFF, "li-password")
        for i, (mark, marks) in enumerate(MARKED.items()):
            reg = cmd.register_case(rules, PHONE, found + timedelta(minutes=i), community="C4", category="Z1",
                                    position=HERE, place=f"北街{i + 1}号", marks=marks,
                                    deadline=(found + timedelta(days=3)).astimezone(rules.tz).date())
            events = [reg]
            if mark == ev.AFTER_LIKE_BEFORE:  # rectified on time, with an after photo like the before one
                state = project_case([reg], rules.tz)
                events.append(cmd.recheck(state, PHONE, found + timedelta(days=1), rectified=True,
                                          photos=("e" * 64,), marks=(ev.AFTER_LIKE_BEFORE,)))
            store.append(events, assign_server_seq=True)
            ids[mark] = reg.data.case_id
    return path, ids


def test_the_case_dialog_and_the_case_list_show_each_mark_in_words(office, rules):
    from fieldapp.office.dashboard.case_view import CaseDialog
    from fieldapp.office.dashboard.cases import CasesScreen
    from fieldapp.office.dashboard.context import DashContext
    from fieldapp.office.dashboard import queries

    path, ids = office

    async def scenario():
        desk = make_desk(path, rules)
        await desk.start()
        user, token = await desk.login("li", "li-password")
        ctx = DashContext(desk, FakePage(), token=token, user=user)
        shown = {}
        for mark, case_id in ids.items():
            dialog = CaseDialog(ctx, case_id)
            await dialog.open()
            shown[mark] = (handles(dialog.dialog.content), texts(dialog.dialog.content))
        screen = CasesScreen(ctx)
        screen.status = queries.ALL
        await screen.show()
        listed = (handles(screen.control), texts(screen.control))
        await desk.stop()
        desk.office.close()
        return shown, listed

    shown, (list_handles, list_texts) = asyncio.run(scenario())
    for mark, case_id in ids.items():
        dialog_handles, dialog_texts = shown[mark]
        words = S.EVIDENCE_MARKS[mark]
        assert "case-evidence" in dialog_handles, mark
        assert any(words in t for t in dialog_texts), (mark, dialog_texts)
        assert not any(m in t for t in dialog_texts for m in ev.MARKS)  # no codes on screen
        assert f"case-marks-{case_id}" in list_handles, mark
        assert words in list_texts
    assert S.EVIDENCE_COLUMN in list_texts
    # a case without marks has no evidence panel and no marks cell
    plain = [h for h in list_handles if h.startswith("case-") and not h.startswith("case-marks-")
             and h.removeprefix("case-") not in ids.values() and len(h) > 30]
    assert plain and not {f"case-marks-{h.removeprefix('case-')}" for h in plain} & list_handles


def test_the_report_has_each_mark_on_its_case_lines(office, rules, tmp_path):
    path, ids = office
    with open_office(path, rules) as store:
        result = score_year(rules, list(store.events()), end_of_day(SAMPLE_NOW.date(), rules))
    data = to_json(result, rules)
    c4 = next(c for c in data["ranking"] if c["community"] == "C4")
    notes = {n["case_id"]: n for n in c4["notes"] if n["code"] == "evidence"}
    items = {i["case_id"]: i for i in c4["deductions"]}
    for mark, case_id in ids.items():
        words = S.EVIDENCE_MARKS[mark]
        assert words in notes[case_id]["text"], mark
        if mark != ev.AFTER_LIKE_BEFORE:  # never rectified: a D.further line item, with its mark
            assert items[case_id]["marks"] == [mark] and words in items[case_id]["text"]
    assert ids[ev.AFTER_LIKE_BEFORE] not in items  # rectified on time: no deduction, the note says it

    xlsx = write_xlsx(result, rules, tmp_path / "report.xlsx")
    cells = [str(c.value) for row in load_workbook(xlsx)[rules.community("C4").name].iter_rows() for c in row
             if c.value is not None]
    for mark in ids:
        assert any(S.EVIDENCE_MARKS[mark] in c for c in cells), mark
    assert not any(m in c for c in cells for m in ev.MARKS)
