"""排名: the live ranking ("if the year ended today") or the year-end one, with charts; export.

Handles: ``screen-ranking``; ``which-live`` / ``which-final`` (the switch); ``year`` (the
year switcher: the years the office has rules for);
``final-<code>`` / ``rank-<code>`` (a community's final score and rank in the table);
``chart-scores``, ``chart-monthly``; ``export``; ``bulletin`` and ``bulletin-month`` (the 通报 PDFs,
zipped: the shown ranking's, or one month's).
"""

from __future__ import annotations

import flet as ft

from fieldapp.domain.scoring import YearScore
from fieldapp.office.dashboard import widgets as w
from fieldapp.office.dashboard.charts import monthly_line_chart, scores_bar_chart
from fieldapp.office.dashboard.context import DashContext
from fieldapp.office.dashboard.routes import FINAL, LIVE
from fieldapp.office.report import note_text
from fieldapp.office import words as strings
from fieldapp.ui.components import Message
from fieldapp.text.fmt import date_full
from fieldapp.text.theme import Palette


def ranking_rows(result: YearScore, on_open=None) -> list[ft.DataRow]:
    rows = []
    for c in result.communities:
        rank = f"{c.rank}{'=' if c.tied else ''}"
        cells = [
            w.cell_text(rank, bold=True, identifier=f"rank-{c.code}"),
            w.cell_text(c.name, bold=True),
            w.cell_text(f"{w.num(c.superior.value)}（{strings.DASH_MONTHS.format(n=c.superior.count)}）"),
            w.cell_text(f"{w.num(c.office.value)}（{strings.DASH_TIMES.format(n=c.office.count)}）"),
            w.cell_text(f"{w.num(c.satisfaction.value)}（{strings.DASH_PEOPLE.format(n=c.satisfaction.count)}）"),
            w.cell_text(w.num(c.composite)),
            w.cell_text(w.points(c.deduction_total), colour=Palette.OVERDUE if c.deduction_total else None),
            w.cell_text(w.points(c.bonus_total), colour=Palette.RECTIFIED if c.bonus_total else None),
            w.cell_text(w.num(c.final), bold=True, identifier=f"final-{c.code}"),
        ]
        if on_open:  # a DataTable row's own click does nothing in Chromium (Flet 1.0.5): a button
            cells.append(w.open_button(w.on(on_open, c.code), f"open-{c.code}", strings.DASH_OPEN_COMMUNITY))
        rows.append(w.row(cells, on_select=w.on(on_open, c.code) if on_open else None))
    return rows


WHOLE_YEAR = "year"  # the 通报 month picker's 全年: the shown ranking

RANKING_COLUMNS = (
    strings.DASH_COL_RANK, strings.DASH_COL_COMMUNITY, strings.DASH_COL_SUPERIOR, strings.DASH_COL_OFFICE,
    strings.DASH_COL_SATISFACTION, strings.DASH_COL_COMPOSITE, strings.DASH_COL_DEDUCTIONS,
    strings.DASH_COL_BONUSES, strings.DASH_COL_FINAL,
)  # fmt: skip


class RankingScreen:
    def __init__(self, ctx: DashContext):
        self.ctx = ctx
        self.which = FINAL if ctx.snapshot().year_over else LIVE
        self.year_switch = ft.SegmentedButton(
            segments=[ft.Segment(value=str(y), label=ft.Text(strings.DASH_YEAR.format(year=y)))
                      for y in ctx.desk.years],
            selected=[str(ctx.rules.year)],
            on_change=self._year_switched,
            show_selected_icon=False,
            style=w.SEGMENT_STYLE,
        )
        self.switch = ft.SegmentedButton(
            segments=[
                ft.Segment(value=LIVE, label=ft.Text(strings.DASH_LIVE)),
                ft.Segment(value=FINAL, label=ft.Text(strings.DASH_FINAL)),
            ],
            selected=[self.which],
            on_change=self._switched,
            show_selected_icon=False,
            style=w.SEGMENT_STYLE,
        )
        self.hint = w.small("")
        self.pending = w.small("", Palette.DUE_TODAY)
        self.message = Message("ranking")
        self.table = ft.Container()
        self.bars = ft.Container(expand=True)
        self.lines = ft.Container(expand=True)
        self.notes = ft.Column(spacing=4)
        export = w.button(strings.DASH_EXPORT, self._export, icon=ft.Icons.DOWNLOAD, identifier="export")
        self.bulletin_month = w.dropdown(strings.DASH_BULLETIN_MONTH, self._months(), WHOLE_YEAR, width=130)
        bulletin = ft.Row([w.labelled("bulletin-month", self.bulletin_month),
                           w.button(strings.DASH_BULLETIN, self._bulletin, icon=ft.Icons.PICTURE_AS_PDF,
                                    filled=False, identifier="bulletin")], spacing=8, tight=True)  # fmt: skip
        self.control = ft.Column(
            [
                ft.Row([w.title(strings.DASH_RANKING_TITLE, "ranking"), w.labelled("year", self.year_switch),
                        w.labelled("which", self.switch), export, bulletin],
                       # wrap=True is a Wrap: an expand=True spacer in it is an error (a grey box at the
                       # screen's width that hid the table and the charts)
                       spacing=20, vertical_alignment=ft.CrossAxisAlignment.CENTER, wrap=True),  # fmt: skip
                self.hint,
                self.pending,
                self.message.control,
                self.table,
                ft.Row(
                    [
                        w.card(w.subtitle(strings.DASH_CHART_SCORES), w.labelled("chart-scores", self.bars), expand=1),
                        w.card(w.subtitle(strings.DASH_CHART_MONTHLY), w.labelled("chart-monthly", self.lines),
                               expand=1),
                    ],
                    spacing=16,
                    vertical_alignment=ft.CrossAxisAlignment.START,
                ),
                self.notes,
                ft.Container(height=16),
            ],
            spacing=12,
            scroll=ft.ScrollMode.AUTO,
            expand=True,
        )

    def result(self) -> YearScore:
        snap = self.ctx.snapshot()
        return snap.live if self.which == LIVE else snap.final

    async def show(self, **_kw) -> None:
        self.render()

    async def changed(self) -> None:
        self.render()

    def render(self) -> None:
        snap = self.ctx.snapshot()
        result = self.result()
        day = date_full(result.evaluation_day)
        self.hint.value = (strings.DASH_LIVE_HINT if self.which == LIVE else strings.DASH_FINAL_HINT).format(day=day)
        self.pending.value = strings.DASH_FINAL_PENDING if self.which == FINAL and not snap.year_over else ""
        self.pending.visible = bool(self.pending.value)
        self.table.content = w.table((*RANKING_COLUMNS, ""), ranking_rows(result, self._open_community),
                                     numeric=range(2, 9), identifier="ranking-table", row_height=(48, 48))  # fmt: skip
        self.bars.content = scores_bar_chart(result)
        if self.bulletin_month.value != WHOLE_YEAR and not str(self.bulletin_month.value).startswith(str(result.year)):
            self.bulletin_month.value = WHOLE_YEAR  # the year was switched
        self.bulletin_month.options = [ft.DropdownOption(key=k, text=t) for k, t in self._months()]
        communities = [(c.code, c.name) for c in self.ctx.rules.communities]
        self.lines.content = monthly_line_chart(snap.superior, communities)
        names = {c.code: c.name for c in self.ctx.rules.communities}
        notes = [note_text(n, names) for n in result.notes]
        for c in result.communities:  # what a community's numbers rest on, in one line each (details: 社区详情)
            missing = [n for n in c.notes if n.case_id is None]
            notes += [f"{c.name}：{note_text(n, names)}" for n in missing]
        self.notes.controls = [w.subtitle(strings.DASH_NOTES)] + [w.small(f"· {t}") for t in notes] if notes else []

    async def _switched(self, e) -> None:
        selected = e.control.selected or [LIVE]
        self.which = selected[0]
        self.render()

    async def _year_switched(self, e) -> None:
        """Another year: its ranking (folded from the log the first time), for the whole session."""
        selected = e.control.selected or [str(self.ctx.rules.year)]
        await self.ctx.desk.board(int(selected[0]))
        self.ctx.year = int(selected[0])
        self.which = FINAL if self.ctx.snapshot().year_over else LIVE
        self.switch.selected = [self.which]
        self.render()
        if self.ctx.year_changed is not None:
            self.ctx.year_changed()

    def _months(self) -> list[tuple[str, str]]:
        """全年 (the shown ranking), then each month of the session's year."""
        year = self.ctx.rules.year
        return [(WHOLE_YEAR, strings.DASH_BULLETIN_WHOLE_YEAR)] + [
            (f"{year}-{m:02d}", strings.DASH_MONTH.format(m=m)) for m in range(1, 13)]

    async def _bulletin(self, e=None) -> None:
        """The 通报 pack (office/bulletin.py) of the shown ranking, or of the month picked."""
        if self.ctx.token is None:
            return
        month = self.bulletin_month.value or WHOLE_YEAR
        if month == WHOLE_YEAR or not month.startswith(str(self.ctx.rules.year)):
            month = ""  # the shown ranking (or a month of the year shown before the switch)
        ticket = self.ctx.desk.ticket(self.ctx.token, "bulletin")
        url = f"/bulletins/{self.ctx.rules.year}.zip?which={self.which}&month={month}&ticket={ticket}"
        await self.ctx.launch(url)

    async def _open_community(self, code: str) -> None:
        await self.ctx.navigate("community", community=code)

    async def _export(self, e=None) -> None:
        if self.ctx.token is None:
            return
        ticket = self.ctx.desk.ticket(self.ctx.token, "report")
        url = f"/reports/{self.ctx.rules.year}.xlsx?which={self.which}&ticket={ticket}"
        await self.ctx.launch(url)
