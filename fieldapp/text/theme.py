"""The phone app's look: a light, high-contrast Material 3 theme readable in sunlight.

Dark text on white, a deep blue accent, large body text (16 px) and touch
targets. Screens take colours from `Palette` (status colours) or from the theme
(``ft.Colors.PRIMARY``…), never ad-hoc hex values.
"""

from __future__ import annotations

import flet as ft

#: Family name the bundled font is registered under (`page.fonts`).
FONT_FAMILY = "CJK"
#: Path relative to the assets folder (assets/fonts/README.md tells its story).
#: In the browser it is loaded before Flutter's first frame instead, as `CJK`
#: (assets/assets/FontManifest.json) and as `Roboto`, the family of text laid out before
#: the theme arrives (assets/assets/fonts/roboto.woff2 links to it): no text is ever laid
#: out without its glyphs, so Flutter never fetches fallback fonts (docs/fonts.md).
FONT_ASSET = "fonts/NotoSansSC-Subset.ttf"


class Palette:
    """Colours with ≥ 7:1 contrast on white (WCAG AAA) unless noted."""

    PRIMARY = "#0B4F8A"          # deep blue, 8.4:1
    ON_PRIMARY = "#FFFFFF"
    PRIMARY_CONTAINER = "#D6E6FA"
    ON_PRIMARY_CONTAINER = "#001B3A"
    SURFACE = "#FFFFFF"
    ON_SURFACE = "#111111"
    ON_SURFACE_VARIANT = "#333333"  # secondary text stays dark in sunlight
    OUTLINE = "#555555"
    ERROR = "#A8071A"

    # case status colours (text/icons on white, or as chip backgrounds with white text)
    OVERDUE = "#A8071A"          # 逾期 — red
    DUE_TODAY = "#8A4100"        # 今日到期 — dark orange (6.9:1)
    DUE_SOON = "#0B4F8A"         # 本周到期 — the accent
    RECTIFIED = "#1A6B1F"        # 整改到位 — green (6.5:1)
    NOT_RECTIFIED = "#A8071A"    # 未整改到位
    VOIDED = "#555555"           # 作废 — grey


#: Minimum size of anything tappable, in logical pixels (Material says 48).
TOUCH_TARGET = 48


def text_style(size: float, weight: ft.FontWeight | None = None,
               color: str | None = None) -> ft.TextStyle:
    """A TextStyle in the bundled CJK font.

    Flet 1.0.5 gotcha: a `Theme.text_theme` style without `font_family` drops the
    theme's `font_family` (Chinese turns into boxes), so every style names it.
    """
    return ft.TextStyle(size=size, weight=weight, color=color, font_family=FONT_FAMILY)


def build_theme() -> ft.Theme:
    """The app theme; set as `page.theme` with `page.theme_mode = LIGHT`."""
    p = Palette
    return ft.Theme(
        font_family=FONT_FAMILY,
        use_material3=True,
        color_scheme_seed=p.PRIMARY,
        color_scheme=ft.ColorScheme(
            primary=p.PRIMARY,
            on_primary=p.ON_PRIMARY,
            primary_container=p.PRIMARY_CONTAINER,
            on_primary_container=p.ON_PRIMARY_CONTAINER,
            surface=p.SURFACE,
            on_surface=p.ON_SURFACE,
            on_surface_variant=p.ON_SURFACE_VARIANT,
            outline=p.OUTLINE,
            error=p.ERROR,
        ),
        scaffold_bgcolor=p.SURFACE,
        text_theme=ft.TextTheme(
            display_large=text_style(48),
            display_medium=text_style(40),
            display_small=text_style(34),
            headline_large=text_style(30, ft.FontWeight.W_700),
            headline_medium=text_style(28, ft.FontWeight.W_700),
            headline_small=text_style(26, ft.FontWeight.W_700),
            title_large=text_style(24, ft.FontWeight.W_700, p.ON_SURFACE),
            title_medium=text_style(18, ft.FontWeight.W_600, p.ON_SURFACE),
            title_small=text_style(16, ft.FontWeight.W_600, p.ON_SURFACE),
            body_large=text_style(18, color=p.ON_SURFACE),
            body_medium=text_style(16, color=p.ON_SURFACE),
            body_small=text_style(14, color=p.ON_SURFACE_VARIANT),
            label_large=text_style(16, ft.FontWeight.W_600),
            label_medium=text_style(14, ft.FontWeight.W_600),
            label_small=text_style(13, ft.FontWeight.W_600),
        ),
        navigation_bar_theme=ft.NavigationBarTheme(
            bgcolor="#F2F5F9",
            indicator_color=p.PRIMARY_CONTAINER,
            height=72,
            label_text_style={
                ft.ControlState.SELECTED: text_style(13, ft.FontWeight.W_700, p.PRIMARY),
                ft.ControlState.DEFAULT: text_style(13, color=p.ON_SURFACE),
            },
        ),
    )
