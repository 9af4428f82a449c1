"""同步: a placeholder until the sync client is wired in; shows what waits for the office."""

from __future__ import annotations

import flet as ft

from fieldapp.ui import queries, strings
from fieldapp.ui.components import empty_state, screen, section, update_if_shown
from fieldapp.ui.context import AppContext
from fieldapp.ui.data import data_of

KEY = "sync"


class SyncScreen:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx
        self.data = data_of(ctx)
        self.counts = ft.Column([], spacing=6)
        self.root = ft.Container(screen(
            KEY, strings.TITLE_SYNC,
            ft.Container(section(strings.SYNC_PENDING_TITLE, self.counts),
                         padding=ft.Padding.symmetric(horizontal=16)),
            empty_state(ft.Icons.CLOUD_SYNC_OUTLINED, strings.SYNC_EMPTY,
                        f"{strings.SYNC_EMPTY_HINT}{strings.SYNC_NOT_READY}", key=KEY),
        ), expand=True, data=self)

    def show(self, p: queries.Pending) -> None:
        self.counts.controls = [
            ft.Semantics(identifier="pending-events", container=True, content=ft.Text(
                strings.PENDING_EVENTS.format(n=p.events), theme_style=ft.TextThemeStyle.BODY_LARGE)),
            ft.Text(strings.PENDING_PHOTOS.format(n=p.photos),
                    theme_style=ft.TextThemeStyle.BODY_LARGE),
        ]

    async def refresh(self) -> None:
        self.show(await self.data.run(queries.pending))
        update_if_shown(self.root)


def build(ctx: AppContext) -> ft.Control:
    s = SyncScreen(ctx)
    s.show(s.data.run_here(queries.pending))
    return s.root


def on_show(view: ft.Control, ctx: AppContext) -> None:
    if ctx.page is not None:
        ctx.page.run_task(view.data.refresh)
