"""The scoring's last edges (issue 11), each through the real command line (`fieldapp.cli.main`):

- a case registered after the evaluation date is counted in the ``after_evaluation`` note;
- ``--as-of`` after the year's end is capped: the year-end answer, as without it;
- a recurrence only between cases of one community and category, to an earlier rectified case:
  refused in imports, the dashboard's command, phones' pushes; not counted by scoring (noted);
- a ``.jsonl`` that is not UTF-8 is refused naming the line, in Chinese; JSON errors in Chinese.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from fieldapp.cli import main
from fieldapp.domain import commands as cmd
from fieldapp.domain.events import CaseRegistered, RecurrenceConfirmed, RecurrenceProposed, new_event
from fieldapp.domain.recurrence import NOT_EARLIER, NOT_RECTIFIED, OTHER_CATEGORY, OTHER_COMMUNITY
from fieldapp.office.records import case_id_for
from fieldapp.rules import load_rules
from fieldapp.store import Store
from fieldapp.office import words as S


def run(capsys, *argv) -> tuple[int, str]:
    code = main(["office", *argv])
    out = capsys.readouterr().out
    return code, out


def write_jsonl(path: Path, records) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return path


def case(ref, community="C1", category="Z1", found="2022-03-01", deadline=None, source="C", rectified=None, **kw):
    record = {"record": "external_case", "case": ref, "community": community, "category": category,
              "source": source, "description": f"案件 {ref}", "place": f"{ref} 所在地", "found": found, **kw}
    if deadline:
        record["deadline"] = deadline
    if rectified:
        record["rechecks"] = [{"at": rectified, "outcome": "整改到位"}]
    return record


@pytest.fixture
def office(tmp_path):
    return ["--data-dir", str(tmp_path / "office")]


def score(capsys, office, *extra) -> dict:
    code, out = run(capsys, "score", "--year", "2022", "--json", *office, *extra)
    assert code == 0, out
    return json.loads(out)


def community(result: dict, code: str) -> dict:
    return next(c for c in result["ranking"] if c["community"] == code)


# --- (a) after the evaluation date -------------------------------------------------------------------


def test_a_case_registered_after_the_evaluation_date_is_noted(capsys, office, tmp_path):
    records = [case("2022-C-801", found="2022-08-01", deadline="2022-08-03"),
               case("2022-C-802", found="2022-09-01", deadline="2022-09-03"),
               {"record": "superior_score", "community": "C1", "month": "2022-08", "score": 90}]
    assert run(capsys, "import", str(write_jsonl(tmp_path / "r.jsonl", records)), *office)[0] == 0
    c1 = community(score(capsys, office, "--as-of", "2022-07-01"), "C1")
    later = [n for n in c1["notes"] if n["code"] == "after_evaluation"]
    # one note for the community: the month's score and the two cases found later
    assert [n["detail"] for n in later] == ["3"] and later[0]["text"] == S.REPORT_NOTE_TEXTS["after_evaluation"].format(
        detail="3")
    assert c1["deductions"] == []
    # at the year's end they count and nothing is "after" any more
    c1 = community(score(capsys, office, "--as-of", "2022-12-31"), "C1")
    assert [d["rule"] for d in c1["deductions"]] == ["C.further", "C.further"]
    assert not [n for n in c1["notes"] if n["code"] == "after_evaluation"]


# --- (b) --as-of after the year's end -------------------------------------------------------------


def test_as_of_after_the_year_end_is_the_year_end_result(capsys, office, tmp_path):
    records = [case("2022-C-901", found="2022-12-29", deadline="2023-01-05"),  # pending at the year's end
               case("2022-C-902", found="2022-06-01", deadline="2022-06-05")]  # overdue
    assert run(capsys, "import", str(write_jsonl(tmp_path / "r.jsonl", records)), *office)[0] == 0
    capped = score(capsys, office, "--as-of", "2023-01-31")
    year_end = score(capsys, office, "--as-of", "2022-12-31")
    asked_later = score(capsys, office)  # no --as-of: now, which is after 2022, capped at its end
    assert capped == year_end == asked_later
    assert capped["evaluation_day"] == "2022-12-31"
    c1 = community(capped, "C1")
    assert [d["case_id"] for d in c1["deductions"]] == [case_id_for("2022-C-902")]
    assert [n["case_id"] for n in c1["notes"] if n["code"] == "pending"] == [case_id_for("2022-C-901")]


# --- (c) what may be a recurrence ----------------------------------------------------------------

EARLIER = case("2022-C-001", found="2022-03-01", deadline="2022-03-05", rectified="2022-03-04")
OPEN_EARLIER = case("2022-C-002", found="2022-03-02", deadline="2022-03-09")
OTHER_COMMUNITY_CASE = case("2022-C-003", community="C2", found="2022-05-01", deadline="2022-05-05",
                            rectified="2022-05-02")
OTHER_CATEGORY_CASE = case("2022-C-004", category="L1", found="2022-05-01", deadline="2022-05-05",
                           rectified="2022-05-02")
NEW = case("2022-C-010", found="2022-06-01", deadline="2022-06-05", rectified="2022-06-02")
BEFORE = case("2022-C-000", found="2022-02-01", deadline="2022-02-05", rectified="2022-02-03")


def recurrence(earlier, new="2022-C-010"):
    return {"record": "recurrence", "case": new, "earlier": earlier}


@pytest.mark.parametrize("earlier, fault", [
    ("2022-C-003", OTHER_COMMUNITY),  # another community
    ("2022-C-004", OTHER_CATEGORY),  # another category
    ("2022-C-002", NOT_RECTIFIED),  # still open: the same problem, not a recurrence
])
def test_an_import_refuses_a_recurrence_the_rules_do_not_allow(capsys, office, tmp_path, earlier, fault):
    records = [EARLIER, OPEN_EARLIER, OTHER_COMMUNITY_CASE, OTHER_CATEGORY_CASE, NEW, recurrence(earlier)]
    code, out = run(capsys, "import", str(write_jsonl(tmp_path / "r.jsonl", records)), *office)
    assert code == 1
    assert f"{S.IMPORT_LINE.format(n=6)} {S.RECORD_FIELDS['earlier']}：{S.RECURRENCE_FAULTS[fault]}" in out
    with Store(tmp_path / "office" / "office.db", load_rules(2022)) as store:
        assert store.event_count() == 0  # nothing stored


def test_an_import_refuses_a_recurrence_of_a_later_case_and_takes_a_good_one(capsys, office, tmp_path):
    later = [EARLIER, NEW, BEFORE, {"record": "recurrence", "case": "2022-C-000", "earlier": "2022-C-010"}]
    code, out = run(capsys, "import", str(write_jsonl(tmp_path / "r.jsonl", later)), *office)
    assert code == 1 and S.RECURRENCE_FAULTS[NOT_EARLIER] in out
    # the earlier case rectified by a later line of the same file counts as rectified
    good = [OPEN_EARLIER, NEW, recurrence("2022-C-002"),
            {"record": "case_rechecked", "case": "2022-C-002", "at": "2022-03-08", "outcome": "整改到位"}]
    code, out = run(capsys, "import", str(write_jsonl(tmp_path / "g.jsonl", good)), *office)
    assert code == 0, out
    c1 = community(score(capsys, office, "--as-of", "2022-12-31"), "C1")
    assert [(d["rule"], d["earlier"]) for d in c1["deductions"]] == [("recurrence", [case_id_for("2022-C-002")])]


def test_scoring_does_not_count_an_invalid_confirmed_link_and_says_why(capsys, office, tmp_path):
    """An old log (or a hand-made event) may hold a link the rules do not allow: noted, not −2."""
    records = [EARLIER, OTHER_COMMUNITY_CASE, NEW]
    assert run(capsys, "import", str(write_jsonl(tmp_path / "r.jsonl", records)), *office)[0] == 0
    stamp = datetime(2022, 7, 1, 2, tzinfo=timezone.utc)
    links = [new_event(RecurrenceConfirmed(case_id_for("2022-C-010"), case_id_for(e), ""), actor="office:wang",
                       device="office", now=stamp) for e in ("2022-C-003", "2022-C-001")]
    with Store(tmp_path / "office" / "office.db", load_rules(2022)) as store:
        store.append(links, assign_server_seq=True)
    c1 = community(score(capsys, office, "--as-of", "2022-12-31"), "C1")
    assert [(d["rule"], d["earlier"]) for d in c1["deductions"]] == [("recurrence", [case_id_for("2022-C-001")])]
    invalid = [n for n in c1["notes"] if n["code"] == "recurrence_invalid"]
    assert [n["detail"] for n in invalid] == [f"{case_id_for('2022-C-003')}|{OTHER_COMMUNITY}"]
    assert S.RECURRENCE_FAULTS[OTHER_COMMUNITY] in invalid[0]["text"]


def _state(store, ref):
    return store.case(case_id_for(ref))


def test_the_dashboard_refuses_to_confirm_what_the_rules_do_not_allow(capsys, office, tmp_path):
    from fieldapp.office.dashboard.case_view import recurrence_build

    records = [EARLIER, OPEN_EARLIER, OTHER_COMMUNITY_CASE, OTHER_CATEGORY_CASE, NEW]
    assert run(capsys, "import", str(write_jsonl(tmp_path / "r.jsonl", records)), *office)[0] == 0

    class Desk:
        def stamp(self):
            return datetime(2022, 7, 1, 2, tzinfo=timezone.utc)

    class User:
        actor = "office:wang"

    new = case_id_for("2022-C-010")
    with Store(tmp_path / "office" / "office.db", load_rules(2022)) as store:
        for earlier, fault in (("2022-C-003", OTHER_COMMUNITY), ("2022-C-004", OTHER_CATEGORY),
                               ("2022-C-002", NOT_RECTIFIED)):
            with pytest.raises(cmd.CommandError) as refused:
                recurrence_build(Desk(), "confirmed", new, case_id_for(earlier))(store, User())
            assert refused.value.code == fault and fault in S.ERRORS
        with pytest.raises(cmd.CommandError) as refused:  # the earlier case has not reached the office
            recurrence_build(Desk(), "confirmed", new, "0" * 8 + "-0000-4000-8000-" + "0" * 12)(store, User())
        assert refused.value.code == "recurrence_unknown_earlier"
        # the other way round: the later case cannot be the earlier one
        with pytest.raises(cmd.CommandError) as refused:
            cmd.link_recurrence("confirmed", case_id_for("2022-C-001"), new, cmd.Actor("office:wang", "office"),
                                Desk().stamp(), new=_state(store, "2022-C-001"), earlier=_state(store, "2022-C-010"))
        assert refused.value.code == NOT_EARLIER
        # "not the same problem" is always allowed; a good one is built
        assert recurrence_build(Desk(), "rejected", new, case_id_for("2022-C-003"))(store, User())
        [event] = recurrence_build(Desk(), "confirmed", new, case_id_for("2022-C-001"))(store, User())
        assert isinstance(event.data, RecurrenceConfirmed)


def test_a_phone_proposal_to_another_community_category_or_a_later_case_is_refused(tmp_path):
    from sync import policy
    from sync import protocol as p
    from sync.auth import Device

    rules = load_rules(2022)
    phone = Device("phone-1", "inspector-zhang", ("C1", "C2"), "", "2022-01-01", None, None)  # device id = its events' device
    who = cmd.Actor("inspector-zhang", "phone-1")
    at = datetime(2022, 6, 1, 2, tzinfo=timezone.utc)
    with Store(tmp_path / "office.db", rules) as store:
        def register(community, category, found):
            event = cmd.register_case(rules, who, found, community=community, category=category, place="东门",
                                      deadline=found.date() + timedelta(days=3))
            store.append([event], assign_server_seq=True)
            return event.case_id

        c1_z1 = register("C1", "Z1", at - timedelta(days=30))
        c2_z1 = register("C2", "Z1", at - timedelta(days=20))
        c1_l1 = register("C1", "L1", at - timedelta(days=10))
        # the new case comes in the same batch as its proposals
        new = cmd.register_case(rules, who, at, community="C1", category="Z1", place="东门", deadline=date(2022, 6, 5))
        batch, facts = {}, {}

        def judge(event):
            return policy.judge(event.to_dict(), phone, store, lambda _sha: True, batch, facts)

        assert judge(new).event is not None
        for earlier in (c2_z1, c1_l1):
            verdict = judge(new_event(RecurrenceProposed(new.case_id, earlier, ""), actor=who.actor,
                                      device=who.device, now=at))
            assert verdict.event is None and verdict.result["reason"] == p.REASON_RECURRENCE
            assert verdict.result["reason"] in S.SYNC_REJECTIONS
        later = judge(new_event(RecurrenceProposed(c1_z1, new.case_id, ""), actor=who.actor, device=who.device,
                                now=at))  # an earlier case "repeating" the new one
        assert later.event is None and NOT_EARLIER in later.result["detail"]
        good = judge(new_event(RecurrenceProposed(new.case_id, c1_z1, ""), actor=who.actor, device=who.device, now=at))
        assert good.event is not None and isinstance(new.data, CaseRegistered)


# --- (d) a .jsonl that is not UTF-8 -----------------------------------------------------------------


def test_a_gbk_jsonl_is_refused_naming_the_line_and_saying_save_as_utf8(capsys, office, tmp_path):
    path = tmp_path / "excel.jsonl"
    text = ('{"record":"superior_score","community":"C1","month":"2022-03","score":91}\n'
            '{"record":"bonus","community":"第一社区","code":"M3","date":"2022-05-18","description":"市电视台报道"}\n')
    path.write_bytes(text.encode("gbk"))
    code, out = run(capsys, "import", str(path), *office)
    assert code == 1
    assert f"{S.IMPORT_LINE.format(n=2)} " in out and "UTF-8" in out and S.IMPORT_LOOKS_GBK in out
    assert "codec" not in out and "byte" not in out  # no Python English
    with Store(tmp_path / "office" / "office.db", load_rules(2022)) as store:
        assert store.event_count() == 0
    # the same file saved as UTF-8 (with Excel's BOM) imports
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert run(capsys, "import", str(path), *office)[0] == 0


def test_json_errors_say_which_line_and_why_in_chinese(capsys, office, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"record":"superior_score","community":"C1","month":"2022-03","score":91}\n'
                    "{'record': 'bonus'}\n"
                    '{"record":"superior_score","community":"C1","month":"2022-04","score":91,}\n'
                    '{"record":"superior_score"} {}\n', encoding="utf-8")
    code, out = run(capsys, "import", str(path), *office)
    assert code == 1
    lines = out.splitlines()[1:]
    assert [line.split()[0] for line in lines] == [S.IMPORT_LINE.format(n=n) for n in (2, 3, 4)]
    assert S.IMPORT_JSON_WORDS["Extra data"] in lines[2]
    assert not any(word in out for word in ("Expecting", "delimiter", "property", "Extra data"))
