"""Automatic background sync on the phone: when to try, and never two runs at once.

While the app runs and the phone is enrolled it syncs by itself: soon after start,
a few seconds after the last new record (registration, re-check, void, survey
answer), and every few minutes to pull others' changes. A try that fails for a
network reason (office unreachable, 5xx, time-out, a Wi-Fi login page) is retried
with exponential back-off and jitter (15 s, 30 s, 60 s … at most 10 min), so the
records go when the network comes back, with nobody tapping anything. A refused
token (401/403: revoked, unknown) stops the automatic tries until the user acts
(re-enrols, or taps 立即同步).

Two parts:

* `Schedule` — pure: what happened (start, a new record, a run finished with this
  outcome, the user acted) at a time ``now`` (monotonic seconds) in, the time of
  the next try out. No threads, no clock: unit-tested without waiting.
* `AutoSync` — the driver: one thread waits until the schedule's next try (or a
  user's request) and runs the sync job; every run, automatic or asked for by
  立即同步, goes through it, so there is only ever one. A tap during an automatic
  run joins it (`request` returns that run's future). Listeners (the 同步 screens
  of all sessions) hear about status changes and progress, on the driver's thread:
  they must hand them to their own event loop.

Timing constants come from the environment (docs/sync.md, "Automatic sync"):
``FIELDAPP_AUTOSYNC=0`` turns the automatic runs off (立即同步 still works);
``FIELDAPP_AUTOSYNC_{START,DEBOUNCE,DEBOUNCE_MAX,PERIOD,BACKOFF,BACKOFF_MAX}_S``
and ``FIELDAPP_AUTOSYNC_JITTER`` override the defaults of `Timing`.

No Flet, no SQLite, no HTTP here: the job is injected (`fieldapp.ui.data.sync_job`).
"""

from __future__ import annotations

import logging
import os
import random
import threading
import time
import weakref
from concurrent.futures import Future
from dataclasses import dataclass, fields, replace
from typing import Any, Callable, Mapping, Optional

from sync.protocol import AUTH_REFUSED

log = logging.getLogger(__name__)

ENV_SWITCH = "FIELDAPP_AUTOSYNC"
ENV_PREFIX = "FIELDAPP_AUTOSYNC_"
OFF_VALUES = frozenset({"0", "off", "no", "false"})

# What a finished try means for the next one.
OK = "ok"          # the run completed (records it could not deliver wait with their reason)
RETRY = "retry"    # network-ish: try again after a back-off
STOP = "stop"      # the office refused this phone (401/403): no automatic tries until the user acts
IDLE = "idle"      # nothing to talk to yet (not enrolled): look again locally after a period

#: Stop codes of a run (docs/sync.md) after which retrying cannot help until the user acts.
STOP_CODES = AUTH_REFUSED | {"not_enrolled"}
#: Failures the network explains; any other stop (say protocol_mismatch) is retried with the same
#: back-off too — at most every 10 minutes it costs nothing, and the office may be mid-upgrade.
NETWORK_CODES = frozenset({"network", "server_unavailable", "not_our_server"})


@dataclass(frozen=True)
class Timing:
    """Seconds. A back-off or period of d waits between (1 - jitter)·d and d."""

    start_s: float = 3.0            # the first try after the app starts
    debounce_s: float = 5.0         # a try this long after the last new record...
    debounce_max_s: float = 60.0    # ...but no later than this after the first of a burst
    period_s: float = 300.0         # pull others' changes this often
    backoff_s: float = 15.0         # the first retry after a failure; doubles each time...
    backoff_max_s: float = 600.0    # ...up to this
    jitter: float = 0.25            # phones coming back onto the Wi-Fi together do not retry in step

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "Timing":
        """The defaults, with ``FIELDAPP_AUTOSYNC_<NAME>`` overrides (a bad value is logged, ignored)."""
        env = os.environ if environ is None else environ
        changes: dict[str, float] = {}
        for f in fields(cls):
            name = ENV_PREFIX + f.name.upper()  # start_s -> FIELDAPP_AUTOSYNC_START_S
            raw = env.get(name)
            if raw is None or not raw.strip():
                continue
            try:
                value = float(raw)
            except ValueError:
                value = -1.0
            if value < 0 or value != value or (f.name == "jitter" and value > 1):
                log.warning("ignoring %s=%r: not a number of seconds", name, raw)
                continue
            changes[f.name] = value
        return replace(cls(), **changes)


def enabled_by_env(environ: Optional[Mapping[str, str]] = None) -> bool:
    env = os.environ if environ is None else environ
    return env.get(ENV_SWITCH, "1").strip().lower() not in OFF_VALUES


@dataclass(frozen=True)
class Skipped:
    """A try that did not go to the network: ``not_enrolled``, or the stop code of the last run
    since the enrolment (a revoked token stays revoked across app restarts)."""

    code: str


def classify(result: Any) -> tuple[str, Optional[str]]:
    """(OK | RETRY | STOP | IDLE, the code) of a job's result (a SyncResult or a Skipped)."""
    if isinstance(result, Skipped):
        return (STOP if result.code in AUTH_REFUSED else IDLE), result.code
    stopped = getattr(result, "stopped", None)
    if stopped is None:
        return OK, None
    if stopped in STOP_CODES:
        return STOP, stopped
    return RETRY, stopped


# --- the schedule (pure) ------------------------------------------------------------------------

class Schedule:
    """When to try next. Every method takes ``now`` (monotonic seconds); `due` says when.

    Healthy: the earlier of the periodic try and the debounced try after new records.
    Failing: the back-off retry (new records made meanwhile go with it: the office is
    not reachable any sooner because someone saved a case). Stopped: never, until `resume`.
    """

    def __init__(self, timing: Timing = Timing(), rng: Callable[[], float] = random.random):
        self.timing = timing
        self.rng = rng
        self.failures = 0                   # failed tries in a row
        self.last_code: Optional[str] = None  # why the last try did not complete (None: it did)
        self.stopped: Optional[str] = None  # the auth code that stopped the automatic tries
        self.idle: Optional[str] = None     # "not_enrolled": nobody to talk to yet
        self.periodic_at: Optional[float] = None
        self.change_at: Optional[float] = None
        self.burst_since: Optional[float] = None
        self.retry_at: Optional[float] = None
        self._resumes = 0                   # enrolments so far...
        self._resumes_at_start = 0          # ...when the last run started

    def due(self) -> Optional[float]:
        """When the next automatic try should start (None: none planned)."""
        if self.stopped is not None:
            return None
        if self.retry_at is not None:
            return self.retry_at
        times = [t for t in (self.periodic_at, self.change_at) if t is not None]
        return min(times) if times else None

    def start(self, now: float) -> None:
        """The app started: a first try soon."""
        self.periodic_at = now + self.timing.start_s

    def local_change(self, now: float) -> None:
        """A new record was saved on this phone: a try `debounce_s` after the last of a burst."""
        if self.burst_since is None:
            self.burst_since = now
        self.change_at = min(now + self.timing.debounce_s, self.burst_since + self.timing.debounce_max_s)

    def resume(self, now: float, delay: float = 0.0) -> None:
        """The user enrolled: forget the stop and the back-off, try after `delay`. Kept like a new
        record's try, so a run going now (with the old state) does not swallow it."""
        self._forget_failures()
        self.change_at, self.burst_since = now + delay, None
        self._resumes += 1

    def started(self, now: float, *, manual: bool = False) -> None:
        """A run starts: it takes every record there is now (those saved later make a new burst).
        One the user asked for (立即同步) also forgets the stop and the back-off: if it fails, the
        retries start again from `backoff_s`."""
        if manual:
            self._forget_failures()
        self.change_at = self.burst_since = None
        self._resumes_at_start = self._resumes

    def _forget_failures(self) -> None:
        self.stopped = self.idle = None
        self.failures = 0
        self.retry_at = None

    def finished(self, now: float, outcome: str, code: Optional[str] = None) -> None:
        t = self.timing
        self.last_code = code
        if outcome == OK:
            self.failures, self.retry_at, self.stopped, self.idle = 0, None, None, None
            self.periodic_at = now + self.jittered(t.period_s)
        elif outcome == RETRY:
            self.failures += 1
            self.idle = None
            self.retry_at = now + self.backoff(self.failures)
            self.periodic_at = None
        elif outcome == STOP and self._resumes != self._resumes_at_start:
            pass  # refused with the token from before an enrolment made meanwhile: try the new one
        elif outcome == STOP:
            self.stopped = code or "unauthorized"
            self.failures, self.retry_at, self.periodic_at, self.idle = 0, None, None, None
            self.change_at = self.burst_since = None
        elif outcome == IDLE:
            self.failures, self.retry_at, self.stopped = 0, None, None
            self.idle = code
            self.periodic_at = now + t.period_s  # a local look (no network) for an enrolment from elsewhere
        else:
            raise ValueError(outcome)

    def backoff(self, failures: int) -> float:
        """The wait before retry number `failures` (1, 2, …): doubling from `backoff_s`, capped, jittered."""
        t = self.timing
        nominal = min(t.backoff_max_s, t.backoff_s * 2.0 ** min(max(failures, 1) - 1, 40))
        return self.jittered(nominal)

    def jittered(self, seconds: float) -> float:
        return seconds * (1.0 - self.timing.jitter * self.rng())


# --- the driver ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Status:
    """What the 同步 screen says about the automatic sync."""

    auto: bool                      # automatic tries on
    running: bool                   # a run (automatic or asked for) is going
    manual: bool                    # ...asked for by the user
    stopped: Optional[str]          # the auth code that stopped the automatic tries
    idle: Optional[str]             # "not_enrolled"
    failures: int                   # failed tries in a row
    last_code: Optional[str]        # why the last try did not complete
    next_in_s: Optional[float]      # seconds until the next automatic try (None: none planned)
    runs: int                       # runs finished so far (a screen re-reads its counts when it grows)


#: job(progress, manual) -> SyncResult | Skipped, run on the driver's thread (it may hop further).
Job = Callable[[Callable[[Any], None], bool], Any]


class AutoSync:
    """Runs the sync job when the `Schedule` says so, or when asked (`request`); one run at a time.

    Made with automatic tries off: `start` turns them on (the app does, unless
    ``FIELDAPP_AUTOSYNC=0``); without it only `request` runs the job. `step` does
    one iteration without waiting — with an injected `clock`, tests drive it by hand.
    """

    def __init__(self, job: Job, timing: Optional[Timing] = None, *,
                 clock: Callable[[], float] = time.monotonic, rng: Callable[[], float] = random.random,
                 thread_name: str = "fieldapp-autosync"):
        self.job = job
        self.timing = timing or Timing()
        self.clock = clock
        self.schedule = Schedule(self.timing, rng)
        self.auto = False
        self.runs = 0
        self._thread_name = thread_name
        self._cond = threading.Condition()
        self._thread: Optional[threading.Thread] = None
        self._closed = False
        self._running: Optional[Future] = None
        self._running_manual = False
        self._waiting: Optional[Future] = None  # a request the thread has not started yet
        self._listeners: "weakref.WeakSet[Any]" = weakref.WeakSet()
        self._listeners_lock = threading.Lock()

    # --- what the app and the screens call (any thread) -----------------------------------

    def start(self, *, thread: bool = True) -> "AutoSync":
        """Turn the automatic tries on (the first one `Timing.start_s` from now). Idempotent."""
        with self._cond:
            if not self.auto:
                self.auto = True
                self.schedule.start(self.clock())
            if thread:
                self._ensure_thread()
            self._cond.notify_all()
        self._emit()
        return self

    def retime(self, timing: Timing) -> None:
        """Other timing (tests); the waits planned so far stay."""
        with self._cond:
            self.timing = self.schedule.timing = timing
            self._cond.notify_all()

    def set_auto(self, on: bool) -> None:
        if on:
            self.start()
            return
        with self._cond:
            self.auto = False
            self._cond.notify_all()
        self._emit()

    def local_change(self) -> None:
        """A new record was saved (any thread): a try after the debounce."""
        with self._cond:
            self.schedule.local_change(self.clock())
            self._cond.notify_all()
        self._emit()

    def enrolled(self) -> None:
        """The phone was (re-)enrolled: forget any stop, try now."""
        with self._cond:
            self.schedule.resume(self.clock())
            self._cond.notify_all()
        self._emit()

    def request(self) -> Future:
        """立即同步: the future of a run — the one going now if there is one (a tap joins it), else
        one that starts at once. Its result is a SyncResult (or a Skipped)."""
        with self._cond:
            if self._closed:
                raise RuntimeError("sync is shut down")
            if self._running is not None:
                return self._running
            if self._waiting is None:
                self._waiting = Future()
            waiting = self._waiting
            self._ensure_thread()
            self._cond.notify_all()
        return waiting

    def status(self) -> Status:
        with self._cond:
            s = self.schedule
            due = s.due() if self.auto else None
            return Status(auto=self.auto, running=self._running is not None,
                          manual=self._running is not None and self._running_manual,
                          stopped=s.stopped, idle=s.idle, failures=s.failures, last_code=s.last_code,
                          next_in_s=None if due is None else max(0.0, due - self.clock()), runs=self.runs)

    def add_listener(self, listener: Any) -> None:
        """`listener.autosync_changed(status)` and `listener.autosync_progress(progress)` are called
        on the thread where things happen; held weakly (a closed session's screen just goes)."""
        with self._listeners_lock:
            self._listeners.add(listener)

    def remove_listener(self, listener: Any) -> None:
        with self._listeners_lock:
            self._listeners.discard(listener)

    def close(self, timeout: float = 5.0) -> None:
        with self._cond:
            self._closed = True
            waiting, self._waiting = self._waiting, None
            self._cond.notify_all()
            thread = self._thread
        if waiting is not None:
            waiting.cancel()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    # --- the run ------------------------------------------------------------------------------

    def step(self) -> bool:
        """Run once if a request waits or a try is due; False if nothing was due (or one is running)."""
        with self._cond:
            now = self.clock()
            if self._running is not None or self._closed:
                return False
            manual = self._waiting is not None
            if not manual and not self._due(now):
                return False
            future, self._waiting = self._waiting, None
            if future is None or not future.set_running_or_notify_cancel():  # nobody waits any more
                future = Future()
                future.set_running_or_notify_cancel()
            self._running, self._running_manual = future, manual
            self.schedule.started(now, manual=manual)
        self._emit()
        result: Any = None
        error: Optional[BaseException] = None
        try:
            result = self.job(self._progress, manual)
        except Exception as exc:  # noqa: BLE001 - the job never raises by design; the pool may
            log.exception("sync job failed")
            error = exc
        outcome, code = (RETRY, "internal_error") if error is not None else classify(result)
        with self._cond:
            self.schedule.finished(self.clock(), outcome, code)
            self.runs += 1
            self._running = None
            self._cond.notify_all()
        log.info("sync run (%s): %s%s", "asked" if manual else "auto", outcome, f" {code}" if code else "")
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)
        self._emit()
        return True

    def _due(self, now: float) -> bool:
        if not self.auto:
            return False
        due = self.schedule.due()
        return due is not None and due <= now

    def _ensure_thread(self) -> None:
        """(under the lock)"""
        if self._thread is None and not self._closed:
            self._thread = threading.Thread(target=self._loop, name=self._thread_name, daemon=True)
            self._thread.start()

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._closed and self._waiting is None and not self._due(self.clock()):
                    due = self.schedule.due() if self.auto else None
                    self._cond.wait(None if due is None else max(0.01, due - self.clock()))
                if self._closed:
                    return
            self.step()

    # --- telling the screens ----------------------------------------------------------------------

    def _each_listener(self, method: str, arg: Any) -> None:
        with self._listeners_lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                getattr(listener, method)(arg)
            except Exception:  # noqa: BLE001 - a closed session's screen: forget it
                log.debug("dropping a sync listener", exc_info=True)
                self.remove_listener(listener)

    def _emit(self) -> None:
        self._each_listener("autosync_changed", self.status())

    def _progress(self, progress: Any) -> None:
        self._each_listener("autosync_progress", progress)
