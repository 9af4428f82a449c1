"""Evidence marks on screen (domain/evidence.py): one warning panel, used on 登记问题 before
saving, on 案件详情 and in the office's case dialog; words from strings.EVIDENCE_*, never codes."""

from __future__ import annotations

from typing import Sequence

import flet as ft

from fieldapp.ui import strings
from fieldapp.text.theme import Palette

WARN_BG = "#FFF4E5"  # a light orange behind dark orange text (Palette.DUE_TODAY, 6.9:1 on white)


def mark_words(marks: Sequence[str]) -> str:
    """The marks in plain words, joined: 位置仅来自照片、照片拍摄时间过早."""
    return strings.LIST_SEPARATOR.join(strings.EVIDENCE_MARKS.get(m, strings.EVIDENCE_MARK_OTHER) for m in marks)


def mark_lines(marks: Sequence[str], max_age_days: int) -> list[str]:
    """One line per mark: its words, then what it means."""
    out = []
    for m in marks:
        words = strings.EVIDENCE_MARKS.get(m, strings.EVIDENCE_MARK_OTHER)
        why = strings.EVIDENCE_WHY.get(m, "").format(days=max_age_days)
        out.append(strings.EVIDENCE_LINE.format(words=words, why=why) if why else words)
    return out


def evidence_panel(marks: Sequence[str], max_age_days: int, identifier: str, *, title: str = "",
                   hint: str = "") -> ft.Control:
    """A bordered orange panel: a warning title, a line per mark, an optional hint.
    Hidden (visible=False) when there are no marks."""
    colour = Palette.DUE_TODAY
    lines: list[ft.Control] = [
        ft.Row([ft.Icon(ft.Icons.WARNING_AMBER, size=22, color=colour),
                ft.Text(title or strings.EVIDENCE_CASE_LINE.format(marks=mark_words(marks)),
                        theme_style=ft.TextThemeStyle.TITLE_SMALL, color=colour, expand=True)],
               spacing=8, vertical_alignment=ft.CrossAxisAlignment.START),
    ]
    lines += [ft.Text(f"· {line}", theme_style=ft.TextThemeStyle.BODY_MEDIUM, color=Palette.ON_SURFACE)
              for line in mark_lines(marks, max_age_days)]
    if hint:
        lines.append(ft.Text(hint, theme_style=ft.TextThemeStyle.BODY_SMALL, color=Palette.ON_SURFACE_VARIANT))
    return ft.Semantics(
        identifier=identifier, container=True, visible=bool(marks),
        content=ft.Container(ft.Column(lines, spacing=6, tight=True), bgcolor=WARN_BG,
                             border=ft.Border.all(2, colour), border_radius=ft.BorderRadius.all(8),
                             padding=12))
