"""Builders for realistic events in tests (through the real domain commands)."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

from fieldapp.domain import commands as cmd
from fieldapp.domain.events import PhotoAdded, new_event
from fieldapp.domain.geo import Position
from fieldapp.domain.projection import project_case

BASE_POSITION = Position(34.7466, 113.6253, 6.0)


def fake_sha(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


def photo_event(case_id: str, who: cmd.Actor, now: datetime, label: str, stage: str = "before"):
    return new_event(
        PhotoAdded(case_id, fake_sha(label), fake_sha("orig-" + label), stage, 1600, 1200, 250_000, None, None),
        actor=who.actor,
        device=who.device,
        now=now,
    )


def case_history(rules, inspector, office, now: datetime, **register):
    """A case with a life: registered, photographed, falls short, deadline moved, rectified."""
    reg = cmd.register_case(rules, inspector, now, community="C1", category="Z1", position=BASE_POSITION, **register)
    state = project_case([reg], rules.tz)
    events = [reg, photo_event(state.case_id, inspector, now, "before-1")]
    t = now + timedelta(days=1)
    events.append(cmd.recheck(state, inspector, t, rectified=False, note="还有垃圾"))
    t += timedelta(hours=5)
    events.append(cmd.change_deadline(state, rules, office, t, deadline=state.deadline + timedelta(days=2), reason="雨天"))
    t += timedelta(days=1)
    events.append(photo_event(state.case_id, inspector, t, "after-1", "after"))
    events.append(cmd.recheck(state, inspector, t, rectified=True, photos=(fake_sha("after-1"),)))
    return events


def deadline_on(d: date) -> dict:
    return {"deadline": d}
