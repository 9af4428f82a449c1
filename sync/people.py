"""Who is who: actor id → the person's name, kept by the office and served to phones.

Every event carries an actor id. At the office a person's id is the name the office
enrolled them under (`fieldapp office enrol 张三`: the id *is* 张三); a phone's events from
before its enrolment carry the phone's own id (``inspector-<8 hex>``), which the office
records as that device's alias (`sync_devices.local_actor`, docs/sync.md). So the office
knows, for every id that may reach it from a phone, whose it is:

    directory(store) == {"张三": "张三", "inspector-a95ab0b2": "张三", "李四": "李四", ...}

It sends this in `GET /hello` (``people``) to every enrolled device; the phone keeps it
in its meta (`META_PEOPLE`, written only when it changed) and shows names, not ids, on
its screens (fieldapp/ui/names.py). The ids stay in the events: only what is shown changes.
A revoked device's person stays in the directory (their records are still theirs).
"""

from __future__ import annotations

import json
import sqlite3

from fieldapp.store import Store

#: Phone meta key: the office's directory as JSON {actor id: name}.
META_PEOPLE = "sync.people"
#: Bounds on what a phone keeps from an office (tens of people in a sub-district).
MAX_PEOPLE = 5000
MAX_ID = 128
MAX_NAME = 64


def directory(store: Store) -> dict[str, str]:
    """The office's actor id → name: enrolled people (their devices, and codes still
    waiting) and each device's pre-enrolment alias. An office db without sync tables: {}."""
    names: dict[str, str] = {}
    try:
        devices = store.db.execute(
            "SELECT inspector, local_actor FROM sync_devices ORDER BY enrolled_at, device_id").fetchall()
        codes = store.db.execute("SELECT DISTINCT inspector FROM sync_enrol_codes ORDER BY inspector").fetchall()
    except sqlite3.OperationalError:  # a store that never had the sync tables
        return {}
    for inspector, alias in devices:
        names.setdefault(inspector, inspector)
        if alias:
            names.setdefault(alias, inspector)
    for (inspector,) in codes:
        names.setdefault(inspector, inspector)
    return names


def clean(raw: object) -> dict[str, str]:
    """What a phone keeps of an office's ``people``: string ids to non-empty string names,
    bounded in number and length; anything else is left out (an odd entry is no reason to
    fail a sync)."""
    if not isinstance(raw, dict):
        return {}
    out: dict[str, str] = {}
    for key, value in raw.items():
        if len(out) >= MAX_PEOPLE:
            break
        if (isinstance(key, str) and isinstance(value, str) and 0 < len(key) <= MAX_ID
                and value.strip() and len(value) <= MAX_NAME):
            out[key] = value.strip()
    return out


def known(store: Store) -> dict[str, str]:
    """The directory this phone last received (empty before its first sync)."""
    try:
        value = json.loads(store.get_meta(META_PEOPLE, "{}") or "{}")
    except (TypeError, ValueError):
        return {}
    return clean(value)


def remember(store: Store, people: dict[str, str]) -> bool:
    """Keep an office's directory on the phone; written only if it changed. True if written."""
    people = clean(people)
    if people == known(store):
        return False
    store.set_meta(META_PEOPLE, json.dumps(people, ensure_ascii=False, sort_keys=True))
    return True
