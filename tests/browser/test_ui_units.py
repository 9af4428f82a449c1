"""Checks of the UI foundation that need no browser: font coverage, theme, clock, shell.

They guard the traps met while building it (see fieldapp/ui/theme.py and
assets/fonts/README.md). Not marked `browser`: they run in a second.
"""

from __future__ import annotations

import ast
import struct
from datetime import date, datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import flet as ft
import pytest

from fieldapp.ui import strings
from fieldapp.ui.app import ASSETS_DIR, Shell, setup_page
from fieldapp.ui.context import AppContext, frozen_clock
from fieldapp.ui.screens import TABS
from fieldapp.text.theme import FONT_ASSET, FONT_FAMILY, build_theme

UI_DIR = Path(__file__).resolve().parents[2] / "fieldapp" / "ui"
FONT = ASSETS_DIR / FONT_ASSET


def font_codepoints(path: Path) -> set[int]:
    """Code points mapped by a TTF's cmap (formats 4 and 12), without fontTools."""
    data = path.read_bytes()
    (num_tables,) = struct.unpack_from(">H", data, 4)
    tables = {}
    for i in range(num_tables):
        tag, _, offset, _ = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        tables[tag] = offset
    cmap = tables[b"cmap"]
    (count,) = struct.unpack_from(">H", data, cmap + 2)
    points: set[int] = set()
    for i in range(count):
        _, _, off = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        sub = cmap + off
        (fmt,) = struct.unpack_from(">H", data, sub)
        if fmt == 12:
            (groups,) = struct.unpack_from(">I", data, sub + 12)
            for g in range(groups):
                start, end, _ = struct.unpack_from(">III", data, sub + 16 + 12 * g)
                points.update(range(start, end + 1))
        elif fmt == 4:
            (seg2,) = struct.unpack_from(">H", data, sub + 6)
            ends = struct.unpack_from(f">{seg2 // 2}H", data, sub + 14)
            starts = struct.unpack_from(f">{seg2 // 2}H", data, sub + 16 + seg2)
            for s, e in zip(starts, ends):
                if s != 0xFFFF:
                    points.update(range(s, e + 1))
    return points


def ui_string_literals() -> dict[Path, list[str]]:
    """String constants in fieldapp/ui/**/*.py, docstrings excluded."""
    found: dict[Path, list[str]] = {}
    for path in sorted(UI_DIR.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                                 ast.AsyncFunctionDef)) and node.body:
                first = node.body[0]
                if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                    docstrings.add(id(first.value))
        found[path] = [n.value for n in ast.walk(tree)
                       if isinstance(n, ast.Constant) and isinstance(n.value, str)
                       and id(n) not in docstrings]
    return found


def is_cjk(ch: str) -> bool:
    return ord(ch) >= 0x2E80


# --- font -----------------------------------------------------------------------------

def test_font_subset_is_bundled_small_and_licensed():
    assert FONT.is_file(), "run scripts/make_font_subset.py"
    assert FONT.stat().st_size <= 5 * 1024 * 1024
    assert (FONT.parent / "OFL.txt").read_text().count("SIL OPEN FONT LICENSE") >= 1


def test_font_has_every_character_the_ui_uses():
    have = font_codepoints(FONT)
    text = "".join(s for lits in ui_string_literals().values() for s in lits)
    missing = sorted({c for c in text if not c.isspace() and ord(c) > 0x7E} - {chr(p) for p in have})
    assert not missing, f"regenerate the font subset; missing: {''.join(missing)}"


def test_font_has_every_hanzi_of_the_rules_files():
    # community and category names are shown on screen; a rare hanzi needs a new subset
    have = font_codepoints(FONT)
    text = "".join(p.read_text(encoding="utf-8")
                   for p in sorted((ASSETS_DIR / "rules").glob("*")) if p.is_file())
    missing = sorted({c for c in text if is_cjk(c) and ord(c) not in have})
    assert not missing, f"run scripts/make_font_subset.py; missing: {''.join(missing)}"


def test_font_covers_gb2312_hanzi():
    have = font_codepoints(FONT)
    hanzi = [bytes([hi, lo]).decode("gb2312") for hi in range(0xB0, 0xF8)
             for lo in range(0xA1, 0xFF) if (hi, lo) not in {(0xD7, x) for x in range(0xFA, 0xFF)}]
    assert len(hanzi) == 6763
    assert all(ord(c) in have for c in hanzi)


def test_screens_take_chinese_text_from_strings_module():
    offenders = {p.name: [s for s in lits if any(map(is_cjk, s))]
                 for p, lits in ui_string_literals().items() if p.name != "strings.py"}
    assert not {k: v for k, v in offenders.items() if v}


# --- theme ----------------------------------------------------------------------------

def test_every_theme_text_style_names_the_cjk_font():
    # Flet 1.0.5: a text_theme style without font_family loses Theme.font_family
    # and Chinese renders as boxes.
    theme = build_theme()
    assert theme.font_family == FONT_FAMILY
    slots = {name: getattr(theme.text_theme, name) for name in (
        "display_large", "display_medium", "display_small", "headline_large",
        "headline_medium", "headline_small", "title_large", "title_medium", "title_small",
        "body_large", "body_medium", "body_small", "label_large", "label_medium",
        "label_small")}
    assert all(s is not None and s.font_family == FONT_FAMILY for s in slots.values()), slots
    labels = theme.navigation_bar_theme.label_text_style
    assert all(s.font_family == FONT_FAMILY for s in labels.values())


def test_page_setup():
    page = SimpleNamespace(web=False)  # the phone build: the font comes with page.fonts
    setup_page(page)
    assert page.title == strings.APP_TITLE
    assert page.fonts == {FONT_FAMILY: FONT_ASSET}
    assert (ASSETS_DIR / page.fonts[FONT_FAMILY]).is_file()
    assert page.theme_mode == ft.ThemeMode.LIGHT
    browser = SimpleNamespace(web=True)  # the browser has it from the font manifest (docs/fonts.md)
    setup_page(browser)
    assert not hasattr(browser, "fonts") and browser.theme_mode == ft.ThemeMode.LIGHT


# --- context --------------------------------------------------------------------------

def test_frozen_clock_is_aware_utc():
    clock = frozen_clock("2022-05-31T20:30:00Z")
    assert clock() == datetime(2022, 5, 31, 20, 30, tzinfo=timezone.utc)
    assert clock().utcoffset().total_seconds() == 0
    assert frozen_clock("2022-06-01T04:30:00+08:00")() == clock()


@pytest.mark.parametrize("bad", ["2022-06-01T09:00:00", "next tuesday"])
def test_frozen_clock_rejects_naive_or_garbage(bad):
    with pytest.raises(ValueError, match="FIELDAPP_NOW"):
        frozen_clock(bad)


def test_context_from_env(tmp_path):
    ctx = AppContext.from_env(environ={"FIELDAPP_DATA_DIR": str(tmp_path / "d"),
                                       "FIELDAPP_NOW": "2022-05-31T20:30:00Z"})
    assert ctx.data_dir == (tmp_path / "d").resolve() and ctx.data_dir.is_dir()
    assert ctx.today() == date(2022, 6, 1)          # already 1 June in Beijing
    explicit = AppContext.from_env(tmp_path / "e", environ={"FIELDAPP_DATA_DIR": "/nope"})
    assert explicit.data_dir == (tmp_path / "e").resolve()
    assert explicit.clock().tzinfo is not None       # real clock, aware


# --- shell ----------------------------------------------------------------------------

class StubPage(SimpleNamespace):
    def __init__(self):
        super().__init__(controls=[], navigation_bar=None, updates=0, tasks=[])

    def add(self, *controls):
        self.controls.extend(controls)

    def update(self, *controls):
        self.updates += 1

    def run_task(self, handler, *args):   # screens refresh themselves in a task
        self.tasks.append(handler)


def find_identifiers(control) -> set[str]:
    """Semantics identifiers in a control tree."""
    found, stack = set(), [control]
    while stack:
        c = stack.pop()
        if isinstance(c, ft.Semantics) and c.identifier:
            found.add(c.identifier)
        for attr in ("content", "controls"):
            child = getattr(c, attr, None)
            stack.extend(child if isinstance(child, list) else [child] if child else [])
    return found


def test_each_screen_has_its_heading_handle(tmp_path):
    ctx = AppContext.from_env(tmp_path, environ={})
    for t in TABS:
        assert f"screen-{t.key}" in find_identifiers(t.build(ctx))


def test_shell_switches_tabs_and_keeps_views(tmp_path):
    page = StubPage()
    shell = Shell(page, AppContext.from_env(tmp_path, environ={}))
    shell.mount()
    assert page.navigation_bar is shell.nav
    assert [d.label for d in shell.nav.destinations] == [t.label for t in TABS]
    assert "screen-cases" in find_identifiers(shell.body.content)

    shell.nav.selected_index = 3                     # what the client sets before on_change
    shell._on_nav_change(SimpleNamespace(control=shell.nav))
    assert "screen-sync" in find_identifiers(shell.body.content)
    sync_view = shell.body.content

    shell.ctx.navigate("cases")                     # screens switch tabs through the context
    assert shell.nav.selected_index == 0 and page.updates == 1
    shell.ctx.navigate("sync")
    assert shell.body.content is sync_view           # built once, kept for the session
    with pytest.raises(ValueError, match="unknown tab"):
        shell.ctx.navigate("nope")


def test_the_back_button_asks_before_a_half_filled_form_is_lost(tmp_path):
    """The phone's back button on the app's only view: allowed at once, or asked first when
    登记问题 holds unsaved input (View.can_pop / on_confirm_pop)."""
    import asyncio

    class View(SimpleNamespace):
        async def confirm_pop(self, should_pop):
            self.answers.append(should_pop)

    page = StubPage()
    page.views = [View(can_pop=True, on_confirm_pop=None, answers=[])]
    page.dialogs = []
    page.show_dialog = page.dialogs.append
    page.pop_dialog = lambda: page.dialogs.pop()
    shell = Shell(page, AppContext.from_env(tmp_path, environ={}))
    shell.mount()
    view = page.views[0]
    assert view.can_pop is False and view.on_confirm_pop is not None
    back = SimpleNamespace(control=view)
    asyncio.run(view.on_confirm_pop(back))                    # nothing typed: leave at once
    assert view.answers == [True] and not page.dialogs

    shell.ctx.navigate("new")
    form = shell.body.content.data
    form.category = "Z1"
    asyncio.run(view.on_confirm_pop(back))                    # a half-filled form: ask
    assert view.answers == [True] and len(page.dialogs) == 1
    stay, go = page.dialogs[0].actions
    asyncio.run(stay.on_click(None))
    assert view.answers == [True, False] and not page.dialogs
    asyncio.run(view.on_confirm_pop(back))
    asyncio.run(page.dialogs[0].actions[1].on_click(None))
    assert view.answers == [True, False, True]
