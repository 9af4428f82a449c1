"""One session's phone services: photo picker, camera and GPS.

Flet 1.0 services (FilePicker, Geolocator) must stay referenced or Flet drops
them after the event that made them: `Device` holds them for the session. They
are made on first use, inside an event handler, where Flet knows the page.

* `pick_photo()` — the system file chooser / gallery (``FilePicker``, image files, bytes).
* `take_photo()` — the in-app camera (flet-camera) in a full-screen dialog; raises
  `NoCamera` where the device has none (then the caller falls back to the picker).
* `locate()` — one GPS fix (flet-geolocator) as a `Position`, or `LocationUnavailable`;
  `fix_mocked` says whether the geolocator reported it as mocked.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Optional

import flet as ft

from fieldapp.domain.geo import Position
from fieldapp.ui import strings
from fieldapp.text.theme import Palette

log = logging.getLogger(__name__)

LOCATE_TIMEOUT_S = 15.0


class NoCamera(RuntimeError):
    """This device (or browser) has no camera the app may use."""


class LocationUnavailable(RuntimeError):
    """No GPS fix: permission refused, location off, or no signal in time."""


class Device:
    def __init__(self, page: Optional[ft.Page] = None):
        self.page = page
        self._picker: Optional[ft.FilePicker] = None
        self._geolocator = None
        self._has_camera: Optional[bool] = None
        #: The latest GPS fix of this session (for "distance from here").
        self.fix: Optional[Position] = None
        #: Whether the location service said that fix was mocked (a fake-GPS app; Android's
        #: isMock): stored with a case as the mark mocked_position (domain/evidence.py).
        self.fix_mocked: bool = False

    # --- photos ----------------------------------------------------------------

    @property
    def picker(self) -> ft.FilePicker:
        if self._picker is None:
            self._picker = ft.FilePicker()
        return self._picker

    async def pick_photo(self) -> Optional[bytes]:
        """The bytes of an image the user chose, or None if they cancelled."""
        files = await self.picker.pick_files(file_type=ft.FilePickerFileType.IMAGE,
                                             with_data=True)
        if not files:
            return None
        data = files[0].bytes
        return bytes(data) if data is not None else b""

    async def take_photo(self) -> Optional[bytes]:
        """A JPEG from the in-app camera, None if cancelled; NoCamera if there is none."""
        if self._has_camera is False:
            raise NoCamera()
        try:
            import flet_camera as fc
        except ImportError as exc:  # the extension is not installed
            self._has_camera = False
            raise NoCamera() from exc
        page = self.page or ft.context.page
        camera = fc.Camera(expand=True, preview_enabled=True)
        done: asyncio.Future = asyncio.get_running_loop().create_future()
        shutter = ft.FilledButton(strings.CAMERA_SHUTTER, icon=ft.Icons.CAMERA, disabled=True)

        async def shoot(_e=None):
            shutter.disabled = True
            shutter.update()
            try:
                data = await camera.take_picture()
                if not done.done():
                    done.set_result(bytes(data) if data else None)
            except Exception as exc:  # noqa: BLE001 — shown as a message by the caller
                if not done.done():
                    done.set_exception(exc)

        def cancel(_e=None):
            if not done.done():
                done.set_result(None)

        shutter.on_click = shoot
        dialog = ft.AlertDialog(
            modal=True,
            title=ft.Text(strings.CAMERA_TITLE),
            content=ft.Container(camera, width=320, height=420, bgcolor=Palette.ON_SURFACE),
            actions=[ft.TextButton(strings.CANCEL, on_click=cancel), shutter],
            inset_padding=ft.Padding.all(8),
            on_dismiss=cancel,
        )
        page.show_dialog(dialog)
        try:
            await asyncio.sleep(0.2)  # let the client mount the camera view
            cameras = await camera.get_available_cameras()
            if not cameras:
                self._has_camera = False
                raise NoCamera()
            back = next((c for c in cameras
                         if c.lens_direction == fc.CameraLensDirection.BACK), cameras[0])
            await camera.initialize(back, fc.ResolutionPreset.HIGH, enable_audio=False)
            self._has_camera = True
            shutter.disabled = False
            shutter.update()
            return await done
        except NoCamera:
            raise
        except Exception as exc:  # noqa: BLE001
            log.info("camera unavailable: %s", exc)
            if self._has_camera is None:
                self._has_camera = False
                raise NoCamera() from exc
            raise
        finally:
            if dialog.open:
                page.pop_dialog()

    # --- position ----------------------------------------------------------------

    @property
    def geolocator(self):
        if self._geolocator is None:
            from flet_geolocator import Geolocator

            self._geolocator = Geolocator()
        return self._geolocator

    async def locate(self, timeout: float = LOCATE_TIMEOUT_S) -> Position:
        """One fresh GPS fix; LocationUnavailable if there is none within `timeout`."""
        try:
            fix = await asyncio.wait_for(self.geolocator.get_current_position(), timeout)
        except Exception as exc:  # noqa: BLE001 — permission, service off, timeout, web errors
            log.info("no GPS fix: %s", exc)
            raise LocationUnavailable(str(exc)) from exc
        try:
            accuracy = fix.accuracy if fix.accuracy and fix.accuracy > 0 else None
            position = Position(float(fix.latitude), float(fix.longitude), accuracy)
        except (TypeError, ValueError) as exc:  # no coordinates, or 0,0
            raise LocationUnavailable(str(exc)) from exc
        self.fix = position
        self.fix_mocked = getattr(fix, "mocked", None) is True
        return position
