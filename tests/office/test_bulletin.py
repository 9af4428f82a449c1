"""The 通报 pack and the case lists (issue 11), on a scored demo year: the sample office where the
community's loop has run (loop_office.py), its recurrence confirmed.

- `fieldapp office bulletin` run as the command line: every PDF read back with poppler's
  ``pdftotext``: every deduction and bonus of ``office score --json`` is in its community's
  PDF with its case reference; the pages are numbered 第 N 页，共 M 页 and M is the file's page
  count; the readings are at the end; page 1 of each rendered with ``pdftoppm`` into
  /tmp/fieldapp-bulletin/ to be looked at. A monthly one; volumes; the dashboard's download.
- `fieldapp office export cases` as xlsx / CSV / GeoJSON, read back (openpyxl, csv, geojson)
  and compared with the store's case list and ``office score --json``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import geojson
import pytest
from openpyxl import load_workbook

from fieldapp.cli import main
from fieldapp.domain import commands as cmd
from fieldapp.office import bulletin as bl
from fieldapp.office.dashboard.sample import SAMPLE_NOW
from fieldapp.office.report import READINGS, rule_text
from fieldapp.office import words as S
from loop_office import INSPECTOR_NAME, fill_loop_office
from sync.storage import office_photo_dir, open_office

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (scripts/test installs it)")
SHOTS = Path("/tmp/fieldapp-bulletin")
NOW = SAMPLE_NOW.isoformat()  # 1 June 2022 09:00 Beijing


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    from fieldapp.rules import load_rules

    rules = load_rules(2022)
    path = tmp_path_factory.mktemp("bulletin") / "office"
    loop = fill_loop_office(path, rules)
    with open_office(path, rules) as store:  # the sample's proposed recurrence, confirmed by the office
        new, earlier = store.case(loop.sample.recurrence_new), store.case(loop.sample.recurrence_earlier)
        store.append([cmd.link_recurrence("confirmed", new.case_id, earlier.case_id, cmd.Actor("office:li", "office"),
                                          SAMPLE_NOW, new=new, earlier=earlier, check=True)],
                     assign_server_seq=True)  # fmt: skip
    return path, loop, rules


def cli(capsys, monkeypatch, *argv) -> tuple[int, str]:
    monkeypatch.setenv("FIELDAPP_NOW", NOW)
    code = main(["office", *argv])
    return code, capsys.readouterr().out


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def check_numbered(path: Path, text: str) -> int:
    """Every page says 第 N 页，共 M 页, N = 1…M, and M is the file's page count."""
    n = pages(path)
    assert re.findall(r"第 (\d+) 页，共 (\d+) 页", text) == [(str(i), str(n)) for i in range(1, n + 1)]
    return n


def render_first_page(path: Path, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "70", "-f", "1", "-l", "1", "-png", "-singlefile", str(path),
                    str(SHOTS / name)], check=True)  # fmt: skip
    return SHOTS / f"{name}.png"


def test_the_year_bulletin_has_every_line_item_with_its_case_and_is_paged(office, capsys, monkeypatch, tmp_path):
    path, loop, rules = office
    data = ["--data-dir", str(path)]
    code, out = cli(capsys, monkeypatch, "score", "--as-of", "2022-06-01", "--json", *data)
    assert code == 0
    scored = json.loads(out)
    code, out = cli(capsys, monkeypatch, "bulletin", "--year", "2022", "--as-of", "2022-06-01",
                    "--out", str(tmp_path / "pack"), *data)  # fmt: skip
    assert code == 0, out
    files = sorted((tmp_path / "pack").iterdir())
    names = {c["name"] for c in scored["ranking"]}
    assert {f.name for f in files} == {"通报-2022年度.pdf"} | {f"通报-2022年度-{n}.pdf" for n in names}
    assert not list((tmp_path / "pack").glob(".*"))  # no temp file left behind

    main_pdf = tmp_path / "pack" / "通报-2022年度.pdf"
    text = pdf_text(main_pdf)
    assert check_numbered(main_pdf, text) == 3  # ranking and components; the chart; fund and readings
    body = flat(text)
    assert flat(S.BULLETIN_TITLE_YEAR.format(year=2022)) in body and "环北办事处" in body
    for c in scored["ranking"]:
        assert flat(f"{c['rank']} {c['name']}") in body and c["final"] in body
    for legend in S.BULLETIN_CHART_LEGEND:
        assert legend in body
    assert flat(READINGS[-1]) in body and body.rstrip().endswith(flat("环北办事处 2022年6月1日 第 3 页，共 3 页"))
    render_first_page(main_pdf, "main")

    for c in scored["ranking"]:
        pdf = tmp_path / "pack" / f"通报-2022年度-{c['name']}.pdf"
        text = pdf_text(pdf)
        check_numbered(pdf, text)
        body = flat(text)
        assert flat(S.BULLETIN_RANK_LINE.format(rank=c["rank"], tied=S.REPORT_TIED_MARK if c["tied"] else "",
                                                final=c["final"])) in body  # fmt: skip
        for item in c["deductions"]:  # every deduction with its points, rule and case reference
            ref = S.REPORT_CASE_REF.format(id=item["case_id"][:8])
            line = [ln for ln in text.splitlines() if ref in ln and f"{item['points']} 分" in ln]
            assert line, (c["name"], item)
        for item in c["bonuses"]:
            assert flat(S.REPORT_EVENT_REF.format(id=item["event_id"][:8])) in body and flat(item["label"]) in body
        assert body.count(flat(S.BULLETIN_POINTS.format(points=""))) >= len(c["deductions"]) + len(c["bonuses"])
        assert flat(READINGS[0]) in body
        render_first_page(pdf, f"community-{c['community']}")

    # the evidence: the loop's facts in C1's file; C2's confirmed recurrence with both cases' photos
    c1 = flat(pdf_text(tmp_path / "pack" / "通报-2022年度-第一社区.pdf"))
    assert flat(S.BULLETIN_PHOTO_BEFORE) in c1 and flat(S.STATUS_NOT_RECTIFIED) in c1
    assert INSPECTOR_NAME in c1  # 登记人 by the enrolled name
    c2_json = next(c for c in scored["ranking"] if c["community"] == "C2")
    [rec] = [d for d in c2_json["deductions"] if d["rule"] == "recurrence"]
    c2 = flat(pdf_text(tmp_path / "pack" / "通报-2022年度-第二社区.pdf"))
    assert flat(rule_text_of(rec, rules)) in c2
    assert flat(S.BULLETIN_RECURRENCE.split("：")[0]) + "：" in c2 and S.REPORT_CASE_REF.format(
        id=rec["earlier"][0][:8]).replace(" ", "") in c2
    assert flat(S.BULLETIN_PHOTO_EARLIER_BEFORE) in c2


def rule_text_of(item: dict, rules) -> str:
    from fieldapp.domain import scoring as sc

    return rule_text(sc.LineItem("", item["kind"], item["rule"], 0, "", item["reason"]), rules)


def test_a_monthly_bulletin_has_the_month_scores_and_cases(office, capsys, monkeypatch, tmp_path):
    path, loop, rules = office
    code, out = cli(capsys, monkeypatch, "bulletin", "--month", "2022-04", "--out", str(tmp_path / "m"),
                    "--data-dir", str(path))  # fmt: skip
    assert code == 0, out
    main_text = flat(pdf_text(tmp_path / "m" / "通报-2022年4月.pdf"))
    assert flat(S.BULLETIN_TITLE_MONTH.format(year=2022, month=4)) in main_text
    assert flat(S.BULLETIN_SECTION_MONTH) in main_text and flat(S.BULLETIN_MONTH_HEAD[1]) in main_text
    assert flat(S.BULLETIN_EVALUATED_MONTH.format(day="2022年4月30日")) in main_text
    with open_office(path, rules) as store:
        april = bl.month_cases(store, rules, bl.bulletin_period(rules, month="2022-04"))
        scores = bl.month_scores(store, bl.bulletin_period(rules, month="2022-04"))
    assert april and all(m.found.month == 4 for m in april)
    assert set(scores) == {"C1", "C2", "C3", "C4"}
    for code_, score in scores.items():
        assert f"{score:.2f}" in main_text
    for m in april:
        name = next(c.name for c in rules.communities if c.code == m.community)
        assert flat(S.REPORT_CASE_REF.format(id=m.case_id[:8])) in flat(pdf_text(tmp_path / "m" / f"通报-2022年4月-{name}.pdf"))
    # bad input: a month of another year, or both --month and --as-of; nothing written
    assert cli(capsys, monkeypatch, "bulletin", "--month", "2021-04", "--out", str(tmp_path / "x"),
               "--data-dir", str(path))[0] == 2  # fmt: skip
    assert cli(capsys, monkeypatch, "bulletin", "--month", "2022-04", "--as-of", "2022-05-01", "--out",
               str(tmp_path / "x"), "--data-dir", str(path))[0] == 2  # fmt: skip
    assert not (tmp_path / "x").exists()


def test_a_large_community_comes_in_volumes_each_a_whole_document(office, tmp_path):
    path, _loop, rules = office
    period = bl.bulletin_period(rules, as_of=date(2022, 6, 1))
    written: dict[str, bytes] = {}
    with open_office(path, rules) as store:
        result = bl.sc.score_year(rules, store.events(), period.at)
        names = bl.write_pack(store, rules, period, office_photo_dir(path), written.__setitem__,
                              today=date(2022, 6, 1), result=result, per_file=2)  # fmt: skip
    c2 = result.community("C2")
    volumes = [n for n in names if "第二社区" in n]
    assert len(volumes) == bl.volumes(c2, 2) > 1 and volumes[0].endswith("-第1册.pdf")
    seen = ""
    for i, name in enumerate(volumes, start=1):
        (tmp_path / name).write_bytes(written[name])
        text = pdf_text(tmp_path / name)
        check_numbered(tmp_path / name, text)
        assert flat(S.BULLETIN_VOLUME.format(n=i, of=len(volumes))) in flat(text)
        seen += flat(text)
    for item in c2.deductions:
        assert flat(S.REPORT_CASE_REF.format(id=item.case_id[:8])) in seen


def test_the_ranking_screen_downloads_the_pack_and_the_cases_screen_the_list(office):
    from fastapi.testclient import TestClient

    from fieldapp.office import users
    from fieldapp.office.dashboard.server import create_office_app

    path, _loop, rules = office
    with open_office(path, rules) as store:
        users.ensure_schema(store)
        if users.get_user(store, "zhao") is None:
            users.add_user(store, "zhao", users.VIEWER, "zhao-password")
    app = create_office_app(path, rules, clock=lambda: SAMPLE_NOW)
    with TestClient(app) as client:
        desk = app.state.dashboard
        assert client.get("/bulletins/2022.zip").status_code == 403
        token = client.portal.call(_login, desk)
        assert client.get(f"/bulletins/2022.zip?ticket={desk.ticket(token, 'report')}").status_code == 403
        got = client.get(f"/bulletins/2022.zip?which=live&ticket={desk.ticket(token, 'bulletin')}")
        assert got.status_code == 200 and got.headers["content-type"] == "application/zip"
        with zipfile.ZipFile(io.BytesIO(got.content)) as zf:
            assert sorted(zf.namelist())[0] == "通报-2022年度-第一社区.pdf" and len(zf.namelist()) == 5
            assert all(zf.read(n).startswith(b"%PDF-") for n in zf.namelist())
        month = client.get(f"/bulletins/2022.zip?month=2022-05&ticket={desk.ticket(token, 'bulletin')}")
        assert month.status_code == 200 and "2022%E5%B9%B45%E6%9C%88" in month.headers["content-disposition"]
        assert client.get(f"/bulletins/2022.zip?month=2021-05&ticket={desk.ticket(token, 'bulletin')}"
                          ).status_code == 404  # fmt: skip
        csv_got = client.get(f"/exports/cases.csv?community=C1&status=open_all&ticket={desk.ticket(token, 'export')}")
        assert csv_got.status_code == 200 and csv_got.content.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(csv_got.content.decode("utf-8-sig"))))
        assert rows[0] == list(S.EXPORT_HEAD) and {r[2] for r in rows[1:]} == {"第一社区"}
        assert client.get(f"/exports/cases.pdf?ticket={desk.ticket(token, 'export')}").status_code == 404
        assert client.get("/exports/cases.csv?ticket=forged").status_code == 403


async def _login(desk):
    _user, token = await desk.login("zhao", "zhao-password")  # a viewer may look and export
    return token


# --- case lists ---------------------------------------------------------------------------------------


def test_the_case_lists_read_back_and_agree_with_the_store_and_the_score(office, capsys, monkeypatch, tmp_path):
    path, _loop, rules = office
    data = ["--data-dir", str(path)]
    for fmt in ("xlsx", "csv", "geojson"):
        code, out = cli(capsys, monkeypatch, "export", "cases", "--year", "2022", "--format", fmt,
                        "--out", str(tmp_path / f"cases.{fmt}"), *data)  # fmt: skip
        assert code == 0, out
    with open_office(path, rules) as store:
        cases = {r[0]: r for r in store.db.execute(
            "SELECT case_id, community, category, lat, lon, deadline, lifecycle FROM cases")}  # fmt: skip
        overdue = {r.case_id for r in store.open_cases(SAMPLE_NOW, status="overdue", limit=1000)}
    communities = {c.code: c.name for c in rules.communities}
    categories = {c.code: c.name for c in rules.categories}

    raw = (tmp_path / "cases.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: Excel on a Chinese Windows
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == list(S.EXPORT_HEAD)
    by_id = {r["案件 ID"]: r for r in rows}
    assert set(by_id) == set(cases)  # every case of 2022, once
    for case_id, (_id, community, category, lat, lon, deadline, lifecycle) in cases.items():
        r = by_id[case_id]
        assert (r["社区"], r["问题类别"], r["整改期限"]) == (communities[community], categories[category], deadline)
        assert (r["纬度"], r["经度"]) == ((str(lat), str(lon)) if lat is not None else ("", ""))
    assert {i for i, r in by_id.items() if r["状态"] == S.EXPORT_STATUS["overdue"]} == overdue
    assert any(r["整改前照片"].endswith(".jpg") for r in rows) and any(r["整改后照片"] for r in rows)

    ws = load_workbook(tmp_path / "cases.xlsx", read_only=True)[S.EXPORT_SHEET]
    sheet = list(ws.iter_rows(values_only=True))
    assert list(sheet[0]) == list(S.EXPORT_HEAD)
    def plain(row, lat_lon):  # the position to 1e-9 degrees (Excel keeps 15 significant digits)
        return [round(float(v), 9) if i in (7, 8) and v not in (None, "") else ("" if v is None else str(v))
                for i, v in enumerate(row)] if lat_lon else row  # fmt: skip

    assert [plain(row, True) for row in sheet[1:]] == [plain(list(r.values()), True) for r in rows]

    collection = geojson.loads((tmp_path / "cases.geojson").read_text(encoding="utf-8"))
    assert collection.is_valid and collection["type"] == "FeatureCollection"
    features = {f["id"]: f for f in collection["features"]}
    assert set(features) == set(cases)
    for case_id, (_id, community, _cat, lat, lon, _dl, _lc) in cases.items():
        f = features[case_id]
        if lat is None:
            assert f["geometry"] is None
        else:  # WGS-84, [longitude, latitude]
            assert f["geometry"]["type"] == "Point" and f["geometry"]["coordinates"] == pytest.approx([lon, lat], abs=1e-6)  # geojson keeps 6 places
        assert f["properties"]["community"] == communities[community]
        assert f["properties"]["before_photos"] == by_id[case_id]["整改前照片"].split()

    # every case a deduction rests on is in the list, with the community it is scored for
    code, out = cli(capsys, monkeypatch, "score", "--as-of", "2022-06-01", "--json", *data)
    for c in json.loads(out)["ranking"]:
        for item in c["deductions"]:
            assert by_id[item["case_id"]]["社区"] == c["name"]

    # filters: a community and a status, as 案件's chips; bad input refused, nothing written
    code, out = cli(capsys, monkeypatch, "export", "cases", "--community", "C1", "--status", "overdue",
                    "--out", str(tmp_path / "c1.csv"), *data)  # fmt: skip
    assert code == 0
    c1 = list(csv.DictReader(io.StringIO((tmp_path / "c1.csv").read_text(encoding="utf-8-sig"))))
    assert {r["案件 ID"] for r in c1} == {i for i in overdue if cases[i][1] == "C1"} != set()
    assert cli(capsys, monkeypatch, "export", "cases", "--status", "late", "--out", str(tmp_path / "n.csv"),
               *data)[0] == 2  # fmt: skip
    assert cli(capsys, monkeypatch, "export", "cases", "--community", "C9", "--out", str(tmp_path / "n.csv"),
               *data)[0] == 2  # fmt: skip
    assert not (tmp_path / "n.csv").exists()
