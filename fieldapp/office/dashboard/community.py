"""社区详情: one community's score — components, every deduction and bonus with its rule and
reason, the notes — each case line opening the case (photos, timeline).

Follows the 排名 screen's live / year-end switch (live unless the year is over).
Handles: ``screen-community``; ``pick-<code>`` (community chips); ``community-final``;
``item-<n>`` (line items in order) with ``item-open-<n>`` for those with a case; ``items-more``
(the next page of line items).
"""

from __future__ import annotations

import flet as ft

from fieldapp.domain import scoring as sc
from fieldapp.office.dashboard import widgets as w
from fieldapp.office.dashboard.context import DashContext
from fieldapp.office.dashboard.routes import FINAL, LIVE
from fieldapp.office.report import case_ref, note_text, reason_text, rule_text
from fieldapp.text import fmt
from fieldapp.office import words as strings
from fieldapp.text.theme import Palette


def _component_tile(name: str, value: str, detail: str, weight) -> ft.Control:
    return w.card(
        w.small(f"{name} × {w.plain(weight * 100)}%"),
        ft.Text(value, theme_style=ft.TextThemeStyle.HEADLINE_SMALL),
        w.small(detail),
        padding=12, spacing=4, expand=1,
    )  # fmt: skip


def reason_words(item: sc.LineItem, rules) -> str:
    """A line item's reason as the screen says it: dates as the dashboard writes them
    (fmt.date_full), a recurrence without case ids (its case opens with 查看案件)."""
    if item.reason == sc.R_RECTIFIED_LATE and item.rectified_at is not None and item.deadline:
        return strings.REPORT_RECTIFIED_LATE.format(deadline=fmt.date_full(item.deadline),
                                                    day=fmt.date_full(item.rectified_at.astimezone(rules.tz).date()))
    if item.reason == sc.R_NOT_RECTIFIED and item.deadline:
        return strings.REPORT_NOT_RECTIFIED.format(deadline=fmt.date_full(item.deadline))
    if item.reason == sc.R_RECURRENCE:
        return strings.DASH_RECURRENCE_REASON
    return reason_text(item, rules)


def note_words(note: sc.Note, names: dict[str, str], rules) -> str:
    """A note as the screen says it: its case by what it is (not by a short id), a source by its
    name in the rules (the report's note_text says ``案件 393ba08e：B 类案件尚未核实``)."""
    if note.code in strings.DASH_NOTE_TEXTS:
        try:
            source = rules.source(str(note.detail)).name
        except KeyError:
            source = None
        if source is not None:
            return strings.DASH_NOTE_TEXTS[note.code].format(case=note.label or strings.DASH_CASE_TITLE, source=source)
    text = note_text(note, names)
    if note.case_id:
        text = text.replace(case_ref(note.case_id, note.label), strings.DASH_NOTE_CASE.format(label=note.label)
                            if note.label else strings.DASH_CASE_TITLE)  # fmt: skip
    return text


ITEMS_PAGE = 200  # line items shown at first, and added by 显示更多
NOTES_SHOWN = 100  # the rest are in the exported report


class CommunityScreen:
    def __init__(self, ctx: DashContext):
        self.ctx = ctx
        self.code = ctx.rules.communities[0].code
        self.which = FINAL if ctx.snapshot().year_over else LIVE
        self.picker = ft.Row()
        self.switch = ft.SegmentedButton(
            segments=[ft.Segment(value=LIVE, label=ft.Text(strings.DASH_LIVE)),
                      ft.Segment(value=FINAL, label=ft.Text(strings.DASH_FINAL))],  # fmt: skip
            selected=[self.which], on_change=self._switched, show_selected_icon=False, style=w.SEGMENT_STYLE,
        )
        self.summary = ft.Column(spacing=10)
        self.items = ft.Container()
        self.items_shown = ITEMS_PAGE
        self.items_count = w.small("")
        self.more = w.button(strings.DASH_CASES_MORE, self._more, filled=False, identifier="items-more")
        self.notes = ft.Column(spacing=4)
        self.control = ft.Column(
            [
                ft.Row([w.title(strings.DASH_COMMUNITY_TITLE, "community"), self.switch], spacing=20),
                self.picker,
                self.summary,
                w.subtitle(strings.DASH_ITEMS),
                self.items_count,
                self.items,
                self.more,
                self.notes,
                ft.Container(height=16),
            ],
            spacing=14,
            scroll=ft.ScrollMode.AUTO,
            expand=True,
        )

    async def show(self, **kw) -> None:
        if kw.get("community"):
            self.code = kw["community"]
        self.render()

    async def changed(self) -> None:
        self.render()

    def render(self) -> None:
        ctx = self.ctx
        snap = ctx.snapshot()
        result = snap.live if self.which == LIVE else snap.final
        c = result.community(self.code)
        self.picker.controls = [w.chips([(x.code, x.name) for x in ctx.rules.communities], self.code, self._pick, "pick")]
        weights = ctx.rules.weights
        tied = f"（{strings.DASH_TIED}）" if c.tied else ""
        self.summary.controls = [
            ft.Row([
                w.labelled("community-final", ft.Text(
                    f"{c.name}：" + strings.DASH_SCORE_LINE.format(rank=c.rank, tied=tied, final=w.num(c.final)),
                    theme_style=ft.TextThemeStyle.TITLE_LARGE)),
                w.small(f"{strings.DASH_COL_COMPOSITE} {w.num(c.composite)} · {strings.DASH_COL_DEDUCTIONS} "
                        f"{w.points(c.deduction_total)} · {strings.DASH_COL_BONUSES} {w.points(c.bonus_total)} · "
                        + (strings.DASH_LIVE_HINT if self.which == LIVE else strings.DASH_FINAL_HINT).format(
                            day=fmt.date_full(result.evaluation_day))),
            ], spacing=20, wrap=True, vertical_alignment=ft.CrossAxisAlignment.CENTER),
            ft.Row([
                _component_tile(strings.DASH_COL_SUPERIOR, w.num(c.superior.value),
                                strings.DASH_MONTHS.format(n=c.superior.count), weights.superior),
                _component_tile(strings.DASH_COL_OFFICE, w.num(c.office.value),
                                strings.DASH_TIMES.format(n=c.office.count), weights.office),
                _component_tile(strings.DASH_COL_SATISFACTION, w.num(c.satisfaction.value),
                                strings.DASH_PEOPLE.format(n=c.satisfaction.count), weights.satisfaction),
            ], spacing=12),
        ]  # fmt: skip
        self.items.content = self._items(c)
        names = {x.code: x.name for x in ctx.rules.communities}
        notes = [note_words(n, names, ctx.rules) for n in c.notes[:NOTES_SHOWN]]
        if len(c.notes) > NOTES_SHOWN:
            notes.append(strings.DASH_NOTES_MORE.format(n=len(c.notes) - NOTES_SHOWN))
        self.notes.controls = ([w.subtitle(strings.DASH_NOTES)] + [w.small(f"· {t}") for t in notes]) if notes else []

    def _items(self, c: sc.CommunityScore) -> ft.Control:
        rules = self.ctx.rules
        items = [*c.deductions, *c.bonuses]
        # A year can give a community thousands of lines: a page at a time keeps the browser quick.
        self.more.visible = len(items) > self.items_shown
        self.items_count.value = (strings.DASH_ITEMS_COUNT.format(n=len(items), shown=self.items_shown)
                                  if self.more.visible else "")  # fmt: skip
        self.items_count.visible = self.more.visible
        if not items:
            return w.small(strings.DASH_ITEMS_EMPTY)
        rows = []
        for n, item in enumerate(items[:self.items_shown], start=1):
            is_deduction = item.kind == sc.DEDUCTION
            open_button: ft.Control = ft.Container()
            if item.case_id:
                open_button = w.open_button(w.on(self.ctx.open_case, item.case_id), f"item-open-{n}")
            rows.append(w.row([
                w.cell_text(strings.DASH_DEDUCTION if is_deduction else strings.DASH_BONUS, identifier=f"item-{n}"),
                w.cell_text(w.points(item.points), bold=True, colour=Palette.OVERDUE if is_deduction else Palette.RECTIFIED),
                w.cell_text(rule_text(item, rules), width=190, max_lines=3),
                w.cell_text(reason_words(item, rules), width=230),
                w.cell_text(fmt.date_full(item.on) if item.on else ""),
                w.cell_text(item.label, width=260),
                open_button,
            ], on_select=w.on(self.ctx.open_case, item.case_id) if item.case_id else None))  # fmt: skip
        return w.table([strings.DASH_COL_KIND, strings.DASH_COL_POINTS, strings.DASH_COL_RULE, strings.DASH_COL_REASON,
                        strings.DASH_COL_DATE, strings.DASH_COL_PLACE, ""], rows, identifier="items-table",
                       row_height=(48, 64))  # fmt: skip

    async def _more(self, e=None) -> None:
        self.items_shown += ITEMS_PAGE
        self.render()
        self.ctx.page.update()

    async def _pick(self, code: str) -> None:
        self.code = code
        self.items_shown = ITEMS_PAGE
        self.render()
        self.ctx.page.update()

    async def _switched(self, e) -> None:
        self.which = (e.control.selected or [LIVE])[0]
        self.render()
        self.ctx.page.update()
