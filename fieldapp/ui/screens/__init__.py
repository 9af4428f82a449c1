"""The bottom-tab screens, in tab order. One module per screen.

A screen module exposes ``build(ctx: AppContext) -> ft.Control`` and may expose
``on_show(view, ctx)``, called each time its tab is shown again (refresh a list
there). The shell builds each view once, on first show, and keeps it while the
session lives, so a half-filled form survives a trip to another tab.

To add a tab: write the module, add a `Tab` here, add its label to `strings`.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Callable, Optional

import flet as ft

from fieldapp.ui import strings
from fieldapp.ui.context import AppContext
from fieldapp.ui.screens import cases, me, new_case, survey, sync


@dataclass(frozen=True)
class Tab:
    key: str                      # stable id: routes, test handles ("screen-<key>")
    label: str                    # zh-CN, from `strings`
    icon: ft.IconData
    selected_icon: ft.IconData
    module: ModuleType            # has build(ctx), maybe on_show(view, ctx)

    @property
    def build(self) -> Callable[[AppContext], ft.Control]:
        return self.module.build

    @property
    def on_show(self) -> Optional[Callable[[ft.Control, AppContext], None]]:
        return getattr(self.module, "on_show", None)


_SYNC = Tab("sync", strings.TAB_SYNC, ft.Icons.CLOUD_SYNC_OUTLINED, ft.Icons.CLOUD_SYNC, sync)
_ME = Tab("me", strings.TAB_ME, ft.Icons.PERSON_OUTLINE, ft.Icons.PERSON, me)

#: The inspector's app (the default, also before enrolment).
TABS: tuple[Tab, ...] = (
    Tab("cases", strings.TAB_CASES, ft.Icons.ASSIGNMENT_OUTLINED, ft.Icons.ASSIGNMENT, cases),
    Tab("new", strings.TAB_NEW, ft.Icons.ADD_A_PHOTO_OUTLINED, ft.Icons.ADD_A_PHOTO, new_case),
    Tab("survey", strings.TAB_SURVEY, ft.Icons.FACT_CHECK_OUTLINED, ft.Icons.FACT_CHECK, survey),
    _SYNC,
    _ME,
)
#: The community's app: the same list screen, as 待整改 (its cases module reads the role).
COMMUNITY_TABS: tuple[Tab, ...] = (
    Tab("cases", strings.TAB_TODO, ft.Icons.ASSIGNMENT_LATE_OUTLINED, ft.Icons.ASSIGNMENT_LATE, cases),
    _SYNC,
    _ME,
)
TAB_KEYS = tuple(t.key for t in TABS)


def tabs_for(settings) -> tuple[Tab, ...]:
    """The tabs of the app this phone is enrolled as (`fieldapp.ui.data.Settings`)."""
    return COMMUNITY_TABS if settings.is_community else TABS


def tab_index(key: str, tabs: tuple[Tab, ...] = TABS) -> int:
    """Position of the tab `key`; ValueError for an unknown key."""
    keys = tuple(t.key for t in tabs)
    try:
        return keys.index(key)
    except ValueError:
        raise ValueError(f"unknown tab {key!r}; known: {', '.join(keys)}") from None
