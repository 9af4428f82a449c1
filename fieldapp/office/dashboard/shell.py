"""The dashboard's frame: login gate, side navigation, top bar, one screen at a time.

`make_main(desk)` is the Flet `main` (one call per browser tab). A tab first
shows the login form — unless the browser holds a session token (Flet's
SharedPreferences, i.e. the tab's localStorage) that the server still accepts.
Then a NavigationRail on the left switches between the screens (one module
each); the top bar shows who is logged in, the data's freshness, and 退出登录.

When the Desk folds new events (a phone synced, a colleague saved), the shown
screen's `changed()` redraws it.
"""

from __future__ import annotations

import logging
from typing import Optional

import flet as ft

from fieldapp.office.dashboard import widgets as w
from fieldapp.office.dashboard.context import DashContext
from fieldapp.office.dashboard.desk import Desk
from fieldapp.office.dashboard.login import LoginView
from fieldapp.office.users import User
from fieldapp.office import words as strings
from fieldapp.ui.app import setup_page
from fieldapp.text.theme import Palette

log = logging.getLogger("fieldapp.office.dashboard")

TOKEN_KEY = "fieldapp.office.session"


def _screens():
    from fieldapp.office.dashboard.cases import CasesScreen
    from fieldapp.office.dashboard.community import CommunityScreen
    from fieldapp.office.dashboard.enrol_view import EnrolScreen
    from fieldapp.office.dashboard.entry import EntryScreen
    from fieldapp.office.dashboard.fund import FundScreen
    from fieldapp.office.dashboard.map_view import MapScreen
    from fieldapp.office.dashboard.ranking import RankingScreen
    from fieldapp.office.dashboard.supervision import SupervisionScreen

    return (
        ("ranking", strings.DASH_NAV_RANKING, ft.Icons.LEADERBOARD_OUTLINED, ft.Icons.LEADERBOARD, RankingScreen),
        ("community", strings.DASH_NAV_COMMUNITY, ft.Icons.HOLIDAY_VILLAGE_OUTLINED, ft.Icons.HOLIDAY_VILLAGE,
         CommunityScreen),
        ("cases", strings.DASH_NAV_CASES, ft.Icons.ASSIGNMENT_OUTLINED, ft.Icons.ASSIGNMENT, CasesScreen),
        ("map", strings.DASH_NAV_MAP, ft.Icons.MAP_OUTLINED, ft.Icons.MAP, MapScreen),
        ("supervision", strings.DASH_NAV_SUPERVISION, ft.Icons.NOTIFICATION_IMPORTANT_OUTLINED,
         ft.Icons.NOTIFICATION_IMPORTANT, SupervisionScreen),
        ("entry", strings.DASH_NAV_ENTRY, ft.Icons.EDIT_NOTE_OUTLINED, ft.Icons.EDIT_NOTE, EntryScreen),
        ("fund", strings.DASH_NAV_FUND, ft.Icons.SAVINGS_OUTLINED, ft.Icons.SAVINGS, FundScreen),
        ("enrol", strings.DASH_ENROL, ft.Icons.QR_CODE_2_OUTLINED, ft.Icons.QR_CODE_2, EnrolScreen),
    )  # fmt: skip


class DashSession:
    """One browser tab."""

    def __init__(self, desk: Desk, page: ft.Page):
        self.desk = desk
        self.page = page
        self.prefs = ft.SharedPreferences()  # a service: kept referenced for the session
        self.ctx = DashContext(desk, page)
        self.ctx.navigate = self.navigate
        self.ctx.open_case = self.open_case
        self.ctx.logged_out = self.logged_out
        self.ctx.year_changed = self._year_changed
        self.year_text = ft.Text("", theme_style=ft.TextThemeStyle.BODY_SMALL)
        self.screens: dict[str, object] = {}
        self.current: Optional[str] = None
        self.specs = _screens()
        self.rail: Optional[ft.NavigationRail] = None
        self.body = ft.Container(expand=True, padding=ft.Padding.only(left=24, right=24, top=12, bottom=0))
        self.status = w.small("")
        self._case_dialog = None

    # --- start and login ---------------------------------------------------------------

    async def start(self) -> None:
        await self.desk.start()
        self.page.on_disconnect = self._gone
        self.page.on_connect = self._back
        self.page.on_close = self._gone
        token = None
        try:
            token = await self.prefs.get(TOKEN_KEY)
        except Exception:  # noqa: BLE001 - no storage in this browser: log in every time
            token = None
        user = await self.desk.resume(token) if isinstance(token, str) else None
        if user is None:
            self.show_login()
        else:
            await self.enter(user, token)

    def show_login(self, notice: str = "") -> None:
        view = LoginView(self.desk, self._logged_in, notice)
        self.page.controls.clear()
        self.page.add(view.control)

    async def _logged_in(self, user: User, token: str) -> None:
        try:
            await self.prefs.set(TOKEN_KEY, token)
        except Exception:  # noqa: BLE001 - the session still works for this tab
            pass
        await self.enter(user, token)

    async def enter(self, user: User, token: str) -> None:
        self.ctx.user, self.ctx.token = user, token
        self.screens.clear()
        self.rail = ft.NavigationRail(
            selected_index=0,
            label_type=ft.NavigationRailLabelType.ALL,
            min_width=96,
            group_alignment=-0.9,
            destinations=[ft.NavigationRailDestination(icon=icon, selected_icon=sel, label=label)
                          for _key, label, icon, sel, _cls in self.specs],  # fmt: skip
            on_change=self._rail_changed,
            bgcolor="#F2F5F9",
        )
        role = strings.DASH_ROLE.get(user.role, user.role)
        top = ft.Container(
            ft.Row(
                [
                    ft.Icon(ft.Icons.ACCOUNT_BALANCE, color=Palette.PRIMARY),
                    ft.Text(strings.DASH_TITLE, theme_style=ft.TextThemeStyle.TITLE_MEDIUM, no_wrap=True),
                    w.labelled("year-shown", self.year_text),
                    ft.Container(expand=True),
                    self.status,
                    w.labelled("user", ft.Text(strings.DASH_USER_LINE.format(name=user.username, role=role),
                                               theme_style=ft.TextThemeStyle.BODY_MEDIUM)),  # fmt: skip
                    w.button(strings.DASH_LOGOUT, self._logout, icon=ft.Icons.LOGOUT, filled=False),
                ],
                spacing=14,
                vertical_alignment=ft.CrossAxisAlignment.CENTER,
            ),
            padding=ft.Padding.symmetric(horizontal=20, vertical=8),
            border=ft.Border.only(bottom=ft.BorderSide(1, "#D5DAE1")),
        )
        column = [top]
        self._year_changed()
        if self.desk.current_year_missing():  # said on every screen: this year's cases are not scored
            column.append(ft.Container(
                w.labelled("no-rules-year", w.small(strings.DASH_NO_RULES_YEAR.format(
                    year=self.desk.current_year()), Palette.DUE_TODAY)),
                bgcolor="#FFF4E5", padding=ft.Padding.symmetric(horizontal=20, vertical=6)))  # fmt: skip
        if not user.can_write:
            column.append(ft.Container(
                w.small(strings.DASH_READ_ONLY, Palette.DUE_TODAY),
                bgcolor="#FFF4E5", padding=ft.Padding.symmetric(horizontal=20, vertical=6)))  # fmt: skip
        column.append(self.body)
        self.page.controls.clear()
        self.page.add(
            ft.Row([self.rail, ft.VerticalDivider(width=1), ft.Column(column, expand=True, spacing=0)],
                   expand=True, spacing=0, vertical_alignment=ft.CrossAxisAlignment.STRETCH)  # fmt: skip
        )
        self.desk.subscribe(self._data_changed)
        await self.navigate("ranking")

    async def _logout(self, e=None) -> None:
        await self.desk.logout(self.ctx.token)
        await self.logged_out("")

    async def logged_out(self, notice: str) -> None:
        self.desk.unsubscribe(self._data_changed)
        self.ctx.user = self.ctx.token = None
        try:
            await self.prefs.remove(TOKEN_KEY)
        except Exception:  # noqa: BLE001
            pass
        self.show_login(notice)
        self.page.update()

    def _gone(self, e=None) -> None:
        self.desk.unsubscribe(self._data_changed)

    def _back(self, e=None) -> None:  # the tab reconnected (a network blip): live updates again
        if self.ctx.user is not None:
            self.desk.subscribe(self._data_changed)

    # --- screens -----------------------------------------------------------------------------

    def _screen(self, key: str):
        if key not in self.screens:
            cls = next(spec[4] for spec in self.specs if spec[0] == key)
            self.screens[key] = cls(self.ctx)
        return self.screens[key]

    async def navigate(self, key: str, **kwargs) -> None:
        user = await self.desk.resume(self.ctx.token)  # each move is a request: the session must still be live
        if user is None:
            await self.logged_out(strings.DASH_SESSION_OVER)
            return
        self.ctx.user = user
        keys = [spec[0] for spec in self.specs]
        self.rail.selected_index = keys.index(key)
        screen = self._screen(key)
        self.current = key
        self.body.content = screen.control
        await screen.show(**kwargs)
        self._stamp()
        self.page.update()

    def _year_changed(self) -> None:
        self.year_text.value = strings.DASH_YEAR.format(year=self.ctx.rules.year)

    async def _rail_changed(self, e) -> None:
        key = self.specs[e.control.selected_index][0]
        await self.navigate(key)

    async def _data_changed(self) -> None:
        if self.current is None or self.ctx.user is None:
            return
        if not await self.desk.check(self.ctx.token):  # expired or disabled meanwhile: show no more data
            await self.logged_out(strings.DASH_SESSION_OVER)
            return
        screen = self.screens.get(self.current)
        if screen is not None:
            await screen.changed()
        self._stamp()
        self.page.update()

    def _stamp(self) -> None:
        if self.desk.live.loaded:  # wall-clock time of the last refresh (FIELDAPP_NOW freezes only the scoring)
            shown = self.desk.session_clock().astimezone(self.desk.rules.tz)
            self.status.value = strings.DASH_UPDATED.format(time=shown.strftime("%H:%M:%S"))

    async def open_case(self, case_id: str) -> None:
        from fieldapp.office.dashboard.case_view import CaseDialog

        self._case_dialog = CaseDialog(self.ctx, case_id, on_change=self._case_changed)
        await self._case_dialog.open()

    async def _case_changed(self) -> None:
        screen = self.screens.get(self.current)
        if screen is not None:
            await screen.changed()


def make_main(desk: Desk):
    """The Flet app function of the dashboard, bound to the process's Desk."""

    async def main(page: ft.Page) -> None:
        setup_page(page)
        page.title = strings.DASH_TITLE
        session = DashSession(desk, page)
        await session.start()
        page.update()

    return main
