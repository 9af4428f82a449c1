"""The 通报 (bulletin) pack: what the office publishes at the end of a month and of the year.

    period = bulletin_period(rules, month="2022-06")            # or as_of=date(...), or now=...
    names = write_pack(store, rules, period, photo_dir, sink, today=date.today())

One PDF for the sub-district (`main_pdf`): the ranking, the three components with what they
rest on, a bar chart of the components and final scores, for a monthly bulletin the month's
superior scores and its cases by community, the fund, and at the end the scoring readings
applied and the notes, the closing line, the office's name and date. One PDF per community
(`community_pdf`): its rank, its components, then **every deduction and bonus as its own
line** (points, rule, why, and its case's reference ``案件 1a2b3c4d`` — the reports' reference),
each case followed by its evidence: category, source, place, who registered it, found date,
deadline, when rectified, the re-checks and the community's reports, the exemption and its
reason, the evidence marks, the before and after photos as thumbnails, and for a recurrence
the earlier case's facts and photos; for a monthly bulletin the month's cases too. Every page
carries the office's name, the date and 第 N 页，共 M 页 (office/pdf.py, one module for every
PDF the office makes).

**Bounded memory.** fpdf2 builds a document in memory, so a community's file holds at most
`MAX_CASES_PER_FILE` cases' evidence; a community with more gets volumes (第1册, 第2册 …),
each a complete document. Cases are read from the store one at a time while drawing
(`store.case`), photos are the stored thumbnails (320 px), and each finished file is handed
to `sink(name, bytes)` (written atomically by the command, or added to a zip by the dashboard)
and dropped. So memory is bounded by one volume, whatever the year's size (bench/bulletin.py).

The ranking is `score_year` at the period's evaluation instant: a year's bulletin at the
year's end (or `--as-of`, capped there), a month's at the end of the month (the year to date).
"""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Callable, Iterable

from fpdf.fonts import FontFace

from fieldapp.domain import scoring as sc
from fieldapp.domain.projection import OPEN, RECTIFIED, VOIDED, CaseState
from fieldapp.domain.rules import Rules
from fieldapp.office.letterhead import office_name
from fieldapp.office.pdf import FONT, MUTED, OVERDUE, RULE, OfficePdf, date_text, table_style, thumbnail
from fieldapp.office.report import (
    COMPONENT_WORDS,
    READINGS,
    case_ref,
    fmt,
    marks_text,
    note_text,
    reason_text,
    rule_text,
    signed,
)
from fieldapp.office import words as S

MAX_CASES_PER_FILE = 200  # cases with evidence in one community file: a volume (册) beyond that
PHOTOS_PER_STAGE = 2  # before / after thumbnails shown per case (the rest counted)
THUMB_HEIGHT = 26  # mm


@dataclass(frozen=True)
class Period:
    """What a bulletin covers: a year (to its end or an as-of day) or one month of it."""

    year: int
    month: int | None  # a monthly bulletin
    at: datetime  # the evaluation instant
    day: date  # the last local day counted

    @property
    def name(self) -> str:
        """2022年度 / 2022年6月 (file names)."""
        if self.month is None:
            return S.BULLETIN_PERIOD_YEAR.format(year=self.year)
        return S.BULLETIN_PERIOD_MONTH.format(year=self.year, month=self.month)

    @property
    def title(self) -> str:
        if self.month is None:
            return S.BULLETIN_TITLE_YEAR.format(year=self.year)
        return S.BULLETIN_TITLE_MONTH.format(year=self.year, month=self.month)

    @property
    def month_key(self) -> str | None:
        return None if self.month is None else f"{self.year:04d}-{self.month:02d}"


def bulletin_period(rules: Rules, *, month: str | None = None, as_of: date | None = None,
                    now: datetime | None = None) -> Period:
    """The period of a bulletin: `month` "YYYY-MM" of the rules' year (judged at its end), else the
    year judged at `as_of` or `now` (never after the year's end). ValueError for a bad month."""
    if month is not None:
        try:
            y, m = (int(x) for x in month.split("-"))
            last = date(y, m, calendar.monthrange(y, m)[1])
        except (ValueError, TypeError):
            raise ValueError(month) from None
        if y != rules.year:
            raise ValueError(month)
        at = sc.evaluation_instant(rules, as_of=last)
        return Period(rules.year, m, at, last)
    at = sc.evaluation_instant(rules, as_of=as_of, now=now)
    result_day = (at - sc.timedelta(microseconds=1)).astimezone(rules.tz).date()
    return Period(rules.year, None, at, result_day)


# --- reading the store --------------------------------------------------------------------------


def month_scores(store, period: Period) -> dict[str, Decimal]:
    """The superior's score of the period's month per community (the latest entry by sort key)."""
    if period.month_key is None:
        return {}
    rows = store.db.execute(
        "SELECT payload, recorded_at, id FROM events WHERE type = 'score.superior' "
        "AND json_extract(payload, '$.month') = ?", [period.month_key]).fetchall()  # fmt: skip
    latest: dict[str, tuple] = {}
    for payload, recorded_at, event_id in rows:
        data = json.loads(payload)
        key = (datetime.fromisoformat(recorded_at).astimezone(sc.UTC), event_id)
        if data["community"] not in latest or key > latest[data["community"]][0]:
            latest[data["community"]] = (key, Decimal(str(data["score"])))
    return {code: score for code, (_key, score) in latest.items()}


@dataclass(frozen=True)
class MonthCase:
    case_id: str
    community: str
    category: str
    source: str
    place: str
    found: date
    deadline: date
    lifecycle: str
    on_time: bool | None
    label: str


def month_cases(store, rules: Rules, period: Period) -> list[MonthCase]:
    """The cases found in the period's month (local time), oldest first."""
    if period.month is None:
        return []
    tz = rules.tz
    first = date(period.year, period.month, 1)
    rows = store.db.execute(
        "SELECT case_id, community, category, source, place, found_at, deadline, lifecycle, on_time, note "
        "FROM cases WHERE found_at >= ? AND found_at < ? ORDER BY found_at, case_id",
        [(first - sc.timedelta(days=1)).isoformat(), (period.day + sc.timedelta(days=2)).isoformat()],
    ).fetchall()  # fmt: skip
    out = []
    for case_id, community, category, source, place, found_at, deadline, lifecycle, on_time, note in rows:
        found = datetime.fromisoformat(found_at).astimezone(tz).date()
        if first <= found <= period.day:
            label = " ".join(x for x in (place, note) if x)
            out.append(MonthCase(case_id, community, category, source, place, found, date.fromisoformat(deadline),
                                 lifecycle, None if on_time is None else bool(on_time), label))  # fmt: skip
    return out


def _names(store) -> Callable[[str], str]:
    try:  # the people directory (sync/people.py, fieldapp/ui/names.py): 登记人 by name
        from fieldapp.ui.names import Names

        return Names.of_office(store)
    except (ImportError, AttributeError):  # pragma: no cover - before the directory exists
        return lambda actor: actor


# --- words ------------------------------------------------------------------------------------------


class _Words:
    """Names from the rules, dates in words."""

    def __init__(self, rules: Rules, names: Callable[[str], str]):
        self.rules = rules
        self.tz = rules.tz
        self.names = names
        self.categories = {c.code: c.name for c in rules.categories}
        self.sources = {s.code: s.name for s in rules.sources}
        self.communities = {c.code: c.name for c in rules.communities}

    def day(self, moment: datetime | date | None) -> str:
        if moment is None:
            return "—"
        if isinstance(moment, datetime):
            moment = moment.astimezone(self.tz).date()
        return date_text(moment)

    def category(self, code: str) -> str:
        return self.categories.get(code, code)

    def source(self, code: str) -> str:
        return self.sources.get(code, code)


def _component_basis(c: sc.CommunityScore) -> tuple[str, str, str]:
    missing = S.REPORT_SUPERIOR_MISSING.format(months=S.LIST_SEPARATOR.join(c.superior.missing)) \
        if c.superior.missing else ""  # fmt: skip
    return (S.REPORT_SUPERIOR_BASIS.format(n=c.superior.count) + missing,
            S.REPORT_OFFICE_BASIS.format(n=c.office.count),
            S.REPORT_SATISFACTION_BASIS.format(n=c.satisfaction.count, satisfied=c.satisfaction.satisfied))


def _score(value: Decimal | None) -> str:
    return fmt(value) if value is not None else S.BULLETIN_NO_SCORE


# --- the sub-district's PDF ------------------------------------------------------------------------


def main_pdf(result: sc.YearScore, rules: Rules, period: Period, today: date, *,
             month_scores: dict[str, Decimal] | None = None, month_cases: list[MonthCase] | None = None) -> bytes:
    office = office_name(rules)
    words = _Words(rules, lambda a: a)
    pdf = OfficePdf(office, period.title, today)
    pdf.add_page()
    pdf.heading(period.title)
    evaluated = S.BULLETIN_EVALUATED_MONTH if period.month else S.BULLETIN_EVALUATED
    pdf.paragraph(evaluated.format(day=date_text(result.evaluation_day)), size=10, colour=MUTED)

    pdf.section(S.BULLETIN_SECTION_RANKING)
    with pdf.table(col_widths=(12, 26, 20, 20, 22, 20, 18, 18, 24), **table_style()) as table:
        head = table.row()
        for text in S.BULLETIN_RANKING_HEAD:
            head.cell(text)
        for c in result.communities:
            row = table.row()
            row.cell(f"{c.rank}{'=' if c.tied else ''}", align="CENTER")
            row.cell(c.name)
            for value in (c.superior.value, c.office.value, c.satisfaction.value, c.composite):
                row.cell(_score(value), align="RIGHT")
            row.cell(fmt(c.deduction_total, places=False), align="RIGHT")
            row.cell(signed(c.bonus_total), align="RIGHT")
            row.cell(fmt(c.final), align="RIGHT")
    pdf.ln(2)
    pdf.line_text(S.BULLETIN_COMMUNITY_FILES, colour=MUTED)

    pdf.section(S.BULLETIN_SECTION_COMPONENTS)
    with pdf.table(col_widths=(22, 16, 30, 16, 30, 18, 48), **table_style()) as table:
        head = table.row()
        for text in S.BULLETIN_COMPONENTS_HEAD:
            head.cell(text)
        for c in result.communities:
            sup, off, sat = _component_basis(c)
            row = table.row()
            row.cell(c.name)
            row.cell(_score(c.superior.value), align="RIGHT")
            row.cell(sup)
            row.cell(_score(c.office.value), align="RIGHT")
            row.cell(off)
            row.cell(_score(c.satisfaction.value), align="RIGHT")
            row.cell(sat)
    pdf.ln(1)
    pdf.line_text(S.REPORT_COMPOSITE_BASIS + "；" + S.REPORT_FINAL_BASIS, colour=MUTED)

    pdf.section(S.BULLETIN_SECTION_CHART, keep=95)
    groups = [(c.name, [float(v) if v is not None else None
                        for v in (c.superior.value, c.office.value, c.satisfaction.value, c.final)])
              for c in result.communities]  # fmt: skip
    top = max([100.0] + [v for _n, vs in groups for v in vs if v is not None])
    pdf.bar_chart(groups, list(S.BULLETIN_CHART_LEGEND), top=float(-(-top // 20) * 20))

    if period.month is not None:
        pdf.section(S.BULLETIN_SECTION_MONTH)
        scores = month_scores or {}
        cases = month_cases or []
        with pdf.table(col_widths=(30, 26, 22, 22, 28, 22, 30), **table_style()) as table:
            head = table.row()
            for text in S.BULLETIN_MONTH_HEAD:
                head.cell(text)
            for comm in rules.communities:
                mine = [m for m in cases if m.community == comm.code]
                overdue = sum(1 for m in mine if m.lifecycle == OPEN and m.deadline < today)
                row = table.row()
                row.cell(comm.name)
                row.cell(_score(scores.get(comm.code)), align="RIGHT")
                row.cell(str(len(mine)), align="RIGHT")
                row.cell(str(sum(1 for m in mine if m.lifecycle == RECTIFIED)), align="RIGHT")
                row.cell(str(overdue), align="RIGHT")
                row.cell(str(sum(1 for m in mine if m.lifecycle == OPEN) - overdue), align="RIGHT")
                row.cell(str(sum(1 for m in mine if m.lifecycle == VOIDED)), align="RIGHT")
        pdf.ln(1)
        pdf.line_text(S.BULLETIN_MONTH_STATUS_NOTE, colour=MUTED)

    pdf.section(S.BULLETIN_SECTION_FUND)
    if result.fund is None:
        pdf.line_text(S.BULLETIN_FUND_NONE)
    else:
        f = result.fund
        with pdf.table(col_widths=(70, 35, 25, 50), **table_style()) as table:
            head = table.row()
            for text in S.BULLETIN_FUND_HEAD:
                head.cell(text)
            for line in f.lines:
                row = table.row()
                row.cell(line.name)
                row.cell(fmt(line.deposit, False), align="RIGHT")
                row.cell(str(len(line.people)), align="RIGHT")
                row.cell(fmt(line.amount, False), align="RIGHT")
        pdf.ln(1)
        pdf.line_text(S.BULLETIN_FUND_TOTALS.format(deposits=fmt(f.deposits, False), match=fmt(f.match, False),
                                                    total=fmt(f.total, False)))  # fmt: skip
    _closing(pdf, result, rules, office, today, words)
    return pdf.output_bytes()


def _closing(pdf: OfficePdf, result: sc.YearScore, rules: Rules, office: str, today: date, words,
             community: sc.CommunityScore | None = None) -> None:
    """The notes, the readings the scores rest on, the closing line, the office and the date."""
    names = {c.code: c.name for c in rules.communities}
    notes = [note_text(n, names) for n in (community.notes if community is not None else result.notes)]
    if notes:
        pdf.section(S.BULLETIN_SECTION_NOTES, keep=12)
        for text in notes:
            pdf.line_text(f"· {text}", size=9)
    pdf.section(S.BULLETIN_SECTION_READINGS, keep=20)
    for n, reading in enumerate(READINGS, start=1):
        pdf.line_text(f"{n}. {reading}", size=9)
    pdf.ln(4)
    pdf.ensure_space(22)
    pdf.paragraph(S.BULLETIN_CLOSING, gap=4)
    pdf.set_font(FONT, size=11)
    pdf.cell(0, 6, office, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, date_text(today), align="R", new_x="LMARGIN", new_y="NEXT")


# --- a community's PDF -----------------------------------------------------------------------------


def _case_groups(items: Iterable[sc.LineItem]) -> list[tuple[str, list[sc.LineItem]]]:
    """Line items grouped by case, in the order of their first item (items keep their order)."""
    groups: dict[str, list[sc.LineItem]] = {}
    for item in items:
        groups.setdefault(item.case_id or item.event_id, []).append(item)
    return list(groups.items())


def volumes(c: sc.CommunityScore, per_file: int = MAX_CASES_PER_FILE) -> int:
    return max(1, -(-len(_case_groups(c.deductions)) // per_file))


def community_pdf(store, c: sc.CommunityScore, result: sc.YearScore, rules: Rules, period: Period, today: date,
                  photo_dir, *, names: Callable[[str], str] | None = None, volume: int = 1,
                  per_file: int = MAX_CASES_PER_FILE, month_cases: list[MonthCase] | None = None) -> bytes:
    """One community's 通报 (its `volume`-th part when it has more than `per_file` cases)."""
    office = office_name(rules)
    words = _Words(rules, names or (lambda a: a))
    groups = _case_groups(c.deductions)
    total_volumes = max(1, -(-len(groups) // per_file))
    mine = groups[(volume - 1) * per_file: volume * per_file]
    title = f"{period.title}·{c.name}"
    pdf = OfficePdf(office, title, today)
    pdf.add_page()
    pdf.heading(period.title)
    heading = S.BULLETIN_COMMUNITY_TITLE.format(community=c.name)
    if total_volumes > 1:
        heading += S.BULLETIN_VOLUME.format(n=volume, of=total_volumes)
    pdf.heading(heading, size=14)
    evaluated = S.BULLETIN_EVALUATED_MONTH if period.month else S.BULLETIN_EVALUATED
    pdf.paragraph(evaluated.format(day=date_text(result.evaluation_day)), size=10, colour=MUTED, gap=1)
    pdf.paragraph(S.BULLETIN_RANK_LINE.format(rank=c.rank, tied=S.REPORT_TIED_MARK if c.tied else "",
                                              final=fmt(c.final)), size=12)  # fmt: skip

    if volume == 1:
        pdf.section(S.BULLETIN_SECTION_SUMMARY)
        sup, off, sat = _component_basis(c)
        with pdf.table(col_widths=(34, 24, 92, 30), **table_style()) as table:
            head = table.row()
            for text in S.REPORT_SUMMARY_HEAD:
                head.cell(text)
            weights = rules.weights
            for name, comp, basis, weight in (("superior", c.superior, sup, weights.superior),
                                              ("office", c.office, off, weights.office),
                                              ("satisfaction", c.satisfaction, sat, weights.satisfaction)):
                row = table.row()
                row.cell(COMPONENT_WORDS[name])
                row.cell(_score(comp.value), align="RIGHT")
                row.cell(basis)
                row.cell(fmt(weight, False), align="RIGHT")
            for label, value, basis in (
                (S.DASH_COL_COMPOSITE, fmt(c.composite), S.REPORT_COMPOSITE_BASIS),
                (S.REPORT_DEDUCTION_TOTAL, fmt(c.deduction_total, False), S.REPORT_ITEMS_BASIS.format(n=len(c.deductions))),
                (S.REPORT_BONUS_TOTAL, signed(c.bonus_total), S.REPORT_ITEMS_BASIS.format(n=len(c.bonuses))),
                (S.DASH_COL_FINAL, fmt(c.final), S.REPORT_FINAL_BASIS),
            ):  # fmt: skip
                row = table.row()
                row.cell(label)
                row.cell(value, align="RIGHT")
                row.cell(basis)
                row.cell("")

    pdf.section(S.BULLETIN_SECTION_DEDUCTIONS.format(n=len(c.deductions), total=fmt(c.deduction_total, False)))
    if not groups:
        pdf.line_text(S.BULLETIN_NO_DEDUCTIONS)
    for case_id, items in mine:
        _case_block(pdf, store, case_id, items, rules, words, photo_dir)

    if volume == total_volumes:
        pdf.section(S.BULLETIN_SECTION_BONUSES.format(n=len(c.bonuses), total=signed(c.bonus_total)), keep=12)
        if not c.bonuses:
            pdf.line_text(S.BULLETIN_NO_BONUSES)
        for item in c.bonuses:
            _item_line(pdf, item, rules, ref=S.REPORT_EVENT_REF.format(id=item.event_id[:8]))
            pdf.line_text(S.BULLETIN_BONUS_LINE.format(date=words.day(item.on), description=item.label), size=9,
                          colour=MUTED, indent=20)  # fmt: skip
        if period.month is not None:
            _month_cases(pdf, [m for m in (month_cases or []) if m.community == c.code], words)
        _closing(pdf, result, rules, office, today, words, community=c)
    return pdf.output_bytes()


def _item_line(pdf: OfficePdf, item: sc.LineItem, rules: Rules, *, ref: str) -> None:
    """One deduction or bonus: its points, rule and why, and its case (or event) reference."""
    pdf.ensure_space(8)
    pdf.set_font(FONT, size=10)
    pdf.set_text_color(*(OVERDUE if item.points < 0 else (46, 125, 50)))
    pdf.cell(20, 5.5, S.BULLETIN_POINTS.format(points=signed(item.points)))
    pdf.set_text_color(33, 33, 33)
    text = f"{rule_text(item, rules)}：{reason_text(item, rules)}"
    width = pdf.epw - 20 - 28
    x = pdf.get_x()
    y = pdf.get_y()
    pdf.text_box(width, 5.5, text, new_x="LMARGIN", new_y="NEXT")
    bottom = pdf.get_y()
    pdf.set_xy(x + width, y)
    pdf.set_text_color(*MUTED)
    pdf.cell(28, 5.5, ref, align="R")
    pdf.set_text_color(33, 33, 33)
    pdf.set_xy(pdf.l_margin, max(bottom, y + 5.5))


def _case_block(pdf: OfficePdf, store, case_id: str, items: list[sc.LineItem], rules: Rules, words: _Words,
                photo_dir) -> None:
    """A case's line items, then its evidence: facts, checks, reports, exemption, marks, photos."""
    pdf.ensure_space(12 + THUMB_HEIGHT)
    for item in items:
        _item_line(pdf, item, rules, ref=case_ref(case_id))
    state: CaseState | None = store.case(case_id)
    indent = 4
    if state is None:  # cannot happen for a scored case; said rather than failed
        pdf.line_text(items[0].label or S.NO_PLACE, size=9, colour=MUTED, indent=indent)
        _rule(pdf)
        return
    for text in _facts(state, words):
        pdf.line_text(text, size=9, colour=(60, 64, 72), indent=indent)
    photos = _photos(state, photo_dir, S.BULLETIN_PHOTO_BEFORE, S.BULLETIN_PHOTO_AFTER)
    for earlier_id in dict.fromkeys(e for item in items for e in item.earlier):
        earlier = store.case(earlier_id)
        ref = case_ref(earlier_id)
        if earlier is None:
            pdf.line_text(S.BULLETIN_RECURRENCE_UNKNOWN.format(ref=ref), size=9, indent=indent)
            continue
        rectified = (S.BULLETIN_RECTIFIED.format(day=words.day(earlier.rectified_at),
                                                 timely=S.BULLETIN_ON_TIME if earlier.on_time else S.BULLETIN_LATE)
                     if earlier.rectified_at else S.BULLETIN_NOT_RECTIFIED)  # fmt: skip
        pdf.line_text(S.BULLETIN_RECURRENCE.format(
            ref=ref, category=words.category(earlier.category), place=_place(earlier),
            found=words.day(earlier.found_at), rectified=rectified), size=9, indent=indent)  # fmt: skip
        photos += _photos(earlier, photo_dir, S.BULLETIN_PHOTO_EARLIER_BEFORE, S.BULLETIN_PHOTO_EARLIER_AFTER, 1)
    if photos:
        pdf.ln(1)
        pdf.photo_strip(photos, height=THUMB_HEIGHT, missing=S.BULLETIN_PHOTO_MISSING, indent=indent)
    else:
        pdf.line_text(S.BULLETIN_NO_PHOTOS, size=9, colour=MUTED, indent=indent)
    _rule(pdf)


def _rule(pdf: OfficePdf) -> None:
    pdf.ln(1.5)
    pdf.set_draw_color(*RULE)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(2.5)


def _place(state: CaseState) -> str:
    return " ".join(x for x in (state.place, state.note) if x) or S.NO_PLACE


def _facts(state: CaseState, words: _Words) -> list[str]:
    lines = [
        S.BULLETIN_CASE_FACTS.format(category=words.category(state.category),
                                     source=f"{state.source} {words.source(state.source)}", place=_place(state)),
        S.BULLETIN_CASE_DATES.format(found=words.day(state.found_at), deadline=words.day(state.deadline),
                                     by=words.names(state.registered_by)),
    ]  # fmt: skip
    if state.lifecycle == VOIDED:
        lines.append(S.BULLETIN_VOIDED.format(reason=state.void_reason))
    elif state.rectified_at is not None:
        lines.append(S.BULLETIN_RECTIFIED.format(day=words.day(state.rectified_at),
                                                 timely=S.BULLETIN_ON_TIME if state.on_time else S.BULLETIN_LATE))
    else:
        lines.append(S.BULLETIN_NOT_RECTIFIED)
    if state.checks:
        checks = S.LIST_SEPARATOR.join(
            S.BULLETIN_CHECK.format(day=words.day(ch.checked_at),
                                    outcome=S.STATUS_RECTIFIED if ch.passed else S.STATUS_NOT_RECTIFIED,
                                    note=S.PARENS.format(text=ch.note) if ch.note.strip() else "")
            for ch in state.checks)  # fmt: skip
        lines.append(S.BULLETIN_CHECKS.format(checks=checks))
    else:
        lines.append(S.BULLETIN_NO_CHECKS)
    if state.reports:
        reports = S.LIST_SEPARATOR.join(
            words.day(r.reported_at) + (S.PARENS.format(text=r.note) if r.note.strip() else "") for r in state.reports)
        lines.append(S.BULLETIN_REPORTS.format(reports=reports))
    if state.exempted:
        lines.append(S.BULLETIN_EXEMPTED.format(reason=state.exempt_reason))
    elif state.exemption_request == "requested":
        lines.append(S.BULLETIN_EXEMPTION_ASKED.format(reason=state.exemption_request_reason))
    elif state.exemption_request == "refused":
        lines.append(S.BULLETIN_EXEMPTION_REFUSED.format(reason=state.exemption_refusal_reason))
    if state.marks:
        lines.append(S.BULLETIN_MARKS.format(marks=marks_text(state.marks)))
    return lines


def _photos(state: CaseState, photo_dir, before: str, after: str, limit: int = PHOTOS_PER_STAGE) -> list:
    out = []
    for caption, shas in ((before, state.before_photos), (after, state.after_photos)):
        for sha in shas[:limit]:
            out.append((caption, thumbnail(photo_dir, sha)))
    return out


def _month_cases(pdf: OfficePdf, cases: list[MonthCase], words: _Words) -> None:
    pdf.section(S.BULLETIN_SECTION_MONTH_CASES.format(n=len(cases)), keep=12)
    if not cases:
        pdf.line_text(S.BULLETIN_NO_MONTH_CASES)
        return
    with pdf.table(col_widths=(22, 24, 34, 38, 22, 22, 18), **table_style()) as table:
        head = table.row()
        for text in S.BULLETIN_MONTH_CASES_HEAD:
            head.cell(text)
        for m in cases:
            row = table.row()
            row.cell(case_ref(m.case_id))
            row.cell(words.category(m.category))
            row.cell(words.source(m.source))
            row.cell(m.label or S.NO_PLACE)
            row.cell(words.day(m.found))
            row.cell(words.day(m.deadline))
            status = {RECTIFIED: S.STATUS_RECTIFIED, VOIDED: S.EXPORT_STATUS["voided"]}.get(m.lifecycle,
                                                                                       S.EXPORT_STATUS["open"])
            row.cell(status, style=None if m.lifecycle != OPEN else FontFace(family=FONT, color=OVERDUE))
    pdf.ln(1)
    pdf.line_text(S.BULLETIN_MONTH_STATUS_NOTE, size=9, colour=MUTED)


# --- the pack ---------------------------------------------------------------------------------------


def main_file_name(period: Period) -> str:
    return S.BULLETIN_FILE_MAIN.format(period=period.name)


def community_file_name(period: Period, community: str, volume: int, volumes_: int) -> str:
    suffix = S.BULLETIN_FILE_VOLUME.format(n=volume) if volumes_ > 1 else ""
    return S.BULLETIN_FILE_COMMUNITY.format(period=period.name, community=community, volume=suffix)


def pack_file_name(period: Period) -> str:
    return S.BULLETIN_PACK_FILE.format(period=period.name)


def write_pack(store, rules: Rules, period: Period, photo_dir, sink: Callable[[str, bytes], None], *, today: date,
               result: sc.YearScore | None = None, per_file: int = MAX_CASES_PER_FILE) -> list[str]:
    """Write the sub-district's PDF and each community's (volumes if large) through `sink`, one at a
    time; returns the file names in order."""
    if result is None:
        result = sc.score_year(rules, store.events(), period.at)
    names = _names(store)
    scores = month_scores(store, period)
    cases = month_cases(store, rules, period)
    written = [main_file_name(period)]
    sink(written[0], main_pdf(result, rules, period, today, month_scores=scores, month_cases=cases))
    for c in result.communities:
        count = volumes(c, per_file)
        for volume in range(1, count + 1):
            name = community_file_name(period, c.name, volume, count)
            sink(name, community_pdf(store, c, result, rules, period, today, photo_dir, names=names, volume=volume,
                                     per_file=per_file, month_cases=cases))  # fmt: skip
            written.append(name)
    return written
