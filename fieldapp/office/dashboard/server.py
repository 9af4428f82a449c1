"""One process, one port: the sync API at /api/v1 and the dashboard at /.

    app = create_office_app(data_dir, rules)     # sync.server.create_app + mount_dashboard
    serve(data_dir, rules, host=..., port=...)   # what `fieldapp office serve` runs

`mount_dashboard(app, rules)` adds to the sync app (whose routes all live under
/api/v1): the download routes (routes.py), then the Flet app (flet_web.fastapi)
mounted at "/" — last, since a mount at "/" answers every path it reaches. A
mounted app's own lifespan never runs, so the sync app's lifespan is wrapped:
Flet's session manager and the Desk start inside it and stop before the sync
side closes its stores.
"""

from __future__ import annotations

import logging
import os
import re
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Callable

from fieldapp.domain.rules import Rules
from fieldapp.office.dashboard.desk import Desk, utc_now

log = logging.getLogger("fieldapp.office.dashboard")

ENV_NOW = "FIELDAPP_NOW"
#: Loggers that print Flet's wire traffic (text field values, a password being typed) at debug level.
QUIET_LOGGERS = ("flet", "flet_transport", "flet_object_patch", "flet_web", "flet_web.fastapi")


def domain_clock(environ=None) -> Callable[[], datetime]:
    """The clock of scores and deadlines: ``FIELDAPP_NOW`` freezes it (tests), else real time."""
    value = (environ if environ is not None else os.environ).get(ENV_NOW)
    if not value:
        return utc_now
    from fieldapp.ui.context import frozen_clock

    return frozen_clock(value)


def mount_dashboard(app, rules: Rules, *, clock: Callable[[], datetime] | None = None,
                    session_clock: Callable[[], datetime] = utc_now, poll_seconds: float | None = None) -> Desk:  # fmt: skip
    """Add the dashboard to a sync app made by `sync.server.create_app` (uses app.state.office)."""
    import flet_web.fastapi as flet_fastapi

    from fieldapp.office.dashboard import routes
    from fieldapp.office.dashboard.shell import make_main
    from fieldapp.office import words as strings
    from fieldapp.ui.app import ASSETS_DIR

    kwargs = {} if poll_seconds is None else {"poll_seconds": poll_seconds}
    desk = Desk(app.state.office, rules, clock=clock or domain_clock(), session_clock=session_clock, **kwargs)
    app.state.dashboard = desk
    routes.add_routes(app, desk)
    from fieldapp.office.dashboard.map_view import add_routes as add_map_export  # /exports/map.* (the 地图's cases)

    add_map_export(app, desk)
    flet_app = flet_fastapi.app(
        make_main(desk),
        assets_dir=str(ASSETS_DIR),
        no_cdn=True,
        app_name=strings.DASH_TITLE,
        app_short_name=strings.DASH_SHORT,
        app_description=strings.DASH_TITLE,
    )
    from fieldapp.office.dashboard.guard import DashboardGuard

    app.mount("/", DashboardGuard(app, flet_app))  # CSP, no framing, same-origin websocket, API 404s

    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(a):
        async with inner(a) as state:  # the sync side: closes the office's stores last
            await flet_fastapi.app_manager.start()
            await desk.start()
            try:
                yield state
            finally:
                await desk.stop()
                await flet_fastapi.app_manager.shutdown()

    app.router.lifespan_context = lifespan
    return desk


def create_office_app(data_dir: str | Path, rules: Rules, *, clock: Callable[[], datetime] | None = None,
                      dashboard: bool = True, **sync_kwargs):  # fmt: skip
    from sync.server import create_app

    app = create_app(data_dir, rules, **sync_kwargs)
    from sync.maps import add_routes as add_map_routes  # boundaries and tiles (before the mount at "/")

    add_map_routes(app)
    if dashboard:
        mount_dashboard(app, rules, clock=clock)
    return app


class RedactTickets(logging.Filter):
    """Access-log lines name download URLs: keep their single-use ticket out of the log."""

    _pattern = re.compile(r"(ticket=)[^&\s\"]+")

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(self._pattern.sub(r"\1***", a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = self._pattern.sub(r"\1***", record.msg)
        return True


def quiet_flet_loggers() -> None:
    for name in QUIET_LOGGERS:
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < logging.INFO:
            logger.setLevel(logging.INFO)


def serve(data_dir: str | Path, rules: Rules, *, host: str = "127.0.0.1", port: int = 8765,
          log_level: str = "info", dashboard: bool = True, tls=None,
          photo_grace_days: float | None = None, limits=None) -> None:  # fmt: skip
    """Run the office server (sync API + dashboard) until interrupted; `tls`: a sync.tls.OfficeCert
    (the dashboard is served over the same TLS), None for plain HTTP (`--insecure-http`)."""
    import uvicorn

    from sync.server import tls_options, tune_threads

    extra = {} if photo_grace_days is None else {"photo_grace_days": photo_grace_days}
    if limits is not None:
        extra["limits"] = limits
    app = create_office_app(data_dir, rules, dashboard=dashboard, pin_pem=tls.pin_pem if tls else None, **extra)
    tune_threads()
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, server_header=False,
                            timeout_graceful_shutdown=5, **tls_options(tls))  # fmt: skip
    logging.getLogger("uvicorn.access").addFilter(RedactTickets())  # after Config set logging up
    quiet_flet_loggers()
    uvicorn.Server(config).run()
