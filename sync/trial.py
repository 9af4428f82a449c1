"""Sample data (试用) never reaches an office: the phone's side of the refusal.

A phone in trial mode keeps its sample records in a folder of their own
(fieldapp/ui/trial.py), whose store is marked (meta ``trial`` = ``1``) and whose events
carry trial ids (`protocol.is_trial_id`: ``trial-…``; ``demo-phone-…`` from the data
folders older versions filled with `--demo`). While a store holds such records the phone
does not enrol, sync or export an outbox file — before any byte moves — and says why
(error code ``trial_data``: discard the sample data first). The office refuses the same
records by itself (`sync.auth.redeem_code`, `sync.policy.judge`), whatever a phone sends.

Looking for trial events is incremental: the highest local seq already looked at is kept
in meta (``trial.scanned``), so a phone with years of records reads only what is new.
"""

from __future__ import annotations

from fieldapp.store import Store
from sync import protocol as p
from sync.channel import SyncError

#: Meta of a trial folder's store: "1".
META_TRIAL = "trial"
#: Meta: events up to this local seq hold no trial id (an incremental scan).
META_SCANNED = "trial.scanned"

_LIKE = " OR ".join(f"{col} LIKE ?" for col in ("device", "actor") for _ in p.TRIAL_PREFIXES)
_ARGS = [f"{prefix}%" for _ in ("device", "actor") for prefix in p.TRIAL_PREFIXES]


def is_trial_store(store: Store) -> bool:
    """A trial folder's store (made by fieldapp.ui.trial)."""
    return store.get_meta(META_TRIAL) == "1"


def holds_trial_data(store: Store) -> bool:
    """Whether this store is a trial store or holds any event with a trial id."""
    if is_trial_store(store):
        return True
    try:
        scanned = int(store.get_meta(META_SCANNED, "0") or 0)
    except ValueError:
        scanned = 0
    top = store.db.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0]
    if top <= scanned:
        return False
    found = store.db.execute(f"SELECT 1 FROM events WHERE seq > ? AND ({_LIKE}) LIMIT 1",
                             [scanned, *_ARGS]).fetchone()
    if found:
        return True
    store.set_meta(META_SCANNED, str(top))
    return False


def refuse_if_trial(store: Store) -> None:
    """Raise SyncError("trial_data") if this store holds sample data (before any request)."""
    if holds_trial_data(store):
        raise SyncError("trial_data", "this phone holds sample data (trial mode): discard it first")
