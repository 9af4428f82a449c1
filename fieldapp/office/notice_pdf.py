"""The 督办通知单 as a PDF (A4 portrait, the office's letterhead; pdf.py).

One table row per case: its number on the notice, its before photo, category and
source, place and note, deadline, time left or overdue (red when overdue), and what
happened since (复查未通过: reason / reported, awaiting the re-check / exemption asked).
"""

from __future__ import annotations

from pathlib import Path

from fpdf.fonts import FontFace

from fieldapp.office.notice import Notice, full_date
from fieldapp.office.pdf import FONT, MUTED, OVERDUE, OfficePdf, table_style, thumbnail
from fieldapp.office import words as strings

#: column widths in mm (A4 portrait: 180 mm between the margins)
WIDTHS = (11, 34, 28, 39, 28, 17, 23)


def notice_pdf(notice: Notice, photo_dir: Path | None) -> bytes:
    pdf = OfficePdf(notice.office, strings.NOTICE_TITLE, notice.day)
    pdf.add_page()
    pdf.heading(strings.NOTICE_TITLE)
    pdf.paragraph(notice.addressee, size=12, gap=1)
    pdf.paragraph(notice.intro)
    pdf.paragraph(notice.summary, colour=OVERDUE if notice.overdue else MUTED)
    if notice.items:
        late = FontFace(family=FONT, color=OVERDUE)
        with pdf.table(col_widths=WIDTHS, **table_style()) as table:
            head = table.row()
            for text in strings.NOTICE_HEAD:
                head.cell(text)
            for n, item in enumerate(notice.items, start=1):
                row = table.row()
                row.cell(str(n), align="CENTER")
                photo = thumbnail(photo_dir, item.thumb)
                if photo is not None:
                    row.cell(img=photo, img_fill_width=True)
                else:
                    row.cell(strings.NOTICE_NO_PHOTO if item.thumb else strings.NOTICE_PHOTO_NONE)
                row.cell(f"{item.category}\n{strings.NOTICE_SOURCE.format(source=item.source)}")
                row.cell("\n".join(x for x in (item.place, item.note) if x) or strings.NO_PLACE)
                row.cell(full_date(item.deadline))
                row.cell(item.time_left, style=late if item.overdue else None)
                row.cell(item.progress or strings.NOTICE_NO_PROGRESS)
    pdf.ln(6)
    pdf.paragraph(strings.NOTICE_CLOSING, gap=6)
    pdf.set_font(FONT, size=11)
    pdf.cell(0, 6, notice.office, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, full_date(notice.day), align="R", new_x="LMARGIN", new_y="NEXT")
    return pdf.output_bytes()
