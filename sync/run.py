"""What the parts of one sync run share: the office's hello, and the run's own state.

`SyncClient` (sync/client.py) makes a `Run` at the start of each run and hands it to the
parts that push photos and events (sync/pusher.py) and fetch others' photos
(sync/downloads.py): the phone's book, its photo folder, how many events go in one push,
the progress the 同步 screen shows. The parts need nothing else of the client, so they do
not import it.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Callable

from sync import protocol as p
from sync.phonebook import PhoneBook
from sync.result import HELLO, Progress


@dataclasses.dataclass(frozen=True)
class Hello:
    """The office's answer to GET /hello, as this run uses it."""

    server_id: str
    limits: p.Limits
    max_seq: int
    rules_digest: object = None  # the office's rules files (sync/rulesync.py); None from an older office


class Run:
    """One run's shared state; `report(**changes)` moves its progress and tells the listener."""

    def __init__(self, book: PhoneBook, photo_dir: Path, batch_size: int,
                 on_progress: Callable[[Progress], None] | None, on_office: Callable[[str], None]):
        self.book = book
        self.photo_dir = photo_dir
        self.batch_size = batch_size
        self.on_progress = on_progress
        self.photo_on_office = on_office  # the office took this photo's upload (201)
        self.progress = Progress(HELLO)

    def report(self, **changes) -> None:
        self.progress = dataclasses.replace(self.progress, **changes)
        if self.on_progress is not None:
            self.on_progress(self.progress)
