"""Small checks for event payloads; each raises EventError naming the field."""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any


class EventError(ValueError):
    """An event or its payload is malformed; the message names the field."""


_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CODE = re.compile(r"^[A-Za-z0-9_\-]{1,32}$")
MAX_TEXT = 2000


def text(data: dict, key: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    value = data.get(key, "" if not required else None)
    if value is None or not isinstance(value, str):
        raise EventError(f"{key}: expected text, got {value!r}")
    value = value.strip()
    if required and not value:
        raise EventError(f"{key}: must not be empty")
    if len(value) > limit:
        raise EventError(f"{key}: longer than {limit} characters")
    return value


def code(data: dict, key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not _CODE.match(value):
        raise EventError(f"{key}: expected a code, got {value!r}")
    return value


def choice(data: dict, key: str, options) -> str:
    value = data.get(key)
    if value not in options:
        raise EventError(f"{key}: expected one of {', '.join(map(str, options))}, got {value!r}")
    return value


# str(uuid.UUID(x)) == x exactly when x is this (what uuid.UUID's canonical form is), checked
# without making a UUID: every event's id and case id pass here.
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def uuid_text(data: dict, key: str) -> str:
    """A UUID in its canonical lowercase form, so that one id has one spelling."""
    value = data.get(key)
    if isinstance(value, str) and _UUID.fullmatch(value):
        return value
    raise EventError(f"{key}: expected a lowercase UUID, got {value!r}")


def sha256(data: dict, key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not _SHA256.match(value):
        raise EventError(f"{key}: expected a lowercase hex SHA-256, got {value!r}")
    return value


def sha256_list(data: dict, key: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise EventError(f"{key}: expected a list of SHA-256 hashes")
    return tuple(sha256({key: v}, key) for v in value)


def aware_time(data: dict, key: str, *, required: bool = True) -> datetime | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise EventError(f"{key}: expected an ISO 8601 time, got {value!r}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise EventError(f"{key}: not an ISO 8601 time: {value!r}") from None
    if parsed.tzinfo is None:
        raise EventError(f"{key}: time {value!r} has no UTC offset")
    return parsed


def local_date(data: dict, key: str) -> date:
    value = data.get(key)
    if not isinstance(value, str):
        raise EventError(f"{key}: expected a date YYYY-MM-DD, got {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise EventError(f"{key}: not a date YYYY-MM-DD: {value!r}") from None


def month(data: dict, key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        raise EventError(f"{key}: expected a month YYYY-MM, got {value!r}")
    return value


def number(data: dict, key: str, *, low: float | None = None, high: float | None = None) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise EventError(f"{key}: expected a number, got {value!r}")
    if (low is not None and value < low) or (high is not None and value > high):
        raise EventError(f"{key}: {value!r} is outside {low}–{high}")
    return value


def count(data: dict, key: str) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise EventError(f"{key}: expected a whole number ≥ 0, got {value!r}")
    return value


def flag(data: dict, key: str, default: bool | None = None) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise EventError(f"{key}: expected true or false, got {value!r}")
    return value


def mapping(data: Any, key: str) -> dict:
    if not isinstance(data, dict):
        raise EventError(f"{key}: expected an object, got {type(data).__name__}")
    return data
