"""我的案件 (an inspector's phone) / 待整改 (a community's): open cases, most urgent first,
filterable, paged.

Order: overdue (逾期N天, red) → due today (今日到期) → due soon (剩N天) → later.
Filters: community, status (chips with counts) and 我登记的; an inspector's first chip is
待复查 (cases the community reported done, oldest report first, before and after photos
side by side). A community's phone shows only its own communities' cases, each with the
latest failed re-check's reason. A banner says what needs doing (待复查 for an inspector,
overdue / due today for a community) after the first load and after every sync run.
The list is a
lazy `ListView` filled one page (`queries.PAGE_SIZE` rows, store offset/limit)
at a time; the next page loads when the list is scrolled near its end.
Tapping a row opens 案件详情 in place of the list (`case_detail`). 列表 / 地图 switches to the
same cases on a map (fieldapp/ui/screens/map.py; a marker opens 案件详情 as a row does).

Test handles: ``case-<case id>`` per row, ``cases-footer``, ``screen-cases``, ``cases-banner``,
``filter-awaiting``, ``view-list`` / ``view-map``.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Optional

import flet as ft

from fieldapp.store import CaseRow
from fieldapp.text import fmt
from fieldapp.ui import queries, strings
from fieldapp.ui.components import (
    Message, choice_chip, empty_state, screen_header, status_pill, thumb, on, update_if_shown,
    wide_button,
)
from fieldapp.ui.context import AppContext
from fieldapp.ui.data import DataService, data_of
from fieldapp.text.theme import Palette
from fieldapp.ui.yearnote import YearNotice

log = logging.getLogger(__name__)

KEY = "cases"
THUMB = 64
#: load the next page when the list is this close to its end (logical px)
PRELOAD_PX = 800


def loop_mark(row: CaseRow, tz, today=None) -> Optional[tuple[str, str]]:
    """Where the case stands between the community and the inspector, if anywhere:
    reported and waiting for its re-check, or the latest re-check's reason for failing."""
    if row.awaiting_since is not None:
        when = fmt.time_short(row.awaiting_since, tz, today)
        return strings.AWAITING_RECHECK_SINCE.format(when=when), Palette.PRIMARY
    if row.falls_short:
        text = (strings.RECHECK_FAILED_REASON.format(reason=row.last_check_note) if row.last_check_note
                else strings.RECHECK_FAILED_NO_REASON)
        return text, Palette.NOT_RECTIFIED
    return None


def case_row(row: CaseRow, thumb_bytes: Optional[bytes], community: str, category: str,
             on_click, tz=None, after_bytes: Optional[bytes] = None, today=None) -> ft.Control:
    """One line of the list: photo (before and after when the community reported it done),
    category · community, place, deadline, where it stands, urgency. `today`: dates of
    another year show their year."""
    label, colour = fmt.urgency_label(row.status, row.days_left, row.deadline, today)
    lines = [
        ft.Text(f"{category} · {community}", theme_style=ft.TextThemeStyle.TITLE_SMALL,
                max_lines=1, overflow=ft.TextOverflow.ELLIPSIS),
        ft.Text(row.place or strings.NO_PLACE, theme_style=ft.TextThemeStyle.BODY_SMALL,
                max_lines=1, overflow=ft.TextOverflow.ELLIPSIS),
        ft.Text(strings.DEADLINE_ON.format(  # another year's date: its year, without the weekday (fits 360 px)
            date=fmt.date_short(row.deadline) if today is None or row.deadline.year == today.year
            else fmt.date_auto(row.deadline, today)), theme_style=ft.TextThemeStyle.BODY_SMALL, max_lines=2),
    ]
    mark = loop_mark(row, tz, today) if tz is not None else None
    if mark is not None:
        lines.append(ft.Text(mark[0], theme_style=ft.TextThemeStyle.BODY_SMALL, color=mark[1],
                             max_lines=2, overflow=ft.TextOverflow.ELLIPSIS))
    text = ft.Column(lines, spacing=2, expand=True, tight=True)
    photos = [thumb(thumb_bytes, THUMB)]
    if after_bytes is not None:
        photos.append(thumb(after_bytes, THUMB))
    return ft.Semantics(identifier=f"case-{row.case_id}", container=True, content=ft.Container(
        ft.Row([ft.Row(photos, spacing=4, tight=True), text, status_pill(label, colour)],
               spacing=12, vertical_alignment=ft.CrossAxisAlignment.CENTER),
        padding=ft.Padding.symmetric(horizontal=16, vertical=10),
        border=ft.Border.only(bottom=ft.BorderSide(1, "#E3E6EA")),
        on_click=on_click,
        ink=True,
    ))


class CasesScreen:
    """The 我的案件 tab: list + filters, or one case's detail."""

    def __init__(self, ctx: AppContext):
        self.ctx = ctx
        self.data: DataService = data_of(ctx)
        rules = self.data.rules
        self.community_names, self.category_names = queries.names(rules)
        self.community_mode = self.data.settings.is_community
        self.filter = queries.CaseFilter(communities=self._own_communities())
        self.runs_seen = self.data.autosync.status().runs
        self.counts: dict[str, dict[str, int]] = {}
        self.offset = 0
        self.has_more = False
        self.loading = False
        self.generation = 0          # bumps on every refresh: a late page of an old filter is dropped
        self.detail = None
        self.view_mode = "list"      # or "map": the same cases on a map (screens/map.py)
        self.map_panel = None

        self.message = Message(KEY)
        # One line of chips that scrolls sideways (three wrapped lines took a third of a phone).
        self.community_chips = ft.Row([], spacing=8, tight=True)
        self.status_chips = ft.Row([], spacing=8, tight=True)
        self.list_view = ft.ListView(expand=True, spacing=0, on_scroll=self._on_scroll,
                                     scroll_interval=150)
        self.footer_text = ft.Text("", theme_style=ft.TextThemeStyle.BODY_SMALL,
                                   color=Palette.ON_SURFACE_VARIANT)
        self.more_button = ft.TextButton(strings.LOAD_MORE, on_click=self._load_more_clicked,
                                         visible=False)
        self.footer = ft.Semantics(identifier="cases-footer", container=True, content=ft.Container(
            ft.Column([self.more_button, self.footer_text], spacing=4,
                      horizontal_alignment=ft.CrossAxisAlignment.CENTER),
            padding=ft.Padding.symmetric(vertical=16), alignment=ft.Alignment.CENTER))
        self.empty = (empty_state(ft.Icons.INBOX_OUTLINED, strings.TODO_EMPTY, strings.TODO_EMPTY_HINT, key=KEY)
                      if self.community_mode else
                      empty_state(ft.Icons.INBOX_OUTLINED, strings.CASES_EMPTY, strings.CASES_EMPTY_HINT, key=KEY,
                                  action=wide_button(strings.TAB_NEW, ft.Icons.ADD_A_PHOTO,
                                                     lambda e: self.ctx.navigate("new"))))
        self.banner_text = ft.Text("", theme_style=ft.TextThemeStyle.BODY_MEDIUM, color=Palette.ON_PRIMARY,
                                   expand=True)
        self.banner_target: dict = {}
        self.banner = ft.Semantics(identifier="cases-banner", container=True, button=True, content=ft.Container(
            ft.Row([ft.Icon(ft.Icons.NOTIFICATIONS_ACTIVE, color=Palette.ON_PRIMARY), self.banner_text,
                    ft.Icon(ft.Icons.CHEVRON_RIGHT, color=Palette.ON_PRIMARY)], spacing=8),
            bgcolor=Palette.PRIMARY, border_radius=ft.BorderRadius.all(8),
            padding=ft.Padding.symmetric(horizontal=12, vertical=10), on_click=self._banner_clicked,
            ink=True), visible=False)
        self.filter_empty = empty_state(ft.Icons.FILTER_ALT_OFF_OUTLINED,
                                        strings.CASES_FILTER_EMPTY,
                                        strings.CASES_FILTER_EMPTY_HINT, key=f"{KEY}-filter")
        self.list_area = ft.Container(expand=True)
        self.view_chips = ft.Row([], spacing=8, tight=True)
        self._build_view_chips()
        self.filters = ft.Container(
            ft.Row([self.view_chips, self.community_chips, self.status_chips], spacing=8, scroll=ft.ScrollMode.AUTO),
            padding=ft.Padding.only(left=16, right=16, bottom=8))
        self.year_notice = YearNotice(self.data, KEY)  # no rules for this year on the phone: said plainly
        self.list_screen = ft.Column([
            screen_header(KEY, strings.TITLE_TODO if self.community_mode else strings.TITLE_CASES,
                          self._subtitle()),
            self.year_notice.control,
            ft.Container(self.banner, padding=ft.Padding.only(left=16, right=16, bottom=8)),
            self.filters,
            ft.Container(self.message.control, padding=ft.Padding.symmetric(horizontal=16)),
            ft.Divider(height=1, color="#E3E6EA"),
            self.list_area,
        ], spacing=0, expand=True, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
        self.root = ft.Container(self.list_screen, expand=True, data=self)
        self.data.autosync.add_listener(self)  # after each sync run: fresh rows and banner

    # --- data -------------------------------------------------------------------------

    def _subtitle(self) -> str:
        return f"{strings.APP_ORG} · {fmt.date_short(self.ctx.today())}"

    def _own_communities(self) -> Optional[tuple[str, ...]]:
        """A community's phone sees only the communities it was enrolled for."""
        return tuple(self.data.settings.communities) if self.community_mode else None

    def _follow_identity(self) -> None:
        """我登记的 follows an enrolment made since it was chosen (the inspector id changed)."""
        mine = self.data.settings.my_ids
        if self.filter.inspector is not None and self.filter.inspector != mine:
            self.filter = replace(self.filter, inspector=mine)
        if self.filter.communities != self._own_communities():
            self.filter = replace(self.filter, communities=self._own_communities())

    def load_first_page_here(self) -> None:
        """Counts and the first page, read in this thread (first build)."""
        self._follow_identity()
        now = self.ctx.clock()
        self.counts = self.data.run_here(queries.open_counts, now, self.filter.inspector,
                                         self.filter.communities)
        page = self.data.run_here(queries.case_page, self.data.photo_dir, now, self.filter, 0)
        self._show_first_page(page)

    async def refresh(self) -> None:
        """Re-read counts and the first page (after a filter change or a save elsewhere)."""
        self.generation += 1
        generation = self.generation
        self._follow_identity()
        now = self.ctx.clock()
        flt = self.filter
        try:
            counts = await self.data.run(queries.open_counts, now, flt.inspector, flt.communities)
            page = await self.data.run(queries.case_page, self.data.photo_dir, now, flt, 0)
            map_rows = None
            if self.view_mode == "map":
                from fieldapp.ui.screens.map import map_rows as read_map_rows

                map_rows = await self.data.run(read_map_rows, now, flt)
        except Exception as exc:  # noqa: BLE001
            log.exception("refresh failed")
            self.message.show(fmt.error_message(exc), "error")
            self._update()
            return
        if generation != self.generation:
            return
        self.message.clear()
        self.counts = counts
        self._show_first_page(page)
        if map_rows is not None and self.map_panel is not None:
            self.map_panel.show(map_rows, first=False)
            self.list_area.content = self.map_panel.control
        self._update()

    def _show_first_page(self, page: queries.CasePage) -> None:
        self._build_chips()
        self._paint_banner()
        self.list_view.controls = [self._row(r, page) for r in page.rows]
        self.offset = page.next_offset
        self.has_more = page.has_more
        self._update_footer()
        self.list_view.controls.append(self.footer)
        if page.rows:
            self.list_area.content = self.list_view
        elif queries.count_open(self.counts, None, None) == 0 and not self.filter.inspector \
                and not self.filter.awaiting and self.filter.status != queries.CLOSED:
            self.list_area.content = self.empty
        else:
            self.list_area.content = self.filter_empty

    async def load_more(self) -> None:
        if self.loading or not self.has_more:
            return
        self.loading = True
        generation = self.generation
        self.footer_text.value = strings.LOADING
        self.more_button.visible = False
        self._update()
        try:
            page = await self.data.run(queries.case_page, self.data.photo_dir, self.ctx.clock(),
                                       self.filter, self.offset)
        except Exception as exc:  # noqa: BLE001
            log.exception("load more failed")
            self.message.show(fmt.error_message(exc), "error")
            self.loading = False
            self._update_footer()
            self._update()
            return
        self.loading = False
        if generation != self.generation:
            return
        rows = [self._row(r, page) for r in page.rows]
        # insert before the footer (the last control)
        self.list_view.controls[-1:-1] = rows
        self.offset = page.next_offset
        self.has_more = page.has_more
        self._update_footer()
        self._update()

    def _update_footer(self) -> None:
        self.more_button.visible = self.has_more
        self.footer_text.value = "" if self.has_more else strings.ALL_SHOWN.format(n=self.offset)

    def _row(self, row: CaseRow, page: queries.CasePage) -> ft.Control:
        after = page.after.get(row.case_id)
        return case_row(row, page.thumbs.get(row.thumb) if row.thumb else None,
                        self.community_names.get(row.community, row.community),
                        self.category_names.get(row.category, row.category),
                        on(self.open_case, row.case_id), self.ctx.tz,
                        page.thumbs.get(after) if after and self.filter.awaiting else None, self.ctx.today())

    # --- the banner: what needs doing -----------------------------------------------------

    def _paint_banner(self) -> None:
        """An inspector: reports waiting for a re-check; a community: overdue / due today."""
        self.year_notice.refresh()  # a sync may have brought the year's rules
        f = self.filter
        if self.community_mode:
            overdue = queries.count_open(self.counts, None, "overdue")
            today = queries.count_open(self.counts, None, "due_today")
            show = (overdue or today) and f.status is None
            self.banner_text.value = strings.BANNER_TODO.format(overdue=overdue, today=today)
            self.banner_target = {"status": "overdue" if overdue else "due_today"}
        else:
            waiting = queries.count_open(self.counts, None, queries.AWAITING)
            show = waiting and not f.awaiting
            self.banner_text.value = strings.BANNER_RECHECK.format(n=waiting)
            self.banner_target = {"awaiting": True, "status": None}
        self.banner.visible = bool(show)
        self.banner.label = self.banner_text.value

    async def _banner_clicked(self, e=None) -> None:
        await self._set_filter(**self.banner_target)

    def autosync_changed(self, status) -> None:
        """On the sync thread: a finished run may have brought cases, reports or checks."""
        seen, self.runs_seen = self.runs_seen, status.runs
        if status.runs != seen and self.ctx.page is not None:
            self.ctx.page.run_task(self.refresh)

    def autosync_progress(self, progress) -> None:
        pass

    # --- filters ----------------------------------------------------------------------

    def _build_chips(self) -> None:
        f = self.filter
        # community: one chip that opens a menu (4+ communities do not fit a 360 px line)
        current = (self.community_names.get(f.community, f.community) if f.community
                   else strings.ALL_COMMUNITIES)
        items = [ft.PopupMenuItem(
            content=f"{strings.ALL_COMMUNITIES} ({queries.count_open(self.counts, None, f.status)})",
            on_click=on(self._set_filter_community, None))]
        for code, name in self.community_names.items():
            items.append(ft.PopupMenuItem(
                content=f"{name} ({queries.count_open(self.counts, code, f.status)})",
                checked=f.community == code,
                on_click=on(self._set_filter_community, code)))
        menu = ft.PopupMenuButton(
            content=ft.Container(
                ft.Row([ft.Icon(ft.Icons.HOLIDAY_VILLAGE_OUTLINED, size=18),
                        ft.Text(current, theme_style=ft.TextThemeStyle.LABEL_LARGE, no_wrap=True),
                        ft.Container(ft.Text(str(queries.count_open(self.counts, f.community, f.status)),
                                             theme_style=ft.TextThemeStyle.LABEL_SMALL,
                                             color=Palette.ON_PRIMARY),
                                     bgcolor=Palette.OUTLINE, border_radius=ft.BorderRadius.all(10),
                                     padding=ft.Padding.symmetric(horizontal=7, vertical=1)),
                        ft.Icon(ft.Icons.ARROW_DROP_DOWN, size=20)],
                       spacing=6, tight=True),
                height=48, padding=ft.Padding.symmetric(horizontal=12),
                border_radius=ft.BorderRadius.all(20),
                border=ft.Border.all(2 if f.community else 1,
                                     Palette.PRIMARY if f.community else "#AEB4BD"),
                bgcolor=Palette.PRIMARY_CONTAINER if f.community else Palette.SURFACE),
            items=items,
            padding=0,
            menu_position=ft.PopupMenuPosition.UNDER,
        )
        community_chip = ft.Semantics(identifier="filter-community", label=current, button=True,
                                      container=True, content=menu)
        if self.community_mode:  # its own communities only; no chooser for just one
            self.community_chips.controls = [community_chip] if len(self.counts) > 1 else []
        else:
            self.community_chips.controls = [
                community_chip,
                choice_chip(strings.ONLY_MINE, f.inspector is not None,
                            on(self._set_filter_mine, f.inspector is None),
                            identifier="filter-mine"),
            ]
        self.community_chips.visible = bool(self.community_chips.controls)
        statuses = []
        if not self.community_mode:  # 待复查 first: the inspector's work the community is waiting on
            statuses.append(choice_chip(strings.AWAITING_RECHECK, f.awaiting,
                                        on(self._set_filter_awaiting, True),
                                        queries.count_open(self.counts, f.community, queries.AWAITING),
                                        colour=Palette.PRIMARY, identifier="filter-awaiting"))
        statuses.append(choice_chip(strings.FILTER_STATUS_ALL, f.status is None and not f.awaiting,
                                    on(self._set_filter_status, None),
                                    queries.count_open(self.counts, f.community, None),
                                    identifier="filter-status-all"))
        # every open case is 待整改: a chip of that name for "due later" said less than it seemed
        for status in (*fmt.OPEN_STATUSES[:-1], queries.CLOSED):
            label, colour = fmt.status_label(status)
            statuses.append(choice_chip(label, f.status == status and not f.awaiting,
                                        on(self._set_filter_status, status),
                                        queries.count_open(self.counts, f.community, status),
                                        colour=colour, identifier=f"filter-status-{status}"))
        self.status_chips.controls = statuses

    async def _set_filter_community(self, code):
        await self._set_filter(community=code)

    async def _set_filter_status(self, status):
        await self._set_filter(status=status, awaiting=False)

    async def _set_filter_mine(self, mine: bool):
        await self._set_filter(mine=mine)

    async def _set_filter_awaiting(self, awaiting: bool):
        await self._set_filter(status=None, awaiting=awaiting)

    async def _set_filter(self, *, community="keep", status="keep", mine=None, awaiting="keep") -> None:
        """A status chip (or 全部) leaves 待复查; 待复查 shows every urgency."""
        f = self.filter
        self.filter = queries.CaseFilter(
            community=f.community if community == "keep" else community,
            status=f.status if status == "keep" else status,
            inspector=f.inspector if mine is None else (
                self.data.settings.my_ids if mine else None),
            awaiting=f.awaiting if awaiting == "keep" else awaiting,
            communities=f.communities,
        )
        self._build_chips()   # the chip shows selected at once; rows follow
        self._update()
        await self.refresh()

    # --- 列表 / 地图 ----------------------------------------------------------------------

    def _build_view_chips(self) -> None:
        self.view_chips.controls = [
            choice_chip(strings.VIEW_LIST, self.view_mode == "list", on(self._set_view, "list"),
                        identifier="view-list"),
            choice_chip(strings.VIEW_MAP, self.view_mode == "map", on(self._set_view, "map"),
                        identifier="view-map"),
        ]

    async def _set_view(self, mode: str) -> None:
        if mode == self.view_mode:
            return
        self.view_mode = mode
        self._build_view_chips()
        if mode == "map" and self.map_panel is None:
            from fieldapp.ui.screens.map import CasesMapPanel

            self.map_panel = CasesMapPanel(self, self.open_case)
        await self.refresh()
        if mode == "map" and self.ctx.page is not None:
            self.ctx.page.run_task(self.map_panel.locate)

    # --- scrolling --------------------------------------------------------------------

    async def _on_scroll(self, e: ft.OnScrollEvent) -> None:
        if self.has_more and not self.loading and \
                e.pixels >= e.max_scroll_extent - PRELOAD_PX:
            await self.load_more()

    async def _load_more_clicked(self, e=None) -> None:
        await self.load_more()

    # --- detail -----------------------------------------------------------------------

    async def open_case(self, case_id: str) -> None:
        from fieldapp.ui.screens.case_detail import CaseDetailView

        self.detail = CaseDetailView(self.ctx, self.data, case_id, on_back=self.show_list)
        await self.detail.load()
        self.root.content = self.detail.control
        self._update()

    async def show_list(self, changed: bool = False) -> None:
        self.detail = None
        self.root.content = self.list_screen
        self._update()
        if changed:
            await self.refresh()

    def _update(self) -> None:
        update_if_shown(self.root)


def build(ctx: AppContext) -> ft.Control:
    s = CasesScreen(ctx)
    s.load_first_page_here()
    return s.root


def on_show(view: ft.Control, ctx: AppContext) -> None:
    """Back on the tab: show the list again, with fresh counts and rows."""
    s: CasesScreen = view.data
    s.detail = None
    s.root.content = s.list_screen
    if ctx.page is not None:
        ctx.page.run_task(s.refresh)
