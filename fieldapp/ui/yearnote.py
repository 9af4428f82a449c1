"""The plain word a phone screen shows when this phone has no rules for the current year.

The rules are data per assessment year (fieldapp/rules.py). A phone works on today's clock:
in a year whose rules have not reached it (the office has not made them, or the phone has not
synced since), new cases get the nearest year's defaults (the deadline's days) and are not
scored until the office has that year's rules. 登记问题 and 我的案件 say so, at the top:

    notice = YearNotice(data, "new")     # test handle ``year-notice-new``
    column = [header, notice.control, ...]   # or first in a scrolling form (inset=False)
    notice.refresh()                     # in on_show: True if it changed (the rules came at a sync)
"""

from __future__ import annotations

import flet as ft

from fieldapp.ui import strings
from fieldapp.ui.components import Message


class YearNotice:
    def __init__(self, data, key: str, inset: bool = True):
        """`inset=False` inside a form that has its own side padding (it scrolls with the form)."""
        self.data = data
        self.message = Message(f"year-{key}")
        padding = ft.Padding.only(left=16, right=16, top=4) if inset else ft.Padding.only(top=4)
        self.control = ft.Semantics(identifier=f"year-notice-{key}", container=True,
                                    content=ft.Container(self.message.control, padding=padding))
        self.shown: tuple | None = None
        self.refresh()

    def text(self) -> str:
        """The words for this phone now, or "" when it has the current year's rules."""
        if self.data.year_has_rules:
            return ""
        return strings.YEAR_NO_RULES.format(year=self.data.year, fallback=self.data.rules.year)

    def refresh(self) -> bool:
        """Show or hide the notice for the current clock and rules; True if that changed."""
        text = self.text()
        state = (text,)
        if state == self.shown:
            return False
        self.shown = state
        if text:
            self.message.show(text, "warning")
        else:
            self.message.clear()
        self.control.visible = bool(text)
        return True
