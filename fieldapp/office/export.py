"""Case lists for others' systems: one row per case of a year, as .xlsx, CSV or GeoJSON.

    rows = case_lines(store, rules, now, year=2022, community="C1", status="overdue")
    data = to_csv(rows) / to_xlsx(rows, title) / to_geojson(rows)

Each row: the office's case reference (``2022-A-003`` for an imported case, else the first
8 characters of its id, as the reports show it) and the full id; community, category and
source by their names in the rules; place and note; latitude and longitude; found time,
deadline, status (as the dashboard words it), when rectified and whether on time; who
registered it (by name when the office knows it); evidence marks in words; the file names
of its before and after photos in the office's photo folder (``<sha256>.jpg``, under
``photos/<first two>/``).

- **CSV**: UTF-8 with a BOM (Excel on a Chinese Windows then opens it right), the Chinese
  header of the dashboard (`EXPORT_HEAD` in fieldapp/office/words.py), photos separated by spaces.
- **.xlsx**: the same columns, one sheet (written in openpyxl's write-only mode).
- **GeoJSON** (RFC 7946): a FeatureCollection, one Feature per case, a WGS-84 ``Point``
  ``[lon, lat]`` (the phones' GNSS positions, as recorded; no GCJ-02 shift) or ``null``
  geometry for a case with only a described place; properties under the ASCII keys of
  `KEYS`, photos as lists, numbers as numbers.

The filters are the dashboard's (案件): a community, and a status — ``open_all`` (every open
case), ``overdue`` / ``due_today`` / ``due_soon`` / ``open`` (open, later), ``rectified``,
``rectified_on_time`` / ``rectified_late``, ``voided``, ``all``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterator

from fieldapp.domain.projection import OPEN, RECTIFIED, case_status
from fieldapp.domain.rules import Rules
from fieldapp.office.report import marks_text
from fieldapp.office import words as S

OPEN_ALL, ALL, RECTIFIED_ANY = "open_all", "all", "rectified"
STATUSES = (OPEN_ALL, "overdue", "due_today", "due_soon", "open", RECTIFIED_ANY, "rectified_on_time",
            "rectified_late", "voided", ALL)  # fmt: skip
FORMATS = ("xlsx", "csv", "geojson")
#: the columns' keys (GeoJSON properties), in the order of strings.EXPORT_HEAD
KEYS = ("ref", "case_id", "community", "category", "source", "place", "note", "lat", "lon", "found_at",
        "deadline", "status", "rectified_at", "on_time", "registered_by", "marks", "before_photos", "after_photos")
_REF = re.compile(r"\(" + re.escape(S.RECORD_CASE_NOTE.split("(", 1)[1].split("{ref}")[0]) + r"([^)]+)\)\s*$")


@dataclass(frozen=True)
class CaseLine:
    ref: str
    case_id: str
    community: str
    category: str
    source: str
    place: str
    note: str
    lat: float | None
    lon: float | None
    found_at: str  # local time, "2022-06-03 10:00"
    deadline: str  # "2022-06-10"
    status: str  # in words
    rectified_at: str  # local time, or ""
    on_time: str  # 是 / 否 / ""
    registered_by: str
    marks: str
    before_photos: tuple[str, ...]
    after_photos: tuple[str, ...]

    def values(self) -> list:
        return [getattr(self, k) for k in KEYS]


def case_ref(case_id: str, note: str) -> str:
    """The office's reference of an imported case (its note ends "(案件编号 2022-A-003)"), else the short id."""
    m = _REF.search(note or "")
    return m.group(1).strip() if m else case_id[:8]


def _names(store):
    try:  # the people directory (sync/people.py, fieldapp/ui/names.py): 登记人 by name
        from fieldapp.ui.names import Names

        return Names.of_office(store)
    except (ImportError, AttributeError):  # pragma: no cover - before the directory exists
        return lambda actor: actor


def _wanted(status: str, wanted: str | None, lifecycle: str) -> bool:
    if wanted in (None, ALL):
        return True
    if wanted == OPEN_ALL:
        return lifecycle == OPEN
    if wanted == RECTIFIED_ANY:
        return lifecycle == RECTIFIED
    return status == wanted


def _local(text: str | None, tz) -> str:
    if not text:
        return ""
    return datetime.fromisoformat(text).astimezone(tz).strftime("%Y-%m-%d %H:%M")


def case_lines(store, rules: Rules, now: datetime, *, year: int | None = None, community: str | None = None,
               status: str | None = None) -> Iterator[CaseLine]:
    """The cases found in `year` (local time; default the rules' year), oldest first, filtered."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    year = rules.year if year is None else year
    tz = rules.tz
    names = _names(store)
    communities = {c.code: c.name for c in rules.communities}
    categories = {c.code: c.name for c in rules.categories}
    sources = {s.code: s.name for s in rules.sources}
    # found_at is ISO text with its own offset: a day either side, then the local year exactly
    low, high = f"{year - 1}-12-31", f"{year + 1}-01-02"
    sql = "SELECT * FROM cases WHERE found_at >= ? AND found_at < ?"
    params: list = [low, high]
    if community is not None:
        sql += " AND community = ?"
        params.append(community)
    rows = store.db.execute(sql + " ORDER BY found_at, case_id", params)
    columns = [d[0] for d in rows.description]
    for values in rows:
        r = dict(zip(columns, values))
        found = datetime.fromisoformat(r["found_at"]).astimezone(tz)
        if found.year != year:
            continue
        on_time = None if r["on_time"] is None else bool(r["on_time"])
        deadline = date.fromisoformat(r["deadline"])
        state = case_status(r["lifecycle"], on_time, deadline, now, tz, rules.due_soon_days)
        if not _wanted(state, status, r["lifecycle"]):
            continue
        photos = store.db.execute("SELECT sha256, stage FROM photos WHERE case_id = ? ORDER BY rowid",
                                  [r["case_id"]]).fetchall()  # fmt: skip
        marks = tuple(json.loads(r["marks"])) if r.get("marks") else ()
        yield CaseLine(
            ref=case_ref(r["case_id"], r["note"]),
            case_id=r["case_id"],
            community=communities.get(r["community"], r["community"]),
            category=categories.get(r["category"], r["category"]),
            source=sources.get(r["source"], r["source"]),
            place=r["place"],
            note=r["note"],
            lat=r["lat"],
            lon=r["lon"],
            found_at=found.strftime("%Y-%m-%d %H:%M"),
            deadline=deadline.isoformat(),
            status=S.EXPORT_STATUS.get(state, state),
            rectified_at=_local(r["rectified_at"], tz),
            on_time="" if on_time is None else (S.EXPORT_YES if on_time else S.EXPORT_NO),
            registered_by=names(r["registered_by"]),
            marks=marks_text(marks),
            before_photos=tuple(f"{sha}.jpg" for sha, stage in photos if stage == "before"),
            after_photos=tuple(f"{sha}.jpg" for sha, stage in photos if stage == "after"),
        )


def _flat(line: CaseLine) -> list:
    return [" ".join(v) if isinstance(v, tuple) else ("" if v is None else v) for v in line.values()]


def to_csv(lines) -> bytes:
    """UTF-8 with a BOM, the Chinese header, CRLF line ends (what Excel writes)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(S.EXPORT_HEAD)
    for line in lines:
        writer.writerow(_flat(line))
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(lines, title: str = "") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(S.EXPORT_SHEET)
    for i, width in enumerate((12, 38, 10, 12, 22, 20, 30, 11, 11, 17, 12, 10, 17, 8, 12, 16, 40, 40)):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    head = []
    for text in S.EXPORT_HEAD:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = bold
        head.append(cell)
    ws.append(head)
    for line in lines:
        ws.append(_flat(line))
    if title:
        wb.properties.title = title
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_geojson(lines) -> bytes:
    """A GeoJSON FeatureCollection (RFC 7946: WGS-84 longitude, latitude)."""
    features = []
    for line in lines:
        properties = {k: v for k, v in zip(KEYS, line.values()) if k not in ("lat", "lon")}
        properties["before_photos"] = list(line.before_photos)
        properties["after_photos"] = list(line.after_photos)
        geometry = None
        if line.lat is not None and line.lon is not None:
            geometry = {"type": "Point", "coordinates": [line.lon, line.lat]}
        features.append({"type": "Feature", "id": line.case_id, "geometry": geometry, "properties": properties})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                      indent=1).encode("utf-8")  # fmt: skip


def export_cases(store, rules: Rules, now: datetime, fmt: str, *, year: int | None = None,
                 community: str | None = None, status: str | None = None) -> tuple[bytes, int]:
    """The file's bytes and how many cases it lists."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    lines = list(case_lines(store, rules, now, year=year, community=community, status=status))
    if fmt == "csv":
        return to_csv(lines), len(lines)
    if fmt == "xlsx":
        return to_xlsx(lines, rules.title), len(lines)
    return to_geojson(lines), len(lines)


def file_name(rules: Rules, fmt: str, *, year: int | None = None, community: str | None = None,
              status: str | None = None) -> str:
    """``案件清单-2022-第一社区-已逾期.csv``."""
    names = {c.code: c.name for c in rules.communities}
    return S.EXPORT_FILE.format(
        year=rules.year if year is None else year,
        community=f"-{names.get(community, community)}" if community else "",
        status=f"-{S.EXPORT_STATUS.get(status, S.EXPORT_STATUS_FILTERS.get(status, status))}"
        if status not in (None, ALL) else "",
        ext=fmt,
    )  # fmt: skip
