"""The sync protocol (v1): paths, limits, statuses and error codes shared by both sides.

Everything the office says is JSON carrying `MARKER` under the "protocol" key, so
that a Wi-Fi login page answering 200 with HTML is never read as an
acknowledgement. Error codes are stable strings: the phone shows them in Chinese
(`fieldapp.text.common.SYNC_MESSAGES`, the words both sides speak),
docs/sync.md lists them, and they must never be renamed.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields

PROTOCOL = "fieldapp-sync"
VERSION = 1
MARKER = f"{PROTOCOL}/{VERSION}"
MARKER_HEADER = "X-Fieldapp-Sync"
API_PREFIX = "/api/v1"

SHA256_RE = re.compile(r"[0-9a-f]{64}")
# The actor id a phone stamps on its events before it is enrolled (fieldapp.ui.data.default_inspector_id):
# the only shape of id the office accepts as a device's alias — never a person's name.
LOCAL_ACTOR_RE = re.compile(r"inspector-[0-9a-f]{8}")
# Sample data (试用, fieldapp.demo / fieldapp.ui.trial) carries device and actor ids with these
# prefixes (``trial-`` now; ``demo-phone-`` / ``demo-inspector-`` in data folders filled by older
# versions): a phone holding such records may not enrol or sync, and the office refuses them.
TRIAL_PREFIXES = ("trial-", "demo-phone-", "demo-inspector-")

# A device clock further than this from the office's is flagged (not corrected:
# the device clock orders nothing, it is only shown and used for deadlines).
SKEW_LIMIT_SECONDS = 300

# A JSON body nested deeper than this is refused (400 `too_deep`) before it is parsed: events
# are 4 levels deep, and a deep one would exhaust the parser's recursion.
MAX_JSON_DEPTH = 32


@dataclass(frozen=True)
class Limits:
    """What the office accepts; sent in /hello so the phone sizes its requests."""

    max_events_per_push: int = 500
    max_body_bytes: int = 4 * 1024 * 1024  # a POST /events body
    max_blob_bytes: int = 20 * 1024 * 1024  # one photo (stored photos are ≤ 1600 px JPEGs, ~0.3 MB)
    max_pull_limit: int = 1000
    max_missing_query: int = 2000
    max_unnamed_bytes: int = 512 * 1024 * 1024  # a device's uploaded photos that no event names yet

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: object) -> "Limits":
        """Lenient: unknown keys are ignored and missing or odd values keep the default."""
        known = {f.name for f in fields(cls)}
        values = {}
        if isinstance(raw, dict):
            for key, value in raw.items():
                if key in known and isinstance(value, int) and not isinstance(value, bool) and value > 0:
                    values[key] = value
        return cls(**values)


# --- per-event results of POST /events -------------------------------------------

ACCEPTED = "accepted"  # stored now, with its server_seq
DUPLICATE = "duplicate"  # same id, same content already stored: the ack of a lost response
CONFLICT = "conflict"  # same id, different content: nothing overwritten, the office is told
MISSING_BLOB = "missing_blob"  # names a photo the office lacks: upload it, then resend
REJECTED = "rejected"  # never stored; `reason` says why
EVENT_STATUSES = (ACCEPTED, DUPLICATE, CONFLICT, MISSING_BLOB, REJECTED)
ACKNOWLEDGED = frozenset({ACCEPTED, DUPLICATE})

# Reasons of a `rejected` result.
REASON_INVALID = "invalid"  # malformed event or payload, unknown type (detail says which field)
REASON_ACTOR = "actor_mismatch"  # the event's actor is neither this device's inspector nor its local actor
REASON_ROLE = "role_not_allowed"  # the device's role may not write this (event type, or a photo's stage)
REASON_COMMUNITY = "community_not_allowed"  # not one of this device's communities
REASON_UNKNOWN_CASE = "unknown_case"  # the office has no registration for the event's case
REASON_CLOSED = "case_closed"  # a community device wrote about a case no longer open (rectified or voided)
REASON_NOT_EXEMPTIBLE = "not_exemptible"  # exemption asked for a case whose source the rules do not exempt
REASON_TRIAL = "trial_data"  # sample data (试用): its actor or device is a trial id (`is_trial_id`)
REASON_DEVICE = "device_mismatch"  # the event's `device` is neither this device nor the phone's own id
REJECTION_REASONS = (REASON_INVALID, REASON_ACTOR, REASON_ROLE, REASON_COMMUNITY, REASON_UNKNOWN_CASE,
                     REASON_CLOSED, REASON_NOT_EXEMPTIBLE, REASON_TRIAL, REASON_DEVICE)

# --- error codes --------------------------------------------------------------------
# Sent by the office in {"protocol": ..., "error": {"code", "message"}} with the status.
SERVER_ERRORS: dict[str, int] = {
    "malformed_json": 422,
    "invalid_body": 422,
    "bad_query": 422,
    "bad_sha256": 422,
    "hash_mismatch": 422,
    "too_large": 413,
    "too_many_events": 413,
    "token_missing": 401,
    "token_invalid": 401,
    "token_revoked": 401,
    "enrol_code_invalid": 403,
    "enrol_code_expired": 403,
    "enrol_code_used": 403,
    "trial_data": 403,  # enrolment from a phone in trial mode (试用: sample data), or a trial id
    "too_deep": 400,  # a JSON body nested deeper than MAX_JSON_DEPTH (refused before it is parsed)
    "too_many_requests": 429,  # enrolment tried too often from one address: wait (Retry-After)
    "upload_quota": 413,  # this device's uploaded photos that no event names reached max_unnamed_bytes
    "not_found": 404,
    "method_not_allowed": 405,
    "server_error": 500,
}

#: The office refusing the device itself: no retry helps until the phone is (re-)enrolled.
AUTH_REFUSED = frozenset({"token_missing", "token_invalid", "token_revoked", "unauthorized", "forbidden",
                          "certificate_mismatch"})

# Reported by the phone's client in SyncResult.errors / .warnings (besides the above).
CLIENT_ERRORS = (
    "not_enrolled",  # no device token on this phone
    "network",  # the office could not be reached (after retries)
    "server_unavailable",  # the office kept answering 5xx (after retries)
    "not_our_server",  # the answer was not our protocol (a Wi-Fi login page, a proxy)
    "certificate_mismatch",  # the office's TLS certificate is not the one pinned at enrolment: nothing sent
    "pin_missing",  # an https office without the certificate fingerprint (from its QR code) to pin
    "protocol_mismatch",  # the office speaks another protocol version
    "unauthorized",  # 401 without our marker's code
    "forbidden",  # 403
    "photo_missing_local",  # a photo file named by an event is gone from this phone
    "photo_corrupt_local",  # a photo file's bytes no longer match its name
    "photo_too_large",  # a photo is over the office's size limit
    "event_too_large",  # one event alone is over the office's body limit
    "event_rejected",  # the office refused an event (see `reason`)
    "event_conflict",  # the office has a different event with the same id
    "event_missing_blob",  # the office still lacks a photo the event names
    "pull_conflict",  # a pulled event has the id of a different local event
    "pull_invalid",  # a pulled event could not be read
    "photo_download_corrupt",  # warning: a downloaded photo's bytes did not hash to its name (discarded)
    "photo_download_failed",  # warning: downloading others' photos stopped early (network, disk); next run goes on
    "rules_failed",  # warning: the office's rules files could not be fetched or kept (next run asks again)
    "rules_invalid",  # warning: the office sent a broken rules file: none kept (the office must fix it)
    "maps_failed",  # warning: the offline map or the boundaries could not be fetched or kept (the old copy stays)
    "clock_skew",  # warning: this device's clock is far from the office's
    "server_rolled_back",  # warning: the office lost acknowledged data (restored backup)
    "internal_error",  # a bug in this app's sync code (logged); nothing was lost
)



def is_sha256(value: object) -> bool:
    return isinstance(value, str) and SHA256_RE.fullmatch(value) is not None


def is_local_actor(value: object) -> bool:
    return isinstance(value, str) and LOCAL_ACTOR_RE.fullmatch(value) is not None


def is_trial_id(value: object) -> bool:
    """An actor or device id of sample data (试用): never a real person's or phone's."""
    return isinstance(value, str) and value.startswith(TRIAL_PREFIXES)


def error_body(code: str, message: str) -> dict:
    return {"protocol": MARKER, "error": {"code": code, "message": message}}


# Event types whose payload names photos in a `photos` list (besides photo.added's `sha256`).
PHOTO_LIST_TYPES = ("case.rechecked", "case.reported", "case.exemption_requested")


def photo_hashes(event: dict) -> list[str]:
    """The photos an event (in wire form) names: they must be on the office before it."""
    payload = event.get("payload") if isinstance(event, dict) else None
    if not isinstance(payload, dict):
        return []
    if event.get("type") == "photo.added":
        sha = payload.get("sha256")
        return [sha] if is_sha256(sha) else []
    if event.get("type") in PHOTO_LIST_TYPES:
        photos = payload.get("photos")
        return [p for p in photos if is_sha256(p)] if isinstance(photos, list) else []
    return []


# a recurrence link to a case of another community or category, or to a later case (domain/recurrence.py)
REASON_RECURRENCE = "recurrence_invalid"
REJECTION_REASONS += (REASON_RECURRENCE,)
