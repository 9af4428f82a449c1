"""Trial mode (试用) and the first run: which data folder the app shows.

A new phone (not enrolled, no records, no choice made yet) starts on the first-run screen
(screens/first_run.py): 连接办事处 (the office's address and one-time code: the usual
enrolment), 先试用 (sample data), or 暂不连接 (records kept here until it is enrolled).

Sample data never lives in the phone's data folder. 先试用 (or ``--demo``) fills a folder
of its own, ``<data dir>/trial/`` (`make_trial`: built beside it and renamed into place, so
a cut start leaves no half-made trial), whose store is marked (meta ``trial``) and whose
records carry trial ids (`sync.protocol.is_trial_id`). While it exists the app shows it,
with a banner on every screen; the phone refuses to enrol, sync or export from it, and the
office refuses its records (sync/trial.py, docs/sync.md). 放弃试用数据 (`discard_trial`)
renames the folder away in one step (from then on the phone holds no sample data), removes
it with its photos, and returns to the first run.

Data folders filled by older versions (`--demo` wrote into the data folder itself) hold
sample events beside the phone's own: `discard_trial_events` removes those events and the
photos only they name, and rebuilds the projections, in one transaction.

`Phone` is the process-wide choice of folder (one per app process, shared by its sessions):
each session's shell asks it which context to show and is told when it changes.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import secrets
import shutil
import threading
import uuid
import weakref
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, Optional

from fieldapp.domain.rules import Rules
from fieldapp.durable import fsync_dir
from fieldapp.photos import photo_path, thumb_path
from fieldapp.store import Store
from fieldapp.ui import strings
from sync import people, phonebook
from sync import protocol as p
from sync.trial import META_SCANNED, META_TRIAL, holds_trial_data

log = logging.getLogger(__name__)

TRIAL_DIR_NAME = "trial"
MAKING_PREFIX = ".trial-new-"
DISCARDED_PREFIX = ".trial-discarded-"
#: Main store's meta: the first run is over without an enrolment ("later": 暂不连接).
META_FIRST_RUN = "first_run"


def trial_dir(base: Path) -> Path:
    return Path(base) / TRIAL_DIR_NAME


def trial_active(base: Path) -> bool:
    """Whether the phone is in trial mode (its trial folder exists)."""
    from fieldapp.ui.data import DB_NAME

    return (trial_dir(base) / DB_NAME).is_file()


def sweep(base: Path) -> int:
    """At start: remove what a cut `make_trial` or `discard_trial` left behind."""
    n = 0
    try:
        leftovers = [e for e in Path(base).iterdir() if e.name.startswith((MAKING_PREFIX, DISCARDED_PREFIX))]
    except OSError:
        return 0
    for entry in leftovers:
        shutil.rmtree(entry, ignore_errors=True)
        n += 1
    return n


def make_trial(base: Path, rules: Rules, now: datetime, *, cases: int = 48) -> Path:
    """Fill ``<base>/trial`` with sample data (an existing trial is kept). Built in a folder
    beside it and renamed into place: either a whole trial exists, or none."""
    from fieldapp.demo import SAMPLE_PEOPLE, fill_demo
    from fieldapp.ui.data import (
        DB_NAME, META_COMMUNITIES, META_DEVICE_ID, META_INSPECTOR_ID, META_INSPECTOR_NAME, PHOTO_DIR_NAME,
    )

    base = Path(base)
    target = trial_dir(base)
    if trial_active(base):
        return target
    base.mkdir(parents=True, exist_ok=True)
    making = base / f"{MAKING_PREFIX}{secrets.token_hex(4)}"
    making.mkdir()
    try:
        with Store(making / DB_NAME, rules) as store:
            device = f"trial-{uuid.uuid4()}"
            with store.write():
                store.set_meta(META_TRIAL, "1")
                store.set_meta(META_DEVICE_ID, device)
                store.set_meta(META_INSPECTOR_ID, f"trial-inspector-{device[6:14]}")
                store.set_meta(META_INSPECTOR_NAME, strings.TRIAL_SELF)
                store.set_meta(META_COMMUNITIES, json.dumps([rules.communities[0].code]))
                people.remember(store, SAMPLE_PEOPLE)
            made = fill_demo(store, making / PHOTO_DIR_NAME, now, cases=cases)
        fsync_dir(making)
        if target.exists():  # an empty or broken leftover (no field.db): not a trial
            shutil.rmtree(target)
        os.rename(making, target)
        fsync_dir(base)
    except BaseException:
        shutil.rmtree(making, ignore_errors=True)
        raise
    log.info("trial mode: %d sample cases in %s", made, target)
    return target


def discard_trial(base: Path) -> bool:
    """Remove the trial folder (photos and all). The rename is the commit: after it the phone
    holds no sample data, whatever happens to the removal (`sweep` finishes it). False if
    there was none. The trial's stores must be closed first."""
    target = trial_dir(base)
    if not target.exists():
        return False
    gone = Path(base) / f"{DISCARDED_PREFIX}{secrets.token_hex(4)}"
    os.rename(target, gone)
    fsync_dir(Path(base))
    shutil.rmtree(gone, ignore_errors=True)
    return True


_TRIAL_WHERE = " OR ".join(f"{col} LIKE ?" for col in ("device", "actor") for _ in p.TRIAL_PREFIXES)
_TRIAL_ARGS = [f"{prefix}%" for _ in ("device", "actor") for prefix in p.TRIAL_PREFIXES]


def discard_trial_events(store: Store, photo_dir: Path) -> int:
    """An older data folder with sample events beside the phone's own: remove the sample
    events (and their sync bookkeeping) and rebuild the projections in one transaction, then
    the photos no remaining record names. Returns how many events went."""
    db = store.db
    with store.write():
        rows = db.execute(f"SELECT id, payload FROM events WHERE {_TRIAL_WHERE}", _TRIAL_ARGS).fetchall()
        ids = [r[0] for r in rows]
        named: set[str] = set()
        for _id, payload in rows:
            data = json.loads(payload)
            named.update(x for x in [data.get("sha256"), *(data.get("photos") or [])] if p.is_sha256(x))
        db.execute(f"DELETE FROM events WHERE {_TRIAL_WHERE}", _TRIAL_ARGS)
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table in ("sync_acks", "sync_pending_errors", "sync_received"):
            if table in tables:
                for i in range(0, len(ids), 500):
                    chunk = ids[i:i + 500]
                    db.execute(f"DELETE FROM {table} WHERE event_id IN ({','.join('?' * len(chunk))})", chunk)
        store.rebuild_projections()
        db.execute("DELETE FROM meta WHERE key = ?", [META_SCANNED])
    for sha in named:
        still = db.execute("SELECT 1 FROM photos WHERE sha256 = ? LIMIT 1", [sha]).fetchone() or db.execute(
            "SELECT 1 FROM events WHERE payload LIKE ? LIMIT 1", [f"%{sha}%"]).fetchone()
        if not still:
            for path in (photo_path(photo_dir, sha), thumb_path(photo_dir, sha)):
                try:
                    path.unlink()
                except OSError:
                    pass
    log.info("removed %d sample events from the data folder", len(ids))
    return len(ids)


def first_run_due(store: Store) -> bool:
    """A new phone: not enrolled, no records, and no choice made yet."""
    return (not phonebook.PhoneBook(store).credentials()["token"] and store.event_count() == 0
            and not store.get_meta(META_FIRST_RUN))


def skip_first_run(store: Store) -> None:
    store.set_meta(META_FIRST_RUN, "later")


class Phone:
    """Process-wide: the context the app shows (the phone's data folder, or the trial's), the
    first run, and the sessions' shells to tell when it changes."""

    def __init__(self, ctx: Any):
        self.main = ctx  # an AppContext with its DataService (the phone's own folder)
        self.trial: Optional[Any] = None
        self._lock = threading.Lock()
        self._shells: "weakref.WeakSet[Any]" = weakref.WeakSet()
        if trial_active(ctx.data_dir):
            self.trial = self._trial_context()

    @property
    def base(self) -> Path:
        return Path(self.main.data_dir)

    @property
    def ctx(self) -> Any:
        return self.trial or self.main

    @property
    def in_trial(self) -> bool:
        return self.trial is not None

    def _trial_context(self) -> Any:
        from fieldapp.ui.data import DataService

        data = self.main.data
        folder = trial_dir(self.base)
        trial_data = DataService(folder, getattr(data, "base_rules", data.rules), self.main.clock)
        return replace(self.main, data_dir=folder, data=trial_data)

    def state(self) -> tuple[bool, bool]:
        """(first run due, sample data to discard) — on the calling thread (start-up, tests)."""
        if self.in_trial:
            return False, True
        data = self.main.data
        return data.run_here(first_run_due), data.run_here(holds_trial_data)

    def follow(self, shell: Any) -> None:
        self._shells.add(shell)

    async def changed(self) -> None:
        """Tell every session's shell: the folder or the first run changed (each shows it)."""
        for shell in list(self._shells):
            shell.folder_changed()

    async def start_trial(self) -> None:
        """先试用: make the trial folder (seconds: off the UI loop) and show it."""
        data = self.main.data
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, lambda: make_trial(self.base, getattr(data, "base_rules", data.rules),
                                                            self.main.clock()))
        with self._lock:
            if self.trial is None:
                self.trial = self._trial_context()
        await self.changed()

    async def discard(self) -> None:
        """放弃试用数据: the trial folder, or the sample events an older version left here."""
        loop = asyncio.get_running_loop()
        with self._lock:
            trial, self.trial = self.trial, None
        if trial is not None:
            await loop.run_in_executor(None, trial.data.close)
            await loop.run_in_executor(None, discard_trial, self.base)
        else:
            data = self.main.data
            await data.run(discard_trial_events, data.photo_dir)
        await self.changed()

    async def skip(self) -> None:
        """暂不连接: the app as it is, records kept here until the phone is enrolled."""
        await self.main.data.run(skip_first_run)
        await self.changed()
