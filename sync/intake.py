"""The office taking a batch of a phone's events: the one path for a push and an outbox file.

`take_events` judges each event by the phone's rights (sync/policy.py), records the
refused ones, appends the rest in one transaction (each case's projection refreshed
once), records conflicts, and makes the photos they name durable before the events
commit. It returns one result per event, in order, and the highest seq now stored.

A photo may be named only if the office has it (`on_office`) and it is the device's to name
(policy.photo_rule: it uploaded the bytes, or the photo belongs to a case it may see); any
other is `missing_blob` to it, whichever way the events came.
"""

from __future__ import annotations

from typing import Callable

from fieldapp.store import ACCEPTED, CONFLICT, Store
from sync import auth, policy
from sync import protocol as p
from sync import storage


def take_events(store: Store, device: auth.Device, raw_events: list, on_office: Callable[[str], bool],
                sync_dirs: Callable[[], None]) -> tuple[list[dict], int]:  # fmt: skip
    results: list[dict | None] = []
    passed: list[tuple[int, object]] = []  # (index in results, event)
    batch_cases: dict[str, str] = {}
    batch_facts: dict[str, tuple] = {}  # the same cases' (community, category, found_at): recurrence checks
    with store.write():  # one transaction, one fsync for the whole batch
        # What the checks read, for the whole batch at once (few SQLite calls: see Store.append).
        usable = policy.photo_rule(store, device, on_office, (sha for raw in raw_events for sha in p.photo_hashes(raw)))
        cases = policy.CaseFacts.of_batch(store, raw_events)
        for raw in raw_events:
            verdict = policy.judge(raw, device, store, usable, batch_cases, batch_facts, cases)
            if verdict.event is not None:
                passed.append((len(results), verdict.event))
                results.append(None)
                continue
            if verdict.result["status"] == p.REJECTED:
                storage.record_rejection(store, device.device_id, verdict.result["id"],
                                         verdict.result["reason"], verdict.result["detail"])
            results.append(verdict.result)
        outcomes = store.append([event for _, event in passed], assign_server_seq=True) if passed else []
        storage.record_origin(store, [o.seq for o in outcomes if o.status == ACCEPTED], device.device_id)
        for (index, event), outcome in zip(passed, outcomes):
            if outcome.status == CONFLICT:
                storage.record_conflict(store, event.id, device.device_id, event.to_dict(), event.content_hash())
                results[index] = {"id": event.id, "status": p.CONFLICT}
            else:
                results[index] = {"id": event.id, "status": outcome.status, "server_seq": outcome.seq}
        top = storage.max_seq(store)
        sync_dirs()  # the photos these events name are durable before the events are
    return results, top
