"""The automatic sync's schedule and driver (fieldapp/ui/autosync.py), without waiting:
a hand-moved clock, a scripted job, `step()` instead of the thread (except where the
thread is the point: one run at a time)."""

from __future__ import annotations

import random
import threading
import time
from datetime import datetime, timezone

import pytest

from fieldapp.ui import strings
from fieldapp.ui.autosync import (
    IDLE,
    OK,
    RETRY,
    STOP,
    AutoSync,
    Schedule,
    Skipped,
    Timing,
    classify,
    enabled_by_env,
)
from sync.result import SyncResult

T = Timing()  # the defaults: start 3 s, debounce 5 s (60 s at most), period 300 s, back-off 15 s → 600 s
NO_JITTER = lambda: 0.0  # noqa: E731 - rng() = 0: a wait is its nominal length
MOST_JITTER = lambda: 0.999999  # noqa: E731


def result(stopped: str | None = None) -> SyncResult:
    return SyncResult(started_at=datetime(2022, 6, 1, tzinfo=timezone.utc), stopped=stopped)


class Clock:
    def __init__(self, t: float = 1000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


class ScriptedJob:
    """Returns the scripted results in turn (then OK), noting when and how it was called."""

    def __init__(self, clock: Clock, *script):
        self.clock = clock
        self.script = list(script)
        self.calls: list[tuple[float, bool]] = []

    def __call__(self, progress, manual: bool):
        self.calls.append((self.clock(), manual))
        progress("a progress report")
        return self.script.pop(0) if self.script else result()


def driver(*script, timing: Timing = T, rng=NO_JITTER) -> tuple[AutoSync, ScriptedJob, Clock]:
    clock = Clock()
    job = ScriptedJob(clock, *script)
    auto = AutoSync(job, timing, clock=clock, rng=rng)
    return auto.start(thread=False), job, clock


def run_due(auto: AutoSync, clock: Clock, horizon: float) -> list[float]:
    """Move the clock from due time to due time (at most `horizon` s on); when each run started."""
    end, started = clock.t + horizon, []
    while True:
        due = auto.schedule.due()
        if due is None or due > end:
            return started
        clock.t = max(clock.t, due)
        assert auto.step()
        started.append(clock.t)


# --- timing -------------------------------------------------------------------------------------

def test_timing_comes_from_the_environment_and_bad_values_are_ignored():
    env = {"FIELDAPP_AUTOSYNC_BACKOFF_S": "0.2", "FIELDAPP_AUTOSYNC_BACKOFF_MAX_S": "1.5",
           "FIELDAPP_AUTOSYNC_DEBOUNCE_S": "0.1", "FIELDAPP_AUTOSYNC_PERIOD_S": "soon",
           "FIELDAPP_AUTOSYNC_START_S": "-1", "FIELDAPP_AUTOSYNC_JITTER": "2"}
    timing = Timing.from_env(env)
    assert (timing.backoff_s, timing.backoff_max_s, timing.debounce_s) == (0.2, 1.5, 0.1)
    assert (timing.period_s, timing.start_s, timing.jitter) == (T.period_s, T.start_s, T.jitter)
    assert Timing.from_env({}) == T
    assert (T.start_s, T.debounce_s, T.period_s, T.backoff_s, T.backoff_max_s) == (3, 5, 300, 15, 600)
    assert enabled_by_env({}) and enabled_by_env({"FIELDAPP_AUTOSYNC": "1"})
    assert not enabled_by_env({"FIELDAPP_AUTOSYNC": "0"}) and not enabled_by_env({"FIELDAPP_AUTOSYNC": " Off"})


# --- what a finished run means ------------------------------------------------------------------------

@pytest.mark.parametrize("outcome, expected", [
    (result(), (OK, None)),
    (result("network"), (RETRY, "network")),                    # office unreachable, time-out
    (result("server_unavailable"), (RETRY, "server_unavailable")),  # 5xx, 429
    (result("not_our_server"), (RETRY, "not_our_server")),      # a Wi-Fi login page
    (result("protocol_mismatch"), (RETRY, "protocol_mismatch")),
    (result("internal_error"), (RETRY, "internal_error")),
    (result("token_revoked"), (STOP, "token_revoked")),         # 401
    (result("token_invalid"), (STOP, "token_invalid")),
    (result("unauthorized"), (STOP, "unauthorized")),
    (result("forbidden"), (STOP, "forbidden")),                 # 403
    (result("not_enrolled"), (STOP, "not_enrolled")),
    (Skipped("not_enrolled"), (IDLE, "not_enrolled")),
    (Skipped("token_revoked"), (STOP, "token_revoked")),
])
def test_outcomes(outcome, expected):
    assert classify(outcome) == expected


# --- back-off -----------------------------------------------------------------------------------------

def test_backoff_doubles_from_15_s_and_is_capped_at_10_min():
    schedule = Schedule(T, rng=NO_JITTER)
    assert [schedule.backoff(n) for n in range(1, 10)] == [15, 30, 60, 120, 240, 480, 600, 600, 600]
    assert schedule.backoff(10_000) == 600  # days of failures: no overflow, still the cap


def test_jitter_stays_within_its_bounds_and_spreads_the_retries():
    schedule = Schedule(T, rng=random.Random(7).random)
    for n in range(1, 12):
        nominal = min(600.0, 15.0 * 2 ** (n - 1))
        waits = [schedule.backoff(n) for _ in range(200)]
        assert all(nominal * (1 - T.jitter) <= w <= nominal for w in waits), n
        assert max(waits) - min(waits) > nominal * T.jitter * 0.8  # spread, not all in step
    assert Schedule(T, rng=MOST_JITTER).backoff(1) == pytest.approx(15 * 0.75, rel=1e-5)


def test_failures_back_off_then_the_network_comes_back():
    schedule = Schedule(T, rng=NO_JITTER)
    schedule.start(0)
    assert schedule.due() == 3
    now = 3.0
    for expected in (15, 30, 60, 120, 240, 480, 600, 600):
        schedule.started(now)
        schedule.finished(now, RETRY, "network")
        assert schedule.due() == now + expected
        now = schedule.due()
    assert schedule.failures == 8 and schedule.last_code == "network"
    schedule.started(now)
    schedule.finished(now, OK)
    assert schedule.failures == 0 and schedule.last_code is None
    assert schedule.due() == now + 300  # healthy again: the periodic pull


# --- debounce -----------------------------------------------------------------------------------------

def test_new_records_are_sent_5_s_after_the_last_one():
    schedule = Schedule(T, rng=NO_JITTER)
    schedule.start(0)
    schedule.started(3)
    schedule.finished(3, OK)                   # next periodic try at 303
    schedule.local_change(10)
    assert schedule.due() == 15
    schedule.local_change(13)                  # another record: wait for the burst to end
    assert schedule.due() == 18


def test_a_long_burst_waits_at_most_60_s():
    schedule = Schedule(T, rng=NO_JITTER)
    schedule.start(0)
    schedule.started(3)
    schedule.finished(3, OK)
    for t in range(10, 200, 4):                # a record every 4 s for minutes
        schedule.local_change(t)
        assert schedule.due() <= 10 + 60
    assert schedule.due() == 70


def test_records_saved_during_a_run_make_a_new_burst():
    schedule = Schedule(T, rng=NO_JITTER)
    schedule.start(0)
    schedule.local_change(1)
    schedule.started(3)                        # takes the record of t=1
    schedule.local_change(4)                   # saved while the run goes
    schedule.finished(5, OK)
    assert schedule.due() == 9


def test_while_failing_new_records_wait_for_the_retry():
    schedule = Schedule(T, rng=NO_JITTER)
    schedule.start(0)
    schedule.started(3)
    schedule.finished(3, RETRY, "network")
    assert schedule.due() == 18
    schedule.local_change(4)
    assert schedule.due() == 18                # not sooner: the office is no nearer for a new record


# --- stop on 401/403 ----------------------------------------------------------------------------------

def test_a_refused_token_stops_until_the_user_acts():
    schedule = Schedule(T, rng=NO_JITTER)
    schedule.start(0)
    schedule.started(3)
    schedule.finished(3, STOP, "token_revoked")
    assert schedule.due() is None and schedule.stopped == "token_revoked"
    schedule.local_change(10)
    assert schedule.due() is None              # new records do not restart it
    schedule.resume(50)                        # re-enrolled
    assert schedule.due() == 50 and schedule.stopped is None


def test_an_enrolment_while_a_run_goes_still_gets_its_try():
    schedule = Schedule(T, rng=NO_JITTER)
    schedule.start(0)
    schedule.started(3)
    schedule.resume(4)                         # 登记本机 finished while the run went
    schedule.finished(5, OK)
    assert schedule.due() == 4                 # overdue: at once, not in 5 minutes


def test_a_refusal_of_the_token_from_before_a_new_enrolment_does_not_stop_it():
    schedule = Schedule(T, rng=NO_JITTER)
    schedule.start(0)
    schedule.started(3)                        # with the revoked token...
    schedule.resume(4)                         # ...while the phone is enrolled again
    schedule.finished(5, STOP, "token_revoked")
    assert schedule.stopped is None and schedule.due() <= 5  # at once


def test_not_enrolled_looks_again_locally_after_a_period():
    schedule = Schedule(T, rng=NO_JITTER)
    schedule.start(0)
    schedule.started(3)
    schedule.finished(3, IDLE, "not_enrolled")
    assert schedule.idle == "not_enrolled" and schedule.due() == 303


# --- the driver, by hand --------------------------------------------------------------------------------

def test_the_driver_retries_by_itself_until_the_office_answers():
    auto, job, clock = driver(result("network"), result("server_unavailable"), result("not_our_server"),
                              result("network"))
    assert not auto.step()                     # nothing due yet
    started = run_due(auto, clock, horizon=3 + 15 + 30 + 60 + 120 + 1)
    assert [round(t - 1000) for t in started] == [3, 18, 48, 108, 228]
    assert [manual for _, manual in job.calls] == [False] * 5
    status = auto.status()
    assert status.failures == 0 and status.runs == 5 and status.next_in_s == 300


def test_the_driver_stops_on_a_refused_token_and_a_tap_or_an_enrolment_resumes():
    auto, job, clock = driver(result("token_revoked"), result("token_revoked"))
    clock.t += 3
    assert auto.step()
    assert auto.status().stopped == "token_revoked" and auto.status().next_in_s is None
    clock.t += 24 * 3600
    auto.local_change()
    clock.t += 60
    assert not auto.step() and len(job.calls) == 1  # no retries at all

    tapped = auto.request()                    # 立即同步: runs although stopped
    assert auto.step() and job.calls[-1][1] is True
    assert tapped.result().stopped == "token_revoked" and auto.status().stopped == "token_revoked"

    auto.enrolled()
    assert auto.status().stopped is None and auto.status().next_in_s == 0
    assert auto.step() and tapped is not auto.request()
    assert auto.status().failures == 0


def test_a_failed_tap_restarts_the_backoff_at_its_first_step():
    auto, job, clock = driver(*[result("network")] * 5)
    run_due(auto, clock, horizon=3 + 15 + 30 + 60 + 1)
    assert auto.status().failures == 4
    auto.request()
    auto.step()
    assert auto.status().failures == 1 and auto.status().next_in_s == 15


def test_the_driver_debounces_new_records():
    auto, job, clock = driver()
    clock.t += 3
    auto.step()
    auto.local_change()
    clock.t += 4.9
    assert not auto.step()
    auto.local_change()
    clock.t += 4.9
    assert not auto.step()
    clock.t += 0.1
    assert auto.step() and len(job.calls) == 2


def test_automatic_tries_off_still_lets_the_user_sync():
    clock = Clock()
    job = ScriptedJob(clock)
    auto = AutoSync(job, T, clock=clock)       # never started: the app with FIELDAPP_AUTOSYNC=0
    auto.local_change()
    clock.t += 3600
    assert not auto.step() and auto.status().auto is False and auto.status().next_in_s is None
    tapped = auto.request()
    assert auto.step() and tapped.result().ok and job.calls == [(clock.t, True)]


def test_listeners_hear_status_and_progress_and_a_broken_one_is_dropped():
    auto, job, clock = driver()
    heard: list = []

    class Screen:
        def autosync_changed(self, status):
            heard.append(("status", status.running))

        def autosync_progress(self, progress):
            heard.append(("progress", progress))

    class Gone:
        calls = 0

        def autosync_changed(self, status):
            Gone.calls += 1
            raise RuntimeError("session closed")

        autosync_progress = autosync_changed

    screen, gone = Screen(), Gone()
    auto.add_listener(screen)
    auto.add_listener(gone)
    clock.t += 3
    auto.step()
    assert heard == [("status", True), ("progress", "a progress report"), ("status", False)]
    assert Gone.calls == 1                     # dropped after its first failure
    del screen
    import gc

    gc.collect()
    auto.local_change()                        # a screen that went is not called (held weakly)
    assert len(heard) == 3


# --- never two runs at once (real threads) --------------------------------------------------------------

def test_one_run_at_a_time_and_a_tap_joins_the_running_one():
    gate, entered = threading.Event(), threading.Event()
    active, most, calls = [0], [0], []
    lock = threading.Lock()

    def job(progress, manual):
        with lock:
            active[0] += 1
            most[0] = max(most[0], active[0])
            calls.append(manual)
        entered.set()
        gate.wait(10)
        with lock:
            active[0] -= 1
        return result()

    auto = AutoSync(job, Timing(start_s=0, debounce_s=0, period_s=3600))
    try:
        auto.start()                            # the thread runs the first try at once
        assert entered.wait(5)
        running = auto.request()                # 立即同步 during the automatic run: joins it
        assert auto.request() is running and not running.done()
        assert auto.status().running and not auto.status().manual
        assert not auto.step()                  # a second run cannot start beside it
        auto.local_change()                     # a record saved meanwhile: a run after this one
        entered.clear()
        gate.set()
        assert running.result(5).ok
        assert entered.wait(5)
        deadline = time.monotonic() + 5
        while auto.status().running and time.monotonic() < deadline:
            time.sleep(0.01)
        assert most[0] == 1 and calls == [False, False]
    finally:
        gate.set()
        auto.close()


def test_taps_while_idle_share_one_run():
    gate = threading.Event()
    calls = []

    def job(progress, manual):
        calls.append(manual)
        gate.wait(10)
        return result()

    auto = AutoSync(job, T)
    try:
        first, second = auto.request(), auto.request()
        gate.set()
        assert first.result(5) is second.result(5) and calls == [True]
    finally:
        auto.close()


# --- the 同步 screen's line ---------------------------------------------------------------------------

def test_the_sync_screen_says_what_the_automatic_sync_does():
    from fieldapp.ui.autosync import Status
    from fieldapp.ui.screens.sync import auto_text

    now = datetime(2022, 6, 1, 10, 40, 30)

    def status(**kw):
        base = dict(auto=True, running=False, manual=False, stopped=None, idle=None, failures=0,
                    last_code=None, next_in_s=120.0, runs=1)
        return Status(**{**base, **kw})

    assert auto_text(status(), now) == strings.SYNC_AUTO_NEXT.format(when="10:42")
    assert auto_text(status(failures=2, last_code="network", next_in_s=30), now) == "连不上办事处，10:41 自动重试"
    assert auto_text(status(failures=1, last_code="not_our_server"), now).startswith("连上的不是办事处服务器")
    assert auto_text(status(failures=1, last_code="protocol_mismatch"), now).startswith(strings.SYNC_AUTO_WHY_OTHER)
    assert auto_text(status(stopped="token_revoked", next_in_s=None), now) == strings.SYNC_AUTO_STOPPED
    assert auto_text(status(), now, token_dead=True) == strings.SYNC_AUTO_STOPPED
    assert auto_text(status(idle="not_enrolled"), now) == strings.SYNC_AUTO_NOT_ENROLLED
    assert auto_text(status(), now, enrolled=False) == strings.SYNC_AUTO_NOT_ENROLLED
    assert auto_text(status(running=True), now) == strings.SYNC_AUTO_RUNNING
    assert auto_text(status(running=True, manual=True), now) == strings.SYNCING
    assert auto_text(status(auto=False), now) == strings.SYNC_AUTO_OFF
