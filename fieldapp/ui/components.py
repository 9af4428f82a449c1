"""Small building blocks shared by the screens: a screen heading, an empty state.

Test handles: the heading of screen ``key`` carries the accessibility identifier
``screen-<key>`` (DOM: ``[flt-semantics-identifier="screen-cases"]``) and is a
level-1 heading, so ``page.get_by_role("heading", name=TITLE)`` finds it.
"""

from __future__ import annotations

import flet as ft

from fieldapp.ui.theme import Palette


def screen_header(key: str, title: str, subtitle: str | None = None) -> ft.Control:
    """The title bar at the top of a screen, with a stable accessibility handle."""
    heading = ft.Semantics(
        identifier=f"screen-{key}",
        header=True,
        heading_level=1,
        label=title,
        exclude_semantics=True,
        content=ft.Text(title, theme_style=ft.TextThemeStyle.TITLE_LARGE,
                        max_lines=1, overflow=ft.TextOverflow.ELLIPSIS),
    )
    lines: list[ft.Control] = [heading]
    if subtitle:
        lines.append(ft.Text(subtitle, theme_style=ft.TextThemeStyle.BODY_SMALL))
    return ft.Container(
        content=ft.Column(lines, spacing=2),
        padding=ft.Padding.symmetric(horizontal=16, vertical=12),
    )


def empty_state(icon: ft.IconData, message: str, hint: str | None = None,
                key: str | None = None) -> ft.Control:
    """An icon, a one-line message and an optional hint, centred near the top: for
    empty lists and not-yet-built screens. ``key`` adds the handle ``empty-<key>``."""
    lines: list[ft.Control] = [
        ft.Icon(icon, size=64, color=Palette.OUTLINE),
        ft.Text(message, theme_style=ft.TextThemeStyle.TITLE_MEDIUM,
                text_align=ft.TextAlign.CENTER),
    ]
    if hint:
        lines.append(ft.Text(hint, theme_style=ft.TextThemeStyle.BODY_MEDIUM,
                             color=Palette.ON_SURFACE_VARIANT, text_align=ft.TextAlign.CENTER))
    column = ft.Column(lines, spacing=12,
                       horizontal_alignment=ft.CrossAxisAlignment.CENTER)
    body: ft.Control = column
    if key:
        body = ft.Semantics(identifier=f"empty-{key}", container=True, content=column)
    return ft.Container(content=body, padding=ft.Padding.symmetric(horizontal=32, vertical=24),
                        alignment=ft.Alignment.TOP_CENTER, expand=True)


def screen(key: str, title: str, *body: ft.Control, subtitle: str | None = None) -> ft.Control:
    """A whole tab: the heading, then `body` below it.

    The column does not scroll: for long content pass one ``ft.ListView(expand=True)``
    (a scrolling Column cannot hold ``expand`` children such as `empty_state`).
    """
    return ft.Column(
        [screen_header(key, title, subtitle), *body],
        spacing=0,
        expand=True,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )
