"""The phone app shell: page setup, bottom navigation, tab switching, and `run`.

    python -m fieldapp.ui.app --port 8550 --data-dir /tmp/fieldapp-data [--demo]

``--demo`` fills an EMPTY store with a living sample (`fieldapp.demo.fill_demo`);
a store that has data is never touched. Environment: ``FIELDAPP_DATA_DIR`` (data folder, if no ``--data-dir``),
``FIELDAPP_NOW`` (ISO timestamp with offset: freezes the clock, for tests),
``FIELDAPP_AUTOSYNC=0`` (no automatic sync; ``FIELDAPP_AUTOSYNC_*_S`` set its timing:
fieldapp/ui/autosync.py, docs/sync.md).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Callable, Optional

import flet as ft

import fieldapp
from fieldapp.rules import load_rules
from fieldapp.ui import strings
from fieldapp.ui.autosync import enabled_by_env
from fieldapp.ui.components import on
from fieldapp.ui.context import AppContext
from fieldapp.ui.data import DataService, data_of
from fieldapp.ui.startup import prepare_data_dir
from fieldapp.ui.device import Device
from fieldapp.ui.screens import Tab, first_run, tab_index, tabs_for
from fieldapp.text.theme import FONT_ASSET, FONT_FAMILY, Palette, build_theme
from fieldapp.ui.trial import Phone

log = logging.getLogger(__name__)

#: The repository's assets/ (fonts, rules, icons). Absolute: Flet resolves a
#: relative assets_dir against the *script's* folder, not the working directory.
ASSETS_DIR = Path(fieldapp.__file__).resolve().parent.parent / "assets"
DEFAULT_PORT = 8550


class Shell:
    """One session's frame: the bottom NavigationBar and the current tab's view.

    The tabs are those of the app the phone is enrolled as (an inspector's or a
    community's, `screens.tabs_for`); an enrolment that changes it reshapes the frame.

    With a `Phone` (the app; fieldapp/ui/trial.py): a new phone shows the first-run screen
    instead of the tabs, trial mode shows its sample folder under a 试用 banner on every
    screen, and a change of either (in any session) rebuilds the frame (`folder_changed`).
    """

    def __init__(self, page: ft.Page, ctx: AppContext, tabs: Optional[tuple[Tab, ...]] = None,
                 phone: Optional[Phone] = None):
        self.page = page
        self.phone = phone
        if phone is not None:
            ctx = phone.ctx
            phone.follow(self)
        self.fixed_tabs = tabs
        self.tabs = tabs or tabs_for(data_of(ctx).settings)
        #: the session's services (file picker, GPS, camera), referenced for its lifetime
        self.device = Device(page)
        self.ctx = ctx.for_session(page, self.navigate, self.device)
        self.views: dict[str, ft.Control] = {}
        self.shown_key: Optional[str] = None  # the tab on screen (the bar's index moves before on_change)
        self.body = ft.Container(expand=True)
        self.nav = ft.NavigationBar(destinations=self._destinations(), selected_index=0,
                                    on_change=self._on_nav_change)
        self.banner = ft.Semantics(identifier="trial-banner", container=True, visible=False, content=ft.Container(
            ft.Row([ft.Icon(ft.Icons.SCIENCE_OUTLINED, color=Palette.DUE_TODAY, size=20),
                    ft.Text(strings.TRIAL_BANNER, color=Palette.DUE_TODAY, weight=ft.FontWeight.W_600,
                            expand=True),
                    ft.TextButton(strings.TRIAL_DISCARD, on_click=self._ask_discard, height=48)],
                   spacing=8, vertical_alignment=ft.CrossAxisAlignment.CENTER),
            bgcolor="#FFF1D6", padding=ft.Padding.only(left=16, right=4)))

    def _destinations(self) -> list[ft.NavigationBarDestination]:
        return [ft.NavigationBarDestination(icon=t.icon, selected_icon=t.selected_icon, label=t.label)
                for t in self.tabs]

    def reshape(self) -> bool:
        """After an enrolment: the tabs of the app the phone now is. Tabs both apps share
        (同步, 我的) keep their views; the others are built anew. True if they changed."""
        tabs = self.fixed_tabs or tabs_for(data_of(self.ctx).settings)
        if tabs == self.tabs:
            return False
        key = self.current.key
        self.views = {t.key: self.views[t.key] for t in tabs if t in self.tabs and t.key in self.views}
        self.tabs = tabs
        self.nav.destinations = self._destinations()
        keys = [t.key for t in tabs]
        self.nav.selected_index = keys.index(key) if key in keys else 0
        self._show(self.current)
        return True

    @property
    def current(self) -> Tab:
        return self.tabs[self.nav.selected_index]

    def mount(self) -> None:
        """Put the shell on the page and show the first tab (a new phone: the first run)."""
        self.page.add(ft.SafeArea(content=ft.Column([self.banner, self.body], spacing=0, expand=True),
                                  expand=True))
        self._guard_back_button()
        self._start()

    def _guard_back_button(self) -> None:
        """The phone's back button on the only view would close the app: with a half-filled form
        it asks first (Flutter's PopScope, through View.can_pop / on_confirm_pop)."""
        views = getattr(self.page, "views", None)
        if views:
            views[0].can_pop = False
            views[0].on_confirm_pop = self._confirm_back

    async def _confirm_back(self, e) -> None:
        view = e.control
        form = getattr(self.views.get(self.shown_key), "data", None) if self.shown_key else None
        if form is None or not getattr(form, "has_unsaved", lambda: False)():
            await view.confirm_pop(True)
            return

        async def answer(leave: bool) -> None:
            self.page.pop_dialog()
            await view.confirm_pop(leave)

        self._leave_dialog(on_stay=on(answer, False), on_go=on(answer, True))

    def _start(self) -> None:
        """The first run, or the first tab (with the 试用 banner when there is sample data)."""
        due, sample = self.phone.state() if self.phone is not None else (False, False)
        self.banner.visible = sample
        if due:
            self.page.navigation_bar = None
            self.body.content = first_run.FirstRunView(self.ctx, self.phone).root
            return
        self.page.navigation_bar = self.nav
        self._show(self.tabs[0])

    def folder_changed(self) -> None:
        """The phone left the first run, or entered or left trial mode (in any session):
        rebuild on this session's loop with the context the phone shows now."""
        self.page.run_task(self._rebuild)

    async def _rebuild(self) -> None:
        self.ctx = self.phone.ctx.for_session(self.page, self.navigate, self.device)
        self.views = {}
        self.tabs = self.fixed_tabs or tabs_for(data_of(self.ctx).settings)
        self.nav.destinations = self._destinations()
        self.nav.selected_index = 0
        self._start()
        self.page.update()

    def _ask_discard(self, e=None) -> None:
        """放弃试用数据: asked first; then the sample goes and the first run comes back."""
        async def discard(_e=None) -> None:
            self.page.pop_dialog()
            try:
                await self.phone.discard()
            except Exception:  # noqa: BLE001 - a disk error: the banner stays, say so
                log.exception("trial data not discarded")
                self.page.show_dialog(ft.SnackBar(ft.Text(strings.TRIAL_DISCARD_FAILED)))

        self.page.show_dialog(ft.AlertDialog(
            modal=True, title=ft.Text(strings.TRIAL_DISCARD_TITLE), content=ft.Text(strings.TRIAL_DISCARD_TEXT),
            actions=[ft.TextButton(strings.CANCEL, on_click=lambda _e: self.page.pop_dialog()),
                     ft.FilledButton(strings.TRIAL_DISCARD_OK, on_click=discard,
                                     style=ft.ButtonStyle(bgcolor=Palette.ERROR))]))

    def navigate(self, key: str) -> None:
        """Switch to tab `key` from code (e.g. after saving a case go to "cases"); first
        take the tabs of the app the phone is enrolled as (an enrolment may have changed it)."""
        self.reshape()
        self.nav.selected_index = tab_index(key, self.tabs)
        self._show(self.tabs[self.nav.selected_index])
        self.page.update()

    def view(self, key: str) -> ft.Control:
        """The view of tab `key`, built on first use and kept for the session."""
        if key not in self.views:
            tab = self.tabs[tab_index(key, self.tabs)]
            self.views[key] = tab.build(self.ctx)
        return self.views[key]

    def _show(self, tab: Tab) -> None:
        self.shown_key = tab.key
        first_time = tab.key not in self.views
        self.body.content = self.view(tab.key)
        if not first_time and tab.on_show is not None:
            tab.on_show(self.body.content, self.ctx)

    def _on_nav_change(self, e: ft.Event[ft.NavigationBar]) -> None:
        # No explicit update: Flet 1.0 sends the changed tree when a handler returns.
        target = self.tabs[e.control.selected_index]
        leaving = self.shown_key
        form = getattr(self.views.get(leaving), "data", None) if leaving else None
        if leaving != target.key and form is not None and getattr(form, "has_unsaved", lambda: False)():
            self.nav.selected_index = tab_index(leaving, self.tabs)  # stay until the user says
            self._ask_leave(target)
            self.page.update()  # show_dialog sent only the dialog: the bar's own index goes too
            return
        self._show(target)

    def _ask_leave(self, target: Tab) -> None:
        """A half-filled form: leave it (and lose it) only when the user says so."""
        def go(_e=None) -> None:
            self.page.pop_dialog()
            self.views.pop(self.shown_key, None)  # built afresh, empty, next time
            self.nav.selected_index = tab_index(target.key, self.tabs)
            self._show(target)
            self.page.update()

        self._leave_dialog(on_stay=lambda e: self.page.pop_dialog(), on_go=go)

    def _leave_dialog(self, on_stay, on_go) -> None:
        self.page.show_dialog(ft.AlertDialog(
            modal=True, title=ft.Text(strings.LEAVE_FORM_TITLE), content=ft.Text(strings.LEAVE_FORM_TEXT),
            actions=[ft.TextButton(strings.LEAVE_FORM_STAY, on_click=on_stay),
                     ft.TextButton(strings.LEAVE_FORM_GO, on_click=on_go)]))


def setup_page(page: ft.Page) -> None:
    """Title, bundled CJK font, light high-contrast theme, edge-to-edge layout."""
    page.title = strings.APP_TITLE
    if not page.web:  # the browser has it before its first frame (assets/assets/FontManifest.json):
        page.fonts = {FONT_FAMILY: FONT_ASSET}  # registering it again there only relays out every text
    page.theme = build_theme()
    page.theme_mode = ft.ThemeMode.LIGHT
    # Material's own words (date picker, menus, text-field counters) in zh-CN too
    zh = ft.Locale("zh", "CN")
    page.locale_configuration = ft.LocaleConfiguration(supported_locales=[zh], current_locale=zh)
    page.padding = 0
    page.spacing = 0


def attach_data(ctx: AppContext, demo: bool = False) -> AppContext:
    """Open the data folder (device id, settings; ``demo``: fill an empty store) and
    give `ctx` its data worker. Idempotent: a context with data is returned as is."""
    if ctx.data is not None:
        return ctx
    rules = load_rules()
    settings, made = prepare_data_dir(ctx.data_dir, rules, ctx.clock(), demo=demo)
    if made:
        log.info("demo data: %d cases", made)
    data = DataService(ctx.data_dir, rules, ctx.clock)
    data.remember_settings(settings)
    return ctx.with_data(data)


def build_main(ctx: AppContext) -> Callable[[ft.Page], None]:
    """A Flet `main` bound to `ctx` (one per process, shared by all sessions); starts the
    automatic sync (one per process too) unless ``FIELDAPP_AUTOSYNC=0``."""
    ctx = attach_data(ctx)
    if enabled_by_env():
        ctx.data.start_autosync()

    phone = Phone(ctx)  # the folder shown (the phone's, or the trial's) and the first run

    def session_main(page: ft.Page) -> None:
        setup_page(page)
        Shell(page, ctx, phone=phone).mount()

    return session_main


def main(page: ft.Page) -> None:
    """The Flet app function, with the context from the environment."""
    build_main(AppContext.from_env())(page)


def run(port: int = DEFAULT_PORT, host: str = "127.0.0.1",
        data_dir: Optional[Path | str] = None, demo: bool = False) -> None:
    """Serve the app to a browser on http://host:port/ (blocks until SIGTERM/SIGINT).

    Inside the Flet phone runtime (``FLET_PLATFORM`` set) `ft.run` ignores the web
    view and serves the native client instead, so the same entry point works there.
    """
    ctx = attach_data(AppContext.from_env(data_dir), demo=demo)
    log.info("fieldapp UI: data_dir=%s assets=%s", ctx.data_dir, ASSETS_DIR)
    ft.run(
        build_main(ctx),
        view=ft.AppView.WEB_BROWSER,
        host=host,
        port=port,
        no_cdn=True,
        assets_dir=str(ASSETS_DIR),
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m fieldapp.ui.app",
                                     description="Serve the phone app to a browser.")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="data folder (default: $FIELDAPP_DATA_DIR or ~/.fieldapp)")
    parser.add_argument("--demo", action="store_true",
                        help="fill an EMPTY store with demo cases (never touches one with data)")
    return parser


def cli(argv: Optional[list[str]] = None) -> int:
    # parse_known_args: the Flet phone runtime may pass arguments of its own.
    args, _ = build_parser().parse_known_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    run(port=args.port, host=args.host, data_dir=args.data_dir, demo=args.demo)
    return 0


if __name__ == "__main__":
    sys.exit(cli())
