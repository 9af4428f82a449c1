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
from typing import Any

from fieldapp.domain import scoring as sc
from fieldapp.domain.rules import Rules
from fieldapp.ui import strings as S

Q2 = Decimal("0.01")

# The readings the scores rest on (assessment-rules.md, docs/scoring.md): shown in every report.
READINGS = (
    "综合得分 = 上级考核×40% + 本办考核×20% + 群众满意度×40%;最终得分 = 综合得分 − 扣分 + 加分,不设上限和下限。",
    "上级考核取有分数的月份的平均分,本办考核取各次考核的平均分;缺少的月份在报告中列出。",
    "群众满意度 = 答“满意”或“基本满意”的人数 ÷ 受访总人数 × 100(手机问卷与纸质汇总合计)。",
    "某一项没有任何数据时按 0 分计入综合得分,并在说明中标出(方案对此没有规定)。",
    "A、B、E 类案件经核查属实后才扣分,未核实的不计分并列出;C、D 类登记即计。",
    "整改期限以当地时间(北京时间)期限当天 24 时为止:期限前有一次复查“整改到位”即为按期整改,"
    "之前的“未整改到位”不影响;期限过后仍无“整改到位”的,加扣一次(不按天累计)。",
    "案件计入其登记(发现)时间所在的年度;期限在评分日之后的案件暂不加扣,列为“期限未到”。",
    "A、B 类案件确因特殊情况无法整改、经办公室标记免于加扣的,只扣基础分,并列出理由。",
    "作废的案件不计分。经办公室确认的“同一问题再次出现”每次扣 2 分,另按该案件本身的类别计分;"
    "一个案件同时被认定为多个旧案的再次出现时,只算一次;旧案已作废的不扣。",
    "加分按事件计:中央媒体/全国表彰 +5,省级 +3,市级 +1;省领导/省整治办表扬 +3,市级 +2,区级 +1。",
    "最终得分保留两位小数(四舍五入)后排名;得分相同者名次相同(如 1、2、2、4)。",
    "评分日之后日期的记录(月份、考核、问卷、加分)不计入,并在说明中注明条数。",
)

# Fixed words and headers live in fieldapp/ui/strings.py (REPORT_*), beside the dashboard's.
SOURCE_WORDS = S.REPORT_SOURCE_WORDS
REASON_WORDS = S.REPORT_REASON_WORDS  # keyed by scoring's R_* codes
COMPONENT_WORDS = S.REPORT_COMPONENT_WORDS


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
    if item.kind == sc.BONUS:
        try:
            return f"{item.rule} {rules.bonus(item.rule).name}"
        except KeyError:
            return item.rule
    if item.rule == "recurrence":
        return "同一问题再次出现"
    source, _, part = item.rule.partition(".")
    return f"{source}类 {SOURCE_WORDS.get(part, part)}"


def reason_text(item: sc.LineItem, rules: Rules) -> str:
    if item.reason == sc.R_RECTIFIED_LATE and item.rectified_at is not None:
        return f"期限 {item.deadline},{item.rectified_at.astimezone(rules.tz).date()} 才整改到位"
    if item.reason == sc.R_NOT_RECTIFIED:
        return f"期限 {item.deadline} 已过,未整改到位"
    if item.reason == sc.R_RECURRENCE:
        return "同一问题再次出现,前案 " + "、".join(short(e) for e in item.earlier)
    if item.reason == sc.R_AWARDED:
        return item.label
    return REASON_WORDS.get(item.reason, item.reason)


def short(case_id: str | None) -> str:
    return (case_id or "")[:8]


def note_text(note: sc.Note, names: dict[str, str]) -> str:
    d = note.detail
    case = f"案件 {short(note.case_id)}" if note.case_id else ""
    return {
        sc.N_NO_DATA: f"{COMPONENT_WORDS.get(d, d)}没有数据,按 0 分计",
        sc.N_MONTHS_MISSING: f"上级考核缺少月份:{d.replace(',', '、')}(按已有月份平均)",
        sc.N_MONTH_REENTERED: f"上级考核 {d.split('×')[0]} 录入了 {d.split('×')[-1]} 次,以最后一次为准",
        sc.N_AFTER_EVALUATION: f"{d} 条记录日期在评分日之后,未计入",
        sc.N_PENDING: f"{case}:整改期限 {d} 未到,暂不加扣",
        sc.N_EXEMPTED: f"{case}:确因特殊情况无法整改,免于加扣(理由:{d})",
        sc.N_EXEMPTION_IGNORED: f"{case}:{d} 类案件不适用免于加扣,已忽略",
        sc.N_UNVERIFIED: f"{case}:{d} 类案件尚未核实,不计分",
        sc.N_VOIDED: f"{case}:已作废,不计分(理由:{d})",
        sc.N_RECURRENCE_OF_VOIDED: f"{case}:所认定的前案 {short(d)} 已作废,不按再次出现扣分",
        sc.N_RECURRENCE_LINKS: f"{case}:同时被认定为 {len(d.split(','))} 个旧案的再次出现,只扣一次",
        sc.N_UNKNOWN_SOURCE: f"{case}:未知案件类别 {d},不计分",
        sc.N_UNKNOWN_COMMUNITY: f"有记录属于规则中没有的社区 {d.split('×')[0]}({d.split('×')[-1]} 条),未计入",
        sc.N_ORPHAN_EVENTS: f"{d} 个案件只有后续记录、缺少登记记录(可能尚未同步),未计入",
        sc.N_TIE: "得分相同、名次并列:第 {} 名 {}".format(
            d.split(":")[0], "、".join(names.get(c, c) for c in d.split(": ")[-1].split(","))
        ),
        sc.N_NO_FUND_ROSTER: "尚未录入奖惩基金名单",
        sc.N_UNKNOWN_FUND_ROLE: f"奖惩基金名单中有规则中没有的角色 {d},未计入",
    }.get(note.code, f"{note.code} {d}")


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
            f"{fmt(c.superior.value)} ({c.superior.count}个月)", f"{fmt(c.office.value)} ({c.office.count}次)",
            f"{fmt(c.satisfaction.value)} ({c.satisfaction.count}人)", fmt(c.composite),
            fmt(c.deduction_total, places=False), signed(c.bonus_total), fmt(c.final),
        ])  # fmt: skip
    widths = [max(_width(r[i]) for r in [head, *rows]) for i in range(len(head))]
    right = {0, 2, 3, 4, 5, 6, 7, 8}
    lines = [
        f"{result.title}",
        f"{result.year} 年度社区考核排名  评分日 {result.evaluation_day}(北京时间,截至当日 24 时)",
        "",
        "  ".join(_pad(h, widths[i], i in right) for i, h in enumerate(head)),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(_pad(v, widths[i], i in right) for i, v in enumerate(r)) for r in rows]
    lines.append("")
    for c in result.communities:
        n_ded, n_bonus = len(c.deductions), len(c.bonuses)
        lines.append(f"{c.name}: 扣分 {n_ded} 项 {fmt(c.deduction_total, places=False)},加分 {n_bonus} 项 {signed(c.bonus_total)}")
        for note in _summarised(c.notes):
            lines.append(f"  · {note}")
    if result.notes:
        lines.append("")
        lines += [f"· {note_text(n, names)}" for n in result.notes]
    if result.fund is not None:
        f = result.fund
        lines.append("")
        lines.append(f"奖惩基金:责任金 {fmt(f.deposits, False)} 元 + 办事处匹配 {fmt(f.match, False)} 元 = {fmt(f.total, False)} 元")
    lines.append("")
    lines.append("明细:--xlsx 导出报表(每个社区一张表),或 --json。")
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
    words = {
        sc.N_PENDING: "期限未到、暂不加扣",
        sc.N_UNVERIFIED: "尚未核实、不计分",
        sc.N_EXEMPTED: "免于加扣",
        sc.N_VOIDED: "已作废",
        sc.N_EXEMPTION_IGNORED: "免于加扣不适用、已忽略",
        sc.N_RECURRENCE_OF_VOIDED: "前案已作废、不按再次出现扣分",
        sc.N_RECURRENCE_LINKS: "多个前案、只扣一次",
        sc.N_UNKNOWN_SOURCE: "未知案件类别",
    }
    out += [f"{words.get(code, code)}的案件 {n} 件" for code, n in per_case.items()]
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
        "text": f"{rule_text(item, rules)}:{reason_text(item, rules)}",
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


def write_xlsx(result: sc.YearScore, rules: Rules, path: str | Path) -> Path:
    """排名 (ranking), one sheet per community with its line items, 奖惩基金, 说明."""
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
    ws.append([f"{result.year} 年度社区考核排名,评分日 {result.evaluation_day}(北京时间,截至当日 24 时)"])
    ws.append([])
    header(ws, list(S.REPORT_RANKING_HEAD))
    for c in result.communities:
        ws.append([
            c.rank, c.name, _num(c.superior.value), c.superior.count, _num(c.office.value), c.office.count,
            _num(c.satisfaction.value), c.satisfaction.count, _num(c.composite), _num(c.deduction_total, False),
            _num(c.bonus_total, False), _num(c.final), "是" if c.tied else "",
        ])  # fmt: skip
        for cell in ws[ws.max_row][2:12]:
            cell.number_format = "0.00" if cell.column in (3, 5, 7, 9, 12) else "0" if cell.column in (4, 6, 8) else "0.0#"
    widths(ws, [6, 14, 10, 6, 10, 6, 11, 9, 10, 8, 8, 10, 6])
    ws.freeze_panes = "A5"

    used_titles = {S.REPORT_SHEET_RANKING, S.REPORT_SHEET_FUND, S.REPORT_SHEET_NOTES}
    for c in result.communities:
        title = _sheet_title(c.name, used_titles)
        cs = wb.create_sheet(title)
        cs.append([f"{c.name}({c.code}) 第 {c.rank} 名{'(并列)' if c.tied else ''}  最终得分 {fmt(c.final)}"])
        cs["A1"].font = Font(bold=True, size=13)
        cs.append([])
        header(cs, list(S.REPORT_SUMMARY_HEAD))
        cs.append(["上级考核", _num(c.superior.value), f"{c.superior.count} 个月的平均分"
                   + (f";缺 {'、'.join(c.superior.missing)}" if c.superior.missing else ""), _num(rules.weights.superior, False)])  # fmt: skip
        cs.append(["本办考核", _num(c.office.value), f"{c.office.count} 次考核的平均分", _num(rules.weights.office, False)])
        cs.append(["群众满意度", _num(c.satisfaction.value),
                   f"{c.satisfaction.count} 人受访,{c.satisfaction.satisfied} 人满意或基本满意", _num(rules.weights.satisfaction, False)])  # fmt: skip
        cs.append(["综合得分", _num(c.composite), "上级×40% + 本办×20% + 满意度×40%"])
        cs.append(["扣分合计", _num(c.deduction_total, False), f"{len(c.deductions)} 项,见下表"])
        cs.append(["加分合计", _num(c.bonus_total, False), f"{len(c.bonuses)} 项,见下表"])
        cs.append(["最终得分", _num(c.final), "综合得分 + 扣分合计 + 加分合计"])
        cs.append([])
        header(cs, list(S.REPORT_ITEMS_HEAD))
        for item in (*c.deductions, *c.bonuses):
            cs.append([
                "扣分" if item.kind == sc.DEDUCTION else "加分", _num(item.points, False), rule_text(item, rules),
                reason_text(item, rules), item.on.isoformat() if item.on else "",
                item.deadline.isoformat() if item.deadline else "",
                f"案件 {short(item.case_id)}" if item.case_id else f"事件 {short(item.event_id)}",
                item.label, item.case_id or item.event_id,
            ])  # fmt: skip
            cs.cell(cs.max_row, 2).number_format = "+0.0#;-0.0#;0"
        if c.notes:
            cs.append([])
            header(cs, list(S.REPORT_NOTES_HEAD))
            for note in c.notes:
                cs.append([note_text(note, names), "", "", "", "", "", short(note.case_id), "", note.case_id or ""])
        widths(cs, [10, 8, 26, 34, 12, 12, 14, 30, 38])

    if result.fund is not None:
        fs = wb.create_sheet(S.REPORT_SHEET_FUND)
        header(fs, list(S.REPORT_FUND_HEAD))
        for line in result.fund.lines:
            fs.append([line.name, _num(line.deposit, False), len(line.people), _num(line.amount, False), "、".join(line.people)])
        fs.append(["责任金合计", None, None, _num(result.fund.deposits, False)])
        fs.append([f"办事处匹配(1:{fmt(result.fund.match_ratio, False)})", None, None, _num(result.fund.match, False)])
        fs.append(["基金总额", None, None, _num(result.fund.total, False)])
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
    ns.append([f"生成时间 {datetime.now().astimezone().isoformat(timespec='seconds')};评分时刻 {result.evaluated_at.isoformat()}"])
    widths(ns, [120])
    wb.save(path)
    return path


def _sheet_title(name: str, used: set[str]) -> str:
    """A valid, unique sheet title (≤ 31 characters, none of []:*?/\\)."""
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:28] or "社区"
    title, n = base, 2
    while title in used:
        title, n = f"{base}{n}", n + 1
    used.add(title)
    return title
