"""The local SQLite store (sqlite-utils): the event log plus projections kept for fast reads.

One `Store` per thread (a sqlite3 connection belongs to the thread that opened
it); WAL lets the UI, a sync worker and the office server share one file.
Every append writes the events and the projections they change in one
transaction, so a crash leaves either all of it or none of it. Projections can
be rebuilt from the log at any time (`rebuild_projections`).
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from fieldapp.domain import deadlines
from fieldapp.domain.events import CASE_EVENT_TYPES, Event, PhotoAdded, SurveyAnswered, content_hash_of
from fieldapp.domain.geo import Position, bounding_box
from fieldapp.domain.projection import OPEN, STATUSES, CaseState, case_status, project_case
from fieldapp.domain.recurrence import Candidate, NearbyCase, nearby_cases
from fieldapp.domain.rules import Rules

ACCEPTED = "accepted"
DUPLICATE = "duplicate"
CONFLICT = "conflict"

migrations = Migrations("fieldapp")


@migrations()
def m001_event_log(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY,          -- this store's own order of arrival
            id TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            subject TEXT NOT NULL,
            case_id TEXT,
            payload TEXT NOT NULL,
            actor TEXT NOT NULL,
            device TEXT NOT NULL,
            recorded_at TEXT NOT NULL,        -- the writing device's clock, ISO 8601
            content_hash TEXT NOT NULL,
            server_seq INTEGER UNIQUE,        -- the office's order, once the office has it
            stored_at TEXT NOT NULL           -- this store's clock when it stored the event
        )"""
    )
    db.execute("CREATE INDEX events_case ON events(case_id) WHERE case_id IS NOT NULL")
    db.execute("CREATE INDEX events_type ON events(type)")


@migrations()
def m002_projections(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE cases (
            case_id TEXT PRIMARY KEY,
            community TEXT NOT NULL,
            category TEXT NOT NULL,
            source TEXT NOT NULL,
            note TEXT NOT NULL,
            place TEXT NOT NULL,
            lat REAL, lon REAL, accuracy_m REAL,
            found_at TEXT NOT NULL,
            registered_by TEXT NOT NULL,
            unannounced INTEGER NOT NULL,
            deadline TEXT NOT NULL,           -- local date YYYY-MM-DD: sorts as text
            lifecycle TEXT NOT NULL,
            rectified_at TEXT,
            on_time INTEGER,
            falls_short INTEGER NOT NULL,
            verified INTEGER NOT NULL,
            exempted INTEGER NOT NULL,
            thumb TEXT,                       -- sha256 of the first "before" photo
            photo_count INTEGER NOT NULL,
            sightings INTEGER NOT NULL,
            recurrence TEXT,                  -- JSON [[earlier case id, state], ...] or NULL
            flags TEXT                        -- JSON list or NULL
        )"""
    )
    db.execute("CREATE INDEX cases_urgency ON cases(lifecycle, deadline)")
    db.execute("CREATE INDEX cases_mine ON cases(registered_by, lifecycle, deadline)")
    db.execute("CREATE INDEX cases_community ON cases(community, lifecycle, deadline)")
    db.execute("CREATE INDEX cases_place ON cases(community, category, lat)")
    db.execute(
        """
        CREATE TABLE photos (
            sha256 TEXT NOT NULL,
            case_id TEXT NOT NULL,
            stage TEXT NOT NULL,
            width INTEGER, height INTEGER, size_bytes INTEGER,
            taken_at TEXT, lat REAL, lon REAL,
            event_id TEXT NOT NULL,
            PRIMARY KEY (case_id, sha256, stage)
        )"""
    )
    db.execute("CREATE INDEX photos_sha ON photos(sha256)")
    db.execute(
        """
        CREATE TABLE surveys (
            survey_id TEXT PRIMARY KEY,
            community TEXT NOT NULL,
            answer TEXT NOT NULL,
            comment TEXT NOT NULL,
            answered_at TEXT NOT NULL,
            actor TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX surveys_community ON surveys(community, answered_at)")


@migrations()
def m003_meta(db: Database) -> None:
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


@migrations()
def m004_survey_day(db: Database) -> None:
    # The answer time in UTC, as fixed-width text that sorts in time order, so that
    # "how many on this local day" is an indexed range count (Store.survey_count).
    db.execute("ALTER TABLE surveys ADD COLUMN answered_utc TEXT")
    rows = db.execute("SELECT survey_id, answered_at FROM surveys").fetchall()
    db.conn.executemany("UPDATE surveys SET answered_utc = ? WHERE survey_id = ?",
                        [(utc_key(answered_at), survey_id) for survey_id, answered_at in rows])
    db.execute("CREATE INDEX surveys_actor_day ON surveys(actor, answered_utc)")


@migrations()
def m005_community_loop(db: Database) -> None:
    # The community's loop (整改反馈 → 复查, 申请免责): what the lists and the 督办 screen ask for.
    # Existing rows have none of it (no reports or requests existed); rebuilding fills them anyway.
    db.execute("ALTER TABLE cases ADD COLUMN awaiting_since TEXT")  # earliest report awaiting its check
    db.execute("ALTER TABLE cases ADD COLUMN awaiting_utc TEXT")  # the same as utc_key: sorts in time order
    db.execute("ALTER TABLE cases ADD COLUMN exemption_request TEXT")  # requested / granted / refused
    db.execute("ALTER TABLE cases ADD COLUMN last_check_note TEXT")  # the latest check's note, if it fell short
    db.execute("CREATE INDEX cases_awaiting ON cases(awaiting_utc) WHERE awaiting_utc IS NOT NULL")


@migrations()
def m006_evidence_marks(db: Database) -> None:
    # Evidence marks (domain/evidence.py) for the lists: JSON list, NULL when none. Cases stored
    # before had none (their events carry none), so existing rows stay right as NULL.
    db.execute("ALTER TABLE cases ADD COLUMN marks TEXT")


CLOSED = "closed"  # open_cases(status=CLOSED): 已办结


def utc_key(moment: datetime | str) -> str | None:
    """`moment` (aware, or its ISO text) in UTC as ``YYYY-MM-DDTHH:MM:SS.ffffff``: text order is time order."""
    try:
        if isinstance(moment, str):
            moment = datetime.fromisoformat(moment)
        return moment.astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec="microseconds")
    except (ValueError, TypeError, OverflowError):
        return None


def _ids(who: str | Sequence[str]) -> tuple[str, ...]:
    """One actor id, or several (the phone's inspector and its ids from before enrolment)."""
    return (who,) if isinstance(who, str) else tuple(dict.fromkeys(who))


def _in(column: str, values: tuple) -> str:
    return f"{column} IN ({', '.join('?' * len(values))})" if values else "0"


@dataclass(frozen=True)
class AppendResult:
    event_id: str
    status: str  # accepted / duplicate / conflict
    seq: int | None = None


@dataclass(frozen=True)
class CaseRow:
    """One line of a case list: what the list screens show."""

    case_id: str
    community: str
    category: str
    source: str
    note: str
    place: str
    position: Position | None
    found_at: datetime
    registered_by: str
    deadline: date
    lifecycle: str
    status: str
    days_left: int
    thumb: str | None
    photo_count: int
    falls_short: bool
    awaiting_since: datetime | None = None  # the community reported it done; the re-check is due
    exemption_request: str = ""  # "" / requested / granted / refused
    last_check_note: str = ""  # why the latest re-check fell short
    marks: tuple[str, ...] = ()  # evidence marks (domain/evidence.py)


class Store:
    """The event log and its projections in one SQLite file."""

    def __init__(self, path: str | Path, rules: Rules, *, durable: bool = True):
        self.path = Path(path)
        self.rules = rules
        self.tz = rules.tz
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=30)
        self.db = Database(conn)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.durable = durable
        # FULL: a committed append survives a power cut, not only a killed process.
        self.db.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
        self.db.execute("PRAGMA foreign_keys=ON")
        with self.write():  # two processes opening a new file must not both migrate it
            migrations.apply(self.db)

    @contextmanager
    def write(self, *, fsync: bool = True) -> Iterator[Database]:
        """A write transaction that takes the write lock up front.

        A deferred BEGIN that reads and then writes can fail at once with
        "database is locked" when another connection wrote meanwhile (WAL);
        BEGIN IMMEDIATE waits for the lock instead (up to the busy timeout).
        Nested use becomes a savepoint. `fsync=False`: this commit is not
        fsynced (synchronous=NORMAL for it): it survives a killed process, and
        a power cut only if a later commit was fsynced (WAL keeps commits in order).
        """
        if self.db.conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        relaxed = self.durable and not fsync
        if relaxed:
            self.db.execute("PRAGMA synchronous=NORMAL")
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.conn.rollback()
                raise
            self.db.execute("COMMIT")
        finally:
            if relaxed:
                self.db.execute("PRAGMA synchronous=FULL")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- writing --------------------------------------------------------------

    def append(self, events: Iterable[Event], *, assign_server_seq: bool = False) -> list[AppendResult]:
        """Store events and update their projections in one transaction.

        A known id with the same content is a `duplicate` (a harmless resend); a
        known id with different content is a `conflict` and overwrites nothing.
        With assign_server_seq (the office), each new event gets the next server_seq.

        A few SQL statements for the whole batch, not a few per event: every SQLite call lets
        the interpreter go to other threads, and on a busy office (fifty phones uploading) the
        writer thread then waits to get it back — that wait, not SQLite, was most of a push.
        """
        events = list(events)
        if not events:
            return []
        results: list[AppendResult] = []
        stored_at = datetime.now(timezone.utc).isoformat()
        with self.write():
            wires = [event.to_dict() for event in events]
            known = self._known([event.id for event in events])  # id -> (content hash, seq)
            seq = self.db.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0]
            rows, learnt, fresh = [], [], []
            for event, wire in zip(events, wires):
                content_hash = content_hash_of(wire)
                seen = known.get(event.id)
                if seen is not None:
                    status = DUPLICATE if seen[0] == content_hash else CONFLICT
                    if status == DUPLICATE and event.server_seq is not None:
                        learnt.append((event.server_seq, event.id))
                    results.append(AppendResult(event.id, status, seen[1]))
                    continue
                seq += 1  # what SQLite would give (max + 1), written out so one statement takes many rows
                known[event.id] = (content_hash, seq)
                rows.append((seq, event.id, event.type, event.subject, event.case_id,
                             json.dumps(wire["payload"], ensure_ascii=False, sort_keys=True), event.actor,
                             event.device, wire["recorded_at"], content_hash,
                             seq if assign_server_seq else event.server_seq, stored_at))
                results.append(AppendResult(event.id, ACCEPTED, seq))
                fresh.append(event)
            touched = list(dict.fromkeys(e.case_id for e in fresh if e.type in CASE_EVENT_TYPES))
            earlier = self._events_of_cases(touched)  # before this batch's rows go in
            self._insert_rows("INSERT INTO events (seq, id, type, subject, case_id, payload, actor, device, "
                              "recorded_at, content_hash, server_seq, stored_at)", rows)
            if learnt:
                self.db.conn.executemany(
                    "UPDATE events SET server_seq = ? WHERE id = ? AND server_seq IS NULL", learnt)
            self._project_others(fresh)
            by_case = {case_id: earlier.get(case_id, []) for case_id in touched}  # stored, then this batch's
            for event in fresh:
                if event.type in CASE_EVENT_TYPES:
                    by_case[event.case_id].append(event)
            self._refresh_cases(by_case)
        return results

    def _known(self, ids: list[str]) -> dict[str, tuple[str, int]]:
        """(content hash, seq) of those of these event ids already stored, in one query."""
        rows = self.db.execute(
            "SELECT id, content_hash, seq FROM events WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(ids)]).fetchall()
        return {row[0]: (row[1], row[2]) for row in rows}

    def _events_of_cases(self, case_ids: list[str]) -> dict[str, list[Event]]:
        """The stored events of these cases, by case, read in one step (one row of JSON: the
        columns read are text and integers, which JSON carries exactly)."""
        if not case_ids:
            return {}
        packed = self.db.execute(
            """SELECT json_group_array(json_array(id, type, payload, actor, device, recorded_at, server_seq,
                                                  case_id))
               FROM (SELECT * FROM events WHERE case_id IN (SELECT value FROM json_each(?)) ORDER BY seq)""",
            [json.dumps(case_ids)]).fetchone()[0]
        found: dict[str, list[Event]] = {}
        for id_, type_, payload, actor, device, recorded_at, server_seq, case_id in json.loads(packed):
            found.setdefault(case_id, []).append(_event_from_row({
                "id": id_, "type": type_, "payload": payload, "actor": actor, "device": device,
                "recorded_at": recorded_at, "server_seq": server_seq}))
        return found

    def _insert_rows(self, insert: str, rows: list[Sequence], chunk: int = 100) -> None:
        """`insert` ("INSERT INTO t (a, b)") of many rows, `chunk` rows a statement (VALUES (…), (…)):
        bound parameters, so every value goes in exactly as one row at a time would put it."""
        if not rows:
            return
        one = "(" + ", ".join("?" * len(rows[0])) + ")"
        for start in range(0, len(rows), chunk):
            part = rows[start:start + chunk]
            self.db.execute(f"{insert} VALUES " + ", ".join([one] * len(part)),
                            [value for row in part for value in row])

    def _project_others(self, events: Iterable[Event]) -> None:
        """Projections that are not per case and are simple inserts (in the events' order: the
        first of two rows with one key stays)."""
        surveys, photos = [], []
        for event in events:
            data = event.data
            if isinstance(data, SurveyAnswered):
                surveys.append((data.survey_id, data.community, data.answer, data.comment,
                                data.answered_at.isoformat(), event.actor, utc_key(data.answered_at)))
            elif isinstance(data, PhotoAdded):
                pos = data.position
                photos.append((data.sha256, data.case_id, data.stage, data.width, data.height, data.size_bytes,
                               data.taken_at, pos.lat if pos else None, pos.lon if pos else None, event.id))
        self._insert_rows("INSERT OR IGNORE INTO surveys (survey_id, community, answer, comment, answered_at, "
                          "actor, answered_utc)", surveys)
        self._insert_rows("INSERT OR IGNORE INTO photos", photos)

    def _refresh_cases(self, events_by_case: dict[str, list[Event]]) -> None:
        """Fold each case from all its events and write the rows; a case whose registration has
        not arrived yet keeps its events and gets no row."""
        rows = []
        for events in events_by_case.values():
            state = project_case(events, self.tz)
            if state is not None:
                rows.append(_case_row_values(state))
        self._insert_rows("INSERT OR REPLACE INTO cases", rows, chunk=50)

    def rebuild_projections(self) -> None:
        """Drop every projection and fold it again from the log, in one transaction."""
        with self.write():
            for table in ("cases", "photos", "surveys"):
                self.db.execute(f"DELETE FROM {table}")
            case_ids: dict[str, None] = {}
            others = []
            for event in self.events():
                if event.type in CASE_EVENT_TYPES:
                    case_ids[event.case_id] = None
                others.append(event)
                if len(others) >= 1000:
                    self._project_others(others)
                    others = []
            self._project_others(others)
            ids = list(case_ids)
            for start in range(0, len(ids), 500):
                part = ids[start:start + 500]
                self._refresh_cases({case_id: [] for case_id in part} | self._events_of_cases(part))

    # --- meta -------------------------------------------------------------------

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self.write():
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    # --- reading the log ----------------------------------------------------------

    def events(self, *, after_seq: int = 0, limit: int | None = None) -> Iterator[Event]:
        sql = "SELECT * FROM events WHERE seq > ? ORDER BY seq"
        params: list = [after_seq]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        for row in self.db.query(sql, params):
            yield _event_from_row(row)

    def case_events(self, case_id: str) -> list[Event]:
        return [_event_from_row(r) for r in self.db.query("SELECT * FROM events WHERE case_id = ? ORDER BY seq", [case_id])]

    def event_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM events").fetchone()[0]

    def has_event(self, event_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM events WHERE id = ?", [event_id]).fetchone() is not None

    # --- what the phone asks -------------------------------------------------------

    def case(self, case_id: str) -> CaseState | None:
        """One case with its full history, folded fresh from its events."""
        return project_case(self.case_events(case_id), self.tz)

    def has_photo(self, sha256: str) -> bool:
        """Whether any stored event names this photo."""
        return self.db.execute("SELECT 1 FROM photos WHERE sha256 = ?", [sha256]).fetchone() is not None

    def case_photos(self, case_id: str) -> list[dict]:
        return list(self.db.query("SELECT * FROM photos WHERE case_id = ? ORDER BY stage DESC, rowid", [case_id]))

    def open_cases(
        self,
        now: datetime,
        *,
        inspector: str | Sequence[str] | None = None,
        community: str | None = None,
        status: str | None = None,
        awaiting: bool = False,
        communities: Sequence[str] | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[CaseRow]:
        """Open cases by urgency: overdue first (oldest deadline first), then due today, due soon…

        `inspector`: only the cases registered under this actor id (or any of these ids).
        `awaiting`: only those the community reported done, oldest report first (待复查).
        `communities`: only these communities' cases (a community's own phone).
        `status="closed"`: the closed cases instead (已办结: rectified or voided), newest first.
        """
        where, params = ["lifecycle = ?"], [OPEN]
        order = "deadline, found_at, case_id"
        if status == CLOSED:
            where, order, status = ["lifecycle != ?"], "found_at DESC, case_id", None
        if awaiting:
            where.append("awaiting_utc IS NOT NULL")
            order = "awaiting_utc, case_id"
        if communities is not None:
            codes = tuple(communities)
            where.append(_in("community", codes))
            params.extend(codes)
        if inspector is not None:
            ids = _ids(inspector)
            where.append(_in("registered_by", ids))
            params.extend(ids)
        if community is not None:
            where.append("community = ?")
            params.append(community)
        if status is not None:
            low, high = self._deadline_range(status, now)
            if low is not None:
                where.append("deadline >= ?")
                params.append(low.isoformat())
            if high is not None:
                where.append("deadline <= ?")
                params.append(high.isoformat())
        sql = (
            f"SELECT * FROM cases WHERE {' AND '.join(where)} "
            f"ORDER BY {order} LIMIT ? OFFSET ?"
        )
        return [self._case_row(r, now) for r in self.db.query(sql, params + [limit, offset])]

    def cases(self, now: datetime, *, community: str | None = None, limit: int = 50, offset: int = 0) -> list[CaseRow]:
        """All cases, open ones by urgency first, then the closed ones newest first."""
        where = "WHERE community = ?" if community else ""
        params: list = [community] if community else []
        sql = (
            f"SELECT * FROM cases {where} ORDER BY lifecycle != 'open', "
            "CASE WHEN lifecycle = 'open' THEN deadline END, found_at DESC, case_id LIMIT ? OFFSET ?"
        )
        return [self._case_row(r, now) for r in self.db.query(sql, params + [limit, offset])]

    def _deadline_range(self, status: str, now: datetime) -> tuple[date | None, date | None]:
        today = deadlines.local_today(now, self.tz)
        soon = today + timedelta(days=self.rules.due_soon_days)
        ranges = {
            "overdue": (None, today - timedelta(days=1)),
            "due_today": (today, today),
            "due_soon": (today + timedelta(days=1), soon),
            "open": (soon + timedelta(days=1), None),
        }
        if status not in ranges:
            raise ValueError(f"not an open-case status: {status!r}")
        return ranges[status]

    def status_counts(self, now: datetime, *, inspector: str | Sequence[str] | None = None
                      ) -> dict[str, dict[str, int]]:
        """{community: {status: count}} for every status, zeros included (`inspector`: as `open_cases`)."""
        today = deadlines.local_today(now, self.tz)
        soon = today + timedelta(days=self.rules.due_soon_days)
        where, params = "", [today.isoformat(), today.isoformat(), soon.isoformat()]
        if inspector is not None:
            ids = _ids(inspector)
            where, params = f"WHERE {_in('registered_by', ids)}", params + list(ids)
        sql = f"""
            SELECT community, CASE
                WHEN lifecycle = 'voided' THEN 'voided'
                WHEN lifecycle = 'rectified' THEN
                    CASE WHEN on_time THEN 'rectified_on_time' ELSE 'rectified_late' END
                WHEN deadline < ? THEN 'overdue'
                WHEN deadline = ? THEN 'due_today'
                WHEN deadline <= ? THEN 'due_soon'
                ELSE 'open' END AS status, count(*) AS n
            FROM cases {where} GROUP BY 1, 2"""
        counts = {c.code: dict.fromkeys(STATUSES, 0) for c in self.rules.communities}
        for community, status, n in self.db.execute(sql, params).fetchall():
            counts.setdefault(community, dict.fromkeys(STATUSES, 0))[status] = n
        return counts

    def nearby(
        self, community: str, category: str, position: Position, exclude: str | None = None
    ) -> list[NearbyCase]:
        """Earlier open (duplicate) or rectified (recurrence) cases within the rules' radius."""
        radius = self.rules.recurrence_radius_m
        min_lat, max_lat, min_lon, max_lon = bounding_box(position, radius)
        rows = self.db.query(
            """SELECT case_id, community, category, lat, lon, accuracy_m, lifecycle FROM cases
               WHERE community = ? AND category = ? AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?""",
            [community, category, min_lat, max_lat, min_lon, max_lon],
        )
        candidates = [
            Candidate(r["case_id"], r["community"], r["category"], Position(r["lat"], r["lon"]), r["lifecycle"])
            for r in rows
        ]
        return nearby_cases(community, category, position, candidates, radius, exclude=exclude)

    def survey_count(self, *, day: date | None = None, actor: str | Sequence[str] | None = None,
                     community: str | None = None) -> int:
        """How many questionnaires: answered on a local `day` (the rules' time zone), by `actor`
        (an id, or any of several ids), in `community` — one indexed SQL count."""
        where, params = [], []
        if actor is not None:
            ids = _ids(actor)
            where.append(_in("actor", ids))
            params.extend(ids)
        if community is not None:
            where.append("community = ?")
            params.append(community)
        if day is not None:
            # answered_at carries the writer's own offset: count by the instant, on this zone's day.
            start = datetime.combine(day, time(), tzinfo=self.tz)
            end = datetime.combine(day + timedelta(days=1), time(), tzinfo=self.tz)
            where.append("answered_utc >= ? AND answered_utc < ?")
            params.extend([utc_key(start), utc_key(end)])
        sql = "SELECT count(*) FROM surveys" + (f" WHERE {' AND '.join(where)}" if where else "")
        return self.db.execute(sql, params).fetchone()[0]

    def _case_row(self, r: dict, now: datetime) -> CaseRow:
        deadline = date.fromisoformat(r["deadline"])
        lifecycle = r["lifecycle"]
        on_time = None if r["on_time"] is None else bool(r["on_time"])
        status = case_status(lifecycle, on_time, deadline, now, self.tz, self.rules.due_soon_days)
        return CaseRow(
            case_id=r["case_id"],
            community=r["community"],
            category=r["category"],
            source=r["source"],
            note=r["note"],
            place=r["place"],
            position=Position(r["lat"], r["lon"], r["accuracy_m"]) if r["lat"] is not None else None,
            found_at=datetime.fromisoformat(r["found_at"]),
            registered_by=r["registered_by"],
            deadline=deadline,
            lifecycle=lifecycle,
            status=status,
            days_left=deadlines.days_left(deadline, now, self.tz),
            thumb=r["thumb"],
            photo_count=r["photo_count"],
            falls_short=bool(r["falls_short"]),
            awaiting_since=datetime.fromisoformat(r["awaiting_since"]) if r["awaiting_since"] else None,
            exemption_request=r["exemption_request"] or "",
            last_check_note=r["last_check_note"] or "",
            marks=tuple(json.loads(r["marks"])) if r["marks"] else (),
        )


def _case_row_values(s: CaseState) -> list:
    pos = s.position  # where the problem is: the moved pin's place if the inspector moved it (s.fix: the GPS)
    return [
        s.case_id,
        s.community,
        s.category,
        s.source,
        s.note,
        s.place,
        pos.lat if pos else None,
        pos.lon if pos else None,
        pos.accuracy_m if pos else None,
        s.found_at.isoformat(),
        s.registered_by,
        int(s.unannounced),
        s.deadline.isoformat(),
        s.lifecycle,
        s.rectified_at.isoformat() if s.rectified_at else None,
        None if s.on_time is None else int(s.on_time),
        int(s.falls_short),
        int(s.verified),
        int(s.exempted),
        s.before_photos[0] if s.before_photos else None,
        len(s.before_photos) + len(s.after_photos),
        s.sightings,
        json.dumps(s.recurrences) if s.recurrences else None,
        json.dumps(s.flags) if s.flags else None,
        s.awaiting_since.isoformat() if s.awaiting_since else None,
        utc_key(s.awaiting_since) if s.awaiting_since else None,
        s.exemption_request or None,
        s.last_failed_check.note if s.last_failed_check else None,
        json.dumps(s.marks) if s.marks else None,
    ]


def _event_from_row(row: dict) -> Event:
    return Event.from_dict(
        {
            "id": row["id"],
            "type": row["type"],
            "payload": json.loads(row["payload"]),
            "actor": row["actor"],
            "device": row["device"],
            "recorded_at": row["recorded_at"],
            "server_seq": row["server_seq"],
        }
    )
