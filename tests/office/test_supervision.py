"""The 督办 screen without a browser (control trees, handlers called directly), its writes
through the Desk (grant / refuse an exemption request; a viewer refused on the server), and
the notice downloads behind a ticket."""

from __future__ import annotations

import asyncio

import pytest

from fieldapp.office import users
from fieldapp.office.dashboard.desk import Desk, LocalOffice
from fieldapp.office.dashboard.sample import SAMPLE_NOW
from loop_office import FAILED_NOTE, INSPECTOR_NAME, REQUEST_A, REQUEST_B, fill_loop_office
from sync.storage import open_office
from test_desk import FakePage, controls_in, texts


@pytest.fixture
def loop_office(tmp_path, rules):
    path = tmp_path / "office"
    loop = fill_loop_office(path, rules)
    with open_office(path, rules) as store:
        users.ensure_schema(store)
        users.add_user(store, "li", users.STAFF, "li-password")
        users.add_user(store, "zhao", users.VIEWER, "zhao-password")
    return path, loop


def make_desk(path, rules) -> Desk:
    return Desk(LocalOffice(path, rules), rules, clock=lambda: SAMPLE_NOW, poll_seconds=0)


def events_of(path, rules, case_id: str, kind: str):
    with open_office(path, rules) as store:
        return [e for e in store.case_events(case_id) if e.type == kind]


async def open_screen(desk, who: str, password: str):
    from fieldapp.office.dashboard.context import DashContext
    from fieldapp.office.dashboard.supervision import SupervisionScreen

    user, token = await desk.login(who, password)
    ctx = DashContext(desk, FakePage(), token=token, user=user)
    opened = []

    async def open_case(case_id):
        opened.append(case_id)

    ctx.open_case = open_case
    screen = SupervisionScreen(ctx)
    await screen.show()
    return screen, opened


def test_the_screen_lists_urgent_cases_late_rechecks_and_requests_and_every_line_opens_its_case(loop_office, rules):
    path, loop = loop_office

    async def scenario():
        desk = make_desk(path, rules)
        await desk.start()
        screen, opened = await open_screen(desk, "li", "li-password")
        shown = texts(screen.control)
        ids = handles(screen.control)
        # every line opens its case: table rows (on_select) and the request's line
        rows = {}
        for table in (c for c in _walk(screen.control) if type(c).__name__ == "DataTable"):
            for row in table.rows:
                await row.on_select_change(None)
                rows[opened[-1]] = row
        line = next(c for c in _walk(screen.requests) if getattr(c, "on_click", None) and type(c).__name__ == "Container")
        await line.on_click(None)
        await desk.stop()
        desk.office.close()
        return shown, ids, set(rows), opened[-1]

    shown, ids, row_cases, line_case = run(scenario)
    assert "督办" in shown
    assert "逾期和3天内到期的案件，等待复查超过2天的整改反馈，待答复的免责申请。每行的“查看案件”打开案件。" in shown
    # per community: C1's overdue and due-soon cases, with what happened since, and its notice buttons
    assert "逾期 2 件，3天内到期 3 件" in shown
    assert f"复查未通过：{FAILED_NOTE}" in shown and "社区已于2022年5月28日反馈整改，待复查" in shown
    assert {"community-C1", "community-C4", "notice-pdf-C1", "notice-xlsx-C1", f"urgent-{loop.failed}",
            f"urgent-{loop.waiting}"} <= ids  # fmt: skip
    assert f"urgent-{loop.recent}" not in ids and f"urgent-{loop.exempted}" not in ids
    assert INSPECTOR_NAME in shown  # 登记人 by the name the phone was enrolled under, not its id
    assert "inspector-0a1b2c3d" not in shown
    # per inspector: the report waiting since 28 May (more than 2 days); not the one of the evening before
    assert f"{INSPECTOR_NAME}：1 件待复查" in shown and "2022年5月28日反馈整改，已等待 3 天" in shown
    assert f"late-{loop.waiting}" in ids and f"late-{loop.recent}" not in ids
    assert "超时未复查的整改反馈（等待超过2天）" in shown
    # the requests, oldest deadline first, with the community's reasons
    assert f"申请理由：{REQUEST_A}" in shown and f"申请理由：{REQUEST_B}" in shown
    assert shown.index(f"申请理由：{REQUEST_A}") < shown.index(f"申请理由：{REQUEST_B}")
    assert any(t.startswith("李四 5月31日 09:00") for t in shown)
    assert {f"exemption-{loop.request_a}", f"exemption-grant-{loop.request_a}", f"exemption-refuse-{loop.request_b}",
            f"exemption-reason-{loop.request_b}", f"exemption-open-{loop.request_a}"} <= ids  # fmt: skip
    assert {loop.failed, loop.waiting, loop.request_a, loop.request_b} <= row_cases
    assert line_case == loop.request_a


def test_the_office_grants_and_refuses_requests_and_a_viewer_cannot(loop_office, rules):
    from fieldapp.office.dashboard.supervision import refuse_build
    from fieldapp.office import words as strings

    path, loop = loop_office

    async def scenario():
        desk = make_desk(path, rules)
        await desk.start()
        # a viewer: the server refuses, whatever the screen offers
        viewer_screen, _ = await open_screen(desk, "zhao", "zhao-password")
        with pytest.raises(users.NotAllowed) as refused:
            await desk.write(viewer_screen.ctx.token, refuse_build(desk, loop.request_b, "不符合免责条件"))
        assert refused.value.code == "read_only"
        request_b = next(r for r in (await desk.read(_requests)) if r.case.case_id == loop.request_b)
        viewer_screen.answers[loop.request_b].value = "不符合免责条件"
        await viewer_screen._refuse(request_b)
        assert viewer_screen.message.value == strings.DASH_REFUSED_READ_ONLY
        await viewer_screen._grant(request_b)
        assert viewer_screen.message.value == strings.DASH_REFUSED_READ_ONLY
        assert not events_of(path, rules, loop.request_b, "case.exemption_refused")
        assert not events_of(path, rules, loop.request_b, "case.exempted")

        screen, _ = await open_screen(desk, "li", "li-password")
        # refusing needs a reason: refused by the domain, in Chinese, nothing stored
        await screen._refuse(request_b)
        assert screen.message.value == strings.ERRORS["reason_required"]
        assert not events_of(path, rules, loop.request_b, "case.exemption_refused")
        screen.answers[loop.request_b].value = "  不符合免责条件：属日常保洁范围 "
        await screen._refuse(request_b)
        assert screen.message.value == "已答复不同意免责：第一社区 · 卫生死角 · 幸福小区5栋"
        refusals = events_of(path, rules, loop.request_b, "case.exemption_refused")
        assert [(e.actor, e.device, e.data.reason, e.server_seq is not None) for e in refusals] == [
            ("office:li", "office", "不符合免责条件：属日常保洁范围", True)]  # fmt: skip
        assert f"exemption-{loop.request_b}" not in handles(screen.control)  # answered: off the list
        with open_office(path, rules) as store:
            b = store.case(loop.request_b)
        assert (b.exemption_request, b.exemption_refusal_reason) == ("refused", "不符合免责条件：属日常保洁范围")
        assert not b.exempted

        # granting with the answer left empty: exempted with the community's own reason
        before = desk.snapshot().live.community("C1").final
        request_a = next(r for r in (await desk.read(_requests)) if r.case.case_id == loop.request_a)
        await screen._grant(request_a)
        assert screen.message.value == "已同意免责：第一社区 · 建筑垃圾渣土 · 和平路北段"
        with open_office(path, rules) as store:
            a = store.case(loop.request_a)
        assert (a.exempted, a.exempt_reason, a.exemption_request) == (True, REQUEST_A, "granted")
        granted = events_of(path, rules, loop.request_a, "case.exempted")
        assert [(e.actor, e.data.reason) for e in granted] == [("office:li", REQUEST_A)]
        assert strings.DASH_SUP_EXEMPTIONS_EMPTY in texts(screen.control)
        # the A case, two days overdue, no longer costs its further deduction
        after = desk.snapshot().live.community("C1").final
        assert after == before + rules.source("A").further
        # …and it leaves the community's urgent list and its notice
        assert f"urgent-{loop.request_a}" not in handles(screen.control)
        # answering a request that is no longer open: refused, in Chinese
        await screen._refuse(request_b)
        assert screen.message.kind == "error" and "no_request" not in screen.message.value  # said in Chinese
        await desk.stop()
        desk.office.close()

    run(scenario)


def _requests(store):
    from fieldapp.office.dashboard.supervision_data import exemption_requests

    return exemption_requests(store)


@pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")
def test_notice_downloads_need_a_ticket(loop_office, rules):
    import io

    from fastapi.testclient import TestClient
    from openpyxl import load_workbook

    from fieldapp.office.dashboard.server import create_office_app

    path, _ = loop_office
    app = create_office_app(path, rules, clock=lambda: SAMPLE_NOW)
    with TestClient(app) as client:
        desk = app.state.dashboard
        assert client.get("/notices/C1.pdf").status_code == 403
        assert client.get("/notices/C1.pdf?ticket=forged").status_code == 403
        token = client.portal.call(_login, desk)
        assert client.get(f"/notices/C1.pdf?ticket={desk.ticket(token, 'report')}").status_code == 403  # other kind
        pdf = client.get(f"/notices/C1.pdf?ticket={desk.ticket(token, 'notice')}")
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF-")
        assert "filename*=UTF-8''%E7%9D%A3%E5%8A%9E" in pdf.headers["content-disposition"]  # 督办…
        xlsx = client.get(f"/notices/C1.xlsx?ticket={desk.ticket(token, 'notice')}")
        assert xlsx.status_code == 200
        assert load_workbook(io.BytesIO(xlsx.content))["督办通知单"]["D7"].value == "解放路8号"
        assert client.get(f"/notices/C9.pdf?ticket={desk.ticket(token, 'notice')}").status_code == 404
        assert client.get(f"/notices/C1.doc?ticket={desk.ticket(token, 'notice')}").status_code == 404


async def _login(desk):
    _user, token = await desk.login("zhao", "zhao-password")  # a viewer may look and export
    return token


def run(coro_fn):
    return asyncio.run(coro_fn())


def _walk(control):
    return controls_in(control)


def handles(control) -> set[str]:
    """Every test handle in a control tree, table cells included."""
    import flet as ft

    return {c.identifier for c in controls_in(control) if isinstance(c, ft.Semantics) and c.identifier}


def test_a_case_opened_from_the_screen_says_where_it_stands_with_its_community(loop_office, rules):
    """The case dialog: the report waiting for its re-check, the failed check's reason, the request."""
    from fieldapp.office.dashboard.case_view import CaseDialog
    from fieldapp.office.dashboard.context import DashContext

    path, loop = loop_office

    async def scenario():
        desk = make_desk(path, rules)
        await desk.start()
        user, token = await desk.login("li", "li-password")
        ctx = DashContext(desk, FakePage(), token=token, user=user)
        shown = {}
        for key in ("waiting", "failed", "request_a"):
            dialog = CaseDialog(ctx, getattr(loop, key))
            await dialog.open()
            shown[key] = texts(dialog.dialog.content)
        await desk.stop()
        desk.office.close()
        return shown

    shown = run(scenario)
    assert any(t.startswith("已反馈整改，待复查（5月28日 16:00") for t in shown["waiting"])
    assert f"复查未通过：{FAILED_NOTE}" in shown["failed"]
    assert f"社区申请免责：{REQUEST_A}" in shown["request_a"]
