"""我的案件: the inspector's open cases, by rectification deadline (placeholder)."""

from __future__ import annotations

import flet as ft

from fieldapp.ui import fmt, strings
from fieldapp.ui.components import empty_state, screen
from fieldapp.ui.context import AppContext

KEY = "cases"


def build(ctx: AppContext) -> ft.Control:
    today = fmt.date_short(ctx.today())
    return screen(
        KEY, strings.TITLE_CASES,
        empty_state(ft.Icons.INBOX_OUTLINED, strings.CASES_EMPTY,
                    strings.CASES_EMPTY_HINT, key=KEY),
        subtitle=f"{strings.APP_ORG} · {today}",
    )
