"""The office's printable documents (fpdf2): one letterhead, page numbers, tables, photo thumbnails.

Every PDF the office makes — the 督办通知单 (notice_pdf.py) and the 通报 (bulletin.py) —
is an `OfficePdf`: A4, the project's CJK font (assets/fonts/NotoSansSC-Subset.ttf,
embedded as a subset of the glyphs used), a header line with the office's name and
the document's date on every page, and "第 N 页，共 M 页" in the footer. The pieces:

- `OfficePdf(office, title, day)` — ``pdf.heading(text)``, ``pdf.paragraph(text)``,
  ``pdf.table(...)`` (fpdf2's own, in the CJK font; see `table_style`);
- `thumbnail(photo_dir, sha256)` — a stored photo's thumbnail (or the photo) as bytes
  for a table cell, or None when the office does not have it;
- `OfficePdf.output_bytes()`;
- for the 通报: ``pdf.section(text)`` (a left-aligned heading that keeps a few lines with it),
  ``pdf.bar_chart(groups, series)`` (grouped bars drawn with lines and rectangles: no chart
  library), ``pdf.photo_strip([(caption, image or None), ...])`` (thumbnails side by side,
  captioned), ``pdf.ensure_space(mm)`` (a new page unless that much is left).

The font has one weight (Regular): emphasis is size and colour, never bold.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import WrapMode
from fpdf.fonts import FontFace

from fieldapp.office import words as strings

FONT = "CJK"
FONT_PATH = Path(__file__).resolve().parents[2] / "assets" / "fonts" / "NotoSansSC-Subset.ttf"
INK = (33, 33, 33)
MUTED = (96, 101, 110)
ACCENT = (11, 79, 138)  # the dashboard's primary blue
OVERDUE = (179, 38, 30)
RULE = (190, 196, 204)
HEAD_FILL = (238, 243, 249)
#: the 通报's bar chart: superior, office, satisfaction, final (the dashboard's chart colours' spirit)
CHART_COLOURS = ((66, 133, 196), (120, 172, 112), (236, 163, 66), (11, 79, 138))


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

    # --- the 通报's pieces -----------------------------------------------------------------------

    def ensure_space(self, height: float) -> None:
        """Start a new page unless `height` mm are left above the bottom margin."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def section(self, text: str, *, size: float = 13, keep: float = 30) -> None:
        """A section heading, left-aligned, kept on one page with the first `keep` mm after it."""
        self.ensure_space(size * 0.6 + keep)
        self.ln(1)
        self.set_font(FONT, size=size)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT", wrapmode=WrapMode.CHAR)
        self.set_text_color(*INK)
        self.set_font(FONT, size=10)
        self.ln(1.5)

    def line_text(self, text: str, *, size: float = 9.5, colour=INK, indent: float = 0) -> None:
        """One wrapped line of body text (at `indent` mm from the left margin)."""
        self.set_font(FONT, size=size)
        self.set_text_color(*colour)
        self.set_x(self.l_margin + indent)
        self.text_box(self.epw - indent, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)

    def text_box(self, width: float, height: float, text: str, **kw) -> None:
        """`multi_cell` that wraps Chinese by character — as one `cell` when the text fits on a line
        (fpdf2's line breaking measures each line character by character: the 通报's thousands of
        short lines are several times faster this way)."""
        if "\n" not in text and self.get_string_width(text) <= width - 2 * self.c_margin:
            self.cell(width, height, text, **kw)
        else:
            self.multi_cell(width, height, text, wrapmode=WrapMode.CHAR, **kw)

    def photo_strip(self, photos: list[tuple[str, io.BytesIO | None]], *, height: float = 30,
                    missing: str = "", indent: float = 0) -> None:
        """Thumbnails side by side (each `height` mm high, at most 4:3 wide) with a caption under each;
        a photo the office lacks is a grey box saying `missing`. Wraps to a new row when full."""
        if not photos:
            return
        width = height * 4 / 3
        gap = 3
        x0 = self.l_margin + indent
        per_row = max(1, int((self.epw - indent + gap) // (width + gap)))
        for start in range(0, len(photos), per_row):
            row = photos[start:start + per_row]
            self.ensure_space(height + 6)
            y = self.get_y()
            for i, (caption, image) in enumerate(row):
                x = x0 + i * (width + gap)
                placed = False
                if image is not None:
                    try:
                        self.image(image, x=x, y=y, w=width, h=height, keep_aspect_ratio=True)
                        placed = True
                    except Exception:  # a damaged file: shown as missing, never a failed document
                        placed = False
                if not placed:
                    self.set_fill_color(*HEAD_FILL)
                    self.set_draw_color(*RULE)
                    self.rect(x, y, width, height, style="DF")
                    self.set_xy(x, y + height / 2 - 2.5)
                    self.set_font(FONT, size=7.5)
                    self.set_text_color(*MUTED)
                    self.cell(width, 5, missing, align="C")
                self.set_xy(x, y + height + 0.5)
                self.set_font(FONT, size=7.5)
                self.set_text_color(*MUTED)
                self.cell(width, 3.5, caption, align="C")
            self.set_text_color(*INK)
            self.set_xy(self.l_margin, y + height + 5)

    def bar_chart(self, groups: list[tuple[str, list[float | None]]], series: list[str], *,
                  height: float = 70, top: float = 100, colours=None) -> None:
        """Grouped bars: one group per label (a community), one bar per series (superior, office,
        satisfaction, final), scale 0–`top` with grid lines every 20; a value of None is no bar.
        Drawn with fpdf2's lines, rectangles and text: no chart library."""
        colours = colours or CHART_COLOURS
        legend_h, axis_w, label_h = 7, 9, 7
        self.ensure_space(height + legend_h + label_h + 4)
        x0, y0 = self.l_margin + axis_w, self.get_y() + legend_h
        width = self.epw - axis_w
        # legend
        lx = x0
        self.set_font(FONT, size=8)
        for name, colour in zip(series, colours):
            self.set_fill_color(*colour)
            self.rect(lx, y0 - legend_h + 1.5, 3.5, 3.5, style="F")
            self.set_xy(lx + 4.5, y0 - legend_h + 1)
            self.set_text_color(*INK)
            self.cell(self.get_string_width(name) + 1, 4.5, name)
            lx += self.get_string_width(name) + 10
        # grid and scale
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        step = 20 if top <= 120 else top / 5
        value = 0.0
        while value <= top + 1e-9:
            y = y0 + height - height * value / top
            self.line(x0, y, x0 + width, y)
            self.set_xy(self.l_margin, y - 2)
            self.set_text_color(*MUTED)
            self.cell(axis_w - 1, 4, f"{value:g}", align="R")
            value += step
        # bars
        slot = width / max(1, len(groups))
        bar = min(8.0, slot * 0.8 / max(1, len(series)))
        for g, (label, values) in enumerate(groups):
            gx = x0 + g * slot + (slot - bar * len(series)) / 2
            for i, v in enumerate(values):
                if v is None:
                    continue
                h = height * max(0.0, min(float(v), top)) / top
                self.set_fill_color(*colours[i % len(colours)])
                self.rect(gx + i * bar, y0 + height - h, bar * 0.9, h, style="F")
                self.set_font(FONT, size=6)
                self.set_text_color(*MUTED)
                self.set_xy(gx + i * bar - 1, y0 + height - h - 3.2)
                self.cell(bar * 0.9 + 2, 3, f"{float(v):.1f}", align="C")
            self.set_font(FONT, size=8.5)
            self.set_text_color(*INK)
            self.set_xy(x0 + g * slot, y0 + height + 1)
            self.cell(slot, 5, label, align="C")
        self.set_draw_color(*INK)
        self.line(x0, y0 + height, x0 + width, y0 + height)
        self.set_text_color(*INK)
        self.set_font(FONT, size=10)
        self.set_xy(self.l_margin, y0 + height + label_h)


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
