"""What every screen gets: where the data lives, what time it is, how to move around.

One `AppContext` is made per process from the command line and the environment
(`AppContext.from_env`), then copied per session with the session's page and
navigation (`for_session`): in the browser each tab is a session of its own.

Screens must take the time from `ctx.clock()` (never `datetime.now()`), so tests
can freeze it with ``FIELDAPP_NOW``. `data` reads and writes the store off the UI
loop; `device` holds the session's file picker, GPS and camera.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    import flet as ft

    from fieldapp.ui.data import DataService
    from fieldapp.ui.device import Device

ENV_DATA_DIR = "FIELDAPP_DATA_DIR"
ENV_NOW = "FIELDAPP_NOW"
#: Writable app folder on a phone, set by the Flet runtime (the bundle is read-only).
ENV_FLET_STORAGE = "FLET_APP_STORAGE_DATA"
CHINA_TZ = ZoneInfo("Asia/Shanghai")


def utc_now() -> datetime:
    """The real clock: an aware datetime in UTC."""
    return datetime.now(timezone.utc)


def frozen_clock(iso: str) -> Callable[[], datetime]:
    """A clock stopped at `iso` (e.g. ``2022-06-01T09:00:00+08:00`` or ``…Z``).

    The timestamp must carry an offset: a naive time is ambiguous (UTC or Beijing?).
    """
    try:
        moment = datetime.fromisoformat(iso.strip())
    except ValueError as exc:
        raise ValueError(f"{ENV_NOW}={iso!r} is not an ISO 8601 timestamp") from exc
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{ENV_NOW}={iso!r} has no UTC offset; add 'Z' or '+08:00'")
    moment = moment.astimezone(timezone.utc)
    return lambda: moment


def default_data_dir() -> Path:
    """``$FIELDAPP_DATA_DIR``, else the phone's app storage, else ``~/.fieldapp``."""
    for var in (ENV_DATA_DIR, ENV_FLET_STORAGE):
        value = os.environ.get(var)
        if value:
            return Path(value).expanduser()
    return Path.home() / ".fieldapp"


@dataclass(frozen=True)
class AppContext:
    """Process-wide settings plus, after `for_session`, the session's page."""

    data_dir: Path
    clock: Callable[[], datetime] = utc_now
    tz: tzinfo = CHINA_TZ
    #: Set by `for_session`; None in unit tests that only build views.
    page: Optional["ft.Page"] = None
    #: Switches the bottom tab: ``ctx.navigate("cases")``. Set by the app shell.
    navigate: Callable[[str], None] = field(default=lambda key: None, compare=False)
    #: Free-form extras until they earn a typed field.
    extras: dict[str, Any] = field(default_factory=dict, compare=False)
    #: The data worker (stores, settings), one per process; None in view-only unit tests.
    data: Optional["DataService"] = field(default=None, compare=False)
    #: This session's phone services (file picker, GPS, camera); set by the shell.
    device: Optional["Device"] = field(default=None, compare=False)

    @classmethod
    def from_env(cls, data_dir: Path | str | None = None,
                 environ: Optional[dict[str, str]] = None) -> "AppContext":
        """Build the context from arguments and ``FIELDAPP_*`` variables.

        `data_dir` wins over ``FIELDAPP_DATA_DIR``; ``FIELDAPP_NOW`` freezes the clock.
        The data folder is created if missing.
        """
        env = os.environ if environ is None else environ
        if data_dir is None:
            data_dir = env.get(ENV_DATA_DIR) or env.get(ENV_FLET_STORAGE) or default_data_dir()
        path = Path(data_dir).expanduser().resolve()
        path.mkdir(parents=True, exist_ok=True)
        now = env.get(ENV_NOW)
        clock = frozen_clock(now) if now else utc_now
        return cls(data_dir=path, clock=clock)

    def for_session(self, page: "ft.Page", navigate: Callable[[str], None],
                    device: Optional["Device"] = None) -> "AppContext":
        """A copy bound to one session's page, tab switcher and phone services."""
        return replace(self, page=page, navigate=navigate, device=device)

    def with_data(self, data: "DataService") -> "AppContext":
        """A copy with the data worker (see `fieldapp.ui.data`)."""
        return replace(self, data=data)

    def now_local(self) -> datetime:
        """The clock's time in China Standard Time, for display and 'due today'."""
        return self.clock().astimezone(self.tz)

    def today(self) -> date:
        """Today's date in China Standard Time."""
        return self.now_local().date()
