"""The photo part of a form: take (camera) or choose (gallery) one or more photos.

Each photo is checked off the UI loop with the real intake (`queries.inspect_photo`)
as soon as it is chosen, so a file that is not a photo is refused at once, with a
Chinese message, and never reaches the store. The original bytes are kept in memory
until the form is saved (Casework ingests them then).
"""

from __future__ import annotations

import logging
from typing import Awaitable, Callable, Optional

import flet as ft

from fieldapp.text import fmt

from fieldapp.ui import queries, strings
from fieldapp.ui.components import on, thumb, update_if_shown
from fieldapp.ui.data import DataService
from fieldapp.ui.device import Device, NoCamera
from fieldapp.text.theme import Palette

log = logging.getLogger(__name__)

THUMB = 84


class PhotoInput:
    """Buttons 拍照 / 从相册选择 and the chosen photos (tap × to remove one).

    `on_message(text, kind)` reports problems; `on_change()` after a photo came or went.
    `camera_first`: 拍照 is the primary (filled) button, with a hint to take the photo there
    and then (复查 and 整改反馈: an album photo may be an old one).
    Test handles: ``photo-<key>-<n>`` for the n-th chosen photo (from 1).
    """

    def __init__(self, key: str, data: DataService, device: Callable[[], Device],
                 on_message: Callable[[str, str], None],
                 on_change: Optional[Callable[[], Awaitable[None] | None]] = None,
                 camera_first: bool = False):
        self.key = key
        self.data = data
        self.device = device
        self.on_message = on_message
        self.on_change = on_change
        self.photos: list[queries.PickedPhoto] = []
        self.busy = False
        self.strip = ft.Row([], spacing=8, wrap=True, run_spacing=8)
        self.progress = ft.Row([ft.ProgressRing(width=18, height=18, stroke_width=2),
                                ft.Text(strings.PHOTO_CHECKING)], visible=False)
        camera = ft.FilledButton if camera_first else ft.FilledTonalButton
        self.camera_button = camera(strings.TAKE_PHOTO, icon=ft.Icons.PHOTO_CAMERA, on_click=self._take, height=48)
        self.album_button = ft.OutlinedButton(strings.PICK_PHOTO, icon=ft.Icons.PHOTO_LIBRARY,
                                              on_click=self._pick, height=48)
        hint = ([ft.Text(strings.RECHECK_CAMERA_FIRST, theme_style=ft.TextThemeStyle.BODY_SMALL)]
                if camera_first else [])
        self.control = ft.Column([
            ft.Row([self.camera_button, self.album_button], wrap=True, spacing=8, run_spacing=8),
            *hint,
            self.progress,
            self.strip,
        ], spacing=8)

    # --- state -----------------------------------------------------------------------

    @property
    def data_list(self) -> list[bytes]:
        return [p.data for p in self.photos]

    @property
    def exif_position(self):
        """The first photo's EXIF position (what Casework falls back to), if any."""
        return self.photos[0].position if self.photos else None

    def clear(self) -> None:
        self.photos.clear()
        self._render()

    def discard(self, index: int) -> None:
        """Drop a chosen photo the caller refuses (no on_change: the caller is handling one)."""
        if 0 <= index < len(self.photos):
            del self.photos[index]
            self._render()
            update_if_shown(self.control)

    def _render(self) -> None:
        self.strip.controls = [self._tile(i, p) for i, p in enumerate(self.photos)]

    def _tile(self, index: int, photo: queries.PickedPhoto) -> ft.Control:
        # a 48 px tap target (a finger, gloves) around a 28 px dark circle
        remove = ft.Container(right=0, top=0, content=ft.Semantics(
            label=strings.REMOVE_PHOTO, button=True,
            content=ft.Container(
                ft.Container(ft.Icon(ft.Icons.CLOSE, size=18, color=Palette.ON_PRIMARY), bgcolor="#99000000",
                             border_radius=ft.BorderRadius.all(14), width=28, height=28,
                             alignment=ft.Alignment.CENTER),
                width=48, height=48, alignment=ft.Alignment.TOP_RIGHT, padding=ft.Padding.all(4),
                on_click=on(self._remove, index))))
        return ft.Stack([
            thumb(photo.thumb, THUMB, label=strings.PHOTO_N.format(n=index + 1),
                  identifier=f"photo-{self.key}-{index + 1}"),
            remove,
        ], width=THUMB, height=THUMB)

    async def _remove(self, index: int) -> None:
        if 0 <= index < len(self.photos):
            del self.photos[index]
            self._render()
            await self._changed()

    async def _changed(self) -> None:
        if self.on_change is not None:
            result = self.on_change()
            if hasattr(result, "__await__"):
                await result

    # --- taking photos -------------------------------------------------------------------

    async def _take(self, e=None) -> None:
        try:
            data = await self.device().take_photo()
        except NoCamera:
            self.on_message(strings.NO_CAMERA, "info")
            await self._pick()
            return
        except Exception as exc:  # noqa: BLE001
            log.warning("camera failed: %s", exc)
            self.on_message(strings.CAMERA_FAILED, "error")
            return
        if data is not None:
            await self.add(data)

    async def _pick(self, e=None) -> None:
        try:
            data = await self.device().pick_photo()
        except Exception as exc:  # noqa: BLE001
            log.warning("file picker failed: %s", exc)
            self.on_message(strings.ERROR_PICKER, "error")
            return
        if data is not None:
            await self.add(data)

    async def add(self, data: bytes) -> bool:
        """Check `data` off the UI loop; keep it if it is a photo, else say why not."""
        self.busy = True
        self.progress.visible = True
        update_if_shown(self.control)
        try:
            picked = await self.data.run(lambda _store: queries.inspect_photo(data))
        except Exception as exc:  # noqa: BLE001 — PhotoRejected and anything else
            log.info("photo refused: %s", exc)
            self._done()
            self.on_message(fmt.error_message(exc), "error")
            return False
        self.photos.append(picked)
        self._render()
        self._done()
        self.on_message(strings.PHOTO_ADDED, "ok")
        await self._changed()
        return True

    def _done(self) -> None:
        self.busy = False
        self.progress.visible = False
        update_if_shown(self.control)
