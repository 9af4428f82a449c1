"""录入: the office's records typed in — superior scores (a communities × months grid), office
assessments, bonuses, survey tallies, external cases, the fund roster — and the Excel import.

Every form makes the same records as an import file (office/records.py: the same checks and
the same words for what is wrong) and saves them through the Desk, which checks the session
and the role on the server for every save. A superior score or a roster is saved with a
fresh event id (the latest entry counts, so typing back an earlier value works); a tally,
assessment or bonus with the import's deterministic id (saving the same one twice counts once).

A record is checked here before it is sent (the same RecordBuilder): what is wrong is said
with the field's label, and the field at fault shows it (``error`` under a text field,
``error_text`` under a dropdown, a red border on a grid cell). A viewer sees every form
read-only (fields and buttons disabled, the 只读账户 notice); the server checks every
write anyway.

Handles: ``screen-entry``; ``form-<key>`` (form chips); ``sup-<code>-<month>`` (a grid cell);
``save-<key>``; ``message-entry``; the import's handles are in imports_view.py.
"""

from __future__ import annotations

from decimal import Decimal

import flet as ft

from fieldapp.office.dashboard import widgets as w
from fieldapp.office.dashboard.context import DashContext
from fieldapp.office.dashboard.imports_view import ImportForm
from fieldapp.office.records import RecordError
from fieldapp.office import words as strings
from fieldapp.ui.components import Message
from fieldapp.text.theme import Palette

FORMS = (
    ("superior", strings.DASH_ENTRY_SUPERIOR),
    ("office", strings.DASH_ENTRY_OFFICE),
    ("bonus", strings.DASH_ENTRY_BONUS),
    ("survey", strings.DASH_ENTRY_SURVEY),
    ("case", strings.DASH_ENTRY_CASE),
    ("fund", strings.DASH_ENTRY_FUND),
    ("import", strings.DASH_ENTRY_IMPORT),
)
CELL_WIDTH = 70


def _score_text(value: Decimal | None) -> str:
    return "" if value is None else w.plain(value)


def _same(text: str, held: Decimal | None) -> bool:
    if not text.strip():
        return True  # a cleared cell deletes nothing (events are never changed): it is no change
    try:
        return held is not None and Decimal(text.strip()) == held
    except ArithmeticError:
        return False


def saved_text(what: str):
    """The message after a save: what was saved, in the form's words (``已保存：本办考核``)."""

    def text(outcome) -> str:
        return strings.DASH_SAVED_WHAT.format(what=what)

    return text


def _fault_text(message: str) -> str:
    """A fault's message without its field label (the field shows it under itself)."""
    label, sep, rest = message.partition("：")
    return rest if sep and len(label) <= 12 else message


def mark_faults(fields: dict[str, ft.Control], error: RecordError | None) -> list[ft.Control]:
    """Show each fault of `error` on its field (cleared on the others); returns the fields marked."""
    faults: dict[ft.Control, list[str]] = {}
    if error is not None:
        for key, message in error.faults:
            control = fields.get(key) or fields.get(key.split(".", 1)[0])
            if control is not None:
                faults.setdefault(control, []).append(_fault_text(message))
    for control in dict.fromkeys(fields.values()):
        text = "；".join(faults[control]) if control in faults else None
        if isinstance(control, ft.TextField):
            control.error = text
        elif isinstance(control, ft.Dropdown):
            control.error_text = text
        elif isinstance(control, ft.Checkbox):
            control.error = text is not None
    return list(faults)


class EntryScreen:
    def __init__(self, ctx: DashContext):
        self.ctx = ctx
        self.form = "superior"
        self.message = Message("entry")
        self.picker = ft.Column(spacing=0)  # not a Row: the chips' own row must wrap at the screen's width
        self.body = ft.Column(spacing=14)
        #: form → record key → the control that holds it (where its fault is shown)
        self.fields: dict[str, dict[str, ft.Control]] = {}
        self.cells: dict[tuple[str, int], ft.TextField] = {}
        self.held: dict[tuple[str, int], Decimal | None] = {}
        self.importer = ImportForm(ctx)
        self._build_forms()
        self.read_only = w.read_only_notice("entry-read-only")
        self.read_only.visible = not ctx.can_write
        if not ctx.can_write:
            self._disable()
        self.control = ft.Column(
            [w.title(strings.DASH_ENTRY_TITLE, "entry"), self.picker, self.read_only, self.message.control, self.body,
             ft.Container(height=16)],
            spacing=14, scroll=ft.ScrollMode.AUTO, expand=True,
        )  # fmt: skip

    async def show(self, **kw) -> None:
        if kw.get("form"):
            self.form = kw["form"]
        self.render()

    async def changed(self) -> None:
        if self.form == "superior":
            self._fill_grid(keep_edits=True)

    def render(self) -> None:
        self.picker.controls = [w.chips(list(FORMS), self.form, self._pick, "form")]
        self.body.controls = [self.forms[self.form]]
        if self.form == "superior":
            self._fill_grid(keep_edits=False)
        if self.form == "fund":
            self._fill_roster()

    async def _pick(self, key: str) -> None:
        self.form = key
        self.message.clear()
        self.render()
        self.ctx.page.update()

    # --- building the forms ---------------------------------------------------------------------

    def _build_forms(self) -> None:
        ctx = self.ctx
        rules = ctx.rules
        today = ctx.today().isoformat()
        communities = [(c.code, c.name) for c in rules.communities]
        self.forms: dict[str, ft.Control] = {}

        # 上级考核: communities × months
        header = ft.Row([ft.Container(w.small(strings.DASH_COL_COMMUNITY), width=90)]
                        + [ft.Container(w.small(strings.DASH_MONTH.format(m=m), text_align=ft.TextAlign.CENTER),
                                        width=CELL_WIDTH) for m in range(1, 13)], spacing=6)  # fmt: skip
        grid = [header]
        for code, name in communities:
            line = [ft.Container(ft.Text(name, weight=ft.FontWeight.W_600), width=90)]
            for m in range(1, 13):
                tf = ft.TextField(
                    width=CELL_WIDTH, dense=True, text_align=ft.TextAlign.CENTER,
                    content_padding=ft.Padding.symmetric(horizontal=4, vertical=10),
                    keyboard_type=ft.KeyboardType.NUMBER, text_style=w.text_style(15),
                    tooltip=strings.DASH_ENTRY_CELL.format(community=name, month=m),
                    data=strings.DASH_ENTRY_CELL.format(community=name, month=m),  # its tooltip when not at fault
                )  # fmt: skip
                self.cells[(code, m)] = tf
                line.append(w.labelled(f"sup-{code}-{m}", tf, strings.DASH_ENTRY_CELL.format(community=name, month=m)))
            grid.append(ft.Row(line, spacing=6, vertical_alignment=ft.CrossAxisAlignment.CENTER))
        self.forms["superior"] = w.card(
            w.subtitle(strings.DASH_ENTRY_SUPERIOR), w.small(strings.DASH_ENTRY_SUPERIOR_HINT),
            ft.Column(grid, spacing=8),
            ft.Row([w.button(strings.DASH_SAVE_SCORES, self._save_superior, icon=ft.Icons.SAVE,
                             identifier="save-superior")]),
        )  # fmt: skip

        # 本办考核
        self.o_community = w.dropdown(strings.DASH_FIELD_COMMUNITY, communities, communities[0][0])
        self.o_date = w.field(strings.DASH_FIELD_DATE, value=today, width=220)
        self.o_score = w.field(strings.DASH_FIELD_SCORE, width=160)
        self.fields["office"] = {"community": self.o_community, "date": self.o_date, "score": self.o_score}
        self.forms["office"] = w.card(
            w.subtitle(strings.DASH_ENTRY_OFFICE),
            ft.Row([self.o_community, self.o_date, self.o_score], spacing=12, wrap=True),
            ft.Row([w.button(strings.DASH_SAVE, self._save_office, icon=ft.Icons.SAVE, identifier="save-office")]),
        )  # fmt: skip

        # 加分
        self.b_community = w.dropdown(strings.DASH_FIELD_COMMUNITY, communities, communities[0][0])
        self.b_code = w.dropdown(strings.DASH_FIELD_CODE, [(b.code, f"{b.name}（+{w.plain(b.points)}）")
                                                           for b in rules.bonuses], rules.bonuses[0].code, width=460)
        self.b_date = w.field(strings.DASH_FIELD_DATE, value=today, width=220)
        self.b_text = w.field(strings.DASH_FIELD_DESCRIPTION, expand=True)
        self.fields["bonus"] = {"community": self.b_community, "code": self.b_code, "date": self.b_date,
                                "description": self.b_text}  # fmt: skip
        self.forms["bonus"] = w.card(
            w.subtitle(strings.DASH_ENTRY_BONUS),
            ft.Row([self.b_community, self.b_code, self.b_date], spacing=12, wrap=True),
            ft.Row([self.b_text]),
            ft.Row([w.button(strings.DASH_SAVE, self._save_bonus, icon=ft.Icons.SAVE, identifier="save-bonus")]),
        )  # fmt: skip

        # 满意度调查 (tally)
        self.s_community = w.dropdown(strings.DASH_FIELD_COMMUNITY, communities, communities[0][0])
        self.s_date = w.field(strings.DASH_FIELD_DATE, value=today, width=220)
        self.s_counts = {a: w.field(a, width=130) for a in rules.survey_answers}
        self.s_note = w.field(strings.DASH_FIELD_NOTE, expand=True)
        self.fields["survey"] = {"community": self.s_community, "date": self.s_date, "note": self.s_note,
                                 "counts": next(iter(self.s_counts.values())),
                                 **{f"counts.{a}": tf for a, tf in self.s_counts.items()}}  # fmt: skip
        self.forms["survey"] = w.card(
            w.subtitle(strings.DASH_ENTRY_SURVEY),
            ft.Row([self.s_community, self.s_date, *self.s_counts.values()], spacing=12, wrap=True),
            ft.Row([self.s_note]),
            ft.Row([w.button(strings.DASH_SAVE, self._save_survey, icon=ft.Icons.SAVE, identifier="save-survey")]),
        )  # fmt: skip

        # 外部案件
        external = [(s.code, s.name) for s in rules.sources if s.code != "D"]
        self.c_ref = w.field(strings.DASH_FIELD_CASE_REF, width=260)
        self.c_community = w.dropdown(strings.DASH_FIELD_COMMUNITY, communities, communities[0][0])
        self.c_category = w.dropdown(strings.DASH_FIELD_CATEGORY, [(c.code, f"{c.group} {c.name}")
                                                                   for c in rules.categories], width=240)
        self.c_source = w.dropdown(strings.DASH_FIELD_SOURCE, external, external[0][0], width=560)
        self.c_found = w.field(strings.DASH_FIELD_FOUND, value=today, width=220)
        self.c_deadline = w.field(strings.DASH_FIELD_DEADLINE, width=260)
        self.c_place = w.field(strings.DASH_FIELD_PLACE, width=300)
        self.c_note = w.field(strings.DASH_FIELD_CASE_NOTE, expand=True)
        self.c_verified = ft.Checkbox(label=strings.DASH_FIELD_VERIFIED, value=False)
        self.fields["case"] = {"case": self.c_ref, "community": self.c_community, "category": self.c_category,
                               "source": self.c_source, "found": self.c_found, "deadline": self.c_deadline,
                               "place": self.c_place, "description": self.c_note, "verified": self.c_verified}  # fmt: skip
        self.forms["case"] = w.card(
            w.subtitle(strings.DASH_ENTRY_CASE),
            ft.Row([self.c_ref, self.c_community, self.c_category], spacing=12, wrap=True),
            ft.Row([self.c_source], spacing=12),
            ft.Row([self.c_found, self.c_deadline, self.c_place], spacing=12, wrap=True),
            ft.Row([self.c_note]),
            self.c_verified,
            ft.Row([w.button(strings.DASH_SAVE, self._save_case, icon=ft.Icons.SAVE, identifier="save-case")]),
        )  # fmt: skip

        # 奖惩基金名单
        self.roster = {r.code: w.field(strings.DASH_ENTRY_ROLE.format(role=r.name, deposit=w.plain(r.deposit)), expand=True)
                       for r in rules.fund_roles}  # fmt: skip
        self.fields["fund"] = {"roster": next(iter(self.roster.values())),
                               **{f"roster.{r.name}": self.roster[r.code] for r in rules.fund_roles}}  # fmt: skip
        self.forms["fund"] = w.card(
            w.subtitle(strings.DASH_ENTRY_FUND), w.small(strings.DASH_ENTRY_FUND_HINT),
            *[ft.Row([f]) for f in self.roster.values()],
            ft.Row([w.button(strings.DASH_SAVE, self._save_fund, icon=ft.Icons.SAVE, identifier="save-fund")]),
        )  # fmt: skip

        self.forms["import"] = self.importer.control
        self.fields["superior"] = {}

    def _disable(self) -> None:
        """A viewer's forms: every field and button read-only (the server refuses their writes anyway)."""
        for key, form in self.forms.items():
            if key == "import":
                self.importer.read_only()  # the templates stay downloadable
            else:
                w.read_only(form)

    # --- current values -------------------------------------------------------------------------------

    def _fill_grid(self, keep_edits: bool) -> None:
        superior = self.ctx.desk.snapshot().superior
        for (code, m), tf in self.cells.items():
            held = superior.get(code, {}).get(m)
            edited = keep_edits and not _same(tf.value or "", self.held.get((code, m)))
            self.held[(code, m)] = held
            if not edited:
                tf.value = _score_text(held)

    def _fill_roster(self) -> None:
        fund = self.ctx.desk.snapshot().final.fund
        people = {line.role: line.people for line in fund.lines} if fund else {}
        for role, tf in self.roster.items():
            tf.value = "、".join(people.get(role, ()))

    # --- saving ----------------------------------------------------------------------------------------

    def check(self, form: str, records: list[dict]) -> RecordError | None:
        """Check `records` as the server will (no case lookups: forms name none); mark the fields at fault."""
        builder = self.ctx.desk.builder(_NoStore())
        builder.declare_cases(records)
        faults: list[tuple[str, str]] = []
        for record in records:
            try:
                builder.build(record)
            except RecordError as exc:
                faults.extend(exc.faults)
        error = RecordError("", faults=faults) if faults else None
        mark_faults(self.fields.get(form, {}), error)
        return error

    async def _save(self, form: str, records: list[dict], *, fresh: bool = False):
        desk = self.ctx.desk
        error = self.check(form, records)
        if error is not None:
            self.message.show(strings.DASH_ERROR.format(detail=str(error)), "error")
            self.ctx.page.update()
            return None

        def build(store, user):
            return desk.record_events(store, user, records, fresh=fresh)

        outcome = await self.ctx.save(build, self.message, saved_text(dict(FORMS)[form]))
        self.ctx.page.update()
        return outcome

    async def _save_superior(self, e=None) -> None:
        year = self.ctx.rules.year
        records, labels, keys = [], [], []
        for (code, m), tf in self.cells.items():
            text = (tf.value or "").strip()
            if _same(text, self.held.get((code, m))):
                continue
            records.append({"record": "superior_score", "community": code, "month": f"{year}-{m:02d}", "score": text})
            labels.append(strings.DASH_ENTRY_CELL.format(community=self.ctx.community_name(code), month=m))
            keys.append((code, m))
        if not records:
            self.message.show(strings.DASH_SAVED_NONE, "info")
            self.ctx.page.update()
            return
        builder = self.ctx.desk.builder(_NoStore())
        errors: dict[tuple[str, int], str] = {}
        for key, record, label in zip(keys, records, labels):
            try:
                builder.build(record)
            except RecordError as exc:
                errors[key] = f"{label} {exc}"  # 第一社区 3月 得分：150 不在 0–100 之间
        for key, tf in self.cells.items():
            mark_cell(tf, errors.get(key))
        if errors:
            self.message.show(strings.DASH_ERROR.format(detail="；".join(errors.values())), "error")
            self.ctx.page.update()
            return
        outcome = await self.ctx.save(lambda store, user: self.ctx.desk.record_events(store, user, records, fresh=True),
                                      self.message, lambda o: strings.DASH_SAVED_MONTH_SCORES.format(n=o.accepted))
        self.ctx.page.update()
        if outcome is not None:
            self._fill_grid(keep_edits=False)
            self.ctx.page.update()

    async def _save_office(self, e=None) -> None:
        await self._save("office", [{"record": "office_assessment", "community": self.o_community.value,
                           "date": self.o_date.value, "score": self.o_score.value}])  # fmt: skip

    async def _save_bonus(self, e=None) -> None:
        await self._save("bonus", [{"record": "bonus", "community": self.b_community.value, "code": self.b_code.value,
                           "date": self.b_date.value, "description": self.b_text.value}])  # fmt: skip

    async def _save_survey(self, e=None) -> None:
        counts = {a: tf.value.strip() for a, tf in self.s_counts.items() if (tf.value or "").strip()}
        record = {"record": "survey_tally", "community": self.s_community.value, "date": self.s_date.value,
                  "counts": counts}  # fmt: skip
        if (self.s_note.value or "").strip():
            record["note"] = self.s_note.value
        await self._save("survey", [record])

    async def _save_case(self, e=None) -> None:
        record = {"record": "external_case", "case": self.c_ref.value, "community": self.c_community.value,
                  "category": self.c_category.value, "source": self.c_source.value, "found": self.c_found.value,
                  "description": self.c_note.value, "place": self.c_place.value,
                  "verified": bool(self.c_verified.value)}  # fmt: skip
        if (self.c_deadline.value or "").strip():
            record["deadline"] = self.c_deadline.value
        outcome = await self._save("case", [record])
        if outcome is not None and outcome.accepted:
            for tf in (self.c_ref, self.c_place, self.c_note, self.c_deadline):
                tf.value = ""
            self.c_verified.value = False
            self.ctx.page.update()

    async def _save_fund(self, e=None) -> None:
        roster = {role: tf.value for role, tf in self.roster.items() if (tf.value or "").strip()}
        await self._save("fund", [{"record": "fund_roster", "year": self.ctx.rules.year, "roster": roster}], fresh=True)


def mark_cell(tf: ft.TextField, fault: str | None) -> None:
    """A superior-score cell at fault: a red border and background, the reason as its tooltip
    (a 70-pixel cell has no room for an error line; the message above names the cell too)."""
    tf.border_color = Palette.ERROR if fault else None
    tf.border_width = 2 if fault else None
    tf.bgcolor = "#FDECEC" if fault else None
    tf.filled = True if fault else None
    tf.tooltip = fault or tf.data


class _NoStore:
    """A lookup-less store for checking superior-score records (they name no case)."""

    def case(self, _case_id):
        return None


__all__ = ["EntryScreen"]
