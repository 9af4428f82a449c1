"""同步: push cases and photos to the office, pull what changed (placeholder)."""

from __future__ import annotations

import flet as ft

from fieldapp.ui import strings
from fieldapp.ui.components import empty_state, screen
from fieldapp.ui.context import AppContext

KEY = "sync"


def build(ctx: AppContext) -> ft.Control:
    return screen(KEY, strings.TITLE_SYNC,
                  empty_state(ft.Icons.CLOUD_SYNC_OUTLINED, strings.SYNC_EMPTY,
                              strings.SYNC_EMPTY_HINT, key=KEY))
