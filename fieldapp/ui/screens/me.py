"""我的: this device's enrolment, the inspector, settings (placeholder)."""

from __future__ import annotations

import flet as ft

from fieldapp.ui import strings
from fieldapp.ui.components import empty_state, screen
from fieldapp.ui.context import AppContext

KEY = "me"


def build(ctx: AppContext) -> ft.Control:
    return screen(KEY, strings.TITLE_ME,
                  empty_state(ft.Icons.PHONELINK_SETUP, strings.ME_EMPTY,
                              strings.ME_EMPTY_HINT, key=KEY))
