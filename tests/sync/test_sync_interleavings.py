"""Property 9: two phones and the office, acting and syncing in any interleaving, end up with the
same projections everywhere (hypothesis, few examples: each one runs a real server)."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sync_kit import OfficeServer, Phone, cases_table, photos_table

from fieldapp.domain import commands as cmd
from fieldapp.domain.commands import CommandError

OPS = st.lists(
    st.tuples(st.sampled_from(["case", "case", "photo", "recheck", "void", "office_deadline", "sync", "sync"]),
              st.integers(0, 1), st.integers(0, 7)),
    min_size=4, max_size=16,
)
# Each phone starts with a case, so the ops that act on cases have something to act on.
PRELUDE = [("case", 0, 0), ("case", 1, 1)]
OFFICE_STAFF = cmd.Actor("staff-1", "office-pc")


def act(op: str, phone: Phone, office: OfficeServer, k: int) -> None:
    if op == "case":
        phone.new_case(("C1", "C2")[k % 2], photos=1, photo_size=3000)
        return
    if op == "sync":
        phone.sync()
        return
    if op == "office_deadline":  # the dashboard writes to the office store directly
        with office.store() as store:
            known = [c["case_id"] for c in cases_table(store) if c["lifecycle"] == "open"]
            if known:
                there = store.case(known[k % len(known)])
                event = cmd.change_deadline(there, store.rules, OFFICE_STAFF, phone.tick(),
                                            deadline=there.deadline + timedelta(days=k + 1), reason="延期")
                store.append([event], assign_server_seq=True)
        return
    known = [c["case_id"] for c in cases_table(phone.store)]
    if not known:
        return
    case_id = known[k % len(known)]
    state = phone.store.case(case_id)
    try:
        if op == "photo":
            phone.add_photo(case_id, size=3000)
        elif op == "recheck":
            phone.recheck(case_id, rectified=k % 2 == 0)
        elif op == "void":
            phone.store.append([cmd.void(state, phone.who, phone.tick(), reason="录错了")])
    except CommandError:
        pass  # e.g. re-checking a voided case: the phone's UI would not offer it


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(ops=OPS)
def test_any_interleaving_converges_to_the_same_projections(tmp_path_factory, rules, ops):
    root = tmp_path_factory.mktemp("interleave")
    office = OfficeServer(root / "office", rules).start()
    phones = []
    try:
        phones = [Phone(root / "a", rules, "a").enrol(office, "inspector-a", ("C1", "C2")),
                  Phone(root / "b", rules, "b").enrol(office, "inspector-b", ("C1", "C2"))]
        for op, who, k in PRELUDE + ops:
            act(op, phones[who], office, k)
        for _ in range(2):  # settle: A's second run pulls what B pushed after A's first
            for phone in phones:
                result = phone.sync()
                assert result.ok, result.errors
        with office.store() as store:
            expected = cases_table(store)
            case_ids = {c["case_id"] for c in expected}
            expected_photos = photos_table(store, case_ids)
            event(f"office events: {min(store.event_count() // 5 * 5, 20)}+")
            by_office = store.db.execute("SELECT count(*) FROM events WHERE actor = ?", [OFFICE_STAFF.actor])
            event(f"office-written: {by_office.fetchone()[0] > 0}")
        for phone in phones:
            assert cases_table(phone.store) == expected
            assert photos_table(phone.store, case_ids) == expected_photos
            assert phone.store.event_count() == len(list(phone.store.events()))
    finally:
        for phone in phones:
            phone.close()
        office.stop()
