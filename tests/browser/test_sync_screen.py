"""同步 end to end: a real office (`fieldapp office serve`), a real enrolment code from the
command line, the phone app in Chromium — enrol, sync, check the office, revoke, sync again;
and a new case going to the office by itself (automatic sync), nobody tapping 立即同步.

Plus the screen's pieces without a browser (messages, progress, the address, and
progress handed from the sync thread to the UI loop).
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from fieldapp.casework import Casework
from fieldapp.photos import photo_path
from fieldapp.rules import load_rules
from fieldapp.ui import queries, strings
from fieldapp.ui.context import AppContext
from fieldapp.ui.data import enrol_phone, ensure_settings
from fieldapp.ui.screens import sync as sync_screen
from prefill import PHOTO_GPS, PHOTO_NO_EXIF, open_store, register_case, tiny_photo
from sync import storage
from tests.office_process import OfficeProcess, fieldapp
from sync.result import DONE, DOWNLOAD, HELLO, PHOTOS, PULL, PUSH, Progress, SyncIssue, SyncResult
from test_inspector import assert_fits, button, by_id, case_rows, choose_photo, type_into
from ui_harness import FROZEN_NOW, free_port, goto_tab, open_app, run_async_in_thread, settled_screenshot


# --- the office, as the office runs it ----------------------------------------------------------

@pytest.fixture
def office(tmp_path):
    server = OfficeProcess(tmp_path / "office", free_port(), tmp_path / "office.log").start()
    yield server
    server.stop()


# --- helpers ----------------------------------------------------------------------------------------

#: The app without its automatic sync (fieldapp/ui/autosync.py): only 立即同步 syncs.
MANUAL_ONLY = {"FIELDAPP_AUTOSYNC": "0"}

def register_case_in_the_app(page: Page, photo: Path, place: str, category: str) -> None:
    goto_tab(page, strings.TAB_NEW)
    expect(by_id(page, "location-status")).to_contain_text(strings.LOCATION_OK.format(m=8), timeout=20_000)
    by_id(page, f"category-{category}").tap()  # another category each time: no "nearby case" question
    choose_photo(page, photo)
    type_into(page, strings.PLACE_LABEL, place)
    button(page, strings.SAVE_CASE).tap()
    expect(page.get_by_role("heading", name=strings.TITLE_CASES, exact=True)).to_be_visible(timeout=15_000)


def own_events(data_dir: Path) -> list[dict]:
    with open_store(data_dir) as store:
        return list(store.db.query("SELECT id, type, actor, payload FROM events ORDER BY seq"))


# --- the story --------------------------------------------------------------------------------------

def test_enrol_sync_then_revoked(office, app_factory, phone_factory):
    code = office.enrol_code("张三", "C1")
    app = app_factory(env=MANUAL_ONLY)  # the counts it checks between taps must hold still
    page = open_app(phone_factory(390, 844), app.url)

    # a case before enrolment: its events carry the phone's own id
    register_case_in_the_app(page, PHOTO_GPS, "before-enrolment road 1", "Z1")
    before = own_events(app.data_dir)
    assert {e["actor"] for e in before} == {before[0]["actor"]} and before[0]["actor"].startswith("inspector-")

    goto_tab(page, strings.TAB_ME)  # built now, with the phone's own id: it must follow the enrolment
    expect(by_id(page, "screen-me")).to_be_visible()
    goto_tab(page, strings.TAB_SYNC)
    expect(by_id(page, "pending-events")).to_contain_text(strings.PENDING_EVENTS.format(n=len(before)))
    expect(by_id(page, "pending-photos")).to_contain_text(strings.PENDING_PHOTOS.format(n=1))
    expect(by_id(page, "sync-last")).to_contain_text(strings.SYNC_NEVER)
    settled_screenshot(page, "sync-01-not-enrolled-390")

    # 立即同步 before enrolling says what to do
    button(page, strings.SYNC_NOW).tap()
    expect(by_id(page, "message-sync")).to_contain_text(strings.SYNC_MESSAGES["not_enrolled"])

    # a wrong code, then the right one
    type_into(page, strings.SYNC_ADDRESS, office.url, prefix=True)
    type_into(page, strings.SYNC_CODE, "AAAA-BBBB-CCCC", prefix=True)
    button(page, strings.SYNC_ENROL).tap()
    expect(by_id(page, "message-sync")).to_contain_text(strings.SYNC_MESSAGES["enrol_code_invalid"],
                                                        timeout=15_000)
    type_into(page, strings.SYNC_CODE, code.replace("-", ""), prefix=True)  # typed without dashes: still fine
    button(page, strings.SYNC_ENROL).tap()
    expect(by_id(page, "sync-enrolled")).to_contain_text("张三", timeout=15_000)
    c1 = next(c.name for c in load_rules().communities if c.code == "C1")
    expect(by_id(page, "sync-enrolled")).to_contain_text(c1)
    expect(by_id(page, "message-sync")).to_contain_text(strings.SYNC_ENROLLED_OK.format(inspector="张三"))
    settled_screenshot(page, "sync-02-enrolled-390")

    # a case after enrolment: carries the enrolled inspector id
    register_case_in_the_app(page, PHOTO_NO_EXIF, "after-enrolment road 2", "L3")
    events = own_events(app.data_dir)
    after = events[len(before):]
    assert after and {e["actor"] for e in after} == {"张三"}

    goto_tab(page, strings.TAB_SYNC)
    expect(by_id(page, "pending-events")).to_contain_text(strings.PENDING_EVENTS.format(n=len(events)))
    expect(by_id(page, "pending-photos")).to_contain_text(strings.PENDING_PHOTOS.format(n=2))
    button(page, strings.SYNC_NOW).tap()
    expect(by_id(page, "message-sync")).to_contain_text(strings.SYNC_DONE.format(detail=""), timeout=30_000)
    expect(by_id(page, "pending-events")).to_contain_text(strings.PENDING_EVENTS.format(n=0))
    expect(by_id(page, "pending-photos")).to_contain_text(strings.PENDING_PHOTOS.format(n=0))
    expect(by_id(page, "sync-last")).to_contain_text(strings.SYNC_LAST_OK.split("{")[0])
    expect(by_id(page, "sync-progress")).to_have_count(0)  # the progress line is gone when done
    settled_screenshot(page, "sync-03-done-390")

    # the office holds both cases, every event once, and both photo files (intact)
    with storage.open_office(office.data_dir, load_rules()) as store:
        office_ids = [r[0] for r in store.db.execute("SELECT id FROM events")]
        cases = {r[0]: r[1] for r in store.db.execute("SELECT case_id, place FROM cases")}
        shas = [r[0] for r in store.db.execute("SELECT sha256 FROM photos")]
    assert sorted(office_ids) == sorted(e["id"] for e in events)
    assert sorted(cases.values()) == ["after-enrolment road 2", "before-enrolment road 1"]
    assert len(shas) == 2
    for sha in shas:
        office_file = photo_path(storage.office_photo_dir(office.data_dir), sha)
        assert office_file.read_bytes() == photo_path(app.data_dir / "photos", sha).read_bytes()

    # 我的 shows the enrolled inspector now (the name was empty: it took the inspector id). Flutter
    # keeps a text field's and a selectable text's words out of the DOM: check the store, and look.
    goto_tab(page, strings.TAB_ME)
    page.get_by_role("button", name=strings.ME_ABOUT).tap()  # ids are folded away under 关于本机
    expect(by_id(page, "me-inspector-id")).to_be_visible()
    with open_store(app.data_dir) as store:
        settings = ensure_settings(store)
    assert (settings.inspector_id, settings.inspector_name, settings.communities) == ("张三", "张三", ("C1",))
    settled_screenshot(page, "sync-07-me-enrolled-390")

    # the office revokes the phone: the next sync stops and says what to do
    device = json.loads(fieldapp("office", "devices", "--json", "--data-dir", str(office.data_dir)))
    assert device["inspector"] == "张三" and device["local_actor"] == before[0]["actor"]
    fieldapp("office", "revoke", device["device_id"], "--data-dir", str(office.data_dir))
    goto_tab(page, strings.TAB_SYNC)
    button(page, strings.SYNC_NOW).tap()
    revoked = strings.SYNC_MESSAGES["token_revoked"]
    assert revoked == "设备已被停用，请联系办事处重新绑定。"
    expect(by_id(page, "message-sync")).to_contain_text(revoked, timeout=15_000)
    expect(by_id(page, "sync-last")).to_contain_text(revoked)
    expect(page.get_by_role("textbox", name=re.compile("^" + strings.SYNC_CODE))).to_be_visible()
    settled_screenshot(page, "sync-04-revoked-390")

    # the same state on a 360 px phone (a new session of the same app)
    narrow = open_app(phone_factory(360, 740), app.url)
    goto_tab(narrow, strings.TAB_SYNC)
    expect(by_id(narrow, "sync-last")).to_contain_text(revoked)
    settled_screenshot(narrow, "sync-05-revoked-360")
    assert_fits(narrow, 360)

    # the office gives a new code: the phone enrols again and syncs (nothing was lost meanwhile)
    register_case_in_the_app(page, PHOTO_NO_EXIF, "while-revoked road 3", "L4")
    goto_tab(page, strings.TAB_SYNC)
    type_into(page, strings.SYNC_CODE, office.enrol_code("张三", "C1"), prefix=True)
    button(page, strings.SYNC_ENROL).tap()
    expect(by_id(page, "message-sync")).to_contain_text(strings.SYNC_ENROLLED_OK.format(inspector="张三"),
                                                        timeout=15_000)
    expect(button(page, strings.SYNC_REENROL)).to_be_visible()  # the code field is put away again
    button(page, strings.SYNC_NOW).tap()
    expect(by_id(page, "message-sync")).to_contain_text(strings.SYNC_DONE.format(detail=""), timeout=30_000)
    expect(by_id(page, "pending-events")).to_contain_text(strings.PENDING_EVENTS.format(n=0))
    with storage.open_office(office.data_dir, load_rules()) as store:
        places = sorted(r[0] for r in store.db.execute("SELECT place FROM cases"))
    assert places == ["after-enrolment road 2", "before-enrolment road 1", "while-revoked road 3"]


def test_a_new_case_goes_to_the_office_by_itself(office, app_factory, phone):
    """Automatic sync: enrolled, the office up, a case registered — the 同步 screen, just watched,
    counts it, then (a few seconds later, debounced) sees it go; the office has it. No tap."""
    app = app_factory(start=False, env={"FIELDAPP_AUTOSYNC_START_S": "0.5",
                                        "FIELDAPP_AUTOSYNC_DEBOUNCE_S": "8"})  # long enough to see it wait
    with open_store(app.data_dir) as store:
        enrol_phone(store, office.url, office.enrol_code("张三", "C1"))
    app.start()
    page = open_app(phone, app.url)
    goto_tab(page, strings.TAB_SYNC)
    on = strings.SYNC_AUTO_NEXT.split("{")[0]
    expect(by_id(page, "sync-auto")).to_contain_text(on, timeout=15_000)
    expect(by_id(page, "sync-last")).to_contain_text(strings.SYNC_LAST_OK.split("{")[0])  # the try at start
    expect(by_id(page, "pending-events")).to_contain_text(strings.PENDING_EVENTS.format(n=0))

    register_case_in_the_app(page, PHOTO_NO_EXIF, "automatic road 1", "Z1")
    n = len(own_events(app.data_dir))
    goto_tab(page, strings.TAB_SYNC)
    expect(by_id(page, "pending-events")).to_contain_text(strings.PENDING_EVENTS.format(n=n))
    expect(by_id(page, "pending-photos")).to_contain_text(strings.PENDING_PHOTOS.format(n=1))

    # nothing tapped: the screen, only watched, sees the records go
    expect(by_id(page, "pending-events")).to_contain_text(strings.PENDING_EVENTS.format(n=0), timeout=30_000)
    expect(by_id(page, "pending-photos")).to_contain_text(strings.PENDING_PHOTOS.format(n=0))
    expect(by_id(page, "sync-last")).to_contain_text(strings.SYNC_LAST_OK.split("{")[0])
    expect(by_id(page, "sync-auto")).to_contain_text(on)
    expect(by_id(page, "message-sync")).to_have_count(0)  # quiet: no message, no progress bar
    expect(by_id(page, "sync-progress")).to_have_count(0)
    settled_screenshot(page, "sync-08-auto-390")

    with storage.open_office(office.data_dir, load_rules()) as store:
        places = [r[0] for r in store.db.execute("SELECT place FROM cases")]
        office_ids = sorted(r[0] for r in store.db.execute("SELECT id FROM events"))
        photos = store.db.execute("SELECT count(*) FROM photos").fetchone()[0]
    assert places == ["automatic road 1"] and photos == 1
    assert office_ids == sorted(e["id"] for e in own_events(app.data_dir))


def test_a_week_without_network_goes_to_the_office_as_a_file(office, app_factory, phone, tmp_path):
    """导出到文件: the office is out of reach (automatic sync off, nothing tapped); the file the
    browser saves, imported at the office, brings the case and its photo; the phone still
    counts them as pending until its next sync, which then sends nothing twice."""
    app = app_factory(start=False, env=MANUAL_ONLY)
    with open_store(app.data_dir) as store:
        enrol_phone(store, office.url, office.enrol_code("张三", "C1"))
    app.start()
    page = open_app(phone, app.url)
    register_case_in_the_app(page, PHOTO_NO_EXIF, "far away road 5", "Z3")
    n = len(own_events(app.data_dir))
    goto_tab(page, strings.TAB_SYNC)
    expect(by_id(page, "pending-events")).to_contain_text(strings.PENDING_EVENTS.format(n=n))

    with page.expect_download() as download:
        button(page, strings.OUTBOX_EXPORT).tap()
    card = tmp_path / "card" / download.value.suggested_filename
    download.value.save_as(card)
    assert card.name.startswith("fieldapp-outbox-") and card.suffix == ".zip"
    expect(by_id(page, "message-sync")).to_contain_text(strings.OUTBOX_EXPORTED.split("{")[0])
    expect(by_id(page, "pending-events")).to_contain_text(strings.PENDING_EVENTS.format(n=n))  # unchanged
    settled_screenshot(page, "sync-09-exported-390")

    out = fieldapp("office", "import-phone", str(card), "--data-dir", str(office.data_dir))
    assert strings.OUTBOX_IMPORTED.format(file=card.name, inspector="张三", events=n, accepted=n, duplicate=0,
                                          photos=1) in out  # fmt: skip
    with storage.open_office(office.data_dir, load_rules()) as store:
        assert [r[0] for r in store.db.execute("SELECT place FROM cases")] == ["far away road 5"]

    button(page, strings.SYNC_NOW).tap()  # back in reach: acks only
    expect(by_id(page, "pending-events")).to_contain_text(strings.PENDING_EVENTS.format(n=0), timeout=30_000)
    with storage.open_office(office.data_dir, load_rules()) as store:
        assert store.db.execute("SELECT count(*) FROM events").fetchone()[0] == n


def test_what_the_phone_wrote_before_enrolment_stays_mine(office, app_factory, phone):
    """我登记的 and today's questionnaires count what the phone wrote under its own id before
    it was enrolled — and still not what someone else wrote."""
    app = app_factory(start=False)
    moment = datetime.fromisoformat(FROZEN_NOW)
    with open_store(app.data_dir) as store:
        own = ensure_settings(store)  # the phone's own id, as made at its first start
        early = register_case(app.data_dir, "2022-05-31T10:00:00+08:00", store=store, who=own.actor,
                              place="before enrolment", photo=tiny_photo(1))
        theirs = register_case(app.data_dir, "2022-05-31T11:00:00+08:00", store=store,
                               place="someone else's", photo=tiny_photo(2))
        Casework(store, app.data_dir / "photos", own.actor, lambda: moment).answer_survey("C1", "满意")
        info, settings = enrol_phone(store, office.url, office.enrol_code("张三", "C1"))
    assert info["local_actor"] == own.inspector_id and settings.inspector_id == "张三"
    app.now = FROZEN_NOW
    app.start()
    page = open_app(phone, app.url)

    expect(by_id(page, f"case-{theirs}")).to_be_visible()
    expect(by_id(page, f"case-{early}")).to_be_visible()
    by_id(page, "filter-mine").tap()
    expect(by_id(page, f"case-{theirs}")).to_have_count(0)
    expect(by_id(page, f"case-{early}")).to_be_visible()
    assert case_rows(page) == [early]
    goto_tab(page, strings.TAB_SURVEY)
    expect(by_id(page, "survey-count")).to_contain_text(strings.SURVEY_TODAY.format(n=1))


def test_not_enrolled_screen_fits_360(app_factory, phone_factory):
    app = app_factory()
    page = open_app(phone_factory(360, 740), app.url)
    goto_tab(page, strings.TAB_SYNC)
    # No spaces: Chromium strips whitespace from an <input type=url> while it is typed.
    type_into(page, strings.SYNC_ADDRESS, "ftp://office-pc", prefix=True)
    button(page, strings.SYNC_ENROL).tap()
    expect(by_id(page, "message-sync")).to_contain_text(strings.SYNC_ADDRESS_INVALID)
    settled_screenshot(page, "sync-06-not-enrolled-360")
    assert_fits(page, 360)


# --- the pieces, without a browser ------------------------------------------------------------------

def test_addresses_are_normalised_or_refused():
    norm = sync_screen.normalise_address
    assert norm("192.168.1.10:8765") == "http://192.168.1.10:8765"
    assert norm(" http://office.local:8765/ ") == "http://office.local:8765"
    assert norm("https://x.example") == "https://x.example"
    assert norm("") is None and norm("no address here") is None and norm("ftp://x") is None
    assert norm("http://") is None


def test_every_code_has_a_message_with_what_to_do():
    assert sync_screen.message_for("token_revoked") == "设备已被停用，请联系办事处重新绑定。"
    assert "无线网络" in sync_screen.message_for("network")
    assert "登录无线网络" in sync_screen.message_for("not_our_server")
    assert "new_code" in sync_screen.message_for("new_code")  # an unknown code is still shown
    assert sync_screen.held_text("event_rejected", "community_not_allowed: community C3", 2) == \
        strings.SYNC_HELD_REJECTED.format(n=2, why=strings.SYNC_REJECTIONS["community_not_allowed"])
    assert sync_screen.held_text("photo_missing_local", "photo ab", 1).startswith("1 项更新暂未上传")


def test_progress_and_result_texts():
    text, value = sync_screen.progress_text(Progress(PHOTOS, 3, 10, 1_500_000, 5_000_000))
    assert text == strings.SYNC_PHASE_PHOTOS.format(done=3, total=10, mb_done=1.5, mb_total=5.0)
    assert value == pytest.approx(0.3)
    assert sync_screen.progress_text(Progress(PUSH, events_pushed=250, events_total=500))[1] == 0.5
    assert sync_screen.progress_text(Progress(HELLO)) == (strings.SYNC_CONNECTING, None)
    assert sync_screen.progress_text(Progress(PULL, events_pulled=7))[1] is None
    assert sync_screen.progress_text(Progress(DOWNLOAD, downloads_done=1, downloads_total=4)) == (
        strings.SYNC_PHASE_DOWNLOAD.format(done=1, total=4), 0.25)

    from datetime import datetime, timezone
    ok = SyncResult(started_at=datetime.now(timezone.utc), pushed=4, photos_uploaded=2)
    assert sync_screen.result_message(ok) == (strings.SYNC_DONE.format(
        detail=strings.SYNC_DONE_DETAIL.format(pushed=4, photos=2, pulled=0)), "ok")
    fetched = SyncResult(started_at=ok.started_at, pulled=3, photos_downloaded=2)
    assert sync_screen.result_message(fetched) == (strings.SYNC_DONE.format(
        detail=strings.SYNC_DONE_DETAIL.format(pushed=0, photos=0, pulled=3)
        + strings.SYNC_DONE_DOWNLOADED.format(n=2)), "ok")
    stopped = SyncResult(started_at=ok.started_at, stopped="network",
                         errors=[SyncIssue("network", "ConnectError")])
    assert sync_screen.result_message(stopped) == (strings.SYNC_MESSAGES["network"], "error")
    partial = SyncResult(started_at=ok.started_at, pending_events=2,
                         errors=[SyncIssue("event_rejected", "actor_mismatch: x")],
                         warnings=[SyncIssue("clock_skew")])
    text, kind = sync_screen.result_message(partial)
    assert kind == "warning" and strings.SYNC_PARTIAL.format(n=2) in text
    assert strings.SYNC_MESSAGES["event_rejected"] in text and strings.SYNC_MESSAGES["clock_skew"] in text

    # 立即同步 right after the automatic run moved everything: "up to date", and what that run did
    from zoneinfo import ZoneInfo
    nothing = SyncResult(started_at=ok.started_at)
    earlier = {"at": "2022-06-01T09:00:05+08:00", "ok": True, "pushed": 5, "acknowledged": 0,
               "photos_uploaded": 1, "pulled": 0, "photos_downloaded": 0}
    assert sync_screen.result_message(nothing, earlier, ZoneInfo("Asia/Shanghai")) == (
        strings.SYNC_UP_TO_DATE + strings.SYNC_UP_TO_DATE_EARLIER.format(
            when="6月1日 09:00", detail=strings.SYNC_DONE_DETAIL.format(pushed=5, photos=1, pulled=0)), "ok")
    assert sync_screen.result_message(nothing) == (strings.SYNC_UP_TO_DATE, "ok")


def test_progress_from_the_sync_thread_is_painted_on_the_ui_loop(tmp_path):
    """`_on_progress` runs on the sync thread; the controls change only on the loop's thread."""
    screen = sync_screen.SyncScreen(AppContext(data_dir=tmp_path))
    screen.show(screen.data.run_here(queries.sync_state))
    painted: list[tuple[str, str]] = []
    paint = screen._paint_progress

    def recording_paint(progress):
        painted.append((threading.current_thread().name, progress.phase))
        paint(progress)

    screen._paint_progress = recording_paint

    loop_thread = []

    async def scenario():
        loop_thread.append(threading.current_thread().name)
        screen._loop = asyncio.get_running_loop()
        screen.busy = True

        def sync_thread():
            screen._on_progress(Progress(HELLO))
            for n in range(1, 200):
                screen._on_progress(Progress(PHOTOS, n, 200, n * 1000, 200_000))
            screen._on_progress(Progress(DONE))

        worker = threading.Thread(target=sync_thread, name="fake-sync")
        worker.start()
        while worker.is_alive():
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)

    run_async_in_thread(scenario)  # a browser test of this module may hold an event loop here
    screen.data.close()
    assert painted and {name for name, _ in painted} == set(loop_thread) != {"fake-sync"}
    assert len(painted) < 50  # coalesced, not one repaint per report
    assert painted[-1][1] == DONE and screen.bar.value == 1.0


def test_me_follows_an_enrolment_made_on_the_sync_screen(tmp_path):
    from fieldapp.ui.data import DataService
    from fieldapp.ui.screens import me
    from sync.phonebook import PhoneBook

    data = DataService(tmp_path, load_rules(), lambda: None)
    ctx = AppContext(data_dir=tmp_path).with_data(data)
    view = me.build(ctx)
    screen = view.data
    assert screen.inspector_fact.controls[1].content.value.startswith("inspector-")
    data.run_here(lambda store: PhoneBook(store).save_credentials("http://o", "t", "dev-1", "张三", ["C2"]))
    data.remember_settings(data.run_here(ensure_settings))
    me.on_show(view, ctx)
    assert screen.inspector_fact.controls[1].content.value == "张三"
    assert screen.name.value == "张三" and [c for c, box in screen.checks.items() if box.value] == ["C2"]
    data.close()


def test_a_revoked_token_asks_for_a_code_until_the_next_enrolment():
    from fieldapp.ui.queries import Pending, SyncState

    def state(enrolled_at: str) -> SyncState:
        return SyncState("http://o", True, "张三", ("C1",), Pending(0, 0, 0, 0), (),
                         {"at": "2026-01-02T10:00:00+00:00", "stopped": "token_revoked"}, enrolled_at)

    assert state("2026-01-01T10:00:00+00:00").token_dead
    assert not state("2026-01-02T10:05:00+00:00").token_dead


def test_the_screen_follows_the_automatic_sync_without_a_session(tmp_path):
    """The ``sync-auto`` line and the counts follow what the automatic sync hears (here: a
    record saved through the data service), on the UI loop (`_apply_auto`)."""
    screen = sync_screen.SyncScreen(AppContext(data_dir=tmp_path))
    data = screen.data
    screen.show(data.run_here(queries.sync_state))
    assert screen.auto_line.value == strings.SYNC_AUTO_OFF          # never started: 立即同步 only
    data.autosync.start(thread=False)
    screen.show(data.run_here(queries.sync_state))
    assert screen.auto_line.value == strings.SYNC_AUTO_NOT_ENROLLED  # on, but nobody to talk to yet
    data.run_here(lambda s: data.casework(s).answer_survey("C1", "满意"))
    assert data.autosync.schedule.change_at is not None              # the record asked for a try

    async def on_the_loop():
        await screen._apply_auto(data.autosync.status())

    run_async_in_thread(on_the_loop)
    data.close()
    assert screen.pending_events.value == strings.PENDING_EVENTS.format(n=1)
