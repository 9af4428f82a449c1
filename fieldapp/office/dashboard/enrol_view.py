"""绑定手机: an admin makes a one-time code for a phone and shows it as the QR code the phone
photographs (office address, code, the fingerprint of the certificate the phone will pin:
sync/enrolqr.py) — the same code `fieldapp office enrol` prints. The session and the admin role
are checked on the writer thread (`Desk.enrolment`). Handles: ``screen-enrol``, ``enrol-name``,
``enrol-make``, ``enrol-qr``.
"""

from __future__ import annotations

import flet as ft

from fieldapp.domain.events import DEVICE_ROLES, INSPECTOR
from fieldapp.office import users
from fieldapp.office.dashboard import widgets as w
from fieldapp.office.dashboard.context import DashContext
from fieldapp.office import words as strings
from fieldapp.text import fmt
from fieldapp.text.theme import Palette
from sync import enrolqr
from sync.tls import short_fingerprint


class EnrolScreen:
    def __init__(self, ctx: DashContext):
        self.ctx = ctx
        self.name = w.field(strings.DASH_ENROL_NAME, width=260)
        self.boxes = {c.code: ft.Checkbox(label=c.name, value=False) for c in ctx.rules.communities}
        self.role = ft.Dropdown(label=strings.DASH_ENROL_ROLE, value=INSPECTOR, width=200,
                                options=[ft.dropdown.Option(r, strings.DASH_ENROL_ROLES.get(r, r)) for r in DEVICE_ROLES])
        self.message = ft.Text("", color=Palette.ERROR)
        self.result = ft.Column(spacing=8)
        self.control = ft.Column(
            [
                w.title(strings.DASH_ENROL, "enrol"),
                w.small(strings.DASH_ENROL_HINT),
                w.card(
                    ft.Semantics(identifier="enrol-name", content=self.name),
                    w.small(strings.DASH_ENROL_COMMUNITIES),
                    ft.Row(list(self.boxes.values()), wrap=True),
                    self.role,
                    w.button(strings.DASH_ENROL_MAKE, self._make, identifier="enrol-make"),
                    self.message,
                ),
                self.result,
            ],
            spacing=14, scroll=ft.ScrollMode.AUTO, expand=True,
        )  # fmt: skip

    async def show(self, **_kw) -> None:
        return None

    async def changed(self) -> None:
        return None

    async def _make(self, e=None) -> None:
        communities = [code for code, box in self.boxes.items() if box.value]
        self.result.controls = []
        if not communities:
            self.message.value = strings.DASH_ENROL_NO_COMMUNITY
            return
        try:
            code, expires, text, fingerprint = await self.ctx.desk.enrolment(
                self.ctx.token, (self.name.value or "").strip(), communities, self.role.value or INSPECTOR)
        except users.NotAllowed:
            self.message.value = strings.DASH_ENROL_ADMIN_ONLY
            return
        except ValueError as exc:
            self.message.value = strings.DASH_ERROR.format(detail=str(exc))
            return
        self.message.value = ""
        when = fmt.time_short(expires, self.ctx.tz, self.ctx.today())
        self.result.controls = [w.card(
            ft.Semantics(identifier="enrol-qr", content=ft.Image(src=enrolqr.qr_png(text), width=300, height=300)),
            ft.Text(strings.DASH_ENROL_CODE.format(code=code, expires=when), size=18, weight=ft.FontWeight.W_600),
            w.small(strings.DASH_ENROL_FINGERPRINT.format(fingerprint=short_fingerprint(fingerprint))
                    if fingerprint else strings.DASH_ENROL_PLAIN_HTTP),
            ft.Text(text, selectable=True, size=12),
        )]  # fmt: skip
