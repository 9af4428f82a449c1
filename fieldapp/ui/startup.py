"""The phone's data folder at start-up (fieldapp/ui/app.py, tests): the store and the device id,
what a cut write or trial start left swept away, and (``--demo``) trial mode's own folder.

Above both `fieldapp.ui.data` (the store, the settings) and `fieldapp.ui.trial` (sample data),
which each know nothing of the other's start-up.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from fieldapp.domain.rules import Rules
from fieldapp.store import Store
from fieldapp.ui.data import DB_NAME, PHOTO_DIR_NAME, Settings, ensure_settings

log = logging.getLogger(__name__)


def prepare_data_dir(data_dir: Path, rules: Rules, now: datetime, *, demo: bool = False,
                     demo_cases: int = 48) -> tuple[Settings, int]:
    """At start-up: create the store and the device id; (``demo``) start trial mode — sample
    data in a folder of its own, ``<data dir>/trial`` (fieldapp/ui/trial.py), never in the
    store itself; remove the temp files of photo writes a crash cut short
    (`photos.sweep_temp_files`) and what a cut trial start or discard left.

    Returns the settings and how many demo cases were made (0 if a trial was there already).
    """
    from fieldapp.photos import sweep_temp_files
    from fieldapp.ui import trial

    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    swept = sweep_temp_files(data_dir / PHOTO_DIR_NAME)
    if swept:
        log.info("removed %d unfinished photo files", swept)
    trial.sweep(data_dir)
    made = 0
    if demo and not trial.trial_active(data_dir):
        trial.make_trial(data_dir, rules, now, cases=demo_cases)
        made = demo_cases
    with Store(data_dir / DB_NAME, rules) as store:
        settings = ensure_settings(store)
    return settings, made
