"""The 督办通知单: what it lists, the PDF read back with poppler (pdftotext, pdffonts, pdftoppm),
the .xlsx read back with openpyxl, and `fieldapp office notice` run for real."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from fieldapp.office import notice as notices
from fieldapp.office.dashboard.sample import SAMPLE_NOW
from fieldapp.office.letterhead import office_name
from fieldapp.office.notice_pdf import notice_pdf
from fieldapp.office.notice_xlsx import notice_xlsx
from loop_office import FAILED_NOTE, fill_loop_office
from sync.storage import office_photo_dir, open_office

REPO = Path(__file__).resolve().parents[2]
RENDER_DIR = Path("/tmp/fieldapp-notice")  # first pages rendered for a person to look at; never committed
NOW_ENV = "2022-06-01T09:00:00+08:00"


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is missing (scripts/test installs poppler-utils)")
        pytest.skip(f"{tool} is missing: run scripts/test (installs poppler-utils)")
    return path


@pytest.fixture(scope="module")
def loop_office(tmp_path_factory, rules):
    path = tmp_path_factory.mktemp("notice") / "office"
    return path, fill_loop_office(path, rules)


@pytest.fixture(scope="module")
def c1_notice(loop_office, rules):
    path, _loop = loop_office
    with open_office(path, rules) as store:
        return notices.gather(store, rules, "C1", SAMPLE_NOW)


def pdf_text(data: bytes, tmp_path: Path, *mode: str) -> str:
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(data)
    return subprocess.run([need("pdftotext"), *mode, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip


def squeeze(text: str) -> str:
    """Text without white space: a table cell's lines, wrapped on paper, read as one."""
    return re.sub(r"\s+", "", text)


# --- what the notice lists ------------------------------------------------------------------------


def test_office_name_comes_from_the_rules_title(rules):
    assert office_name(rules) == "环北办事处"
    assert office_name(replace(rules, title="某某街道办事处2023年度考核方案")) == "某某街道办事处"
    assert office_name(replace(rules, title="城西片区2023年度考核方案")) == "城西片区"
    assert office_name(replace(rules, title="考核方案")) == "考核方案"


def test_notice_lists_overdue_and_nearly_due_cases_overdue_first(c1_notice, loop_office, rules):
    n = c1_notice
    assert (n.office, n.community, n.day, n.due_soon_days) == ("环北办事处", "第一社区", date(2022, 6, 1), 3)
    shown = [(i.place, i.time_left) for i in n.items]
    assert shown == [("解放路8号", "逾期7天"), ("和平路北段", "逾期2天"), ("新华路工地", "今日到期"),
                     ("幸福小区5栋", "剩1天"), ("人民路15号", "剩2天")]  # fmt: skip
    assert (n.overdue, n.due) == (2, 3)
    assert n.summary == "逾期 2 件，3天内到期 3 件。"
    by_place = {i.place: i for i in n.items}
    failed = by_place["解放路8号"]
    assert (failed.category, failed.source) == ("暴露垃圾", "办事处检查发现")  # names from the rules, no letters
    assert failed.progress == f"复查未通过：{FAILED_NOTE}" and failed.thumb
    assert by_place["人民路15号"].progress == "社区已于5月28日反馈整改，待复查"
    assert by_place["和平路北段"].progress == "已申请免责，待办事处答复"
    assert by_place["和平路北段"].source.startswith("上级领导批示")
    # not listed: due later (胜利街3号, 10 June), exempted (北护城河), other communities, closed cases
    assert not {"胜利街3号", "北护城河"} & set(by_place)


def test_a_community_with_nothing_urgent_gets_a_notice_that_says_so(loop_office, rules, tmp_path):
    path, _ = loop_office
    with open_office(path, rules) as store:
        n = notices.gather(store, rules, "C4", SAMPLE_NOW.replace(year=2023))  # every case is old news
    n = replace(n, items=())
    assert n.summary == "目前没有逾期或3天内到期的案件。"
    assert "目前没有逾期或3天内到期的案件。" in pdf_text(notice_pdf(n, None), tmp_path)
    with pytest.raises(KeyError):
        with open_office(path, rules) as store:
            notices.gather(store, rules, "C9", SAMPLE_NOW)


# --- the PDF --------------------------------------------------------------------------------------


def test_notice_pdf_reads_back_in_chinese_with_the_font_embedded(c1_notice, loop_office, rules, tmp_path):
    path, loop = loop_office
    data = notice_pdf(c1_notice, office_photo_dir(path))
    assert data.startswith(b"%PDF-")
    text = pdf_text(data, tmp_path, "-raw")
    flat = squeeze(text)
    for expected in ("环北办事处", "日期：2022年6月1日", "督办通知单", "致：第一社区", "逾期2件，3天内到期3件。",
                     "逾期7天", "逾期2天", "今日到期", "剩1天", "剩2天", "解放路8号", "楼道口堆放生活垃圾",
                     "2022年5月25日", "暴露垃圾", "来源：办事处检查发现", f"复查未通过：{FAILED_NOTE}",
                     "社区已于5月28日反馈整改，待复查", "已申请免责，待办事处答复", "第1页，共1页",
                     "请在整改期限内整改到位。特此通知。"):  # fmt: skip
        assert squeeze(expected) in flat, expected
    assert "胜利街3号" not in flat and "北护城河" not in flat
    # nothing for the machine on paper: no ids, hashes, paths, codes or English keys
    for case_id in (loop.failed, loop.waiting, loop.request_a, loop.request_b):
        assert case_id[:8] not in flat
    assert not re.search(r"[0-9a-f]{16}", flat)
    for word in ("C1", "office", "/", "overdue", "requested", "source"):
        assert word not in text, word
    assert "D类" not in flat and "A类" not in flat
    # the order on paper: overdue first
    assert flat.index("解放路8号") < flat.index("和平路北段") < flat.index("新华路工地") < flat.index("人民路15号")

    pdf = tmp_path / "notice.pdf"
    fonts = subprocess.run([need("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    noto = [line for line in fonts.splitlines() if "NotoSansSC" in line]
    assert noto and all(" yes yes " in line for line in noto)  # embedded, as a subset
    assert len(data) < 600_000  # two photo thumbnails and a subset of the font


def test_notice_pdf_first_page_renders(c1_notice, loop_office, tmp_path):
    path, _ = loop_office
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(notice_pdf(c1_notice, office_photo_dir(path)))
    RENDER_DIR.mkdir(parents=True, exist_ok=True)
    prefix = RENDER_DIR / "notice-C1"
    subprocess.run([need("pdftoppm"), "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(prefix)],
                   check=True)  # fmt: skip
    from PIL import Image

    with Image.open(prefix.with_suffix(".png")) as page:
        assert page.size[0] < page.size[1]  # A4 portrait
        colours = page.convert("RGB").getcolors(1 << 20)
    assert colours and len(colours) > 1000  # photos and text, not a blank page


def test_a_long_notice_breaks_pages_and_numbers_them(c1_notice, loop_office, tmp_path):
    path, _ = loop_office
    many = replace(c1_notice, items=c1_notice.items * 8)
    text = squeeze(pdf_text(notice_pdf(many, office_photo_dir(path)), tmp_path))
    pages = int(re.search(r"共(\d+)页", text).group(1))
    assert pages >= 3 and f"第{pages}页，共{pages}页" in text


# --- the workbook --------------------------------------------------------------------------------


def test_notice_xlsx_rows(c1_notice, loop_office):
    from openpyxl import load_workbook

    path, _ = loop_office
    wb = load_workbook(io.BytesIO(notice_xlsx(c1_notice, office_photo_dir(path))))
    ws = wb["督办通知单"]
    assert ws["A1"].value == "环北办事处 督办通知单"
    assert (ws["A2"].value, ws["A3"].value, ws["A4"].value) == ("致：第一社区", "日期：2022年6月1日",
                                                                "逾期 2 件，3天内到期 3 件。")  # fmt: skip
    head = [c.value for c in ws[6]]
    assert head == ["序号", "问题类别", "来源", "地点", "问题描述", "整改期限", "时限", "复查与反馈", "整改前照片"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=7, max_col=8)]
    assert rows == [
        [1, "暴露垃圾", "办事处检查发现", "解放路8号", "楼道口堆放生活垃圾", "2022年5月25日", "逾期7天",
         f"复查未通过：{FAILED_NOTE}"],
        [2, "建筑垃圾渣土", "上级领导批示、省市整治办转办、中央和省级媒体曝光", "和平路北段",
         "省整治办转办：渣土乱倒（案件编号 2022-A-010）", "2022年5月30日", "逾期2天", "已申请免责，待办事处答复"],
        [3, "建筑垃圾渣土", "市级媒体曝光、市民群众屡次反映未及时解决", "新华路工地",
         "市民热线屡次反映：渣土乱倒（案件编号 2022-B-002）", "2022年6月1日", "今日到期", None],
        [4, "卫生死角", "市级媒体曝光、市民群众屡次反映未及时解决", "幸福小区5栋",
         "市民多次反映：楼间卫生死角（案件编号 2022-B-011）", "2022年6月2日", "剩1天", "已申请免责，待办事处答复"],
        [5, "乱摆乱放", "办事处检查发现", "人民路15号", "商铺占道经营", "2022年6月3日", "剩2天",
         "社区已于5月28日反馈整改，待复查"],
    ]  # fmt: skip
    assert [ws.cell(r, 9).value for r in (8, 9, 10)] == ["无照片"] * 3  # office cases came without photos
    assert len(ws._images) == 2  # the inspector's cases' before photos, in the rows they belong to
    assert sorted(img.anchor._from.row + 1 for img in ws._images) == [7, 11]


# --- the command line -------------------------------------------------------------------------


def run_cli(*args, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIELDAPP_")}
    env["FIELDAPP_NOW"] = NOW_ENV
    return subprocess.run([sys.executable, "-m", "fieldapp.cli", "office", "notice", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def test_the_command_writes_the_notice(loop_office, tmp_path):
    from openpyxl import load_workbook

    path, _ = loop_office
    out = tmp_path / "out" / "c1.pdf"
    done = run_cli("--community", "C1", "--data-dir", str(path), "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == f"第一社区督办通知单已写入 {out}：逾期 2 件，3天内到期 3 件。"
    assert "解放路8号" in squeeze(pdf_text(out.read_bytes(), tmp_path, "-raw"))

    done = run_cli("--community", "C1", "--data-dir", str(path), "--format", "xlsx", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    named = tmp_path / "督办通知单-第一社区-2022-06-01.xlsx"
    assert load_workbook(named)["督办通知单"]["D7"].value == "解放路8号"

    done = run_cli("--community", "C1", "--data-dir", str(path), "--out", str(tmp_path / "c1.xlsx"), cwd=tmp_path)
    assert done.returncode == 0 and (tmp_path / "c1.xlsx").read_bytes()[:2] == b"PK"  # the suffix decides

    done = run_cli("--community", "C9", "--data-dir", str(path), cwd=tmp_path)
    assert done.returncode == 2 and "没有社区 C9" in done.stdout and "C1 第一社区" in done.stdout
    done = run_cli("--community", "C1", "--data-dir", str(path), "--out", str(tmp_path / "c1.doc"), cwd=tmp_path)
    assert done.returncode == 2 and "不支持的格式 doc" in done.stdout


def test_every_notice_character_is_in_the_bundled_font(c1_notice):
    from fontTools.ttLib import TTFont

    from fieldapp.office.pdf import FONT_PATH
    from fieldapp.ui import strings

    cmap = TTFont(FONT_PATH).getBestCmap()
    words = [v for k, v in vars(strings).items() if k.startswith(("NOTICE_", "PDF_"))]
    text = "".join("".join(w) if isinstance(w, tuple) else str(w) for w in words)
    text += "".join(f"{i.category}{i.source}{i.time_left}{i.progress}" for i in c1_notice.items)
    missing = sorted({ch for ch in text if ord(ch) > 127 and ord(ch) not in cmap})
    assert missing == []
