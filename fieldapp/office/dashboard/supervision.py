"""督办: what the office must chase — and the exemption requests it must answer.

- 免责申请（待答复） — a community's request (申请免责) to grant (免于扣分, the case
  dialog's exemption: the typed reason, else the community's) or refuse with a reason
  the community sees; both role-checked on the server like every dashboard write;
- 超时未复查的整改反馈 — reports waiting for their re-check longer than the rules'
  ``recheck_overdue_days``, per inspector (their enrolled name when the office knows it);
- per community, its overdue cases and those due within ``due_soon_days``, with its
  督办通知单 to download as PDF or Excel (routes.py ``/notices/<code>.<pdf|xlsx>``).

Every line opens its case (the case dialog).
Handles: ``screen-supervision``, ``message-supervision``; ``exemptions``, ``exemption-<case id>``
with ``exemption-open-…`` / ``exemption-reason-…`` / ``exemption-grant-…`` / ``exemption-refuse-…``;
``rechecks``, ``inspector-<actor>``, ``late-<case id>`` with ``late-open-…``; ``community-<code>`` with
``urgent-<case id>`` and ``urgent-open-…``,
``notice-pdf-<code>``, ``notice-xlsx-<code>``.
"""

from __future__ import annotations

from datetime import datetime

import flet as ft

from fieldapp.domain import commands as cmd
from fieldapp.domain.projection import CaseState
from fieldapp.office import notice as notices
from fieldapp.office.dashboard import supervision_data as data
from fieldapp.office.dashboard import widgets as w
from fieldapp.office.dashboard.case_view import _fresh, exempt_build, office_actor
from fieldapp.office.dashboard.context import DashContext
from fieldapp.store import CaseRow
from fieldapp.text import fmt
from fieldapp.office import words as strings
from fieldapp.ui.components import Message
from fieldapp.ui.names import Names
from fieldapp.text.theme import Palette

NOTICE_FORMATS = ("pdf", "xlsx")


def refuse_build(desk, case_id: str, reason: str):
    """The office refuses a community's request for exemption (the community sees the reason)."""

    def build(store, user):
        return [cmd.refuse_exemption(_fresh(store, case_id), office_actor(user), desk.stamp(), reason=reason)]

    return build


def row_progress(row: CaseRow, tz) -> str:
    reported = row.awaiting_since.astimezone(tz).date() if row.awaiting_since else None
    failed = row.last_check_note.strip() if row.falls_short else None
    return notices.progress(reported, failed, row.exemption_request, fmt.date_full)


class SupervisionScreen:
    def __init__(self, ctx: DashContext):
        self.ctx = ctx
        self.message = Message("supervision")
        self.hint = w.small("")
        self.requests = ft.Column(spacing=12)
        self.rechecks_title = w.subtitle("")
        self.rechecks = ft.Column(spacing=10)
        self.communities = ft.Column(spacing=16)
        self.answers: dict[str, ft.TextField] = {}  # kept across redraws: a live refresh keeps what is typed
        self.names = Names()  # actor id → name (fieldapp/ui/names.py), read with the screen
        self.control = ft.Column(
            [
                w.title(strings.DASH_SUP_TITLE, "supervision"),
                self.hint,
                self.message.control,
                w.card(w.subtitle(strings.DASH_SUP_EXEMPTIONS), self.requests, identifier="exemptions"),
                w.card(self.rechecks_title, self.rechecks, identifier="rechecks"),
                w.subtitle(strings.DASH_SUP_COMMUNITIES),
                self.communities,
                ft.Container(height=16),
            ],
            spacing=14,
            scroll=ft.ScrollMode.AUTO,
            expand=True,
        )

    async def show(self, **_kw) -> None:
        await self.load()

    async def changed(self) -> None:
        await self.load()

    async def load(self) -> None:
        ctx, rules = self.ctx, self.ctx.rules
        now = ctx.now()
        codes = [c.code for c in rules.communities]
        urgent = await ctx.desk.read(data.urgent_cases, now, codes)
        late = await ctx.desk.read(data.late_rechecks, now, rules.recheck_overdue_days)
        requests = await ctx.desk.read(data.exemption_requests)
        self.names = await ctx.desk.read(Names.of_office)
        self.hint.value = strings.DASH_SUP_HINT.format(days=rules.due_soon_days, recheck_days=rules.recheck_overdue_days)
        self._requests(requests, now)
        self._rechecks(late)
        self._communities(urgent)

    # --- words ------------------------------------------------------------------------------------

    def _what(self, community: str, category: str, place: str, note: str) -> str:
        label = " ".join(x for x in (place, note) if x) or strings.NO_PLACE
        return f"{self.ctx.community_name(community)} · {self.ctx.category_name(category)} · {label}"

    def _open(self, identifier: str, case_id: str) -> ft.Control:
        return w.open_button(w.on(self.ctx.open_case, case_id), identifier)

    def _pill(self, identifier: str, status: str, days_left: int) -> ft.Control:
        label, colour = fmt.urgency_label(status, days_left)
        return w.labelled(identifier, w.status_pill(label, colour), label)

    # --- parts ------------------------------------------------------------------------------------

    def _requests(self, requests: list[data.ExemptionRequest], now: datetime) -> None:
        if not requests:
            self.requests.controls = [w.small(strings.DASH_SUP_EXEMPTIONS_EMPTY)]
            self.answers.clear()
            return
        ctx = self.ctx
        keep = {r.case.case_id for r in requests}
        self.answers = {k: v for k, v in self.answers.items() if k in keep}
        items = []
        for r in requests:
            s: CaseState = r.case
            case_id = s.case_id
            answer = self.answers.setdefault(case_id, w.field(strings.DASH_SUP_ANSWER, dense=True))
            answer.disabled = not ctx.can_write  # a viewer reads; the server refuses their answers anyway
            status = s.status(now, ctx.tz, ctx.rules.due_soon_days)
            asked = strings.DASH_SUP_REQUEST_BY.format(
                who=self.names(r.actor), time=fmt.time_short(r.asked_at, ctx.tz) if r.asked_at else "")  # fmt: skip
            line = ft.Container(
                ft.Row([
                    ft.Text(self._what(s.community, s.category, s.place, s.note), expand=True,
                            theme_style=ft.TextThemeStyle.BODY_LARGE),
                    self._pill(f"exemption-status-{case_id}", status, (s.deadline - ctx.today()).days),
                ], vertical_alignment=ft.CrossAxisAlignment.CENTER),
                on_click=w.on(ctx.open_case, case_id), ink=True, border_radius=6,
            )  # fmt: skip
            items.append(w.labelled(f"exemption-{case_id}", ft.Column([
                line,
                ft.Text(strings.DASH_SUP_REQUEST.format(reason=r.reason), color=Palette.PRIMARY),
                w.small(asked),
                ft.Row([
                    ft.Container(w.labelled(f"exemption-reason-{case_id}", answer), expand=True),
                    w.button(strings.DASH_SUP_GRANT, w.on(self._grant, r), icon=ft.Icons.GPP_GOOD,
                             identifier=f"exemption-grant-{case_id}", disabled=not ctx.can_write),
                    w.button(strings.DASH_SUP_REFUSE, w.on(self._refuse, r), filled=False, icon=ft.Icons.GPP_BAD,
                             identifier=f"exemption-refuse-{case_id}", disabled=not ctx.can_write),
                    self._open(f"exemption-open-{case_id}", case_id),
                ], vertical_alignment=ft.CrossAxisAlignment.CENTER, spacing=10),
            ], spacing=4)))  # fmt: skip
            items.append(ft.Divider(height=1, color="#E3E7EC"))
        items[-1:] = [w.small(strings.DASH_SUP_ANSWER_HINT)]
        self.requests.controls = items

    def _rechecks(self, late: dict[str, list[data.LateRecheck]]) -> None:
        ctx, days = self.ctx, self.ctx.rules.recheck_overdue_days
        self.rechecks_title.value = strings.DASH_SUP_RECHECKS.format(days=days)
        if not late:
            self.rechecks.controls = [w.small(strings.DASH_SUP_RECHECKS_EMPTY.format(days=days))]
            return
        blocks = []
        for actor, items in late.items():
            rows = []
            for item in items:
                r = item.row
                reported = fmt.date_full(r.awaiting_since.astimezone(ctx.tz).date())  # the dashboard's one date format
                rows.append(w.row([
                    self._pill(f"late-{r.case_id}", r.status, r.days_left),
                    w.cell_text(ctx.community_name(r.community)),
                    w.cell_text(ctx.category_name(r.category)),
                    w.cell_text(" ".join(x for x in (r.place, r.note) if x) or strings.NO_PLACE, width=340),
                    w.cell_text(strings.DASH_SUP_WAITING.format(date=reported, days=item.waited_days),
                                colour=Palette.OVERDUE),
                    w.cell_text(fmt.date_full(r.deadline)),
                    self._open(f"late-open-{r.case_id}", r.case_id),
                ], on_select=w.on(ctx.open_case, r.case_id)))  # fmt: skip
            blocks.append(w.labelled(f"inspector-{actor}", ft.Column([
                ft.Text(strings.DASH_SUP_INSPECTOR.format(name=self.names(actor), n=len(items)),
                        theme_style=ft.TextThemeStyle.TITLE_SMALL),
                w.table([strings.DASH_COL_STATUS, strings.DASH_COL_COMMUNITY, strings.DASH_COL_CATEGORY,
                         strings.DASH_COL_PLACE, strings.DASH_COL_PROGRESS, strings.DASH_COL_DEADLINE, ""], rows,
                        row_height=(44, 64)),
            ], spacing=6)))  # fmt: skip
        self.rechecks.controls = blocks

    def _communities(self, urgent: dict[str, data.CommunityCases]) -> None:
        ctx, days = self.ctx, self.ctx.rules.due_soon_days
        cards = []
        for c in ctx.rules.communities:
            group = urgent.get(c.code) or data.CommunityCases(c.code)
            line = (strings.DASH_SUP_COMMUNITY_LINE.format(overdue=group.overdue, due=group.due, days=days)
                    if group.total else strings.DASH_SUP_COMMUNITY_EMPTY.format(days=days))  # fmt: skip
            head = ft.Row([
                w.subtitle(c.name),
                w.small(line, Palette.OVERDUE if group.overdue else None),
                ft.Container(expand=True),
                w.button(strings.DASH_SUP_NOTICE_PDF, w.on(self._download, c.code, "pdf"), filled=False,
                         icon=ft.Icons.PICTURE_AS_PDF, identifier=f"notice-pdf-{c.code}"),
                w.button(strings.DASH_SUP_NOTICE_XLSX, w.on(self._download, c.code, "xlsx"), filled=False,
                         icon=ft.Icons.TABLE_VIEW, identifier=f"notice-xlsx-{c.code}"),
            ], spacing=14, vertical_alignment=ft.CrossAxisAlignment.CENTER)  # fmt: skip
            body: list[ft.Control] = [head]
            if group.rows:
                rows = [w.row([
                    self._pill(f"urgent-{r.case_id}", r.status, r.days_left),
                    w.cell_text(ctx.category_name(r.category)),
                    w.cell_text(ctx.rules.source(r.source).name, width=150, max_lines=3),
                    w.cell_text(" ".join(x for x in (r.place, r.note) if x) or strings.NO_PLACE, width=220),
                    w.cell_text(fmt.date_full(r.deadline)),
                    w.cell_text(self.names(r.registered_by), max_lines=1),
                    w.cell_text(row_progress(r, ctx.tz) or "—", width=200),
                    self._open(f"urgent-open-{r.case_id}", r.case_id),
                ], on_select=w.on(ctx.open_case, r.case_id)) for r in group.rows]  # fmt: skip
                body.append(w.table(
                    [strings.DASH_COL_STATUS, strings.DASH_COL_CATEGORY, strings.DASH_COL_SOURCE, strings.DASH_COL_PLACE,
                     strings.DASH_COL_DEADLINE, strings.DASH_COL_BY, strings.DASH_COL_PROGRESS, ""], rows,
                    row_height=(44, 64)))  # fmt: skip
                if group.total > len(group.rows):
                    body.append(w.small(strings.DASH_SUP_MORE.format(n=group.total - len(group.rows))))
            cards.append(w.card(*body, identifier=f"community-{c.code}"))
        self.communities.controls = cards

    # --- actions ----------------------------------------------------------------------------------

    def _label(self, r: data.ExemptionRequest) -> str:
        s = r.case
        return self._what(s.community, s.category, s.place, "")

    async def _grant(self, r: data.ExemptionRequest) -> None:
        field = self.answers.get(r.case.case_id)
        reason = ((field.value if field else "") or "").strip() or r.reason
        await self._answer(r, exempt_build(self.ctx.desk, r.case.case_id, reason),
                           strings.DASH_SUP_GRANTED.format(case=self._label(r)))  # fmt: skip

    async def _refuse(self, r: data.ExemptionRequest) -> None:
        field = self.answers.get(r.case.case_id)
        reason = ((field.value if field else "") or "").strip()
        await self._answer(r, refuse_build(self.ctx.desk, r.case.case_id, reason),
                           strings.DASH_SUP_REFUSED.format(case=self._label(r)))  # fmt: skip

    async def _answer(self, r: data.ExemptionRequest, build, ok_text: str) -> None:
        outcome = await self.ctx.save(build, self.message, ok_text)
        if outcome is not None:
            self.answers.pop(r.case.case_id, None)
            await self.load()
        self.ctx.page.update()

    async def _download(self, code: str, kind: str) -> None:
        if self.ctx.token is None or kind not in NOTICE_FORMATS:
            return
        ticket = self.ctx.desk.ticket(self.ctx.token, "notice")
        await self.ctx.launch(f"/notices/{code}.{kind}?ticket={ticket}")
