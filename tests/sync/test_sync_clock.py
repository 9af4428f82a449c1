"""Property 11: a device clock years off reorders nothing on the office and is flagged."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sync_kit import T0, cases_table, office_event_ids

YEARS = timedelta(days=3 * 365)


def test_device_clock_years_off_reorders_nothing_and_is_flagged(office, office_store, phone, make_phone):
    other = make_phone("phone-b").enrol(office, "inspector-b", ("C1",))
    other.new_case("C1")
    assert other.sync().ok
    phone.clock = T0 - YEARS  # this phone's events say 2019
    late_but_old = phone.new_case("C1")

    result = phone.sync(clock=lambda: datetime.now(timezone.utc) - YEARS)

    assert result.ok
    assert result.clock_skew_flagged and result.clock_skew_seconds > 2.9 * 365 * 86400
    assert [w.code for w in result.warnings] == ["clock_skew"]
    # The office orders by arrival: the 2019 events come after the 2022 ones that arrived first.
    order = office_event_ids(office_store)
    b_ids = [e.id for e in other.store.events()]
    assert order[: len(b_ids)] == b_ids
    recorded = [r["recorded_at"] for r in office_store.db.query("SELECT recorded_at FROM events ORDER BY seq")]
    assert recorded != sorted(recorded)  # device time kept as written, not used to order
    assert other.sync().ok and phone.sync(clock=lambda: datetime.now(timezone.utc) - YEARS).ok
    assert cases_table(office_store) == cases_table(phone.store) == cases_table(other.store)
    assert office_store.case(late_but_old).found_at.year == 2019


def test_small_skew_is_not_flagged(office, phone):
    result = phone.sync(clock=lambda: datetime.now(timezone.utc) + timedelta(seconds=30))
    assert not result.clock_skew_flagged and 20 < -result.clock_skew_seconds < 40
