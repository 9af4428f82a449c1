"""Put cases into an app's data folder *before* the app starts, with the real
Store and Casework (a test's own clock), and read the store back afterwards.

``from prefill import register_case, open_store``.
"""

from __future__ import annotations

import io
import random
from datetime import date, datetime
from pathlib import Path
from typing import Optional

from PIL import Image

from fieldapp.casework import Casework
from fieldapp.demo import scene_photo
from fieldapp.domain.commands import Actor
from fieldapp.domain.geo import Position
from fieldapp.rules import load_rules
from fieldapp.store import Store
from fieldapp.ui.data import DB_NAME, PHOTO_DIR_NAME

REPO = Path(__file__).resolve().parents[2]
#: Real phone photos (shared/, next to the repository): never copied into the repo.
PHOTOS = REPO.parent / "shared" / "data" / "photos"
PHOTO_GPS = PHOTOS / "01_gps_apple__Apple_iPhone_4.jpg"
PHOTO_NO_EXIF = PHOTOS / "13_no-exif__img_1771_no_exif.jpg"
PHOTO_12MP = PHOTOS / "11_o6_12mp_apple__IMG_8568.JPG"
#: The phone context's fake GPS fix (ui_harness.GEOLOCATION) as a Position.
HERE = Position(34.2655, 108.9542, 8.0)
OFFICE = Actor("inspector-office01", "office-test-device")


def open_store(data_dir: Path) -> Store:
    return Store(Path(data_dir) / DB_NAME, load_rules())


def tiny_photo(seed: int = 0) -> bytes:
    img = Image.new("RGB", (64, 48), (seed * 37 % 255, 120, 200))
    out = io.BytesIO()
    img.save(out, "JPEG")
    return out.getvalue()


def register_case(data_dir: Path, at: str, *, community: str = "C1", category: str = "Z2",
                  deadline: Optional[date] = None, place: str = "", position: Optional[Position] = None,
                  photo: Optional[bytes] = None, who: Actor = OFFICE, store: Optional[Store] = None) -> str:
    """Register one case as if at time `at` (ISO with offset); returns its id."""
    own = store is None
    store = store or open_store(data_dir)
    try:
        moment = datetime.fromisoformat(at)
        work = Casework(store, Path(data_dir) / PHOTO_DIR_NAME, who, lambda: moment)
        saved = work.register(community=community, category=category,
                              photos=[photo or scene_photo(random.Random(len(place)))],
                              place=place or "prefill", position=position, deadline=deadline)
        return saved.case_id
    finally:
        if own:
            store.close()
