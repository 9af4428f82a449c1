"""A phone's outbox as a file: for when no network reaches the office for days.

The inspector exports what the office has not acknowledged to one file (the 同步
screen's 导出到文件, or `fieldapp sync export FILE`), carries it over by cable or
memory card, and the office imports it (`fieldapp office import-phone FILE`). The
office takes it exactly as a push: the same rights (sync/policy.py), the same
append (sync/intake.py), so importing twice, or syncing over the network later,
stores nothing twice. The phone changes nothing when it exports: it learns what
the office has at its next sync.

The file is a zip:

    manifest.json      {"format", "version", "device_id", "inspector", "server_id",
                        "created_at", "events", "events_sha256", "photos": [sha256…], "mac"}
    events.jsonl       the events in wire form (as pushed), in the order they were made
    photos/<sha>.jpg   every photo they name that this phone holds

`mac` is HMAC-SHA256 over the manifest (canonical JSON, without "mac"), keyed with the
SHA-256 of the device token — what the office keeps of it — so only an enrolled,
unrevoked phone makes a file the office takes, and no byte of it can be changed: the
manifest holds the events' hash, and each photo is named by its own hash.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from fieldapp.photos import photo_path
from fieldapp.store import Store
from sync import auth, storage
from sync import protocol as p
from sync.blobs import BlobStore
from sync.intake import take_events
from sync.phonebook import META_LAST_SERVER, PhoneBook
from sync.trial import holds_trial_data

FORMAT = "fieldapp-outbox"
VERSION = 1
MANIFEST, EVENTS = "manifest.json", "events.jsonl"
MAX_EVENTS_BYTES = 256 * 1024 * 1024  # an inspector's months offline are a few MB of events


class OutboxError(Exception):
    """A file the office cannot take; `code` keys the Chinese message (strings.OUTBOX_ERRORS)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass
class Exported:
    device_id: str
    events: int
    photos: int
    photos_missing: list[str] = field(default_factory=list)  # named by an event but gone from this phone


@dataclass
class Imported:
    device_id: str
    inspector: str
    events: int = 0
    accepted: int = 0
    duplicate: int = 0
    conflict: int = 0
    rejected: list[dict] = field(default_factory=list)  # {"id", "reason", "detail"}
    missing_blob: list[str] = field(default_factory=list)  # event ids whose photo was not in the file
    photos_stored: int = 0  # new photo files
    photos_known: int = 0  # photos the office already had


def _mac(manifest: dict, token_hash: str) -> str:
    body = json.dumps({k: v for k, v in manifest.items() if k != "mac"}, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")  # fmt: skip
    return hmac.new(token_hash.encode("ascii"), body, hashlib.sha256).hexdigest()


def outbox_name(device_id: str, now: datetime) -> str:
    """E.g. fieldapp-outbox-dev-6ccd12ab-20220601T010000Z.zip (the office sees whose, and when)."""
    safe = "".join(ch for ch in device_id if ch.isalnum() or ch == "-")[:32] or "phone"
    return f"fieldapp-outbox-{safe}-{now.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}.zip"


# --- phone side --------------------------------------------------------------------------


def export_outbox(store: Store, photo_dir: str | Path, now: datetime | None = None) -> tuple[bytes, Exported]:
    """The file's bytes, and what is in it. Raises OutboxError("not_enrolled") before enrolment."""
    book = PhoneBook(store)
    creds = book.credentials()
    if holds_trial_data(store):
        raise OutboxError("trial_data")  # sample data (试用) never leaves the phone
    if not creds["token"] or not creds["device_id"]:
        raise OutboxError("not_enrolled")
    server_id = store.get_meta(META_LAST_SERVER) or ""
    wires = [storage.wire_event(row) for row in book.pending_rows(server_id)]
    events = "".join(json.dumps(w, ensure_ascii=False, sort_keys=True) + "\n" for w in wires).encode("utf-8")
    named = list(dict.fromkeys(sha for w in wires for sha in p.photo_hashes(w)))
    photos: list[tuple[str, bytes]] = []
    missing = []
    for sha in named:
        try:
            photos.append((sha, photo_path(Path(photo_dir), sha).read_bytes()))
        except OSError:
            missing.append(sha)  # the office will say which events wait for it
    now = now or datetime.now(timezone.utc)
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "device_id": creds["device_id"],
        "inspector": creds["inspector"] or "",
        "server_id": server_id,
        "created_at": storage.iso(now),
        "events": len(wires),
        "events_sha256": hashlib.sha256(events).hexdigest(),
        "photos": [sha for sha, _ in photos],
    }
    manifest["mac"] = _mac(manifest, auth._hash(creds["token"]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1), zipfile.ZIP_DEFLATED)
        z.writestr(EVENTS, events, zipfile.ZIP_DEFLATED)
        for sha, data in photos:
            z.writestr(f"photos/{sha}.jpg", data, zipfile.ZIP_STORED)  # JPEGs do not shrink
    return out.getvalue(), Exported(creds["device_id"], len(wires), len(photos), missing)


# --- office side -------------------------------------------------------------------------


def _read_manifest(z: zipfile.ZipFile) -> dict:
    try:
        info = z.getinfo(MANIFEST)
    except KeyError:
        raise OutboxError("not_outbox", "no manifest.json") from None
    if info.file_size > 1024 * 1024 + 80 * 20_000:
        raise OutboxError("not_outbox", "manifest too large")
    try:
        manifest = json.loads(z.read(info))
    except (ValueError, UnicodeDecodeError) as exc:
        raise OutboxError("not_outbox", f"manifest: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise OutboxError("not_outbox", "not a fieldapp outbox")
    if manifest.get("version") != VERSION:
        raise OutboxError("version", str(manifest.get("version")))
    photos = manifest.get("photos")
    if not (isinstance(manifest.get("device_id"), str) and isinstance(manifest.get("mac"), str)
            and isinstance(photos, list) and all(p.is_sha256(s) for s in photos)):  # fmt: skip
        raise OutboxError("damaged", "manifest fields")
    return manifest


def _device_and_key(store: Store, device_id: str) -> tuple[auth.Device, str]:
    row = store.db.execute("SELECT token_hash FROM sync_devices WHERE device_id = ?", [device_id]).fetchone()
    device = auth.get_device(store, device_id)
    if row is None or device is None:
        raise OutboxError("unknown_device", device_id)
    if not device.active:
        raise OutboxError("revoked", device_id)
    return device, row[0]


def import_outbox(data_dir: str | Path, store: Store, source: str | Path | bytes,
                  limits: p.Limits = p.Limits()) -> Imported:  # fmt: skip
    """Check the whole file, store its photos, then take its events as a push would.

    Nothing is stored from a file that fails a check (not an outbox, changed, from an
    unknown or revoked phone). Photos go in first, each only if its bytes hash to its name,
    and count as the phone's uploads: its events may name them, and other photos only as a
    push may (policy.photo_rule — a photo of a case the phone may see).
    """
    try:
        z = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise OutboxError("not_outbox", str(exc)) from None
    with z:
        manifest = _read_manifest(z)
        device, token_hash = _device_and_key(store, manifest["device_id"])
        if not hmac.compare_digest(_mac(manifest, token_hash), manifest["mac"]):
            raise OutboxError("damaged", "the manifest does not match its signature")
        try:
            info = z.getinfo(EVENTS)
        except KeyError:
            raise OutboxError("damaged", "no events.jsonl") from None
        if info.file_size > MAX_EVENTS_BYTES:
            raise OutboxError("too_large", f"events.jsonl of {info.file_size} bytes")
        try:
            events_bytes = z.read(info)
        except (zipfile.BadZipFile, OSError) as exc:  # a CRC error: cut or changed on the way
            raise OutboxError("damaged", str(exc)) from None
        if hashlib.sha256(events_bytes).hexdigest() != manifest.get("events_sha256"):
            raise OutboxError("damaged", "events.jsonl does not match the manifest")
        try:
            raw_events = [json.loads(line) for line in events_bytes.decode("utf-8").splitlines() if line.strip()]
        except (ValueError, UnicodeDecodeError) as exc:
            raise OutboxError("damaged", f"events.jsonl: {exc}") from None
        result = Imported(device.device_id, device.inspector, events=len(raw_events))
        blobs = BlobStore(storage.office_photo_dir(data_dir))
        try:
            listed = list(dict.fromkeys(manifest["photos"]))
            new_photos = [sha for sha in listed if not blobs.has(sha)]
            result.photos_known = len(listed) - len(new_photos)
            # Every photo checked before any is stored — those the office has too: the file's bytes
            # are what makes a photo the phone's to name, as an upload's are.
            sizes = {sha: _check_photo(z, sha, limits.max_blob_bytes) for sha in listed}
            for sha in new_photos:
                _store_photo(z, blobs, sha)
                result.photos_stored += 1
            if listed:
                at = storage.iso(datetime.now(timezone.utc))
                with store.write():
                    storage.record_uploads(store, [(sha, device.device_id, sizes[sha], at) for sha in listed])
            identity = storage.ServerIdentity(data_dir).follow(store)
            step = limits.max_events_per_push
            for start in range(0, len(raw_events), step):
                results, top = take_events(store, device, raw_events[start:start + step], blobs.has, blobs.sync_dirs)
                identity.committed(top)
                _count(result, results)
        finally:
            blobs.close()
    return result


def _photo_info(z: zipfile.ZipFile, sha: str) -> zipfile.ZipInfo:
    try:
        return z.getinfo(f"photos/{sha}.jpg")
    except KeyError:
        raise OutboxError("damaged", f"photo {sha[:12]}… is listed but not in the file") from None


def _check_photo(z: zipfile.ZipFile, sha: str, max_bytes: int) -> int:
    """The photo's size, once its bytes in the file hash to its name."""
    info = _photo_info(z, sha)
    if info.file_size > max_bytes:
        raise OutboxError("too_large", f"photo {sha[:12]}… of {info.file_size} bytes")
    digest = hashlib.sha256()
    try:
        with z.open(info) as f:
            while chunk := f.read(1024 * 1024):
                digest.update(chunk)
    except (zipfile.BadZipFile, OSError) as exc:  # a CRC error: cut or changed on the way
        raise OutboxError("damaged", f"photo {sha[:12]}…: {exc}") from None
    if digest.hexdigest() != sha:
        raise OutboxError("damaged", f"photo {sha[:12]}… does not hash to its name")
    return info.file_size


def _store_photo(z: zipfile.ZipFile, blobs: BlobStore, sha: str) -> None:
    """Checked already; the upload hashes again as it writes (what lands is what was checked)."""
    upload = blobs.upload()
    try:
        with z.open(_photo_info(z, sha)) as f:
            while chunk := f.read(1024 * 1024):
                upload.write(chunk)
        if not upload.finish(sha):
            raise OutboxError("damaged", f"photo {sha[:12]}… changed while it was read")
    finally:
        upload.discard()


def _count(result: Imported, results: list[dict]) -> None:
    for r in results:
        status = r.get("status")
        if status == p.ACCEPTED:
            result.accepted += 1
        elif status == p.DUPLICATE:
            result.duplicate += 1
        elif status == p.CONFLICT:
            result.conflict += 1
        elif status == p.MISSING_BLOB:
            result.missing_blob.append(r.get("id"))
        else:
            result.rejected.append({"id": r.get("id"), "reason": r.get("reason", ""), "detail": r.get("detail", "")})
