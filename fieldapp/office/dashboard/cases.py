"""案件: the office's work lists and every case.

- 待确认的再次出现 — recurrence proposals (from phones) to confirm (−2) or reject;
- 外部案件 — cases of sources A/B/C/E: verify (核查属实) or, in the case dialog, exempt;
- all cases by community and status, overdue and due-soon first (the Store's order).

Handles: ``screen-cases``; ``community-<code|all>``, ``status-<filter>`` (chips);
``proposal-<new case id>`` with ``proposal-confirm-…`` / ``proposal-reject-…`` / ``proposal-open-…``;
``external-<case id>`` with ``external-verify-…``; ``case-<case id>`` (a row of the table) with
``case-open-<case id>`` (its 查看案件 button: a DataTable row's own click does nothing in Chromium);
``message-cases``. Sources show by their names in the rules, never by their letter. A viewer
sees the write buttons disabled (the server refuses their writes anyway).
"""

from __future__ import annotations

from datetime import date, datetime

import flet as ft

from fieldapp.office.dashboard import queries
from fieldapp.office.dashboard import widgets as w
from fieldapp.office.dashboard.case_view import recurrence_build, recurrence_text, verify_build
from fieldapp.office.dashboard.context import DashContext
from fieldapp.text import fmt
from fieldapp.office import words as strings
from fieldapp.ui.components import Message
from fieldapp.ui.evidence_view import mark_words
from fieldapp.ui.names import Names
from fieldapp.text.theme import Palette

ALL_COMMUNITIES = "all"


def _day(iso: str) -> str:
    try:
        return fmt.date_full(date.fromisoformat(iso[:10]))
    except ValueError:
        return iso


class CasesScreen:
    def __init__(self, ctx: DashContext):
        self.ctx = ctx
        self.community = ALL_COMMUNITIES
        self.status = queries.OPEN_ALL
        self.limit = queries.PAGE
        self.message = Message("cases")
        self.filters = ft.Column(spacing=8)
        self.proposals = ft.Column(spacing=8)
        self.external = ft.Container()
        self.table = ft.Container()
        self.count = w.small("")
        self.more = w.button(strings.DASH_CASES_MORE, self._more, filled=False, identifier="cases-more")
        self.control = ft.Column(
            [
                w.title(strings.DASH_CASES_TITLE, "cases"),
                self.message.control,
                w.card(w.subtitle(strings.DASH_PROPOSALS), self.proposals, identifier="proposals"),
                w.card(w.subtitle(strings.DASH_EXTERNAL), self.external, identifier="external"),
                self.filters,
                self._exports(),
                self.count,
                self.table,
                self.more,
                ft.Container(height=16),
            ],
            spacing=14,
            scroll=ft.ScrollMode.AUTO,
            expand=True,
        )

    async def show(self, **kw) -> None:
        if "community" in kw:
            self.community = kw["community"]
        await self.load()

    async def changed(self) -> None:
        await self.load()

    async def load(self) -> None:
        ctx = self.ctx
        now = ctx.now()
        community = None if self.community == ALL_COMMUNITIES else self.community
        rows = await ctx.desk.read(queries.case_list, now, community, self.status, self.limit)
        self.names = await ctx.desk.read(Names.of_office)  # 登记人 by name (fieldapp/ui/names.py)
        counts = await ctx.desk.read(queries.status_counts, now)
        proposals = await ctx.desk.read(queries.recurrence_proposals)
        external = await ctx.desk.read(queries.external_cases)
        self._filters(counts)
        self._proposals(proposals)
        self._external(external)
        self._table(rows, now)

    # --- parts -----------------------------------------------------------------------------------

    def _filters(self, counts: dict[str, dict[str, int]]) -> None:
        ctx = self.ctx
        selected = [c for code, c in counts.items() if self.community in (ALL_COMMUNITIES, code)]

        def n(*statuses: str) -> int:
            return sum(c.get(s, 0) for c in selected for s in statuses)

        open_statuses = fmt.OPEN_STATUSES
        labels = {
            queries.OPEN_ALL: f"{strings.DASH_STATUS_OPEN_ALL} {n(*open_statuses)}",
            "overdue": f"{strings.STATUS_OVERDUE} {n('overdue')}",
            "due_today": f"{strings.DUE_TODAY} {n('due_today')}",
            "due_soon": f"{strings.STATUS_DUE_SOON} {n('due_soon')}",
            "open": f"{strings.STATUS_LATER} {n('open')}",
            queries.ALL: f"{strings.DASH_STATUS_ALL} {sum(sum(c.values()) for c in selected)}",
        }
        communities = [(ALL_COMMUNITIES, strings.ALL_COMMUNITIES)] + [(c.code, c.name) for c in ctx.rules.communities]
        self.filters.controls = [
            ft.Row([w.small(strings.DASH_FILTER_COMMUNITY, width=48), w.chips(communities, self.community,
                                                                                self._pick_community, "community")]),
            ft.Row([w.small(strings.DASH_FILTER_STATUS, width=48),
                    w.chips(list(labels.items()), self.status, self._pick_status, "status")]),
        ]  # fmt: skip

    def _brief_line(self, b: queries.CaseBrief | None) -> str:
        if b is None:
            return "—"
        return (f"{self.ctx.community_name(b.community)} · {self.ctx.category_name(b.category)} · "
                f"{b.label or strings.NO_PLACE} · {_day(b.found_at)}")  # fmt: skip

    def _proposals(self, proposals: list[queries.Proposal]) -> None:
        if not proposals:
            self.proposals.controls = [w.small(strings.DASH_PROPOSALS_EMPTY)]
            return
        items = []
        for p in proposals:
            new_id, earlier_id = p.new.case_id, p.earlier.case_id if p.earlier else ""
            lines = ft.Column([
                ft.Text(f"{strings.DASH_NEW_CASE}：{self._brief_line(p.new)}"),
                ft.Text(f"{strings.DASH_EARLIER_CASE}：{self._brief_line(p.earlier)}",
                        color=Palette.ON_SURFACE_VARIANT),
            ], spacing=2, expand=True)  # fmt: skip
            buttons = ft.Row([
                w.button(strings.DASH_CONFIRM_RECURRENCE, w.on(self._link, "confirmed", new_id, earlier_id),
                         icon=ft.Icons.REPEAT, identifier=f"proposal-confirm-{new_id}",
                         disabled=not earlier_id or not self.ctx.can_write),
                w.button(strings.DASH_REJECT_RECURRENCE, w.on(self._link, "rejected", new_id, earlier_id),
                         filled=False, identifier=f"proposal-reject-{new_id}",
                         disabled=not earlier_id or not self.ctx.can_write),
                w.open_button(w.on(self.ctx.open_case, new_id), f"proposal-open-{new_id}"),
            ], spacing=8, tight=True)  # fmt: skip
            items.append(w.labelled(f"proposal-{new_id}", ft.Row([lines, buttons],
                                    vertical_alignment=ft.CrossAxisAlignment.CENTER)))  # fmt: skip
        self.proposals.controls = items

    def _external(self, cases: list[queries.CaseBrief]) -> None:
        if not cases:
            self.external.content = w.small(strings.DASH_EXTERNAL_EMPTY)
            return
        rules = self.ctx.rules
        rows = []
        for b in cases:
            source = rules.source(b.source)
            state = []
            if source.requires_verification:
                state.append(strings.DASH_VERIFIED if b.verified else strings.DASH_NOT_VERIFIED)
            if b.exempted:
                state.append(strings.DASH_EXEMPTED)
            action: ft.Control = ft.Row([
                w.button(strings.DASH_VERIFY, w.on(self._verify, b.case_id), icon=ft.Icons.VERIFIED,
                         identifier=f"external-verify-{b.case_id}", disabled=not self.ctx.can_write)
                if source.requires_verification and not b.verified else ft.Container(),
                w.open_button(w.on(self.ctx.open_case, b.case_id), f"external-open-{b.case_id}"),
            ], spacing=6, tight=True)  # fmt: skip
            rows.append(w.row([
                w.cell_text(source.name, identifier=f"external-{b.case_id}", width=200, max_lines=3),
                w.cell_text(self.ctx.community_name(b.community)),
                w.cell_text(b.label, width=260),
                w.cell_text(_day(b.deadline)),
                w.cell_text("、".join(state), colour=Palette.RECTIFIED if b.verified else Palette.DUE_TODAY),
                action,
            ]))  # fmt: skip
        self.external.content = w.table(
            [strings.DASH_COL_SOURCE, strings.DASH_COL_COMMUNITY, strings.DASH_COL_PLACE, strings.DASH_COL_DEADLINE,
             strings.DASH_COL_STATUS, ""], rows, row_height=(48, 64))  # fmt: skip

    def _table(self, rows, now: datetime) -> None:
        ctx = self.ctx
        self.count.value = strings.DASH_CASES_COUNT.format(n=len(rows))
        self.more.visible = len(rows) >= self.limit
        if not rows:
            self.table.content = w.small(strings.DASH_CASES_EMPTY)
            return
        out = []
        for r in rows:
            label, colour = fmt.urgency_label(r.status, r.days_left)
            out.append(w.row([
                w.labelled(f"case-{r.case_id}", w.status_pill(label, colour), label),
                w.cell_text(ctx.community_name(r.community)),
                w.cell_text(ctx.category_name(r.category)),
                w.cell_text(ctx.rules.source(r.source).name, width=150, max_lines=3),
                w.cell_text(" ".join(x for x in (r.place, r.note) if x) or strings.NO_PLACE, width=200),
                w.cell_text(mark_words(r.marks), colour=Palette.DUE_TODAY, width=150,
                            identifier=f"case-marks-{r.case_id}") if r.marks else w.cell_text(""),
                w.cell_text(fmt.date_full(r.deadline)),
                w.cell_text(self.names(r.registered_by), max_lines=1),
                w.open_button(w.on(ctx.open_case, r.case_id), f"case-open-{r.case_id}"),
            ], on_select=w.on(ctx.open_case, r.case_id)))  # fmt: skip
        self.table.content = w.table(
            [strings.DASH_COL_STATUS, strings.DASH_COL_COMMUNITY, strings.DASH_COL_CATEGORY, strings.DASH_COL_SOURCE,
             strings.DASH_COL_PLACE, strings.EVIDENCE_COLUMN, strings.DASH_COL_DEADLINE, strings.DASH_COL_BY, ""], out,
            identifier="cases-table",
            row_height=(48, 64), column_spacing=14)  # fmt: skip

    def _exports(self) -> ft.Control:
        """导出案件清单 (handles ``export-cases-<xlsx|csv|geojson>``): the year's cases as filtered
        (community, status), for others' systems (office/export.py)."""
        buttons = [w.button(label, w.on(self._export, fmt), icon=ft.Icons.DOWNLOAD, filled=False,
                            identifier=f"export-cases-{fmt}")
                   for fmt, label in (("xlsx", "Excel"), ("csv", "CSV"), ("geojson", "GeoJSON"))]  # fmt: skip
        return ft.Row([w.small(strings.DASH_EXPORT_CASES), *buttons, w.small(strings.DASH_EXPORT_CASES_HINT)],
                      spacing=10, wrap=True, vertical_alignment=ft.CrossAxisAlignment.CENTER)  # fmt: skip

    # --- actions ----------------------------------------------------------------------------------

    async def _export(self, fmt: str) -> None:
        if self.ctx.token is None:
            return
        community = "" if self.community == ALL_COMMUNITIES else self.community
        ticket = self.ctx.desk.ticket(self.ctx.token, "export")
        await self.ctx.launch(f"/exports/cases.{fmt}?year={self.ctx.rules.year}&community={community}"
                              f"&status={self.status}&ticket={ticket}")  # fmt: skip

    async def _pick_community(self, code: str) -> None:
        self.community, self.limit = code, queries.PAGE
        await self.load()
        self.ctx.page.update()

    async def _pick_status(self, status: str) -> None:
        self.status, self.limit = status, queries.PAGE
        await self.load()
        self.ctx.page.update()

    async def _more(self, e=None) -> None:
        self.limit += queries.PAGE
        await self.load()
        self.ctx.page.update()

    async def _link(self, kind: str, case_id: str, earlier: str) -> None:
        state = await self.ctx.desk.read(lambda store: store.case(case_id))
        outcome = await self.ctx.save(recurrence_build(self.ctx.desk, kind, case_id, earlier), self.message,
                                      recurrence_text(self.ctx, kind, state))  # fmt: skip
        if outcome is not None:
            await self.load()
        self.ctx.page.update()

    async def _verify(self, case_id: str) -> None:
        outcome = await self.ctx.save(verify_build(self.ctx.desk, case_id), self.message, strings.DASH_SAVED_VERIFY)
        if outcome is not None:
            await self.load()
        self.ctx.page.update()
