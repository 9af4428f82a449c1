"""Device roles at the office: an inspector's phone and a community's phone (社区书记, 网格员).

A community device may write only reports of rectification (case.reported), requests for
exemption (case.exemption_requested, exemptible sources only) and the after / exemption
photos that go with them, for open cases of its own communities; everything else is refused
per event, with a reason, and stores nothing. Real office (uvicorn), real SQLite files, real
photos; the forgeries are sent as a phone's client never would (raw HTTP, an outbox file).
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta

import pytest
from sync_kit import FAST_RETRY, Phone, api, token_of, wires_of

from fieldapp.casework import Casework
from fieldapp.cli import main
from fieldapp.domain import commands as cmd
from fieldapp.domain.events import (
    COMMUNITY,
    INSPECTOR,
    CaseRegistered,
    ExemptionRequested,
    PhotoAdded,
    RectificationReported,
    new_event,
)
from fieldapp.durable import write_file
from fieldapp.photos import photo_path
from fieldapp.ui.strings import SYNC_REJECTIONS
from sync import auth, phonebook, storage
from sync import protocol as p
from sync.client import enrol
from sync.outbox import export_outbox
from sync.phonebook import PhoneBook
from tests.conftest import PHOTOS

CAMERA_PHOTO = PHOTOS / "01_gps_apple__Apple_iPhone_4.jpg"
AFTER_PHOTO = PHOTOS / "13_no-exif__img_1771_no_exif.jpg"
PERSON = "李四"  # community staff: the actor on the community phone's events


def enrol_as(phone: Phone, office, person: str, communities, role: str) -> Phone:
    with office.store() as store:
        code, _ = auth.create_code(store, person, list(communities), role=role)
    info = enrol(phone.store, office.url, code, label=phone.name, retry=FAST_RETRY)
    assert info["role"] == role
    phone.who = cmd.Actor(info["inspector"], info["device_id"])
    phone.device_id = info["device_id"]
    return phone


def casework(phone: Phone) -> Casework:
    return Casework(phone.store, phone.photo_dir, phone.who, lambda: phone.tick())


def push(office, phone: Phone, events) -> list[dict]:
    with api(office, token_of(phone)) as http:
        return http.post("/events", json={"events": [e if isinstance(e, dict) else e.to_dict() for e in events]}
                         ).json()["results"]


def upload(office, phone: Phone, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    with api(office, token_of(phone)) as http:
        assert http.put(f"/blobs/{sha}", content=data).status_code == 201
    return sha


def office_state(office) -> dict:
    """Everything a refused event could have changed at the office."""
    with office.store() as store:
        def rows(sql):
            return [tuple(r) for r in store.db.execute(sql).fetchall()]
        return {
            "events": rows("SELECT seq, id, content_hash FROM events ORDER BY seq"),
            "cases": rows("SELECT * FROM cases ORDER BY case_id"),
            "photos": rows("SELECT * FROM photos ORDER BY sha256, case_id"),
            "origin": rows("SELECT * FROM sync_origin ORDER BY seq"),
            "named": rows("SELECT * FROM sync_recheck_photos ORDER BY sha256"),
        }


@pytest.fixture
def inspector(make_phone, office):
    return enrol_as(make_phone("inspector"), office, "inspector-a", ("C1", "C3"), INSPECTOR)


@pytest.fixture
def community(make_phone, office):
    return enrol_as(make_phone("community"), office, PERSON, ("C1",), COMMUNITY)


@pytest.fixture
def shared_case(inspector):
    """The inspector registers a C1 case with a camera photo (the real intake) and syncs."""
    saved = casework(inspector).register(community="C1", category="Z1", photos=[CAMERA_PHOTO.read_bytes()],
                                         place="东门")
    assert inspector.sync().ok
    return saved.case_id, inspector.store.case(saved.case_id).before_photos[0]


# --- the loop: inspector → office → community → office → inspector ---------------------------------


def test_a_community_phone_sees_the_case_reports_it_rectified_and_the_inspector_gets_the_report(
        office, inspector, community, shared_case):
    case_id, before = shared_case
    assert phonebook.role(community.store) == COMMUNITY and phonebook.role(inspector.store) == INSPECTOR
    assert PhoneBook(community.store).credentials()["role"] == COMMUNITY

    pulled = community.sync()
    assert pulled.ok, pulled
    assert community.store.case(case_id).community == "C1"
    assert pulled.photos_downloaded == 1  # the before photo: GET /blobs lets a community device have it
    assert photo_path(community.photo_dir, before).read_bytes() == photo_path(inspector.photo_dir, before).read_bytes()

    saved = casework(community).report_rectified(case_id, photos=[AFTER_PHOTO.read_bytes()], note="已清理干净")
    assert [e.type for e in saved.events] == ["photo.added", "case.reported"]
    after = saved.events[0].data.sha256
    assert saved.events[0].data.stage == "after" and saved.events[1].data.photos == (after,)
    result = community.sync()
    assert result.ok and result.pushed == 2 and not result.errors, result

    with office.store() as store:
        assert all(store.has_event(e.id) for e in saved.events)
        assert store.db.execute("SELECT stage FROM photos WHERE sha256 = ?", [after]).fetchone()[0] == "after"
        assert store.db.execute("SELECT lifecycle FROM cases WHERE case_id = ?", [case_id]).fetchone()[0] == "open"

    back = inspector.sync()
    assert back.ok and back.pulled == 2 and back.photos_downloaded == 1, back
    assert {e.id for e in inspector.store.case_events(case_id)} >= {e.id for e in saved.events}
    assert photo_path(inspector.photo_dir, after).read_bytes() == photo_path(community.photo_dir, after).read_bytes()


def test_a_community_phone_may_ask_for_exemption_of_an_a_case(office, inspector, community):
    registered = cmd.register_case(inspector.rules, inspector.who, inspector.tick(), community="C1", category="Z1",
                                   source="A", place="北门")
    inspector.store.append([registered])
    assert inspector.sync().ok
    assert community.sync().ok
    state = community.store.case(registered.case_id)
    saved = casework(community).request_exemption(registered.case_id, reason="道路施工，暂时无法清理",
                                                  photos=[AFTER_PHOTO.read_bytes()])
    assert [e.type for e in saved.events] == ["photo.added", "case.exemption_requested"]
    assert saved.events[0].data.stage == "exemption" and state.source == "A"
    result = community.sync()
    assert result.ok and result.pushed == 2, result
    with office.store() as store:
        assert all(store.has_event(e.id) for e in saved.events)


# --- forgeries from a community device ------------------------------------------------------------


@pytest.fixture
def cases(office, inspector, community, shared_case):
    """Open, rectified and voided C1 cases and an open C3 case, all known to the community phone."""
    open_case, _ = shared_case
    rectified, voided = inspector.new_case("C1"), inspector.new_case("C1")
    inspector.recheck(rectified, rectified=True)
    void = cmd.void(inspector.store.case(voided), inspector.who, inspector.tick(), reason="登记错了")
    inspector.store.append([void])
    other = inspector.new_case("C3")
    assert inspector.sync().ok
    assert community.sync().ok
    with office.store() as store:
        lifecycles = dict(store.db.execute("SELECT case_id, lifecycle FROM cases").fetchall())
    assert [lifecycles[c] for c in (open_case, rectified, voided, other)] == ["open", "rectified", "voided", "open"]
    return {"open": open_case, "rectified": rectified, "voided": voided, "C3": other}


def test_forged_events_from_a_community_phone_are_refused_one_by_one_and_store_nothing(
        office, inspector, community, cases):
    who, now, rules = community.who, community.tick(), community.rules
    after = upload(office, community, community.photo_bytes())  # on the office: a refusal is no missing_blob
    state = inspector.store.case(cases["open"])

    def report(case_id, actor=who):
        return new_event(RectificationReported(case_id, now, "整改好了", (after,)), actor=actor.actor,
                         device=actor.device, now=now)

    def photo(case_id, stage):
        return who.event(PhotoAdded(case_id, after, after, stage, 1600, 1200, 40_000, None, None), now)

    forged = {
        "recheck": (cmd.recheck(state, who, now, rectified=True, photos=(after,)), p.REASON_ROLE),
        "void": (cmd.void(state, who, now, reason="不想整改"), p.REASON_ROLE),
        "register": (cmd.register_case(rules, who, now, community="C1", category="Z1", place="西门"), p.REASON_ROLE),
        "survey": (cmd.answer_survey(rules, who, now, community="C1", answer="满意"), p.REASON_ROLE),
        "deadline": (cmd.change_deadline(state, rules, who, now, deadline=state.deadline + timedelta(days=9),
                                         reason="延期"), p.REASON_ROLE),
        "other community": (report(cases["C3"]), p.REASON_COMMUNITY),
        "rectified case": (report(cases["rectified"]), p.REASON_CLOSED),
        "voided case": (report(cases["voided"]), p.REASON_CLOSED),
        "before photo": (photo(cases["open"], "before"), p.REASON_ROLE),
        "exemption of a D case": (who.event(ExemptionRequested(cases["open"], "无法整改", ()), now),
                                  p.REASON_NOT_EXEMPTIBLE),
        "another actor": (report(cases["open"], inspector.who), p.REASON_ACTOR),
        "unknown case": (report("0b6c0d33-4a57-4e55-9d43-6a6e3c1f6b21"), p.REASON_UNKNOWN_CASE),
        "report without a photo": (new_event(RectificationReported(cases["open"], now, "整改好了", ()),
                                             actor=who.actor, device=who.device, now=now), p.REASON_INVALID),
    }
    assert forged["register"][0].data.__class__ is CaseRegistered
    legit = [photo(cases["open"], "after"), report(cases["open"])]
    before = office_state(office)

    results = push(office, community, [event for event, _ in forged.values()])

    assert [(r["status"], r.get("reason")) for r in results] == [(p.REJECTED, reason) for _, reason in forged.values()]
    assert all(r["detail"] and r["reason"] in SYNC_REJECTIONS for r in results)
    assert office_state(office) == before
    with office.store() as store:
        rejected = dict(store.db.execute("SELECT event_id, reason FROM sync_rejections WHERE device_id = ?",
                                         [community.device_id]).fetchall())
    assert rejected == {event.id: reason for event, reason in forged.values()}

    # Refused per event, not per batch: the same forgeries around a true report, which goes in alone.
    mixed = [forged["recheck"][0], *legit, forged["voided case"][0]]
    results = push(office, community, mixed)
    assert [r["status"] for r in results] == [p.REJECTED, p.ACCEPTED, p.ACCEPTED, p.REJECTED]
    after_state = office_state(office)
    assert [e[1] for e in after_state["events"][len(before["events"]):]] == [e.id for e in legit]


def test_an_inspector_phone_may_not_report_for_the_community(office, inspector, community, cases):
    sha = upload(office, inspector, inspector.photo_bytes())
    now = inspector.tick()
    report = inspector.who.event(RectificationReported(cases["open"], now, "", (sha,)), now)
    request = inspector.who.event(ExemptionRequested(cases["open"], "无法整改", ()), now)
    before = office_state(office)
    results = push(office, inspector, [report, request])
    assert [(r["status"], r["reason"]) for r in results] == [(p.REJECTED, p.REASON_ROLE)] * 2
    assert "inspector devices may not write case.reported" in results[0]["detail"]
    assert office_state(office) == before


def test_a_forgery_on_the_phone_is_refused_by_a_sync_and_shown_as_waiting(office, inspector, community, cases):
    state = community.store.case(cases["open"])
    forged = cmd.void(state, community.who, community.tick(), reason="作废")
    community.store.append([forged])
    before = office_state(office)
    result = community.sync()
    assert [(e.code, e.detail.split(":")[0]) for e in result.errors] == [("event_rejected", p.REASON_ROLE)]
    assert office_state(office) == before and result.pending_events == 1


def test_an_outbox_file_from_a_community_phone_goes_through_the_same_checks(
        capsys, office, inspector, community, cases, tmp_path):
    """fieldapp office import-phone takes the file as a push: forgeries refused, the report taken."""
    saved = casework(community).report_rectified(cases["open"], photos=[AFTER_PHOTO.read_bytes()])
    forged = [cmd.recheck(community.store.case(cases["open"]), community.who, community.tick(), rectified=True,
                          photos=(saved.events[0].data.sha256,)),
              cmd.report_rectified(inspector.store.case(cases["C3"]), community.who, community.tick(),
                                   photos=(saved.events[0].data.sha256,))]
    community.store.append(forged)
    data, exported = export_outbox(community.store, community.photo_dir)
    assert exported.events == 4
    path = tmp_path / "usb" / "outbox.zip"
    path.parent.mkdir()
    write_file(path, data)
    before = office_state(office)

    code = main(["office", "import-phone", str(path), "--data-dir", str(office.data_dir)])
    out = capsys.readouterr().out

    assert code == 0, out
    after = office_state(office)
    assert [e[1] for e in after["events"][len(before["events"]):]] == [e.id for e in saved.events]
    with office.store() as store:
        rejected = dict(store.db.execute("SELECT event_id, reason FROM sync_rejections").fetchall())
    assert rejected == {forged[0].id: p.REASON_ROLE, forged[1].id: p.REASON_COMMUNITY}


def test_a_community_phone_pulls_only_its_communities_and_gets_only_their_photos(
        office, inspector, community, cases):
    with api(office, token_of(community)) as http:
        page = http.get("/events", params={"since": 0}).json()
        c3_photo = next(e["payload"]["sha256"] for e in wires_of(inspector, cases["C3"]) if e["type"] == "photo.added")
        c1_photo = next(e["payload"]["sha256"] for e in wires_of(inspector, cases["open"]) if e["type"] == "photo.added")
        assert http.get(f"/blobs/{c1_photo}").status_code == 200
        assert http.get(f"/blobs/{c3_photo}").status_code == 404
    assert {e["payload"]["case_id"] for e in page["events"]} == {cases[k] for k in ("open", "rectified", "voided")}


def test_a_community_phone_never_gets_the_residents_questionnaires_of_its_community(
        office, inspector, community, cases):
    """The questionnaires assess the community: each resident's answer stays with the inspectors."""
    casework(inspector).answer_survey("C1", "不满意", "楼道垃圾没人管")
    assert inspector.sync().ok
    with office.store() as store:  # at the office, about C1: what the filter must hold back
        assert store.db.execute("SELECT count(*) FROM events WHERE type = 'survey.answered' "
                                "AND json_extract(payload, '$.community') = 'C1'").fetchone()[0] == 1
    with api(office, token_of(community)) as http:
        types = {e["type"] for e in http.get("/events", params={"since": 0}).json()["events"]}
    assert "survey.answered" not in types and "case.registered" in types


# --- the command line and the office database -------------------------------------------------------


def run(capsys, *argv) -> tuple[int, str]:
    code = main([str(a) for a in argv])
    return code, capsys.readouterr().out


def test_enrol_a_community_phone_from_the_command_line_and_list_its_role(capsys, tmp_path, rules, office):
    office_dir = office.data_dir
    code, out = run(capsys, "office", "enrol", PERSON, "--role", "community", "--communities", "C1",
                    "--data-dir", office_dir)
    assert code == 0 and "as community" in out, out
    enrol_code = re.search(r"([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})", out).group(1)
    code, out = run(capsys, "office", "enrol", "inspector-9", "--communities", "C1", "--data-dir", office_dir)
    assert code == 0 and "as inspector" in out  # the default role

    phone_dir = tmp_path / "phone"
    code, out = run(capsys, "sync", "enrol", "--server", office.url, "--code", enrol_code, "--data-dir", phone_dir)
    assert code == 0 and PERSON in out and "role community" in out, out
    code, out = run(capsys, "sync", "status", "--data-dir", phone_dir)
    assert "role: community" in out
    phone = Phone(phone_dir, rules, "cli-phone")
    try:
        assert phonebook.role(phone.store) == COMMUNITY
        device_id = PhoneBook(phone.store).credentials()["device_id"]
    finally:
        phone.close()

    code, out = run(capsys, "office", "devices", "--data-dir", office_dir)
    [line] = [line for line in out.splitlines() if device_id in line]
    assert code == 0 and PERSON in line and " community " in line
    code, out = run(capsys, "office", "devices", "--json", "--data-dir", office_dir)
    [listed] = [json.loads(line) for line in out.splitlines()]
    assert listed["device_id"] == device_id and listed["role"] == COMMUNITY and listed["inspector"] == PERSON


def test_a_bogus_role_or_a_second_role_for_a_person_is_refused(capsys, office):
    with office.store() as store:
        codes = store.db.execute("SELECT count(*) FROM sync_enrol_codes").fetchone()[0]
    code, out = run(capsys, "office", "enrol", PERSON, "--role", "bogus", "--communities", "C1",
                    "--data-dir", office.data_dir)
    assert code == 2 and "unknown role 'bogus'" in out and "inspector, community" in out
    assert run(capsys, "office", "enrol", PERSON, "--role", "community", "--communities", "C1",
               "--data-dir", office.data_dir)[0] == 0
    code, out = run(capsys, "office", "enrol", PERSON, "--communities", "C1", "--data-dir", office.data_dir)
    assert code == 2 and "enrolled as community" in out
    with office.store() as store:
        assert store.db.execute("SELECT count(*) FROM sync_enrol_codes").fetchone()[0] == codes + 1
        with pytest.raises(ValueError, match="unknown role"):
            auth.create_code(store, "x", ["C1"], role="office")  # the office is no phone


def test_an_office_database_from_before_roles_keeps_its_phones_as_inspectors(office, inspector, shared_case):
    case_id, _ = shared_case
    office.stop()
    with office.store() as store, store.db.conn:  # as the office was before roles: no columns, no trigger
        db = store.db
        db.execute("DROP TRIGGER sync_report_photos_named")
        db.execute("ALTER TABLE sync_devices DROP COLUMN role")
        db.execute("ALTER TABLE sync_enrol_codes DROP COLUMN role")
        db.execute("DELETE FROM _sqlite_migrations WHERE name IN ('m006_device_roles', 'm007_report_photos')")
    with storage.open_office(office.data_dir, office.rules) as store:
        [device] = auth.devices(store)
        assert device.role == INSPECTOR
    office.start()
    inspector.recheck(case_id, rectified=False)
    assert inspector.sync().ok  # still writes what inspectors write
