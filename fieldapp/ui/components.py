"""Small building blocks shared by the screens: a screen heading, an empty state.

Test handles: the heading of screen ``key`` carries the accessibility identifier
``screen-<key>`` (DOM: ``[flt-semantics-identifier="screen-cases"]``) and is a
level-1 heading, so ``page.get_by_role("heading", name=TITLE)`` finds it.
"""

from __future__ import annotations

import flet as ft

from fieldapp.text.theme import Palette


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
                key: str | None = None, action: ft.Control | None = None) -> ft.Control:
    """An icon, a one-line message, an optional hint and an optional action (what to do
    next), centred near the top: for empty lists and not-yet-built screens. ``key`` adds
    the handle ``empty-<key>``."""
    lines: list[ft.Control] = [
        ft.Icon(icon, size=64, color=Palette.OUTLINE),
        ft.Text(message, theme_style=ft.TextThemeStyle.TITLE_MEDIUM,
                text_align=ft.TextAlign.CENTER),
    ]
    if hint:
        lines.append(ft.Text(hint, theme_style=ft.TextThemeStyle.BODY_MEDIUM,
                             color=Palette.ON_SURFACE_VARIANT, text_align=ft.TextAlign.CENTER))
    if action is not None:
        lines.append(ft.Row([action]))
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


# --- pieces of the inspector's screens ---------------------------------------------------

#: message kind -> (icon, text colour, background)
_MESSAGE_LOOK = {
    "error": (ft.Icons.ERROR_OUTLINE, Palette.ERROR, "#FDECEE"),
    "warning": (ft.Icons.WARNING_AMBER, Palette.DUE_TODAY, "#FFF4E5"),
    "ok": (ft.Icons.CHECK_CIRCLE_OUTLINE, Palette.RECTIFIED, "#E8F5E9"),
    "info": (ft.Icons.INFO_OUTLINE, Palette.PRIMARY, Palette.PRIMARY_CONTAINER),
}


class Message:
    """An inline message line (error / warning / ok / info) that stays until replaced.

    Test handle: ``message-<key>`` (its text is the message).
    """

    def __init__(self, key: str):
        self.icon = ft.Icon(ft.Icons.INFO_OUTLINE, size=22)
        self.text = ft.Text("", theme_style=ft.TextThemeStyle.BODY_MEDIUM, expand=True)
        self.semantics = ft.Semantics(identifier=f"message-{key}", live_region=True,
                                      container=True,
                                      content=ft.Row([self.icon, self.text], spacing=8,
                                                     vertical_alignment=ft.CrossAxisAlignment.START))
        self.control = ft.Container(content=self.semantics, visible=False,
                                    padding=ft.Padding.symmetric(horizontal=12, vertical=10),
                                    border_radius=8)
        self.kind: str | None = None

    def show(self, text: str, kind: str = "error") -> None:
        icon, colour, bg = _MESSAGE_LOOK[kind]
        self.kind = kind
        self.icon.icon = icon
        self.icon.color = colour
        self.text.value = text
        self.text.color = colour
        self.control.bgcolor = bg
        self.control.visible = True

    def clear(self) -> None:
        self.kind = None
        self.text.value = ""
        self.control.visible = False

    @property
    def value(self) -> str:
        return self.text.value if self.control.visible else ""


def section(title: str, *controls: ft.Control, trailing: ft.Control | None = None) -> ft.Control:
    """A titled block of a form or a detail page."""
    head: ft.Control = ft.Text(title, theme_style=ft.TextThemeStyle.TITLE_SMALL)
    if trailing is not None:
        head = ft.Row([ft.Container(head, expand=True), trailing],
                      vertical_alignment=ft.CrossAxisAlignment.CENTER)
    return ft.Column([head, *controls], spacing=8,
                     horizontal_alignment=ft.CrossAxisAlignment.STRETCH)


def thumb(data: bytes | None, size: float = 72, on_click=None, label: str | None = None,
          identifier: str | None = None) -> ft.Control:
    """A square photo thumbnail (JPEG bytes), or a grey placeholder without a photo."""
    if data:
        body: ft.Control = ft.Image(src=data, width=size, height=size, fit=ft.BoxFit.COVER,
                                    border_radius=ft.BorderRadius.all(6),
                                    gapless_playback=True, exclude_from_semantics=True)
    else:
        body = ft.Container(ft.Icon(ft.Icons.IMAGE_NOT_SUPPORTED_OUTLINED, color=Palette.OUTLINE),
                            width=size, height=size, bgcolor="#E6E8EB",
                            border_radius=ft.BorderRadius.all(6),
                            alignment=ft.Alignment.CENTER)
    box = ft.Container(body, width=size, height=size, on_click=on_click,
                       border_radius=ft.BorderRadius.all(6))
    if label or identifier:
        return ft.Semantics(label=label, identifier=identifier, button=on_click is not None,
                            content=box)
    return box


def choice_chip(label: str, selected: bool, on_select, count: int | None = None,
                colour: str | None = None, data=None, identifier: str | None = None) -> ft.Control:
    """A choice/filter chip (a tappable rounded box); with `count`, a count badge.

    Not `ft.Chip`: in Flet 1.0.5 a Chip clips a label wider than plain text.
    Accessibility: a button (``selected`` when chosen) labelled e.g. ``逾期 12``.
    """
    parts: list[ft.Control] = [ft.Text(label, theme_style=ft.TextThemeStyle.LABEL_LARGE,
                                       color=Palette.ON_PRIMARY_CONTAINER if selected else None,
                                       no_wrap=True)]
    if count is not None:
        parts.append(ft.Container(
            ft.Text(str(count), theme_style=ft.TextThemeStyle.LABEL_SMALL, color=Palette.ON_PRIMARY),
            bgcolor=colour or Palette.OUTLINE, border_radius=ft.BorderRadius.all(10),
            padding=ft.Padding.symmetric(horizontal=7, vertical=1)))
    box = ft.Container(
        ft.Row(parts, spacing=6, tight=True, vertical_alignment=ft.CrossAxisAlignment.CENTER),
        height=48,  # a finger's tap target
        padding=ft.Padding.symmetric(horizontal=12),
        border_radius=ft.BorderRadius.all(20),
        border=ft.Border.all(2 if selected else 1, Palette.PRIMARY if selected else "#AEB4BD"),
        bgcolor=Palette.PRIMARY_CONTAINER if selected else Palette.SURFACE,
        on_click=on_select,
        data=data,
    )
    return ft.Semantics(identifier=identifier, selected=selected, container=True, content=box)


def chip_row(chips: list[ft.Control]) -> ft.Row:
    """Chips in lines that wrap (nothing hidden at 360 px)."""
    return ft.Row(chips, spacing=8, run_spacing=8, wrap=True)


class CommunityPicker:
    """A wrapping row of chips choosing one community; `value` is the chosen code.

    It starts on the inspector's own community and follows it when 我的 changes it
    (`follow_home`), until the inspector picks one here."""

    def __init__(self, communities, value: str):
        self.communities = communities
        self.value = value
        self.picked = False
        self.on_change = None  # called after the inspector picks one (登记问题 checks the boundaries)
        self.row = chip_row([])
        self.render()

    def choose(self, code: str) -> None:
        self.value = code
        self.picked = True
        self.render()
        if self.on_change is not None:
            self.on_change()

    def follow_home(self, home: str) -> bool:
        """Move to `home` unless a community was picked here (repainted if shown); whether it moved."""
        if self.picked or home == self.value:
            return False
        self.value = home
        self.render()
        update_if_shown(self.row)
        return True

    def render(self) -> None:
        self.row.controls = [
            choice_chip(c.name, c.code == self.value, lambda e, code=c.code: self.choose(code))
            for c in self.communities
        ]


def wide_button(text: str, icon: ft.IconData | None = None, on_click=None,
                filled: bool = True) -> ft.Control:
    """A full-width, 52 px high button (one-handed use, gloves)."""
    cls = ft.FilledButton if filled else ft.OutlinedButton
    return cls(text, icon=icon, on_click=on_click, height=52, expand=True,
               style=ft.ButtonStyle(text_style=_label_style()))


def _label_style() -> ft.TextStyle:
    from fieldapp.text.theme import text_style

    return text_style(17, ft.FontWeight.W_600)


def status_pill(text: str, colour: str) -> ft.Control:
    """A small coloured label (白字) such as 逾期3天."""
    return ft.Container(
        ft.Text(text, theme_style=ft.TextThemeStyle.LABEL_MEDIUM, color=Palette.ON_PRIMARY,
                no_wrap=True),
        bgcolor=colour, border_radius=ft.BorderRadius.all(12),
        padding=ft.Padding.symmetric(horizontal=10, vertical=3))


def back_header(key: str, title: str, on_back) -> ft.Control:
    """A sub-screen's title bar: a back arrow and a level-1 heading (``screen-<key>``)."""
    from fieldapp.ui import strings

    return ft.Container(
        ft.Row([
            ft.Semantics(identifier="back", label=strings.BACK, button=True, container=True,
                         content=ft.IconButton(ft.Icons.ARROW_BACK, on_click=on_back,
                                               icon_size=26)),
            ft.Semantics(identifier=f"screen-{key}", header=True, heading_level=1,
                         label=title, exclude_semantics=True,
                         content=ft.Text(title, theme_style=ft.TextThemeStyle.TITLE_LARGE)),
        ], spacing=4),
        padding=ft.Padding.only(left=4, right=16, top=4, bottom=4),
    )


def update_if_shown(control: ft.Control) -> bool:
    """``control.update()`` if it is on the page now (a hidden tab's view is not)."""
    try:
        control.update()
        return True
    except RuntimeError:
        return False


def notify(page: ft.Page | None, text: str) -> None:
    """A short SnackBar at the bottom (e.g. after a save that leaves the screen)."""
    if page is None:
        return
    try:
        page.show_dialog(ft.SnackBar(ft.Text(text, color=Palette.ON_PRIMARY),
                                     bgcolor=Palette.ON_SURFACE,
                                     duration=ft.Duration(milliseconds=4000)))
    except RuntimeError:
        pass


def on(fn, *args):
    """An event handler that calls ``fn(*args)``, awaiting it if it is a coroutine function.

    Flet 1.0.5 gotcha: a ``lambda e: self.async_method(x)`` handler is not a coroutine
    function, so Flet calls it and drops the coroutine unawaited — nothing happens.
    """
    import inspect

    if inspect.iscoroutinefunction(fn):
        async def handler(e=None):
            await fn(*args)
    else:
        def handler(e=None):
            fn(*args)
    return handler


def scroll_form(controls: list[ft.Control]) -> ft.Control:
    """A screen's scrolling body (a Column, not a lazy ListView: every field exists at
    once, so a form keeps its state and tests can scroll to any field)."""
    return ft.Container(
        ft.Column([*controls, ft.Container(height=16)], spacing=20, scroll=ft.ScrollMode.AUTO,
                  horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
        padding=ft.Padding.only(left=16, right=16), expand=True)
