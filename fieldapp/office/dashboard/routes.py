"""HTTP routes beside the dashboard: downloads the browser fetches outside the Flet websocket.

    GET /reports/{year}.xlsx?ticket=T     the report workbook (office/report.py write_xlsx)
    GET /templates/{kind}.xlsx?ticket=T   an import template (kind: superior / survey)
    GET /notices/{code}.{pdf|xlsx}?ticket=T   a community's 督办通知单 (office/notice.py), as of now
    GET /bulletins/{year}.zip?which=live|final&month=M&ticket=T   the 通报 PDFs (office/bulletin.py), zipped
    GET /exports/cases.{xlsx|csv|geojson}?year=Y&community=C&status=S&ticket=T   a case list (office/export.py)

A download request carries no session, so the dashboard first asks the Desk for a
single-use ticket (valid two minutes, bound to the session) and opens the URL
with it; the route redeems the ticket and checks the session is still live.
Without a good ticket: 403. The access log shows the ticket as ``***``.
"""

from __future__ import annotations

import asyncio
import tempfile
from functools import partial
from pathlib import Path
from urllib.parse import quote

from fastapi import HTTPException
from fastapi.responses import Response

from fieldapp.office.dashboard.desk import Desk
from fieldapp.ui.names import Names

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
EXPORT_TYPES = {"xlsx": XLSX, "csv": "text/csv; charset=utf-8", "geojson": "application/geo+json"}
LIVE, FINAL = "live", "final"


def report_bytes(result, rules, people=str) -> bytes:
    """write_xlsx into memory (it writes a path: a temp file, read back and removed)."""
    from fieldapp.office.report import write_xlsx

    with tempfile.TemporaryDirectory(prefix="fieldapp-report-") as tmp:
        path = write_xlsx(result, rules, Path(tmp) / "report.xlsx", people)
        return path.read_bytes()


def template_bytes(rules, kind: str) -> bytes:
    from fieldapp.office.imports import write_templates

    with tempfile.TemporaryDirectory(prefix="fieldapp-template-") as tmp:
        superior, survey = write_templates(tmp, rules)
        return (superior if kind == "superior" else survey).read_bytes()


def attachment(data: bytes, filename: str, media_type: str = XLSX) -> Response:
    ascii_name = "".join(ch if ch.isascii() and ch.isalnum() or ch in "-_." else "_" for ch in filename)
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition, "Cache-Control": "no-store"})


def report_filename(year: int, which: str, day) -> str:
    from fieldapp.office import words as strings

    return strings.DASH_REPORT_FILE.format(year=year, kind=strings.DASH_REPORT_KIND[which], day=day.isoformat())


def add_routes(app, desk: Desk) -> None:
    rules = desk.rules

    @app.get("/reports/{year}.xlsx", include_in_schema=False)
    async def report(year: int, ticket: str = "", which: str = FINAL):
        granted = await desk.redeem(ticket, "report")
        if granted is None:
            raise HTTPException(status_code=403, detail="log in to the dashboard, then export again")
        if year not in desk.years or which not in (LIVE, FINAL):  # any year the office has rules for
            raise HTTPException(status_code=404, detail="no such report")
        snap = (await desk.board(year)).snapshot()
        result = snap.live if which == LIVE else snap.final
        names = await desk.read(Names.of_office)  # 登记人 by name
        data = await asyncio.get_running_loop().run_in_executor(None, report_bytes, result, desk.rules_for(year), names)
        return attachment(data, report_filename(year, which, result.evaluation_day))

    @app.get("/templates/{kind}.xlsx", include_in_schema=False)
    async def template(kind: str, ticket: str = ""):
        granted = await desk.redeem(ticket, "template")
        if granted is None:
            raise HTTPException(status_code=403, detail="log in to the dashboard first")
        if kind not in ("superior", "survey"):
            raise HTTPException(status_code=404, detail="no such template")
        data = await asyncio.get_running_loop().run_in_executor(None, template_bytes, rules, kind)
        from fieldapp.office.imports import template_paths

        superior, survey = template_paths(Path("."), rules.year)
        return attachment(data, (superior if kind == "superior" else survey).name)

    @app.get("/notices/{code}.{kind}", include_in_schema=False)
    async def notice(code: str, kind: str, ticket: str = ""):
        granted = await desk.redeem(ticket, "notice")
        if granted is None:
            raise HTTPException(status_code=403, detail="log in to the dashboard, then download again")
        if kind not in ("pdf", "xlsx") or code not in {c.code for c in rules.communities}:
            raise HTTPException(status_code=404, detail="no such notice")
        data, filename = await notice_bytes(desk, code, kind)
        return attachment(data, filename, PDF if kind == "pdf" else XLSX)

    @app.get("/bulletins/{year}.zip", include_in_schema=False)
    async def bulletins(year: int, ticket: str = "", which: str = FINAL, month: str = ""):
        granted = await desk.redeem(ticket, "bulletin")
        if granted is None:
            raise HTTPException(status_code=403, detail="log in to the dashboard, then download again")
        if year not in desk.years or which not in (LIVE, FINAL) or (month and not month.startswith(f"{year}-")):
            raise HTTPException(status_code=404, detail="no such bulletin")
        try:
            return await bulletin_response(desk, year, which, month or None)
        except ValueError:
            raise HTTPException(status_code=404, detail="no such month") from None

    @app.get("/exports/cases.{fmt}", include_in_schema=False)
    async def export_cases(fmt: str, ticket: str = "", year: int = 0, community: str = "", status: str = ""):
        from fieldapp.office import export

        granted = await desk.redeem(ticket, "export")
        if granted is None:
            raise HTTPException(status_code=403, detail="log in to the dashboard, then export again")
        year = year or rules.year
        if fmt not in EXPORT_TYPES or year not in desk.years or (status and status not in export.STATUSES):
            raise HTTPException(status_code=404, detail="no such export")
        year_rules = desk.rules_for(year)
        if community and community not in {c.code for c in year_rules.communities}:
            raise HTTPException(status_code=404, detail="no such community")
        made = partial(export.export_cases, community=community or None, status=status or None)
        data, _n = await desk.read(made, year_rules, desk.clock(), fmt)
        name = export.file_name(year_rules, fmt, community=community or None, status=status or None)
        return attachment(data, name, EXPORT_TYPES[fmt])


def bulletin_zip(store, rules, period, photo_dir, result, today, path: Path) -> None:
    """The 通报 PDFs into a zip file at `path`, one PDF at a time (on a reader thread: the evidence is
    read case by case while drawing; memory stays one PDF's, the zip is on disk)."""
    import zipfile

    from fieldapp.office.bulletin import write_pack

    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:  # PDFs are compressed already
        write_pack(store, rules, period, photo_dir, zf.writestr, today=today, result=result)


async def bulletin_response(desk: Desk, year: int, which: str, month: str | None):
    """The 通报 of the session's year, as the shown ranking (live: today; final: the year's end) or
    of one month, zipped in a temporary file that is removed once sent."""
    import os

    from starlette.background import BackgroundTask
    from starlette.responses import FileResponse

    from fieldapp.office.bulletin import Period, bulletin_period, pack_file_name

    rules = desk.rules_for(year)
    now = desk.clock()
    if month:
        period = bulletin_period(rules, month=month)
        result = None
    else:
        snap = (await desk.board(year)).snapshot()
        result = snap.live if which == LIVE else snap.final
        period = Period(year, None, result.evaluated_at, result.evaluation_day)
    fd, tmp = tempfile.mkstemp(prefix="fieldapp-bulletin-", suffix=".zip")
    os.close(fd)
    try:
        await desk.read(bulletin_zip, rules, period, desk.photo_dir, result, now.astimezone(rules.tz).date(),
                        Path(tmp))  # fmt: skip
    except BaseException:
        os.unlink(tmp)
        raise
    name = pack_file_name(period)
    ascii_name = "".join(ch if ch.isascii() and ch.isalnum() or ch in "-_." else "_" for ch in name)
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return FileResponse(tmp, media_type="application/zip", background=BackgroundTask(os.unlink, tmp),
                        headers={"Content-Disposition": disposition, "Cache-Control": "no-store"})  # fmt: skip


async def notice_bytes(desk: Desk, code: str, kind: str) -> tuple[bytes, str]:
    """A community's 督办通知单 as of the Desk's clock: read on a reader thread, drawn off the loop."""
    from fieldapp.office import notice as notices
    from fieldapp.office.notice_pdf import notice_pdf
    from fieldapp.office.notice_xlsx import notice_xlsx

    made = await desk.read(notices.gather, desk.rules, code, desk.clock())
    draw = notice_pdf if kind == "pdf" else notice_xlsx
    data = await asyncio.get_running_loop().run_in_executor(None, draw, made, desk.photo_dir)
    return data, notices.file_name(made, kind)
