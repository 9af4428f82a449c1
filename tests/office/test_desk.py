"""The dashboard without a browser: the live rankings, the Desk's guarded writes and imports,
download tickets and routes, and the screens' control trees."""

from __future__ import annotations

import ast
import re
import asyncio
import logging
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from fieldapp.domain import commands as cmd
from fieldapp.domain.events import SuperiorScored, new_event
from fieldapp.domain.scoring import evaluation_instant, score_year, year_bounds
from fieldapp.office import users
from fieldapp.office.dashboard import desk as desk_module
from fieldapp.office.dashboard.desk import Desk, LocalOffice, LoginRefused
from fieldapp.office.dashboard.live import LiveBoard, open_store_factory
from fieldapp.office.dashboard.sample import SAMPLE_NOW, fill_sample_office
from fieldapp.office.report import to_json
from sync.storage import open_office
from tests.conftest import PHOTOS

REPO = Path(__file__).resolve().parents[2]
OFFICE = cmd.Actor("office:test", "office")


@pytest.fixture
def office_dir(tmp_path, rules):
    path = tmp_path / "office"
    sample = fill_sample_office(path, rules, cases=8)
    with open_office(path, rules) as store:
        users.ensure_schema(store)
        users.add_user(store, "li", users.STAFF, "li-password")
        users.add_user(store, "zhao", users.VIEWER, "zhao-password")
    return path, sample


def clock():
    return SAMPLE_NOW


def run(coro_fn):
    return asyncio.run(coro_fn())


def make_desk(path, rules) -> Desk:
    return Desk(LocalOffice(path, rules), rules, clock=clock, poll_seconds=0)


# --- the live rankings -------------------------------------------------------------------------


def test_live_board_follows_the_log_event_by_event(office_dir, rules):
    path, sample = office_dir
    board = LiveBoard(open_store_factory(path, rules), rules, clock)
    live_at = evaluation_instant(rules, now=SAMPLE_NOW)
    end = year_bounds(rules)[1]

    def check():
        with open_office(path, rules) as store:
            events = list(store.events())
        snap = board.snapshot()
        assert to_json(snap.live, rules) == to_json(score_year(rules, events, live_at), rules)
        assert to_json(snap.final, rules) == to_json(score_year(rules, events, end), rules)
        return snap

    board.executor.submit(board.load).result()
    check()
    with open_office(path, rules) as store:
        a = store.case(sample.external_a)
        b = store.case(sample.external_b)
        extra = [
            new_event(SuperiorScored("C1", "2022-05", 60), actor=OFFICE.actor, device="office", now=SAMPLE_NOW),
            cmd.link_recurrence("confirmed", sample.recurrence_new, sample.recurrence_earlier, OFFICE, SAMPLE_NOW),
            cmd.verify(b, OFFICE, SAMPLE_NOW),
            cmd.exempt(a, rules, OFFICE, SAMPLE_NOW, reason="桥下施工无法打捞"),
            cmd.void(b, OFFICE, SAMPLE_NOW + timedelta(seconds=1), reason="重复登记"),
        ]
    before = board.snapshot()
    for event in extra:
        with open_office(path, rules) as store:
            store.append([event], assign_server_seq=True)
        started = time.perf_counter()
        assert board.executor.submit(board.catch_up).result() == 1
        elapsed_ms = (time.perf_counter() - started) * 1000
        check()
    after = board.snapshot()
    assert after.version > before.version
    assert after.superior["C1"][5] == 60
    assert after.live.community("C2").final == before.live.community("C2").final - 2  # the recurrence
    assert elapsed_ms < 200
    assert board.executor.submit(board.catch_up).result() == 0  # nothing new, same minute: no work
    board.close()


def test_once_the_year_is_over_live_and_year_end_agree(office_dir, rules):
    from datetime import datetime, timezone

    path, _ = office_dir
    board = LiveBoard(open_store_factory(path, rules), rules, lambda: datetime(2023, 3, 1, tzinfo=timezone.utc))
    board.executor.submit(board.load).result()
    snap = board.snapshot()
    assert snap.year_over and snap.live.evaluated_at == snap.final.evaluated_at
    assert to_json(snap.live, rules) == to_json(snap.final, rules)
    board.close()


# --- the Desk: who may write ------------------------------------------------------------------------


def test_writes_check_the_session_and_the_role_on_the_server(office_dir, rules):
    path, sample = office_dir

    async def scenario():
        desk = make_desk(path, rules)
        await desk.start()
        _li, staff = await desk.login("li", "li-password")
        _zhao, viewer = await desk.login("zhao", "zhao-password")

        def build(store, user):
            return desk.record_events(store, user, [{"record": "superior_score", "community": "C1",
                                                     "month": "2022-05", "score": 60}], fresh=True)  # fmt: skip

        count = desk.live.snapshot().seq
        for token, code in ((viewer, "read_only"), (None, "no_session"), ("forged", "no_session")):
            with pytest.raises(users.NotAllowed) as refused:
                await desk.write(token, build)
            assert refused.value.code == code
        assert desk.live.snapshot().seq == count

        before = desk.snapshot().live.community("C1").final
        outcome = await desk.write(staff, build)
        assert (outcome.accepted, outcome.user.username) == (1, "li")
        assert desk.snapshot().live.community("C1").final < before  # refreshed at once
        with open_office(path, rules) as store:
            last = list(store.events(after_seq=count))
        assert [(e.actor, e.device, e.server_seq is not None) for e in last] == [("office:li", "office", True)]

        # typing the same score again is a new entry (latest wins); a tally twice counts once
        assert (await desk.write(staff, build)).accepted == 1

        def tally(store, user):
            return desk.record_events(store, user, [{"record": "survey_tally", "community": "C2",
                                                     "date": "2022-05-30", "counts": {"满意": 5}}])  # fmt: skip

        assert (await desk.write(staff, tally)).accepted == 1
        again = await desk.write(staff, tally)
        assert (again.accepted, again.duplicates) == (0, 1)

        with open_office(path, rules) as store:  # demoted or disabled while logged in: refused at once
            users.set_role(store, "li", users.VIEWER)
        with pytest.raises(users.NotAllowed):
            await desk.write(staff, build)
        with open_office(path, rules) as store:
            users.set_role(store, "li", users.STAFF)
            users.disable_user(store, "li")
        with pytest.raises(users.NotAllowed) as refused:
            await desk.write(staff, build)
        assert refused.value.code == "no_session"
        assert not await desk.check(staff) and await desk.check(viewer)
        await desk.stop()
        desk.office.close()

    run(scenario)


def test_login_throttle_and_nothing_secret_in_the_log(office_dir, rules, caplog):
    path, _ = office_dir
    caplog.set_level(logging.DEBUG)

    async def scenario():
        desk = make_desk(path, rules)
        await desk.start()
        for _ in range(desk_module.LOGIN_FAILURES - 1):
            with pytest.raises(LoginRefused) as refused:
                await desk.login("li", "wrong-password-x")
            assert refused.value.code == "bad_credentials"
        with pytest.raises(LoginRefused) as refused:
            await desk.login("li", "wrong-password-x")
        assert refused.value.code == "locked"
        with pytest.raises(LoginRefused):  # even the right password, for a minute
            await desk.login("li", "li-password")
        user, token = await desk.login("zhao", "zhao-password")  # other names are not locked
        assert user.role == "viewer"
        await desk.stop()
        desk.office.close()
        return token

    token = run(scenario)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "li-password" not in text and "wrong-password-x" not in text and token not in text
    assert "failed login" in text


def test_import_upload_is_all_or_nothing(office_dir, rules, tmp_path):
    from openpyxl import load_workbook

    from fieldapp.office.imports import write_templates

    path, _ = office_dir
    superior, _survey = write_templates(tmp_path, rules)
    wb = load_workbook(superior)
    for row in range(3, 7):
        wb.active.cell(row, 6).value = 90
    wb.active["F5"] = "abc"
    wb.save(superior)

    async def scenario():
        desk = make_desk(path, rules)
        await desk.start()
        _u, token = await desk.login("li", "li-password")
        _v, viewer = await desk.login("zhao", "zhao-password")
        seq = desk.snapshot().seq
        report = await desk.import_upload(token, "上级考核.xlsx", superior.read_bytes())
        assert [(p.where, p.message) for p in report.problems] == [("第5行F列", "得分：应为数字，却是“abc”")]
        assert not report.imported and desk.snapshot().seq == seq
        with pytest.raises(users.NotAllowed):
            await desk.import_upload(viewer, "上级考核.xlsx", superior.read_bytes())
        wb.active["F5"] = 90
        wb.save(superior)
        report = await desk.import_upload(token, "上级考核.xlsx", superior.read_bytes())
        assert (report.ok, report.new, report.file) == (True, 4, "上级考核.xlsx")
        assert desk.snapshot().superior["C3"][5] == 90
        await desk.stop()
        desk.office.close()

    run(scenario)


def test_a_phone_outbox_file_uploaded_on_the_dashboard_counts_at_once(office_dir, rules, tmp_path):
    from fieldapp.casework import Casework
    from fieldapp.text import fmt
    from sync import auth, phonebook, storage
    from sync.outbox import export_outbox

    path, _ = office_dir
    with open_office(path, rules) as office:
        code, _ = auth.create_code(office, "inspector-9", ["C4"], now=SAMPLE_NOW)
        device, token = auth.redeem_code(office, code, now=SAMPLE_NOW)
    phone_dir = tmp_path / "phone"
    with phonebook.open_phone(phone_dir, rules) as phone:
        phonebook.PhoneBook(phone).save_credentials("http://unreachable", token, device.device_id, "inspector-9", ["C4"])
        work = Casework(phone, phone_dir / storage.PHOTO_DIR, cmd.Actor("inspector-9", device.device_id),
                        clock=lambda: SAMPLE_NOW - timedelta(days=20))  # fmt: skip
        photo = (PHOTOS / "01_gps_apple__Apple_iPhone_4.jpg").read_bytes()
        case = work.register(community="C4", category="Z1", photos=[photo], place="北街", deadline=date(2022, 5, 15))
        data, exported = export_outbox(phone, phone_dir / storage.PHOTO_DIR)
    assert exported.events == 2 and exported.photos == 1

    async def scenario():
        desk = make_desk(path, rules)
        await desk.start()
        _u, token = await desk.login("li", "li-password")
        _v, viewer = await desk.login("zhao", "zhao-password")
        before = desk.snapshot().live.community("C4").final
        with pytest.raises(users.NotAllowed):
            await desk.import_outbox_upload(viewer, data)
        result = await desk.import_outbox_upload(token, data)
        lines = fmt.outbox_imported_lines(result, "outbox.zip")
        after = desk.snapshot().live.community("C4").final
        await desk.stop()
        desk.office.close()
        return result, lines, before, after

    result, lines, before, after = run(scenario)
    assert (result.accepted, result.photos_stored, result.inspector) == (2, 1, "inspector-9")
    assert lines[0].startswith("outbox.zip：收到inspector-9手机上的 2 项案件记录（登记、照片、复查等），新的 2 项")
    assert after == before - Decimal("0.1")  # its inspector's D case, overdue on 1 June, costs C4 at once
    with open_office(path, rules) as office:
        assert office.case(case.case_id).community == "C4"


def test_download_tickets_are_single_use_short_lived_and_of_one_kind(office_dir, rules, monkeypatch):
    path, _ = office_dir

    async def scenario():
        desk = make_desk(path, rules)
        await desk.start()
        user, token = await desk.login("zhao", "zhao-password")
        t = desk.ticket(token, "report")
        assert (await desk.redeem(t, "report"))[0] == user
        assert await desk.redeem(t, "report") is None  # used
        assert await desk.redeem(desk.ticket(token, "report"), "template") is None  # another kind
        late = desk.ticket(token, "report")
        real = time.monotonic
        monkeypatch.setattr(desk_module.time, "monotonic", lambda: real() + desk_module.TICKET_SECONDS + 1)
        assert await desk.redeem(late, "report") is None
        monkeypatch.setattr(desk_module.time, "monotonic", real)
        ended = desk.ticket(token, "report")
        await desk.logout(token)
        assert await desk.redeem(ended, "report") is None  # the session ended meanwhile
        await desk.stop()
        desk.office.close()

    run(scenario)


# --- one app: the sync API and the dashboard ----------------------------------------------------------


@pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")  # its TestClient
def test_one_app_serves_the_sync_api_the_dashboard_and_ticketed_downloads(office_dir, rules):
    import io

    from fastapi.testclient import TestClient
    from openpyxl import load_workbook

    from fieldapp.office.dashboard.server import create_office_app

    path, _ = office_dir
    app = create_office_app(path, rules, clock=clock)
    with TestClient(app) as client:
        desk = app.state.dashboard
        page = client.get("/")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        hello = client.get("/api/v1/hello")
        assert hello.status_code == 401 and hello.json()["error"]["code"] == "token_missing"
        assert client.get("/reports/2022.xlsx").status_code == 403
        assert client.get("/reports/2022.xlsx?ticket=made-up").status_code == 403

        _user, token = client.portal.call(desk.login, "zhao", "zhao-password")
        ticket = desk.ticket(token, "report")
        got = client.get(f"/reports/2022.xlsx?which=live&ticket={ticket}")
        assert got.status_code == 200
        assert "attachment" in got.headers["content-disposition"] and got.headers["cache-control"] == "no-store"
        sheet = load_workbook(io.BytesIO(got.content))["排名"]
        finals = {row[1]: row[11] for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]}
        live = desk.snapshot().live
        assert finals == {c.name: float(c.final) for c in live.communities}
        assert client.get(f"/reports/2022.xlsx?which=live&ticket={ticket}").status_code == 403  # used
        assert client.get(f"/reports/2021.xlsx?ticket={desk.ticket(token, 'report')}").status_code == 404
        template = client.get(f"/templates/superior.xlsx?ticket={desk.ticket(token, 'template')}")
        assert template.status_code == 200 and "filename*=UTF-8''" in template.headers["content-disposition"]


def test_ticket_values_are_redacted_in_the_access_log():
    from fieldapp.office.dashboard.server import RedactTickets

    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:1", "GET", "/reports/2022.xlsx?which=live&ticket=SECRET-1", "1.1", 200),
                               None)  # fmt: skip
    assert RedactTickets().filter(record)
    assert "SECRET" not in record.getMessage() and "ticket=***" in record.getMessage()


# --- the screens, without a browser ---------------------------------------------------------------


class FakePage:
    """Enough of ft.Page for the screens' render code (no client)."""

    def __init__(self):
        self.updates = 0
        self.dialogs = []

    def update(self, *controls):
        self.updates += 1

    def show_dialog(self, dialog):
        self.dialogs.append(dialog)

    def pop_dialog(self):
        return self.dialogs.pop() if self.dialogs else None


def controls_in(control, names=("content", "controls", "rows", "cells", "columns", "label", "title", "segments")):
    """Every control in a tree, each once, following the attributes `names`."""
    seen = set()

    def walk(c):
        if c is None or id(c) in seen:
            return
        seen.add(id(c))
        yield c
        for name in names:
            value = getattr(c, name, None)
            for v in value if isinstance(value, list) else [value] if hasattr(value, "__dict__") else []:
                yield from walk(v)

    return walk(control)


def texts(control) -> list[str]:
    """Every text value and label in a control tree."""
    import flet as ft

    return [c.value for c in controls_in(control) if isinstance(c, ft.Text) and c.value]


def test_screens_render_the_sample_office(office_dir, rules):
    from fieldapp.office.dashboard.case_view import CaseDialog
    from fieldapp.office.dashboard.context import DashContext
    from fieldapp.office.dashboard.shell import _screens

    path, sample = office_dir

    async def scenario():
        desk = make_desk(path, rules)
        await desk.start()
        user, token = await desk.login("li", "li-password")
        ctx = DashContext(desk, FakePage(), token=token, user=user)

        async def open_case(case_id):
            dialog = CaseDialog(ctx, case_id)
            await dialog.open()
            return dialog

        ctx.open_case = open_case
        shown = {}
        for key, _label, _icon, _selected, cls in _screens():
            screen = cls(ctx)
            await screen.show()
            shown[key] = texts(screen.control)
        dialog = await open_case(sample.recurrence_new)
        shown["case"] = texts(dialog.dialog.content)
        final = desk.snapshot().live.community("C2").final
        await desk.stop()
        desk.office.close()
        return shown, final

    shown, final = run(scenario)
    assert "社区考核排名" in shown["ranking"] and "第二社区" in shown["ranking"]
    assert f"{final:.2f}" in shown["ranking"]
    assert any("同一问题再次出现" in t or "扣分" in t for t in shown["community"])
    assert any(t.startswith("新案：第二社区") for t in shown["cases"])
    assert "上级考核月度得分" in shown["entry"]
    assert "6200 元" in shown["fund"]
    assert "整改前照片" in shown["case"] and any("疑似整改后再次出现" in t for t in shown["case"])


# --- the case dialog's office actions: 作废, 调整整改期限 ----------------------------------------------------


def handles(control) -> set[str]:
    """Every ``ft.Semantics`` identifier in a control tree (the test handles)."""
    import flet as ft

    return {c.identifier for c in controls_in(control, ("content", "controls"))
            if isinstance(c, ft.Semantics) and c.identifier}


def _event_count(path, rules) -> int:
    with open_office(path, rules) as store:
        return store.db.execute("SELECT count(*) FROM events").fetchone()[0]


def test_office_voids_a_case_and_changes_a_deadline_through_the_desk(office_dir, rules):
    from fieldapp.office.dashboard.case_view import deadline_build, void_build
    from fieldapp.office.dashboard.context import DashContext
    from fieldapp.office import words as strings
    from fieldapp.ui.components import Message

    path, sample = office_dir
    a, open_case = sample.external_a, sample.recurrence_new  # C3 A case −2 −2; a C2 case due 10 June

    async def scenario():
        desk = make_desk(path, rules)
        await desk.start()
        li, staff = await desk.login("li", "li-password")
        zhao, viewer = await desk.login("zhao", "zhao-password")
        ctx = DashContext(desk, FakePage(), token=staff, user=li)
        message = Message("case")

        async def save(build, ok="ok", context=ctx):
            return await context.save(build, message, ok)

        # a viewer is refused by the server, whatever the dialog shows
        count = _event_count(path, rules)
        with pytest.raises(users.NotAllowed) as refused:
            await desk.write(viewer, void_build(desk, a, "重复登记"))
        assert refused.value.code == "read_only"
        as_viewer = DashContext(desk, FakePage(), token=viewer, user=zhao)
        assert await save(void_build(desk, a, "重复登记"), context=as_viewer) is None
        assert message.value == strings.DASH_REFUSED_READ_ONLY
        assert await save(deadline_build(desk, open_case, date(2022, 6, 20), "施工延期"), context=as_viewer) is None
        assert message.value == strings.DASH_REFUSED_READ_ONLY

        # refused by the domain, in Chinese: a past date, no reason
        assert await save(deadline_build(desk, open_case, date(2022, 5, 31), "施工延期")) is None
        assert message.value == strings.ERRORS["deadline_in_past"] == "整改期限不能早于今天，请重新选择期限。"
        assert await save(deadline_build(desk, open_case, date(2022, 6, 20), "  ")) is None
        assert message.value == strings.ERRORS["reason_required"]
        assert await save(void_build(desk, a, "")) is None
        assert message.value == strings.ERRORS["reason_required"]
        assert _event_count(path, rules) == count  # nothing stored
        with open_office(path, rules) as store:
            assert store.case(open_case).deadline == date(2022, 6, 10)
            assert store.case(a).lifecycle != "voided"

        # a new deadline (today is allowed)
        outcome = await save(deadline_build(desk, open_case, date(2022, 6, 20), "施工延期"))
        assert (outcome.accepted, outcome.user.username) == (1, "li")
        with open_office(path, rules) as store:
            moved = store.case(open_case)
            events = [e for e in store.case_events(open_case) if e.type == "case.deadline_changed"]
        assert moved.deadline == date(2022, 6, 20)
        assert [(e.actor, e.device, e.data.reason, e.server_seq is not None) for e in events] == [
            ("office:li", "office", "施工延期", True)]  # fmt: skip
        assert (await save(deadline_build(desk, open_case, date(2022, 6, 1), "提前复查"))).accepted == 1

        # void: the case drops out of the score
        before = desk.snapshot().live.community("C3")
        own = [d.points for d in before.deductions if d.case_id == a]
        assert sum(own) == -4
        assert (await save(void_build(desk, a, "重复登记"))).accepted == 1
        with open_office(path, rules) as store:
            voided = store.case(a)
        assert (voided.lifecycle, voided.void_reason) == ("voided", "重复登记")
        after = desk.snapshot().live.community("C3")
        assert not [d for d in after.deductions if d.case_id == a]
        assert any(n.code == "voided" and n.case_id == a for n in after.notes)
        assert after.final == before.final + 4

        # a voided case takes neither again
        count = _event_count(path, rules)
        assert await save(void_build(desk, a, "再作废")) is None
        assert message.value == strings.ERRORS["case_voided"]
        assert await save(deadline_build(desk, a, date(2022, 6, 20), "施工延期")) is None
        assert message.value == strings.ERRORS["case_voided"]
        assert _event_count(path, rules) == count
        await desk.stop()
        desk.office.close()

    run(scenario)


def test_case_dialog_offers_void_and_deadline_and_checks_the_typed_date(office_dir, rules):
    from fieldapp.office.dashboard.case_view import CaseDialog, parse_day
    from fieldapp.office.dashboard.context import DashContext
    from fieldapp.office import words as strings

    assert parse_day(" 2022-06-10 ") == parse_day("2022/6/10") == parse_day("2022.6.10") == date(2022, 6, 10)
    assert [parse_day(t) for t in ("2022-02-30", "6月10日", "20220610", "2022-06/10", "", None)] == [None] * 6
    path, sample = office_dir
    b = sample.external_b  # C1, source B, open, due 1 June

    async def scenario():
        desk = make_desk(path, rules)
        await desk.start()
        user, token = await desk.login("li", "li-password")
        ctx = DashContext(desk, FakePage(), token=token, user=user)
        shown = {}
        for case_id in (sample.recurrence_earlier, b):  # rectified in March; open
            dialog = CaseDialog(ctx, case_id)
            await dialog.open()
            shown[case_id] = handles(dialog.dialog.content)
        assert {"case-void", "case-void-reason"} <= shown[sample.recurrence_earlier]
        assert not {"case-deadline", "case-deadline-date"} & shown[sample.recurrence_earlier]
        assert {"case-void", "case-void-reason", "case-deadline", "case-deadline-date",
                "case-deadline-reason"} <= shown[b]  # fmt: skip

        count = _event_count(path, rules)
        dialog.deadline_date.value, dialog.deadline_reason.value = "2022-06-31", "施工延期"
        await dialog._change_deadline()
        assert dialog.message.value == strings.DASH_DEADLINE_BAD_DATE
        assert _event_count(path, rules) == count
        dialog.deadline_date.value = "2022/6/15"
        await dialog._change_deadline()
        assert dialog.message.value == strings.DASH_SAVED_DEADLINE.format(date="2022年6月15日")
        assert dialog.state.deadline == date(2022, 6, 15)  # reloaded
        assert dialog.deadline_date.value == "" and any("2022年6月15日" in t for t in texts(dialog.body))

        await dialog._void()
        assert dialog.message.value == strings.ERRORS["reason_required"]
        dialog.void_reason.value = "登记错误"
        await dialog._void()
        assert dialog.message.value == strings.VOID_SAVED
        assert dialog.state.lifecycle == "voided"
        assert strings.CASE_CLOSED_VOIDED.format(reason="登记错误") in texts(dialog.body)
        assert not {"case-void", "case-deadline", "case-exempt"} & handles(dialog.dialog.content)
        await desk.stop()
        desk.office.close()

    run(scenario)


# --- strings ------------------------------------------------------------------------------------------------


def _cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" for ch in text)


def _literals(path: Path) -> list[tuple[int, str]]:
    """The string literals of a module that are not docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                  and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_dashboard_modules_keep_their_chinese_in_strings_py():
    """Screen code names strings.DASH_* (the font subset is made from office/words.py): no Chinese literals."""
    offenders = []
    for path in sorted((REPO / "fieldapp" / "office" / "dashboard").glob("*.py")):
        if path.name == "sample.py":  # sample data, not UI text
            continue
        for lineno, value in _literals(path):
            if _cjk(value.strip("：（）、；， ")):  # punctuation joining two DASH_* texts is fine
                offenders.append(f"{path.name}:{lineno} {value!r}")
    assert offenders == []


def test_every_dashboard_character_is_in_the_bundled_font():
    ttlib = pytest.importorskip("fontTools.ttLib")
    cmap = ttlib.TTFont(REPO / "assets" / "fonts" / "NotoSansSC-Subset.ttf").getBestCmap()
    block = "".join((REPO / "fieldapp" / part).read_text(encoding="utf-8")
                    for part in ("office/words.py", "text/common.py"))
    for path in (REPO / "fieldapp" / "office" / "dashboard").glob("*.py"):
        block += "".join(value for _line, value in _literals(path))
    missing = sorted({ch for ch in block if ord(ch) > 127 and ord(ch) not in cmap})
    assert missing == []


def test_report_dates_in_sample_are_of_the_rules_year(rules):
    assert SAMPLE_NOW.astimezone(rules.tz).date() == date(rules.year, 6, 1)


def test_report_words_cover_the_scoring_codes():
    from fieldapp.domain import scoring as sc
    from fieldapp.office import words as strings

    assert set(strings.REPORT_REASON_WORDS) == {getattr(sc, n) for n in dir(sc) if n.startswith("R_")}
    assert set(strings.REPORT_COMPONENT_WORDS) == {"superior", "office", "satisfaction"}


def test_a_community_with_a_busy_year_shows_its_line_items_a_page_at_a_time(office_dir, rules):
    from fieldapp.office.dashboard import community as community_module
    from fieldapp.office.dashboard.context import DashContext
    from fieldapp.office import words as strings

    path, _ = office_dir
    found = SAMPLE_NOW - timedelta(days=30)
    events = [cmd.register_case(rules, OFFICE, found, community="C4", category="Z1", source="C", place=f"北街{i}号",
                                deadline=date(2022, 5, 10)) for i in range(450)]  # fmt: skip
    with open_office(path, rules) as store:
        store.append(events, assign_server_seq=True)

    async def scenario():
        desk = make_desk(path, rules)
        await desk.start()
        user, token = await desk.login("li", "li-password")
        screen = community_module.CommunityScreen(DashContext(desk, FakePage(), token=token, user=user))
        await screen.show(community="C4")
        c4 = desk.snapshot().live.community("C4")
        shown = [len(screen.items.content.content.rows), screen.more.visible, screen.items_count.value]
        await screen._more()
        shown += [len(screen.items.content.content.rows)]
        await screen._more()
        shown += [len(screen.items.content.content.rows), screen.more.visible]
        await desk.stop()
        desk.office.close()
        return c4, shown

    c4, shown = run(scenario)
    n = len(c4.deductions) + len(c4.bonuses)
    page = community_module.ITEMS_PAGE
    assert 2 * page < n < 3 * page  # 450 C cases past their deadline: a further deduction each
    assert shown[:3] == [page, True, strings.DASH_ITEMS_COUNT.format(n=n, shown=page)]
    assert shown[3:] == [2 * page, n, False]


# --- 录入: errors by the field's label, the field marked; a viewer's forms read-only ---------------------------


FIELD_KEY = re.compile(r"[A-Za-z_]+[:：]")  # "score:" — a record key on screen


def test_entry_errors_name_the_field_in_chinese_and_mark_it(office_dir, rules):
    import flet as ft

    from fieldapp.office.dashboard.context import DashContext
    from fieldapp.office.dashboard.entry import EntryScreen
    from fieldapp.office import words as strings
    from fieldapp.text.theme import Palette

    path, _ = office_dir

    async def scenario():
        desk = make_desk(path, rules)
        await desk.start()
        user, token = await desk.login("li", "li-password")
        screen = EntryScreen(DashContext(desk, FakePage(), token=token, user=user))
        await screen.show(form="office")
        count = _event_count(path, rules)
        screen.o_date.value, screen.o_score.value = "2022-13-01", "150"
        await screen._save_office()
        said = screen.message.value
        marked = (screen.o_date.error, screen.o_score.error, screen.o_community.error_text)
        assert _event_count(path, rules) == count
        screen.o_date.value, screen.o_score.value = "2022-05-20", "88"
        await screen._save_office()
        fixed = (screen.message.value, screen.o_date.error, screen.o_score.error)

        await screen.show(form="survey")
        screen.s_counts["满意"].value = "-1"
        await screen._save_survey()
        survey = (screen.message.value, screen.s_counts["满意"].error, screen.s_counts["不满意"].error)

        await screen.show(form="superior")
        screen.cells[("C2", 5)].value = "abc"
        screen.cells[("C3", 5)].value = "90"
        await screen._save_superior()
        grid = (screen.message.value, screen.cells[("C2", 5)].border_color, screen.cells[("C2", 5)].tooltip,
                screen.cells[("C3", 5)].border_color)  # fmt: skip
        await desk.stop()
        desk.office.close()
        return said, marked, fixed, survey, grid, {type(c) for c in w_walk(screen.forms["case"])}

    said, marked, fixed, survey, grid, _kinds = run(scenario)
    assert said == "没有保存：日期：应为日期（如 2022-06-01），却是“2022-13-01”；得分：150 不在 0–100 之间"
    assert marked == ("应为日期（如 2022-06-01），却是“2022-13-01”", "150 不在 0–100 之间", None)
    assert fixed == (strings.DASH_SAVED_WHAT.format(what=strings.DASH_ENTRY_OFFICE), None, None)
    assert survey == ("没有保存：满意人数：应为不小于 0 的整数，却是“-1”", "应为不小于 0 的整数，却是“-1”", None)
    assert grid[0] == "没有保存：第二社区 5月 得分：应为数字，却是“abc”"
    assert grid[1:] == (Palette.ERROR, "第二社区 5月 得分：应为数字，却是“abc”", None)
    for text in (said, survey[0], grid[0]):
        assert not FIELD_KEY.search(text)


def w_walk(control):
    from fieldapp.office.dashboard import widgets

    return widgets.walk(control)


def test_a_viewers_forms_are_read_only_and_say_so(office_dir, rules):
    import flet as ft

    from fieldapp.office.dashboard.case_view import CaseDialog
    from fieldapp.office.dashboard.context import DashContext
    from fieldapp.office.dashboard.entry import EntryScreen
    from fieldapp.office import words as strings

    path, sample = office_dir
    inputs = (ft.TextField, ft.Dropdown, ft.Checkbox, ft.FilledButton, ft.OutlinedButton)

    async def scenario():
        desk = make_desk(path, rules)
        await desk.start()
        out = {}
        for name, password in (("zhao", "zhao-password"), ("li", "li-password")):
            user, token = await desk.login(name, password)
            ctx = DashContext(desk, FakePage(), token=token, user=user)
            screen = EntryScreen(ctx)
            await screen.show()
            forms = {key: [c for c in w_walk(form) if isinstance(c, inputs)] for key, form in screen.forms.items()}
            dialog = CaseDialog(ctx, sample.external_b)
            await dialog.open()
            out[name] = (screen.read_only.visible, forms,
                         [c for c in w_walk(dialog.body) if isinstance(c, inputs)], texts(dialog.body))  # fmt: skip
        await desk.stop()
        desk.office.close()
        return out

    out = run(scenario)
    visible, forms, dialog_inputs, dialog_texts = out["zhao"]
    assert visible
    for key, controls in forms.items():
        assert controls, key
        if key == "import":  # the templates stay downloadable; the import is not offered
            assert [c.disabled for c in controls] == [True, False, False]
        else:
            assert all(c.disabled for c in controls), key
    assert dialog_inputs and all(c.disabled for c in dialog_inputs)
    assert strings.DASH_ENTRY_READ_ONLY in dialog_texts
    visible, forms, dialog_inputs, dialog_texts = out["li"]
    assert not visible and not any(c.disabled for controls in forms.values() for c in controls)
    assert not any(c.disabled for c in dialog_inputs) and strings.DASH_ENTRY_READ_ONLY not in dialog_texts


def test_the_screens_speak_the_offices_words(office_dir, rules):
    """What the sample office's screens show (every screen, a case dialog, the login): no record
    keys, no bare source letters (D类), sources by their names, one date format, no developer
    phrases, 办事处 throughout, no ids."""
    from fieldapp.office.dashboard.case_view import CaseDialog
    from fieldapp.office.dashboard.context import DashContext
    from fieldapp.office.dashboard.login import LoginView
    from fieldapp.office.dashboard.shell import _screens

    path, sample = office_dir

    async def scenario():
        desk = make_desk(path, rules)
        await desk.start()
        user, token = await desk.login("li", "li-password")
        ctx = DashContext(desk, FakePage(), token=token, user=user)
        ctx.open_case = lambda _id: None
        shown = {"login": texts(LoginView(desk, lambda *_: None).control)}
        for key, _label, _icon, _selected, cls in _screens():
            screen = cls(ctx)
            await screen.show()
            shown[key] = texts(screen.control)
            if key == "entry":
                for form in ("office", "bonus", "survey", "case", "fund", "import"):
                    await screen.show(form=form)
                    shown[f"entry-{form}"] = texts(screen.control)
                    shown[f"entry-{form}-options"] = [o.text for c in w_walk(screen.control) if isinstance(
                        c, __import__("flet").Dropdown) for o in c.options]  # fmt: skip
        for case_id in (sample.external_a, sample.external_b, sample.recurrence_new):
            dialog = CaseDialog(ctx, case_id)
            await dialog.open()
            shown[f"case-{case_id[:4]}"] = texts(dialog.dialog.content)
        await desk.stop()
        desk.office.close()
        return shown

    shown = run(scenario)
    bad = {
        "a record key": re.compile(r"[A-Za-z_]+[:：]"),
        "a source letter": re.compile(r"(?<![A-Za-z])[A-E] ?类"),
        "a date not in the dashboard's format": re.compile(r"\d{4}-\d{1,2}-\d{1,2}(?!\d)"),
        "a case's short id": re.compile(r"案件 [0-9a-f]{8}"),  # (people by name: the attribution tests)
        "a developer phrase": re.compile(r"fieldapp|不在收到的方案中|条记录|办公室"),
    }
    found = [(screen, what, t) for screen, values in shown.items() for t in values for what, r in bad.items()
             if r.search(t) and not (what == "a date not in the dashboard's format" and "如 2022-" in t)]
    assert found == [], "\n".join(map(str, found))
    everything = [t for values in shown.values() for t in values]
    assert any(rules.source("A").name in t for t in everything)  # sources by their names
    assert strings_of("DASH_LOGIN_HINT") in shown["login"]


def strings_of(name: str) -> str:
    from fieldapp.office import words as strings

    return getattr(strings, name)
