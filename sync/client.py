"""The phone's side of a sync run: hello → blobs/missing → photos → push → pull.

Every step is safe to repeat and records what the office acknowledged as soon
as it is known (per push batch, per pulled page), so a run cut anywhere resumes
where it stopped. Local events and photos are never changed or deleted: only
the bookkeeping in sync_* tables moves.

    result = SyncClient(store, photo_dir).run()   # after enrol(store, url, code)
"""

from __future__ import annotations

import dataclasses
import json
import logging
import secrets
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Callable, Iterator

import httpx

from fieldapp.domain.events import Event
from fieldapp.domain.validate import EventError
from fieldapp.photos import photo_path
from fieldapp.store import ACCEPTED, CONFLICT, Store
from sync import protocol as p
from sync.channel import Channel, RetryPolicy, SyncError
from sync.phonebook import META_LAST_SERVER, META_LAST_SYNC, PhoneBook
from sync.result import DONE, HELLO, PHOTOS, PULL, PUSH, Progress, SyncIssue, SyncResult
from sync.storage import iso, wire_event

log = logging.getLogger("fieldapp.sync.client")

CHUNK = 256 * 1024  # big enough to keep per-chunk overhead small, small enough for smooth progress
STOP_PHOTO_CODES = {"hash_mismatch": "photo_corrupt_local", "too_large": "photo_too_large"}


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclasses.dataclass(frozen=True)
class Hello:
    server_id: str
    limits: p.Limits
    max_seq: int


def enrol(store: Store, server_url: str, code: str, *, label: str = "",
          transport: httpx.BaseTransport | None = None, retry: RetryPolicy = RetryPolicy()) -> dict:
    """Exchange a one-time code for this phone's device token and keep it (in the store's meta).

    Returns what the office said about the device (never the token). Raises SyncError.
    """
    nonce = secrets.token_urlsafe(16)  # same nonce on every retry: a lost answer is not a lost code
    with Channel(server_url, transport=transport, retry=retry) as channel:
        body = channel.call("POST", "/enrol", json={"code": code, "label": label, "nonce": nonce}).body
    try:
        token, device_id, inspector = body["token"], body["device_id"], body["inspector"]
        communities = [c for c in body["communities"] if isinstance(c, str)]
    except (KeyError, TypeError):
        raise SyncError("protocol_mismatch", "enrol answer without a token") from None
    PhoneBook(store).save_credentials(server_url, token, device_id, inspector, communities)
    return {"device_id": device_id, "inspector": inspector, "communities": communities,
            "server_id": body.get("server_id")}


class SyncClient:
    def __init__(
        self,
        store: Store,
        photo_dir: str | Path,
        *,
        server_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
        retry: RetryPolicy = RetryPolicy(),
        progress: Callable[[Progress], None] | None = None,
        clock: Callable[[], datetime] = utc_now,
        batch_size: int = 250,
        pull_limit: int = 500,
    ):
        self.store = store
        self.book = PhoneBook(store)
        self.photo_dir = Path(photo_dir)
        self.server_url = server_url
        self.transport = transport
        self.retry = retry
        self.on_progress = progress
        self.clock = clock  # this device's clock: only compared with the office's, never used to order
        self.batch_size = batch_size
        self.pull_limit = pull_limit
        self._limits = p.Limits()

    # --- the run ------------------------------------------------------------------------

    def run(self) -> SyncResult:
        result = SyncResult(started_at=utc_now())
        self._progress = Progress(HELLO)
        creds = self.book.credentials()
        url = self.server_url or creds["server_url"]
        if not creds["token"] or not url:
            return self._finish(result, SyncError("not_enrolled", "enrol this phone first"))
        self._report(phase=HELLO)
        with Channel(url, creds["token"], transport=self.transport, retry=self.retry) as channel:
            try:
                hello = self._hello(channel, result)
                pending = self.book.pending_rows(hello.server_id)
                wires = [wire_event(row) for row in pending]
                held = self._photos(channel, wires, result)
                self._push(channel, hello, wires, held, result)
                self._pull(channel, hello, result)
            except SyncError as exc:
                return self._finish(result, exc)
            except Exception as exc:  # a bug must not take the app down: report it, keep the data
                log.exception("sync run failed")
                return self._finish(result, SyncError("internal_error", type(exc).__name__))
        return self._finish(result, None)

    def _finish(self, result: SyncResult, stop: SyncError | None) -> SyncResult:
        if stop is not None:
            result.stopped = stop.code
            result.errors.append(SyncIssue(stop.code, stop.message))
        else:
            self.store.set_meta(META_LAST_SYNC, iso(utc_now()))
        result.pending_events, result.pending_photos = self.book.pending_counts()
        result.finished_at = utc_now()
        self._report(phase=DONE)
        return result

    def _report(self, **changes) -> None:
        self._progress = dataclasses.replace(self._progress, **changes)
        if self.on_progress is not None:
            self.on_progress(self._progress)

    # --- hello --------------------------------------------------------------------------

    def _hello(self, channel: Channel, result: SyncResult) -> Hello:
        reply = channel.call("GET", "/hello")
        body = reply.body
        server_id = body.get("server_id")
        if body.get("version") != p.VERSION or not isinstance(server_id, str) or not server_id:
            raise SyncError("protocol_mismatch", f"unexpected hello: version {body.get('version')!r}")
        result.server_id = server_id
        self._measure_skew(reply, result)
        max_seq = body.get("max_seq") if isinstance(body.get("max_seq"), int) else 0
        if self.book.max_acked_seq(server_id) > max_seq:
            # Same id but fewer events than it acknowledged: an office restored with its old id.
            result.warnings.append(SyncIssue("server_rolled_back", f"office has {max_seq} events"))
            self.book.forget_server(server_id)
        if self.store.get_meta(META_LAST_SERVER) != server_id:
            self.store.set_meta(META_LAST_SERVER, server_id)
        self._limits = p.Limits.from_dict(body.get("limits"))
        return Hello(server_id, self._limits, max_seq)

    def _measure_skew(self, reply, result: SyncResult) -> None:
        office_time = _parse_time(reply.body.get("server_time")) or _parse_http_date(reply.headers.get("date"))
        if office_time is None:
            return
        # The office read its clock about halfway through the exchange.
        half_trip = (reply.received_at - reply.sent_at) / 2
        device_time = self.clock().timestamp() - half_trip
        skew = office_time.timestamp() - device_time
        result.clock_skew_seconds = skew
        if abs(skew) > p.SKEW_LIMIT_SECONDS:
            result.clock_skew_flagged = True
            result.warnings.append(SyncIssue("clock_skew", f"office clock minus device clock: {skew:+.0f} s"))

    # --- photos -------------------------------------------------------------------------

    def _photos(self, channel: Channel, wires: list[dict], result: SyncResult) -> dict[str, SyncIssue]:
        """Upload what the office lacks; returns the photos that cannot go (their events wait)."""
        needed = list(dict.fromkeys(sha for wire in wires for sha in p.photo_hashes(wire)))
        if not needed:
            return {}
        missing = self._missing(channel, needed)
        result.photos_to_upload = len(missing)
        return self._upload(channel, missing, result)

    def _missing(self, channel: Channel, hashes: list[str]) -> list[str]:
        limit = max(1, self._limits.max_missing_query)
        missing: list[str] = []
        for start in range(0, len(hashes), limit):
            chunk = hashes[start:start + limit]
            answer = channel.call("POST", "/blobs/missing", json={"sha256": chunk}).body.get("missing")
            if not isinstance(answer, list):
                raise SyncError("protocol_mismatch", "blobs/missing without a list")
            asked = set(chunk)
            missing.extend(sha for sha in answer if sha in asked)
        return missing

    def _upload(self, channel: Channel, missing: list[str], result: SyncResult) -> dict[str, SyncIssue]:
        held: dict[str, SyncIssue] = {}
        sizes: dict[str, int] = {}
        for sha in missing:
            try:
                sizes[sha] = photo_path(self.photo_dir, sha).stat().st_size
            except OSError as exc:
                held[sha] = SyncIssue("photo_missing_local", f"{type(exc).__name__}", sha256=sha)
        self._report(phase=PHOTOS, photos_done=0, photos_total=len(sizes), bytes_done=0,
                     bytes_total=sum(sizes.values()))
        done_bytes = 0
        for n, (sha, size) in enumerate(sizes.items(), 1):
            path = photo_path(self.photo_dir, sha)
            try:
                channel.call("PUT", f"/blobs/{sha}", content=lambda: self._chunks(path, done_bytes),
                             headers={"Content-Length": str(size), "Content-Type": "application/octet-stream"})
            except SyncError as exc:
                if exc.code not in STOP_PHOTO_CODES:
                    raise
                held[sha] = SyncIssue(STOP_PHOTO_CODES[exc.code], exc.message, sha256=sha)
                continue
            except OSError as exc:  # the file vanished or became unreadable meanwhile
                held[sha] = SyncIssue("photo_missing_local", f"{type(exc).__name__}", sha256=sha)
                continue
            done_bytes += size
            result.photos_uploaded += 1
            result.bytes_uploaded += size
            self._report(photos_done=n, bytes_done=done_bytes)
        result.errors.extend(held.values())
        return held

    def _chunks(self, path: Path, base: int) -> Iterator[bytes]:
        sent = base
        with open(path, "rb") as f:
            while chunk := f.read(CHUNK):
                sent += len(chunk)
                yield chunk
                self._report(bytes_done=sent)

    # --- push ---------------------------------------------------------------------------

    def _push(self, channel: Channel, hello: Hello, wires: list[dict], held: dict[str, SyncIssue],
              result: SyncResult) -> None:
        ready = []
        for wire in wires:
            blocked = [sha for sha in p.photo_hashes(wire) if sha in held]
            if blocked:
                issue = held[blocked[0]]
                self.book.record_pending_error(wire["id"], issue.code, f"photo {blocked[0]}")
            else:
                ready.append(wire)
        self._report(phase=PUSH, events_total=len(ready), events_pushed=0)
        retry = self._push_batches(channel, hello, ready, result)
        if retry:  # the office lacked photos after all (e.g. lost between the two steps): once more
            needed = list(dict.fromkeys(sha for wire in retry for sha in p.photo_hashes(wire)))
            missing = self._missing(channel, needed)
            result.photos_to_upload += len(missing)
            held.update(self._upload(channel, missing, result))
            again = [w for w in retry if not any(sha in held for sha in p.photo_hashes(w))]
            for wire in self._push_batches(channel, hello, again, result):
                result.errors.append(SyncIssue("event_missing_blob", "", event_id=wire["id"]))
                self.book.record_pending_error(wire["id"], "event_missing_blob", "")

    def _push_batches(self, channel: Channel, hello: Hello, wires: list[dict], result: SyncResult) -> list[dict]:
        """Push in batches sized to the office's limits; halve them on 413. Returns missing_blob ones."""
        cap = max(1, min(self.batch_size, hello.limits.max_events_per_push))
        budget = int(hello.limits.max_body_bytes * 0.9)
        missing_blob: list[dict] = []
        i = 0
        while i < len(wires):
            batch, size = [], 20
            while i + len(batch) < len(wires) and len(batch) < cap:
                cost = len(json.dumps(wires[i + len(batch)], ensure_ascii=False).encode()) + 1
                if batch and size + cost > budget:
                    break
                batch.append(wires[i + len(batch)])
                size += cost
            try:
                body = channel.call("POST", "/events", json={"events": batch}).body
            except SyncError as exc:
                if exc.code not in ("too_large", "too_many_events"):
                    raise
                if len(batch) == 1:
                    result.errors.append(SyncIssue("event_too_large", exc.message, event_id=batch[0]["id"]))
                    self.book.record_pending_error(batch[0]["id"], "event_too_large", exc.message)
                    i += 1
                else:
                    cap = max(1, len(batch) // 2)
                continue
            missing_blob.extend(self._take_results(hello.server_id, batch, body, result))
            i += len(batch)
            self._report(events_pushed=self._progress.events_pushed + len(batch))
        return missing_blob

    def _take_results(self, server_id: str, batch: list[dict], body: dict, result: SyncResult) -> list[dict]:
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
                self.book.record_pending_error(wire["id"], "event_rejected", reason)
                continue
            acks.append((wire["id"], status, seq))
        self.book.record_results(server_id, acks)
        return missing_blob

    # --- pull ---------------------------------------------------------------------------

    def _pull(self, channel: Channel, hello: Hello, result: SyncResult) -> None:
        since = self.book.cursor(hello.server_id)
        limit = max(1, min(self.pull_limit, hello.limits.max_pull_limit))
        self._report(phase=PULL)
        while True:
            body = channel.call("GET", "/events", params={"since": since, "limit": limit}).body
            raw_events, more, cursor = body.get("events"), body.get("more"), body.get("cursor")
            if not isinstance(raw_events, list) or not isinstance(more, bool) or not isinstance(cursor, int):
                raise SyncError("protocol_mismatch", "pull answer without events/more/cursor")
            if more and cursor <= since:
                raise SyncError("protocol_mismatch", "pull cursor did not advance")
            self._store_page(hello.server_id, raw_events, cursor, result)
            self._report(events_pulled=result.pulled)
            if not more:
                return
            since = cursor

    def _store_page(self, server_id: str, raw_events: list, cursor: int, result: SyncResult) -> None:
        if not raw_events and cursor == self.book.cursor(server_id):
            return  # nothing new: no write, so a no-op sync costs no disk flush
        events, seqs = [], {}
        for raw in raw_events:
            try:
                event = Event.from_dict(raw)
            except EventError as exc:
                result.errors.append(SyncIssue("pull_invalid", str(exc)))
                continue
            seqs[event.id] = event.server_seq
            # The office's seq lives in sync_acks, per server id: after a restore, seqs repeat.
            events.append(dataclasses.replace(event, server_seq=None))
        with self.store.write():  # the page and the cursor: both or neither
            outcomes = self.store.append(events) if events else []
            acked, received = [], []
            for outcome in outcomes:
                if outcome.status == CONFLICT:
                    result.errors.append(SyncIssue("pull_conflict", "", event_id=outcome.event_id))
                    continue
                if outcome.status == ACCEPTED:
                    result.pulled += 1
                    received.append(outcome.event_id)
                acked.append((outcome.event_id, seqs[outcome.event_id]))
            self.book.record_pulled(server_id, acked, received)
            self.book.set_cursor(server_id, cursor)


def _parse_time(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def _parse_http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
