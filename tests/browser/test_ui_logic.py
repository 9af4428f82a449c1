"""The inspector screens' logic without a browser: formats, error messages, paging,
settings, start-up, and the screens' control trees. Runs in a few seconds."""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime, timedelta, timezone

import pytest

from fieldapp.domain.commands import CommandError
from fieldapp.domain.geo import Position
from fieldapp.photos import REJECTION_CODES, PhotoRejected
from fieldapp.rules import load_rules
from fieldapp.store import Store
from fieldapp.text import fmt
from fieldapp.ui import queries, strings
from fieldapp.ui.context import AppContext, frozen_clock
from fieldapp.ui.data import (
    DB_NAME, DataService, Settings, default_inspector_id, ensure_settings,
    write_settings,
)
from fieldapp.ui.startup import prepare_data_dir
from fieldapp.text.theme import Palette
from prefill import PHOTO_GPS, PHOTO_NO_EXIF, PHOTOS, register_case, tiny_photo

NOW = "2022-06-01T09:00:00+08:00"


# --- formats ---------------------------------------------------------------------------------

@pytest.mark.parametrize("status,days,text,colour", [
    ("overdue", -3, "逾期3天", Palette.OVERDUE),
    ("overdue", -1, "逾期1天", Palette.OVERDUE),
    ("due_today", 0, "今日到期", Palette.DUE_TODAY),
    ("due_soon", 2, "剩2天", Palette.DUE_SOON),
    ("open", 19, "剩19天", Palette.ON_SURFACE_VARIANT),
    ("rectified_on_time", -5, "按期整改到位", Palette.RECTIFIED),
    ("voided", 4, "已作废", Palette.VOIDED),
])
def test_urgency_label(status, days, text, colour):
    assert fmt.urgency_label(status, days) == (text, colour)


def test_dates_distances_positions():
    assert fmt.date_short(date(2022, 6, 4)) == "6月4日 周六"
    assert fmt.time_short(datetime(2022, 6, 1, 1, 5, tzinfo=timezone.utc),
                          load_rules().tz) == "6月1日 09:05"
    assert fmt.distance(12.4) == "12 米" and fmt.distance(1530) == "1.5 公里"
    assert fmt.position(Position(34.2655, 108.9542)) == "北纬 34.26550，东经 108.95420"
    assert fmt.position(Position(47.6, -122.3)).startswith("纬度 47.60000")
    assert fmt.accuracy_text(8, 50) == ("已定位，精度约 8 米", False)
    text, warn = fmt.accuracy_text(120.4, 50)
    assert warn and "120" in text
    assert fmt.accuracy_text(None, 50) == (strings.LOCATION_OK_UNKNOWN, False)



def test_photo_position_texts_say_the_accuracy_or_that_it_is_unknown():
    here = "北纬 34.26550，东经 108.95420"
    assert fmt.photo_position_text(Position(34.2655, 108.9542, 38.81), 50) == (
        f"没有定位：将使用照片里的位置（{here}），精度约 39 米", False)
    text, warn = fmt.photo_position_text(Position(34.2655, 108.9542, 120.4), 50)
    assert warn and "120 米" in text and "偏差较大" in text
    assert fmt.photo_position_text(Position(34.2655, 108.9542), 50) == (
        f"没有定位：将使用照片里的位置（{here}），精度未知", False)


def test_history_texts_are_chinese():
    name = {"Z1": "暴露垃圾"}.get
    tz = load_rules().tz
    assert fmt.history_text("case.registered", {"category": "Z1", "deadline": "2022-06-04"},
                            name, tz) == "登记问题：暴露垃圾，整改期限 6月4日 周六"
    assert fmt.history_text("case.rechecked", {"outcome": "rectified"}, name, tz) == "复查：整改到位"
    assert fmt.history_text("case.rechecked", {"outcome": "falls_short", "note": "仍有垃圾"},
                            name, tz) == "复查：未整改到位（说明：仍有垃圾）"
    assert fmt.history_text("case.voided", {"reason": "重复登记"}, name, tz) == "作废：重复登记"
    assert fmt.history_text("something.new", {}, name, tz) == strings.EV_OTHER


# --- error messages -----------------------------------------------------------------------------

COMMAND_CODES = ("deadline_in_past", "unknown_community", "unknown_category", "no_location",
                 "no_photo", "case_voided", "already_rectified", "reason_required",
                 "time_in_future", "before_found", "unknown_case", "invalid", "unknown_answer")


@pytest.mark.parametrize("code", COMMAND_CODES)
def test_every_command_error_has_a_chinese_message(code):
    text = fmt.error_message(CommandError(code, "english detail"))
    assert text == strings.ERRORS[code] and "english" not in text and text.endswith("。")


@pytest.mark.parametrize("code", REJECTION_CODES)
def test_every_photo_rejection_has_a_chinese_message(code):
    text = fmt.error_message(PhotoRejected(code, "english"))
    assert text == strings.PHOTO_ERRORS[code] and "english" not in text


def test_unknown_failures_still_say_what_to_do():
    assert "重试" in fmt.error_message(RuntimeError("boom"))
    assert "存储" in fmt.error_message(OSError(28, "No space left on device"))
    assert fmt.error_message(CommandError("brand_new_code", "x")).startswith("操作没有完成")


# --- data: settings, start-up, paging --------------------------------------------------------------

def test_settings_device_id_made_once_and_kept(tmp_path):
    rules = load_rules()
    with Store(tmp_path / DB_NAME, rules) as store:
        first = ensure_settings(store)
        assert first.inspector_id == default_inspector_id(first.device_id)
        assert first.inspector_id == f"inspector-{first.device_id.replace('-', '')[:8]}"
        saved = write_settings(store, Settings(first.device_id, first.inspector_id, " 张三 ",
                                               ("C3", "C1")))
        assert saved.inspector_name == "张三" and saved.communities == ("C3", "C1")
        assert json.loads(store.get_meta("inspector_communities")) == ["C3", "C1"]
    with Store(tmp_path / DB_NAME, rules) as store:
        again = ensure_settings(store)
    assert again == saved and again.home_community(rules) == "C3"
    assert Settings("d", "i").home_community(rules) == "C1"


def test_demo_fills_a_trial_folder_once_never_the_data_folder(tmp_path):
    rules = load_rules()
    now = frozen_clock(NOW)()
    _, made = prepare_data_dir(tmp_path, rules, now, demo=True, demo_cases=6)
    assert made == 6
    with Store(tmp_path / DB_NAME, rules) as store:
        assert store.event_count() == 0          # the phone's own folder holds no sample
    with Store(tmp_path / "trial" / DB_NAME, rules) as store:
        events = store.event_count()
        assert events > 0 and store.get_meta("trial") == "1"
    _, made_again = prepare_data_dir(tmp_path, rules, now, demo=True, demo_cases=6)
    assert made_again == 0
    with Store(tmp_path / "trial" / DB_NAME, rules) as store:
        assert store.event_count() == events


def test_case_pages_cover_all_open_cases_in_urgency_order(tmp_path):
    rules = load_rules()
    with Store(tmp_path / DB_NAME, rules) as store:
        for i in range(23):
            register_case(tmp_path, "2022-05-20T10:00:00+08:00", store=store,
                          deadline=date(2022, 5, 25) + timedelta(days=i), place=f"p{i}",
                          photo=tiny_photo(i))
        now = frozen_clock(NOW)()
        flt = queries.CaseFilter()
        pages, offset = [], 0
        while True:
            page = queries.case_page(store, tmp_path / "photos", now, flt, offset, limit=10)
            pages.append(page)
            offset = page.next_offset
            if not page.has_more:
                break
        assert [len(p.rows) for p in pages] == [10, 10, 3]
        rows = [r for p in pages for r in p.rows]
        assert [r.deadline for r in rows] == sorted(r.deadline for r in rows)
        assert rows[0].status == "overdue" and rows[-1].status == "open"
        assert all(p.thumbs.get(r.thumb) for p in pages for r in p.rows)
        overdue = queries.case_page(store, tmp_path / "photos", now,
                                    queries.CaseFilter(status="overdue"), 0)
        assert [r.days_left for r in overdue.rows] == [-7, -6, -5, -4, -3, -2, -1]
        counts = queries.open_counts(store, now)
        assert queries.count_open(counts, None, None) == 23
        assert queries.count_open(counts, "C1", "overdue") == 7
        assert queries.count_open(counts, "C2", None) == 0


def test_inspect_photo_checks_like_saving():
    picked = queries.inspect_photo(PHOTO_NO_EXIF.read_bytes())
    assert picked.thumb[:2] == b"\xff\xd8" and len(picked.thumb) < 50_000
    with pytest.raises(PhotoRejected) as err:
        queries.inspect_photo(b"just some text\n")
    assert err.value.code == "not_an_image"


def test_worker_runs_off_the_calling_thread_with_its_own_store(tmp_path):
    import threading

    data = DataService(tmp_path, load_rules(), frozen_clock(NOW))

    def where(store):
        return threading.get_ident(), id(store)

    async def go():
        return await data.run(where)

    thread, store_id = asyncio.run(go())
    here, here_store = data.run_here(where)
    assert thread != here and store_id != here_store
    data.close()


# --- screens as control trees ------------------------------------------------------------------

def test_cases_view_first_page_and_filter_chips(tmp_path):
    from fieldapp.ui.screens import cases

    with Store(tmp_path / DB_NAME, load_rules()) as store:
        register_case(tmp_path, "2022-05-20T10:00:00+08:00", store=store,
                      deadline=date(2022, 5, 28), photo=tiny_photo())
    ctx = AppContext(data_dir=tmp_path, clock=frozen_clock(NOW))
    view = cases.build(ctx)
    screen = view.data
    assert len(screen.list_view.controls) == 2                 # one row + the footer
    assert screen.footer_text.value == strings.ALL_SHOWN.format(n=1)
    ids = [c.identifier for c in screen.status_chips.controls]
    assert ids == ["filter-awaiting", "filter-status-all", "filter-status-overdue", "filter-status-due_today",
                   "filter-status-due_soon", "filter-status-closed"]  # 待复查 first, 已办结 last


def test_new_case_form_refuses_without_category_photo_or_place(tmp_path):
    from fieldapp.ui.screens import new_case

    ctx = AppContext(data_dir=tmp_path, clock=frozen_clock(NOW))
    screen = new_case.build(ctx).data
    assert screen.deadline == date(2022, 6, 4)                 # source D: 3 days
    assert screen.problems() == strings.NEED_CATEGORY
    screen._choose_category("Z1")
    assert screen.problems() == strings.NEED_PHOTO
    screen.photos.photos.append(queries.inspect_photo(PHOTO_NO_EXIF.read_bytes()))
    assert screen.problems() == strings.NEED_PLACE              # no GPS, no EXIF, no place
    screen.place.value = "road 1"
    assert screen.problems() is None


def test_new_case_without_a_fix_shows_the_photo_position_and_its_accuracy(tmp_path):
    import flet as ft

    from fieldapp.ui.screens import new_case

    ctx = AppContext(data_dir=tmp_path, clock=frozen_clock(NOW))
    screen = new_case.build(ctx).data                          # no page: no GPS fix
    heic = queries.inspect_photo((PHOTOS / "15_heic_gps-west_apple__IMG_5195.HEIC").read_bytes())
    assert heic.position.accuracy_m == pytest.approx(38.81, abs=0.01)
    screen.photos.photos.append(heic)
    screen._render_location()
    assert screen.location_text.value == strings.LOCATION_FROM_PHOTO.format(
        pos=fmt.position(heic.position), m=39)
    assert screen.location_icon.icon == ft.Icons.LOCATION_OFF             # no fix, but no warning

    far = queries.PickedPhoto(heic.data, heic.thumb, Position(34.2655, 108.9542, 80.0), None)
    screen.photos.photos[:] = [far]                            # > gps_warn_accuracy_m (50 m)
    screen._render_location()
    assert screen.location_text.value == strings.LOCATION_FROM_PHOTO_POOR.format(
        pos=fmt.position(far.position), m=80)
    assert screen.location_icon.icon == ft.Icons.WARNING_AMBER

    screen.photos.photos[:] = [queries.inspect_photo(PHOTO_GPS.read_bytes())]  # no accuracy tag
    screen._render_location()
    assert screen.location_text.value.endswith("精度未知")
    assert screen.location_text.value == strings.LOCATION_FROM_PHOTO_UNKNOWN.format(
        pos=fmt.position(screen.photos.exif_position))


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "Asia/Tokyo", "Asia/Kamchatka", "Europe/Berlin",
                                  "UTC", "America/New_York", "Pacific/Honolulu", "Asia/Kolkata"])
def test_a_picked_deadline_is_the_day_the_phone_showed_in_any_time_zone(zone):
    """From UTC−11 to UTC+12 (the UTC+8 China of the plan among them)."""
    from zoneinfo import ZoneInfo

    from fieldapp.ui.screens.new_case import picked_date

    for day in (date(2022, 6, 24), date(2022, 12, 31), date(2023, 1, 1)):
        sent = datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(zone)).astimezone(timezone.utc)
        assert picked_date(sent) == day, (zone, sent)
    assert picked_date(date(2022, 6, 24)) == date(2022, 6, 24)
    assert picked_date(datetime(2022, 6, 24, 0, 0)) == date(2022, 6, 24)


def test_the_community_chooser_follows_the_inspectors_own_until_one_is_picked(rules):
    from fieldapp.ui.components import CommunityPicker

    picker = CommunityPicker(rules.communities, "C1")
    assert picker.follow_home("C3") and picker.value == "C3"  # 我的 changed: an open form follows
    assert not picker.follow_home("C3")
    selected = [chip.selected for chip in picker.row.controls]
    assert selected == [c.code == "C3" for c in rules.communities]
    picker.choose("C2")  # picked here: the inspector's choice stays
    assert not picker.follow_home("C4") and picker.value == "C2"
