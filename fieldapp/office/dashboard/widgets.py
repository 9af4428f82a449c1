"""Desktop building blocks of the dashboard screens (the phone's are fieldapp/ui/components.py).

Flet 1.0.5 trap (fieldapp/text/theme.py): a TextStyle without ``font_family`` drops the
bundled CJK font and Chinese turns into boxes — every style here comes from
`theme.text_style`, and tables get their heading/data styles set explicitly.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Callable, Iterable

import flet as ft

from fieldapp.ui.components import on, status_pill  # noqa: F401 - re-exported for the screens
from fieldapp.text.theme import Palette, text_style

#: chart colours, one per community (distinct, dark enough for white text)
SERIES = ("#0B4F8A", "#B3261E", "#1A6B1F", "#8A4100", "#6A1B9A", "#00695C", "#5D4037", "#37474F")
#: the three components and the final score in the bar chart
COMPONENT_COLOURS = ("#7BA7D9", "#A5C98B", "#F2C572", "#0B4F8A")

Q2 = Decimal("0.01")


def num(value: Decimal | float | None, places: int = 2) -> str:
    """``89.50``; ``—`` for no value."""
    if value is None:
        return "—"
    return str(Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))


def plain(value) -> str:
    """``2``, ``0.5``: a number without trailing zeros."""
    text = format(Decimal(str(value)).normalize(), "f")
    return "0" if text in ("-0", "") else text


def points(value: Decimal) -> str:
    """A deduction or bonus as the report writes it: ``-2``, ``+0.1``, ``0``."""
    text = format(value.normalize(), "f") if value else "0"
    if value > 0:
        text = "+" + text
    return text


def title(text: str, key: str) -> ft.Control:
    """A screen's level-1 heading with the handle ``screen-<key>``."""
    return ft.Semantics(
        identifier=f"screen-{key}", header=True, heading_level=1, label=text, exclude_semantics=True,
        content=ft.Text(text, theme_style=ft.TextThemeStyle.HEADLINE_SMALL, no_wrap=True),
    )


def subtitle(text: str) -> ft.Text:
    return ft.Text(text, theme_style=ft.TextThemeStyle.TITLE_MEDIUM)


def small(text: str, colour: str | None = None, **kw) -> ft.Text:
    return ft.Text(text, theme_style=ft.TextThemeStyle.BODY_SMALL, color=colour, **kw)


def card(*controls: ft.Control, padding: int = 16, expand: bool | int | None = None,
         spacing: int = 10, identifier: str | None = None) -> ft.Control:  # fmt: skip
    body = ft.Container(
        ft.Column(list(controls), spacing=spacing, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
        padding=padding, border=ft.Border.all(1, "#D5DAE1"), border_radius=ft.BorderRadius.all(10),
        bgcolor=Palette.SURFACE, expand=expand,
    )
    if identifier:
        return ft.Semantics(identifier=identifier, container=True, content=body, expand=expand)
    return body


def labelled(identifier: str, control: ft.Control, label: str | None = None) -> ft.Control:
    """A stable test handle ``[flt-semantics-identifier=...]`` around a control."""
    return ft.Semantics(identifier=identifier, label=label, container=True, content=control)


def cell_text(text: str, *, bold: bool = False, colour: str | None = None, identifier: str | None = None,
              width: float | None = None, max_lines: int | None = 2) -> ft.Control:  # fmt: skip
    t = ft.Text(text, weight=ft.FontWeight.W_700 if bold else None, color=colour, width=width,
                max_lines=max_lines, overflow=ft.TextOverflow.ELLIPSIS if max_lines else None)  # fmt: skip
    return labelled(identifier, t) if identifier else t


def table(columns: Iterable[str], rows: list[ft.DataRow], *, numeric: Iterable[int] = (),
          identifier: str | None = None, column_spacing: int = 24, row_height: tuple[int, int] = (44, 44),
          ) -> ft.Control:  # fmt: skip
    """A DataTable in the dashboard's look. Flutter sizes every data row to `row_height`'s
    maximum: give (44, 64) only to tables whose cells wrap to two lines."""
    numeric = set(numeric)
    t = ft.DataTable(
        columns=[ft.DataColumn(ft.Text(c), numeric=i in numeric) for i, c in enumerate(columns)],
        rows=rows,
        heading_text_style=text_style(14, ft.FontWeight.W_700, Palette.ON_SURFACE),
        data_text_style=text_style(14, color=Palette.ON_SURFACE),
        heading_row_color="#EEF3F9",
        heading_row_height=44,
        data_row_min_height=row_height[0],
        data_row_max_height=row_height[1],
        column_spacing=column_spacing,
        horizontal_margin=12,
        border=ft.Border.all(1, "#D5DAE1"),
        border_radius=ft.BorderRadius.all(8),
        divider_thickness=0.5,
    )
    return labelled(identifier, t) if identifier else t


def row(cells: list[ft.Control], on_select: Callable | None = None) -> ft.DataRow:
    return ft.DataRow(cells=[ft.DataCell(c) for c in cells], on_select_change=on_select)


#: the least height of anything clicked (Material's 48 px target)
TARGET = 48
#: a SegmentedButton (实时/年终, the years) 48 px high: its segments are click targets too
SEGMENT_STYLE = ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=18, vertical=14),
                               visual_density=ft.VisualDensity.STANDARD)


def chip(text: str, selected: bool, on_click, identifier: str | None = None) -> ft.Control:
    """A filter chip (a rounded box; `ft.Chip` clips wide labels in 1.0.5): a 36 px pill
    inside a 48 px target that takes the click."""
    pill = ft.Container(
        ft.Text(text, theme_style=ft.TextThemeStyle.LABEL_LARGE,
                color=Palette.ON_PRIMARY_CONTAINER if selected else None, no_wrap=True),  # fmt: skip
        # no height + alignment: an aligned Container fills all the width a Wrap offers
        padding=ft.Padding.symmetric(horizontal=14, vertical=7), border_radius=ft.BorderRadius.all(18),
        border=ft.Border.all(2 if selected else 1, Palette.PRIMARY if selected else "#AEB4BD"),
        bgcolor=Palette.PRIMARY_CONTAINER if selected else Palette.SURFACE,
    )
    box = ft.Container(pill, padding=ft.Padding.symmetric(vertical=(TARGET - 36) // 2), on_click=on_click)
    return ft.Semantics(identifier=identifier, selected=selected, button=True, label=text, container=True,
                        content=box)  # fmt: skip


def chips(items: list[tuple[str, str]], selected: str, on_pick, prefix: str) -> ft.Row:
    """A row of chips for (value, label) pairs; `on_pick(value)` may be async."""
    return ft.Row(
        [chip(label, value == selected, on(on_pick, value), identifier=f"{prefix}-{value}") for value, label in items],
        spacing=8, run_spacing=8, wrap=True,
    )


def open_button(on_click, identifier: str | None = None, text: str | None = None) -> ft.Control:
    """The 查看案件 button that opens a row's case (a DataTable row's own click does nothing in
    Chromium with Flet 1.0.5): a text button with a chevron, 48 px high."""
    from fieldapp.office import words as strings

    b = ft.TextButton(
        content=ft.Row([ft.Text(text or strings.DASH_OPEN_CASE, no_wrap=True),
                        ft.Icon(ft.Icons.CHEVRON_RIGHT, size=18)], spacing=2, tight=True),  # fmt: skip
        on_click=on_click, height=TARGET, tooltip=text or strings.DASH_OPEN_CASE,
    )
    return labelled(identifier, b) if identifier else b


def walk(control):
    """A control and everything inside it (content, controls)."""
    yield control
    for name in ("content", "controls"):
        value = getattr(control, name, None)
        for child in value if isinstance(value, list) else [value] if isinstance(value, ft.Control) else []:
            yield from walk(child)


INPUTS = (ft.TextField, ft.Dropdown, ft.Checkbox, ft.FilledButton, ft.OutlinedButton)


def read_only(control: ft.Control) -> ft.Control:
    """A viewer's form: every field and write button in `control` disabled (the server checks
    every write anyway). Returns `control`."""
    for c in walk(control):
        if isinstance(c, INPUTS):
            c.disabled = True
    return control


def read_only_notice(identifier: str) -> ft.Control:
    """The 只读账户 line over a viewer's disabled form."""
    from fieldapp.office import words as strings

    return labelled(identifier, ft.Row([ft.Icon(ft.Icons.LOCK_OUTLINE, size=18, color=Palette.DUE_TODAY),
                                        small(strings.DASH_ENTRY_READ_ONLY, Palette.DUE_TODAY)], spacing=6))


def legend(entries: list[tuple[str, str]]) -> ft.Row:
    """Colour swatches with their names (for the charts)."""
    return ft.Row(
        [ft.Row([ft.Container(width=14, height=14, bgcolor=colour, border_radius=ft.BorderRadius.all(3)),
                 small(name)], spacing=6, tight=True) for name, colour in entries],  # fmt: skip
        spacing=18, wrap=True,
    )


def button(text: str, on_click, *, icon=None, filled: bool = True, identifier: str | None = None,
           disabled: bool = False) -> ft.Control:  # fmt: skip
    cls = ft.FilledButton if filled else ft.OutlinedButton
    b = cls(text, icon=icon, on_click=on_click, disabled=disabled, height=40,
            style=ft.ButtonStyle(text_style=text_style(15, ft.FontWeight.W_600)))  # fmt: skip
    return b if identifier is None else ft.Semantics(identifier=identifier, container=True, content=b)


def field(label: str, *, value: str = "", width: float | None = None, multiline: bool = False,
          password: bool = False, on_submit=None, autofocus: bool = False, expand: bool | int | None = None,
          dense: bool = False) -> ft.TextField:  # fmt: skip
    """A text field; a fault is shown under it by setting ``error`` (entry.mark_faults)."""
    return ft.TextField(
        label=label, value=value, width=width, multiline=multiline, min_lines=2 if multiline else None,
        max_lines=4 if multiline else 1, password=password, can_reveal_password=password,
        on_submit=on_submit, autofocus=autofocus, expand=expand, dense=dense,
        label_style=text_style(14, color=Palette.ON_SURFACE_VARIANT), text_style=text_style(15),
        error_style=text_style(13, color=Palette.ERROR), error_max_lines=3,
    )  # fmt: skip


def dropdown(label: str, options: list[tuple[str, str]], value: str | None = None, *, width: float = 220,
             on_select=None) -> ft.Dropdown:  # fmt: skip
    return ft.Dropdown(
        label=label, value=value, width=width, on_select=on_select,
        options=[ft.DropdownOption(key=k, text=t) for k, t in options],
        label_style=text_style(14, color=Palette.ON_SURFACE_VARIANT), text_style=text_style(15),
        error_style=text_style(13, color=Palette.ERROR),
    )  # fmt: skip


def update(control: ft.Control) -> None:
    """``control.update()`` when it is on the page (a hidden screen's controls are not)."""
    try:
        control.update()
    except (RuntimeError, AssertionError):
        pass
