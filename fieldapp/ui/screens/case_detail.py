"""案件详情: one case — photos (full screen on tap), position and distance from here,
the timeline (处理记录), and the actions 复查 (re-check with an "after" photo) and 作废.

Shown inside the 我的案件 tab in place of the list; the back arrow returns to it.
Test handles: ``screen-detail``, ``detail-status``, ``photo-before-<n>``,
``photo-after-<n>``, ``photo-viewer``, ``message-detail``, ``message-recheck``,
``message-void``, ``timeline``.
"""

from __future__ import annotations

import logging
from typing import Awaitable, Callable, Optional

import flet as ft

from fieldapp.domain.geo import distance_m
from fieldapp.ui import fmt, queries, strings
from fieldapp.ui.components import (
    Message, back_header, on, section, status_pill, thumb, update_if_shown,
)
from fieldapp.ui.context import AppContext
from fieldapp.ui.data import DataService
from fieldapp.ui.device import Device, LocationUnavailable
from fieldapp.ui.photo_input import PhotoInput
from fieldapp.ui.theme import Palette

log = logging.getLogger(__name__)

KEY = "detail"
PHOTO = 96


def _line(icon: ft.IconData, text: str, colour: Optional[str] = None) -> ft.Control:
    return ft.Row([ft.Icon(icon, size=20, color=colour or Palette.ON_SURFACE_VARIANT),
                   ft.Text(text, theme_style=ft.TextThemeStyle.BODY_MEDIUM, color=colour,
                           expand=True)],
                  spacing=8, vertical_alignment=ft.CrossAxisAlignment.START)


class CaseDetailView:
    def __init__(self, ctx: AppContext, data: DataService, case_id: str,
                 on_back: Callable[[bool], Awaitable[None]]):
        self.ctx = ctx
        self.data = data
        self.case_id = case_id
        self.on_back = on_back
        self.changed = False
        self.detail: Optional[queries.CaseDetail] = None
        self.community_names, self.category_names = queries.names(data.rules)
        self.message = Message(KEY)
        self.distance_text = ft.Text("", theme_style=ft.TextThemeStyle.BODY_SMALL)
        self.body = ft.Column(spacing=16, scroll=ft.ScrollMode.AUTO,
                              horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
        self.control = ft.Column([
            back_header(KEY, strings.TITLE_DETAIL, self._back),
            ft.Container(self.body, expand=True, padding=ft.Padding.only(left=16, right=16)),
        ], spacing=0, expand=True, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)

    @property
    def device(self) -> Device:
        return self.ctx.device or Device()

    async def _back(self, e=None) -> None:
        await self.on_back(self.changed)

    # --- loading ----------------------------------------------------------------------

    async def load(self) -> None:
        try:
            self.detail = await self.data.run(queries.case_detail, self.data.photo_dir,
                                              self.ctx.clock(), self.case_id)
        except Exception as exc:  # noqa: BLE001
            log.exception("loading case %s", self.case_id)
            self.detail = None
            self.message.show(fmt.error_message(exc), "error")
        self._render()
        if self.detail is not None and self.detail.state.position is not None:
            if self.device.fix is not None:
                self._show_distance()
            elif self.ctx.page is not None:
                self.ctx.page.run_task(self._locate_for_distance)

    def _render(self) -> None:
        d = self.detail
        if d is None:
            if not self.message.value:
                self.message.show(strings.CASE_GONE, "error")
            self.body.controls = [self.message.control]
            return
        s = d.state
        tz = self.data.rules.tz
        label, colour = fmt.urgency_label(d.status, d.days_left)
        category = self.category_names.get(s.category, s.category)
        community = self.community_names.get(s.community, s.community)
        facts = [
            ft.Row([ft.Text(category, theme_style=ft.TextThemeStyle.HEADLINE_SMALL, expand=True),
                    ft.Semantics(identifier="detail-status", label=label,
                                 content=status_pill(label, colour))],
                   vertical_alignment=ft.CrossAxisAlignment.CENTER),
            _line(ft.Icons.HOLIDAY_VILLAGE_OUTLINED,
                  f"{community} · {strings.MODE_COVERT if s.unannounced else strings.MODE_OPEN}"),
            _line(ft.Icons.EVENT, strings.DEADLINE_ON.format(date=fmt.date_short(s.deadline)),
                  colour if d.status in fmt.OPEN_STATUSES else None),
            _line(ft.Icons.PLACE_OUTLINED, s.place or strings.NO_PLACE),
        ]
        if s.note:
            facts.append(_line(ft.Icons.NOTES, s.note))
        facts.append(_line(ft.Icons.SCHEDULE, f"{strings.REGISTERED_AT} {fmt.time_short(s.found_at, tz)}"
                                              f" · {strings.REGISTERED_BY.format(who=s.registered_by)}"))
        if s.sightings:
            facts.append(_line(ft.Icons.VISIBILITY, strings.SIGHTINGS.format(n=s.sightings)))
        if s.falls_short and s.lifecycle == "open":
            facts.append(_line(ft.Icons.WARNING_AMBER, strings.FALLS_SHORT_MARK, Palette.NOT_RECTIFIED))

        position_lines: list[ft.Control] = []
        if s.position is not None:
            pos_text = fmt.position(s.position)
            if s.position.accuracy_m:
                pos_text += strings.PARENS.format(
                    text=strings.LOCATION_ACCURACY.format(m=round(s.position.accuracy_m)))
            position_lines = [ft.Text(pos_text, theme_style=ft.TextThemeStyle.BODY_MEDIUM),
                              self.distance_text]
        else:
            position_lines = [ft.Text(strings.NO_POSITION, theme_style=ft.TextThemeStyle.BODY_MEDIUM)]

        controls: list[ft.Control] = [
            ft.Column(facts, spacing=8),
            self.message.control,
            section(strings.PHOTO_BEFORE, self._photo_row("before", d.before)),
            section(strings.PHOTO_AFTER, self._photo_row("after", d.after) if d.after else
                    ft.Text(strings.NO_AFTER_PHOTO, theme_style=ft.TextThemeStyle.BODY_SMALL)),
            section(strings.POSITION, *position_lines),
            self._actions(),
            section(strings.TIMELINE, self._timeline()),
        ]
        self.body.controls = controls

    def _photo_row(self, stage: str, photos) -> ft.Control:
        tiles = []
        for i, (sha, data) in enumerate(photos, start=1):
            tiles.append(thumb(data, PHOTO, on_click=on(self._view_photo, sha),
                               label=f"{strings.VIEW_PHOTO} {i}", identifier=f"photo-{stage}-{i}"))
        return ft.Row(tiles, wrap=True, spacing=8, run_spacing=8)

    def _actions(self) -> ft.Control:
        s = self.detail.state
        if s.lifecycle == "voided":
            return _line(ft.Icons.BLOCK, strings.CASE_CLOSED_VOIDED.format(reason=s.void_reason),
                         Palette.VOIDED)
        if s.lifecycle == "rectified":
            return _line(ft.Icons.CHECK_CIRCLE, strings.CASE_CLOSED_RECTIFIED, Palette.RECTIFIED)
        return ft.Row([
            ft.FilledButton(strings.RECHECK, icon=ft.Icons.FACT_CHECK, on_click=self._recheck,
                            height=52, expand=True),
            ft.OutlinedButton(strings.VOID, icon=ft.Icons.BLOCK, on_click=self._void, height=52,
                              expand=True,
                              style=ft.ButtonStyle(color=Palette.ERROR)),
        ], spacing=12)

    def _timeline(self) -> ft.Control:
        tz = self.data.rules.tz
        entries = []
        # the registration first when a photo carries the same time
        history = sorted(self.detail.state.history,
                         key=lambda h: (h.at, h.type != "case.registered"))
        for h in history:
            text = fmt.history_text(h.type, h.detail,
                                    lambda code: self.category_names.get(code, code), tz)
            entries.append(ft.Row([
                ft.Icon(ft.Icons.CIRCLE, size=10, color=Palette.PRIMARY),
                ft.Column([
                    ft.Text(text, theme_style=ft.TextThemeStyle.BODY_MEDIUM),
                    ft.Text(f"{fmt.time_short(h.at, tz)} · {h.actor}",
                            theme_style=ft.TextThemeStyle.BODY_SMALL),
                ], spacing=0, expand=True),
            ], vertical_alignment=ft.CrossAxisAlignment.START))
        return ft.Semantics(identifier="timeline", container=True,
                            content=ft.Column(entries, spacing=10))

    # --- distance from here ---------------------------------------------------------------

    async def _locate_for_distance(self) -> None:
        try:
            await self.device.locate()
        except LocationUnavailable:
            return
        self._show_distance()
        update_if_shown(self.distance_text)

    def _show_distance(self) -> None:
        here, there = self.device.fix, self.detail.state.position if self.detail else None
        if here is None or there is None:
            return
        self.distance_text.value = strings.DISTANCE_FROM_HERE.format(
            d=fmt.distance(distance_m(here, there)))

    # --- photos full screen ---------------------------------------------------------------

    async def _view_photo(self, sha: str) -> None:
        data = await self.data.run(lambda _s: queries.photo_bytes(self.data.photo_dir, sha))
        page = self.ctx.page
        if data is None:
            self.message.show(strings.PHOTO_LOAD_FAILED, "warning")
            update_if_shown(self.control)
            return
        viewer: ft.Container

        def close(_e=None):
            if viewer in page.overlay:
                page.overlay.remove(viewer)
                page.update()

        # full screen: an overlay above the whole page (the bottom bar included)
        viewer = ft.Container(
            ft.Stack([
                ft.InteractiveViewer(ft.Image(src=data, fit=ft.BoxFit.CONTAIN, expand=True),
                                     min_scale=1, max_scale=5, expand=True),
                ft.Container(ft.FilledTonalButton(strings.CLOSE, icon=ft.Icons.CLOSE,
                                                  on_click=close, height=48),
                             right=12, top=12),
            ], expand=True),
            bgcolor="#000000", expand=True,
        )
        viewer_semantics = ft.Semantics(identifier="photo-viewer", container=True, content=viewer)
        viewer = viewer_semantics
        page.overlay.append(viewer)
        page.update()

    # --- 复查 ------------------------------------------------------------------------------

    async def _recheck(self, e=None) -> None:
        page = self.ctx.page
        message = Message("recheck")

        def say(text: str, kind: str) -> None:
            message.show(text, kind)
            update_if_shown(dialog)

        photos = PhotoInput("after", self.data, lambda: self.device, say)
        result = ft.RadioGroup(content=ft.Column([
            ft.Radio(value="rectified", label=strings.STATUS_RECTIFIED),
            ft.Radio(value="falls_short", label=strings.STATUS_NOT_RECTIFIED),
        ], spacing=0))
        note = ft.TextField(label=strings.NOTE_LABEL, multiline=True, min_lines=1, max_lines=3,
                            max_length=500)
        save = ft.FilledButton(strings.RECHECK_SAVE)

        async def do_save(_e=None) -> None:
            if save.disabled:
                return
            if not photos.photos:
                say(strings.NEED_PHOTO, "error")
                return
            if result.value not in ("rectified", "falls_short"):
                say(strings.RECHECK_NEED_RESULT, "error")
                return
            save.disabled = True
            save.content = strings.SAVING
            update_if_shown(dialog)
            rectified = result.value == "rectified"
            try:
                await self.data.run(lambda s: self.data.casework(s).recheck(
                    self.case_id, rectified=rectified, photos=photos.data_list,
                    note=note.value or ""))
            except Exception as exc:  # noqa: BLE001
                log.info("recheck refused: %s", exc)
                save.disabled = False
                save.content = strings.RECHECK_SAVE
                say(f"{fmt.error_message(exc)}{strings.FORM_KEPT}", "error")
                return
            page.pop_dialog()
            self.changed = True
            await self.load()
            self.message.show(strings.RECHECK_SAVED.format(
                result=strings.STATUS_RECTIFIED if rectified else strings.STATUS_NOT_RECTIFIED), "ok")
            update_if_shown(self.control)

        save.on_click = do_save
        dialog = ft.AlertDialog(
            modal=True,
            scrollable=True,
            title=ft.Text(strings.RECHECK_TITLE),
            inset_padding=ft.Padding.symmetric(horizontal=12, vertical=24),
            content=ft.Column([
                ft.Text(strings.RECHECK_HINT, theme_style=ft.TextThemeStyle.BODY_SMALL),
                ft.Text(strings.PHOTO_AFTER, theme_style=ft.TextThemeStyle.TITLE_SMALL),
                photos.control,
                ft.Text(strings.RECHECK_RESULT, theme_style=ft.TextThemeStyle.TITLE_SMALL),
                result,
                note,
                message.control,
            ], tight=True, spacing=10, width=340),
            actions=[ft.TextButton(strings.CANCEL, on_click=lambda e: page.pop_dialog()), save],
        )
        page.show_dialog(dialog)

    # --- 作废 ------------------------------------------------------------------------------

    async def _void(self, e=None) -> None:
        page = self.ctx.page
        message = Message("void")
        reason = ft.TextField(label=strings.VOID_REASON, multiline=True, min_lines=1,
                              max_lines=3, max_length=500, autofocus=True)
        confirm = ft.FilledButton(strings.VOID_CONFIRM,
                                  style=ft.ButtonStyle(bgcolor=Palette.ERROR))

        async def do_void(_e=None) -> None:
            if confirm.disabled:
                return
            text = (reason.value or "").strip()
            if not text:
                message.show(strings.ERRORS["reason_required"], "error")
                update_if_shown(dialog)
                return
            confirm.disabled = True
            update_if_shown(dialog)
            try:
                await self.data.run(lambda s: self.data.casework(s).void(self.case_id, text))
            except Exception as exc:  # noqa: BLE001
                confirm.disabled = False
                message.show(fmt.error_message(exc), "error")
                update_if_shown(dialog)
                return
            page.pop_dialog()
            self.changed = True
            await self.load()
            self.message.show(strings.VOID_SAVED, "ok")
            update_if_shown(self.control)

        confirm.on_click = do_void
        dialog = ft.AlertDialog(
            modal=True,
            title=ft.Text(strings.VOID_TITLE),
            inset_padding=ft.Padding.symmetric(horizontal=12, vertical=24),
            content=ft.Column([
                ft.Text(strings.VOID_HINT, theme_style=ft.TextThemeStyle.BODY_SMALL),
                reason,
                message.control,
            ], tight=True, spacing=10, width=340),
            actions=[ft.TextButton(strings.CANCEL, on_click=lambda e: page.pop_dialog()), confirm],
        )
        page.show_dialog(dialog)
