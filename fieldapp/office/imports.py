"""Import office records from JSON Lines or from the .xlsx templates, all or nothing.

    report = import_file(store, "2022-records.jsonl", actor="office:wang")

Every record is read and checked first; each bad one is reported with where it
is, in words (``第3行`` for a JSON line, ``第4行C列`` for the spreadsheet cell C4), and
why, naming the field by its label (``第3行 得分：150 不在 0–100 之间``). If any is
bad nothing is imported; otherwise all new events go into the store in one
`Store.append` call (one transaction). Records already imported (same event id,
see records.py) are counted and skipped, so importing a file again is harmless;
a case re-imported with *different* details is an error (events are never
changed: correct it with a deadline_changed / case_voided … record).

The formats are in docs/import-format.md; `write_templates` writes the two
spreadsheets (superior monthly scores; survey tallies) with Chinese headers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from fieldapp.domain.events import BonusAwarded, CaseRegistered, Event, OfficeAssessed, SurveyTallied
from fieldapp.domain.projection import RECTIFIED
from fieldapp.domain.rules import Rules
from fieldapp.office.records import KnownCase, RecordBuilder, RecordError, to_events
from fieldapp.office import words as S

OFFICE_DEVICE = "office"
ADDITIVE = (SurveyTallied, OfficeAssessed, BonusAwarded)  # each event adds to a score
# The templates' sheet names and headers (zh-CN, fieldapp/office/words.py): written by
# write_templates, and read back as the header words of an imported workbook.
MONTH_HEADERS = tuple(S.DASH_MONTH.format(m=m) for m in range(1, 13))
SUPERIOR_SHEET = S.DASH_COL_SUPERIOR
TALLY_SHEET = S.IMPORT_SHEET_TALLY
H_COMMUNITY, H_YEAR, H_DATE, H_NOTE = S.COMMUNITY, S.IMPORT_HEAD_YEAR, S.DASH_COL_DATE, S.NOTE
# where a problem is: "第3行" (a line or a row), "第4行C列" (a cell): its row and column, to sort by
WHERE_RE = re.compile(re.escape(S.IMPORT_CELL).replace(re.escape("{row}"), r"(?P<row>\d+)")
                      .replace(re.escape("{column}"), r"(?P<column>[A-Z]+)")
                      + "|" + re.escape(S.IMPORT_LINE).replace(re.escape("{n}"), r"(?P<line>\d+)"))  # fmt: skip


def cell_where(coordinate: str) -> str:
    """A spreadsheet cell in words: ``C4`` → ``第4行C列``."""
    m = re.fullmatch(r"([A-Z]+)(\d+)", coordinate)
    return S.IMPORT_CELL.format(row=m.group(2), column=m.group(1)) if m else coordinate


@dataclass(frozen=True)
class Problem:
    where: str  # "第3行", "第4行C列", "“满意度”表第1行", "文件"
    message: str  # "得分：150 不在 0–100 之间"

    def __str__(self) -> str:
        return f"{self.where} {self.message}"


@dataclass(frozen=True)
class Row:
    """One record read from a file, with where it came from."""

    where: str
    record: Any


@dataclass
class ImportReport:
    file: str
    records: int = 0  # records read (blank lines and empty rows are not records)
    problems: list[Problem] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)  # every event the records stand for
    new: int = 0  # appended now
    already: int = 0  # imported before: skipped
    imported: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.problems:
            lines = [S.IMPORT_SUMMARY_FAILED.format(file=self.file, n=len(self.problems))]
            lines += [f"  {p}" for p in self.problems]
            return "\n".join(lines)
        done = S.IMPORT_DONE if self.imported else S.IMPORT_CHECKED
        return S.IMPORT_SUMMARY.format(file=self.file, done=done, records=self.records, new=self.new, already=self.already)


# --- reading ---------------------------------------------------------------------------------


def read_jsonl(path: Path) -> tuple[list[Row], list[Problem]]:
    """Records of a JSON Lines file: UTF-8 only (a BOM is fine).

    A file in another encoding (Excel on a Chinese Windows saves GBK/GB18030) is refused, naming
    the first line that is not UTF-8 and how to save it as UTF-8: it is not guessed at, because
    any bytes decode as GB18030 and a wrong guess would import wrong names without a word.
    """
    rows, problems = [], []
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [Problem(S.IMPORT_LINE.format(n=raw.count(b"\n", 0, exc.start) + 1), not_utf8(raw))]
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = S.IMPORT_LINE.format(n=number)
        try:
            rows.append(Row(where, json.loads(line)))
        except json.JSONDecodeError as exc:
            problems.append(Problem(where, S.IMPORT_NOT_JSON_WHY.format(column=exc.colno, why=json_error_words(exc.msg))))
    return rows, problems


def not_utf8(raw: bytes) -> str:
    """Why a file is refused as not UTF-8, saying so when it reads as GBK/GB18030 (Excel's default)."""
    try:
        raw.decode("gb18030")
        looks_gbk = any(b >= 0x80 for b in raw)
    except UnicodeDecodeError:
        looks_gbk = False
    return S.IMPORT_NOT_UTF8_LINE.format(guess=S.IMPORT_LOOKS_GBK if looks_gbk else "")


def json_error_words(message: str) -> str:
    """A json.JSONDecodeError message in Chinese (never Python's English)."""
    for start, words in S.IMPORT_JSON_WORDS.items():
        if message.startswith(start):
            return words
    return S.IMPORT_JSON_OTHER


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _find_header(ws) -> tuple[int, list[str]] | None:
    """The row whose first cell is H_COMMUNITY (社区), and its header texts."""
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 10)):
        if row and isinstance(row[0].value, str) and row[0].value.strip() == H_COMMUNITY:
            return row[0].row, [str(c.value).strip() if c.value is not None else "" for c in row]
    return None


def _year_cell(ws, header_row: int):
    for row in ws.iter_rows(min_row=1, max_row=header_row - 1):
        for i, cell in enumerate(row[:-1]):
            if isinstance(cell.value, str) and cell.value.strip() == H_YEAR:
                return row[i + 1]
    return None


def read_xlsx(path: Path, rules: Rules) -> tuple[list[Row], list[Problem]]:
    """Records from the template sheets: superior monthly scores and survey tallies."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, data_only=True, read_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        return [], [Problem(S.IMPORT_FILE, S.IMPORT_NOT_XLSX.format(detail=exc))]
    rows: list[Row] = []
    problems: list[Problem] = []
    recognised = 0
    for ws in wb.worksheets:
        header = _find_header(ws)
        if header is None:
            continue  # an instructions sheet, or anything else: not data
        header_row, names = header
        if MONTH_HEADERS[0] in names:
            recognised += 1
            _read_superior(ws, header_row, names, rules, rows, problems)
        elif any(a in names for a in rules.survey_answers):
            recognised += 1
            _read_tally(ws, header_row, names, rules, rows, problems)
        else:
            problems.append(Problem(S.IMPORT_SHEET_ROW.format(sheet=ws.title, row=header_row), S.IMPORT_UNKNOWN_HEADER))
    if not recognised and not problems:
        problems.append(Problem(S.IMPORT_FILE, S.IMPORT_NO_HEADER.format(first=H_COMMUNITY)))
    return rows, problems


def _read_superior(ws, header_row, names, rules, rows, problems) -> None:
    year_cell = _year_cell(ws, header_row)
    if year_cell is None or _blank(year_cell.value):
        where = year_cell.coordinate if year_cell is not None else "A1"
        problems.append(Problem(cell_where(where), S.IMPORT_NO_YEAR.format(label=H_YEAR, year=rules.year)))
        return
    year = year_cell.value
    if isinstance(year, float) and year.is_integer():
        year = int(year)
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year.strip())
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        problems.append(Problem(cell_where(year_cell.coordinate), S.IMPORT_BAD_YEAR.format(value=year_cell.value)))
        return
    columns = {names.index(h): m for m, h in enumerate(MONTH_HEADERS, start=1) if h in names}
    for row in ws.iter_rows(min_row=header_row + 1):
        cells = {c.column - 1: c for c in row}
        community = cells.get(0)
        scores = [(cells[i], m) for i, m in columns.items() if i in cells and not _blank(cells[i].value)]
        if (community is None or _blank(community.value)) and not scores:
            continue
        if community is None or _blank(community.value):
            problems.append(Problem(cell_where(f"A{row[0].row}"), S.IMPORT_NO_COMMUNITY))
            continue
        for cell, month in scores:
            rows.append(Row(cell_where(cell.coordinate), {
                "record": "superior_score", "community": community.value,
                "month": f"{year:04d}-{month:02d}", "score": cell.value,
            }))  # fmt: skip


def _read_tally(ws, header_row, names, rules, rows, problems) -> None:
    answer_cols = {a: names.index(a) for a in rules.survey_answers if a in names}
    date_col = names.index(H_DATE) if H_DATE in names else None
    note_col = names.index(H_NOTE) if H_NOTE in names else None
    if date_col is None:
        problems.append(Problem(S.IMPORT_SHEET_ROW.format(sheet=ws.title, row=header_row),
                                S.IMPORT_NO_DATE_COLUMN.format(label=H_DATE)))  # fmt: skip
        return
    for row in ws.iter_rows(min_row=header_row + 1):
        cells = {c.column - 1: c for c in row}

        def value(i):
            return cells[i].value if i is not None and i in cells else None

        counts = {a: value(i) for a, i in answer_cols.items() if not _blank(value(i))}
        if not counts:
            continue  # a community row left empty
        r = row[0].row
        if _blank(value(0)):
            problems.append(Problem(cell_where(f"A{r}"), S.IMPORT_NO_COMMUNITY))
            continue
        if _blank(value(date_col)):
            problems.append(Problem(cell_where(f"{_col(date_col)}{r}"), S.IMPORT_NO_SURVEY_DATE))
            continue
        record = {"record": "survey_tally", "community": value(0), "date": value(date_col), "counts": counts}
        if not _blank(value(note_col)):
            record["note"] = str(value(note_col))
        rows.append(Row(S.IMPORT_LINE.format(n=r), record))


def _col(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def read_records(path: Path, rules: Rules) -> tuple[list[Row], list[Problem]]:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return read_jsonl(path)
    if suffix == ".xlsx":
        return read_xlsx(path, rules)
    return [], [Problem(S.IMPORT_FILE, S.IMPORT_BAD_TYPE.format(suffix=suffix or S.IMPORT_NO_SUFFIX))]


# --- checking and importing ----------------------------------------------------------------------


def build_events(
    rows: Iterable[Row], rules: Rules, *, actor: str, now: datetime, lookup=lambda _id: None, device: str = OFFICE_DEVICE
) -> tuple[list[Event], list[Problem], dict[str, str]]:
    """Events for all rows (in order), the problems, and which row each event came from."""
    rows = list(rows)
    builder = RecordBuilder(rules, now, lookup)
    builder.declare_cases([r.record for r in rows])
    payloads, origins, problems = [], [], []
    seen_cases: dict[str, str] = {}
    for row in rows:
        try:
            built = builder.build(row.record)
        except RecordError as exc:
            problems.append(Problem(row.where, str(exc)))
            continue
        for payload in built:
            if isinstance(payload, CaseRegistered):
                if payload.case_id in seen_cases:
                    problems.append(Problem(row.where, S.IMPORT_DUPLICATE_CASE.format(where=seen_cases[payload.case_id])))
                    break
                seen_cases[payload.case_id] = row.where
        else:
            payloads.extend(built)
            origins.extend([row.where] * len(built))
    events, where_from = [], {}
    for event, where in zip(to_events(payloads, actor=actor, device=device, now=now), origins):
        if event.id in where_from:
            # The same fact twice: harmless for a verification or a monthly score, but two equal
            # tallies, assessments or bonuses would be one event: say so rather than drop one.
            if isinstance(event.data, ADDITIVE):
                problems.append(Problem(where, S.IMPORT_DUPLICATE_RECORD.format(where=where_from[event.id])))
            continue
        where_from[event.id] = where
        events.append(event)
    return events, problems, where_from


def _store_lookup(store):
    def lookup(case_id: str) -> KnownCase | None:
        state = store.case(case_id)
        return None if state is None else KnownCase(state.case_id, state.source, state.found_at, state.community,
                                                    state.category, state.lifecycle == RECTIFIED)  # fmt: skip

    return lookup


def import_file(
    store, path: str | Path, *, actor: str, device: str = OFFICE_DEVICE, now: datetime | None = None,
    dry_run: bool = False,
) -> ImportReport:  # fmt: skip
    """Check every record of a file, then import all of it in one transaction, or nothing."""
    path = Path(path)
    now = now or datetime.now(timezone.utc)
    report = ImportReport(str(path))
    rows, problems = read_records(path, store.rules)
    report.records = len(rows)
    events, build_problems, origins = build_events(rows, store.rules, actor=actor, device=device, now=now,
                                                   lookup=_store_lookup(store))  # fmt: skip
    problems += build_problems
    new = []
    for event in events:
        if not store.has_event(event.id):
            new.append(event)
            continue
        if isinstance(event.data, CaseRegistered):
            stored = next((e for e in store.case_events(event.case_id) if e.id == event.id), None)
            if stored is not None and stored.data != event.data:
                problems.append(Problem(origins[event.id], S.IMPORT_CASE_CHANGED))
                continue
        report.already += 1
    report.problems = sorted(problems, key=_problem_order)
    report.events = events
    if report.problems or dry_run:
        return report
    if new:
        results = store.append(new, assign_server_seq=True)
        conflicts = [r for r in results if r.status == "conflict"]
        if conflicts:  # only if another writer stored the same ids meanwhile: report, nothing lost
            report.problems = [Problem(origins[r.event_id], S.IMPORT_CONFLICT) for r in conflicts]
        report.new = sum(1 for r in results if r.status == "accepted")
        report.already += sum(1 for r in results if r.status == "duplicate")
    report.imported = True
    return report


def _problem_order(problem: Problem):
    """Lines and rows (第N行) by N, cells (第N行C列) by row then column, anything else first."""
    m = WHERE_RE.search(problem.where)
    if m and m.group("row"):
        return (1, int(m.group("row")), m.group("column").rjust(3))
    if m:
        return (1, int(m.group("line")), "")
    return (0, 0, problem.where)


# --- templates --------------------------------------------------------------------------------------


def template_paths(directory: Path, year: int) -> tuple[Path, Path]:
    return directory / S.IMPORT_TEMPLATE_SUPERIOR.format(year=year), directory / S.IMPORT_TEMPLATE_TALLY.format(year=year)


def write_templates(directory: str | Path, rules: Rules, year: int | None = None) -> list[Path]:
    """Write the two import spreadsheets (superior scores; survey tallies) for the rules' communities."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    year = year or rules.year
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    superior_path, tally_path = template_paths(directory, year)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")

    wb = Workbook()
    ws = wb.active
    ws.title = SUPERIOR_SHEET
    ws["A1"], ws["B1"] = H_YEAR, year
    ws["A1"].font = bold
    ws.append([H_COMMUNITY, *MONTH_HEADERS])
    for c in rules.communities:
        ws.append([c.name])
    for cell in ws[2]:
        cell.font, cell.fill, cell.alignment = bold, fill, Alignment(horizontal="center")
    ws.column_dimensions["A"].width = 14
    ws.freeze_panes = "B3"
    _instructions(wb, [line.format(year=year) for line in S.IMPORT_SUPERIOR_HELP])
    wb.save(superior_path)

    wb = Workbook()
    ws = wb.active
    ws.title = TALLY_SHEET
    ws.append([H_COMMUNITY, H_DATE, *rules.survey_answers, H_NOTE])
    for c in rules.communities:
        ws.append([c.name])
    for cell in ws[1]:
        cell.font, cell.fill, cell.alignment = bold, fill, Alignment(horizontal="center")
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 12
    ws.freeze_panes = "B2"
    for row in ws.iter_rows(min_row=2, max_row=200, min_col=2, max_col=2):
        row[0].number_format = "yyyy-mm-dd"
    satisfied = S.LIST_SEPARATOR.join(a for a in rules.survey_answers if a in rules.satisfied_answers)
    _instructions(wb, [line.format(satisfied=satisfied) for line in S.IMPORT_TALLY_HELP])
    wb.save(tally_path)
    return [superior_path, tally_path]


def _instructions(wb, lines: list[str]) -> None:
    ws = wb.create_sheet(S.REPORT_SHEET_NOTES)
    for line in lines:
        ws.append([line])
    ws.column_dimensions["A"].width = 100
