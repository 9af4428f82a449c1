"""Photo temp files left by a crash (written, never renamed into place) are removed when the
phone app opens its data folder and when the office server starts — only those, only stale
ones, and never a finished photo."""

from __future__ import annotations

import os
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from fieldapp.photos import ingest_bytes, photo_path, sweep_temp_files, temp_dir, thumb_path
from fieldapp.rules import load_rules
from fieldapp.ui.data import PHOTO_DIR_NAME
from fieldapp.ui.startup import prepare_data_dir
from sync import storage
from tests.browser.prefill import tiny_photo
from tests.office_process import OfficeProcess, free_port

AN_HOUR_AGO = time.time() - 3600


def leftover(photo_dir: Path, final: Path, data: bytes, *, mtime: float | None = AN_HOUR_AGO) -> Path:
    """What `photos._write_atomic` leaves when the process dies between its write and its rename."""
    temp_dir(photo_dir).mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=temp_dir(photo_dir), prefix=f".{final.name}.", suffix=".tmp")
    with os.fdopen(fd, "wb") as f:
        f.write(data[: len(data) // 2])
    if mtime is not None:
        os.utime(name, (mtime, mtime))
    return Path(name)


def crash_scene(photo_dir: Path) -> dict[str, Path]:
    """A finished photo (and its thumbnail), the temp files of two cut writes, a fresh temp
    file (a writer busy right now), and files that only look alike."""
    kept = ingest_bytes(tiny_photo(1), photo_dir)
    for path in (photo_path(photo_dir, kept.sha256), thumb_path(photo_dir, kept.sha256)):
        os.utime(path, (AN_HOUR_AGO, AN_HOUR_AGO))  # old, finished files stay
    cut = "c" * 64
    scene = {
        "photo": photo_path(photo_dir, kept.sha256),
        "thumb": thumb_path(photo_dir, kept.sha256),
        "cut_photo": leftover(photo_dir, photo_path(photo_dir, cut), b"x" * 4000),
        "cut_thumb": leftover(photo_dir, thumb_path(photo_dir, cut), b"y" * 400),
        "busy": leftover(photo_dir, photo_path(photo_dir, "d" * 64), b"z" * 4000, mtime=None),
        "not_ours": photo_dir / "cc" / "notes.tmp",  # a photo folder is never swept
        "elsewhere": photo_dir / f".{cut}.jpg.abcd1234.tmp",  # not in the temp folder
    }
    for key in ("not_ours", "elsewhere"):
        scene[key].parent.mkdir(parents=True, exist_ok=True)
        scene[key].write_bytes(b"keep me")
        os.utime(scene[key], (AN_HOUR_AGO, AN_HOUR_AGO))
    scene["photo_bytes"] = scene["photo"].read_bytes()
    return scene


def assert_swept(scene: dict) -> None:
    assert not scene["cut_photo"].exists() and not scene["cut_thumb"].exists()
    assert scene["photo"].read_bytes() == scene["photo_bytes"] and scene["thumb"].is_file()
    assert scene["busy"].exists() and scene["not_ours"].exists() and scene["elsewhere"].exists()


def test_the_phone_app_sweeps_cut_photo_writes_when_it_opens_its_data_folder(tmp_path):
    data_dir = tmp_path / "phone"
    scene = crash_scene(data_dir / PHOTO_DIR_NAME)
    prepare_data_dir(data_dir, load_rules(), datetime(2022, 6, 1, 2, tzinfo=timezone.utc))
    assert_swept(scene)


def test_the_office_server_sweeps_cut_photo_writes_when_it_starts(tmp_path):
    data_dir = tmp_path / "office"
    scene = crash_scene(storage.office_photo_dir(data_dir))
    server = OfficeProcess(data_dir, free_port(), tmp_path / "office.log").start()
    try:
        assert_swept(scene)
    finally:
        server.stop()


def test_sweep_is_a_no_op_on_a_missing_or_clean_folder(tmp_path):
    assert sweep_temp_files(tmp_path / "nowhere") == 0
    scene = crash_scene(tmp_path / "photos")
    assert sweep_temp_files(tmp_path / "photos") == 2
    assert sweep_temp_files(tmp_path / "photos") == 0
    assert_swept(scene)
