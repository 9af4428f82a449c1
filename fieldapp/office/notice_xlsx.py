"""The 督办通知单 as an `.xlsx` workbook (openpyxl): the same lines as the PDF, one row per case.

Rows 1–4: the office and the title, the addressee, the date, the summary; row 6 the
column heads (strings.NOTICE_XLSX_HEAD); from row 7 one row per case, its before photo
anchored in the last column when the office has it.
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from fieldapp.office.notice import Notice, full_date
from fieldapp.office.pdf import thumbnail
from fieldapp.office import words as strings

HEAD_ROW = 6
WIDTHS = (6, 14, 30, 20, 30, 16, 11, 30, 22)
PHOTO_HEIGHT_PX = 90
ROW_HEIGHT_PT = 70


def notice_xlsx(notice: Notice, photo_dir: Path | None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = strings.NOTICE_TITLE
    ws["A1"] = f"{notice.office} {strings.NOTICE_TITLE}"
    ws["A1"].font = Font(size=16, bold=True)
    ws["A2"] = notice.addressee
    ws["A3"] = strings.PDF_DATE_LINE.format(date=full_date(notice.day))
    ws["A4"] = notice.summary
    for col, (text, width) in enumerate(zip(strings.NOTICE_XLSX_HEAD, WIDTHS), start=1):
        cell = ws.cell(HEAD_ROW, col, text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF3F9")
        ws.column_dimensions[cell.column_letter].width = width
    wrap = Alignment(wrap_text=True, vertical="center")
    for n, item in enumerate(notice.items, start=1):
        r = HEAD_ROW + n
        values = (n, item.category, item.source, item.place, item.note, full_date(item.deadline), item.time_left,
                  item.progress or None)  # fmt: skip
        for col, value in enumerate(values, start=1):
            ws.cell(r, col, value).alignment = wrap
        if item.overdue:
            ws.cell(r, 7).font = Font(color="B3261E")
        photo = _image(photo_dir, item.thumb)
        if photo is None:
            ws.cell(r, 9, strings.NOTICE_NO_PHOTO if item.thumb else strings.NOTICE_PHOTO_NONE).alignment = wrap
        else:
            ws.add_image(photo, f"I{r}")
            ws.row_dimensions[r].height = ROW_HEIGHT_PT
    ws.freeze_panes = ws.cell(HEAD_ROW + 1, 1)
    ws.print_title_rows = f"{HEAD_ROW}:{HEAD_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _image(photo_dir, sha256):
    from openpyxl.drawing.image import Image

    data = thumbnail(photo_dir, sha256)
    if data is None:
        return None
    image = Image(data)
    scale = PHOTO_HEIGHT_PX / image.height
    image.width, image.height = round(image.width * scale), PHOTO_HEIGHT_PX
    return image
