"""The happy path: enrol, push, pull, a second phone sees the first one's cases."""

from __future__ import annotations

from sync_kit import cases_table, office_event_ids

from sync import protocol as p
from sync.phonebook import PhoneBook


def test_first_sync_delivers_every_event_and_photo(office, office_store, phone):
    case_ids = [phone.new_case("C1", photos=2) for _ in range(3)]
    phone.recheck(case_ids[0])

    result = phone.sync()

    assert result.ok, result
    assert result.pushed == len(phone.own_event_ids()) == 3 * 3 + 2
    assert result.photos_uploaded == result.photos_to_upload == 7
    assert set(office_event_ids(office_store)) == phone.own_event_ids()
    for row in office_store.db.query("SELECT sha256 FROM photos"):
        assert office.data_dir.joinpath("photos", row["sha256"][:2], row["sha256"] + ".jpg").is_file()
    assert cases_table(office_store) == cases_table(phone.store)
    assert PhoneBook(phone.store).pending_counts() == (0, 0)


def test_second_sync_is_a_no_op(office, phone):
    phone.new_case()
    assert phone.sync().ok
    again = phone.sync()
    assert again.ok and again.pushed == again.pulled == again.photos_uploaded == 0


def test_second_phone_pulls_only_its_communities(office, office_store, phone, make_phone):
    in_c1 = phone.new_case("C1")
    in_c2 = phone.new_case("C2")
    assert phone.sync().ok
    other = make_phone("phone-b").enrol(office, "inspector-b", ("C1",))

    result = other.sync()

    assert result.ok and result.pulled == 2  # C1's registration and its photo
    assert {c["case_id"] for c in cases_table(other.store)} == {in_c1}
    assert not other.store.has_event(next(e.id for e in phone.store.case_events(in_c2)))


def test_hello_reports_identity_and_limits(office, phone):
    result = phone.sync()
    assert result.server_id.startswith("srv-")
    assert not result.clock_skew_flagged
    assert abs(result.clock_skew_seconds) < 5


def test_events_stay_ordered_by_arrival_on_the_office(office, office_store, phone):
    phone.new_case()
    phone.sync()
    seqs = [r["server_seq"] for r in office_store.db.query("SELECT server_seq FROM events ORDER BY seq")]
    assert seqs == sorted(seqs) and None not in seqs
    assert p.MARKER == "fieldapp-sync/1"
