#!/usr/bin/env python3
"""我的案件 · 地图 with 5,000 cases: its first draw beside the list's, as a ratio.

    .venv/bin/python bench/ui_map.py [--cases 5000] [--runs 7]

Fills a data folder as bench/ui_cases.py does (5,000 cases spread over ~2 km), then times,
server side, what each view costs before its first frame can be drawn:

  list   building 我的案件 (counts, the first page of rows with thumbnails, the controls) and
         msgpack-encoding the control tree as flet-web sends it;
  map    reading every case of the filter, grouping them for the map's zoom and view
         (fieldapp/maps/cluster.py), building the markers and the map, and encoding it.

The map must stay within a small multiple of the list (target ≤ 3×), and put at most a screenful of
markers on the wire whatever the number of cases (grouping).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import msgpack  # noqa: E402
from flet.controls.base_control import BaseControl  # noqa: E402
from flet.messaging.protocol import configure_encode_object_for_msgpack  # noqa: E402

from fieldapp.rules import load_rules  # noqa: E402
from fieldapp.ui.context import AppContext, frozen_clock  # noqa: E402
from fieldapp.ui.data import DataService  # noqa: E402
from fieldapp.ui.startup import prepare_data_dir  # noqa: E402
from fieldapp.ui.screens import cases as cases_screen  # noqa: E402
from fieldapp.ui.screens.map import CasesMapPanel, map_rows  # noqa: E402
from ui_cases import NOW, fill, median_ms  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    clock = frozen_clock(NOW)
    now = clock()
    encoder = configure_encode_object_for_msgpack(BaseControl)
    with tempfile.TemporaryDirectory(prefix="fieldapp-bench-map-") as tmp:
        data_dir = Path(tmp)
        t = time.perf_counter()
        fill(data_dir, args.cases, now)
        print(f"filled {args.cases} cases in {time.perf_counter() - t:.1f} s")
        rules = load_rules()
        settings, _ = prepare_data_dir(data_dir, rules, now)
        data = DataService(data_dir, rules, clock)
        data.remember_settings(settings)
        ctx = AppContext(data_dir=data_dir, clock=clock).with_data(data)

        sizes: dict[str, int] = {}

        def list_first_draw():
            view = cases_screen.build(ctx)
            sizes["list"] = len(msgpack.packb(view, default=encoder))

        screen = cases_screen.build(ctx).data
        markers: list[int] = []

        def map_first_draw():
            rows = data.run_here(map_rows, now, screen.filter)
            panel = CasesMapPanel(screen, screen.open_case)
            panel.show(rows, first=True)
            markers.append(len(panel.map.markers.markers))
            sizes["map"] = len(msgpack.packb(panel.control, default=encoder))

        list_ms = median_ms(list_first_draw, args.runs)
        map_ms = median_ms(map_first_draw, args.runs)
        ratio = map_ms / list_ms
        print(f"\n我的案件 with {args.cases} cases (server side, build + encode, median of {args.runs}):")
        print(f"  list first page                {list_ms:8.1f} ms   ({sizes['list'] / 1024:.0f} KiB)")
        print(f"  map, every case grouped        {map_ms:8.1f} ms   ({sizes['map'] / 1024:.0f} KiB, "
              f"{markers[-1]} markers drawn)")
        print(f"  ratio map / list               {ratio:8.2f}×   target ≤ 3×")
        ok = ratio <= 3 and markers[-1] <= 300
        print("\nOK" if ok else "\nTARGET MISSED")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
