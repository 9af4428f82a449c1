"""登记问题: log a 五脏/五乱 problem — category, photos, position, community, 明察/暗访,
note and deadline — then save it; nearby cases of the same category are shown first.

Nothing typed is lost when a save fails: the form keeps every field and photo and
says in Chinese what went wrong. The save runs in a worker thread: the screen
answers at once ("正在保存…").

Evidence (domain/evidence.py): as soon as the facts are known (fix, photos), the marks the
case will carry — position only from the photo, an old photo, outside the area, a mocked fix —
are shown under the photos, in words, before anything is saved; the saved message names them.

Test handles: ``category-<code>``, ``photo-new-<n>``, ``location-status``,
``deadline-value``, ``message-new``, ``nearby-<case id>``, ``evidence-warning``.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, timedelta, timezone
from typing import Optional

import flet as ft

from fieldapp.casework import CAME_BACK, NEW_PROBLEM, SEEN_AGAIN
from fieldapp.domain import evidence
from fieldapp.domain.geo import Position
from fieldapp.text import fmt
from fieldapp.ui import queries, strings
from fieldapp.ui.components import (
    CommunityPicker, Message, notify, screen_header, scroll_form, section, thumb,
    update_if_shown, wide_button,
)
from fieldapp.ui.context import AppContext
from fieldapp.ui.data import DataService, data_of
from fieldapp.ui.device import Device, LocationUnavailable
from fieldapp.ui.pin import PinPanel
from fieldapp.ui.evidence_view import evidence_panel, mark_words
from fieldapp.ui.photo_input import PhotoInput
from fieldapp.text.theme import Palette
from fieldapp.ui.yearnote import YearNotice

log = logging.getLogger(__name__)

KEY = "new"
PLACE_MAX = 200
NOTE_MAX = 2000
#: the source of cases the office's own inspectors find (办事处检查发现)
INSPECTOR_SOURCE = "D"

CATEGORY_ICONS = {
    "Z1": ft.Icons.DELETE_OUTLINE,
    "Z2": ft.Icons.CLEANING_SERVICES_OUTLINED,
    "Z3": ft.Icons.STOREFRONT_OUTLINED,
    "Z4": ft.Icons.WATER,
    "Z5": ft.Icons.CONSTRUCTION,
    "L1": ft.Icons.HOUSE_SIDING,
    "L2": ft.Icons.FORMAT_PAINT_OUTLINED,
    "L3": ft.Icons.SHOPPING_CART_OUTLINED,
    "L4": ft.Icons.PEDAL_BIKE,
    "L5": ft.Icons.DELETE_SWEEP_OUTLINED,
}


def default_deadline(data: DataService, today: date) -> date:
    return today + timedelta(days=data.rules.source(INSPECTOR_SOURCE).default_rectification_days)


def picked_date(value) -> date:
    """The day a DatePicker answer means. The client sends the midnight that starts the day in
    the phone's own time zone, as UTC: between 12:00 UTC the day before (UTC+12) and 11:00 UTC
    that day (UTC−11). Twelve hours later it is that day in UTC wherever the phone is — unlike
    converting it to China time, which gives the day before on a phone set east of UTC+8."""
    if not isinstance(value, datetime):
        return value
    if value.tzinfo is None:
        return value.date()
    return (value.astimezone(timezone.utc) + timedelta(hours=12)).date()


class NewCaseScreen:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx
        self.data = data_of(ctx)
        rules = self.data.rules
        self.category: Optional[str] = None
        self.fix: Optional[Position] = None
        self.fix_mocked = False  # the geolocator said the fix is mocked
        self.marks: tuple[str, ...] = ()  # what the case would be marked with if saved now
        self.locating = False
        self.saving = False
        self.deadline = default_deadline(self.data, ctx.today())

        self.message = Message(KEY)
        self.category_tiles: dict[str, ft.Container] = {}
        self.category_marks: dict[str, ft.Semantics] = {}
        groups = []
        for group in _groups(rules):
            tiles = [self._category_tile(c) for c in rules.categories if c.group == group]
            groups.append(ft.Text(group, theme_style=ft.TextThemeStyle.LABEL_LARGE,
                                  color=Palette.ON_SURFACE_VARIANT))
            groups.append(ft.ResponsiveRow(tiles, spacing=8, run_spacing=8))
        self.photos = PhotoInput("new", self.data, lambda: self.device, self._say,
                                 on_change=self._photos_changed)
        self.location_icon = ft.Icon(ft.Icons.MY_LOCATION, size=20, color=Palette.OUTLINE)
        self.location_text = ft.Text(strings.LOCATING, theme_style=ft.TextThemeStyle.BODY_MEDIUM,
                                     expand=True)
        self.place = ft.TextField(label=strings.PLACE_LABEL, max_length=PLACE_MAX, dense=False, multiline=True,
                                  min_lines=1, max_lines=3, on_change=self._text_changed)
        self.communities = CommunityPicker(rules.communities, self.data.settings.home_community(rules))
        # the small map with a movable pin, and the community whose boundary holds the place (fieldapp/ui/pin.py)
        self.pin = PinPanel(self.data, on_change=self._pin_changed)
        self.communities.on_change = self._pin_changed
        self.mode = ft.RadioGroup(value="open", content=ft.Row([
            ft.Radio(value="open", label=strings.MODE_OPEN),
            ft.Radio(value="covert", label=strings.MODE_COVERT),
        ], spacing=16))
        self.deadline_text = ft.Text("", theme_style=ft.TextThemeStyle.TITLE_SMALL)
        self.date_picker = ft.DatePicker(
            first_date=self._as_datetime(ctx.today()),
            last_date=self._as_datetime(ctx.today() + timedelta(days=366)),
            current_date=self._as_datetime(ctx.today()),
            on_change=self._deadline_picked,
            help_text=strings.SECTION_DEADLINE,
            cancel_text=strings.CANCEL,
            confirm_text=strings.CONFIRM,
        )
        self.note = ft.TextField(label=strings.NOTE_LABEL, multiline=True, min_lines=2,
                                 max_lines=5, max_length=NOTE_MAX, on_change=self._text_changed)
        self.save_button = wide_button(strings.SAVE_CASE, ft.Icons.SAVE, self.save)
        self.evidence = ft.Container(evidence_panel((), 0, "evidence-warning"))
        self._render_deadline()

        days = self.data.rules.source(INSPECTOR_SOURCE).default_rectification_days
        # no rules for this year on the phone: said plainly, at the top of the form and scrolling
        # with it (pinned, it left a landscape phone a sliver of form between it and 保存)
        self.year_notice = YearNotice(self.data, KEY, inset=False)
        form = scroll_form([
            self.year_notice.control,
            section(strings.SECTION_CATEGORY, *groups),
            section(strings.SECTION_PHOTOS, self.photos.control),
            self.evidence,  # right under the photo that causes it, as soon as it is chosen
            section(strings.SECTION_POSITION,
                    ft.Semantics(identifier="location-status", container=True,
                                 content=ft.Row([self.location_icon, self.location_text],
                                                vertical_alignment=ft.CrossAxisAlignment.START)),
                    ft.Row([ft.TextButton(strings.RELOCATE, icon=ft.Icons.GPS_FIXED,
                                          on_click=self.locate)]),
                    self.pin.control,
                    self.place),
            section(strings.SECTION_COMMUNITY, self.communities.row, self.pin.community_note),
            section(strings.SECTION_MODE, self.mode),
            section(strings.SECTION_DEADLINE,
                    ft.Row([ft.Semantics(identifier="deadline-value", container=True,
                                         content=self.deadline_text),
                            ft.OutlinedButton(strings.CHANGE_DEADLINE, icon=ft.Icons.EDIT_CALENDAR,
                                              on_click=self._pick_deadline)],
                           alignment=ft.MainAxisAlignment.SPACE_BETWEEN, wrap=True),
                    ft.Text(strings.DEADLINE_DEFAULT_HINT.format(n=days),
                            theme_style=ft.TextThemeStyle.BODY_SMALL)),
            section(strings.SECTION_NOTE, self.note),
        ])
        # The message and 保存 stay at the bottom of the screen, however long the form scrolls.
        footer = ft.Container(ft.Column([self.message.control, ft.Row([self.save_button])], spacing=8, tight=True),
                              padding=ft.Padding.only(left=16, right=16, top=8, bottom=8),
                              border=ft.Border.only(top=ft.BorderSide(1, "#E3E6EA")))
        self.root = ft.Container(ft.Column([
            screen_header(KEY, strings.TITLE_NEW),
            form,
            footer,
        ], spacing=0, expand=True, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
            expand=True, data=self)

    @property
    def device(self) -> Device:
        if self.ctx.device is None:
            self.ctx.extras.setdefault("device", Device())
            return self.ctx.extras["device"]
        return self.ctx.device

    @staticmethod
    def _as_datetime(d: date) -> datetime:
        # noon: the date stays the same whatever time zone the client converts it to
        return datetime(d.year, d.month, d.day, 12)

    def _update(self) -> None:
        update_if_shown(self.root)

    def _say(self, text: str, kind: str = "error") -> None:
        self.message.show(text, kind)
        self._update()

    # --- category ---------------------------------------------------------------------

    def _category_tile(self, category) -> ft.Control:
        label = ft.Text(category.name, theme_style=ft.TextThemeStyle.LABEL_MEDIUM,
                        text_align=ft.TextAlign.CENTER, max_lines=2)
        icon = ft.Icon(CATEGORY_ICONS.get(category.code, ft.Icons.REPORT_OUTLINED), size=28,
                       color=Palette.PRIMARY)
        tile = ft.Container(
            ft.Column([icon, label], spacing=4, tight=True,
                      horizontal_alignment=ft.CrossAxisAlignment.CENTER),
            height=88, border_radius=ft.BorderRadius.all(10),
            border=ft.Border.all(1, "#C9CED6"), bgcolor=Palette.SURFACE,
            alignment=ft.Alignment.CENTER, padding=ft.Padding.symmetric(horizontal=4),
            on_click=lambda e, c=category.code: self._choose_category(c),
            tooltip=None,
        )
        self.category_tiles[category.code] = tile
        wrapper = ft.Semantics(identifier=f"category-{category.code}", container=True,
                               selected=False, content=tile, col={"xs": 4, "sm": 3, "md": 2})
        self.category_marks[category.code] = wrapper
        return wrapper

    def _choose_category(self, code: str) -> None:
        self.category = code
        for c, tile in self.category_tiles.items():
            chosen = c == code
            tile.bgcolor = Palette.PRIMARY_CONTAINER if chosen else Palette.SURFACE
            tile.border = ft.Border.all(3 if chosen else 1, Palette.PRIMARY if chosen else "#C9CED6")
            self.category_marks[c].selected = chosen
        if self.message.value == strings.NEED_CATEGORY:
            self.message.clear()

    # --- deadline ------------------------------------------------------------------------------

    def _render_deadline(self) -> None:
        days = (self.deadline - self.ctx.today()).days
        self.deadline_text.value = (f"{fmt.date_short(self.deadline, self.ctx.today())} · "
                                    f"{strings.DUE_IN_DAYS.format(n=days) if days else strings.DUE_TODAY}")

    def _pick_deadline(self, e=None) -> None:
        today = self.ctx.today()  # not when the screen was built: the app may stay open past midnight
        self.date_picker.first_date = self._as_datetime(today)
        self.date_picker.last_date = self._as_datetime(today + timedelta(days=366))
        self.date_picker.current_date = self._as_datetime(today)
        self.date_picker.value = self._as_datetime(self.deadline)
        self.ctx.page.show_dialog(self.date_picker)

    def _deadline_picked(self, e) -> None:
        value = self.date_picker.value
        if value is None:
            return
        picked = picked_date(value)
        if picked < self.ctx.today():
            self._say(strings.ERRORS["deadline_in_past"], "error")
            return
        self.deadline = picked
        self._render_deadline()
        self._update()

    # --- position ---------------------------------------------------------------------------

    async def locate(self, e=None) -> None:
        if self.locating:
            return
        self.locating = True
        self.location_icon.icon = ft.Icons.MY_LOCATION
        self.location_icon.color = Palette.OUTLINE
        self.location_text.value = strings.LOCATING
        self.location_text.color = None
        self._update()
        try:
            self.fix = await self.device.locate()
            self.fix_mocked = self.device.fix_mocked
        except LocationUnavailable:
            self.fix, self.fix_mocked = None, False
        finally:
            self.locating = False
        self._render_location()
        self._update()

    def _render_evidence(self) -> None:
        """The marks the case would get if saved now (the same function Casework uses)."""
        rules = self.data.rules
        exif = self.photos.exif_position
        from_photo = self.fix is None and exif is not None
        self.marks = evidence.registration_marks(
            rules, self.ctx.clock(), position=self.fix or exif, position_from_photo=from_photo,
            mocked=self.fix_mocked and self.fix is not None,
            photo_times=[p.taken_at for p in self.photos.photos],
            outside_boundaries=self.pin.outside(self.pin.placed or self.fix or exif),
        ) if self.photos.photos or self.fix else ()
        self.evidence.content = evidence_panel(self.marks, rules.photo_max_age_days, "evidence-warning",
                                               title=strings.EVIDENCE_WARN_TITLE, hint=strings.EVIDENCE_WARN_HINT)

    def _render_location(self) -> None:
        if self.locating:
            return
        self.pin.show_fix(self.fix or self.photos.exif_position)
        self.pin.check_community(self.communities)
        self._render_evidence()
        if self.fix is not None:
            text, warn = fmt.accuracy_text(self.fix.accuracy_m, self.data.rules.gps_warn_accuracy_m)
            self.location_icon.icon = ft.Icons.WARNING_AMBER if warn else ft.Icons.GPS_FIXED
            self.location_icon.color = Palette.DUE_TODAY if warn else Palette.RECTIFIED
            self.location_text.value = text
            self.location_text.color = Palette.DUE_TODAY if warn else None
            return
        # No fix: Casework falls back to the first photo's EXIF position, with its accuracy.
        exif = self.photos.exif_position
        text, warn = (fmt.photo_position_text(exif, self.data.rules.gps_warn_accuracy_m)
                      if exif else (strings.LOCATION_NONE, False))
        self.location_icon.icon = ft.Icons.WARNING_AMBER if warn else ft.Icons.LOCATION_OFF
        self.location_icon.color = Palette.DUE_TODAY
        self.location_text.color = Palette.DUE_TODAY
        self.location_text.value = text

    def _pin_changed(self) -> None:
        """The pin moved or a community was picked: which boundary holds the place, the marks."""
        self.pin.check_community(self.communities)
        self._render_evidence()
        self._update()

    async def _photos_changed(self) -> None:
        self._render_location()
        self._update()

    # --- saving -----------------------------------------------------------------------------

    def problems(self) -> Optional[str]:
        """What keeps the form from being saved, in Chinese; None if it can be saved."""
        if self.category is None:
            return strings.NEED_CATEGORY
        if not self.photos.photos:
            return strings.NEED_PHOTO
        if self.fix is None and self.photos.exif_position is None and not self.place.value.strip():
            return strings.NEED_PLACE
        return None

    def _busy(self, busy: bool) -> None:
        self.saving = busy
        self.save_button.disabled = busy
        self.save_button.content = strings.SAVING if busy else strings.SAVE_CASE

    async def save(self, e=None) -> None:
        if self.saving or self.photos.busy:
            return
        problem = self.problems()
        if problem:
            self._say(problem, "error")
            return
        self._busy(True)
        self.message.show(strings.SAVING, "info")
        self._update()                      # the screen answers at once
        try:
            await self._save()
        except Exception as exc:  # noqa: BLE001 — everything is said in Chinese, form kept
            log.info("saving a case failed: %s", exc)
            self.message.show(f"{fmt.error_message(exc)}{strings.FORM_KEPT}", "error")
        finally:
            self._busy(False)
            self._update()

    async def _save(self) -> None:
        category, community = self.category, self.communities.value
        position = self.fix
        placed = self.pin.placed
        near_to = placed or position or self.photos.exif_position
        judged, earlier = NEW_PROBLEM, None
        if near_to is not None:
            nearby = await self.data.run(
                lambda s: self.data.casework(s).nearby(community, category, near_to))
            if nearby:
                choice = await self._ask_nearby(nearby)
                if choice is None:          # the inspector went back to the form
                    self.message.clear()
                    return
                judged, earlier = choice
        photos = self.photos.data_list
        kwargs = dict(community=community, category=category, photos=photos,
                      note=self.note.value or "", place=self.place.value.strip(),
                      position=position, deadline=self.deadline,
                      unannounced=self.mode.value == "covert",
                      judged=judged, earlier_case_id=earlier,
                      position_mocked=self.fix_mocked and position is not None,
                      placed=placed, outside_boundaries=self.pin.outside(near_to))
        saved = await self.data.run(lambda s: self.data.casework(s).register(**kwargs))
        log.info("case %s saved (%s)", saved.case_id, judged)
        name = self.data.rules.category(category).name
        done = (strings.CASE_SAVED_SEEN_AGAIN if judged == SEEN_AGAIN else
                strings.CASE_SAVED_MARKED.format(category=name, deadline=fmt.date_short(self.deadline, self.ctx.today()),
                                                 marks=mark_words(saved.marks)) if saved.marks else
                strings.CASE_SAVED.format(category=name, deadline=fmt.date_short(self.deadline, self.ctx.today())))
        self.reset()
        self.message.show(done, "ok")
        notify(self.ctx.page, done)
        self.ctx.navigate("cases")

    def has_unsaved(self) -> bool:
        """Something typed or chosen that leaving the form would lose (the shell asks first)."""
        return bool(self.category or self.photos.photos or (self.place.value or "").strip()
                    or (self.note.value or "").strip())

    def _text_changed(self, e) -> None:
        """A paste longer than the field takes is cut by the field itself: say so, once."""
        field = e.control
        if len(field.value or "") >= (field.max_length or 0) > 0:
            name = strings.PLACE if field is self.place else strings.SECTION_NOTE
            self._say(strings.TEXT_CUT.format(field=name, n=field.max_length), "warning")

    def reset(self) -> None:
        """Empty the form for the next problem (community and GPS fix stay)."""
        self.pin.reset()
        self.category = None
        for tile in self.category_tiles.values():
            tile.bgcolor = Palette.SURFACE
            tile.border = ft.Border.all(1, "#C9CED6")
        for mark in self.category_marks.values():
            mark.selected = False
        self.photos.clear()
        self.note.value = ""
        self.place.value = ""
        self.mode.value = "open"
        self.deadline = default_deadline(self.data, self.ctx.today())
        self._render_deadline()
        self._render_location()

    # --- nearby cases -----------------------------------------------------------------------

    async def _ask_nearby(self, nearby) -> Optional[tuple[str, Optional[str]]]:
        """Show nearby cases with their photos; the inspector's judgement, or None (back)."""
        page = self.ctx.page
        loop = asyncio.get_running_loop()
        answer: asyncio.Future = loop.create_future()
        details = await self.data.run(
            lambda s: [queries.case_detail(s, self.data.photo_dir, self.ctx.clock(), n.case_id)
                       for n in nearby])

        def choose(value):
            def handler(e=None):
                if not answer.done():
                    answer.set_result(value)
                page.pop_dialog()
            return handler

        def dismissed(e=None):
            if not answer.done():
                answer.set_result(None)

        items = []
        for n, d in zip(nearby, details):
            if d is None:
                continue
            s = d.state
            when = fmt.date_short(s.found_at.astimezone(self.data.rules.tz).date(), self.ctx.today())
            open_case = n.kind == "duplicate"
            line = (strings.NEARBY_OPEN if open_case else strings.NEARBY_RECTIFIED).format(
                d=round(n.distance_m))
            photo = d.before[0][1] if d.before else None
            after = d.after[0][1] if d.after else None
            pics = [thumb(photo, 72)] + ([thumb(after, 72)] if after else [])
            button = (ft.FilledTonalButton(strings.JUDGE_SEEN_AGAIN,
                                           on_click=choose((SEEN_AGAIN, s.case_id)))
                      if open_case else
                      ft.FilledTonalButton(strings.JUDGE_CAME_BACK,
                                           on_click=choose((CAME_BACK, s.case_id))))
            items.append(ft.Semantics(identifier=f"nearby-{s.case_id}", container=True,
                                      content=ft.Container(ft.Column([
                                          ft.Row(pics, spacing=8),
                                          ft.Text(f"{when} · {s.place or strings.NO_PLACE}",
                                                  theme_style=ft.TextThemeStyle.BODY_MEDIUM),
                                          ft.Text(line, theme_style=ft.TextThemeStyle.BODY_SMALL),
                                          button,
                                      ], spacing=6, tight=True),
                                          padding=10, border=ft.Border.all(1, "#C9CED6"),
                                          border_radius=ft.BorderRadius.all(8))))
        if not items:
            return NEW_PROBLEM, None
        radius = round(self.data.rules.recurrence_radius_m)
        dialog = ft.AlertDialog(
            modal=True,
            scrollable=True,
            title=ft.Text(strings.NEARBY_TITLE),
            inset_padding=ft.Padding.symmetric(horizontal=12, vertical=24),
            content=ft.Column([
                ft.Text(strings.NEARBY_HINT.format(n=radius),
                        theme_style=ft.TextThemeStyle.BODY_MEDIUM),
                *items,
            ], tight=True, spacing=12, width=340),
            actions=[
                ft.TextButton(strings.BACK, on_click=choose(None)),
                ft.FilledButton(strings.JUDGE_NEW, on_click=choose((NEW_PROBLEM, None))),
            ],
            on_dismiss=dismissed,
        )
        page.show_dialog(dialog)
        return await answer


def _groups(rules) -> list[str]:
    seen: list[str] = []
    for c in rules.categories:
        if c.group not in seen:
            seen.append(c.group)
    return seen


def build(ctx: AppContext) -> ft.Control:
    s = NewCaseScreen(ctx)
    if ctx.page is not None:
        ctx.page.run_task(s.locate)
    return s.root


def on_show(view: ft.Control, ctx: AppContext) -> None:
    s: NewCaseScreen = view.data
    s.communities.follow_home(s.data.settings.home_community(s.data.rules))
    if s.year_notice.refresh():  # the year's rules came (a sync) or the year turned: their default deadline
        s.deadline = default_deadline(s.data, ctx.today())
        s._render_deadline()
    if s.fix is None and not s.locating and ctx.page is not None:
        ctx.page.run_task(s.locate)
