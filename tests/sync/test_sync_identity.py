"""Identity across enrolment: what a phone wrote before it was enrolled is not lost.

Before enrolment a phone's events carry its local actor id (``inspector-<8 hex>``);
after it, the enrolled inspector id. The office records the local id on the device
as an alias and accepts both from that device — and from no other.
"""

from __future__ import annotations

import pytest
from sync_kit import FAST_RETRY, T0, Phone, office_event_ids

from fieldapp.domain import commands as cmd

from fieldapp.cli import main
from fieldapp.ui.data import default_inspector_id, enrol_phone, ensure_settings
from sync import auth
from sync import protocol as p
from sync.phonebook import PhoneBook


def fresh_phone(make_phone, name: str) -> Phone:
    """A phone as the app leaves it at first start: a device id and a local actor id."""
    phone = make_phone(name)
    phone.who = ensure_settings(phone.store).actor
    return phone


def code_for(office, inspector: str, communities=("C1", "C2")) -> str:
    with office.store() as store:
        return auth.create_code(store, inspector, list(communities))[0]


def enrol_like_the_app(phone: Phone, office, inspector: str, communities=("C1", "C2")):
    info, settings = enrol_phone(phone.store, office.url, code_for(office, inspector, communities),
                                 retry=FAST_RETRY)
    phone.device_id = info["device_id"]
    phone.who = settings.actor  # what the app's Casework uses from now on
    return info, settings


def test_events_from_before_and_after_enrolment_all_arrive(office, office_store, make_phone):
    phone = fresh_phone(make_phone, "zhang")
    local = phone.who.actor
    assert p.is_local_actor(local) and local == default_inspector_id(phone.who.device)
    before = [phone.new_case("C1"), phone.new_case("C2")]

    info, settings = enrol_like_the_app(phone, office, "张三")
    assert info["local_actor"] == local
    assert settings.inspector_id == "张三" and settings.actor.device == phone.who.device
    assert settings.communities == ("C1", "C2") and settings.inspector_name == "张三"
    after = [phone.new_case("C1")]
    phone.recheck(before[0])  # a later event on a case registered under the local id

    result = phone.sync()
    assert result.ok, result.errors
    assert result.pushed == 2 * 3 + 2 and result.pending_events == 0
    assert set(office_event_ids(office_store)) == {r[0] for r in phone.store.db.execute("SELECT id FROM events")}
    actors = {r[0] for r in office_store.db.execute("SELECT DISTINCT actor FROM events")}
    assert actors == {local, "张三"}
    assert {r["case_id"] for r in office_store.db.query("SELECT case_id FROM cases")} == set(before + after)
    assert office_store.db.execute("SELECT count(*) FROM sync_rejections").fetchone()[0] == 0
    device = auth.get_device(office_store, phone.device_id)
    assert device.local_actor == local and device.local_device == phone.who.device
    assert device.actors == {"张三", local}
    assert PhoneBook(phone.store).pending_counts() == (0, 0)


def test_another_devices_local_id_is_refused(office, office_store, make_phone):
    a = fresh_phone(make_phone, "a")
    a_local = a.who.actor
    enrol_like_the_app(a, office, "张三")
    b = fresh_phone(make_phone, "b")
    enrol_like_the_app(b, office, "李四")

    # b writes under a's pre-enrolment id: refused, and nothing stored
    b_inspector = b.who
    b.who = type(b.who)(a_local, b.who.device)
    forged = b.new_case("C1")
    b.who = b_inspector
    result = b.sync()
    assert not result.ok and {e.code for e in result.errors} == {"event_rejected"}
    assert all("actor_mismatch" in e.detail for e in result.errors)
    assert forged not in {r[0] for r in office_store.db.execute("SELECT case_id FROM cases")}
    assert office_event_ids(office_store) == []
    reasons = {r["reason"] for r in office_store.db.query("SELECT reason FROM sync_rejections")}
    assert reasons == {p.REASON_ACTOR}
    held = PhoneBook(b.store).pending_errors()
    assert len(held) == 2 and all("actor_mismatch" in h["detail"] for h in held)


def test_an_alias_is_recorded_only_if_it_cannot_speak_for_someone_else(office, office_store, make_phone, rules):
    a = fresh_phone(make_phone, "a")
    a_local = a.who.actor
    enrol_like_the_app(a, office, "张三")
    a.new_case("C1")
    assert a.sync().ok

    def claim(alias, local_device="phone-x"):
        device, _ = auth.redeem_code(office_store, code_for(office, "王五"), local_actor=alias,
                                     local_device=local_device)
        return device.local_actor

    assert claim(a_local) is None  # another phone's id (other local device)
    assert claim("张三") is None and claim("李四") is None  # a person's name, never
    assert claim("inspector-0000000a", local_device=None) is None  # no device id: no alias
    assert claim("inspector-0000000b") == "inspector-0000000b"
    assert claim("inspector-0000000b", local_device="phone-y") is None  # taken by phone-x
    assert claim("inspector-0000000b") == "inspector-0000000b"  # phone-x again (re-enrolled)
    # the alias of an inspector with a waiting code, and an id already acting at the office
    with pytest.raises(ValueError):
        auth.create_code(office_store, "inspector-0000000b", ["C1"])
    auth.create_code(office_store, "inspector-0000000c", ["C1"])
    assert claim("inspector-0000000c") is None
    # an id some event at the office already carries (here: written at the office itself)
    office_store.append([cmd.register_case(rules, cmd.Actor("inspector-0000000e", "office-pc"), T0,
                                           community="C1", category="Z1", place="x")], assign_server_seq=True)
    assert claim("inspector-0000000e") is None


def test_revoked_before_its_first_sync_then_re_enrolled_loses_nothing(office, office_store, make_phone):
    phone = fresh_phone(make_phone, "p")
    local = phone.who.actor
    early = phone.new_case("C1")
    enrol_like_the_app(phone, office, "张三")
    later = phone.new_case("C2")
    with office.store() as store:
        assert auth.revoke(store, phone.device_id)
    assert phone.sync().stopped == "token_revoked"

    info, settings = enrol_like_the_app(phone, office, "张三")  # a new device, the same phone
    assert info["local_actor"] == local and settings.inspector_id == "张三"
    result = phone.sync()
    assert result.ok and result.pushed == 4
    assert {r[0] for r in office_store.db.execute("SELECT case_id FROM cases")} == {early, later}


def test_settings_follow_an_enrolment_made_elsewhere(office, tmp_path, rules, capsys):
    """`fieldapp sync enrol` (or an app stopped half-way) — the app adopts the identity at start."""
    phone = Phone(tmp_path / "cli-phone", rules, "cli")
    local = ensure_settings(phone.store).inspector_id
    phone.who = ensure_settings(phone.store).actor
    case = phone.new_case("C1")
    code = code_for(office, "inspector-9", ("C1",))
    assert main(["sync", "enrol", "--server", office.url, "--code", code,
                 "--data-dir", str(tmp_path / "cli-phone")]) == 0
    assert "enrolled as inspector-9" in capsys.readouterr().out
    settings = ensure_settings(phone.store)
    assert settings.inspector_id == "inspector-9" and settings.communities == ("C1",)

    # the half-way case: credentials saved, settings not yet adopted
    PhoneBook(phone.store).save_credentials(office.url, "t", "dev-x", "inspector-10", ["C2"])
    assert ensure_settings(phone.store).inspector_id == "inspector-10"
    assert ensure_settings(phone.store).inspector_name == "inspector-9"  # a name once set is kept
    with office.store() as store:
        device = next(d for d in auth.devices(store) if d.inspector == "inspector-9")
    assert device.local_actor == local
    assert case
    phone.close()


def test_what_the_phone_wrote_before_enrolment_stays_mine_on_its_screens(office, tmp_path, rules):
    """我的案件 → 我登记的, and the questionnaire screen's count of today, after enrolment:
    the cases and questionnaires written under the phone's own id before it still count."""
    import asyncio

    from fieldapp.casework import Casework
    from fieldapp.store import Store
    from fieldapp.ui import strings
    from fieldapp.ui.context import AppContext, frozen_clock
    from fieldapp.ui.data import DB_NAME, PHOTO_DIR_NAME
    from fieldapp.ui.startup import prepare_data_dir
    from fieldapp.ui.screens import cases, survey
    from tests.browser.prefill import tiny_photo

    data_dir = tmp_path / "app"
    clock = frozen_clock("2022-06-01T09:00:00+08:00")
    before, _ = prepare_data_dir(data_dir, rules, clock())
    someone_else = cmd.Actor("inspector-0badc0de", "another-phone")  # pulled from the office
    with Store(data_dir / DB_NAME, rules) as store:
        def work(who):
            return Casework(store, data_dir / PHOTO_DIR_NAME, who, clock)

        early = work(before.actor).register(community="C1", category="Z1", photos=[tiny_photo(1)],
                                            place="enrolment eve").case_id
        work(before.actor).answer_survey("C1", "满意")
        work(before.actor).answer_survey("C2", "不满意")
        theirs = work(someone_else).register(community="C1", category="Z2", photos=[tiny_photo(2)],
                                             place="theirs").case_id
        work(someone_else).answer_survey("C1", "满意")

        info, after = enrol_phone(store, office.url, code_for(office, "张三"), retry=FAST_RETRY)
        assert info["local_actor"] == before.inspector_id and after.inspector_id == "张三"
        assert before.inspector_id in after.my_ids and someone_else.actor not in after.my_ids
        later = work(after.actor).register(community="C2", category="Z1", photos=[tiny_photo(3)],
                                           place="enrolled").case_id
        work(after.actor).answer_survey("C1", "满意")

    ctx = AppContext(data_dir=data_dir, clock=clock)
    try:
        screen = cases.build(ctx).data
        asyncio.run(screen._set_filter_mine(True))         # taps 我登记的
        shown = {c.identifier for c in screen.list_view.controls
                 if str(getattr(c, "identifier", "")).startswith("case-")}
        assert shown == {f"case-{early}", f"case-{later}"}
        assert f"case-{theirs}" not in shown
        assert screen.footer_text.value == strings.ALL_SHOWN.format(n=2)

        questionnaires = survey.build(ctx).data
        assert questionnaires.count_text.value == strings.SURVEY_TODAY.format(n=3)
    finally:
        ctx.extras["data"].close()

    # Read afresh from the phone's store (as after a restart), its earlier id is still "mine".
    with Store(data_dir / DB_NAME, rules) as store:
        assert before.inspector_id in ensure_settings(store).my_ids
