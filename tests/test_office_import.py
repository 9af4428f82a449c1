"""Office records: JSON Lines and .xlsx imports, all or nothing, every bad line/cell told."""

from __future__ import annotations

import argparse
import io
import json
import re
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from fieldapp.commands.office_records import add_office_record_commands
from fieldapp.domain import commands as cmd
from fieldapp.domain.scoring import evaluation_instant, score_year
from fieldapp.office.imports import import_file, write_templates
from fieldapp.office.records import RECORD_KINDS, RecordBuilder, RecordError, case_id_for, event_id_for
from fieldapp.office import words as S
from tests.factories import BASE_POSITION

NOW = datetime(2023, 1, 10, 2, 0, tzinfo=timezone.utc)
ACTOR = "office:wang"


def jsonl(tmp_path: Path, records, name="records.jsonl") -> Path:
    path = tmp_path / name
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records) + "\n",
        encoding="utf-8",
    )
    return path


def line(n: int) -> str:
    """Where a problem of a JSON Lines file is: 第n行."""
    return S.IMPORT_LINE.format(n=n)


def do_import(store, path, **kw):
    return import_file(store, path, actor=ACTOR, now=NOW, **kw)


CASE_A = {
    "record": "external_case", "case": "2022-A-001", "community": "C1", "category": "Z1", "source": "A",
    "description": "省电视台曝光:北街垃圾堆积", "place": "北街 12 号", "found": "2022-06-03", "deadline": "2022-06-10",
    "verified": True, "verified_note": "现场核查属实",
    "rechecks": [{"at": "2022-06-08", "outcome": "未整改到位"}, {"at": "2022-06-12T10:00", "outcome": "整改到位"}],
}  # fmt: skip

ALL_KINDS = [
    {"record": "superior_score", "community": "C1", "month": "2022-03", "score": 91.5},
    {"record": "superior_score", "community": "第二社区", "month": "2022-3", "score": "88"},
    {"record": "office_assessment", "community": "C1", "date": "2022-04-10", "score": 85},
    CASE_A,
    {"record": "external_case", "case": "2022-B-007", "community": "C1", "category": "暴露垃圾", "source": "B",
     "description": "市民多次反映", "found": "2022-07-01"},  # fmt: skip
    {"record": "case_verified", "case": "2022-B-007", "note": "属实"},
    {"record": "case_exempted", "case": "2022-B-007", "reason": "拆迁范围内,确因特殊情况无法整改"},
    {"record": "deadline_changed", "case": "2022-B-007", "deadline": "2022-07-20", "reason": "汛期"},
    {"record": "case_rechecked", "case": "2022-B-007", "at": "2022-07-15", "outcome": "rectified"},
    {"record": "external_case", "case": "2022-C-003", "community": "C2", "category": "L3", "source": "C",
     "description": "占道经营", "found": "2022-08-01", "voided": "重复登记"},  # fmt: skip
    {"record": "external_case", "case": "2022-C-004", "community": "C1", "category": "Z1", "source": "C",
     "description": "同一处又有垃圾", "place": "北街 12 号", "found": "2022-09-01"},  # fmt: skip
    {"record": "recurrence", "case": "2022-C-004", "earlier": "2022-A-001"},
    {"record": "bonus", "community": "C1", "code": "M3", "date": "2022-05-18", "description": "市电视台报道"},
    {"record": "survey_tally", "community": "C1", "date": "2022-11-20", "counts": {"满意": 150, "基本满意": 30, "不满意": 20}},
    {"record": "fund_roster", "year": 2022, "roster": {"办事处书记": ["王某"], "section_member": "李某、张某"}},
]


def test_every_record_kind_imports_as_office_events(store, rules, tmp_path):
    report = do_import(store, jsonl(tmp_path, ALL_KINDS))
    assert report.ok and report.imported, report.summary()
    assert report.records == len(ALL_KINDS)
    events = list(store.events())
    assert len(events) == report.new == 19
    assert {e.actor for e in events} == {ACTOR} and {e.device for e in events} == {"office"}
    a = store.case(case_id_for("2022-A-001"))
    assert a.verified and a.source == "A" and a.deadline == date(2022, 6, 10) and a.falls_short is False
    assert a.rectified_at == datetime(2022, 6, 12, 2, 0, tzinfo=timezone.utc) and a.on_time is False
    assert a.note.endswith("(案件编号 2022-A-001)") and a.place == "北街 12 号"
    b = store.case(case_id_for("2022-B-007"))
    assert b.category == "Z1" and b.exempted and b.deadline == date(2022, 7, 20) and b.on_time
    assert b.original_deadline == date(2022, 7, 8)  # found + B's 7 days by default
    assert store.case(case_id_for("2022-C-003")).lifecycle == "voided"
    c4 = store.case(case_id_for("2022-C-004"))
    assert c4.confirmed_recurrence_of == (case_id_for("2022-A-001"),)

    result = score_year(rules, store.events(), evaluation_instant(rules, date(2022, 12, 31)))
    c1 = result.community("C1")
    assert [(i.rule, i.points) for i in c1.deductions] == [
        ("A.base", Decimal(-2)), ("A.further", Decimal(-2)), ("B.base", Decimal(-1)),
        ("C.further", Decimal("-0.5")), ("recurrence", Decimal(-2)),
    ]  # fmt: skip
    assert c1.superior.value == Decimal("91.5") and result.community("C2").superior.value == 88
    assert c1.satisfaction.value == 90 and c1.bonus_total == 1
    assert result.fund.total == Decimal(2 * (500 + 600))


def test_importing_the_same_file_again_adds_nothing(store, tmp_path):
    path = jsonl(tmp_path, ALL_KINDS)
    first = do_import(store, path)
    again = import_file(store, path, actor="office:li", now=datetime(2023, 2, 1, tzinfo=timezone.utc))
    assert again.ok and again.imported and again.new == 0 and again.already == first.new
    assert store.event_count() == first.new


def test_a_file_with_bad_lines_imports_nothing_and_tells_each_line(store, tmp_path):
    path = jsonl(tmp_path, [
        {"record": "superior_score", "community": "C1", "month": "2022-03", "score": 91.5},
        {"record": "superior_score", "community": "C9", "month": "2022-13", "score": 101},
        "",
        "{not json",
        {"record": "superior_score", "community": "C1", "month": "2022-04", "scroe": 90},
        {"record": "bonus", "community": "C1", "code": "M7", "date": "2022-05-18", "description": "x"},
        {"record": "case_verified", "case": "NO-SUCH-CASE"},
        {"record": "survey_tally", "community": "C1", "date": "2022-11-20", "counts": {"满意": -1, "很好": 3}},
        {"record": "meeting", "community": "C1"},
        ["not", "an", "object"],
    ])  # fmt: skip
    report = do_import(store, path)
    assert not report.ok and not report.imported and store.event_count() == 0
    by_line = {p.where: p.message for p in report.problems}
    assert list(by_line) == [line(n) for n in (2, 4, 5, 6, 7, 8, 9, 10)]
    assert by_line[line(2)].split("；") == [  # each field by its label, never by its key
        "社区：没有这个社区“C9”，应为 C1(第一社区)、C2(第二社区)、C3(第三社区)、C4(第四社区)",
        "月份：应为月份（如 2022-06），却是“2022-13”",
        "得分：101 不在 0–100 之间",
    ]  # fmt: skip
    with pytest.raises(json.JSONDecodeError) as bad_json:
        json.loads("{not json")
    assert by_line[line(4)] == S.IMPORT_NOT_JSON_WHY.format(  # in Chinese, never Python's English detail
        column=bad_json.value.colno, why=S.IMPORT_JSON_WORDS["Expecting property name enclosed in double quotes"])
    assert by_line[line(5)].startswith("多余的一项“scroe”")
    assert by_line[line(6)].startswith("加分项：没有这个加分项“M7”，应为 M1（")
    assert by_line[line(7)] == "案件编号：找不到案件“NO-SUCH-CASE”（既不在本次导入中，也不在办事处的数据中）"
    assert by_line[line(8)].split("；") == [
        "各答案人数：没有这个答案“很好”，应为 满意、基本满意、不满意",
        "满意人数：应为不小于 0 的整数，却是“-1”",
    ]
    assert by_line[line(9)] == S.RECORD_UNKNOWN_KIND.format(field="记录类型", value="“meeting”", kinds=", ".join(RECORD_KINDS))
    assert by_line[line(10)] == S.RECORD_NOT_OBJECT.format()
    summary = report.summary().splitlines()
    assert summary[0] == S.IMPORT_SUMMARY_FAILED.format(file=path, n=8) and summary[1].startswith(f"  {line(2)} 社区：")


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({**CASE_A, "source": "F"}, "来源：没有这个来源“F”，应为 A（上级领导批示、省市整治办转办、中央和省级媒体曝光）、B（"),
        ({**CASE_A, "deadline": "2022-06-01"}, "整改期限：2022年6月1日早于发现日期2022年6月3日"),
        ({**CASE_A, "verified": "yes"}, "已核查属实：应为 true（是）或 false（否），却是“yes”"),
        ({**CASE_A, "rechecks": [{"at": "2022-06-01", "outcome": "rectified"}]},
         "第1条复查记录的复查时间：2022年6月1日早于发现日期2022年6月3日"),
        ({**CASE_A, "rechecks": [{"at": "2022-06-05", "outcome": "ok"}]},
         "第1条复查记录的复查结果：应为 整改到位 / 未整改到位（或 rectified / falls_short），却是“ok”"),
        ({**CASE_A, "rechecks": [{"at": "2024-06-05", "outcome": "rectified"}]}, "第1条复查记录的复查时间：2024年6月5日在将来"),
        ({**CASE_A, "source": "C", "exempted": "拆迁"},
         "免于扣分理由：来源为“区整治办日常考核发现”的案件不能免于加扣（只有“上级领导批示、省市整治办转办、中央和省级媒体曝光”、"),
        ({**CASE_A, "community": "第九社区"}, "社区：没有这个社区“第九社区”，应为 C1(第一社区)"),
        ({**CASE_A, "category": "乱飞"}, "问题类别：没有这个问题类别“乱飞”"),
        ({**CASE_A, "description": " "}, "问题描述：不能为空"),
        ({**CASE_A, "found": "去年"}, "发现日期：应为日期或时间"),
        ({k: v for k, v in CASE_A.items() if k != "case"}, "案件编号：需要案件编号"),
        ({**CASE_A, "position": {"lat": 91, "lon": 0}}, "位置："),
    ],
)
def test_external_case_checks(store, tmp_path, record, message):
    report = do_import(store, jsonl(tmp_path, [record]))
    assert [p.where for p in report.problems] == [line(1)]
    assert message in report.problems[0].message
    assert not re.search(r"[A-Za-z_]+[:：]", report.problems[0].message)  # no field key, only its label
    assert store.event_count() == 0


def test_a_deadline_change_before_the_case_was_found_is_refused(rules):
    builder = RecordBuilder(rules, NOW)
    builder.declare_cases([CASE_A])
    with pytest.raises(RecordError) as exc:
        builder.build({"record": "deadline_changed", "case": "2022-A-001", "deadline": "2022-06-01", "reason": "r"})
    assert str(exc.value) == "整改期限：2022年6月1日早于发现日期2022年6月3日"
    assert exc.value.keys == ["deadline"]


def test_follow_ups_may_come_before_their_case_and_may_name_app_cases(store, rules, inspector, now, tmp_path):
    app_case = cmd.register_case(rules, inspector, now, community="C3", category="L4", position=BASE_POSITION, source="B")
    store.append([app_case])
    path = jsonl(tmp_path, [
        {"record": "case_verified", "case": "2022-A-001"},
        CASE_A,
        {"record": "case_verified", "case_id": app_case.case_id, "note": "区整治办转来,属实"},
        {"record": "case_exempted", "case_id": app_case.case_id, "reason": "确因特殊情况无法整改"},
    ])  # fmt: skip
    report = do_import(store, path)
    assert report.ok, report.summary()
    assert store.case(app_case.case_id).verified and store.case(app_case.case_id).exempted


def test_a_case_imported_again_with_other_details_is_refused(store, tmp_path):
    do_import(store, jsonl(tmp_path, [CASE_A]))
    changed = {**CASE_A, "deadline": "2022-06-20"}
    report = do_import(store, jsonl(tmp_path, [changed, {"record": "bonus", "community": "C1", "code": "P3",
                                                         "date": "2022-05-01", "description": "区表扬"}]))  # fmt: skip
    assert [(p.where, p.message) for p in report.problems] == [(line(1), S.IMPORT_CASE_CHANGED)]
    assert not any(e.type == "bonus.awarded" for e in store.events())
    assert store.case(case_id_for("2022-A-001")).deadline == date(2022, 6, 10)


def test_one_case_reference_twice_in_a_file_is_an_error(store, tmp_path):
    report = do_import(store, jsonl(tmp_path, [CASE_A, {**CASE_A, "description": "另一件"}]))
    assert [(p.where, p.message) for p in report.problems] == [(line(2), S.IMPORT_DUPLICATE_CASE.format(where=line(1)))]


def test_identical_additive_records_are_an_error_identical_facts_are_harmless(store, tmp_path):
    tally = {"record": "survey_tally", "community": "C1", "date": "2022-11-20", "counts": {"满意": 10}}
    report = do_import(store, jsonl(tmp_path, [tally, tally]))
    assert [(p.where, p.message) for p in report.problems] == [(line(2), S.IMPORT_DUPLICATE_RECORD.format(where=line(1)))]
    report = do_import(store, jsonl(tmp_path, [tally, {**tally, "note": "第二批"}]))
    assert report.ok and report.new == 2
    verify = {"record": "case_verified", "case": "2022-A-001"}
    unverified = {k: v for k, v in CASE_A.items() if k not in ("verified", "verified_note")}
    report = do_import(store, jsonl(tmp_path, [unverified, verify, verify]))
    assert report.ok and report.new == 1 + 2 + 1  # registration, two re-checks, one verification


def test_later_lines_are_later_facts(store, rules, tmp_path):
    path = jsonl(tmp_path, [
        {**CASE_A, "rechecks": [], "deadline": "2022-06-10"},
        {"record": "deadline_changed", "case": "2022-A-001", "deadline": "2022-06-30", "reason": "第一次延期"},
        {"record": "deadline_changed", "case": "2022-A-001", "deadline": "2022-06-20", "reason": "改回"},
        {"record": "superior_score", "community": "C1", "month": "2022-03", "score": 80},
        {"record": "superior_score", "community": "C1", "month": "2022-03", "score": 90},
    ])  # fmt: skip
    assert do_import(store, path).ok
    assert store.case(case_id_for("2022-A-001")).deadline == date(2022, 6, 20)
    result = score_year(rules, store.events(), evaluation_instant(rules, date(2022, 12, 31)))
    assert result.community("C1").superior.value == 90


def test_event_ids_are_stable_and_a_registration_is_identified_by_its_case(rules):
    builder = RecordBuilder(rules, NOW)
    first = builder.build(CASE_A)
    again = RecordBuilder(rules, NOW).build(CASE_A)
    assert [event_id_for(p) for p in first] == [event_id_for(p) for p in again]
    edited = RecordBuilder(rules, NOW).build({**CASE_A, "description": "改过的描述"})
    assert event_id_for(edited[0]) == event_id_for(first[0])
    score = {"record": "superior_score", "community": "C1", "month": "2022-03", "score": 91.5}
    assert event_id_for(builder.build(score)[0]) != event_id_for(builder.build({**score, "score": 92})[0])
    with pytest.raises(RecordError, match="月份"):
        builder.build({**score, "month": "March"})


def test_dry_run_checks_but_imports_nothing(store, tmp_path):
    report = do_import(store, jsonl(tmp_path, ALL_KINDS), dry_run=True)
    assert report.ok and not report.imported and store.event_count() == 0
    assert S.IMPORT_CHECKED in report.summary()


def test_unsupported_files_are_refused(store, tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("社区,1月\n", encoding="utf-8")
    report = do_import(store, path)
    assert not report.ok and report.problems[0].message == S.IMPORT_BAD_TYPE.format(suffix=".csv")
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"not a zip")
    assert do_import(store, bad).problems[0].message.startswith(S.IMPORT_NOT_XLSX.format(detail=""))


# --- spreadsheets -----------------------------------------------------------------------------


def test_templates_have_chinese_headers_and_the_communities(rules, tmp_path):
    superior, tally = write_templates(tmp_path, rules, 2022)
    assert superior.name == "上级考核-2022.xlsx" and tally.name == "满意度调查-2022.xlsx"
    ws = load_workbook(superior)["上级考核"]
    assert ws["A1"].value == "年度" and ws["B1"].value == 2022
    assert [c.value for c in ws[2]] == ["社区"] + [f"{m}月" for m in range(1, 13)]
    assert [ws.cell(r, 1).value for r in range(3, 7)] == ["第一社区", "第二社区", "第三社区", "第四社区"]
    ws = load_workbook(tally)["满意度"]
    assert [c.value for c in ws[1]] == ["社区", "日期", "满意", "基本满意", "不满意", "备注"]
    assert [ws.cell(r, 1).value for r in range(2, 6)] == ["第一社区", "第二社区", "第三社区", "第四社区"]


def _fill_superior(path: Path, values: dict[str, object]) -> None:
    wb = load_workbook(path)
    ws = wb["上级考核"]
    for cell, value in values.items():
        ws[cell] = value
    wb.save(path)


def test_superior_template_imports_and_bad_cells_are_named(store, rules, tmp_path):
    superior, _ = write_templates(tmp_path, rules, 2022)
    values = {f"{chr(ord('B') + m)}3": 90 + m * 0.5 for m in range(12)}  # C1: 90, 90.5, ... 95.5
    values.update({"B4": "88.5", "D4": "abc", "E5": 101, "C6": 92})
    _fill_superior(superior, values)
    report = do_import(store, superior)
    assert [(p.where, p.message.split("：")[0]) for p in report.problems] == [("第4行D列", "得分"), ("第5行E列", "得分")]
    assert str(report.problems[0]) == "第4行D列 得分：应为数字，却是“abc”"
    assert "abc" in report.problems[0].message and store.event_count() == 0
    _fill_superior(superior, {"D4": None, "E5": 100})
    report = do_import(store, superior)
    assert report.ok and report.new == 12 + 1 + 1 + 1
    result = score_year(rules, store.events(), evaluation_instant(rules, date(2022, 12, 31)))
    c1 = result.community("C1")
    assert c1.superior.count == 12 and c1.superior.value == Decimal("92.75") and c1.superior.missing == ()
    c2 = result.community("C2")
    assert c2.superior.value == Decimal("88.5") and c2.superior.missing[:2] == ("2022-02", "2022-03")
    assert result.community("C3").superior.value == 100  # E5: April
    assert do_import(store, superior).new == 0  # again: nothing new


def test_superior_template_without_a_year_or_community_is_refused(store, rules, tmp_path):
    superior, _ = write_templates(tmp_path, rules, 2022)
    _fill_superior(superior, {"B1": None, "B3": 90})
    assert [p.where for p in do_import(store, superior).problems] == ["第1行B列"]
    _fill_superior(superior, {"B1": 2022, "A3": None})
    assert [(p.where, p.message) for p in do_import(store, superior).problems] == [("第3行A列", S.IMPORT_NO_COMMUNITY)]


def test_tally_template_imports_and_tells_the_cell_of_a_missing_date(store, rules, tmp_path):
    _, tally = write_templates(tmp_path, rules, 2022)
    wb = load_workbook(tally)
    ws = wb["满意度"]
    ws["B2"], ws["C2"], ws["D2"], ws["E2"] = datetime(2022, 11, 20), 150, 30, 20
    ws["C3"], ws["E3"] = 12, 3  # 第二社区: no date
    ws.append(["C1", "2022-12-01", 5, "2", None, "第二批"])
    wb.save(tally)
    report = do_import(store, tally)
    assert [(p.where, p.message) for p in report.problems] == [("第3行B列", S.IMPORT_NO_SURVEY_DATE)]
    ws["B3"] = "2022/11/21"
    wb.save(tally)
    report = do_import(store, tally)
    assert report.ok and report.new == 3, report.summary()
    result = score_year(rules, store.events(), evaluation_instant(rules, date(2022, 12, 31)))
    c1 = result.community("C1")
    assert c1.satisfaction.count == 207 and c1.satisfaction.satisfied == 187
    assert result.community("C2").satisfaction.count == 15


def test_a_spreadsheet_without_a_template_sheet_is_refused(store, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active["A1"] = "随便什么"
    path = tmp_path / "other.xlsx"
    wb.save(path)
    assert do_import(store, path).problems[0].message == S.IMPORT_NO_HEADER.format(first=S.COMMUNITY)


# --- the command line (wired here as the lead will wire it under `office`) -------------------------


def _cli(argv, **kw) -> tuple[int, str]:
    parser = argparse.ArgumentParser(prog="fieldapp office")
    add_office_record_commands(parser.add_subparsers(dest="office_command", required=True))
    args = parser.parse_args(argv)
    out = io.StringIO()
    code = args.handler(args, out=out, **kw)
    return code, out.getvalue()


def test_cli_template_import_and_score(tmp_path):
    data = ["--data-dir", str(tmp_path / "office")]
    code, out = _cli(["template", str(tmp_path / "tpl")])
    assert code == 0 and S.IMPORT_TEMPLATE_SUPERIOR.format(year=2022) in out
    path = jsonl(tmp_path, ALL_KINDS)
    code, out = _cli(["import", str(path), "--user", "wang", *data], now=NOW)
    done = S.IMPORT_SUMMARY.format(file=path, done=S.IMPORT_DONE, records=len(ALL_KINDS), new=19, already=0)
    assert code == 0 and out == done + "\n"
    code, out = _cli(["import", str(jsonl(tmp_path, ["{oops"], "bad.jsonl")), *data], now=NOW)
    assert code == 1 and f"  {line(1)} " in out
    code, out = _cli(["import", str(tmp_path / "missing.jsonl"), *data])
    assert code == 2 and out == S.CLI_NO_FILE.format(file=tmp_path / "missing.jsonl") + "\n"
    code, out = _cli(["score", "--year", "1999", *data])
    assert code == 2 and out.startswith(S.CLI_NO_RULES.format(year=1999, detail=""))
    code, out = _cli(["score", "--as-of", "2022-12-31", "--json", *data], now=NOW)
    result = json.loads(out)
    assert code == 0 and result["ranking"][0]["community"] == "C1" and result["evaluation_day"] == "2022-12-31"
    code, out = _cli(["score", *data, "--xlsx", str(tmp_path / "report.xlsx")], now=NOW)
    assert code == 0 and "第一社区" in out and (tmp_path / "report.xlsx").exists()
    from fieldapp.store import Store

    with Store(tmp_path / "office" / "office.db", _rules()) as store:
        assert {e.actor for e in store.events()} == {"office:wang"}


def _rules():
    from fieldapp.rules import load_rules

    return load_rules(2022)


def test_the_documented_example_imports(store, tmp_path):
    doc = (Path(__file__).resolve().parents[1] / "docs" / "import-format.md").read_text(encoding="utf-8")
    block = doc.split("```jsonl\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "example.jsonl"
    path.write_text(block, encoding="utf-8")
    report = do_import(store, path)
    assert report.ok and report.records == len(block.strip().splitlines()), report.summary()


@pytest.mark.parametrize("typed", ["李某、张某", "李某，张某", "李某；张某", "李某, 张某", "李某 张某"])
def test_roster_names_typed_with_chinese_or_ascii_separators_are_split(rules, typed):
    [roster] = RecordBuilder(rules, NOW).build(
        {"record": "fund_roster", "year": 2022, "roster": {"section_member": typed}})
    assert roster.roster["section_member"] == ["李某", "张某"]


def test_a_community_answering_on_paper_reports_and_asks_for_exemption_through_the_import(store, rules, tmp_path):
    """整改反馈 and 申请免责 typed in at the office: scored exactly like a phone's (assessment-rules §2)."""
    records = [
        {"record": "external_case", "case": "2022-C-010", "community": "C1", "category": "Z1", "source": "C",
         "description": "区整治办检查:东街垃圾", "found": "2022-06-01", "deadline": "2022-06-05"},
        {"record": "rectification_reported", "case": "2022-C-010", "at": "2022-06-05T20:00", "note": "已清运"},
        {"record": "case_rechecked", "case": "2022-C-010", "at": "2022-06-08", "outcome": "整改到位"},
        {"record": "external_case", "case": "2022-B-011", "community": "C1", "category": "Z1", "source": "B",
         "description": "市民多次反映", "found": "2022-06-01", "verified": True},
        {"record": "exemption_requested", "case": "2022-B-011", "reason": "列入拆迁,无法整改"},
        {"record": "exemption_refused", "case": "2022-B-011", "reason": "不属于特殊情况"},
    ]  # fmt: skip
    report = do_import(store, jsonl(tmp_path, records))
    assert report.ok, report.summary()
    c = store.case(case_id_for("2022-C-010"))
    assert c.on_time and c.rectified_at.date() == date(2022, 6, 5)  # the report's time, confirmed later
    b = store.case(case_id_for("2022-B-011"))
    assert (b.exemption_request, b.exemption_refusal_reason) == ("refused", "不属于特殊情况") and not b.exempted
    result = score_year(rules, store.events(), evaluation_instant(rules, date(2022, 12, 31)))
    assert [(i.rule, i.points) for i in result.community("C1").deductions] == [
        ("B.base", Decimal(-1)), ("B.further", Decimal(-1))]


@pytest.mark.parametrize(("record", "message"), [
    ({"record": "rectification_reported", "case": "2022-A-001", "at": "2022-06-01"},
     "整改反馈时间：2022年6月1日早于发现日期2022年6月3日"),
    ({"record": "exemption_requested", "case": "2022-C-9", "reason": "无法整改"},
     "免于扣分理由：来源为“区整治办日常考核发现”的案件不能免于加扣"),
    ({"record": "exemption_refused", "case": "2022-A-001"}, "理由：不能为空"),
])
def test_community_records_are_checked_like_the_others(store, tmp_path, record, message):
    c9 = {"record": "external_case", "case": "2022-C-9", "community": "C1", "category": "Z1", "source": "C",
          "description": "x", "found": "2022-06-03"}
    report = do_import(store, jsonl(tmp_path, [CASE_A, c9, record]))
    assert not report.ok and message in report.summary() and store.event_count() == 0
