"""The sync protocol (v1): paths, limits, statuses and error codes shared by both sides.

Everything the office says is JSON carrying `MARKER` under the "protocol" key, so
that a Wi-Fi login page answering 200 with HTML is never read as an
acknowledgement. Error codes are stable strings: the phone's UI shows them in
Chinese (`MESSAGES_ZH`), docs/sync.md lists them, and they must never be renamed.
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

# A device clock further than this from the office's is flagged (not corrected:
# the device clock orders nothing, it is only shown and used for deadlines).
SKEW_LIMIT_SECONDS = 300


@dataclass(frozen=True)
class Limits:
    """What the office accepts; sent in /hello so the phone sizes its requests."""

    max_events_per_push: int = 500
    max_body_bytes: int = 4 * 1024 * 1024  # a POST /events body
    max_blob_bytes: int = 20 * 1024 * 1024  # one photo (stored photos are ≤ 1600 px JPEGs, ~0.3 MB)
    max_pull_limit: int = 1000
    max_missing_query: int = 2000

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
REASON_ACTOR = "actor_mismatch"  # the event's actor is not this device's inspector
REASON_ROLE = "role_not_allowed"  # inspectors may not write this event type
REASON_COMMUNITY = "community_not_allowed"  # not one of this device's communities
REASON_UNKNOWN_CASE = "unknown_case"  # the office has no registration for the event's case
REJECTION_REASONS = (REASON_INVALID, REASON_ACTOR, REASON_ROLE, REASON_COMMUNITY, REASON_UNKNOWN_CASE)

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
    "not_found": 404,
    "server_error": 500,
}

# Reported by the phone's client in SyncResult.errors / .warnings (besides the above).
CLIENT_ERRORS = (
    "not_enrolled",  # no device token on this phone
    "network",  # the office could not be reached (after retries)
    "server_unavailable",  # the office kept answering 5xx (after retries)
    "not_our_server",  # the answer was not our protocol (a Wi-Fi login page, a proxy)
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
    "clock_skew",  # warning: this device's clock is far from the office's
    "server_rolled_back",  # warning: the office lost acknowledged data (restored backup)
    "internal_error",  # a bug in this app's sync code (logged); nothing was lost
)

# What the phone shows (zh-CN). Every code above has a message.
MESSAGES_ZH: dict[str, str] = {
    "malformed_json": "数据格式错误，请更新应用",
    "invalid_body": "数据格式错误，请更新应用",
    "bad_query": "请求参数错误，请更新应用",
    "bad_sha256": "照片编号错误",
    "hash_mismatch": "照片上传不完整，请重试",
    "too_large": "数据过大，无法上传",
    "too_many_events": "一次上传的记录过多",
    "token_missing": "本机尚未登记，请先登记设备",
    "token_invalid": "设备凭证无效，请联系办公室重新登记",
    "token_revoked": "本设备已被停用，请联系办公室",
    "enrol_code_invalid": "登记码无效",
    "enrol_code_expired": "登记码已过期，请向办公室索取新的登记码",
    "enrol_code_used": "登记码已被使用",
    "not_found": "服务器不支持此功能，请更新应用",
    "server_error": "服务器出错，请稍后重试",
    "not_enrolled": "本机尚未登记，请先登记设备",
    "network": "无法连接办公室服务器，请检查无线网络",
    "server_unavailable": "办公室服务器暂时不可用，请稍后重试",
    "not_our_server": "连接的不是办公室服务器（可能需要先登录无线网络）",
    "protocol_mismatch": "应用版本与办公室服务器不匹配，请更新应用",
    "unauthorized": "没有访问权限，请联系办公室",
    "forbidden": "没有访问权限，请联系办公室",
    "photo_missing_local": "有照片文件在本机丢失，相关记录暂未上传",
    "photo_corrupt_local": "有照片文件已损坏，相关记录暂未上传",
    "photo_too_large": "有照片过大，无法上传",
    "event_too_large": "有记录过大，无法上传",
    "event_rejected": "有记录被办公室拒收",
    "event_conflict": "有记录与办公室数据冲突，请联系办公室",
    "event_missing_blob": "有照片尚未上传完成，下次同步时重试",
    "pull_conflict": "下载的记录与本机数据冲突，请联系办公室",
    "pull_invalid": "下载的记录无法读取，请更新应用",
    "clock_skew": "本机时间与办公室相差较大，请校准手机时间",
    "server_rolled_back": "办公室数据已恢复，正在重新上传本机记录",
    "internal_error": "同步程序出错，数据仍保存在本机，请联系技术支持",
}


def is_sha256(value: object) -> bool:
    return isinstance(value, str) and SHA256_RE.fullmatch(value) is not None


def error_body(code: str, message: str) -> dict:
    return {"protocol": MARKER, "error": {"code": code, "message": message}}


def photo_hashes(event: dict) -> list[str]:
    """The photos an event (in wire form) names: they must be on the office before it."""
    payload = event.get("payload") if isinstance(event, dict) else None
    if not isinstance(payload, dict):
        return []
    if event.get("type") == "photo.added":
        sha = payload.get("sha256")
        return [sha] if is_sha256(sha) else []
    if event.get("type") == "case.rechecked":
        photos = payload.get("photos")
        return [p for p in photos if is_sha256(p)] if isinstance(photos, list) else []
    return []
