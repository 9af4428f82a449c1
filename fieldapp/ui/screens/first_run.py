"""首次使用: a new phone (not enrolled, no records) asks how to start — shown by the shell in
place of the tabs (fieldapp/ui/trial.py decides when).

* 连接办事处 — the office's address and one-time code: the usual enrolment
  (`fieldapp.ui.data.enrol_phone`), so the phone's records are the enrolled person's from the
  first one on;
* 先试用 — sample cases in a folder of their own (`Phone.start_trial`), never uploaded;
* 暂不连接，先登记问题 — the app as it is; records wait on the phone until it is enrolled.

Test handles: ``screen-first-run``, ``first-run-connect``, ``first-run-trial``,
``message-first-run``.
"""

from __future__ import annotations

import logging
import flet as ft

from fieldapp.text import fmt

from fieldapp.ui import strings
from fieldapp.ui.components import Message, screen_header, scroll_form, section, update_if_shown, wide_button
from fieldapp.ui.context import AppContext
from fieldapp.ui.data import data_of
from fieldapp.ui.enrolment import enrol, read_form
from fieldapp.text.theme import Palette

log = logging.getLogger(__name__)

KEY = "first-run"


class FirstRunView:
    def __init__(self, ctx: AppContext, phone):
        self.ctx = ctx
        self.phone = phone  # fieldapp.ui.trial.Phone: each choice ends the first run in every session
        self.data = data_of(ctx)
        self.busy = False
        self.message = Message(KEY)
        self.address = ft.TextField(label=strings.SYNC_ADDRESS, hint_text=strings.SYNC_ADDRESS_HINT,
                                    keyboard_type=ft.KeyboardType.URL, autocorrect=False,
                                    enable_suggestions=False)
        self.code = ft.TextField(label=strings.SYNC_CODE, hint_text=strings.SYNC_CODE_HINT,
                                 capitalization=ft.TextCapitalization.CHARACTERS, autocorrect=False,
                                 enable_suggestions=False, on_submit=self.connect)
        # an office serving TLS: its certificate's fingerprint (under the QR code), or the QR code's
        # text pasted into the code field, which carries it
        self.fingerprint = ft.TextField(label=strings.SYNC_FINGERPRINT, autocorrect=False, enable_suggestions=False)
        self.connect_button = wide_button(strings.FIRST_RUN_CONNECT_BUTTON, ft.Icons.HOW_TO_REG, self.connect)
        self.trial_button = wide_button(strings.FIRST_RUN_TRIAL_BUTTON, ft.Icons.SCIENCE_OUTLINED,
                                        self.trial, filled=False)
        self.later_button = ft.TextButton(strings.FIRST_RUN_LATER, on_click=self.later,
                                          height=48)
        hint = ft.TextThemeStyle.BODY_MEDIUM
        self.root = ft.Container(ft.Column([
            screen_header(KEY, strings.FIRST_RUN_TITLE),
            scroll_form([
                ft.Text(strings.FIRST_RUN_INTRO, theme_style=hint),
                ft.Semantics(identifier="first-run-connect", container=True, content=section(
                    strings.FIRST_RUN_CONNECT,
                    ft.Text(strings.FIRST_RUN_CONNECT_HINT, theme_style=hint, color=Palette.ON_SURFACE_VARIANT),
                    self.address, self.code, self.fingerprint, ft.Row([self.connect_button]))),
                self.message.control,
                ft.Divider(color="#E3E6EA"),
                ft.Semantics(identifier="first-run-trial", container=True, content=section(
                    strings.FIRST_RUN_TRIAL,
                    ft.Text(strings.FIRST_RUN_TRIAL_HINT, theme_style=hint, color=Palette.ON_SURFACE_VARIANT),
                    ft.Row([self.trial_button]))),
                ft.Row([self.later_button], alignment=ft.MainAxisAlignment.CENTER),
            ]),
        ], spacing=0, expand=True, horizontal_alignment=ft.CrossAxisAlignment.STRETCH), expand=True, data=self)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for control in (self.connect_button, self.trial_button, self.later_button, self.address, self.code,
                        self.fingerprint):
            control.disabled = busy

    async def connect(self, e=None) -> None:
        """连接办事处: the enrolment of the 同步 screen (fieldapp/ui/enrolment.py), then the app."""
        if self.busy:
            return
        typed = read_form(self.address.value or "", self.code.value or "", self.fingerprint.value or "")
        if typed.message:
            self.message.show(typed.message, "error")
        else:
            self._set_busy(True)
            self.message.show(strings.SYNC_ENROLLING, "info")
            update_if_shown(self.root)
            info, text, kind = await enrol(self.data, typed)
            self._set_busy(False)
            if info is not None:
                await self.phone.changed()  # the shells leave the first run
                return
            self.message.show(text, kind)
        update_if_shown(self.root)

    async def trial(self, e=None) -> None:
        """先试用: sample cases in the trial folder (a few seconds), then the app with its banner."""
        if self.busy:
            return
        self._set_busy(True)
        self.message.show(strings.FIRST_RUN_TRIAL_MAKING, "info")
        update_if_shown(self.root)
        try:
            await self.phone.start_trial()
        except Exception as exc:  # noqa: BLE001 - a full disk: say so, stay here
            log.exception("trial data could not be made")
            self.message.show(fmt.error_message(exc), "error")
            self._set_busy(False)
            update_if_shown(self.root)

    async def later(self, e=None) -> None:
        if self.busy:
            return
        await self.phone.skip()
