"""The phone's side of a sync run: hello → blobs/missing → photos, with the pushes of the
events whose photos are on the office overlapped (sync/pusher.py) → pull → the photos of
others' cases this phone lacks (sync/downloads.py, bounded per run).

Every step is safe to repeat and records what the office acknowledged as soon
as it is known (per push batch, per pulled page), so a run cut anywhere resumes
where it stopped. Local events and photos are never changed or deleted: only
the bookkeeping in sync_* tables moves, and downloaded photos are added (checked
against their names first).

    result = SyncClient(store, photo_dir).run()   # after enrol(store, url, code)
"""

from __future__ import annotations

import dataclasses
import logging
import secrets
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Callable

import httpx

from fieldapp.domain.events import DEVICE_ROLES, INSPECTOR, Event
from fieldapp.domain.validate import EventError
from fieldapp.store import ACCEPTED, CONFLICT, Store
from sync import protocol as p
from sync.channel import Channel, RetryPolicy, SyncError
from sync.tls import PinError, fetch_pin
from sync.downloads import MAX_BYTES, MAX_PHOTOS, Downloads
from sync.phonebook import META_LAST_SERVER, PhoneBook
from sync.people import remember as remember_people
from sync.pusher import Pusher, Uploads
from sync.rulesync import take_rules
from sync.mapsync import take_maps
from sync.result import DONE, HELLO, PULL, PUSH, Progress, SyncIssue, SyncResult
from sync.run import Hello, Run
from sync.storage import iso, wire_event
from sync.trial import refuse_if_trial

log = logging.getLogger("fieldapp.sync.client")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)




def enrol(store: Store, server_url: str, code: str, *, label: str = "",
          local_actor: str | None = None, local_device: str | None = None, fingerprint: str = "",
          transport: httpx.BaseTransport | None = None, retry: RetryPolicy = RetryPolicy()) -> dict:
    """Exchange a one-time code for this phone's device token and keep it (in the store's meta).

    `local_actor` / `local_device`: the actor id this phone's events carried until now
    and its own device id; the office records them so those events are still accepted
    (docs/sync.md, "Identity across enrolment"). After enrolment new events must carry
    the returned `inspector` (fieldapp.ui.data.enrol_phone does both). The returned `role`
    (inspector or community) is kept too: `sync.phonebook.role(store)`.

    `fingerprint`: of the office's certificate, from the enrolment QR code (sync/enrolqr.py): an
    https office's certificate is fetched, checked against it and pinned before the code is
    sent (sync/tls.py); nothing is sent to an office whose certificate does not match.

    Returns what the office said about the device (never the token). Raises SyncError
    (``trial_data`` before any request if the store holds sample data: sync/trial.py).
    """
    refuse_if_trial(store)
    nonce = secrets.token_urlsafe(16)  # same nonce on every retry: a lost answer is not a lost code
    request = {"code": code, "label": label, "nonce": nonce}
    if local_actor:
        request["local_actor"] = local_actor
    if local_device:
        request["local_device"] = local_device
    pin = None
    if server_url.lower().startswith("https://"):
        try:
            pin = fetch_pin(server_url, fingerprint, transport=transport)
        except PinError as exc:
            raise SyncError(exc.code, str(exc)) from None
    with Channel(server_url, transport=transport, retry=retry, pin=pin) as channel:
        body = channel.call("POST", "/enrol", json=request).body
    try:
        token, device_id, inspector = body["token"], body["device_id"], body["inspector"]
        communities = [c for c in body["communities"] if isinstance(c, str)]
    except (KeyError, TypeError):
        raise SyncError("protocol_mismatch", "enrol answer without a token") from None
    role = body.get("role", INSPECTOR)  # an office from before roles enrolled inspectors only
    if role not in DEVICE_ROLES:
        raise SyncError("protocol_mismatch", f"enrolled with an unknown role {role!r}")
    PhoneBook(store).save_credentials(server_url, token, device_id, inspector, communities, role, pin=pin)
    return {"device_id": device_id, "inspector": inspector, "communities": communities, "role": role,
            "server_id": body.get("server_id"),
            "local_actor": body.get("local_actor") if isinstance(body.get("local_actor"), str) else None}


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
        max_photo_downloads: int = MAX_PHOTOS,
        max_download_bytes: int = MAX_BYTES,
    ):
        self.store = store
        self.book = PhoneBook(store)
        self.photo_dir = Path(photo_dir)
        self.data_dir = Path(store.path).parent  # where the office's rules files go (rules/<year>.toml)
        self.server_url = server_url
        self.transport = transport
        self.retry = retry
        self.on_progress = progress
        self.clock = clock  # this device's clock: only compared with the office's, never used to order
        self.batch_size = batch_size
        self.pull_limit = pull_limit
        self.max_photo_downloads = max_photo_downloads  # per run (0: download none)
        self.max_download_bytes = max_download_bytes
        self._limits = p.Limits()
        self._on_office: list[str] = []  # photos this run learnt the office has (kept at the end of the run)

    # --- the run ------------------------------------------------------------------------

    def run(self) -> SyncResult:
        result = SyncResult(started_at=utc_now())
        self.run_state = Run(self.book, self.photo_dir, self.batch_size, self.on_progress, self.photo_on_office)
        creds = self.book.credentials()
        url = self.server_url or creds["server_url"]
        try:
            refuse_if_trial(self.store)  # sample data (试用) never goes: not a byte, not a request
        except SyncError as exc:
            return self._finish(result, exc)
        if not creds["token"] or not url:
            return self._finish(result, SyncError("not_enrolled", "enrol this phone first"))
        self.run_state.report(phase=HELLO)
        try:
            channel = Channel(url, creds["token"], transport=self.transport, retry=self.retry, pin=creds["pin"])
        except SyncError as exc:
            return self._finish(result, exc)
        with channel:
            try:
                hello = self._hello(channel, result)
                pending = self.book.pending_rows(hello.server_id)
                wires = [wire_event(row) for row in pending]
                self._send(channel, hello, wires, result)
                self._pull(channel, hello, result)
                take_rules(self.store, channel, hello.rules_digest, self.data_dir, result)
                take_maps(self.store, channel, self.data_dir, result)  # boundaries, this phone's map (sync/mapsync.py)
                self._download(channel, hello, result, creds["device_id"] or "")
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
        try:
            if result.server_id and self._on_office:
                self.book.record_photos_on_office(result.server_id, self._on_office)
                self._on_office = []
            result.pending_events, result.pending_photos = self.book.pending_counts()
            result.finished_at = utc_now()
            self.book.record_run(result, iso(result.finished_at))
        except Exception:  # the store itself failed (disk full?): report it, never raise
            log.exception("sync bookkeeping failed")
            if result.stopped is None:
                result.stopped = "internal_error"
                result.errors.append(SyncIssue("internal_error", "bookkeeping"))
            result.finished_at = result.finished_at or utc_now()
        self.run_state.report(phase=DONE)
        return result


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
        if "people" in body:  # who is who at the office: the screens show names (sync/people.py)
            remember_people(self.store, body["people"])
        return Hello(server_id, self._limits, max_seq, body.get("rules_digest"))

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

    # --- photos and push -------------------------------------------------------------

    def _send(self, channel: Channel, hello: Hello, wires: list[dict], result: SyncResult) -> None:
        """Upload the photos the office lacks and push the events, overlapped (sync/pusher.py):
        photos go one at a time on this thread; a batch of events goes on a helper thread as soon
        as every photo its events name is on the office."""
        needed = list(dict.fromkeys(sha for wire in wires for sha in p.photo_hashes(wire)))
        missing = self._missing(channel, needed) if needed else []
        result.photos_to_upload = len(missing)
        uploads = Uploads(self.run_state, channel, result, missing)
        pusher = Pusher(self.run_state, channel, hello, wires, result, uploads)
        self.run_state.report(events_total=len(wires), events_pushed=0)
        with pusher:
            for _ in uploads:
                pusher.pump()
            self.run_state.report(phase=PUSH)
            pusher.pump(final=True)
        retry = pusher.missing_blob
        if retry:  # the office lacked photos after all (e.g. lost between the two steps): once more
            needed = list(dict.fromkeys(sha for wire in retry for sha in p.photo_hashes(wire)))
            missing = self._missing(channel, needed)
            result.photos_to_upload += len(missing)
            again = Uploads(self.run_state, channel, result, missing)
            for _ in again:
                pass
            last = Pusher(self.run_state, channel, hello, retry, result, again)
            with last:
                last.pump(final=True)
            for wire in last.missing_blob:
                result.errors.append(SyncIssue("event_missing_blob", "", event_id=wire["id"]))
                self.book.record_pending_error(wire["id"], "event_missing_blob", "")

    def _missing(self, channel: Channel, hashes: list[str]) -> list[str]:
        limit = max(1, self._limits.max_missing_query)
        missing: list[str] = []
        for start in range(0, len(hashes), limit):
            chunk = hashes[start:start + limit]
            answer = channel.call("POST", "/blobs/missing", json={"sha256": chunk}).body.get("missing")
            if not isinstance(answer, list):
                raise SyncError("protocol_mismatch", "blobs/missing without a list")
            asked = set(chunk)
            lacking = [sha for sha in answer if sha in asked]
            missing.extend(lacking)
            lacking_here = set(lacking)
            self._on_office.extend(sha for sha in chunk if sha not in lacking_here)
        return missing

    def photo_on_office(self, sha: str) -> None:
        """The office took this photo's upload (201): it is complete and in place there."""
        self._on_office.append(sha)


    # --- pull ---------------------------------------------------------------------------

    def _pull(self, channel: Channel, hello: Hello, result: SyncResult) -> None:
        since = self.book.cursor(hello.server_id)
        limit = max(1, min(self.pull_limit, hello.limits.max_pull_limit))
        self.run_state.report(phase=PULL)
        while True:
            body = channel.call("GET", "/events", params={"since": since, "limit": limit}).body
            raw_events, more, cursor = body.get("events"), body.get("more"), body.get("cursor")
            if not isinstance(raw_events, list) or not isinstance(more, bool) or not isinstance(cursor, int):
                raise SyncError("protocol_mismatch", "pull answer without events/more/cursor")
            if more and cursor <= since:
                raise SyncError("protocol_mismatch", "pull cursor did not advance")
            self._store_page(hello.server_id, raw_events, cursor, result)
            self.run_state.report(events_pulled=result.pulled)
            if not more:
                return
            since = cursor

    # --- photos of others' cases ---------------------------------------------------------

    def _download(self, channel: Channel, hello: Hello, result: SyncResult, device_id: str) -> None:
        """After the pull: fetch photos events here name and this phone lacks. Never the run's
        stop, but for the office refusing the device (sync/downloads.py)."""
        if self.max_photo_downloads <= 0:
            return
        try:
            Downloads(self.run_state, channel, hello, result, device_id, max_photos=self.max_photo_downloads,
                      max_bytes=self.max_download_bytes).run()
        except SyncError:
            raise  # only the office refusing the device (protocol.AUTH_REFUSED) gets out of Downloads.run
        except Exception as exc:  # a bug here must not spoil a run whose events all went: report it
            log.exception("photo downloads failed")
            result.warnings.append(SyncIssue("internal_error", f"photo downloads: {type(exc).__name__}"))

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
            new = set(received)
            self.book.want_photos(e for e in events if e.id in new)  # fetched after the pull
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
