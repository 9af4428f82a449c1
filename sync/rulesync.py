"""A step of a sync run (phone side): take the office's rules for each assessment year.

The office says in /hello a digest of its rules files (`rules_digest`: every year's
file, shipped or its own). When it differs from the one this phone last took (meta
``sync.rules_digest``), the phone asks `GET /rules` for the files, checks every one
(`fieldapp.rules.store_received`: a broken file means none is kept), writes each as
``<data dir>/rules/<year>.toml`` atomically, and only then keeps the digest — so a run
cut anywhere asks again next time. The phone then uses them: the rules of a case's
registration year, the current year's for new cases (fieldapp/ui/data.py).

An office from before rules were sent says no digest: nothing is asked. A failure is a
warning of the run (`rules_failed`, `rules_invalid`), never its stop — except the office
refusing the device itself (401/403).
"""

from __future__ import annotations

import logging
from pathlib import Path

from fieldapp.domain.rules import RulesError
from fieldapp.rules import store_received
from sync import protocol as p
from sync.channel import Channel, SyncError
from sync.result import SyncIssue, SyncResult

log = logging.getLogger("fieldapp.sync.rules")

META_RULES_DIGEST = "sync.rules_digest"


def take_rules(store, channel: Channel, digest: object, data_dir: Path, result: SyncResult) -> None:
    """Fetch and keep the office's rules files if its digest is new to this phone."""
    if not isinstance(digest, str) or not digest or store.get_meta(META_RULES_DIGEST) == digest:
        return
    try:
        body = channel.call("GET", "/rules").body
    except SyncError as exc:
        if exc.code in p.AUTH_REFUSED:
            raise
        result.warnings.append(SyncIssue("rules_failed", f"{exc.code}: {exc.message}"))
        return
    files = body.get("rules")
    texts: dict[int, str] = {}
    if isinstance(files, list):
        for item in files:
            if isinstance(item, dict) and isinstance(item.get("year"), int) and isinstance(item.get("text"), str):
                texts[item["year"]] = item["text"]
    if not texts or body.get("digest") != digest:
        result.warnings.append(SyncIssue("rules_invalid", "no rules files, or another digest than hello's"))
        return
    try:
        written = store_received(data_dir, texts)
    except RulesError as exc:
        log.warning("the office's rules are broken: %s", exc)
        result.warnings.append(SyncIssue("rules_invalid", str(exc)[:300]))
        return
    except OSError as exc:
        result.warnings.append(SyncIssue("rules_failed", type(exc).__name__))
        return
    store.set_meta(META_RULES_DIGEST, digest)
    result.rules_received = written
    if written:
        log.info("rules received for %s", ", ".join(map(str, written)))
