"""The office's printable documents (fpdf2): one letterhead, page numbers, tables, photo thumbnails.

Every PDF the office makes — the 督办通知单 (notice_pdf.py), later the year-end
通报 — is an `OfficePdf`: A4, the project's CJK font (assets/fonts/NotoSansSC-Subset.ttf,
embedded as a subset of the glyphs used), a header line with the office's name and
the document's date on every page, and "第 N 页，共 M 页" in the footer. The pieces:

- `OfficePdf(office, title, day)` — ``pdf.heading(text)``, ``pdf.paragraph(text)``,
  ``pdf.table(...)`` (fpdf2's own, in the CJK font; see `table_style`);
- `thumbnail(photo_dir, sha256)` — a stored photo's thumbnail (or the photo) as bytes
  for a table cell, or None when the office does not have it;
- `OfficePdf.output_bytes()`.

The font has one weight (Regular): emphasis is size and colour, never bold.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import WrapMode
from fpdf.fonts import FontFace

from fieldapp.ui import strings

FONT = "CJK"
FONT_PATH = Path(__file__).resolve().parents[2] / "assets" / "fonts" / "NotoSansSC-Subset.ttf"
INK = (33, 33, 33)
MUTED = (96, 101, 110)
ACCENT = (11, 79, 138)  # the dashboard's primary blue
OVERDUE = (179, 38, 30)
RULE = (190, 196, 204)
HEAD_FILL = (238, 243, 249)


def table_style() -> dict:
    """Arguments for ``pdf.table(...)``: Chinese wraps by character; headings shaded, not bold."""
    return {
        "wrapmode": WrapMode.CHAR,
        "headings_style": FontFace(family=FONT, emphasis="NONE", color=INK, fill_color=HEAD_FILL, size_pt=10),
        "line_height": 5.5,
        "padding": (1.5, 1.5, 1.5, 1.5),
        "text_align": "LEFT",
        "v_align": "MIDDLE",
        "borders_layout": "ALL",
    }


class OfficePdf(FPDF):
    """An A4 page with the office's letterhead and page numbers."""

    def __init__(self, office: str, title: str, day: date, *, landscape: bool = False):
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        self.office = office
        self.doc_title = title
        self.day = day
        self.add_font(FONT, "", str(FONT_PATH))
        self.set_font(FONT, size=10)
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=16)
        self.set_title(title)
        self.set_author(office)
        self.set_creator(strings.PDF_CREATOR)
        self.set_lang("zh-CN")
        self.alias_nb_pages()

    # --- every page --------------------------------------------------------------------------

    def header(self) -> None:
        self.set_font(FONT, size=9)
        self.set_text_color(*MUTED)
        self.cell(0, 5, self.office, new_x="LMARGIN", new_y="TOP")
        self.cell(0, 5, strings.PDF_DATE_LINE.format(date=date_text(self.day)), align="R",
                  new_x="LMARGIN", new_y="NEXT")  # fmt: skip
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(4)
        self.set_text_color(*INK)
        self.set_font(FONT, size=10)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(*MUTED)
        # the alias ("{nb}") is replaced by the page count when the document is closed
        self.cell(0, 5, strings.PDF_PAGE.format(page=self.page_no(), pages=self.str_alias_nb_pages), align="C")
        self.set_text_color(*INK)

    # --- content ----------------------------------------------------------------------------------

    def heading(self, text: str, *, size: float = 18, colour=ACCENT) -> None:
        self.set_font(FONT, size=size)
        self.set_text_color(*colour)
        self.multi_cell(0, size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT", wrapmode=WrapMode.CHAR)
        self.set_text_color(*INK)
        self.set_font(FONT, size=10)
        self.ln(2)

    def paragraph(self, text: str, *, size: float = 11, colour=INK, gap: float = 2) -> None:
        self.set_font(FONT, size=size)
        self.set_text_color(*colour)
        self.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT", wrapmode=WrapMode.CHAR)
        self.set_text_color(*INK)
        self.set_font(FONT, size=10)
        self.ln(gap)

    def output_bytes(self) -> bytes:
        return bytes(self.output())


def date_text(day: date) -> str:
    """``2022年6月1日``."""
    return strings.DATE_FULL_FMT.format(year=day.year, month=day.month, day=day.day)


def thumbnail(photo_dir: Path | None, sha256: str | None) -> io.BytesIO | None:
    """A stored photo's thumbnail (320 px; the full photo if it has none) for a table cell,
    or None when the office does not have the photo (not synced yet)."""
    if photo_dir is None or not sha256:
        return None
    from fieldapp.photos import photo_path, thumb_path

    for path in (thumb_path, photo_path):
        try:
            return io.BytesIO(path(Path(photo_dir), sha256).read_bytes())
        except (OSError, ValueError):
            continue
    return None
