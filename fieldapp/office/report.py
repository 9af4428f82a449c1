"""The year's scores for people: a text table, a JSON structure, an .xlsx report (Chinese).

Numbers: components, composite and final are shown rounded to 0.01 (half up);
deductions and bonuses exactly as the rules give them (−0.1, −2, +1). In JSON
every number is a **string** holding a decimal (``"84.90"``, ``"-0.1"``), so
nothing is lost to binary floating point; counts are integers.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Callable

from fieldapp.domain import scoring as sc
from fieldapp.domain.rules import Rules
from fieldapp.office import words as S

Q2 = Decimal("0.01")

# Words, headers and sentences live in fieldapp/office/words.py (REPORT_*), beside the dashboard's.
READINGS = S.REPORT_READINGS  # the readings the scores rest on: shown in every report
SOURCE_WORDS = S.REPORT_SOURCE_WORDS
REASON_WORDS = S.REPORT_REASON_WORDS  # keyed by scoring's R_* codes
COMPONENT_WORDS = S.REPORT_COMPONENT_WORDS
NOTE_TEXTS = S.REPORT_NOTE_TEXTS  # keyed by scoring's N_* codes


def fmt(value: Decimal | None, places: bool = True) -> str:
    """A decimal for people: rounded to 0.01 (components, finals) or exact (points)."""
    if value is None:
        return "—"
    if places:
        return str(value.quantize(Q2, ROUND_HALF_UP))
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def signed(value: Decimal) -> str:
    text = fmt(value, places=False)
    return text if text.startswith("-") or value == 0 else "+" + text


def rule_text(item: sc.LineItem, rules: Rules) -> str:
    """A line item's rule in the plan's words: a source or bonus by its name in the rules,
    never by its letter or code (the code only where the rules no longer know it)."""
    if item.kind == sc.BONUS:
        try:
            return rules.bonus(item.rule).name
        except KeyError:
            return item.rule
    if item.rule == "recurrence":
        return REASON_WORDS[sc.R_RECURRENCE]
    source, _, part = item.rule.partition(".")
    try:
        source = rules.source(source).name
    except KeyError:
        pass
    return S.REPORT_RULE.format(source=source, part=SOURCE_WORDS.get(part, part))


def reason_text(item: sc.LineItem, rules: Rules) -> str:
    if item.reason == sc.R_RECTIFIED_LATE and item.rectified_at is not None:
        return S.REPORT_RECTIFIED_LATE.format(deadline=item.deadline, day=item.rectified_at.astimezone(rules.tz).date())
    if item.reason == sc.R_NOT_RECTIFIED:
        return S.REPORT_NOT_RECTIFIED.format(deadline=item.deadline)
    if item.reason == sc.R_RECURRENCE:
        return S.REPORT_RECURRENCE_OF.format(earlier=S.LIST_SEPARATOR.join(short(e) for e in item.earlier))
    if item.reason == sc.R_AWARDED:
        return item.label
    return REASON_WORDS.get(item.reason, item.reason)


def marks_text(marks) -> str:
    """Evidence marks in words (fieldapp.domain.evidence codes), "" for none."""
    return S.LIST_SEPARATOR.join(S.EVIDENCE_MARKS.get(m, S.EVIDENCE_MARK_OTHER) for m in marks)


def item_text(item: sc.LineItem, rules: Rules) -> str:
    """A line item in one sentence: rule, reason, and its case's evidence marks if any."""
    text = f"{rule_text(item, rules)}:{reason_text(item, rules)}"
    return text + S.PARENS.format(text=S.EVIDENCE_CASE_LINE.format(marks=marks_text(item.marks))) if item.marks else text


def short(case_id: str | None) -> str:
    return (case_id or "")[:8]


def case_ref(case_id: str | None, label: str = "") -> str:
    ref = S.REPORT_CASE_REF.format(id=short(case_id))
    return S.REPORT_CASE_REF_LABELLED.format(ref=ref, label=label) if label else ref


def note_text(note: sc.Note, names: dict[str, str]) -> str:
    template = NOTE_TEXTS.get(note.code)
    if template is None:
        return f"{note.code} {note.detail}"
    d = str(note.detail)  # its form by code: see the N_* codes in fieldapp/domain/scoring.py
    left, right = d.split("×")[0], d.split("×")[-1]  # "2022-03×2", "C9×3"
    return template.format(
        case=case_ref(note.case_id, note.label) if note.case_id else "",
        detail=d,
        component=COMPONENT_WORDS.get(d, d),
        months=d.replace(",", S.LIST_SEPARATOR),
        month=left, times=right, community=left, n=right,
        earlier=short(d),
        links=len(d.split(",")),
        rank=d.split(":")[0],  # "2: C2,C3"
        reported=d.split("|")[0], age=d.split("|")[-1],  # "2022-06-10|3"
        names=S.LIST_SEPARATOR.join(names.get(c, c) for c in d.split(": ")[-1].split(",")),
        marks=marks_text(d.split(",")),
        fault=S.RECURRENCE_FAULTS.get(d.split("|")[-1], d.split("|")[-1]),  # "earlier id|fault"
    )  # fmt: skip


# --- text table -----------------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def format_table(result: sc.YearScore, rules: Rules) -> str:
    """The ranking as a readable table, then what the numbers rest on."""
    names = {c.code: c.name for c in rules.communities}
    head = list(S.REPORT_TABLE_HEAD)
    rows = []
    for c in result.communities:
        rows.append([
            f"{c.rank}{'=' if c.tied else ''}", c.name,
            f"{fmt(c.superior.value)} ({S.DASH_MONTHS.format(n=c.superior.count)})",
            f"{fmt(c.office.value)} ({S.DASH_TIMES.format(n=c.office.count)})",
            f"{fmt(c.satisfaction.value)} ({S.DASH_PEOPLE.format(n=c.satisfaction.count)})", fmt(c.composite),
            fmt(c.deduction_total, places=False), signed(c.bonus_total), fmt(c.final),
        ])  # fmt: skip
    widths = [max(_width(r[i]) for r in [head, *rows]) for i in range(len(head))]
    right = {0, 2, 3, 4, 5, 6, 7, 8}
    lines = [
        f"{result.title}",
        S.REPORT_SUBTITLE.format(year=result.year, day=result.evaluation_day),
        "",
        "  ".join(_pad(h, widths[i], i in right) for i, h in enumerate(head)),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(_pad(v, widths[i], i in right) for i, v in enumerate(r)) for r in rows]
    lines.append("")
    for c in result.communities:
        lines.append(S.REPORT_TABLE_ITEMS.format(
            name=c.name, deductions=len(c.deductions), deduction_total=fmt(c.deduction_total, places=False),
            bonuses=len(c.bonuses), bonus_total=signed(c.bonus_total),
        ))  # fmt: skip
        for note in _summarised(c.notes):
            lines.append(f"  · {note}")
    if result.notes:
        lines.append("")
        lines += [f"· {note_text(n, names)}" for n in result.notes]
    if result.fund is not None:
        f = result.fund
        lines.append("")
        lines.append(S.REPORT_TABLE_FUND.format(deposits=fmt(f.deposits, False), match=fmt(f.match, False),
                                                total=fmt(f.total, False)))  # fmt: skip
    lines.append("")
    lines.append(S.REPORT_TABLE_MORE)
    return "\n".join(lines)


def _summarised(notes: tuple[sc.Note, ...]) -> list[str]:
    """Per-case notes counted by kind (the table stays short); the others in full."""
    per_case: dict[str, int] = {}
    out = []
    for note in notes:
        if note.case_id is None:
            out.append(note_text(note, {}))
        else:
            per_case[note.code] = per_case.get(note.code, 0) + 1
    out += [S.REPORT_CASES_OF_KIND.format(kind=S.REPORT_NOTE_KINDS.get(code, code), n=n) for code, n in per_case.items()]
    return out


# --- JSON ----------------------------------------------------------------------------------------------


def _d(value: Decimal | None, places: bool = True) -> str | None:
    if value is None:
        return None
    return str(value.quantize(Q2, ROUND_HALF_UP)) if places else fmt(value, places=False)


def _component(c: sc.Component, name: str) -> dict:
    out = {"value": _d(c.value), "used": _d(c.used), "count": c.count}
    if name == "superior":
        out["missing_months"] = list(c.missing)
    if name == "satisfaction":
        out["satisfied"] = c.satisfied
    return out


def _item(item: sc.LineItem, rules: Rules) -> dict:
    return {
        "kind": item.kind,
        "rule": item.rule,
        "points": _d(item.points, places=False),
        "case_id": item.case_id,
        "event_id": item.event_id,
        "reason": item.reason,
        "source": item.source,
        "date": item.on.isoformat() if item.on else None,
        "deadline": item.deadline.isoformat() if item.deadline else None,
        "rectified_at": item.rectified_at.isoformat() if item.rectified_at else None,
        "earlier": list(item.earlier),
        "label": item.label,
        "marks": list(item.marks),
        "by": item.by,
        "text": item_text(item, rules),
    }


def _note(note: sc.Note, names: dict[str, str]) -> dict:
    return {"code": note.code, "community": note.community, "case_id": note.case_id, "detail": note.detail,
            "text": note_text(note, names)}  # fmt: skip


def to_json(result: sc.YearScore, rules: Rules) -> dict[str, Any]:
    """The whole result as JSON-ready data (decimals as strings; see the module docstring)."""
    names = {c.code: c.name for c in rules.communities}
    fund = None
    if result.fund is not None:
        f = result.fund
        fund = {
            "roles": [{"role": x.role, "name": x.name, "deposit": _d(x.deposit, False), "people": list(x.people),
                       "amount": _d(x.amount, False)} for x in f.lines],  # fmt: skip
            "deposits": _d(f.deposits, False), "match_ratio": _d(f.match_ratio, False), "match": _d(f.match, False),
            "total": _d(f.total, False), "event_id": f.event_id,
        }  # fmt: skip
    return {
        "year": result.year,
        "title": result.title,
        "evaluated_at": result.evaluated_at.isoformat(),
        "evaluation_day": result.evaluation_day.isoformat(),
        "weights": {k: _d(getattr(rules.weights, k), False) for k in ("superior", "office", "satisfaction")},
        "ranking": [
            {
                "rank": c.rank,
                "tied": c.tied,
                "community": c.code,
                "name": c.name,
                "superior": _component(c.superior, "superior"),
                "office": _component(c.office, "office"),
                "satisfaction": _component(c.satisfaction, "satisfaction"),
                "composite": _d(c.composite),
                "deduction_total": _d(c.deduction_total, False),
                "bonus_total": _d(c.bonus_total, False),
                "final": _d(c.final),
                "deductions": [_item(i, rules) for i in c.deductions],
                "bonuses": [_item(i, rules) for i in c.bonuses],
                "notes": [_note(n, names) for n in c.notes],
            }
            for c in result.communities
        ],
        "fund": fund,
        "notes": [_note(n, names) for n in result.notes],
        "readings": list(READINGS),
    }


# --- xlsx -------------------------------------------------------------------------------------------------


def _num(value: Decimal | None, places: bool = True):
    """A cell value: Decimal, rounded like the text; openpyxl writes it as a number."""
    if value is None:
        return None
    return value.quantize(Q2, ROUND_HALF_UP) if places else value


def write_xlsx(result: sc.YearScore, rules: Rules, path: str | Path,
               people: Callable[[str], str] = str) -> Path:
    """排名 (ranking), one sheet per community with its line items, 奖惩基金, 说明.

    `people` names whoever registered a case or entered a bonus from their actor id (the
    office's directory, `Names.of_office`): the 登记人 column shows people, not ids."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    names = {c.code: c.name for c in rules.communities}
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")

    def header(ws, row: list[str]):
        ws.append(row)
        for cell in ws[ws.max_row]:
            cell.font, cell.fill, cell.alignment = bold, fill, Alignment(horizontal="center", wrap_text=True)

    def widths(ws, values: list[int]):
        from openpyxl.utils import get_column_letter

        for i, w in enumerate(values, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w

    wb = Workbook()
    ws = wb.active
    ws.title = S.REPORT_SHEET_RANKING
    ws.append([result.title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([S.REPORT_SUBTITLE.format(year=result.year, day=result.evaluation_day)])
    ws.append([])
    header(ws, list(S.REPORT_RANKING_HEAD))
    for c in result.communities:
        ws.append([
            c.rank, c.name, _num(c.superior.value), c.superior.count, _num(c.office.value), c.office.count,
            _num(c.satisfaction.value), c.satisfaction.count, _num(c.composite), _num(c.deduction_total, False),
            _num(c.bonus_total, False), _num(c.final), S.REPORT_TIED_YES if c.tied else "",
        ])  # fmt: skip
        for cell in ws[ws.max_row][2:12]:
            cell.number_format = "0.00" if cell.column in (3, 5, 7, 9, 12) else "0" if cell.column in (4, 6, 8) else "0.0#"
    widths(ws, [6, 14, 10, 6, 10, 6, 11, 9, 10, 8, 8, 10, 6])
    ws.freeze_panes = "A5"

    used_titles = {S.REPORT_SHEET_RANKING, S.REPORT_SHEET_FUND, S.REPORT_SHEET_NOTES}
    for c in result.communities:
        title = _sheet_title(c.name, used_titles)
        cs = wb.create_sheet(title)
        cs.append([S.REPORT_COMMUNITY_LINE.format(name=c.name, code=c.code, rank=c.rank, final=fmt(c.final),
                                                  tied=S.REPORT_TIED_MARK if c.tied else "")])  # fmt: skip
        cs["A1"].font = Font(bold=True, size=13)
        cs.append([])
        header(cs, list(S.REPORT_SUMMARY_HEAD))
        missing = S.REPORT_SUPERIOR_MISSING.format(months=S.LIST_SEPARATOR.join(c.superior.missing))
        cs.append([COMPONENT_WORDS["superior"], _num(c.superior.value),
                   S.REPORT_SUPERIOR_BASIS.format(n=c.superior.count) + (missing if c.superior.missing else ""),
                   _num(rules.weights.superior, False)])  # fmt: skip
        cs.append([COMPONENT_WORDS["office"], _num(c.office.value), S.REPORT_OFFICE_BASIS.format(n=c.office.count),
                   _num(rules.weights.office, False)])  # fmt: skip
        cs.append([COMPONENT_WORDS["satisfaction"], _num(c.satisfaction.value),
                   S.REPORT_SATISFACTION_BASIS.format(n=c.satisfaction.count, satisfied=c.satisfaction.satisfied),
                   _num(rules.weights.satisfaction, False)])  # fmt: skip
        cs.append([S.DASH_COL_COMPOSITE, _num(c.composite), S.REPORT_COMPOSITE_BASIS])
        cs.append([S.REPORT_DEDUCTION_TOTAL, _num(c.deduction_total, False), S.REPORT_ITEMS_BASIS.format(n=len(c.deductions))])
        cs.append([S.REPORT_BONUS_TOTAL, _num(c.bonus_total, False), S.REPORT_ITEMS_BASIS.format(n=len(c.bonuses))])
        cs.append([S.DASH_COL_FINAL, _num(c.final), S.REPORT_FINAL_BASIS])
        cs.append([])
        header(cs, list(S.REPORT_ITEMS_HEAD))
        row = cs.max_row  # counted here: max_row scans every cell, once per line it was quadratic
        for item in (*c.deductions, *c.bonuses):
            cs.append([
                S.DASH_DEDUCTION if item.kind == sc.DEDUCTION else S.DASH_BONUS, _num(item.points, False), rule_text(item, rules),
                reason_text(item, rules), item.on.isoformat() if item.on else "",
                item.deadline.isoformat() if item.deadline else "",
                case_ref(item.case_id) if item.case_id else S.REPORT_EVENT_REF.format(id=short(item.event_id)),
                item.label, people(item.by) if item.by else "", item.case_id or item.event_id, marks_text(item.marks),
            ])  # fmt: skip
            row += 1
            cs.cell(row, 2).number_format = "+0.0#;-0.0#;0"
        if c.notes:
            cs.append([])
            header(cs, list(S.REPORT_NOTES_HEAD))
            for note in c.notes:
                cs.append([note_text(note, names), "", "", "", "", "", short(note.case_id), "", "", note.case_id or ""])
        widths(cs, [10, 8, 30, 34, 12, 12, 14, 30, 10, 38, 24])

    if result.fund is not None:
        fs = wb.create_sheet(S.REPORT_SHEET_FUND)
        header(fs, list(S.REPORT_FUND_HEAD))
        for line in result.fund.lines:
            fs.append([line.name, _num(line.deposit, False), len(line.people), _num(line.amount, False),
                       S.LIST_SEPARATOR.join(line.people)])  # fmt: skip
        fs.append([S.DASH_FUND_DEPOSITS, None, None, _num(result.fund.deposits, False)])
        fs.append([S.REPORT_FUND_MATCH.format(ratio=fmt(result.fund.match_ratio, False)), None, None, _num(result.fund.match, False)])
        fs.append([S.DASH_FUND_TOTAL, None, None, _num(result.fund.total, False)])
        widths(fs, [22, 10, 6, 12, 40])

    ns = wb.create_sheet(S.REPORT_SHEET_NOTES)
    header(ns, list(S.REPORT_READINGS_HEAD))
    for reading in READINGS:
        ns.append([reading])
    if result.notes:
        ns.append([])
        header(ns, list(S.REPORT_OTHER_NOTES_HEAD))
        for note in result.notes:
            ns.append([note_text(note, names)])
    ns.append([])
    ns.append([S.REPORT_GENERATED.format(now=datetime.now().astimezone().isoformat(timespec="seconds"),
                                         at=result.evaluated_at.isoformat())])  # fmt: skip
    widths(ns, [120])
    wb.save(path)
    return path


def _sheet_title(name: str, used: set[str]) -> str:
    """A valid, unique sheet title (≤ 31 characters, none of []:*?/\\)."""
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:28] or S.COMMUNITY
    title, n = base, 2
    while title in used:
        title, n = f"{base}{n}", n + 1
    used.add(title)
    return title
