"""奖惩基金: the fund from the roster (deposits by role × people, the office's match, the total)
beside the ranking it is paid on (the year-end ranking; while the year runs, both are shown
as they stand). Handles: ``screen-fund``, ``fund-total``, ``fund-table``, ``fund-ranking``.
"""

from __future__ import annotations

import flet as ft

from fieldapp.office.dashboard import widgets as w
from fieldapp.office.dashboard.context import DashContext
from fieldapp.text import fmt
from fieldapp.office import words as strings
from fieldapp.text.theme import Palette


def yuan(value) -> str:
    return strings.DASH_FUND_YUAN.format(n=w.plain(value))


class FundScreen:
    def __init__(self, ctx: DashContext):
        self.ctx = ctx
        self.left = ft.Column(spacing=12, expand=3)
        self.right = ft.Column(spacing=12, expand=2)
        self.control = ft.Column(
            [
                w.title(strings.DASH_FUND_TITLE, "fund"),
                w.small(strings.DASH_FUND_RANKING_HINT),
                ft.Row([self.left, self.right], spacing=20, vertical_alignment=ft.CrossAxisAlignment.START),
                ft.Container(height=16),
            ],
            spacing=14,
            scroll=ft.ScrollMode.AUTO,
            expand=True,
        )

    async def show(self, **_kw) -> None:
        self.render()

    async def changed(self) -> None:
        self.render()

    def render(self) -> None:
        snap = self.ctx.snapshot()
        result = snap.final
        fund = result.fund
        if fund is None:
            self.left.controls = [w.card(w.small(strings.DASH_FUND_NONE, Palette.DUE_TODAY))]
        else:
            rows = [
                w.row([w.cell_text(line.name), w.cell_text(w.plain(line.deposit)), w.cell_text(str(len(line.people))),
                       w.cell_text(w.plain(line.amount), bold=True), w.cell_text("、".join(line.people), width=300)])
                for line in fund.lines
            ]  # fmt: skip
            total_lines = [
                (strings.DASH_FUND_DEPOSITS, yuan(fund.deposits)),
                (strings.DASH_FUND_MATCH.format(ratio=w.plain(fund.match_ratio)), yuan(fund.match)),
                (strings.DASH_FUND_TOTAL, yuan(fund.total)),
            ]
            self.left.controls = [
                w.table([strings.DASH_FUND_COL_ROLE, strings.DASH_FUND_COL_DEPOSIT, strings.DASH_FUND_COL_PEOPLE,
                         strings.DASH_FUND_COL_AMOUNT, strings.DASH_FUND_COL_NAMES], rows,
                        numeric=(1, 2, 3), identifier="fund-table"),
                w.card(*[ft.Row([ft.Text(k, expand=True), ft.Text(v, weight=ft.FontWeight.W_700)])
                         for k, v in total_lines[:2]],
                       ft.Divider(height=1),
                       ft.Row([ft.Text(total_lines[2][0], theme_style=ft.TextThemeStyle.TITLE_MEDIUM, expand=True),
                               w.labelled("fund-total", ft.Text(total_lines[2][1],
                                                                theme_style=ft.TextThemeStyle.TITLE_LARGE,
                                                                color=Palette.PRIMARY))])),
            ]  # fmt: skip
        ranking = [
            w.row([w.cell_text(f"{c.rank}{'=' if c.tied else ''}", bold=True), w.cell_text(c.name),
                   w.cell_text(w.num(c.final), bold=True)])
            for c in result.communities
        ]  # fmt: skip
        hint = strings.DASH_FINAL_HINT.format(day=fmt.date_full(result.evaluation_day))
        if not snap.year_over:
            hint += "；" + strings.DASH_FINAL_PENDING
        self.right.controls = [
            w.card(
                w.subtitle(strings.DASH_FUND_RANKING),
                w.small(hint),
                w.table([strings.DASH_COL_RANK, strings.DASH_COL_COMMUNITY, strings.DASH_COL_FINAL], ranking,
                        numeric=(2,), identifier="fund-ranking"),
            )
        ]  # fmt: skip
