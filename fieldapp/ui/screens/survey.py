"""满意度调查: resident satisfaction questionnaires, offline (placeholder)."""

from __future__ import annotations

import flet as ft

from fieldapp.ui import strings
from fieldapp.ui.components import empty_state, screen
from fieldapp.ui.context import AppContext

KEY = "survey"


def build(ctx: AppContext) -> ft.Control:
    return screen(KEY, strings.TITLE_SURVEY,
                  empty_state(ft.Icons.FACT_CHECK_OUTLINED, strings.SURVEY_EMPTY,
                              strings.SURVEY_EMPTY_HINT, key=KEY))
