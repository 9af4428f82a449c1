"""满意度调查: resident questionnaires in the field, one after another.

Community (default: the inspector's own), 满意 / 基本满意 / 不满意, an optional
comment, 提交. The form then clears for the next resident (the community stays)
and today's count goes up. Test handles: ``survey-count``, ``message-survey``.
"""

from __future__ import annotations

import logging
from typing import Optional

import flet as ft

from fieldapp.text import fmt

from fieldapp.ui import queries, strings
from fieldapp.ui.components import (
    CommunityPicker, Message, screen_header, scroll_form, section, update_if_shown,
    wide_button,
)
from fieldapp.ui.context import AppContext
from fieldapp.ui.data import data_of
from fieldapp.text.theme import Palette

log = logging.getLogger(__name__)

KEY = "survey"
ANSWER_LOOK = {   # answer -> (icon, colour)
    0: (ft.Icons.SENTIMENT_VERY_SATISFIED, Palette.RECTIFIED),
    1: (ft.Icons.SENTIMENT_SATISFIED, Palette.PRIMARY),
    2: (ft.Icons.SENTIMENT_DISSATISFIED, Palette.ERROR),
}


class SurveyScreen:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx
        self.data = data_of(ctx)
        rules = self.data.rules
        self.answer: Optional[str] = None
        self.saving = False
        self.today_count = 0
        self.message = Message(KEY)
        self.count_text = ft.Text("", theme_style=ft.TextThemeStyle.TITLE_MEDIUM,
                                  color=Palette.PRIMARY)
        self.communities = CommunityPicker(rules.communities, self.data.settings.home_community(rules))
        self.answer_buttons: dict[str, ft.Container] = {}
        answers = []
        for i, answer in enumerate(rules.survey_answers):
            icon, colour = ANSWER_LOOK.get(i, (ft.Icons.SENTIMENT_NEUTRAL, Palette.PRIMARY))
            box = ft.Container(
                ft.Column([ft.Icon(icon, size=36, color=colour),
                           ft.Text(answer, theme_style=ft.TextThemeStyle.TITLE_SMALL,
                                   text_align=ft.TextAlign.CENTER)],
                          spacing=4, tight=True, horizontal_alignment=ft.CrossAxisAlignment.CENTER),
                height=96, expand=True, border_radius=ft.BorderRadius.all(12),
                border=ft.Border.all(1, "#C9CED6"), alignment=ft.Alignment.CENTER,
                on_click=lambda e, a=answer: self._choose(a),
            )
            self.answer_buttons[answer] = box
            answers.append(ft.Semantics(identifier=f"answer-{i}", container=True, content=box,
                                        expand=True))
        self.comment = ft.TextField(label=strings.SURVEY_COMMENT, multiline=True, min_lines=2,
                                    max_lines=4, max_length=500)
        self.submit_button = wide_button(strings.SURVEY_SUBMIT, ft.Icons.SEND, self.submit)
        self.root = ft.Container(ft.Column([
            screen_header(KEY, strings.TITLE_SURVEY, strings.SURVEY_HINT),
            scroll_form([
                ft.Semantics(identifier="survey-count", container=True, content=self.count_text),
                section(strings.COMMUNITY, self.communities.row),
                section(strings.SURVEY_ANSWER, ft.Row(answers, spacing=8)),
                self.comment,
                self.message.control,
                ft.Row([self.submit_button]),
            ]),
        ], spacing=0, expand=True, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
            expand=True, data=self)


    def _choose(self, answer: str) -> None:
        self.answer = answer
        for a, box in self.answer_buttons.items():
            chosen = a == answer
            box.bgcolor = Palette.PRIMARY_CONTAINER if chosen else None
            box.border = ft.Border.all(3 if chosen else 1, Palette.PRIMARY if chosen else "#C9CED6")
        if self.message.kind == "error":
            self.message.clear()

    def _render_count(self) -> None:
        self.count_text.value = strings.SURVEY_TODAY.format(n=self.today_count)

    def load_count_here(self) -> None:
        self.today_count = self.data.run_here(queries.surveys_today, self.ctx.today(),
                                              self.data.settings.my_ids)
        self._render_count()

    async def refresh_count(self) -> None:
        self.today_count = await self.data.run(queries.surveys_today, self.ctx.today(),
                                               self.data.settings.my_ids)
        self._render_count()
        update_if_shown(self.root)

    async def submit(self, e=None) -> None:
        if self.saving:
            return
        if self.answer is None:
            self.message.show(strings.SURVEY_NEED_ANSWER, "error")
            update_if_shown(self.root)
            return
        self.saving = True
        self.submit_button.disabled = True
        update_if_shown(self.root)
        community, answer, comment = self.communities.value, self.answer, self.comment.value or ""
        try:
            await self.data.run(lambda s: self.data.casework(s).answer_survey(
                community, answer, comment.strip()))
            self.today_count = await self.data.run(queries.surveys_today, self.ctx.today(),
                                                   self.data.settings.my_ids)
        except Exception as exc:  # noqa: BLE001
            log.info("survey not saved: %s", exc)
            self.message.show(f"{fmt.error_message(exc)}{strings.FORM_KEPT}", "error")
        else:
            self.answer = None
            for box in self.answer_buttons.values():
                box.bgcolor = None
                box.border = ft.Border.all(1, "#C9CED6")
            self.comment.value = ""
            self._render_count()
            self.message.show(strings.SURVEY_SAVED.format(n=self.today_count), "ok")
        finally:
            self.saving = False
            self.submit_button.disabled = False
            update_if_shown(self.root)


def build(ctx: AppContext) -> ft.Control:
    s = SurveyScreen(ctx)
    s.load_count_here()
    return s.root


def on_show(view: ft.Control, ctx: AppContext) -> None:
    s: SurveyScreen = view.data
    s.communities.follow_home(s.data.settings.home_community(s.data.rules))
    if ctx.page is not None:
        ctx.page.run_task(view.data.refresh_count)
