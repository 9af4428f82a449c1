"""The ranking's charts (flet-charts): final scores with their components; monthly superior scores.

Pure builders from scoring results to controls, unit-tested without a browser.
Tooltip styles name the CJK font (a bare TextStyle would draw community names as boxes).
"""

from __future__ import annotations

import math
from decimal import Decimal

import flet as ft
import flet_charts as fch

from fieldapp.domain.scoring import YearScore
from fieldapp.office.dashboard.widgets import COMPONENT_COLOURS, SERIES, legend, num
from fieldapp.office import words as strings
from fieldapp.text.theme import Palette, text_style

CHART_HEIGHT = 300


def _tooltip_style() -> ft.TextStyle:
    return text_style(13, ft.FontWeight.W_600, "#FFFFFF")


def _axis_label(value: float, text: str) -> fch.ChartAxisLabel:
    return fch.ChartAxisLabel(value=value, label=ft.Text(text, size=12, color=Palette.ON_SURFACE_VARIANT))


def _y_axis(low: float, high: float, step: float) -> fch.ChartAxis:
    labels, v = [], low
    while v <= high + 1e-9:
        labels.append(_axis_label(v, f"{v:g}"))
        v += step
    return fch.ChartAxis(labels=labels, label_size=40)


def component_names() -> list[str]:
    return [strings.DASH_COL_SUPERIOR, strings.DASH_COL_OFFICE, strings.DASH_COL_SATISFACTION, strings.DASH_COL_FINAL]


def scores_bar_chart(result: YearScore) -> ft.Control:
    """Per community (in rank order): the three components (as used) and the final score."""
    names = component_names()
    groups = []
    top = Decimal(100)
    for x, c in enumerate(result.communities):
        values = [c.superior.used, c.office.used, c.satisfaction.used, c.final]
        top = max(top, *values)
        groups.append(fch.BarChartGroup(
            x=x,
            rods=[
                fch.BarChartRod(
                    from_y=0, to_y=float(v), width=16, color=COMPONENT_COLOURS[i],
                    border_radius=ft.BorderRadius.only(top_left=3, top_right=3),
                    tooltip=fch.BarChartRodTooltip(text=f"{c.name} {names[i]} {num(v)}", text_style=_tooltip_style()),
                )
                for i, v in enumerate(values)
            ],
            spacing=4,
        ))  # fmt: skip
    high = float(math.ceil(float(top) / 20) * 20)
    chart = fch.BarChart(
        groups=groups,
        group_alignment=ft.MainAxisAlignment.SPACE_AROUND,
        min_y=0,
        max_y=high,
        left_axis=_y_axis(0, high, 20),
        bottom_axis=fch.ChartAxis(
            labels=[_axis_label(x, c.name) for x, c in enumerate(result.communities)], label_size=32,
        ),
        horizontal_grid_lines=fch.ChartGridLines(interval=20, color="#E3E7ED", width=1),
        border=ft.Border.all(1, "#D5DAE1"),
        tooltip=fch.BarChartTooltip(bgcolor="#263238", fit_inside_horizontally=True, fit_inside_vertically=True),
        height=CHART_HEIGHT,
        expand=True,
        animation=ft.Animation(duration=ft.Duration(milliseconds=0)),
    )
    return ft.Column([chart, legend(list(zip(names, COMPONENT_COLOURS)))], spacing=8,
                     horizontal_alignment=ft.CrossAxisAlignment.STRETCH)  # fmt: skip


def monthly_line_chart(superior: dict[str, dict[int, Decimal]], communities: list[tuple[str, str]]) -> ft.Control:
    """One line per community: its superior score of each month that has one."""
    series, entries, values = [], [], []
    for i, (code, name) in enumerate(communities):
        colour = SERIES[i % len(SERIES)]
        months = sorted(superior.get(code, {}).items())
        values += [float(v) for _m, v in months]
        series.append(fch.LineChartData(
            points=[fch.LineChartDataPoint(m, float(v), tooltip=fch.LineChartDataPointTooltip(
                text=f"{name} {strings.DASH_MONTH.format(m=m)} {num(v)}", text_style=_tooltip_style()))
                for m, v in months],
            color=colour, stroke_width=3, curved=False, point=True,
        ))  # fmt: skip
        entries.append((name, colour))
    low = math.floor((min(values) if values else 60) / 10) * 10 - 10
    low = max(0, min(low, 80))
    chart = fch.LineChart(
        data_series=series,
        min_x=1,
        max_x=12,
        min_y=low,
        max_y=100,
        left_axis=_y_axis(low, 100, 10),
        bottom_axis=fch.ChartAxis(labels=[_axis_label(m, strings.DASH_MONTH.format(m=m)) for m in range(1, 13)],
                                  label_size=32),  # fmt: skip
        horizontal_grid_lines=fch.ChartGridLines(interval=10, color="#E3E7ED", width=1),
        vertical_grid_lines=fch.ChartGridLines(interval=1, color="#F0F2F5", width=1),
        border=ft.Border.all(1, "#D5DAE1"),
        tooltip=fch.LineChartTooltip(bgcolor="#263238", fit_inside_horizontally=True, fit_inside_vertically=True,
                                     max_width=220),  # fmt: skip
        height=CHART_HEIGHT,
        expand=True,
        animation=ft.Animation(duration=ft.Duration(milliseconds=0)),
    )
    return ft.Column([chart, legend(entries)], spacing=8, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
