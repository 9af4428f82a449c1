"""A case's state is a fold of its events: same set of events, same state, in any order."""

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldapp.domain import commands as cmd
from fieldapp.domain.projection import (
    RECURRENCE_CONFIRMED,
    RECURRENCE_REJECTED,
    STATUS_DUE_SOON,
    STATUS_OVERDUE,
    STATUS_RECTIFIED_LATE,
    STATUS_RECTIFIED_ON_TIME,
    STATUS_VOIDED,
    project_case,
)
from fieldapp.rules import load_rules
from tests.factories import case_history, fake_sha, photo_event


def _state(rules, events):
    return project_case(events, rules.tz)


def test_a_case_life_folds_to_rectified_on_time(rules, inspector, office, now):
    events = case_history(rules, inspector, office, now)
    s = _state(rules, events)
    assert s.lifecycle == "rectified" and s.on_time is True
    assert s.deadline == s.original_deadline + timedelta(days=2)
    assert s.before_photos == (fake_sha("before-1"),)
    assert s.after_photos == (fake_sha("after-1"),)
    assert not s.falls_short
    assert [h.type for h in s.history] == [e.type for e in sorted(events, key=lambda e: e.sort_key())]
    assert s.status(now + timedelta(days=30), rules.tz) == STATUS_RECTIFIED_ON_TIME


def test_open_case_status_moves_with_the_clock(rules, inspector, now):
    reg = cmd.register_case(rules, inspector, now, community="C2", category="L3", place="菜市场东门", deadline=date(2022, 6, 3))
    s = _state(rules, [reg])
    assert s.status(now, rules.tz) == STATUS_DUE_SOON
    assert s.status(now + timedelta(days=3), rules.tz) == STATUS_OVERDUE


def test_a_failed_check_then_no_pass_leaves_it_open_and_marked(rules, inspector, now):
    reg = cmd.register_case(rules, inspector, now, community="C2", category="L3", place="菜市场东门")
    s = _state(rules, [reg])
    fail = cmd.recheck(s, inspector, now + timedelta(hours=3), rectified=False)
    s = _state(rules, [reg, fail])
    assert s.lifecycle == "open" and s.falls_short


def test_rectified_after_the_deadline_is_late(rules, inspector, now):
    reg = cmd.register_case(rules, inspector, now, community="C2", category="L3", place="x", deadline=date(2022, 6, 2))
    s = _state(rules, [reg])
    late = cmd.recheck(s, inspector, now + timedelta(days=5), rectified=True)
    assert _state(rules, [reg, late]).status(now, rules.tz) == STATUS_RECTIFIED_LATE


def test_void_wins_and_a_recheck_after_it_is_flagged(rules, inspector, office, now):
    events = case_history(rules, inspector, office, now)
    s = _state(rules, events[:1])
    voided = cmd.void(s, office, now + timedelta(days=9), reason="重复登记")
    s = _state(rules, events + [voided])
    assert s.status(now, rules.tz) == STATUS_VOIDED
    assert s.void_reason == "重复登记"
    assert "voided_after_recheck" in s.flags


def test_recurrence_link_takes_its_latest_decision(rules, inspector, office, now):
    reg = cmd.register_case(rules, inspector, now, community="C1", category="Z1", place="x")
    earlier = "11111111-1111-4111-8111-111111111111"
    proposed = cmd.link_recurrence("proposed", reg.case_id, earlier, inspector, now)
    confirmed = cmd.link_recurrence("confirmed", reg.case_id, earlier, office, now + timedelta(hours=1))
    assert _state(rules, [reg, proposed, confirmed]).confirmed_recurrence_of == (earlier,)
    rejected = cmd.link_recurrence("rejected", reg.case_id, earlier, office, now + timedelta(hours=2))
    assert _state(rules, [reg, proposed, confirmed, rejected]).recurrences == ((earlier, RECURRENCE_REJECTED),)
    # A late-arriving proposal never downgrades a decision.
    again = cmd.link_recurrence("proposed", reg.case_id, earlier, inspector, now + timedelta(hours=3))
    assert _state(rules, [reg, confirmed, again]).recurrences == ((earlier, RECURRENCE_CONFIRMED),)


def test_events_before_the_registration_arrives_give_no_case_yet(rules, inspector, office, now):
    events = case_history(rules, inspector, office, now)
    assert project_case(events[1:], rules.tz) is None


def test_an_event_of_another_case_is_a_programming_error(rules, inspector, office, now):
    a = case_history(rules, inspector, office, now)
    b = case_history(rules, inspector, office, now)
    with pytest.raises(ValueError, match="belongs to case"):
        project_case(a + b[1:2], rules.tz)


def _rich_history(rules, inspector, office, now):
    events = case_history(rules, inspector, office, now)
    s = project_case(events[:1], rules.tz)
    events += [
        photo_event(s.case_id, inspector, now, "before-2"),
        cmd.verify(s, office, now + timedelta(days=2)),
        cmd.sight_again(s, inspector, now + timedelta(hours=2), note="又看到了"),
        cmd.link_recurrence("proposed", s.case_id, "22222222-2222-4222-8222-222222222222", inspector, now),
        cmd.link_recurrence("confirmed", s.case_id, "22222222-2222-4222-8222-222222222222", office, now + timedelta(days=1)),
        cmd.void(s, office, now + timedelta(days=6), reason="误报"),
    ]
    return events


RULES = load_rules(2022)
RICH = _rich_history(RULES, cmd.Actor("i-1", "p-1"), cmd.Actor("s-1", "office"), datetime(2022, 6, 1, 2, tzinfo=timezone.utc))


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_same_events_in_any_order_with_duplicates_give_the_same_state(data):
    rules, events = RULES, RICH
    expected = project_case(events, rules.tz)
    shuffled = data.draw(st.permutations(events))
    repeats = data.draw(st.lists(st.sampled_from(events), max_size=6))
    assert project_case(list(shuffled) + repeats, rules.tz) == expected
