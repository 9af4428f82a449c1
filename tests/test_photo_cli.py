"""`fieldapp photo inspect` as a real subprocess over the real photos."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PHOTOS = ROOT.parent / "shared/data/photos"
GOOD = [
    "02_gps-west_o3_apple__Apple_iPhone_5.jpg",
    "11_o6_12mp_apple__IMG_8568.JPG",
    "15_heic_gps-west_apple__IMG_5195.HEIC",
]


def inspect(*files: Path) -> tuple[int, list[dict]]:
    proc = subprocess.run(
        [sys.executable, "-m", "fieldapp.cli", "photo", "inspect", *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert proc.stderr == ""
    return proc.returncode, [json.loads(line) for line in proc.stdout.splitlines()]


def test_good_files_and_a_text_file(tmp_path):
    text = tmp_path / "笔记.txt"
    text.write_text("路边有垃圾，需要清理。\n", encoding="utf-8")
    code, lines = inspect(*(PHOTOS / name for name in GOOD), text)

    assert code == 1
    assert [line["file"] for line in lines] == [str(PHOTOS / name) for name in GOOD] + [str(text)]
    iphone5, iphone13, heic, note = lines

    assert iphone5["ok"] is True
    assert iphone5["orientation"] == 3
    assert iphone5["taken_at"] == "2012-09-29T16:11:25"
    assert (iphone5["width"], iphone5["height"]) == (1600, 1200)
    assert abs(iphone5["position"]["lat"] - 47.6271667) < 1e-6
    assert abs(iphone5["position"]["lon"] + 122.3373333) < 1e-6
    assert iphone5["accuracy_m"] is None  # no GPSHPositioningError

    assert iphone13["ok"] is True
    assert iphone13["position"] is None
    assert iphone13["accuracy_m"] is None
    assert iphone13["orientation"] == 6
    assert iphone13["taken_at"] == "2021-09-27T07:13:47-06:00"
    assert (iphone13["width"], iphone13["height"]) == (1200, 1600)

    assert heic["ok"] is True
    assert heic["orientation"] is None
    assert heic["position"]["lon"] < 0
    assert abs(heic["accuracy_m"] - 38.81) < 0.01  # GPSHPositioningError, metres
    assert (heic["width"], heic["height"]) == (1239, 1600)

    assert note["ok"] is False
    assert note["code"] == "not_an_image"
    assert note["error"]
    assert "position" not in note


def test_only_good_files_exit_zero():
    code, lines = inspect(*(PHOTOS / name for name in GOOD[:2]))
    assert code == 0
    assert [line["ok"] for line in lines] == [True, True]


def test_missing_file_is_refused(tmp_path):
    code, lines = inspect(tmp_path / "nope.jpg", PHOTOS / GOOD[0])
    assert code == 1
    assert lines[0]["ok"] is False and lines[0]["error"] and lines[0]["code"] == "unreadable"
    assert lines[1]["ok"] is True
