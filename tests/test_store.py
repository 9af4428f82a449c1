"""The SQLite store: atomic appends, projections that match a rebuild, the phone's queries."""

import json
import sqlite3
import threading
from datetime import date, datetime, timedelta

import pytest

from fieldapp.domain import commands as cmd
from fieldapp.domain.commands import Actor
from fieldapp.domain.events import Event
from fieldapp.domain.geo import Position
from fieldapp.store import ACCEPTED, CONFLICT, DUPLICATE, Store
from tests.factories import BASE_POSITION, case_history, fake_sha, photo_event


def snapshot(store: Store) -> dict:
    """Everything the projections hold, in a comparable form."""
    return {
        table: sorted(json.dumps(dict(r), sort_keys=True) for r in store.db.query(f"SELECT * FROM {table}"))
        for table in ("cases", "photos", "surveys")
    }


def test_append_stores_events_and_updates_the_case(store, rules, inspector, office, now):
    events = case_history(rules, inspector, office, now)
    results = store.append(events)
    assert [r.status for r in results] == [ACCEPTED] * len(events)
    assert store.event_count() == len(events)
    row = store.cases(now)[0]
    assert row.lifecycle == "rectified" and row.status == "rectified_on_time"
    assert row.thumb == fake_sha("before-1") and row.photo_count == 2
    detail = store.case(row.case_id)
    assert len(detail.history) == len(events)
    assert {p["stage"] for p in store.case_photos(row.case_id)} == {"before", "after"}


def test_resend_is_a_duplicate_and_different_content_a_conflict(store, rules, inspector, office, now):
    events = case_history(rules, inspector, office, now)
    store.append(events)
    assert {r.status for r in store.append(events)} == {DUPLICATE}
    changed = events[0].to_dict()
    changed["payload"]["note"] = "被篡改"
    result = store.append([Event.from_dict(changed)])
    assert result[0].status == CONFLICT
    assert store.event_count() == len(events)
    assert store.case(events[0].case_id).note == ""  # nothing overwritten


def test_a_failing_append_leaves_nothing_behind(store, rules, inspector, office, now):
    events = case_history(rules, inspector, office, now)
    before = snapshot(store)

    class Boom(Exception):
        pass

    original = store._refresh_cases

    def explode(events_by_case):
        original(events_by_case)
        raise Boom()

    store._refresh_cases = explode  # fault injected after the rows were written
    with pytest.raises(Boom):
        store.append(events)
    store._refresh_cases = original
    assert store.event_count() == 0
    assert snapshot(store) == before


def test_rebuild_equals_incremental_state(store, rules, inspector, office, now):
    for i in range(20):
        events = case_history(rules, inspector, office, now + timedelta(hours=i))
        # Arrive out of order and in pieces, as sync delivers them.
        store.append(events[3:])
        store.append(events[:3])
        store.append([cmd.answer_survey(rules, inspector, now, community="C2", answer="满意")])
    incremental = snapshot(store)
    store.rebuild_projections()
    assert snapshot(store) == incremental
    assert len(incremental["cases"]) == 20 and len(incremental["surveys"]) == 20


def test_events_of_an_unknown_case_wait_for_their_registration(store, rules, inspector, office, now):
    events = case_history(rules, inspector, office, now)
    store.append(events[1:])
    assert store.cases(now) == []
    store.append(events[:1])
    assert store.cases(now)[0].lifecycle == "rectified"


def _register(store, rules, who, now, deadline, community="C1", category="Z1", position=None):
    e = cmd.register_case(
        rules, who, now, community=community, category=category, deadline=deadline, place="某处", position=position
    )
    store.append([e, photo_event(e.case_id, who, now, e.case_id)])
    return e.case_id


def test_open_cases_come_by_urgency_with_filters(store, rules, inspector, now):
    other = cmd.Actor("inspector-2", "phone-2")
    ids = {
        "later": _register(store, rules, inspector, now, date(2022, 6, 20)),
        "soon": _register(store, rules, inspector, now, date(2022, 6, 3), community="C2"),
        "today": _register(store, rules, inspector, now, date(2022, 6, 1)),
        "theirs": _register(store, rules, other, now, date(2022, 6, 2)),
    }
    later_now = now + timedelta(days=4)  # 5 June: "soon" and "today" are now overdue
    rows = store.open_cases(later_now, inspector="inspector-1")
    assert [r.case_id for r in rows] == [ids["today"], ids["soon"], ids["later"]]
    assert [(r.status, r.days_left) for r in rows] == [("overdue", -4), ("overdue", -2), ("open", 15)]
    assert [r.case_id for r in store.open_cases(now, status="due_today")] == [ids["today"]]
    assert [r.case_id for r in store.open_cases(now, status="due_soon")] == [ids["theirs"], ids["soon"]]
    assert [r.case_id for r in store.open_cases(now, community="C2")] == [ids["soon"]]
    assert len(store.open_cases(now, limit=2)) == 2 and len(store.open_cases(now, limit=2, offset=2)) == 2


def test_counts_per_status_and_community(store, rules, inspector, now):
    _register(store, rules, inspector, now, date(2022, 6, 1))
    _register(store, rules, inspector, now, date(2022, 6, 3))
    c = _register(store, rules, inspector, now, date(2022, 6, 3), community="C3")
    store.append([cmd.void(store.case(c), inspector, now, reason="重复")])
    counts = store.status_counts(now)
    assert counts["C1"]["due_today"] == 1 and counts["C1"]["due_soon"] == 1
    assert counts["C3"]["voided"] == 1
    assert sum(counts["C4"].values()) == 0


def test_nearby_finds_duplicates_and_recurrences(store, rules, inspector, now):
    open_id = _register(store, rules, inspector, now, date(2022, 6, 9), position=BASE_POSITION)
    fixed_id = _register(store, rules, inspector, now, date(2022, 6, 9), position=Position(34.7467, 113.6253))
    store.append([cmd.recheck(store.case(fixed_id), inspector, now, rectified=True)])
    _register(store, rules, inspector, now, date(2022, 6, 9), position=Position(34.7500, 113.6253))  # ~380 m
    found = store.nearby("C1", "Z1", Position(34.74665, 113.6253))
    assert [(n.case_id, n.kind) for n in found] == [(open_id, "duplicate"), (fixed_id, "recurrence")]
    assert store.nearby("C1", "Z2", BASE_POSITION) == []


def test_survey_count_uses_the_local_day(store, rules, inspector, now):
    late = now.replace(hour=17)  # 01:00 on 2 June in Shanghai
    store.append([cmd.answer_survey(rules, inspector, now, community="C1", answer="满意")])
    store.append([cmd.answer_survey(rules, inspector, late, community="C1", answer="不满意")])
    assert store.survey_count(day=date(2022, 6, 1)) == 1
    assert store.survey_count(day=date(2022, 6, 2), actor="inspector-1") == 1
    assert store.survey_count(community="C1") == 2


def _python_survey_count(store, day, actors):
    """What survey_count used to compute in Python: each answer's local date, compared as a date."""
    rows = store.db.query("SELECT actor, answered_at FROM surveys")
    return sum(1 for r in rows if r["actor"] in actors
               and datetime.fromisoformat(r["answered_at"]).astimezone(store.tz).date() == day)


SURVEY_TIMES = [  # around the edges of 1 and 2 June in Shanghai, written with other offsets too
    "2022-05-31T15:59:59.999999+00:00",  # 23:59:59.999999 on 31 May in Shanghai
    "2022-05-31T16:00:00+00:00",  # midnight: 1 June
    "2022-06-01T00:00:00+08:00",
    "2022-05-31T10:30:00.000001-05:30",  # 00:00:00.000001 on 1 June in Shanghai
    "2022-06-01T23:59:59.999999+08:00",
    "2022-06-02T05:45:00+05:45",  # 08:00 on 2 June
    "2022-06-01T12:00:00-12:00",  # 08:00 on 2 June, written on the previous local date
    "2022-06-02T13:59:00+14:00",  # 07:59 on 2 June
    "2022-06-01T10:00:00+08:05:43",  # an offset with seconds (a historical zone)
    "2022-06-02T16:00:00+00:00",  # 3 June
]


def test_survey_count_in_sql_equals_the_local_date_of_each_answer(store, rules, inspector, office):
    other = Actor("inspector-2", "phone-2")
    for i, text in enumerate(SURVEY_TIMES):
        who = inspector if i % 3 else other
        store.append([cmd.answer_survey(rules, who, datetime.fromisoformat(text), community="C1", answer="满意")])
    everyone = {"inspector-1", "inspector-2"}
    for day in (date(2022, 5, 31), date(2022, 6, 1), date(2022, 6, 2), date(2022, 6, 3)):
        for actors in (everyone, {"inspector-1"}, {"inspector-2"}):
            expected = _python_survey_count(store, day, actors)
            assert store.survey_count(day=day, actor=sorted(actors)) == expected, (day, actors)
        assert store.survey_count(day=day) == _python_survey_count(store, day, everyone)
    assert [store.survey_count(day=date(2022, 6, d)) for d in (1, 2)] == [5, 3]
    assert store.survey_count(day=date(2022, 6, 1), actor="inspector-1") == 4
    assert store.survey_count(actor=["inspector-1", "inspector-2"]) == len(SURVEY_TIMES)
    assert store.survey_count(actor=[]) == 0
    plan = " ".join(r[3] for r in store.db.execute(
        "EXPLAIN QUERY PLAN SELECT count(*) FROM surveys WHERE actor IN (?, ?) "
        "AND answered_utc >= ? AND answered_utc < ?", ["a", "b", "x", "y"]))
    assert "surveys_actor_day" in plan


def test_survey_counts_of_a_store_made_before_the_day_column(tmp_path, rules, inspector, now):
    path = tmp_path / "old.db"
    with Store(path, rules) as s:
        for text in SURVEY_TIMES:
            s.append([cmd.answer_survey(rules, inspector, datetime.fromisoformat(text), community="C2", answer="满意")])
        # as the previous version left it: no answered_utc column, no m004
        s.db.execute("DROP INDEX surveys_actor_day")
        s.db.execute("ALTER TABLE surveys DROP COLUMN answered_utc")
        s.db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm004_survey_day'")
    with Store(path, rules) as s:
        assert [s.survey_count(day=date(2022, 6, d), actor="inspector-1") for d in (1, 2, 3)] == [5, 3, 1]
        assert s.survey_count(community="C2") == len(SURVEY_TIMES)


def test_reopening_keeps_data_and_does_not_rerun_migrations(tmp_path, rules, inspector, office, now):
    path = tmp_path / "phone.db"
    with Store(path, rules) as s:
        s.append(case_history(rules, inspector, office, now))
    with Store(path, rules) as s:
        assert s.event_count() == 6
        names = [r["name"] for r in s.db.query("SELECT name FROM _sqlite_migrations")]
        assert len(names) == len(set(names)) == 6
        assert s.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_two_threads_each_with_their_own_store_write_alongside(tmp_path, rules, inspector, office, now):
    path = tmp_path / "shared.db"
    Store(path, rules).close()
    errors = []

    def writer(n):
        try:
            with Store(path, rules) as s:
                for i in range(15):
                    s.append(case_history(rules, inspector, office, now + timedelta(minutes=n * 100 + i)))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store(path, rules) as s:
        assert s.event_count() == 3 * 15 * 6
        assert len(s.cases(now, limit=1000)) == 45


def test_a_connection_is_not_shared_across_threads(store):
    result = []
    t = threading.Thread(target=lambda: result.append(_try(store.event_count)))
    t.start()
    t.join()
    assert isinstance(result[0], sqlite3.ProgrammingError)


def _try(fn):
    try:
        return fn()
    except Exception as exc:
        return exc
