"""Making file-system changes survive a power cut (used by the photo store and sync)."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_dir(directory: Path) -> None:
    """Flush a directory's entries (a rename or a new file in it) to disk."""
    if not hasattr(os, "O_DIRECTORY"):  # Windows cannot fsync a directory
        return
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
