"""The middle of a sync run (phone side): photo uploads, and event pushes overlapped with them.

`Uploads` sends the photos the office lacks, one at a time, on the calling thread (so a
cut run re-sends at most the photo that was in flight). `Pusher` pushes the run's events
in their order, in batches sized to the office's limits; an event can go once every photo
it names is on the office — an upload acknowledged (201: the file is complete, fsynced and
in place; the office makes the rename durable before it commits any event naming it) or a
photo the office already had. A batch goes when it is full, or as soon as a tenth of one
(`EARLY_SHARE`) is ready and no batch is in flight: events reach the office while the photos
upload, a few at a time, rather than all at once when a batch fills (fifty phones uploading
at one pace would otherwise fill theirs in the same second and queue at the office's one
writer). The batch goes on a helper thread while the next photos upload; only its HTTP
exchange runs there: its answer is recorded on the calling thread (SQLite connections belong
to their thread), at the next photo boundary. At most one batch is in flight, so while one
is on its way the next grows: a slow office gets fewer, larger pushes.

An event naming a photo that cannot go (gone, damaged, too big) waits, with the reason
in the pending errors; the events after it go on.
"""

from __future__ import annotations

import json
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Iterator

from fieldapp.photos import photo_path
from sync import protocol as p
from sync.channel import Channel, SyncError
from sync.run import Hello, Run
from sync.result import PHOTOS, SyncIssue, SyncResult


OK, HELD = "ok", "held"
STOP_PHOTO_CODES = {"hash_mismatch": "photo_corrupt_local", "too_large": "photo_too_large"}
WHOLE_BODY = 4 * 1024 * 1024  # a photo up to this is sent as one piece (stored photos are ~0.3 MB)
CHUNK = 1024 * 1024  # larger ones are streamed in pieces of this size (progress per piece)
EARLY_SHARE = 10  # with nothing in flight, a batch goes once 1/EARLY_SHARE of a full one is ready


class Uploads:
    """Iterate to upload the missing photos one by one; `state(sha)` says where a photo stands."""

    def __init__(self, run: Run, channel: Channel, result: SyncResult, missing: list[str]):
        self.shared, self.channel, self.result = run, channel, result
        self.held: dict[str, SyncIssue] = {}
        self.sizes: dict[str, int] = {}
        for sha in missing:
            try:
                self.sizes[sha] = photo_path(run.photo_dir, sha).stat().st_size
            except OSError as exc:
                self.held[sha] = SyncIssue("photo_missing_local", type(exc).__name__, sha256=sha)
        self.waiting = set(self.sizes)  # not tried yet
        if self.sizes:
            run.report(phase=PHOTOS, photos_done=0, photos_total=len(self.sizes), bytes_done=0,
                           bytes_total=sum(self.sizes.values()))

    def state(self, sha: str) -> str | None:
        """OK (on the office), HELD (cannot go this run) or None (not tried yet)."""
        if sha in self.held:
            return HELD
        return None if sha in self.waiting else OK

    def __iter__(self) -> Iterator[str]:
        done_bytes = 0
        for n, (sha, size) in enumerate(self.sizes.items(), 1):
            sent = self._one(sha, size, done_bytes)
            self.waiting.discard(sha)
            if sent:
                done_bytes += size
                self.result.photos_uploaded += 1
                self.result.bytes_uploaded += size
                self.shared.report(photos_done=n, bytes_done=done_bytes)
            yield sha
        self.result.errors.extend(self.held.values())

    def _one(self, sha: str, size: int, base: int) -> bool:
        path = photo_path(self.shared.photo_dir, sha)
        headers = {"Content-Type": "application/octet-stream"}
        try:
            if size <= WHOLE_BODY:
                data = path.read_bytes()  # one piece, one send: the same bytes on every retry

                def content():
                    return data
            else:
                headers["Content-Length"] = str(size)

                def content():
                    return self._chunks(path, base)
            self.channel.call("PUT", f"/blobs/{sha}", content=content, headers=headers)
            self.shared.photo_on_office(sha)
        except SyncError as exc:
            if exc.code not in STOP_PHOTO_CODES:
                raise
            self.held[sha] = SyncIssue(STOP_PHOTO_CODES[exc.code], exc.message, sha256=sha)
            return False
        except OSError as exc:  # the file vanished or became unreadable meanwhile
            self.held[sha] = SyncIssue("photo_missing_local", type(exc).__name__, sha256=sha)
            return False
        return True

    def _chunks(self, path: Path, base: int) -> Iterator[bytes]:
        sent = base
        with open(path, "rb") as f:
            while chunk := f.read(CHUNK):
                sent += len(chunk)
                yield chunk
                self.shared.report(bytes_done=sent)


class Pusher:
    """Push `wires` in order once their photos are on the office (`uploads.state`), batch by batch.

    Call `pump()` after each photo (sends a full batch in the background, or takes the
    answer of the one in flight), then `pump(final=True)` once every photo was tried.
    Use as a context manager: leaving early (an error) still records the answer of the
    batch in flight, then stops the helper thread.
    """

    def __init__(self, run: Run, channel: Channel, hello: Hello, wires: list[dict],
                 result: SyncResult, uploads: Uploads):
        self.shared, self.channel, self.hello = run, channel, hello
        self.wires, self.result, self.uploads = wires, result, uploads
        self.cap = max(1, min(run.batch_size, hello.limits.max_events_per_push))
        self.early = max(1, self.cap // EARLY_SHARE)  # ready events that go before the batch is full
        self.budget = int(hello.limits.max_body_bytes * 0.9)
        self.i = 0  # wires before this are settled (answered, or waiting with a reason)
        self.missing_blob: list[dict] = []  # the office said it lacks a photo after all
        self._inflight: tuple[Future, list[dict], int] | None = None
        self._scan: tuple[list[dict], int, int] | None = None  # the next batch as built so far
        self._costs: dict[int, int] = {}
        self._blocked: set[str] = set()
        self._pool: ThreadPoolExecutor | None = None

    def __enter__(self) -> "Pusher":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if self._inflight is not None:
                future, batch, end = self._inflight
                self._inflight = None
                if exc_type is None:
                    self._settle(batch, end, future.result)
                else:  # stopping for another reason: keep what the office acknowledged meanwhile
                    try:
                        self._settle(batch, end, future.result)
                    except Exception:  # noqa: BLE001 - the error already on its way out wins
                        pass
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)

    def pump(self, final: bool = False) -> None:
        if self._inflight is not None:
            future, batch, end = self._inflight
            if not final and not future.done():
                return
            self._inflight = None
            self._settle(batch, end, future.result)
        while True:
            batch, end, complete = self._next_batch()
            if not batch or not (complete or final or len(batch) >= self.early):
                return
            self._scan = None
            if final:  # nothing left to overlap with: send it here
                self._settle(batch, end, lambda: self._post(batch))
                continue
            if self._pool is None:
                self._pool = ThreadPoolExecutor(1, thread_name_prefix="sync-push")
            self._inflight = (self._pool.submit(self._post, batch), batch, end)
            return

    def _post(self, batch: list[dict]) -> dict:
        return self.channel.call("POST", "/events", json={"events": batch}).body

    def _next_batch(self) -> tuple[list[dict], int, bool]:
        """(events, index after them, complete) — complete: full, or nothing more could join."""
        batch, size, j = self._scan if self._scan is not None else ([], 20, self.i)
        complete = False
        while True:
            if j >= len(self.wires):
                complete = True
                break
            wire = self.wires[j]
            states = [self.uploads.state(sha) for sha in p.photo_hashes(wire)]
            if None in states:  # a photo not tried yet: this event and the ones after it wait
                break
            if HELD in states:
                self._hold(wire)
                j += 1
                if not batch:
                    self.i = j
                continue
            if len(batch) >= self.cap:
                complete = True
                break
            cost = self._costs.get(j)
            if cost is None:
                cost = self._costs[j] = len(json.dumps(wire, ensure_ascii=False).encode()) + 1
            if batch and size + cost > self.budget:
                complete = True
                break
            batch.append(wire)
            size += cost
            j += 1
        self._scan = (batch, size, j)
        return batch, j, complete

    def _hold(self, wire: dict) -> None:
        if wire["id"] in self._blocked:
            return
        self._blocked.add(wire["id"])
        sha = next(s for s in p.photo_hashes(wire) if self.uploads.state(s) == HELD)
        self.shared.book.record_pending_error(wire["id"], self.uploads.held[sha].code, f"photo {sha}")
        self.shared.report(events_total=max(0, self.shared.progress.events_total - 1))

    def _settle(self, batch: list[dict], end: int, answer: Callable[[], dict]) -> None:
        """Take the office's answer to a batch (on the calling thread)."""
        try:
            body = answer()
        except SyncError as exc:
            if exc.code not in ("too_large", "too_many_events"):
                raise
            self._scan = None
            if len(batch) == 1:
                self.result.errors.append(SyncIssue("event_too_large", exc.message, event_id=batch[0]["id"]))
                self.shared.book.record_pending_error(batch[0]["id"], "event_too_large", exc.message)
                self.i = end
            else:  # a proxy's or the office's limit: smaller batches from the same place
                self.cap = max(1, len(batch) // 2)
            return
        self.missing_blob.extend(take_results(self.shared.book, self.hello.server_id, batch, body, self.result))
        self.i = end
        self.shared.report(events_pushed=self.shared.progress.events_pushed + len(batch))

def take_results(book, server_id: str, batch: list[dict], body: dict, result: SyncResult) -> list[dict]:
    """The office's answer to one pushed batch: acknowledgements kept, conflicts and refusals noted,
    the events whose photos it lacks returned (to push again once they are uploaded)."""
    results = body.get("results")
    if not isinstance(results, list) or len(results) != len(batch):
        raise SyncError("protocol_mismatch", "push answer does not match the batch")
    acks, missing_blob = [], []
    for wire, answer in zip(batch, results):
        if not isinstance(answer, dict) or answer.get("id") != wire["id"] \
                or answer.get("status") not in p.EVENT_STATUSES:
            raise SyncError("protocol_mismatch", f"unexpected result {answer!r}"[:200])
        status = answer["status"]
        seq = answer.get("server_seq") if isinstance(answer.get("server_seq"), int) else None
        if status == p.ACCEPTED:
            result.pushed += 1
        elif status == p.DUPLICATE:
            result.acknowledged += 1
        elif status == p.CONFLICT:
            result.errors.append(SyncIssue("event_conflict", "", event_id=wire["id"]))
        elif status == p.MISSING_BLOB:
            missing_blob.append(wire)
            continue
        else:
            reason = f"{answer.get('reason')}: {answer.get('detail', '')}"
            result.errors.append(SyncIssue("event_rejected", reason, event_id=wire["id"]))
            book.record_pending_error(wire["id"], "event_rejected", reason)
            continue
        acks.append((wire["id"], status, seq))
    book.record_results(server_id, acks)
    return missing_blob
