"""A case in a dialog: facts, photos from the office data folder, timeline, and the office's actions.

Actions (each a role-checked write through the Desk): 核查属实 (verify) for a source
that needs verification; 免于扣分 (exempt, with a reason) for an exemptible source;
确认再次出现 / 不是同一问题 for a proposed recurrence link; 调整整改期限 (a new date,
typed YYYY-MM-DD, not before today, with a reason) for a case neither voided nor
rectified; 作废 (void, with a reason) for a case not voided yet.

Handles: ``case-dialog``, ``case-status``, ``case-photo-before-<n>``, ``case-photo-after-<n>``,
``case-timeline``, ``message-case``, ``case-verify``, ``case-exempt``, ``case-exempt-reason``,
``case-confirm-<earlier id>``, ``case-reject-<earlier id>``, ``case-deadline``, ``case-deadline-date``,
``case-deadline-reason``, ``case-void``, ``case-void-reason``.
"""

from __future__ import annotations

import asyncio
import re
from datetime import date
from typing import Awaitable, Callable, Optional

import flet as ft

from fieldapp.domain import commands as cmd
from fieldapp.domain.projection import RECTIFIED, VOIDED, CaseState
from fieldapp.office.dashboard import queries
from fieldapp.office.dashboard import widgets as w
from fieldapp.office.dashboard.context import DashContext
from fieldapp.text import fmt
from fieldapp.office import words as strings
from fieldapp.ui.components import Message
from fieldapp.ui.evidence_view import evidence_panel
from fieldapp.ui.names import Names
from fieldapp.text.theme import Palette

PHOTO_HEIGHT = 180
#: a typed date: 2022-06-10, 2022/6/10, 2022.6.10
_DAY = re.compile(r"(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})")


def office_actor(user) -> cmd.Actor:
    return cmd.Actor(user.actor, "office")


# --- writes (run on the writer thread, with the case as stored now) --------------------------


def _fresh(store, case_id: str) -> CaseState:
    state = store.case(case_id)
    if state is None:
        raise cmd.CommandError("unknown_case", f"no case {case_id}")
    return state


def verify_build(desk, case_id: str, note: str = ""):
    def build(store, user):
        return [cmd.verify(_fresh(store, case_id), office_actor(user), desk.stamp(), note=note)]

    return build


def exempt_build(desk, case_id: str, reason: str):
    def build(store, user):
        return [cmd.exempt(_fresh(store, case_id), desk.rules, office_actor(user), desk.stamp(), reason=reason)]

    return build


def void_build(desk, case_id: str, reason: str):
    def build(store, user):
        return [cmd.void(_fresh(store, case_id), office_actor(user), desk.stamp(), reason=reason)]

    return build


def deadline_build(desk, case_id: str, deadline: date, reason: str):
    def build(store, user):
        return [cmd.change_deadline(_fresh(store, case_id), desk.rules, office_actor(user), desk.stamp(),
                                    deadline=deadline, reason=reason)]  # fmt: skip

    return build


def parse_day(text: str | None) -> date | None:
    """A typed date (YYYY-MM-DD; ``/`` or ``.`` also do), or None if it is not one."""
    m = _DAY.fullmatch((text or "").strip())
    if m is None:
        return None
    try:
        return date(int(m[1]), int(m[3]), int(m[4]))
    except ValueError:
        return None


def recurrence_build(desk, kind: str, case_id: str, earlier_case_id: str):
    def build(store, user):
        new = _fresh(store, case_id)
        # the rules' recurrence (same community and category, an earlier rectified case): refused otherwise
        return [cmd.link_recurrence(kind, case_id, earlier_case_id, office_actor(user), desk.stamp(),
                                    new=new, earlier=store.case(earlier_case_id), check=True)]

    return build


class CaseDialog:
    def __init__(self, ctx: DashContext, case_id: str, on_change: Optional[Callable[[], Awaitable[None]]] = None):
        self.ctx = ctx
        self.case_id = case_id
        self.on_change = on_change
        self.message = Message("case")
        self.body = ft.Column(spacing=14, scroll=ft.ScrollMode.AUTO, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
        self.reason = w.field(strings.DASH_EXEMPT_REASON, multiline=True)
        self.deadline_date = w.field(strings.DASH_DEADLINE_DATE, width=260)
        self.deadline_reason = w.field(strings.DASH_DEADLINE_REASON, multiline=True)
        self.void_reason = w.field(strings.VOID_REASON, multiline=True)
        self.dialog = ft.AlertDialog(
            modal=False,
            title=ft.Text(strings.DASH_CASE_TITLE, theme_style=ft.TextThemeStyle.TITLE_LARGE),
            content=ft.Semantics(identifier="case-dialog", container=True,
                                 content=ft.Container(self.body, width=880, height=620)),  # fmt: skip
            actions=[ft.TextButton(strings.CLOSE, on_click=self._close)],
        )
        self.state: Optional[CaseState] = None

    async def open(self) -> None:
        await self.load()
        self.ctx.page.show_dialog(self.dialog)
        self.ctx.page.update()

    async def load(self) -> None:
        state, photos = await self.ctx.desk.read(queries.case_detail, self.case_id)
        self.names = await self.ctx.desk.read(Names.of_office)  # who is who: names, not ids
        self.state = state
        if state is None:
            self.message.show(strings.CASE_GONE, "error")
            self.body.controls = [self.message.control]
            return
        photo_dir = self.ctx.desk.photo_dir
        loop = asyncio.get_running_loop()
        shas = [(p["stage"], p["sha256"]) for p in photos]
        data = await asyncio.gather(*(loop.run_in_executor(None, queries.read_photo, photo_dir, sha) for _s, sha in shas))
        self.render(state, [(stage, sha, d) for (stage, sha), d in zip(shas, data)])

    def render(self, s: CaseState, photos: list[tuple[str, str, bytes | None]]) -> None:
        ctx = self.ctx
        tz = ctx.tz
        status = s.status(ctx.now(), tz, ctx.rules.due_soon_days)
        days = (s.deadline - ctx.today()).days
        label, colour = fmt.urgency_label(status, days)
        source = ctx.rules.source(s.source)
        facts = [
            ft.Row([ft.Text(f"{ctx.community_name(s.community)} · {ctx.category_name(s.category)}",
                            theme_style=ft.TextThemeStyle.TITLE_MEDIUM, expand=True),
                    w.labelled("case-status", w.status_pill(label, colour), label)],
                   vertical_alignment=ft.CrossAxisAlignment.CENTER),  # fmt: skip
            w.small(strings.DASH_CASE_SOURCE.format(source=source.name)),
            w.small(f"{strings.DEADLINE_ON.format(date=fmt.date_full(s.deadline))} · {strings.REGISTERED_AT} "
                    f"{fmt.time_short(s.found_at, tz)} · {strings.REGISTERED_BY.format(who=self.names(s.registered_by))}"),
            ft.Text(" ".join(x for x in (s.place, s.note) if x) or strings.NO_PLACE),
        ]  # fmt: skip
        marks = []
        if source.requires_verification:
            marks.append(strings.DASH_VERIFIED if s.verified else strings.DASH_NOT_VERIFIED)
        if s.exempted:
            marks.append(strings.DASH_CASE_EXEMPT_REASON.format(reason=s.exempt_reason))
        for earlier, state in s.recurrences:
            marks.append(strings.DASH_CASE_RECURRENCE.format(
                state=strings.DASH_RECURRENCE_STATES.get(state, state), earlier=earlier[:8]))  # fmt: skip
        if s.lifecycle == "voided":
            marks.append(strings.CASE_CLOSED_VOIDED.format(reason=s.void_reason))
        marks += loop_marks(s, tz)
        facts += [w.small(m, Palette.PRIMARY) for m in marks]
        if s.marks:  # evidence marks (domain/evidence.py), in words, as the phone showed them
            facts.append(evidence_panel(s.marks, ctx.rules.photo_max_age_days, "case-evidence"))
        self.body.controls = [
            ft.Column(facts, spacing=6),
            self.message.control,
            self._actions(s),
            w.subtitle(strings.DASH_CASE_PHOTOS_BEFORE),
            self._photos("before", [p for p in photos if p[0] == "before"]),
            w.subtitle(strings.DASH_CASE_PHOTOS_AFTER),
            self._photos("after", [p for p in photos if p[0] == "after"]),
            *([w.subtitle(strings.PHOTO_EXEMPTION_OFFICE),
               self._photos("exemption", [p for p in photos if p[0] == "exemption"])]
              if any(p[0] == "exemption" for p in photos) else []),
            w.subtitle(strings.TIMELINE),
            self._timeline(s),
            w.small(strings.DASH_CASE_ID.format(id=s.case_id)),
        ]

    def _photos(self, stage: str, photos) -> ft.Control:
        if not photos:
            return w.small(strings.DASH_CASE_NO_PHOTOS)
        tiles = []
        for i, (_stage, _sha, data) in enumerate(photos, start=1):
            if data is None:
                tile: ft.Control = ft.Container(w.small(strings.DASH_CASE_PHOTO_MISSING), width=PHOTO_HEIGHT * 4 / 3,
                                                height=PHOTO_HEIGHT, bgcolor="#E6E8EB",
                                                alignment=ft.Alignment.CENTER)  # fmt: skip
            else:
                tile = ft.Image(src=data, height=PHOTO_HEIGHT, fit=ft.BoxFit.CONTAIN,
                                border_radius=ft.BorderRadius.all(6))  # fmt: skip
            tiles.append(w.labelled(f"case-photo-{stage}-{i}", tile, f"{strings.PHOTO} {i}"))
        return ft.Row(tiles, wrap=True, spacing=10, run_spacing=10)

    def _timeline(self, s: CaseState) -> ft.Control:
        tz = self.ctx.tz
        entries = []
        for h in sorted(s.history, key=lambda h: (h.at, h.type != "case.registered")):
            text = fmt.history_text(h.type, h.detail, self.ctx.category_name, tz)
            entries.append(ft.Row([
                ft.Icon(ft.Icons.CIRCLE, size=10, color=Palette.PRIMARY),
                ft.Text(text, expand=True),
                w.small(f"{fmt.time_short(h.at, tz)} · {self.names(h.actor)}"),
            ], vertical_alignment=ft.CrossAxisAlignment.START))  # fmt: skip
        return w.labelled("case-timeline", ft.Column(entries, spacing=8))

    def _actions(self, s: CaseState) -> ft.Control:
        source = self.ctx.rules.source(s.source)
        buttons: list[ft.Control] = []
        if s.lifecycle != "voided":
            if source.requires_verification and not s.verified:
                buttons.append(w.button(strings.DASH_VERIFY, self._verify, icon=ft.Icons.VERIFIED,
                                        identifier="case-verify"))  # fmt: skip
            for earlier, state in s.recurrences:
                if state == "proposed":
                    buttons.append(w.button(strings.DASH_CONFIRM_RECURRENCE, w.on(self._link, "confirmed", earlier),
                                            icon=ft.Icons.REPEAT, identifier=f"case-confirm-{earlier}"))  # fmt: skip
                    buttons.append(w.button(strings.DASH_REJECT_RECURRENCE, w.on(self._link, "rejected", earlier),
                                            filled=False, identifier=f"case-reject-{earlier}"))  # fmt: skip
        rows: list[ft.Control] = [ft.Row(buttons, spacing=10, wrap=True)] if buttons else []
        if source.exemptible and not s.exempted and s.lifecycle != "voided":
            rows.append(ft.Row([
                ft.Container(w.labelled("case-exempt-reason", self.reason), expand=True),
                w.button(strings.DASH_EXEMPT, self._exempt, filled=False, icon=ft.Icons.GPP_MAYBE,
                         identifier="case-exempt"),
            ], vertical_alignment=ft.CrossAxisAlignment.CENTER))  # fmt: skip
            exemptible = strings.LIST_SEPARATOR.join(f"“{x.name}”" for x in self.ctx.rules.sources if x.exemptible)
            rows.append(w.small(strings.DASH_EXEMPT_HINT.format(sources=exemptible)))
        if s.lifecycle not in (VOIDED, RECTIFIED):
            rows.append(ft.Row([
                w.labelled("case-deadline-date", self.deadline_date),
                ft.Container(w.labelled("case-deadline-reason", self.deadline_reason), expand=True),
                w.button(strings.DASH_CHANGE_DEADLINE, self._change_deadline, filled=False,
                         icon=ft.Icons.EDIT_CALENDAR, identifier="case-deadline"),
            ], vertical_alignment=ft.CrossAxisAlignment.CENTER))  # fmt: skip
            rows.append(w.small(strings.DASH_DEADLINE_HINT))
        if s.lifecycle != VOIDED:
            rows.append(ft.Row([
                ft.Container(w.labelled("case-void-reason", self.void_reason), expand=True),
                w.button(strings.VOID, self._void, filled=False, icon=ft.Icons.BLOCK, identifier="case-void"),
            ], vertical_alignment=ft.CrossAxisAlignment.CENTER))  # fmt: skip
            rows.append(w.small(strings.VOID_HINT))
        if rows and not self.ctx.can_write:  # a viewer sees what could be done, read-only
            return ft.Column([w.read_only_notice("case-read-only"), w.read_only(ft.Column(rows, spacing=8))], spacing=8)
        return ft.Column(rows, spacing=8)

    async def _after_write(self, outcome) -> None:
        if outcome is None:
            self.ctx.page.update()
            return
        await self.load()
        if self.on_change is not None:
            await self.on_change()
        self.ctx.page.update()

    async def _verify(self, e=None) -> None:
        outcome = await self.ctx.save(verify_build(self.ctx.desk, self.case_id), self.message, strings.DASH_SAVED_VERIFY)
        await self._after_write(outcome)

    async def _exempt(self, e=None) -> None:
        await self._save_with_reason(self.reason, exempt_build, strings.DASH_SAVED_EXEMPT)

    async def _save_with_reason(self, field: ft.TextField, make_build, saved_text: str) -> None:
        """Write `make_build(desk, case_id, reason)`; the reason field is cleared once saved."""
        reason = (field.value or "").strip()
        outcome = await self.ctx.save(make_build(self.ctx.desk, self.case_id, reason), self.message, saved_text)
        field.error = self.message.value if outcome is None and not reason else None  # the reason it lacks
        if outcome is not None:
            field.value = ""
        await self._after_write(outcome)

    async def _change_deadline(self, e=None) -> None:
        day = parse_day(self.deadline_date.value)
        self.deadline_date.error = strings.DASH_DEADLINE_BAD_DATE if day is None else None
        if day is None:
            self.message.show(strings.DASH_DEADLINE_BAD_DATE, "error")
            await self._after_write(None)
            return
        reason = (self.deadline_reason.value or "").strip()
        outcome = await self.ctx.save(deadline_build(self.ctx.desk, self.case_id, day, reason), self.message,
                                      strings.DASH_SAVED_DEADLINE.format(date=fmt.date_full(day)))  # fmt: skip
        if outcome is None:  # the domain's refusal, on the field it is about
            self.deadline_date.error = self.message.value if reason else None
            self.deadline_reason.error = None if reason else self.message.value
        if outcome is not None:
            self.deadline_date.value = ""
            self.deadline_reason.value = ""
        await self._after_write(outcome)

    async def _void(self, e=None) -> None:
        await self._save_with_reason(self.void_reason, void_build, strings.VOID_SAVED)

    async def _link(self, kind: str, earlier: str) -> None:
        outcome = await self.ctx.save(recurrence_build(self.ctx.desk, kind, self.case_id, earlier), self.message,
                                      recurrence_text(self.ctx, kind, self.state))  # fmt: skip
        await self._after_write(outcome)

    def _close(self, e=None) -> None:
        self.ctx.page.pop_dialog()


def loop_marks(s: CaseState, tz) -> list[str]:
    """Where an open case stands with its community: reported and waiting for the re-check, or
    why the last re-check failed; a request for exemption and its answer."""
    marks = []
    if s.lifecycle == "open" and s.awaiting_since is not None:
        marks.append(strings.AWAITING_RECHECK_SINCE.format(when=fmt.time_short(s.awaiting_since, tz)))
    elif s.lifecycle == "open" and s.last_failed_check is not None:
        reason = s.last_failed_check.note
        marks.append(strings.RECHECK_FAILED_REASON.format(reason=reason) if reason else strings.RECHECK_FAILED_NO_REASON)
    if s.exemption_request == "requested":
        marks.append(strings.EV_EXEMPTION_REQUESTED.format(reason=s.exemption_request_reason))
    elif s.exemption_request == "refused":
        marks.append(strings.EV_EXEMPTION_REFUSED.format(reason=s.exemption_refusal_reason))
    return marks


def recurrence_text(ctx: DashContext, kind: str, state: Optional[CaseState]) -> str:
    if kind != "confirmed":
        return strings.DASH_RECURRENCE_REJECTED
    community = ctx.community_name(state.community) if state is not None else ""
    return strings.DASH_RECURRENCE_CONFIRMED.format(community=community, points=w.plain(ctx.rules.recurrence_deduction))
