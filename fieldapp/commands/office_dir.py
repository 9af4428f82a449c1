"""Where the office keeps its data: one answer for every `fieldapp office` command."""

from __future__ import annotations

import os
from pathlib import Path

ENV_OFFICE_DIR = "FIELDAPP_OFFICE_DIR"


def default_office_dir() -> Path:
    """``$FIELDAPP_OFFICE_DIR``, else an ``office`` folder in the app's data dir."""
    if os.environ.get(ENV_OFFICE_DIR):
        return Path(os.environ[ENV_OFFICE_DIR]).expanduser()
    from fieldapp.ui.context import default_data_dir

    return default_data_dir() / "office"
