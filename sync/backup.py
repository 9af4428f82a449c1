"""`fieldapp office backup DIR` / `office restore DIR`: the office database and its photos.

A backup folder holds

    office.db        a consistent copy (SQLite's online backup: safe while the office serves)
    photos/          every photo file (and thumbnail), copied only when not there yet: a photo
                     never changes (it is named by the hash of its bytes), so a second backup
                     into the same folder copies only the new ones
    rules/           the office's own rules files (<year>.toml)
    tls/             the office's certificate authority and server certificate: restored, the
                     phones (which pin the CA) go on syncing; this makes the backup as secret
                     as the office itself (docs/security.md)
    backup.json      when, which server id, the highest seq, how many photos

The database is copied first, the photos after: a photo is durable before any event naming
it commits, so every photo the copied database names is on disk when the photos are copied.
Every file is written to a temporary name, fsynced and renamed; office.db last of all is
renamed over the previous one, so a cut backup leaves the previous one whole.

Restore (the office stopped): the database replaced from the backup (then migrated, and given
a new server id, so phones resend what it lacks), the photos the office lacks copied back,
rules and tls copied where the office has none. An older backup that is one database file
(`office backup FILE` before photos were included) is restored as before.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from fieldapp.domain.rules import Rules
from fieldapp.durable import fsync_dir
from sync import storage
from sync.tls import TLS_DIR

MANIFEST = "backup.json"
SKIP = {".incoming", ".spare", ".tmp"}  # temp files of uploads and writes in progress


@dataclass(frozen=True)
class BackupResult:
    photos_copied: int
    photos_total: int
    bytes_copied: int
    max_seq: int


def _copy_file(src: Path, dest: Path) -> int:
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        shutil.copyfile(src, tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        shutil.copymode(src, tmp)
        os.replace(tmp, dest)
    finally:
        if tmp.exists():
            tmp.unlink()
    return dest.stat().st_size


def _files(root: Path):
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and not (set(rel.parts) & SKIP) and not path.name.startswith("."):
            yield rel, path


def copy_new(src_root: Path, dest_root: Path, *, replace: bool = False) -> tuple[int, int, int]:
    """Copy the files of `src_root` that `dest_root` lacks (or that differ in size); returns
    (copied, total, bytes copied). Folders touched are fsynced."""
    copied = total = size = 0
    touched: set[Path] = set()
    for rel, path in _files(src_root):
        total += 1
        dest = dest_root / rel
        if dest.is_file() and (not replace or dest.stat().st_size == path.stat().st_size):
            continue
        size += _copy_file(path, dest)
        copied += 1
        touched.add(dest.parent)
    for folder in sorted(touched):
        fsync_dir(folder)
    return copied, total, size


def backup(data_dir: str | Path, rules: Rules, dest: str | Path) -> BackupResult:
    data_dir, dest = Path(data_dir), Path(dest)
    if dest.exists() and not dest.is_dir():
        raise ValueError(f"{dest} is a file: a backup is a folder (office.db, photos/, …)")
    dest.mkdir(parents=True, exist_ok=True)
    tmp_db = dest / f".{storage.OFFICE_DB}.{os.getpid()}.tmp"
    try:
        storage.backup_office(data_dir, rules, tmp_db)
        with sqlite3.connect(str(tmp_db)) as db:
            top = db.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0]
            server_id = db.execute("SELECT value FROM meta WHERE key = ?", [storage.META_SERVER_ID]).fetchone()
        db.close()
        with open(tmp_db, "rb+") as f:
            os.fsync(f.fileno())
        photos = copy_new(storage.office_photo_dir(data_dir), dest / storage.PHOTO_DIR)  # after the db
        copy_new(data_dir / "rules", dest / "rules", replace=True)
        copy_new(data_dir / TLS_DIR, dest / TLS_DIR, replace=True)
        os.replace(tmp_db, dest / storage.OFFICE_DB)
    finally:
        if tmp_db.exists():
            tmp_db.unlink()
    manifest = {"max_seq": top, "server_id": server_id[0] if server_id else None,
                "photos": photos[1], "made_at": storage.iso(storage.utc_now())}
    tmp = dest / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest), encoding="utf-8")
    os.replace(tmp, dest / MANIFEST)
    fsync_dir(dest)
    return BackupResult(photos[0], photos[1], photos[2], top)


def restore(data_dir: str | Path, rules: Rules, source: str | Path) -> tuple[str, int]:
    """Replace the office's database by the backup's and put back the photos it lacks (the
    office stopped). Returns (the new server id, photos copied back)."""
    data_dir, source = Path(data_dir), Path(source)
    if source.is_file():  # an older backup: one database file
        return storage.restore_office(data_dir, rules, source), 0
    db = source / storage.OFFICE_DB
    if not db.is_file():
        raise ValueError(f"{source} holds no {storage.OFFICE_DB}: not a backup folder")
    data_dir.mkdir(parents=True, exist_ok=True)
    copied = copy_new(source / storage.PHOTO_DIR, storage.office_photo_dir(data_dir))[0]  # before the events
    if not (data_dir / "rules").is_dir():
        copy_new(source / "rules", data_dir / "rules")
    if not (data_dir / TLS_DIR).is_dir() and (source / TLS_DIR).is_dir():
        copy_new(source / TLS_DIR, data_dir / TLS_DIR)
        os.chmod(data_dir / TLS_DIR, 0o700)
    return storage.restore_office(data_dir, rules, db), copied
