"""绑定手机 on the dashboard (issue 10): an admin makes a code shown as the QR code a phone
photographs (office address, code, certificate fingerprint); staff are refused on the server."""

from __future__ import annotations

import asyncio
import io

from PIL import Image

from fieldapp.office import users
from fieldapp.office.dashboard.context import DashContext
from fieldapp.office.dashboard.desk import Desk, LocalOffice
from fieldapp.office.dashboard.enrol_view import EnrolScreen
from fieldapp.office import words as strings
from sync import enrolqr
from sync.storage import open_office
from sync.tls import office_certificate, remember_serving
from tests.office.test_desk import FakePage, clock


def test_an_admin_gets_the_qr_code_staff_are_refused(tmp_path, rules):
    path = tmp_path / "office"
    with open_office(path, rules) as store:
        users.ensure_schema(store)
        users.add_user(store, "wang", users.ADMIN, "wang-password")
        users.add_user(store, "li", users.STAFF, "li-password")
    cert = office_certificate(path, ["127.0.0.1"])
    remember_serving(path, "https://192.168.1.10:8765", cert)

    async def scenario():
        desk = Desk(LocalOffice(path, rules), rules, clock=clock, poll_seconds=0)
        await desk.start()
        shown = {}
        for name in ("li", "wang"):
            user, token = await desk.login(name, f"{name}-password")
            screen = EnrolScreen(DashContext(desk, FakePage(), token=token, user=user))
            await screen.show()
            screen.name.value = "zhangsan"
            screen.boxes["C1"].value = True
            await screen._make()
            shown[name] = screen
        await desk.stop()
        desk.office.close()
        return shown

    shown = asyncio.run(scenario())
    assert shown["li"].message.value == strings.DASH_ENROL_ADMIN_ONLY and not shown["li"].result.controls
    card = shown["wang"].result.controls[0]
    png = _find_image(card)
    invite = enrolqr.parse(enrolqr.read_qr(png))
    assert invite.server_url == "https://192.168.1.10:8765" and invite.fingerprint == cert.fingerprint
    with open_office(path, rules) as store:
        assert store.db.execute("SELECT inspector FROM sync_enrol_codes").fetchall() == [("zhangsan",)]
    assert Image.open(io.BytesIO(png)).size[0] > 100


def _find_image(control) -> bytes:
    import flet as ft

    stack = [control]
    while stack:
        c = stack.pop()
        if isinstance(c, ft.Image):
            return c.src
        for attr in ("content", "controls"):
            child = getattr(c, attr, None)
            if isinstance(child, list):
                stack.extend(child)
            elif child is not None:
                stack.append(child)
    raise AssertionError("no QR image")
