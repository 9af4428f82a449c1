"""Making file-system changes survive a power cut (used by the photo store and sync)."""

from __future__ import annotations

import contextlib
import os
import tempfile
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


def write_file(path: Path, data: bytes, *, temp_dir: Path | None = None, mode: int | None = None) -> None:
    """Replace `path` with `data` atomically and durably: a temp file (in `temp_dir`, by default
    beside `path`; on the same file system) written and fsynced, renamed over `path`, the
    directory fsynced. A crash leaves the old file or the new one, never half of one; the temp
    file is removed if the write fails (a crash may leave it: sweep `temp_dir`).

    `mode`: the file's permissions, set before a byte is written (the temp file starts as 0600,
    so a private key is never readable by others, not even half-written); default 0600."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=temp_dir or path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)
