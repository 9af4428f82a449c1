"""The last step of a sync run (phone side): download the photos of others' cases this phone lacks.

A phone pulls the events of its communities, colleagues' included, but their photos stay
on the office until asked for: `GET /blobs/{sha256}` answers only for a photo that an
event of the device's communities names (404 otherwise). The pull puts the photos that
new events name on a work list (PhoneBook.want_photos, in the page's transaction); after
the pull, those without a file here are fetched one at a time, most wanted first
(PhoneBook.photos_wanted: the "before" photos of open cases, newest case first — what a
re-check is judged against), at most `max_photos` requests and about `max_bytes` per run,
so a phone newly enrolled for a busy community catches up over a few runs instead of
holding one run for minutes. A photo leaves the list once its file is here, so a run with
nothing to fetch costs one small query, no file look-ups and no write.

Each photo's bytes must hash to its name before anything is written (the office checks
uploads the same way); they are then written as an ingest writes a photo, thumbnail
first, each file atomically (`fieldapp.photos.keep_copy`). Nothing here touches events or
the sync bookkeeping of events; a failed download is a warning of the run, never its
stop — except the office refusing the device itself (401/403), which stops the run as it
would anywhere else.
"""

from __future__ import annotations

import logging
import os

from fieldapp.photos import keep_copy, photo_file
from sync import protocol as p
from sync.channel import Channel, SyncError
from sync.run import Hello, Run
from sync.result import DOWNLOAD, SyncIssue, SyncResult


log = logging.getLogger("fieldapp.sync.downloads")

MAX_PHOTOS = 100  # requests per run (a stored photo is ~0.3 MB)
MAX_BYTES = 25 * 1024 * 1024  # about this much per run (a photo that would cross it waits; the first always goes)
# Answers that will not change for this device and this office: not asked again (PhoneBook).
UNAVAILABLE = frozenset({"not_found", "too_large"})


class Downloads:
    def __init__(self, run: Run, channel: Channel, hello: Hello, result: SyncResult,
                 device_id: str, *, max_photos: int = MAX_PHOTOS, max_bytes: int = MAX_BYTES):
        self.shared, self.channel, self.hello, self.result = run, channel, hello, result
        self.device_id = device_id
        self.max_photos = max_photos
        self.max_bytes = max_bytes

    def lacking(self) -> list[tuple[str, int | None]]:
        """The wanted photos without a file here, most wanted first (those found here leave the list)."""
        root = str(self.shared.photo_dir)
        lacking, here = [], []
        for sha, size in self.shared.book.photos_wanted(self.hello.server_id, self.device_id):
            if os.path.isfile(photo_file(root, sha)):  # one stat per wanted photo (photos_wanted checked sha)
                here.append(sha)
            else:
                lacking.append((sha, size))
        self.shared.book.photos_here(here)
        return lacking

    def plan(self, lacking: list[tuple[str, int | None]]) -> list[tuple[str, int | None]]:
        """This run's share: at most max_photos, and photos while the bytes stay within max_bytes
        (as the events tell their sizes; the first photo always goes, so none waits for ever)."""
        chosen, planned = [], 0
        for sha, size in lacking:
            if len(chosen) >= self.max_photos:
                break
            if chosen and planned + (size or 0) > self.max_bytes:
                break
            chosen.append((sha, size))
            planned += size or 0
        return chosen

    def run(self) -> None:
        lacking = self.lacking()
        self.result.photos_to_download = len(lacking)
        plan = self.plan(lacking)
        if not plan:
            return
        self.shared.report(phase=DOWNLOAD, downloads_done=0, downloads_total=len(plan))
        unavailable: list[tuple[str, str]] = []
        kept: list[str] = []
        limit = self.hello.limits.max_blob_bytes
        received = 0
        try:
            for n, (sha, _size) in enumerate(plan, 1):
                if received >= self.max_bytes:  # sizes the events did not tell
                    break
                try:
                    data = self.channel.fetch(f"/blobs/{sha}", max_bytes=limit)
                except SyncError as exc:
                    if exc.code in p.AUTH_REFUSED:  # the run stops, as on any other request
                        raise
                    if exc.code in UNAVAILABLE:
                        unavailable.append((sha, exc.code))
                        self.shared.report(downloads_done=n)
                        continue
                    if exc.code == "method_not_allowed":  # an office from before downloads
                        log.info("the office does not send photos (%s)", exc.message)
                        return
                    # network, office unavailable, a stranger answering: no use trying the next one
                    self.result.warnings.append(SyncIssue("photo_download_failed", f"{exc.code}: {exc.message}",
                                                          sha256=sha))
                    return
                try:
                    keep_copy(data, self.shared.photo_dir, sha)
                except ValueError:  # the bytes are not the photo: keep nothing, ask again next run
                    log.warning("downloaded photo %s does not match its name; discarded", sha)
                    self.result.warnings.append(SyncIssue("photo_download_corrupt", f"{len(data)} bytes",
                                                          sha256=sha))
                    self.shared.report(downloads_done=n)
                    continue
                except OSError as exc:  # a full disk: the next ones would fail too
                    self.result.warnings.append(SyncIssue("photo_download_failed", type(exc).__name__,
                                                          sha256=sha))
                    return
                kept.append(sha)
                received += len(data)
                self.result.photos_downloaded += 1
                self.result.bytes_downloaded += len(data)
                self.shared.report(downloads_done=n)
        finally:
            self.shared.book.photos_here(kept)
            self.shared.book.record_photos_unavailable(self.hello.server_id, self.device_id, unavailable)
