"""登记问题's small map: the fix with its accuracy circle, a pin the inspector can move, and which
community's boundary holds the place (proposed when the inspector has not picked one, a warning
when the chosen one does not hold it).

A tap on the map moves the pin there: the case then keeps both the GPS fix (`position`) and the
moved place (`placed`, fieldapp/domain/events.py CaseRegistered), and the form says how far apart
they are. 用 GPS 位置 puts the pin back on the fix.

Test handles: ``map-new`` (the map), ``map-new-pin``, ``pin-note``, ``pin-reset``, ``community-note``.
"""

from __future__ import annotations

from typing import Callable, Optional

import flet as ft

from fieldapp.domain.geo import Position, distance_m
from fieldapp.text import fmt
from fieldapp.ui import strings
from fieldapp.ui.mapview import Basemap, move_pin, phone_basemap, small_map
from fieldapp.ui.screens.map import phone_boundaries
from fieldapp.text.theme import Palette


class PinPanel:
    def __init__(self, data, on_change: Callable[[], None]):
        self.data = data
        self.on_change = on_change
        self.fix: Optional[Position] = None
        self.placed: Optional[Position] = None
        self.basemap: Optional[Basemap] = None
        self.map = None
        self.boundaries = phone_boundaries(data.data_dir, data.rules)
        self.map_box = ft.Container(visible=False)
        self.note = ft.Text(strings.MAP_PIN_HINT, theme_style=ft.TextThemeStyle.BODY_SMALL,
                            color=Palette.ON_SURFACE_VARIANT)
        self.reset_button = ft.TextButton(strings.MAP_PIN_RESET, icon=ft.Icons.GPS_FIXED, on_click=self._reset,
                                          visible=False)
        self.control = ft.Column([
            self.map_box,
            ft.Semantics(identifier="pin-note", container=True, content=self.note),
            ft.Semantics(identifier="pin-reset", container=True, content=self.reset_button),
        ], spacing=4, visible=False)
        self.community_text = ft.Text("", theme_style=ft.TextThemeStyle.BODY_SMALL)
        self.community_note = ft.Semantics(identifier="community-note", container=True,
                                           content=self.community_text)

    @property
    def where(self) -> Optional[Position]:
        """Where the problem is: the moved pin, else the fix."""
        return self.placed or self.fix

    def show_fix(self, fix: Optional[Position]) -> None:
        """A new fix (or the photo's position): the map centres on it; a moved pin stays moved."""
        if fix is None:
            self.fix = None
            self.control.visible = self.placed is not None
            return
        if self.fix == fix and self.map is not None:
            return
        self.fix = fix
        if self.basemap is None:
            data = self.data
            self.basemap = data.run_here(lambda s: phone_basemap(data.data_dir, s.get_meta))
        at = self.where
        self.map_box.content, self.map = small_map(
            "new", self.basemap, at, boundaries=self.boundaries, fix=fix, height=220, on_tap=self._tapped,
            label=strings.MAP_PIN_HINT)
        self.map_box.visible = True
        self.control.visible = True
        self._render_note()

    def _tapped(self, lat: float, lon: float) -> None:
        try:
            self.placed = Position(round(lat, 7), round(lon, 7))
        except ValueError:
            return
        move_pin(self.map, self.basemap, self.placed)
        self._render_note()
        self.on_change()

    def _reset(self, _e=None) -> None:
        self.placed = None
        if self.map is not None and self.fix is not None:
            move_pin(self.map, self.basemap, self.fix)
        self._render_note()
        self.on_change()

    def _render_note(self) -> None:
        if self.placed is not None and self.fix is not None:
            self.note.value = strings.MAP_PIN_MOVED.format(m=fmt.distance(distance_m(self.placed, self.fix)))
            self.note.color = Palette.DUE_TODAY
            self.reset_button.visible = True
        else:
            self.note.value = strings.MAP_PIN_HINT
            self.note.color = Palette.ON_SURFACE_VARIANT
            self.reset_button.visible = False

    def reset(self) -> None:
        """After a save: the next problem starts on the fix again."""
        self.placed = None
        if self.map is not None and self.fix is not None:
            move_pin(self.map, self.basemap, self.fix)
        self._render_note()

    # --- communities ---------------------------------------------------------------------------

    def containing(self) -> Optional[str]:
        at = self.where
        return self.boundaries.community_at(at.lat, at.lon) if at is not None and self.boundaries else None

    def outside(self, position: Optional[Position] = None) -> Optional[bool]:
        """Whether the place is outside every boundary (None: no boundaries or no place)."""
        at = position or self.where
        if at is None or not self.boundaries:
            return None
        return self.boundaries.community_at(at.lat, at.lon) is None

    def check_community(self, picker) -> None:
        """Propose the community holding the place (unless one was picked by hand), else warn."""
        names = {c.code: c.name for c in self.data.rules.communities}
        at = self.where
        if at is None or not self.boundaries:
            self.community_text.value = ""
            return
        code = self.containing()
        if code is not None and not picker.picked and picker.value != code:
            picker.value = code
            picker.render()
        if code is None:
            self.community_text.value, self.community_text.color = strings.MAP_NOT_IN_ANY, Palette.DUE_TODAY
        elif code != picker.value:
            self.community_text.value = strings.MAP_NOT_IN_CHOSEN.format(
                chosen=names.get(picker.value, picker.value), other=names.get(code, code))
            self.community_text.color = Palette.DUE_TODAY
        else:
            self.community_text.value = strings.MAP_IN_COMMUNITY.format(name=names.get(code, code))
            self.community_text.color = Palette.RECTIFIED
