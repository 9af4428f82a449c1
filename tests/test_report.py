"""The year's report: the text table, the JSON structure and the .xlsx workbook, checked by reading them back."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from fieldapp.domain import scoring
from fieldapp.domain.scoring import end_of_day, score_year
from fieldapp.office import report
from fieldapp.office.report import format_table, note_text, to_json, write_xlsx
from fieldapp.office import words as S
from tests.scoring_helpers import SH, Log, local, worked_example

YEAR_END = datetime(2023, 1, 1, tzinfo=SH)


def example(rules):
    """The worked example for C1, plus C2/C3 tied and an empty C4, and a fund roster."""
    log, ids = worked_example()
    log.components("C2", superior=80, office=(80,), counts={"满意": 8, "不满意": 2})
    log.components("C3", superior=80, office=(80,), counts={"满意": 8, "不满意": 2})
    unverified = log.case("C2", "B", found=local(2022, 5, 1), deadline=date(2022, 5, 8), place="西街菜场")
    ids["unverified"] = unverified
    log.roster(2022, {"office_secretary": ["王某"], "section_member": ["李某", "张某"]})
    return score_year(rules, log.events, YEAR_END), ids


def _number(value) -> Decimal:
    return Decimal(str(value))


def test_xlsx_ranking_sheet_has_the_numbers(rules, tmp_path):
    result, _ = example(rules)
    path = write_xlsx(result, rules, tmp_path / "out" / "报表.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["排名", "第一社区", "第二社区", "第三社区", "第四社区", "奖惩基金", "说明"]
    ws = wb["排名"]
    header = [c.value for c in ws[4]]
    assert header == ["名次", "社区", "上级考核", "月数", "本办考核", "次数", "群众满意度", "受访人数",
                      "综合得分", "扣分", "加分", "最终得分", "并列"]  # fmt: skip
    rows = {r[1]: r for r in ws.iter_rows(min_row=5, values_only=True)}
    c1 = rows["第一社区"]
    assert c1[0] == 1 and [_number(v) for v in c1[2:12]] == [
        Decimal(90), 12, Decimal(85), 3, Decimal(90), 200, Decimal("89"), Decimal("-6.1"), Decimal(2), Decimal("84.9")
    ]  # fmt: skip
    assert rows["第二社区"][0] == rows["第三社区"][0] == 2 and rows["第二社区"][12] == rows["第三社区"][12] == "是"
    assert rows["第四社区"][0] == 4 and rows["第四社区"][2] is None  # no data: blank, not 0
    assert _number(rows["第二社区"][11]) == Decimal("80")  # 0.4·80 + 0.2·80 + 0.4·80


def test_xlsx_community_sheet_lists_every_line_item(rules, tmp_path):
    result, ids = example(rules)
    wb = load_workbook(write_xlsx(result, rules, tmp_path / "r.xlsx", {"staff-1": "王某"}.get))
    ws = wb["第一社区"]
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "类别") + 1
    items = []
    for r in rows[start:]:
        if r[0] is None:
            break
        items.append(r)
    assert [(r[0], _number(r[1]), r[2]) for r in items] == [
        ("扣分", Decimal(-2), "上级领导批示、省市整治办转办、中央和省级媒体曝光（基础扣分）"),
        ("扣分", Decimal(-1), "市级媒体曝光、市民群众屡次反映未及时解决（基础扣分）"),
        ("扣分", Decimal(-1), "市级媒体曝光、市民群众屡次反映未及时解决（逾期或整改不到位加扣）"),
        ("扣分", Decimal("-0.1"), "办事处检查发现（逾期或整改不到位加扣）"),
        ("扣分", Decimal(-2), "同一问题再次出现"),
        ("加分", Decimal(1), "市级媒体集中报道或全市性表彰"),
        ("加分", Decimal(1), "区领导批示表扬、区整治办通报表扬"),
    ]
    head = rows[start - 1]
    # who registered each case or entered each bonus, by name: the office's directory names them
    assert {r[head.index("登记人")] for r in items} == {"王某"}
    assert sum(_number(r[1]) for r in items) == Decimal("-4.1")
    late = items[2]
    assert late[3] == S.REPORT_RECTIFIED_LATE.format(deadline="2022-06-10", day="2022-06-12") and late[head.index("完整 ID")] == ids["B"]
    assert items[4][3] == S.REPORT_RECURRENCE_OF.format(earlier=ids["earlier"][:8])
    summary = {r[0]: r[1] for r in rows[2:10]}
    assert _number(summary["最终得分"]) == Decimal("84.9") and _number(summary["综合得分"]) == 89
    notes = [r[0] for r in rows if isinstance(r[0], str) and "整改期限 2023-01-05 未到" in r[0]]
    assert len(notes) == 1
    c2_rows = [r[0] for r in wb["第二社区"].iter_rows(values_only=True) if r[0]]
    # a note names its case by id and by place: staff know a case by where it is
    unverified = f"案件 {ids['unverified'][:8]}（西街菜场）"
    assert S.REPORT_NOTE_TEXTS["unverified"].format(case=unverified, detail="B") in c2_rows


def test_xlsx_fund_and_readings(rules, tmp_path):
    result, _ = example(rules)
    wb = load_workbook(write_xlsx(result, rules, tmp_path / "r.xlsx"))
    fund = {r[0]: r for r in wb["奖惩基金"].iter_rows(values_only=True)}
    assert fund["城管科队员"][2] == 2 and _number(fund["城管科队员"][3]) == 600 and fund["城管科队员"][4] == "李某、张某"
    assert _number(fund["基金总额"][3]) == 2 * (500 + 600)
    readings = [r[0] for r in wb["说明"].iter_rows(values_only=True) if r[0]]
    assert all(text in readings for text in report.READINGS)
    assert any("并列" in text for text in readings)


def test_json_has_every_line_item_and_decimals_as_strings(rules):
    result, ids = example(rules)
    data = json.loads(json.dumps(to_json(result, rules), ensure_ascii=False))
    first = data["ranking"][0]
    assert first["community"] == "C1" and first["final"] == "84.90" and first["composite"] == "89.00"
    assert first["deduction_total"] == "-6.1" and first["bonus_total"] == "2"
    assert first["superior"] == {"value": "90.00", "used": "90.00", "count": 12, "missing_months": []}
    assert first["satisfaction"]["satisfied"] == 180
    assert [(i["rule"], i["points"]) for i in first["deductions"]] == [
        ("A.base", "-2"), ("B.base", "-1"), ("B.further", "-1"), ("D.further", "-0.1"), ("recurrence", "-2")
    ]  # fmt: skip
    b_late = first["deductions"][2]
    assert b_late["case_id"] == ids["B"] and b_late["reason"] == "rectified_late" and b_late["deadline"] == "2022-06-10"
    assert [(i["rule"], i["points"], i["event_id"]) for i in first["bonuses"]] == [("M3", "1", ids["M3"]), ("P3", "1", ids["P3"])]
    assert first["notes"][0]["code"] == "pending" and "2023-01-05" in first["notes"][0]["text"]
    assert [(r["community"], r["rank"], r["tied"]) for r in data["ranking"][1:]] == [("C2", 2, True), ("C3", 2, True), ("C4", 4, False)]
    assert data["ranking"][3]["office"] == {"value": None, "used": "0.00", "count": 0}
    assert data["fund"]["total"] == "2200" and data["evaluation_day"] == "2022-12-31"
    assert data["readings"] == list(report.READINGS)

    def numbers(node):
        if isinstance(node, dict):
            for v in node.values():
                yield from numbers(v)
        elif isinstance(node, list):
            for v in node:
                yield from numbers(v)
        elif isinstance(node, float):
            yield node

    assert list(numbers(data)) == []  # no binary floats anywhere


def test_text_table(rules):
    result, _ = example(rules)
    text = format_table(result, rules)
    lines = text.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith(S.REPORT_TABLE_HEAD[0]))
    table = lines[head : head + 6]
    assert [report._width(line) for line in table] == [report._width(table[0])] * 6  # columns line up
    assert "84.90" in table[2] and "第一社区" in table[2] and "-6.1" in table[2] and "+2" in table[2]
    assert table[3].lstrip().startswith("2=") and table[4].lstrip().startswith("2=")
    assert S.REPORT_SUBTITLE.format(year=2022, day="2022-12-31") in lines
    assert "· " + S.REPORT_NOTE_TEXTS["tie"].format(rank=2, names="第二社区、第三社区") in lines
    for kind in ("pending", "unverified"):
        assert "  · " + S.REPORT_CASES_OF_KIND.format(kind=S.REPORT_NOTE_KINDS[kind], n=1) in lines
    assert S.REPORT_TABLE_FUND.format(deposits=1100, match=1100, total=2200) in lines


def test_every_note_code_has_words(rules):
    codes = [v for k, v in vars(scoring).items() if k.startswith("N_")]
    assert set(S.REPORT_NOTE_TEXTS) == set(codes) and set(S.REPORT_NOTE_KINDS) <= set(codes)
    details = {"no_data": "office", "months_missing": "2022-03", "month_reentered": "2022-03×2", "tie": "2: C2,C3",
               "unknown_community": "C9×2", "recurrence_links": "a,b"}  # fmt: skip
    for code in codes:
        text = note_text(scoring.Note(code, "C1", "12345678-aaaa", details.get(code, "x")), {"C2": "第二社区"})
        assert not text.startswith(code), code


def test_a_live_view_and_sheet_titles(rules, tmp_path):
    log = Log()
    log.case(source="D", found=local(2022, 6, 1), deadline=date(2022, 6, 10))
    result = score_year(rules, log.events, end_of_day(date(2022, 6, 5), rules))
    assert S.REPORT_SUBTITLE.format(year=2022, day="2022-06-05") in format_table(result, rules)
    assert report._sheet_title("第一/社区:[x]", {"第一_社区__x_"}) == "第一_社区__x_2"
    assert report.fmt(Decimal("-0.10"), places=False) == "-0.1" and report.fmt(Decimal("2800.0"), places=False) == "2800"
    assert report.fmt(Decimal("84.905")) == "84.91" and report.signed(Decimal(0)) == "0"


def test_the_worked_example_through_the_office_store_and_the_command(rules, tmp_path):
    import argparse
    import io

    from fieldapp.commands.office_records import add_office_record_commands, open_office_store

    log, _ = worked_example()
    with open_office_store(tmp_path / "office", rules) as store:
        store.append(log.events, assign_server_seq=True)
    parser = argparse.ArgumentParser()
    add_office_record_commands(parser.add_subparsers(dest="action", required=True))
    args = parser.parse_args(["score", "--data-dir", str(tmp_path / "office"), "--as-of", "2022-12-31", "--json",
                              "--xlsx", str(tmp_path / "r.xlsx")])  # fmt: skip
    out = io.StringIO()
    assert args.handler(args, out=out) == 0
    first = json.loads(out.getvalue())["ranking"][0]
    assert (first["community"], first["final"]) == ("C1", "84.90")
    ranking = load_workbook(tmp_path / "r.xlsx")["排名"]
    assert ranking["B5"].value == "第一社区" and Decimal(str(ranking["L5"].value)) == Decimal("84.9")
