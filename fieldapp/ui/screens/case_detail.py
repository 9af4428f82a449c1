"""案件详情: one case — photos (full screen on tap), position and distance from here,
the timeline (处理记录), and the actions: on an inspector's phone 复查 (re-check with an
"after" photo; a failure needs its reason, which the community sees) and 作废; on a
community's phone 已整改 (整改反馈 with after photos) and, for A/B cases, 申请免责.
When the community has reported it done, both phones show the before and after photos
side by side.

Shown inside the 我的案件 tab in place of the list; the back arrow returns to it.
Test handles: ``screen-detail``, ``detail-status``, ``photo-before-<n>``,
``photo-after-<n>``, ``photo-viewer``, ``message-detail``, ``message-recheck``,
``message-void``, ``message-report``, ``message-exemption``, ``timeline``, ``compare``,
``loop-state``.
"""

from __future__ import annotations

import logging
from typing import Awaitable, Callable, Optional

import flet as ft

from fieldapp.casework import LIKE_BEFORE, SAME_AS_BEFORE
from fieldapp.domain.geo import distance_m
from fieldapp.text import fmt
from fieldapp.ui import queries, strings
from fieldapp.ui.components import (
    Message, back_header, on, section, status_pill, thumb, update_if_shown,
)
from fieldapp.ui.context import AppContext
from fieldapp.ui.data import DataService
from fieldapp.ui.device import Device, LocationUnavailable
from fieldapp.ui.evidence_view import evidence_panel
from fieldapp.ui.names import Names
from fieldapp.ui.photo_input import PhotoInput
from fieldapp.text.theme import Palette

log = logging.getLogger(__name__)

KEY = "detail"
PHOTO = 96
COMPARE = 150  # each half of the before/after comparison (two fit a 360 px screen)
NOTE_FOLD = 120  # a note longer than this shows its first lines and 展开全文


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
        self.names = Names()  # actor id → name (fieldapp/ui/names.py), read with the case
        self.community_names, self.category_names = queries.names(data.rules)
        self.source_codes = {src.code for src in data.rules.sources}
        self.community_mode = data.settings.is_community
        self.message = Message(KEY)
        self.distance_text = ft.Text("", theme_style=ft.TextThemeStyle.BODY_SMALL)
        self.body = ft.Column(spacing=16, scroll=ft.ScrollMode.AUTO,
                              horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
        # The actions (复查 / 作废, 已整改 / 申请免责) stay at the bottom of the screen: no note,
        # evidence warning or photo pushes them out of reach.
        self.actions_bar = ft.Container(padding=ft.Padding.only(left=16, right=16, top=8, bottom=8),
                                        border=ft.Border.only(top=ft.BorderSide(1, "#E3E6EA")), visible=False)
        self.control = ft.Column([
            back_header(KEY, strings.TITLE_DETAIL, self._back),
            ft.Container(self.body, expand=True, padding=ft.Padding.only(left=16, right=16)),
            self.actions_bar,
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
            self.names = await self.data.run(Names.of_phone, self.data.settings)
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
            self.actions_bar.visible = False
            return
        s = d.state
        tz = self.data.rules.tz
        today = self.ctx.today()  # dates of another year show their year
        case_rules = self.data.rules_for(s.found_at)  # the rules of the case's registration year
        label, colour = fmt.urgency_label(d.status, d.days_left, s.deadline, today)
        category = self.category_names.get(s.category, s.category)
        community = self.community_names.get(s.community, s.community)
        facts = [
            ft.Row([ft.Text(category, theme_style=ft.TextThemeStyle.HEADLINE_SMALL, expand=True),
                    ft.Semantics(identifier="detail-status", container=True,  # its text, read once
                                 content=status_pill(label, colour))],
                   vertical_alignment=ft.CrossAxisAlignment.CENTER),
            _line(ft.Icons.HOLIDAY_VILLAGE_OUTLINED,
                  f"{community} · {strings.MODE_COVERT if s.unannounced else strings.MODE_OPEN}"),
            _line(ft.Icons.EVENT, strings.DEADLINE_ON.format(date=fmt.date_short(s.deadline, today)),
                  colour if d.status in fmt.OPEN_STATUSES else None),
            _line(ft.Icons.PLACE_OUTLINED, s.place or strings.NO_PLACE),
        ]
        if s.note:
            facts.append(self._note_line(s.note))
        facts.append(_line(ft.Icons.SCHEDULE, f"{strings.REGISTERED_AT} {fmt.time_short(s.found_at, tz, today)}"
                                              f" · {strings.REGISTERED_BY.format(who=self.names(s.registered_by))}"))
        if s.sightings:
            facts.append(_line(ft.Icons.VISIBILITY, strings.SIGHTINGS.format(n=s.sightings)))
        facts.append(_line(ft.Icons.FLAG_OUTLINED, strings.SOURCE_LINE.format(
            source=case_rules.source(s.source).name if s.source in self.source_codes else s.source)))
        case_year = s.found_at.astimezone(tz).year
        if case_year != today.year:  # a case of another assessment year: scored in its own year
            facts.append(_line(ft.Icons.CALENDAR_MONTH, strings.CASE_OF_YEAR.format(year=case_year)))
        facts.extend(self._loop_lines(s))
        if s.marks:  # evidence marks (domain/evidence.py), in words
            facts.append(evidence_panel(s.marks, self.data.rules.photo_max_age_days, "detail-evidence"))

        position_lines: list[ft.Control] = []
        if s.position is not None:
            pos_text = fmt.position(s.position)
            if s.position.accuracy_m:
                pos_text += strings.PARENS.format(
                    text=strings.LOCATION_ACCURACY.format(m=round(s.position.accuracy_m)))
            from fieldapp.ui.case_map import map_lines  # the case on a map, 导航前往 (geo: link)

            position_lines = [*map_lines(self.data, s, f"{category} {s.place}".strip()),
                              ft.Text(pos_text, theme_style=ft.TextThemeStyle.BODY_MEDIUM),
                              self.distance_text]
        else:
            position_lines = [ft.Text(strings.NO_POSITION, theme_style=ft.TextThemeStyle.BODY_MEDIUM)]

        controls: list[ft.Control] = [
            ft.Column(facts, spacing=8),
            self.message.control,
            *self._compare(d),
            section(strings.PHOTO_BEFORE, self._photo_row("before", d.before)),
            section(strings.PHOTO_AFTER, self._photo_row("after", d.after) if d.after else
                    ft.Text(strings.NO_AFTER_PHOTO, theme_style=ft.TextThemeStyle.BODY_SMALL)),
            section(strings.POSITION, *position_lines),
            section(strings.TIMELINE, self._timeline()),
        ]
        self.body.controls = controls
        self.actions_bar.content = self._actions()
        self.actions_bar.visible = True

    def _loop_lines(self, s) -> list[ft.Control]:
        """Where the case stands between the community, the inspector and the office."""
        tz = self.data.rules.tz
        lines = []
        if s.lifecycle != "open":
            return lines
        if s.awaiting_since is not None:
            lines.append(_line(ft.Icons.HOURGLASS_TOP, strings.AWAITING_RECHECK_SINCE.format(
                when=fmt.time_short(s.awaiting_since, tz, self.ctx.today())), Palette.PRIMARY))
        elif s.last_failed_check is not None:
            reason = s.last_failed_check.note
            lines.append(_line(ft.Icons.WARNING_AMBER, strings.RECHECK_FAILED_REASON.format(reason=reason)
                               if reason else strings.RECHECK_FAILED_NO_REASON, Palette.NOT_RECTIFIED))
        if s.exemption_request:
            reason = s.exempt_reason if s.exemption_request == "granted" else s.exemption_refusal_reason
            colour = {"granted": Palette.RECTIFIED, "refused": Palette.NOT_RECTIFIED}.get(s.exemption_request)
            lines.append(_line(ft.Icons.GAVEL, strings.EXEMPTION_STATE[s.exemption_request].format(reason=reason),
                               colour))
        return [ft.Semantics(identifier="loop-state", container=True, content=ft.Column(lines, spacing=8))] \
            if lines else []

    def _note_line(self, note: str) -> ft.Control:
        """The case's note: a long one shows its first lines and 展开全文."""
        text = ft.Text(note, theme_style=ft.TextThemeStyle.BODY_MEDIUM, expand=True)
        if len(note) <= NOTE_FOLD:
            return _line(ft.Icons.NOTES, note)
        text.max_lines, text.overflow = 3, ft.TextOverflow.ELLIPSIS
        toggle = ft.TextButton(strings.NOTE_EXPAND, height=48)

        def flip(_e=None) -> None:
            folded = text.max_lines is not None
            text.max_lines = None if folded else 3
            toggle.content = strings.NOTE_FOLD if folded else strings.NOTE_EXPAND
            update_if_shown(text.parent)

        toggle.on_click = flip
        return ft.Column([ft.Row([ft.Icon(ft.Icons.NOTES, size=20, color=Palette.ON_SURFACE_VARIANT), text],
                                 spacing=8, vertical_alignment=ft.CrossAxisAlignment.START),
                          ft.Row([toggle], alignment=ft.MainAxisAlignment.END)], spacing=0)

    def _compare(self, d: queries.CaseDetail) -> list[ft.Control]:
        """Before and after side by side: while the community's report waits for its re-check,
        its first after photo with who reported it, when, and its note; else the latest
        after photo (a re-check's or a report's)."""
        s = d.state
        report = next((r for r in reversed(s.reports) if r.outcome == "awaiting"), None)
        if not d.before or not d.after or (report is not None and not report.photos):
            return []
        after = dict(d.after)
        if report is None:
            before_sha, before_data = d.before[0]
            after_sha, after_data = d.after[-1]
            return [ft.Semantics(identifier="compare", container=True, content=ft.Row([
                self._half(strings.COMPARE_BEFORE, before_sha, before_data, "compare-before"),
                self._half(strings.COMPARE_AFTER_ANY, after_sha, after_data, "compare-after")],
                spacing=8, vertical_alignment=ft.CrossAxisAlignment.START))]
        half = self._half

        before_sha, before_data = d.before[0]
        after_sha = report.photos[0]
        text = strings.REPORTED_BY.format(who=self.names(report.actor), when=fmt.time_short(report.reported_at,
                                                                                   self.data.rules.tz,
                                                                                   self.ctx.today()))
        if report.note:
            text += strings.SEPARATOR + report.note
        return [ft.Semantics(identifier="compare", container=True, content=ft.Column([
            ft.Row([half(strings.COMPARE_BEFORE, before_sha, before_data, "compare-before"),
                    half(strings.COMPARE_AFTER, after_sha, after.get(after_sha), "compare-after")],
                   spacing=8, vertical_alignment=ft.CrossAxisAlignment.START),
            ft.Text(text, theme_style=ft.TextThemeStyle.BODY_SMALL),
        ], spacing=6))]

    def _half(self, title: str, sha: str, data, identifier: str) -> ft.Control:
        return ft.Column([
            ft.Text(title, theme_style=ft.TextThemeStyle.LABEL_LARGE),
            ft.Container(thumb(data, COMPARE, on_click=on(self._view_photo, sha), label=title,
                               identifier=identifier)),
        ], spacing=4, expand=True, horizontal_alignment=ft.CrossAxisAlignment.CENTER)

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
        if self.community_mode:
            buttons = [ft.FilledButton(strings.REPORT_DONE, icon=ft.Icons.TASK_ALT, on_click=self._report,
                                       height=52, expand=True)]
            exemptible = self.data.rules_for(s.found_at).source(s.source).exemptible  # its year's rules
            if exemptible and s.exemption_request not in ("requested", "granted"):
                buttons.append(ft.OutlinedButton(strings.EXEMPTION_ASK, icon=ft.Icons.GAVEL,
                                                 on_click=self._ask_exemption, height=52, expand=True))
            return ft.Row(buttons, spacing=12)
        return ft.Row([
            ft.FilledButton(strings.RECHECK, icon=ft.Icons.FACT_CHECK, on_click=self._recheck,
                            height=52, expand=True),
            ft.OutlinedButton(strings.VOID, icon=ft.Icons.BLOCK, on_click=self._void, height=52,
                              expand=True,
                              style=ft.ButtonStyle(color=Palette.ERROR)),
        ], spacing=12)

    def _timeline(self) -> ft.Control:
        tz = self.data.rules.tz
        today = self.ctx.today()
        entries = []
        # the registration first when a photo carries the same time
        history = sorted(self.detail.state.history,
                         key=lambda h: (h.at, h.type != "case.registered"))
        for h in history:
            text = fmt.history_text(h.type, h.detail,
                                    lambda code: self.category_names.get(code, code), tz, today)
            entries.append(ft.Row([
                ft.Icon(ft.Icons.CIRCLE, size=10, color=Palette.PRIMARY),
                ft.Column([
                    ft.Text(text, theme_style=ft.TextThemeStyle.BODY_MEDIUM),
                    ft.Text(f"{fmt.time_short(h.at, tz, today)} · {self.names(h.actor)}",
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

        nav = page.navigation_bar

        def close(_e=None):
            if viewer in page.overlay:
                page.overlay.remove(viewer)
                if nav is not None:
                    nav.visible = True
                page.update()

        # Full screen: an overlay child pinned to all four edges (an unpinned one only takes
        # its content's size, a third of the screen with the page undimmed around it).
        viewer = ft.Container(
            ft.Semantics(identifier="photo-viewer", container=True, content=ft.Stack([
                ft.InteractiveViewer(ft.Container(ft.Image(src=data, fit=ft.BoxFit.CONTAIN),
                                                  alignment=ft.Alignment.CENTER, expand=True),
                                     min_scale=1, max_scale=5, expand=True),
                ft.Container(ft.FilledTonalButton(strings.CLOSE, icon=ft.Icons.CLOSE,
                                                  on_click=close, height=48),
                             right=12, top=12),
            ], expand=True)),
            bgcolor="#000000", left=0, top=0, right=0, bottom=0,
        )
        if nav is not None:  # the overlay sits above the body only: the bottom bar steps aside
            nav.visible = False
        page.overlay.append(viewer)
        page.update()

    # --- 复查, 整改反馈, 申请免责: a photo form in a dialog ----------------------------------------

    def _photo_form(self, key: str, title: str, hint: str, photo_title: str, stage: str, text_label: str,
                    save_label: str, extra: tuple = (),
                    check: Callable[[list, str], Optional[str]] = lambda photos, text: None,
                    save: Callable = None, saved: Callable[[], str] = lambda: "") -> None:
        """A dialog: hint, photos (camera or album, the real intake), `extra` controls, a text,
        and a save button. `check(photos, text)` returns what is missing (shown, nothing saved);
        `save(casework, photos, text)` writes it; on success the case is reloaded and `saved()` said.
        A refusal keeps everything typed and chosen."""
        page = self.ctx.page
        message = Message(key)

        def say(text: str, kind: str) -> None:
            message.show(text, kind)
            update_if_shown(dialog)

        # after photos: 拍照 first; one equal to a before photo goes at once, a near one is warned about
        photos = PhotoInput(stage, self.data, lambda: self.device, say,
                            on_change=(lambda: self._check_after(photos, say)) if stage == "after" else None,
                            camera_first=stage == "after")
        text_field = ft.TextField(label=text_label, multiline=True, min_lines=1, max_lines=3, max_length=500)
        button = ft.FilledButton(save_label)

        async def do_save(_e=None) -> None:
            if button.disabled:
                return
            text = (text_field.value or "").strip()
            problem = check(photos.photos, text)
            if problem:
                say(problem, "error")
                return
            button.disabled = True
            button.content = strings.SAVING
            update_if_shown(dialog)
            try:
                await self.data.run(lambda st: save(self.data.casework(st), photos.data_list, text))
            except Exception as exc:  # noqa: BLE001
                log.info("%s refused: %s", key, exc)
                button.disabled = False
                button.content = save_label
                say(f"{fmt.error_message(exc)}{strings.FORM_KEPT}", "error")
                return
            page.pop_dialog()
            self.changed = True
            await self.load()
            self.message.show(saved(), "ok")
            update_if_shown(self.control)

        button.on_click = do_save
        dialog = ft.AlertDialog(
            modal=True,
            scrollable=True,
            title=ft.Text(title),
            inset_padding=ft.Padding.symmetric(horizontal=12, vertical=24),
            content=ft.Column([
                ft.Text(hint, theme_style=ft.TextThemeStyle.BODY_SMALL),
                ft.Text(photo_title, theme_style=ft.TextThemeStyle.TITLE_SMALL),
                photos.control,
                *extra,
                text_field,
                message.control,
            ], tight=True, spacing=10, width=340),
            actions=[ft.TextButton(strings.CANCEL, on_click=lambda e: page.pop_dialog()), button],
        )
        self._form_text = text_field  # the recheck result relabels it
        page.show_dialog(dialog)

    async def _check_after(self, photos: PhotoInput, say: Callable[[str, str], None]) -> None:
        """The chosen after photos against the case's before photos (Casework.check_after_photo):
        one equal to a before photo is removed at once (saving would refuse it); one nearly the
        same stays, with a warning (saved, it marks the record)."""
        chosen = list(photos.photos)
        if not chosen:
            return
        verdicts = await self.data.run(lambda st: [
            self.data.casework(st).check_after_photo(self.case_id, sha256=p.sha256, original_sha256=p.original_sha256,
                                                     phash=p.phash) for p in chosen])
        same = [p for p, v in zip(chosen, verdicts) if v == SAME_AS_BEFORE]
        for p in same:
            if p in photos.photos:  # still there (the list may have changed meanwhile)
                photos.discard(photos.photos.index(p))
        if same:
            say(strings.AFTER_SAME_AS_BEFORE, "error")
        elif LIKE_BEFORE in verdicts:
            say(strings.AFTER_LIKE_BEFORE, "warning")

    async def _recheck(self, e=None) -> None:
        """复查: 整改到位, or 未整改到位 with the reason the community will read."""
        result = ft.RadioGroup(content=ft.Column([
            ft.Radio(value="rectified", label=strings.STATUS_RECTIFIED),
            ft.Radio(value="falls_short", label=strings.STATUS_NOT_RECTIFIED),
        ], spacing=0))

        def relabel(_e=None) -> None:
            self._form_text.label = (strings.RECHECK_FAIL_REASON if result.value == "falls_short"
                                     else strings.NOTE_LABEL)
            update_if_shown(self._form_text)

        def check(photos, text) -> Optional[str]:
            if not photos:
                return strings.NEED_PHOTO
            if result.value not in ("rectified", "falls_short"):
                return strings.RECHECK_NEED_RESULT
            if result.value == "falls_short" and not text:
                return strings.ERRORS["reason_required"]
            return None

        result.on_change = relabel
        self._photo_form(
            "recheck", strings.RECHECK_TITLE, strings.RECHECK_HINT, strings.PHOTO_AFTER, "after",
            strings.NOTE_LABEL, strings.RECHECK_SAVE,
            extra=(ft.Text(strings.RECHECK_RESULT, theme_style=ft.TextThemeStyle.TITLE_SMALL), result),
            check=check,
            save=lambda work, photos, text: work.recheck(self.case_id, rectified=result.value == "rectified",
                                                         photos=photos, note=text),
            saved=lambda: strings.RECHECK_SAVED.format(result=strings.STATUS_RECTIFIED
                                                       if result.value == "rectified"
                                                       else strings.STATUS_NOT_RECTIFIED))

    async def _report(self, e=None) -> None:
        """整改反馈 (a community's phone): at least one after photo, and what was done."""
        self._photo_form(
            "report", strings.REPORT_TITLE, strings.REPORT_HINT, strings.PHOTO_AFTER, "after",
            strings.REPORT_NOTE, strings.REPORT_SAVE,
            check=lambda photos, text: None if photos else strings.NEED_PHOTO,
            save=lambda work, photos, text: work.report_rectified(self.case_id, photos=photos, note=text),
            saved=lambda: strings.REPORT_SAVED)

    async def _ask_exemption(self, e=None) -> None:
        """申请免责 (a community's phone, A/B cases): a reason, photos if any; the office decides."""
        self._photo_form(
            "exemption", strings.EXEMPTION_TITLE, strings.EXEMPTION_HINT, strings.PHOTO_EXEMPTION, "exemption",
            strings.EXEMPTION_REASON, strings.EXEMPTION_SAVE,
            check=lambda photos, text: None if text else strings.ERRORS["reason_required"],
            save=lambda work, photos, text: work.request_exemption(self.case_id, reason=text, photos=photos),
            saved=lambda: strings.EXEMPTION_SAVED)

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
