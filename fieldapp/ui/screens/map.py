"""我的案件 · 地图: the cases of the list's filter on a map (a view of 我的案件, not a tab of its own).

Why a toggle and not a sixth tab: the inspector's bar already has five tabs (the most a 360 px
bar keeps readable), and the map shows exactly what the list shows — the same filters (community,
status, 我登记的, 待复查), the same urgency colours — so it is the list's other view (列表 / 地图
at the top of 我的案件), and a tap on a marker opens the same 案件详情.

Markers: 逾期 red, 今日到期 orange, 即将到期 blue, later grey, 待复查 blue-violet, 已整改 green,
作废 grey; grouped when zoomed out (fieldapp/maps/cluster.py); my position with its accuracy;
the communities' boundaries; the phone's copy of the office's map, else a plain background.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Awaitable, Callable, Optional

import flet as ft

from fieldapp.maps import boundaries as bnd
from fieldapp.domain.geo import Position
from fieldapp.store import Store
from fieldapp.text import fmt
from fieldapp.ui import strings
from fieldapp.ui.mapview import Basemap, CaseMap, MapCase, phone_basemap
from fieldapp.ui.queries import CLOSED, CaseFilter
from fieldapp.text.theme import Palette

log = logging.getLogger(__name__)

AWAITING_COLOUR = "#5B3FA8"
MAX_MAP_CASES = 20_000

_boundaries_cache: dict[str, tuple[tuple, bnd.Boundaries]] = {}


def phone_boundaries(data_dir: Path, rules) -> bnd.Boundaries:
    """The boundaries this phone has (the office's, else the shipped sample), read again when the file changes."""
    path = bnd.path_of(data_dir)
    try:
        st = os.stat(path) if path else None
        stamp = (str(path), st.st_mtime_ns, st.st_size) if st else ()
    except OSError:
        stamp = ()
    key = str(data_dir)
    held = _boundaries_cache.get(key)
    if held is None or held[0] != stamp:
        held = _boundaries_cache[key] = (stamp, bnd.load(data_dir, {c.code: c.name for c in rules.communities}))
    return held[1]


@dataclass(frozen=True)
class MapRow:
    """What a marker needs of a case (a lighter read than the list's CaseRow: 5,000 of them)."""

    case_id: str
    community: str
    category: str
    position: Optional[Position]
    status: str
    days_left: int
    deadline: date
    awaiting: bool
    lifecycle: str


def map_rows(store: Store, now: datetime, flt: CaseFilter) -> list[MapRow]:
    """Every case the filter shows (no paging: the map groups them), with the list's statuses."""
    from fieldapp.domain.deadlines import local_today
    from fieldapp.store import _ids, _in

    where, params = ["lifecycle = 'open'"], []
    if flt.status == CLOSED:
        where = ["lifecycle != 'open'"]
    if flt.awaiting:
        where.append("awaiting_utc IS NOT NULL")
    if flt.communities is not None:
        where.append(_in("community", tuple(flt.communities)))
        params.extend(flt.communities)
    if flt.inspector is not None:
        ids = _ids(flt.inspector)
        where.append(_in("registered_by", ids))
        params.extend(ids)
    if flt.community is not None:
        where.append("community = ?")
        params.append(flt.community)
    rules = store.rules
    today = local_today(now, rules.tz)
    out = []
    for case_id, community, category, lat, lon, acc, lifecycle, on_time, deadline, awaiting in store.db.execute(
            "SELECT case_id, community, category, lat, lon, accuracy_m, lifecycle, on_time, deadline, awaiting_utc "
            f"FROM cases WHERE {' AND '.join(where)} LIMIT ?", [*params, MAX_MAP_CASES]):
        day = date.fromisoformat(deadline)
        left = (day - today).days
        if lifecycle == "open":
            status = ("overdue" if left < 0 else "due_today" if left == 0 else
                      "due_soon" if left <= rules.due_soon_days else "open")
        else:
            status = "voided" if lifecycle == "voided" else "rectified_on_time" if on_time else "rectified_late"
        if flt.status not in (None, CLOSED) and status != flt.status:
            continue
        position = Position(lat, lon, acc) if lat is not None else None
        out.append(MapRow(case_id, community, category, position, status, left, day, bool(awaiting), lifecycle))
    return out


def marker_colour(row, today) -> tuple[str, str]:
    """(status words, colour) as the list shows them; 待复查 has its own colour."""
    if row.awaiting and row.lifecycle == "open":
        return strings.AWAITING_RECHECK, AWAITING_COLOUR
    if row.status not in fmt.OPEN_STATUSES:
        return fmt.status_label(row.status)
    return fmt.urgency_label(row.status, row.days_left, row.deadline, today)


def to_map_cases(rows, community_names, category_names, today) -> tuple[list[MapCase], int]:
    cases, unplaced = [], 0
    for r in rows:
        if r.position is None:
            unplaced += 1
            continue
        label, colour = marker_colour(r, today)
        cases.append(MapCase(r.case_id, r.position.lat, r.position.lon, colour, strings.MAP_MARKER.format(
            category=category_names.get(r.category, r.category),
            community=community_names.get(r.community, r.community), status=label)))
    return cases, unplaced


class CasesMapPanel:
    """The map view of a CasesScreen (fieldapp/ui/screens/cases.py)."""

    def __init__(self, screen, on_open: Callable[[str], Awaitable[None]]):
        self.screen = screen
        data = screen.data
        self.basemap: Basemap = data.run_here(lambda s: phone_basemap(data.data_dir, s.get_meta))
        self.boundaries = phone_boundaries(data.data_dir, data.rules)
        page = screen.ctx.page
        width = float(getattr(page, "width", None) or 390) if page is not None else 390.0
        self.map = CaseMap("cases", self.basemap, self.boundaries, on_open, size=(width, 560))
        self.note = ft.Text("", theme_style=ft.TextThemeStyle.BODY_SMALL, color=Palette.ON_SURFACE_VARIANT)
        self.control = ft.Column([
            ft.Container(self.note, padding=ft.Padding.symmetric(horizontal=16, vertical=4)),
            ft.Container(self.map.control, expand=True),
        ], spacing=0, expand=True)
        self.located = False

    def show(self, rows: list[MapRow], first: bool) -> None:
        s = self.screen
        cases, unplaced = to_map_cases(rows, s.community_names, s.category_names, s.ctx.today())
        self.map.set_cases(cases, fit=first and not self.boundaries)
        text = strings.MAP_SHOWN.format(n=len(cases))
        if unplaced:
            text += strings.CLAUSE_SEPARATOR + strings.MAP_UNPLACED.format(n=unplaced)
        self.note.value = text

    async def locate(self) -> None:
        """My position, once per showing (the GPS may be off: then no dot)."""
        device = self.screen.ctx.device
        if device is None or self.located:
            return
        self.located = True
        try:
            position = await device.locate(timeout=8)
        except Exception:  # noqa: BLE001 - no GPS, no permission: the map works without the dot
            return
        self.map.set_me(position)
        try:
            self.map.me.update()
        except (RuntimeError, AssertionError):
            pass
