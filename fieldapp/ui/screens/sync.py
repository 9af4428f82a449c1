"""同步: enrol this phone with the office, sync now, and see what still waits and why.

What it shows (test handles in brackets):

* 本机待上传 — own records and photos the office has not acknowledged
  (``pending-events``, ``pending-photos``), and why some wait (``sync-held``);
* the last run's time and outcome (``sync-last``);
* the automatic sync: next try, or why and when it retries, or that it stopped (``sync-auto``);
* 立即同步, with a progress bar and a line saying what is being done (``sync-progress``);
* the result or error in Chinese, with what to do (``message-sync``);
* 办事处服务器 — the address (saved), the enrolment (``sync-enrolled``) or the
  one-time code to enrol with.

Threads: enrolment and sync run on the data service's sync thread, with its own
Store (`DataService.run_sync`; a sync run is `fieldapp.ui.data.sync_job`); the UI
loop stays free. Progress comes back to the loop with
``loop.call_soon_threadsafe``: in Flet 1.0.5 a control's
``update()`` queues its patch on an ``asyncio.Queue`` with ``put_nowait`` and
edits the session's control index without a lock, so it must only be called on
the session's event loop, never from a worker thread.

Every run goes through ``data.autosync`` (fieldapp/ui/autosync.py): 立即同步 asks it
for a run and, if an automatic one is going, joins it (its progress bar and result
are that run's). Automatic runs are quiet: no message, no progress bar — the screen
listens (`autosync_changed`, on the thread where the change happened, handed to the
session's loop with ``page.run_task``) and repaints the counts, 上次同步 and its
``sync-auto`` line.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from datetime import datetime, timedelta
from typing import Optional

import flet as ft

from fieldapp.text import fmt

from fieldapp.ui import queries, strings
from fieldapp.ui.autosync import Skipped, Status
from fieldapp.ui.components import Message, screen_header, scroll_form, section, update_if_shown, wide_button
from fieldapp.ui.context import AppContext
from fieldapp.ui.data import data_of
from fieldapp.ui.enrolment import enrol as enrol_with
from fieldapp.ui.enrolment import message_for, normalise_address, read_form  # noqa: F401 - also the screen's API
from fieldapp.text.theme import Palette
from sync.outbox import OutboxError, export_outbox, outbox_name
from sync.result import DONE, DOWNLOAD, HELLO, PHOTOS, PULL, PUSH, Progress, SyncResult

log = logging.getLogger(__name__)

KEY = "sync"
PROGRESS_EVERY_S = 0.1  # at most ~10 progress repaints a second




def held_text(code: str, detail: str, n: int) -> str:
    """Why `n` own records wait: e.g. 2 项更新被办事处拒收（不是本机负责的社区）：请联系办事处。"""
    if code == "event_rejected":
        reason = detail.split(":", 1)[0].strip()
        why = strings.SYNC_REJECTIONS.get(reason) or strings.SYNC_REJECTIONS["invalid"]
        return strings.SYNC_HELD_REJECTED.format(n=n, why=why)
    return strings.SYNC_HELD.format(n=n, why=message_for(code))


def progress_text(p: Progress) -> tuple[str, Optional[float]]:
    """(what is being done, the bar's value or None for an indeterminate bar)."""
    if p.phase == PHOTOS and p.photos_total:
        value = p.bytes_done / p.bytes_total if p.bytes_total else p.photos_done / p.photos_total
        return strings.SYNC_PHASE_PHOTOS.format(done=p.photos_done, total=p.photos_total,
                                                mb_done=p.bytes_done / 1e6,
                                                mb_total=p.bytes_total / 1e6), min(1.0, value)
    if p.phase == PUSH and p.events_total:
        return (strings.SYNC_PHASE_PUSH.format(done=p.events_pushed, total=p.events_total),
                p.events_pushed / p.events_total)
    if p.phase == PULL:
        return strings.SYNC_PHASE_PULL.format(n=p.events_pulled), None
    if p.phase == DOWNLOAD and p.downloads_total:
        return (strings.SYNC_PHASE_DOWNLOAD.format(done=p.downloads_done, total=p.downloads_total),
                p.downloads_done / p.downloads_total)
    if p.phase == DONE:
        return "", 1.0
    return strings.SYNC_CONNECTING, None


def run_detail(run: dict) -> Optional[str]:
    """What a run moved (上传 3 项更新、1 张照片，下载 2 项更新), from its record
    (`PhoneBook.record_run`'s keys, or a SyncResult's fields); None if it moved nothing."""
    pushed = run.get("pushed", 0) + run.get("acknowledged", 0)
    counts = (pushed, run.get("photos_uploaded", 0), run.get("pulled", 0), run.get("photos_downloaded", 0))
    if not any(counts):
        return None
    done = strings.SYNC_DONE_DETAIL.format(pushed=counts[0], photos=counts[1], pulled=counts[2])
    if counts[3]:
        done += strings.SYNC_DONE_DOWNLOADED.format(n=counts[3])
    return done


def _fields(r: SyncResult) -> dict:
    return {k: getattr(r, k) for k in ("pushed", "acknowledged", "photos_uploaded", "pulled", "photos_downloaded")}


def result_message(r: SyncResult, previous: Optional[dict] = None, tz=None) -> tuple[str, str]:
    """(text, kind) for the message line after a run. A run that found nothing to do says so,
    and what the run before it (the automatic one, seconds earlier perhaps) did."""
    if r.stopped:
        return message_for(r.stopped), "error"
    done = run_detail(_fields(r)) or strings.SYNC_DONE_DETAIL.format(pushed=0, photos=0, pulled=0)
    problems = list(dict.fromkeys(i.code for i in r.errors + r.warnings))
    if r.ok and not problems and run_detail(_fields(r)) is None:
        text = strings.SYNC_UP_TO_DATE
        earlier = run_detail(previous or {})
        if earlier and tz is not None and isinstance(previous.get("at"), str):
            when = fmt.time_short(datetime.fromisoformat(previous["at"]), tz)
            text += strings.SYNC_UP_TO_DATE_EARLIER.format(when=when, detail=earlier)
        return text, "ok"
    if r.ok and not problems:
        return strings.SYNC_DONE.format(detail=done), "ok"
    lines = [strings.SYNC_THIS_RUN.format(detail=done)]
    if r.pending_events:
        lines.append(strings.SYNC_PARTIAL.format(n=r.pending_events))
    lines += [message_for(code) for code in problems]
    return "\n".join(lines), "warning"


def auto_text(status: Status, now_local: datetime, *, enrolled: bool = True,
              token_dead: bool = False) -> str:
    """The ``sync-auto`` line: 自动同步已开启，下次同步 10:42 / 连不上办事处，10:42 自动重试 / …"""
    if status.running:
        return strings.SYNCING if status.manual else strings.SYNC_AUTO_RUNNING
    if not status.auto:
        return strings.SYNC_AUTO_OFF
    if not enrolled or status.idle:
        return strings.SYNC_AUTO_NOT_ENROLLED
    if status.stopped or token_dead:
        return strings.SYNC_AUTO_STOPPED
    when = "" if status.next_in_s is None else f"{now_local + timedelta(seconds=status.next_in_s):%H:%M}"
    if status.failures:
        why = strings.SYNC_AUTO_WHY.get(status.last_code or "", strings.SYNC_AUTO_WHY_OTHER)
        return strings.SYNC_AUTO_RETRY.format(why=why, when=when)
    return strings.SYNC_AUTO_NEXT.format(when=when)


def map_text(data) -> str:
    """离线地图：已下载本机社区的地图：缩放至 17 级，12.3 MB / 尚未下载…"""
    from sync.mapsync import tiles_meta

    try:
        held = data.run_here(tiles_meta)
    except Exception:  # noqa: BLE001 - a line of information, never an error on this screen
        held = None
    text = (strings.SYNC_MAP_HELD.format(z=held.get("max_zoom"), mb=(held.get("bytes") or 0) / 1e6)
            if held else strings.SYNC_MAP_NONE)
    return strings.SYNC_MAP_LINE.format(title=strings.SYNC_MAP_TITLE, text=text)


class SyncScreen:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx
        self.data = data_of(ctx)
        self.state: Optional[queries.SyncState] = None
        self.busy = False
        self.reenrolling = False
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._latest: Optional[Progress] = None
        self._repaint_queued = False
        self._last_repaint = 0.0
        self._last_phase: Optional[str] = None
        self._progress_lock = threading.Lock()

        self.message = Message(KEY)
        self.pending_events = ft.Text("", theme_style=ft.TextThemeStyle.BODY_LARGE)
        self.pending_photos = ft.Text("", theme_style=ft.TextThemeStyle.BODY_LARGE)
        self.held = ft.Column([], spacing=4)
        # Flet 1.0.5: a Semantics whose content is invisible is an error box; hide the Semantics.
        self.held_box = ft.Semantics(identifier="sync-held", container=True, content=self.held, visible=False)
        self.last = ft.Text("", theme_style=ft.TextThemeStyle.BODY_MEDIUM, color=Palette.ON_SURFACE_VARIANT)
        self.auto_line = ft.Text("", theme_style=ft.TextThemeStyle.BODY_MEDIUM, color=Palette.ON_SURFACE_VARIANT)
        self.auto_box = ft.Semantics(identifier="sync-auto", container=True, content=self.auto_line)
        # 离线地图: the phone's copy of the office's map (sync/mapsync.py), its zoom and size
        self.map_line = ft.Text("", theme_style=ft.TextThemeStyle.BODY_MEDIUM, color=Palette.ON_SURFACE_VARIANT)
        self.map_box = ft.Semantics(identifier="sync-map", container=True, content=self.map_line)
        self.sync_button = wide_button(strings.SYNC_NOW, ft.Icons.SYNC, self.sync_now)
        # No network to the office for days: the outbox as a file, carried over by cable or card.
        self.export_button = wide_button(strings.OUTBOX_EXPORT, ft.Icons.SAVE_ALT, self.export_file, filled=False)
        self.export_box = ft.Column([
            ft.Text(strings.OUTBOX_EXPORT_HINT, theme_style=ft.TextThemeStyle.BODY_SMALL,
                    color=Palette.ON_SURFACE_VARIANT),
            ft.Row([self.export_button]),
        ], spacing=6)
        self.saver: Optional[ft.FilePicker] = None
        self.bar = ft.ProgressBar(value=0, bar_height=8, border_radius=4, color=Palette.PRIMARY,
                                  bgcolor="#E3E6EA")
        self.phase = ft.Text("", theme_style=ft.TextThemeStyle.BODY_MEDIUM)
        self.progress = ft.Column([self.bar, ft.Semantics(identifier="sync-progress", container=True,
                                                          live_region=True, content=self.phase)],
                                  spacing=6, visible=False)
        self.address = ft.TextField(label=strings.SYNC_ADDRESS, hint_text=strings.SYNC_ADDRESS_HINT,
                                    keyboard_type=ft.KeyboardType.URL, autocorrect=False,
                                    enable_suggestions=False,
                                    on_blur=self.save_address, on_submit=self.save_address)
        self.enrolled = ft.Text("", theme_style=ft.TextThemeStyle.BODY_LARGE)
        self.enrolled_icon = ft.Icon(ft.Icons.VERIFIED_USER_OUTLINED, color=Palette.RECTIFIED)
        self.reenrol_button = ft.TextButton(strings.SYNC_REENROL, on_click=self.reenrol)
        self.enrolled_row = ft.Column([
            ft.Row([
                self.enrolled_icon,
                ft.Semantics(identifier="sync-enrolled", container=True, content=self.enrolled, expand=True),
            ], spacing=8, vertical_alignment=ft.CrossAxisAlignment.START),
            ft.Row([self.reenrol_button]),
        ], spacing=0)
        self.code = ft.TextField(label=strings.SYNC_CODE, hint_text=strings.SYNC_CODE_HINT,
                                 capitalization=ft.TextCapitalization.CHARACTERS, autocorrect=False,
                                 enable_suggestions=False)
        self.enrol_button = wide_button(strings.SYNC_ENROL, ft.Icons.HOW_TO_REG, self.enrol, filled=False)
        # The office's QR code (sync/enrolqr.py): read from a photo, it fills address, code and the
        # fingerprint of the certificate this phone will trust (and nothing else) from then on.
        self.fingerprint = ft.TextField(label=strings.SYNC_FINGERPRINT, autocorrect=False, enable_suggestions=False)
        self.scan_button = wide_button(strings.SYNC_SCAN_QR, ft.Icons.QR_CODE_SCANNER, self.scan_qr)
        self.enrol_box = ft.Column([
            ft.Text(strings.SYNC_ENROL_HINT, theme_style=ft.TextThemeStyle.BODY_SMALL),
            ft.Semantics(identifier="sync-scan-qr", container=True, content=ft.Row([self.scan_button])),
            self.code,
            self.fingerprint,
            ft.Row([self.enrol_button]),
        ], spacing=8, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)

        self.status_block = ft.Column([
            section(strings.SYNC_PENDING_TITLE,
                    ft.Semantics(identifier="pending-events", container=True, content=self.pending_events),
                    ft.Semantics(identifier="pending-photos", container=True, content=self.pending_photos),
                    self.held_box),
            ft.Semantics(identifier="sync-last", container=True, content=self.last),
            self.auto_box,
            self.map_box,
            ft.Row([self.sync_button]),
            self.progress,
            self.export_box,
        ], spacing=14, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
        self.office_block = section(strings.SYNC_OFFICE, self.address, self.enrolled_row, self.enrol_box)
        self.form = scroll_form([])
        self.root = ft.Container(ft.Column([
            screen_header(KEY, strings.TITLE_SYNC),
            self.form,
        ], spacing=0, expand=True, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
            expand=True, data=self)
        # Held weakly: when the session goes, so does this screen and its subscription.
        self.data.autosync.add_listener(self)

    # --- showing the state ------------------------------------------------------------------

    @property
    def _column(self) -> ft.Column:
        return self.form.content

    def show(self, state: queries.SyncState, *, keep_address: bool = False) -> None:
        self.state = state
        p = state.pending
        self.pending_events.value = strings.PENDING_EVENTS.format(n=p.events)
        self.pending_photos.value = strings.PENDING_PHOTOS.format(n=p.photos)
        self.held.controls = [ft.Text(held_text(code, detail, n), theme_style=ft.TextThemeStyle.BODY_MEDIUM,
                                      color=Palette.ERROR)
                              for code, detail, n in state.held]
        self.held_box.visible = bool(state.held)
        self.last.value = self._last_text(state.last_run)
        self._paint_auto()
        if not keep_address:
            self.address.value = state.server_url
        names = {c.code: c.name for c in self.data.rules.communities}
        communities = strings.SYNC_LIST_SEPARATOR.join(names.get(c, c) for c in state.communities)
        self.enrolled.value = strings.SYNC_ENROLLED.format(inspector=state.inspector, communities=communities)
        # A revoked or forgotten token: the code field is what the user needs next.
        token_dead = state.token_dead
        needs_code = not state.enrolled or self.reenrolling or token_dead
        self.enrolled_row.visible = state.enrolled
        self.export_box.visible = state.enrolled and not token_dead
        self.enrolled_icon.icon = ft.Icons.GPP_BAD_OUTLINED if token_dead else ft.Icons.VERIFIED_USER_OUTLINED
        self.enrolled_icon.color = Palette.ERROR if token_dead else Palette.RECTIFIED
        self.reenrol_button.visible = not needs_code
        self.enrol_box.visible = needs_code
        # Not enrolled yet: the office settings are what to fill in first. The message line
        # follows the block whose button was pressed.
        blocks = [self.status_block, self.office_block]
        first, second = blocks if state.enrolled else blocks[::-1]
        self._column.controls[:-1] = [first, self.message.control, second]

    # --- the outbox file ----------------------------------------------------------------------

    async def export_file(self, e=None) -> None:
        """Write what the office lacks to a file the inspector saves where a cable or card reaches it.
        Nothing here changes: the office's acks come with the next sync."""
        self.message.show(strings.OUTBOX_EXPORTING, "info")
        update_if_shown(self.root)
        said = await self._export()
        if said is None:
            self.message.clear()  # the inspector closed the save dialog
        else:
            self.message.show(*said)
        update_if_shown(self.root)

    async def _export(self) -> Optional[tuple[str, str]]:
        """(what to say, its kind) once the file is saved or could not be; None if cancelled."""
        try:
            data, exported = await self.data.run(export_outbox, self.data.photo_dir)
        except OutboxError as exc:
            return fmt.outbox_error(exc.code), "error"
        if not exported.events:
            return strings.OUTBOX_NOTHING, "info"
        name = outbox_name(exported.device_id, self.ctx.clock())
        if self.saver is None:
            self.saver = ft.FilePicker()  # a service: kept referenced by this screen
        try:
            saved = await self.saver.save_file(file_name=name, src_bytes=data, dialog_title=strings.OUTBOX_EXPORT)
        except Exception as exc:  # noqa: BLE001 - the platform's file dialog: say so, keep the data
            log.warning("outbox export not saved: %s", exc)
            return fmt.error_message(exc), "error"
        if saved is None and not self.ctx.page.web:
            return None
        text = strings.OUTBOX_EXPORTED.format(events=exported.events, photos=exported.photos, file=saved or name)
        if exported.photos_missing:
            return text + "\n" + strings.OUTBOX_EXPORTED_MISSING.format(n=len(exported.photos_missing)), "warning"
        return text, "ok"

    def _last_text(self, last: Optional[dict]) -> str:
        if not last or not isinstance(last.get("at"), str):
            return strings.SYNC_NEVER
        try:
            when = fmt.time_short(datetime.fromisoformat(last["at"]), self.ctx.tz)
        except ValueError:
            return strings.SYNC_NEVER
        if last.get("stopped"):
            return strings.SYNC_LAST_STOPPED.format(when=when, why=message_for(last["stopped"]))
        if last.get("pending_events"):
            return strings.SYNC_LAST_PARTIAL.format(when=when, n=last["pending_events"])
        detail = run_detail(last)
        return strings.SYNC_LAST_OK_DETAIL.format(when=when, detail=detail) if detail \
            else strings.SYNC_LAST_OK.format(when=when)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for control in (self.sync_button, self.enrol_button, self.address, self.code):
            control.disabled = busy

    async def refresh(self, keep_address: bool = True) -> None:
        self.show(await self.data.run(queries.sync_state), keep_address=keep_address)
        update_if_shown(self.root)

    # --- the office's address and enrolment ---------------------------------------------------

    async def save_address(self, e=None) -> Optional[str]:
        """Keep a valid address (it is where the next sync goes); None if it is not one."""
        url = normalise_address(self.address.value or "")
        if url is None:
            return None
        if self.state is None or url != self.state.server_url:
            await self.data.run(queries.save_server_url, url)
            self.state = await self.data.run(queries.sync_state)
        if self.address.value != url:
            self.address.value = url
            update_if_shown(self.address)
        return url

    def reenrol(self, e=None) -> None:
        self.reenrolling = True
        if self.state is not None:
            self.show(self.state, keep_address=True)

    async def scan_qr(self, e=None) -> None:
        """The enrolment QR code from a photo of it (the camera, or the album)."""
        from sync import enrolqr

        from fieldapp.ui.device import Device

        try:
            photo = await (self.ctx.device or Device()).pick_photo()
            if not photo:
                return
            invite = enrolqr.parse(await asyncio.to_thread(enrolqr.read_qr, photo))  # off the UI loop
        except enrolqr.InviteError as exc:
            self.message.show(strings.ENROL_QR_ERRORS.get(exc.code, str(exc)), "error")
            update_if_shown(self.root)
            return
        self.take_invite(invite)
        self.message.show(strings.SYNC_SCAN_QR_DONE.format(server=invite.server_url), "ok")
        update_if_shown(self.root)

    def take_invite(self, invite) -> None:
        self.address.value = invite.server_url
        self.code.value = invite.code
        self.fingerprint.value = invite.fingerprint

    async def enrol(self, e=None) -> None:
        if self.busy:
            return
        typed = read_form(self.address.value or "", self.code.value or "", self.fingerprint.value or "")
        if typed.address:
            self.address.value = typed.address
            await self.save_address()
        if typed.message:
            self.message.show(typed.message, "error")
        else:
            self._set_busy(True)
            self.message.show(strings.SYNC_ENROLLING, "info")
            update_if_shown(self.root)
            try:
                info, text, kind = await enrol_with(self.data, typed)
            finally:
                self._set_busy(False)
            self.message.show(text, kind)
            if info is not None:
                self.reenrolling = False
                self.code.value = ""
                self.fingerprint.value = ""
                self.ctx.navigate(KEY)  # enrolled as a community's phone: its tabs now
            self.show(await self.data.run(queries.sync_state), keep_address=True)
        update_if_shown(self.root)

    # --- a sync run -------------------------------------------------------------------------------

    async def sync_now(self, e=None) -> None:
        if self.busy:
            return
        if (self.address.value or "").strip() and await self.save_address() is None:
            self.message.show(strings.SYNC_ADDRESS_INVALID, "error")
            update_if_shown(self.root)
            return
        if self.state is None or not self.state.enrolled:
            self.message.show(message_for("not_enrolled"), "error")
            update_if_shown(self.root)
            return
        previous = self.state.last_run if self.state is not None else None  # what the last run did
        self._loop = asyncio.get_running_loop()
        self._last_phase = None
        self._set_busy(True)
        self.message.clear()
        self._paint_progress(Progress(HELLO))
        self.progress.visible = True
        update_if_shown(self.root)
        try:
            # A run of its own, or the automatic one going now (joined: its progress and result).
            result = await asyncio.wrap_future(self.data.autosync.request())
        except Exception:  # noqa: BLE001 - SyncClient.run never raises; this is the thread pool itself
            log.exception("sync could not run")
            self.message.show(message_for("internal_error"), "error")
        else:
            if isinstance(result, Skipped):  # joined an automatic try that found nobody to talk to
                self.message.show(message_for(result.code), "error")
            else:
                text, kind = result_message(result, previous, self.ctx.tz)
                self.message.show(text, kind)
        finally:
            self._set_busy(False)
            self.progress.visible = False
        self.show(await self.data.run(queries.sync_state), keep_address=True)
        update_if_shown(self.root)

    # --- the automatic sync (fieldapp/ui/autosync.py) -----------------------------------------

    def autosync_changed(self, status: Status) -> None:
        """On the thread where it changed: hand it to this session's loop."""
        page = self.ctx.page
        if page is None:  # a view without a session (unit tests): nothing to update
            self._paint_auto()
            return
        page.run_task(self._apply_auto, status)

    def autosync_progress(self, progress: Progress) -> None:
        """On the sync thread: only a run the user asked for (or joined) shows its progress."""
        if self.busy:
            self._on_progress(progress)

    async def _apply_auto(self, status: Status) -> None:
        """On the UI loop: the line, and the counts and 上次同步 (a record saved, a run done)."""
        self._paint_auto()
        if not self.busy:  # a run the user asked for shows its own result when done
            try:
                state = await self.data.run(queries.sync_state)
            except Exception:  # noqa: BLE001 - the next change repaints
                log.exception("could not read the sync state")
                return
            if not self.busy:
                self.show(state, keep_address=True)
                update_if_shown(self.root)
                return
        update_if_shown(self.auto_box)

    def _paint_auto(self) -> None:
        """From the status now (its next try is "in n seconds": as of now, not of the last change)."""
        state = self.state
        self.map_line.value = map_text(self.data)
        self.auto_line.value = auto_text(self.data.autosync.status(), self.ctx.now_local(),
                                         enrolled=state is None or state.enrolled,
                                         token_dead=state is not None and state.token_dead)

    def _on_progress(self, progress: Progress) -> None:
        """On the sync thread: hand the newest progress to the UI loop, at most ~10 times a second."""
        with self._progress_lock:
            self._latest = progress
            now = time.monotonic()
            due = progress.phase != self._last_phase or now - self._last_repaint >= PROGRESS_EVERY_S
            if self._repaint_queued or not due or self._loop is None:
                return
            self._repaint_queued = True
            self._last_repaint, self._last_phase = now, progress.phase
        self._loop.call_soon_threadsafe(self._repaint)

    def _repaint(self) -> None:
        """On the UI loop."""
        with self._progress_lock:
            self._repaint_queued = False
            progress = self._latest
        if progress is None or not self.busy:
            return
        self._paint_progress(progress)
        update_if_shown(self.progress)

    def _paint_progress(self, progress: Progress) -> None:
        text, value = progress_text(progress)
        self.phase.value = text or strings.SYNC_RUNNING
        self.bar.value = value


def build(ctx: AppContext) -> ft.Control:
    s = SyncScreen(ctx)
    s.show(s.data.run_here(queries.sync_state))
    return s.root


def on_show(view: ft.Control, ctx: AppContext) -> None:
    s: SyncScreen = view.data
    if ctx.page is not None and not s.busy:
        ctx.page.run_task(s.refresh)
