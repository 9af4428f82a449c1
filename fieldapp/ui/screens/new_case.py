"""登记问题: log a 五脏/五乱 problem with photo, position and deadline (placeholder)."""

from __future__ import annotations

import flet as ft

from fieldapp.ui import strings
from fieldapp.ui.components import empty_state, screen
from fieldapp.ui.context import AppContext

KEY = "new"


def build(ctx: AppContext) -> ft.Control:
    return screen(KEY, strings.TITLE_NEW,
                  empty_state(ft.Icons.ADD_A_PHOTO_OUTLINED, strings.NEW_EMPTY,
                              strings.NEW_EMPTY_HINT, key=KEY))
