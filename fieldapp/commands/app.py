"""`fieldapp app ...`: serve the phone app (Flet, web mode) — see fieldapp.ui.app."""

from __future__ import annotations

import logging
from pathlib import Path


def register(sub) -> None:
    app = sub.add_parser(
        "app",
        help="run the inspector's phone app in a browser (offline, zh-CN)",
        description="Serve the phone app on http://HOST:PORT/ (web mode, no CDN). "
        "--demo starts trial mode (试用): sample cases in <data dir>/trial, never uploaded.",
    )
    app.add_argument("--port", type=int, default=8550)
    app.add_argument("--host", default="127.0.0.1")
    app.add_argument("--data-dir", type=Path, default=None,
                     help="data folder (default: $FIELDAPP_DATA_DIR or ~/.fieldapp)")
    app.add_argument("--demo", action="store_true",
                     help="trial mode: sample cases in <data dir>/trial (never in the data folder, never uploaded)")
    app.set_defaults(handler=run_app)


def run_app(args) -> int:
    from fieldapp.ui.app import run

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    run(port=args.port, host=args.host, data_dir=args.data_dir, demo=args.demo)
    return 0
