"""我的: the inspector (name, linked communities), this device, the data folder, the version.

Stored in the store's meta table (`fieldapp.ui.data`): ``inspector_name``,
``inspector_communities``; ``device_id`` and ``inspector_id`` are made at first
start and shown read-only (they are stamped on every record).
"""

from __future__ import annotations

import logging

import flet as ft

import fieldapp
from fieldapp.text import fmt
from fieldapp.ui import strings
from fieldapp.ui.components import (
    Message, screen_header, scroll_form, section, update_if_shown, wide_button,
)
from fieldapp.ui.context import AppContext
from fieldapp.ui.data import Settings, data_of, write_settings

log = logging.getLogger(__name__)

KEY = "me"


def _fact(label: str, value: str, identifier: str) -> ft.Control:
    return ft.Column([
        ft.Text(label, theme_style=ft.TextThemeStyle.BODY_SMALL),
        ft.Semantics(identifier=identifier, container=True, content=ft.Text(
            value, theme_style=ft.TextThemeStyle.BODY_MEDIUM, selectable=True)),
    ], spacing=2)


class MeScreen:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx
        self.data = data_of(ctx)
        settings = self.data.settings
        self.message = Message(KEY)
        self.shown = settings
        self.inspector_fact = _fact(strings.ME_ID, settings.inspector_id, "me-inspector-id")
        self.name = ft.TextField(label=strings.ME_NAME, hint_text=strings.ME_NAME_HINT,
                                 value=settings.inspector_name, max_length=32)
        self.checks = {
            c.code: ft.Checkbox(label=c.name, value=c.code in settings.communities)
            for c in self.data.rules.communities
        }
        self.person_title = ft.Text("", theme_style=ft.TextThemeStyle.TITLE_SMALL)
        self.communities_hint = ft.Text("", theme_style=ft.TextThemeStyle.BODY_SMALL)
        self._paint_role(settings)
        self.root = ft.Container(ft.Column([
            screen_header(KEY, strings.TITLE_ME),
            scroll_form([
                ft.Column([self.person_title, self.name], spacing=8),
                section(strings.ME_COMMUNITIES,
                        self.communities_hint,
                        ft.Column(list(self.checks.values()), spacing=0)),
                self.message.control,
                ft.Row([wide_button(strings.ME_SAVE, ft.Icons.SAVE, self.save)]),
                ft.Divider(color="#E3E6EA"),
                # Ids and the data folder are for whoever supports the phone, not for daily use:
                # folded away under 关于本机.
                ft.ExpansionTile(
                    title=ft.Text(strings.ME_ABOUT, theme_style=ft.TextThemeStyle.TITLE_SMALL),
                    tile_padding=ft.Padding.symmetric(horizontal=0),
                    controls_padding=ft.Padding.only(bottom=12),
                    expanded_cross_axis_alignment=ft.CrossAxisAlignment.START,
                    maintain_state=True,
                    controls=[ft.Column([
                        self.inspector_fact,
                        _fact(strings.ME_DEVICE_ID, settings.device_id, "me-device-id"),
                        _fact(strings.ME_DATA_DIR, str(self.data.data_dir), "me-data-dir"),
                        _fact(strings.ME_VERSION, fieldapp.__version__, "me-version"),
                    ], spacing=8)]),
            ]),
        ], spacing=0, expand=True, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
            expand=True, data=self)

    def _paint_role(self, settings: Settings) -> None:
        """A community's phone: its communities are the enrolment's, not a choice."""
        self.person_title.value = strings.ME_COMMUNITY_STAFF if settings.is_community else strings.ME_INSPECTOR
        self.communities_hint.value = (strings.ME_COMMUNITIES_FIXED if settings.is_community
                                       else strings.ME_COMMUNITIES_HINT)
        for box in self.checks.values():
            box.disabled = settings.is_community

    async def save(self, e=None) -> None:
        wanted = Settings(
            device_id=self.data.settings.device_id,
            inspector_id=self.data.settings.inspector_id,
            inspector_name=(self.name.value or "").strip(),
            communities=tuple(code for code, box in self.checks.items() if box.value),
        )
        try:
            saved = await self.data.run(write_settings, wanted)
        except Exception as exc:  # noqa: BLE001
            log.info("settings not saved: %s", exc)
            self.message.show(fmt.error_message(exc), "error")
        else:
            self.data.remember_settings(saved)
            self.shown = saved
            self.message.show(strings.ME_SAVED, "ok")
        update_if_shown(self.root)

    def follow_settings(self) -> None:
        """Settings changed elsewhere (enrolment on 同步): show them (unsaved edits are replaced)."""
        settings = self.data.settings
        if settings == self.shown:
            return
        self.shown = settings
        self.name.value = settings.inspector_name
        for code, box in self.checks.items():
            box.value = code in settings.communities
        self._paint_role(settings)
        self.inspector_fact.controls[1].content.value = settings.inspector_id


def build(ctx: AppContext) -> ft.Control:
    return MeScreen(ctx).root


def on_show(view: ft.Control, ctx: AppContext) -> None:
    view.data.follow_settings()  # the shell sends the changed tree after the tab switch
