"""What every dashboard screen gets: the Desk, the page, who is logged in, and helpers.

One `DashContext` per browser session (a Flet session), made by the shell.
`save(build, ok_text)` is how a screen writes: the Desk checks the session and
the role on the server for every write; a refusal comes back as a message for
the screen's `Message` line (and an expired session sends the browser back to
the login screen).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Awaitable, Callable, Optional

import flet as ft

from fieldapp.domain.commands import CommandError
from fieldapp.office import users
from fieldapp.office.dashboard.desk import Desk, WriteOutcome
from fieldapp.office.records import RecordError
from fieldapp.office import words as strings
from fieldapp.text.fmt import error_message

if TYPE_CHECKING:
    from fieldapp.ui.components import Message

log = logging.getLogger("fieldapp.office.dashboard")


@dataclass
class DashContext:
    desk: Desk
    page: ft.Page
    token: Optional[str] = None
    user: Optional[users.User] = None
    #: switch screen: ``navigate("community", community="C2")``
    navigate: Callable[..., Awaitable[None]] = field(default=None, repr=False)  # type: ignore[assignment]
    #: open a case in the case dialog
    open_case: Callable[[str], Awaitable[None]] = field(default=None, repr=False)  # type: ignore[assignment]
    #: back to the login screen (the session ended)
    logged_out: Callable[[str], Awaitable[None]] = field(default=None, repr=False)  # type: ignore[assignment]
    launcher: Optional[ft.UrlLauncher] = field(default=None, repr=False)
    #: the assessment year this session looks at (the 排名 screen's switcher); None: the Desk's
    year: Optional[int] = None
    #: told when `year` changed (the shell's top bar says the year shown)
    year_changed: Optional[Callable[[], None]] = field(default=None, repr=False)

    @property
    def rules(self):
        return self.desk.rules_for(self.year)

    def snapshot(self):
        """The rankings of the session's year (Desk.snapshot)."""
        return self.desk.snapshot(self.year)

    @property
    def tz(self):
        return self.desk.rules.tz

    def now(self) -> datetime:
        return self.desk.clock()

    def today(self) -> date:
        return self.now().astimezone(self.tz).date()

    @property
    def can_write(self) -> bool:
        """For what the screen shows; the server decides on every write anyway."""
        return self.user is not None and self.user.can_write

    async def launch(self, url: str) -> None:
        """Open a URL of this server in the same tab: a download (Content-Disposition) leaves the page as is."""
        if self.launcher is None:
            self.launcher = ft.UrlLauncher()  # a service: kept referenced for the session
        await self.launcher.launch_url(url, web_only_window_name="_self")

    def community_name(self, code: str) -> str:
        for c in self.rules.communities:
            if c.code == code:
                return c.name
        return code

    def category_name(self, code: str) -> str:
        for c in self.rules.categories:
            if c.code == code:
                return c.name
        return code

    async def save(self, build: Callable, message: "Message", ok_text: Callable[[WriteOutcome], str] | str,
                   ) -> WriteOutcome | None:  # fmt: skip
        """Write what ``build(store, user)`` makes; show the outcome in `message`.

        Returns the outcome, or None when nothing was written (refused or invalid).
        """
        try:
            outcome = await self.desk.write(self.token, build)
        except users.NotAllowed as exc:
            if exc.code == "read_only":
                message.show(strings.DASH_REFUSED_READ_ONLY, "error")
            else:
                message.show(strings.DASH_REFUSED_SESSION, "error")
                if self.logged_out is not None:
                    await self.logged_out(strings.DASH_SESSION_OVER)
            return None
        except RecordError as exc:
            message.show(strings.DASH_ERROR.format(detail=str(exc)), "error")
            return None
        except CommandError as exc:
            message.show(error_message(exc), "error")
            return None
        except Exception as exc:  # noqa: BLE001 - say so on the screen; the details go to the log
            log.exception("dashboard write failed")
            message.show(strings.DASH_ERROR.format(detail=type(exc).__name__), "error")
            return None
        if outcome.conflicts:
            message.show(strings.DASH_CONFLICT, "error")
        elif not outcome.accepted and outcome.duplicates:
            message.show(strings.DASH_ALREADY, "warning")
        else:
            message.show(ok_text(outcome) if callable(ok_text) else ok_text, "ok")
        return outcome
