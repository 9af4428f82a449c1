"""Benchmark: scoring a year of 100,000 cases / 1,000,000 events, and the live refresh.

    python bench/score.py [CASES] [EVENTS]        (defaults: 100000 1000000)

Builds a synthetic but realistic log in memory (sources mostly D, some A/B/C/E;
photos, sightings, re-checks that fall short then pass, deadline changes,
verifications, exemptions, voids, recurrence proposals/decisions, resident
surveys, monthly and office scores, tallies, bonuses, a fund roster; 5 % of the
cases from the previous year), then times, in the same run:

- `score_year` (the fast full score)                      target < 2 s
- the incremental refresh after one new event
  (`Scoreboard.apply` + `standings()`)                      target < 50 ms
- the naive full recompute (`score_year_from_projections`:
  every case folded by `project_case`, with its history)   baseline

and prints the ratios. The fast and the naive results are checked to be equal.
"""

from __future__ import annotations

import gc
import random
import sys
import time
import uuid
from datetime import date, datetime, timedelta, timezone

from fieldapp.domain.events import (
    BonusAwarded,
    CaseExempted,
    CaseRechecked,
    CaseRegistered,
    CaseSighted,
    CaseVerified,
    CaseVoided,
    DeadlineChanged,
    Event,
    FundRosterSet,
    OfficeAssessed,
    PhotoAdded,
    RecurrenceConfirmed,
    RecurrenceProposed,
    RecurrenceRejected,
    SuperiorScored,
    SurveyAnswered,
    SurveyTallied,
)
from fieldapp.domain.scoring import Scoreboard, evaluation_instant, score_year, score_year_from_projections
from fieldapp.rules import load_rules

SOURCES = ["D"] * 70 + ["C"] * 15 + ["A"] * 5 + ["B"] * 7 + ["E"] * 3
ANSWERS = ["满意"] * 6 + ["基本满意"] * 3 + ["不满意"]


def build_log(rules, n_cases: int, n_events: int, seed: int = 2022) -> list[Event]:
    rng = random.Random(seed)
    tz = rules.tz
    communities = [c.code for c in rules.communities]
    categories = [c.code for c in rules.categories]
    sha = "ab" * 32

    def uid() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    events: list[Event] = []
    add = events.append

    def ev(data, at, actor="inspector-1", device="phone-1"):
        add(Event(uid(), data, actor, device, wire(at)))

    # Events read back from a store carry a fresh fixed-offset tzinfo each (datetime.fromisoformat):
    # comparing such times is much slower than comparing times sharing one tzinfo object.
    def wire(t: datetime) -> datetime:
        return t.replace(tzinfo=timezone(timedelta(hours=8)))

    year_start = datetime(2022, 1, 1, tzinfo=tz)
    case_ids: list[tuple[str, str, datetime]] = []
    for _ in range(n_cases):
        case_id = uid()
        community = rng.choice(communities)
        source = rng.choice(SOURCES)
        day = rng.randrange(-20, 365) if rng.random() < 0.05 else rng.randrange(0, 365)
        found = wire(year_start + timedelta(days=day, minutes=rng.randrange(8 * 60, 18 * 60)))
        days = rules.source(source).default_rectification_days
        deadline = found.date() + timedelta(days=days)
        ev(CaseRegistered(case_id, community, rng.choice(categories), source, "", "某街道", None, found, deadline, False), found)
        t = found
        for _ in range(rng.choice((1, 2, 2, 3))):
            ev(PhotoAdded(case_id, sha, sha, "before", 1600, 1200, 250_000, None, None), t)
        if rng.random() < 0.3:
            ev(CaseSighted(case_id, t + timedelta(hours=2), "", None), t + timedelta(hours=2))
        if source in ("A", "B", "E") and rng.random() < 0.9:
            ev(CaseVerified(case_id, ""), t + timedelta(hours=5), "staff-1", "office")
        if rng.random() < 0.05:
            deadline += timedelta(days=rng.randrange(1, 5))
            ev(DeadlineChanged(case_id, deadline, "雨天"), t + timedelta(hours=6), "staff-1", "office")
        if source in ("A", "B") and rng.random() < 0.1:
            ev(CaseExempted(case_id, "拆迁"), t + timedelta(hours=7), "staff-1", "office")
        if rng.random() < 0.02:
            ev(CaseVoided(case_id, "误登记"), t + timedelta(hours=8), "staff-1", "office")
        if rng.random() < 0.2:
            t = wire(t + timedelta(days=rng.randrange(1, days + 1), hours=1))
            ev(CaseRechecked(case_id, "falls_short", t, "", ()), t)
        if rng.random() < 0.85:
            t = wire(t + timedelta(days=rng.randrange(0, days + 3), hours=1))
            ev(PhotoAdded(case_id, sha, sha, "after", 1600, 1200, 250_000, None, None), t)
            ev(CaseRechecked(case_id, "rectified", t, "", (sha,)), t)
        if case_ids and rng.random() < 0.06:
            earlier = rng.choice(case_ids)[0]
            ev(RecurrenceProposed(case_id, earlier, ""), found + timedelta(minutes=1))
            decision = rng.random()
            if decision < 0.6:
                ev(RecurrenceConfirmed(case_id, earlier, ""), found + timedelta(days=1), "staff-1", "office")
            elif decision < 0.8:
                ev(RecurrenceRejected(case_id, earlier, ""), found + timedelta(days=1), "staff-1", "office")
        case_ids.append((case_id, community, found))

    for community in communities:
        for m in range(1, 13):
            if rng.random() < 0.9:
                ev(SuperiorScored(community, f"2022-{m:02d}", round(rng.uniform(80, 98), 1)),
                   datetime(2022, m, 28, tzinfo=tz), "staff-1", "office")  # fmt: skip
        for m in rng.sample(range(1, 13), 4):
            ev(OfficeAssessed(community, date(2022, m, 15), rng.randrange(75, 99)), datetime(2022, m, 15, tzinfo=tz), "staff-1", "office")
            ev(SurveyTallied(community, date(2022, m, 16), {"满意": rng.randrange(50, 90), "基本满意": rng.randrange(5, 30), "不满意": rng.randrange(0, 15)}, ""),
               datetime(2022, m, 16, tzinfo=tz), "staff-1", "office")  # fmt: skip
        for _ in range(rng.randrange(3, 9)):
            ev(BonusAwarded(community, rng.choice(["M1", "M2", "M3", "P1", "P2", "P3"]), date(2022, rng.randrange(1, 13), 3), "报道"),
               datetime(2022, 6, 1, tzinfo=tz), "staff-1", "office")  # fmt: skip
    ev(FundRosterSet(2022, {"office_secretary": ["王"], "section_member": ["李", "张", "赵"]}), datetime(2022, 1, 5, tzinfo=tz), "staff-1", "office")

    while len(events) < n_events:
        at = wire(year_start + timedelta(seconds=rng.randrange(0, 365 * 86400)))
        ev(SurveyAnswered(uid(), rng.choice(communities), rng.choice(ANSWERS), "", at), at)
    return events


def timed(fn, repeat=1):
    times = []
    result = None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def main(argv: list[str]) -> int:
    n_cases = int(argv[1]) if len(argv) > 1 else 100_000
    n_events = int(argv[2]) if len(argv) > 2 else 1_000_000
    rules = load_rules(2022)
    at = evaluation_instant(rules, now=datetime(2022, 11, 15, 4, 0, tzinfo=timezone.utc))

    t0 = time.perf_counter()
    events = build_log(rules, n_cases, n_events)
    print(f"built {len(events):,} events for {n_cases:,} cases in {time.perf_counter() - t0:.1f} s")

    full_s, fast = timed(lambda: score_year(rules, events, at), repeat=3)
    print(f"score_year (fast full score):            {full_s:8.3f} s   target < 2 s   {'OK' if full_s < 2 else 'SLOW'}")

    board = Scoreboard(rules, at).load(events)
    board.standings()
    # One new event of each kind that moves the ranking: a passing re-check of a pending case,
    # a recurrence confirmation, a void of an earlier case other cases name, a survey answer.
    pending = next(cid for cid in board._time_sensitive if board._cases[cid].reg is not None)
    earlier = max(board._recurs_on, key=lambda e: len(board._recurs_on[e]))
    some = events[0].case_id
    new = [
        Event(str(uuid.uuid4()), CaseRechecked(pending, "rectified", at - timedelta(minutes=5), "", ()), "inspector-1", "phone-1", at),
        Event(str(uuid.uuid4()), RecurrenceConfirmed(some, earlier, ""), "staff-1", "office", at),
        Event(str(uuid.uuid4()), CaseVoided(earlier, "误登记"), "staff-1", "office", at),
        Event(str(uuid.uuid4()), SurveyAnswered(str(uuid.uuid4()), "C1", "满意", "", at - timedelta(minutes=1)), "inspector-1", "phone-1", at),
    ]
    incr = []
    for event in new:
        gc.collect()
        t0 = time.perf_counter()
        board.apply(event)
        board.standings()
        incr.append(time.perf_counter() - t0)
    incr_ms = max(incr) * 1000
    print(f"incremental refresh after one event:     {incr_ms:8.3f} ms  target < 50 ms  {'OK' if incr_ms < 50 else 'SLOW'}"
          f"   (per event: {', '.join(f'{t * 1000:.3f}' for t in incr)} ms)")  # fmt: skip
    detail_s, _ = timed(board.result)
    print(f"  full report from the live board:       {detail_s * 1000:8.1f} ms")

    naive_s, naive = timed(lambda: score_year_from_projections(rules, events, at))
    print(f"naive full recompute (project_case):     {naive_s:8.3f} s")
    same = naive == fast
    print(f"fast == naive result:                     {same}")
    print(f"ratio naive / score_year:                 {naive_s / full_s:8.1f}x")
    print(f"ratio naive / incremental refresh:        {naive_s / max(incr):8.0f}x")
    print(f"ratio score_year / incremental refresh:   {full_s / max(incr):8.0f}x")
    return 0 if same and full_s < 2 and incr_ms < 50 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
