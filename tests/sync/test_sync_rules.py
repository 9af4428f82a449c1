"""The rules of each year (issue 12 §4): the office makes a new year's rules with the real
command line, serves them, a phone on today's date (2026-12-03) receives them at sync and
registers its case under them, and the office scores that case in 2026.

Real processes and files throughout: `fieldapp office rules …` and `office score` run as
child processes, the office is a real uvicorn server, the phone a real DataService (the
app's data layer) on its own SQLite file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest
from sync_kit import FaultTransport, api

from fieldapp.domain.geo import Position
from fieldapp.domain.rules import RulesError
from fieldapp.rules import RuleBook, rules_dir, store_received
from fieldapp.office import words as S
from fieldapp.ui.context import frozen_clock
from fieldapp.ui.data import DataService, enrol_phone, sync_job
from fieldapp.ui.screens.new_case import default_deadline
from sync import auth
from sync.rulesync import META_RULES_DIGEST
from tests.conftest import PHOTOS
from tests.office_process import ENV, REPO

NOW = "2026-12-03T10:00:00+08:00"
PHOTO = PHOTOS / "13_no-exif__img_1771_no_exif.jpg"


def cli(*args: str) -> tuple[int, str]:
    """`fieldapp ARGS` in its own process, as the office clerk runs it: (exit code, output)."""
    done = subprocess.run([sys.executable, "-m", "fieldapp.cli", *map(str, args)], cwd=REPO, env=ENV,
                          capture_output=True, text=True, timeout=60)
    return done.returncode, done.stdout + done.stderr


def new_2026(office_dir, d_days: int = 5):
    """`office rules new --year 2026 --from 2022`, then the clerk's edit: source D gets `d_days` days."""
    code, out = cli("office", "rules", "new", "--year", "2026", "--from", "2022", "--data-dir", office_dir)
    assert code == 0, out
    path = rules_dir(office_dir) / "2026.toml"
    assert str(path) in out and "2026 年度" in out
    text = path.read_text(encoding="utf-8")
    assert "\nyear = 2026\n" in text and "环北办事处2026年度“整脏治乱”目标考核方案" in text
    d_block = text.index('code = "D"')
    end = text.index("default_rectification_days = 3", d_block)
    text = text[:end] + f"default_rectification_days = {d_days}" + text[end + len("default_rectification_days = 3"):]
    path.write_text(text, encoding="utf-8")
    return path


def test_rules_new_list_check_with_the_real_command_line(tmp_path):
    office_dir = tmp_path / "office"
    path = new_2026(office_dir)
    code, out = cli("office", "rules", "list", "--data-dir", office_dir)
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].startswith("2022\t环北办事处2022年度") and S.CLI_RULES_SHIPPED in lines[0]
    assert lines[1].startswith("2026\t环北办事处2026年度") and S.CLI_RULES_OWN in lines[1] and str(path) in lines[1]
    code, out = cli("office", "rules", "check", path)
    assert code == 0 and "2026 年度规则无误" in out

    # A second copy over the first is refused; the file is left as edited.
    before = path.read_bytes()
    code, out = cli("office", "rules", "new", "--year", "2026", "--from", "2022", "--data-dir", office_dir)
    assert code == 2 and "2026 年度的规则已经有了" in out
    assert path.read_bytes() == before

    # A bad edit: refused by check, list and serve, naming the field.
    path.write_text(before.decode().replace("due_soon_days = 3", 'due_soon_days = "三"'), encoding="utf-8")
    for args in (("office", "rules", "check", path), ("office", "rules", "list", "--data-dir", office_dir),
                 ("office", "serve", "--data-dir", office_dir, "--port", "1")):
        code, out = cli(*args)
        assert code == 2, args
        assert "due_soon_days: expected an integer" in out and "2026.toml" in out, out
    # A file whose year is not its name's is refused too; so is a copy from a year without rules.
    path.write_text(before.decode().replace("year = 2026", "year = 2025"), encoding="utf-8")
    code, out = cli("office", "rules", "check", path)
    assert code == 2 and "year: the file is for 2026 but says year = 2025" in out
    code, out = cli("office", "rules", "new", "--year", "2027", "--from", "2019", "--data-dir", office_dir)
    assert code == 2 and "没有写出 2027 年度的规则" in out and not (rules_dir(office_dir) / "2027.toml").exists()


def test_received_rules_are_checked_before_any_is_kept(tmp_path):
    good = (REPO / "assets" / "rules" / "2022.toml").read_text(encoding="utf-8")
    with pytest.raises(RulesError, match="2027.toml: weights"):
        store_received(tmp_path, {2022: good, 2027: good.replace("year = 2022", "year = 2027")
                                  .replace("superior = 0.4", "superior = 0.5")})
    assert not rules_dir(tmp_path).exists()
    assert store_received(tmp_path, {2022: good}) == [2022]
    assert store_received(tmp_path, {2022: good}) == []  # the same text is not written again


def test_the_office_serves_its_rules_to_enrolled_phones_only(tmp_path, office, phone):
    new_2026(office.data_dir)
    with api(office) as anonymous:
        assert anonymous.get("/rules").json()["error"]["code"] == "token_missing"
    from sync_kit import token_of

    with api(office, token_of(phone)) as client:
        hello = client.get("/hello").json()
        body = client.get("/rules").json()
    assert body["digest"] == hello["rules_digest"] == RuleBook.load(office.data_dir).digest
    assert [r["year"] for r in body["rules"]] == [2022, 2026]
    assert "year = 2026" in body["rules"][1]["text"]


def test_a_phone_on_todays_date_gets_the_years_rules_and_its_case_is_scored_in_that_year(tmp_path, office):
    office_dir = office.data_dir
    phone_dir = tmp_path / "phone"
    data = DataService(phone_dir, RuleBook.load().for_year(2022), frozen_clock(NOW))
    transport = FaultTransport()
    try:
        # Before any sync: no rules for 2026 on this phone — the screens say so, and it works
        # meanwhile with the nearest year's (2022: D cases get 3 days).
        assert data.year == 2026 and not data.year_has_rules
        assert data.rules.year == 2022 and default_deadline(data, date(2026, 12, 3)) == date(2026, 12, 6)

        with office.store() as store:
            code, _ = auth.create_code(store, "inspector-z", ["C1"])
        data.run_here(enrol_phone, office.url, code)
        result = data.run_here(sync_job, data.photo_dir, lambda _p: None, True, transport=transport)
        assert result.ok and result.rules_received == [2022]  # the office has no 2026 rules yet
        assert not data.year_has_rules

        new_2026(office_dir, d_days=5)  # the office writes 2026's rules while serving
        result = data.run_here(sync_job, data.photo_dir, lambda _p: None, True, transport=transport)
        assert result.ok and result.rules_received == [2026], result
        assert (phone_dir / "rules" / "2026.toml").is_file()
        assert data.year_has_rules and data.rules.year == 2026
        assert default_deadline(data, date(2026, 12, 3)) == date(2026, 12, 8)  # the 2026 rules' 5 days
        digest = data.run_here(lambda s: s.get_meta(META_RULES_DIGEST))
        assert digest == RuleBook.load(office_dir).digest

        # Nothing new at the office: the next run does not ask for the rules again.
        asked = len(transport.calls("GET", "/rules"))
        assert data.run_here(sync_job, data.photo_dir, lambda _p: None, True, transport=transport).ok
        assert len(transport.calls("GET", "/rules")) == asked == 2

        # The case: registered today, under 2026's rules (its deadline default).
        saved = data.run_here(lambda s: data.casework(s).register(
            community="C1", category="Z1", photos=[PHOTO.read_bytes()], place="东风路口",
            position=Position(34.7466, 113.6253, 5.0)))
        state = data.run_here(lambda s: s.case(saved.case_id))
        assert state.deadline == date(2026, 12, 8)
        assert data.rules_for(state.found_at).year == 2026
        result = data.run_here(sync_job, data.photo_dir, lambda _p: None, True, transport=transport)
        assert result.ok and result.pushed >= 2
    finally:
        data.close()
        transport.close()

    # The office scores it in 2026 (its further deduction once the deadline passed), not in 2022.
    code, out = cli("office", "score", "--year", "2026", "--as-of", "2026-12-31", "--json", "--data-dir", office_dir)
    assert code == 0, out
    score = json.loads(out)
    assert score["year"] == 2026
    c1 = next(c for c in score["ranking"] if c["community"] == "C1")
    items = [i for i in c1["deductions"] if i["case_id"] == saved.case_id]
    assert items and sum(float(i["points"]) for i in items) == pytest.approx(-0.1), c1["deductions"]
    code, out = cli("office", "score", "--year", "2022", "--as-of", "2022-12-31", "--json", "--data-dir", office_dir)
    c1_2022 = next(c for c in json.loads(out)["ranking"] if c["community"] == "C1")
    assert all(i["case_id"] != saved.case_id for i in c1_2022["deductions"])
    # A year without rules at the office: said plainly, nothing scored.
    code, out = cli("office", "score", "--year", "2027", "--data-dir", office_dir)
    assert code == 2 and "没有 2027 年度的考核规则" in out


def test_a_broken_rules_file_at_the_office_never_reaches_a_phone(tmp_path, office, phone):
    path = rules_dir(office.data_dir) / "2026.toml"
    new_2026(office.data_dir)
    path.write_text(path.read_text(encoding="utf-8").replace("[weights]", "[weights]\nsuperior = 9\n[x]"),
                    encoding="utf-8")
    result = phone.sync(office)
    assert result.ok and result.rules_received == [2022]
    assert not (phone.data_dir / "rules" / "2026.toml").exists()
    assert not [w for w in result.warnings if w.code.startswith("rules_")]
