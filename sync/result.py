"""What a sync run reports: to the 同步 screen while it runs (Progress), and when done (SyncResult)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# Phases, in the order a run goes through them.
HELLO = "hello"
PHOTOS = "photos"
PUSH = "push"
PULL = "pull"
DOWNLOAD = "download"  # others' photos this phone lacks (after the pull)
DONE = "done"


@dataclass(frozen=True)
class SyncIssue:
    """One problem, with a stable code (docs/sync.md); its zh-CN text is
    `fieldapp.text.common.SYNC_MESSAGES[code]`."""

    code: str
    detail: str = ""
    event_id: str | None = None
    sha256: str | None = None


@dataclass(frozen=True)
class Progress:
    """Sent to the progress callback after each step; photos and bytes count uploads only
    (downloads: `downloads_done` / `downloads_total`)."""

    phase: str
    photos_done: int = 0
    photos_total: int = 0
    bytes_done: int = 0
    bytes_total: int = 0
    events_pushed: int = 0
    events_total: int = 0
    events_pulled: int = 0
    downloads_done: int = 0  # photos fetched (or tried) in this run's download step
    downloads_total: int = 0  # what the step means to fetch this run (within its bounds)


@dataclass
class SyncResult:
    started_at: datetime
    finished_at: datetime | None = None
    server_id: str | None = None
    pushed: int = 0  # events the office stored now
    acknowledged: int = 0  # events the office confirmed it had already (lost responses, resends)
    pulled: int = 0  # events new to this phone
    photos_uploaded: int = 0
    photos_to_upload: int = 0  # what the office lacked at the start of this run
    bytes_uploaded: int = 0
    photos_downloaded: int = 0  # others' photos fetched, checked against their name, and kept
    photos_to_download: int = 0  # photos named by events here whose file this phone lacked (before the run's downloads)
    bytes_downloaded: int = 0
    pending_events: int = 0  # own events still not acknowledged after this run
    pending_photos: int = 0
    clock_skew_seconds: float | None = None  # office clock minus this device's clock
    clock_skew_flagged: bool = False
    rules_received: list[int] = field(default_factory=list)  # years whose rules file came new from the office
    errors: list[SyncIssue] = field(default_factory=list)
    warnings: list[SyncIssue] = field(default_factory=list)
    stopped: str | None = None  # the code that ended the run early, if one did

    @property
    def ok(self) -> bool:
        """The run completed and everything own was delivered."""
        return self.stopped is None and not self.errors and self.pending_events == 0

    @property
    def duration_s(self) -> float:
        end = self.finished_at or self.started_at
        return (end - self.started_at).total_seconds()

    def summary(self) -> str:
        parts = [
            f"pushed {self.pushed} (+{self.acknowledged} already there)",
            f"pulled {self.pulled}",
            f"photos {self.photos_uploaded}/{self.photos_to_upload} ({self.bytes_uploaded / 1e6:.1f} MB)",
            f"downloaded photos {self.photos_downloaded}/{self.photos_to_download}"
            f" ({self.bytes_downloaded / 1e6:.1f} MB)",
            f"pending {self.pending_events} events, {self.pending_photos} photos",
            f"{self.duration_s:.2f} s",
        ]
        if self.clock_skew_flagged:
            parts.append(f"CLOCK SKEW {self.clock_skew_seconds:+.0f} s")
        return "; ".join(parts)
