"""Who made each record, and sample data (试用), against a real office.

- The office serves its people directory in /hello: each enrolled person's id, and each
  phone's pre-enrolment alias, mapped to the enrolled name; the phone keeps it and its
  screens' `Names` show 张三 for both ids (the office's `Names.of_office` too).
- Sample data never reaches the office: a trial store refuses to enrol, sync or export
  before any request; an older data folder with demo events is refused the same; the
  office refuses enrolment from a trial phone and every trial event pushed by a forced
  client — nothing stored; 放弃试用数据 of an older folder keeps the phone's own records.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

import httpx
import pytest
from sync_kit import FAST_RETRY, Phone

from fieldapp.demo import fill_demo
from fieldapp.ui.data import enrol_phone, ensure_settings
from fieldapp.ui.names import Names
from fieldapp.ui.trial import discard_trial_events, make_trial, trial_dir
from sync import auth, people, phonebook
from sync import protocol as p
from sync.channel import SyncError
from sync.client import SyncClient
from sync.outbox import OutboxError, export_outbox
from sync.storage import wire_event
from sync.trial import holds_trial_data

NOW = datetime(2022, 6, 1, 1, 0, tzinfo=timezone.utc)


def code_for(office, inspector: str, communities=("C1",)) -> str:
    with office.store() as store:
        return auth.create_code(store, inspector, list(communities))[0]


def office_counts(office) -> tuple[int, int, int]:
    """(events, devices, photo files) at the office."""
    with office.store() as store:
        events = store.event_count()
        devices = store.db.execute("SELECT count(*) FROM sync_devices").fetchone()[0]
    photos = [f for f in (office.data_dir / "photos").rglob("*") if f.is_file() and ".spare" not in f.parts]
    return events, devices, len(photos)


def test_records_from_before_enrolment_show_the_enrolled_name(office, make_phone):
    phone = make_phone("zhang")
    settings = ensure_settings(phone.store)
    local = settings.inspector_id
    phone.who = settings.actor
    before = phone.new_case("C1")
    names = Names.of_phone(phone.store, settings)
    assert names(local) == local  # nobody named this phone yet: the id is all there is

    info, settings = enrol_phone(phone.store, office.url, code_for(office, "张三"), retry=FAST_RETRY)
    phone.device_id, phone.who = info["device_id"], settings.actor
    phone.new_case("C1")
    # a colleague, enrolled at the same office
    other = make_phone("li").enrol(office, "李四", ("C1",))
    other.new_case("C1")
    assert other.sync().ok
    result = phone.sync()
    assert result.ok, result.errors

    directory = people.known(phone.store)
    assert directory[local] == "张三" and directory["张三"] == "张三" and directory["李四"] == "李四"
    names = Names.of_phone(phone.store, settings)
    with office.store() as store:
        office_names = Names.of_office(store)
        registrants = {r[0] for r in store.db.execute("SELECT registered_by FROM cases")}
        assert store.case(before).registered_by == local  # the id stays in the data
    assert registrants == {local, "张三", "李四"}
    for who in registrants:
        assert names(who) == office_names(who) == ("李四" if who == "李四" else "张三")
    assert Names()("office:wang") == "办事处 wang"

    # the directory is written only when it changed
    assert not people.remember(phone.store, directory)
    assert people.clean({"a": "x" * 65, 5: "y", "b": " ", "c": "名"}) == {"c": "名"}


def test_a_trial_folder_never_enrols_syncs_or_exports(office, tmp_path, rules):
    code = code_for(office, "张三")
    make_trial(tmp_path / "phone", rules, NOW, cases=4)
    trial = Phone(trial_dir(tmp_path / "phone"), rules, "trial")
    try:
        assert holds_trial_data(trial.store)
        with pytest.raises(SyncError) as refused:
            enrol_phone(trial.store, office.url, code, retry=FAST_RETRY)
        assert refused.value.code == "trial_data"
        # even with a token copied into it, a run stops before the first request
        phonebook.PhoneBook(trial.store).save_credentials(office.url, "x" * 43, "dev-x", "张三", ["C1"], "inspector")
        calls = []
        transport = httpx.MockTransport(lambda request: calls.append(request) or httpx.Response(500))
        result = SyncClient(trial.store, trial.photo_dir, transport=transport).run()
        assert result.stopped == "trial_data" and calls == []
        with pytest.raises(OutboxError) as no_file:
            export_outbox(trial.store, trial.photo_dir)
        assert no_file.value.code == "trial_data"
    finally:
        trial.close()
    assert office_counts(office) == (0, 0, 0)
    # the code was not used up: the phone can enrol once the sample is gone
    real = Phone(tmp_path / "real", rules, "real")
    try:
        info, _ = enrol_phone(real.store, office.url, code, retry=FAST_RETRY)
        assert info["inspector"] == "张三"
    finally:
        real.close()


def test_the_office_refuses_trial_phones_and_trial_records(office, make_phone):
    # enrolment from a phone that says it is a trial one
    body = {"code": code_for(office, "张三"), "label": "x", "nonce": "n1",
            "local_actor": "inspector-0123abcd", "local_device": "trial-0e1f"}
    answer = httpx.post(office.url + "/api/v1/enrol", json=body)
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "trial_data"
    with office.store() as store:
        with pytest.raises(ValueError):
            auth.create_code(store, "trial-inspector-1", ["C1"])

    # a forced client: an enrolled phone pushes sample events under its own actor
    phone = make_phone("forced").enrol(office, "王五", ("C1",))
    fill_demo(phone.store, phone.photo_dir, NOW, cases=2)
    wires = [wire_event(r) for r in phone.store.db.query("SELECT * FROM events ORDER BY seq")]
    forged = [dict(w, actor="王五") for w in wires if w["type"] == "case.registered"]  # device still trial-…
    token = phonebook.PhoneBook(phone.store).credentials()["token"]
    answer = httpx.post(office.url + "/api/v1/events", json={"events": wires + forged},
                        headers={"Authorization": f"Bearer {token}"})
    results = answer.json()["results"]
    assert results and {r["status"] for r in results} == {p.REJECTED}
    assert {r["reason"] for r in results} == {p.REASON_TRIAL}
    assert office_counts(office)[0] == 0

    # and through its sync client: refused before any byte moves
    before = office_counts(office)
    result = phone.sync()
    assert result.stopped == "trial_data"
    assert office_counts(office) == before


def test_an_older_folder_with_demo_events_is_cleared_and_keeps_its_own(office, make_phone, rules):
    phone = make_phone("old")
    settings = ensure_settings(phone.store)
    phone.who = settings.actor
    mine = phone.new_case("C1")
    fill_demo(phone.store, phone.photo_dir, NOW, cases=3)
    # an older version's ids
    phone.store.db.execute("UPDATE events SET device = replace(device, 'trial-phone', 'demo-phone'), "
                           "actor = replace(actor, 'trial-inspector', 'demo-inspector')")
    phone.store.db.conn.commit()
    phone.store.rebuild_projections()
    assert holds_trial_data(phone.store)
    with pytest.raises(SyncError):
        enrol_phone(phone.store, office.url, code_for(office, "张三"), retry=FAST_RETRY)
    photos_before = {f.name for f in phone.photo_dir.rglob("*.jpg")}

    gone = discard_trial_events(phone.store, phone.photo_dir)
    assert gone > 0 and not holds_trial_data(phone.store)
    assert [r[0] for r in phone.store.db.execute("SELECT case_id FROM cases")] == [mine]
    own_photos = {r[0] for r in phone.store.db.execute("SELECT sha256 FROM photos")}
    left = {f.name for f in phone.photo_dir.rglob("*.jpg")}
    assert left < photos_before and all(any(sha in name for name in left) for sha in own_photos)

    info, settings = enrol_phone(phone.store, office.url, code_for(office, "张三"), retry=FAST_RETRY)
    phone.device_id, phone.who = info["device_id"], settings.actor
    result = phone.sync()
    assert result.ok and result.pending_events == 0, result.errors
    with office.store() as store:
        assert [r[0] for r in store.db.execute("SELECT case_id FROM cases")] == [mine]


def test_trial_ids():
    assert p.is_trial_id("trial-phone-1") and p.is_trial_id("demo-phone-2") and p.is_trial_id("demo-inspector-3")
    assert not p.is_trial_id("inspector-0123abcd") and not p.is_trial_id("张三") and not p.is_trial_id(None)
    assert dataclasses.is_dataclass(Names)
