"""The office's content-addressed photo files: photo_dir/ab/<sha256>.jpg (as fieldapp.photos).

An upload is streamed to a temp file in photo_dir/.incoming while it is hashed;
only bytes whose hash is the name they were sent under are fsynced and renamed
into place. So a photo file on the office is always complete and correct, and
its existence is what "the office has this photo" means.

The renames are made durable (directory fsync) in a batch, by `sync_dirs()`,
before any event naming a photo is committed: a power cut can then lose at most
photos that no stored event names yet, which the phone is told are missing and
uploads again. One journal commit per push instead of one per photo. A new
``ab/`` folder is made durable the same way (its parent joins the batch): a first
sync to a fresh office creates up to 256 of them, and an fsync each cost ~15 % of
its photo upload time. With fifty phones uploading, a directory fsync takes ~2 ms
(the disk is busy with the uploads' own fsyncs) and a batch holds dozens: the office
starts one in the background when a push arrives (`sync_dirs_soon`), and the writer,
before its commit, waits only for the renames of the photos its events name
(`sync_dirs(photos)`), which that round has usually made durable by then. Rounds of
fsyncs run one at a time, so a round that began after a rename covers it.

Creating a file is the slowest step of an upload on some disks (~0.6 ms on ext4 here,
more than the fsync), so empty temp files are made ahead, off the event loop, in
``photo_dir/.spare`` (`spares()`), and an upload renames one into ``.incoming``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import threading
from collections import OrderedDict, deque
from concurrent.futures import Executor
from pathlib import Path
from typing import BinaryIO, Iterable

from fieldapp.durable import fsync_dir
from fieldapp.photos import photo_file, photo_path
from sync.protocol import is_sha256

INCOMING = ".incoming"
SPARE = ".spare"
SPARES = 4  # temp files kept ready: one phone uploads one photo at a time


class BlobStore:
    def __init__(self, photo_dir: str | Path, executor: Executor | None = None):
        """`executor`: where spare temp files are made (none: each upload makes its own)."""
        self.photo_dir = Path(photo_dir)
        self.incoming = self.photo_dir / INCOMING
        self.spare_dir = self.photo_dir / SPARE
        self._root = str(self.photo_dir)
        self.incoming.mkdir(parents=True, exist_ok=True)
        self.spare_dir.mkdir(parents=True, exist_ok=True)
        self._dirty: set[Path] = set()  # directories with renames not yet fsynced
        self._lock = threading.Lock()
        self._marks = 0  # renames (and new folders) so far
        self._rounds = threading.Lock()  # one round of directory fsyncs at a time
        self._synced = 0  # every rename up to this mark is durable
        self._placed: OrderedDict[str, int] = OrderedDict()  # photo -> its rename's mark, until durable
        self._soon = False  # a background round is queued or running
        self._executor = executor
        self._spares: deque[tuple[Path, BinaryIO]] = deque()
        self._filling = False
        self._closed = False

    def path(self, sha256: str) -> Path:
        return photo_path(self.photo_dir, sha256)  # refuses anything but 64 lowercase hex digits

    def has(self, sha256: str) -> bool:
        # Plain strings, not pathlib: this runs for every photo of every push and missing-query.
        return is_sha256(sha256) and os.path.isfile(photo_file(self._root, sha256))

    def read(self, sha256: str) -> bytes | None:
        """A stored photo's bytes (blocking), or None if there is none under that name."""
        if not is_sha256(sha256):
            return None
        try:
            with open(photo_file(self._root, sha256), "rb") as f:
                return f.read()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None

    def remove(self, sha256: str) -> bool:
        """Delete a stored photo (an upload no event named: sync.storage.sweep_unnamed)."""
        if not is_sha256(sha256):
            return False
        try:
            os.unlink(photo_file(self._root, sha256))
        except FileNotFoundError:
            return False
        return True

    def clear_incoming(self) -> int:
        """At start: temp files of uploads cut by a crash are garbage (one server per data dir)."""
        removed = 0
        for leftover in self.incoming.iterdir():
            with contextlib.suppress(OSError):
                leftover.unlink()
                removed += 1
        for spare in self.spare_dir.iterdir():
            with contextlib.suppress(OSError):
                spare.unlink()
        return removed

    def upload(self) -> "Upload":
        """A new upload, in a temp file of its own in .incoming (a spare one if there is one)."""
        tmp = self.incoming / f"{secrets.token_hex(8)}.part"
        try:
            spare, file = self._spares.popleft()
        except IndexError:
            file = open(tmp, "wb")
        else:
            try:
                os.rename(spare, tmp)  # the open file follows its inode
            except OSError:
                file.close()
                file = open(tmp, "wb")
        self._fill_spares()
        return Upload(self, tmp, file)

    def _fill_spares(self) -> None:
        self._submit_once("_filling", lambda: len(self._spares) < SPARES, self._make_spares)

    def _submit_once(self, flag: str, wanted, job) -> None:
        """Run `job` on the executor if `wanted()` and none is queued or running already (the
        attribute named `flag` says so, until `job` clears it)."""
        if self._executor is None or self._closed:
            return
        with self._lock:
            if getattr(self, flag) or not wanted():
                return
            setattr(self, flag, True)
        try:
            self._executor.submit(job)
        except RuntimeError:  # shutting down
            setattr(self, flag, False)

    def _make_spares(self) -> None:
        try:
            while len(self._spares) < SPARES and not self._closed:
                path = self.spare_dir / f"{secrets.token_hex(8)}.part"
                self._spares.append((path, open(path, "wb")))
        except OSError:
            pass  # a full disk: uploads make their own files (and report that)
        finally:
            self._filling = False

    def close(self) -> None:
        """Remove the spare temp files (after the executor that makes them has stopped)."""
        self._closed = True
        while self._spares:
            path, file = self._spares.popleft()
            file.close()
            with contextlib.suppress(OSError):
                path.unlink()

    def place(self, tmp: Path, target: Path) -> None:
        # Rename and mark under one lock: whoever sees the file (has()) and then calls
        # sync_dirs() waits for the mark, so that rename is made durable too.
        with self._lock:
            os.replace(tmp, target)
            self._dirty.add(target.parent)
            self._marks += 1
            self._placed[target.stem] = self._marks
            self._placed.move_to_end(target.stem)

    def make_dir(self, directory: Path) -> None:
        """Create a photo folder; its entry in the parent is made durable by the next sync_dirs()."""
        if directory.is_dir():
            return
        with self._lock:  # mkdir and mark together: whoever sees the folder sees the parent marked
            directory.mkdir(parents=True, exist_ok=True)
            self._dirty.add(directory.parent)
            self._marks += 1

    def sync_dirs(self, photos: Iterable[str] | None = None) -> None:
        """Make every rename so far durable (call before committing events that name photos), or
        with `photos`, those of these photos (and so every rename before theirs); a photo this
        BlobStore did not put in place counts as durable."""
        with self._lock:
            if photos is None:
                wanted = self._marks
            else:
                wanted = max((self._placed.get(sha, 0) for sha in photos), default=0)
        if self._synced >= wanted:  # it only grows
            return
        with self._rounds:
            if self._synced >= wanted:  # a round that began after those renames is done
                return
            with self._lock:
                dirty, self._dirty = self._dirty, set()
                upto = self._marks
            try:
                for directory in sorted(dirty):
                    fsync_dir(directory)
            except BaseException:  # back to the list before the next round takes it
                with self._lock:
                    self._dirty |= dirty
                raise
            # Every earlier mark was in this round's list or in an earlier round's, done or
            # (failed) put back before this one began.
            self._synced = upto
            with self._lock:
                while self._placed and next(iter(self._placed.values())) <= upto:
                    self._placed.popitem(last=False)

    def sync_dirs_soon(self) -> None:
        """Start a round of `sync_dirs` on the executor (events naming the photos uploaded so far
        are on their way), unless one is queued already; a failure there is left to the next call."""
        self._submit_once("_soon", lambda: bool(self._dirty), self._sync_in_background)

    def _sync_in_background(self) -> None:
        try:
            with self._lock:
                self._soon = False  # renames from now on may want another round
            self.sync_dirs()
        except OSError:
            pass  # the writer's own sync_dirs before its commit meets it again


class Upload:
    """One incoming photo: write() chunks, then finish(sha) or discard(). Never leaves a temp file."""

    def __init__(self, blobs: BlobStore, tmp: Path, file: BinaryIO):
        self.blobs = blobs
        self.tmp = tmp
        self.file = file
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, chunk: bytes) -> None:
        self.hash.update(chunk)
        self.file.write(chunk)
        self.size += len(chunk)

    def finish(self, sha256: str) -> bool:
        """Put the bytes in place if they hash to `sha256` (blocking: fsync). True if they did."""
        try:
            if self.hash.hexdigest() != sha256:
                return False
            self.file.flush()
            os.fsync(self.file.fileno())
            self.file.close()
            target = self.blobs.path(sha256)
            if not target.is_file():
                self.blobs.make_dir(target.parent)
                self.blobs.place(self.tmp, target)
            return True
        finally:
            self.discard()

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.file.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.tmp)

