"""登录: the login form (user name, password). Handles: ``screen-login``, ``message-login``."""

from __future__ import annotations

from typing import Awaitable, Callable

import flet as ft

from fieldapp.office.dashboard import widgets as w
from fieldapp.office.dashboard.desk import Desk, LoginRefused
from fieldapp.office.users import User
from fieldapp.office import words as strings
from fieldapp.ui.components import Message
from fieldapp.text.theme import Palette


class LoginView:
    def __init__(self, desk: Desk, on_success: Callable[[User, str], Awaitable[None]], notice: str = ""):
        self.desk = desk
        self.on_success = on_success
        self.name = w.field(strings.DASH_USERNAME, width=340, on_submit=self._submit)
        self.password = w.field(strings.DASH_PASSWORD, width=340, password=True, on_submit=self._submit)
        self.message = Message("login")
        if notice:
            self.message.show(notice, "warning")
        self.button = w.button(strings.DASH_LOGIN, self._submit, icon=ft.Icons.LOGIN)
        self.control = ft.Container(
            ft.Column(
                [
                    ft.Icon(ft.Icons.ACCOUNT_BALANCE, size=48, color=Palette.PRIMARY),
                    ft.Text(strings.DASH_TITLE, theme_style=ft.TextThemeStyle.TITLE_LARGE),
                    ft.Text(f"{desk.rules.title}", theme_style=ft.TextThemeStyle.BODY_SMALL,
                            text_align=ft.TextAlign.CENTER, width=420),  # fmt: skip
                    ft.Container(height=8),
                    w.title(strings.DASH_LOGIN_TITLE, "login"),
                    self.name,
                    self.password,
                    ft.Container(self.message.control, width=340),
                    ft.Container(self.button, width=340),
                    w.small(strings.DASH_LOGIN_HINT),
                ],
                spacing=14,
                horizontal_alignment=ft.CrossAxisAlignment.CENTER,
                tight=True,
            ),
            alignment=ft.Alignment.CENTER,
            expand=True,
            bgcolor="#F2F5F9",
        )
        self._busy = False

    def _client_ip(self) -> str:
        """The browser's address as the server saw it (the per-address login delay), "" if unknown."""
        page = getattr(self.control, "page", None)
        try:
            return getattr(page, "client_ip", None) or ""
        except RuntimeError:  # not on a page (the control-tree tests)
            return ""

    async def _submit(self, e=None) -> None:
        if self._busy:
            return
        name, password = (self.name.value or "").strip(), self.password.value or ""
        if not name or not password:
            self.message.show(strings.DASH_LOGIN_NEEDED, "error")
            return
        self._busy = True
        try:
            user, token = await self.desk.login(name, password, self._client_ip())
        except LoginRefused as exc:
            self.password.value = ""
            text = (strings.DASH_LOGIN_WAIT.format(seconds=max(1, round(exc.wait))) if exc.code == "locked"
                    else strings.DASH_LOGIN_FAILED)
            self.message.show(text, "error")  # fmt: skip
            return
        finally:
            self._busy = False
        self.password.value = ""
        await self.on_success(user, token)
