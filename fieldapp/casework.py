"""What an inspector does with a case, end to end: photos on disk, events in the store.

The screens call these; each call either stores everything it was given or
nothing (photo files are written first, atomically; the events that name them
are appended in one transaction; on failure the new, unreferenced files go).
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Sequence

from fieldapp import photos as photo_files
from fieldapp.domain import commands as cmd
from fieldapp.domain import evidence
from fieldapp.domain.commands import CommandError
from fieldapp.domain.events import Event, PhotoAdded, new_event
from fieldapp.domain.geo import Position
from fieldapp.domain.projection import CaseState
from fieldapp.domain.recurrence import NearbyCase
from fieldapp.store import Store

log = logging.getLogger(__name__)

# How the inspector judged a nearby earlier case before saving.
NEW_PROBLEM = "new"
SEEN_AGAIN = "seen_again"  # the same open case: a sighting, not a new case
CAME_BACK = "came_back"  # 再次出现 after rectification: a new case + a recurrence proposal

# What an after photo is to the case's before photos (check_after_photo).
SAME_AS_BEFORE = "same"  # refused: the same photo (bytes, or the stored photo)
LIKE_BEFORE = "similar"  # allowed with a warning, and marked: nearly the same picture


@dataclass(frozen=True)
class Saved:
    case_id: str
    events: tuple[Event, ...]
    position_from_photo: bool = False
    marks: tuple[str, ...] = ()  # the evidence marks written into the record (domain/evidence.py)


class Casework:
    """`on_write`, if given, is told after each record is stored (the app's automatic sync).
    New records follow the store's rules (the current year's); what is asked of a case follows
    the rules of its registration year, `rules_for(found_at)` (the app's DataService.rules_for)."""

    def __init__(self, store: Store, photo_dir: Path, who: cmd.Actor, clock: Callable[[], datetime],
                 on_write: Callable[[], None] | None = None, rules_for: Callable[[datetime], object] | None = None):
        self.store = store
        self.rules = store.rules
        self.rules_for = rules_for or (lambda _when: self.rules)
        self.photo_dir = Path(photo_dir)
        self.who = who
        self.clock = clock
        self.on_write = on_write

    # --- reading ---------------------------------------------------------------

    def case(self, case_id: str) -> CaseState:
        state = self.store.case(case_id)
        if state is None:
            raise CommandError("unknown_case", f"no case {case_id}")
        return state

    def nearby(self, community: str, category: str, position: Position | None) -> list[NearbyCase]:
        return [] if position is None else self.store.nearby(community, category, position)

    # --- writing ---------------------------------------------------------------

    def register(
        self,
        *,
        community: str,
        category: str,
        photos: Sequence[bytes],
        note: str = "",
        place: str = "",
        position: Position | None = None,
        deadline: date | None = None,
        unannounced: bool = False,
        judged: str = NEW_PROBLEM,
        earlier_case_id: str | None = None,
        position_mocked: bool = False,
        placed: Position | None = None,
        outside_boundaries: bool | None = None,
    ) -> Saved:
        """登记问题: at least one photo; the position falls back to the first photo's EXIF one.

        A new case carries its evidence marks (position only from the photo, an old photo,
        outside the area, `position_mocked` as the phone's fix said): evidence.registration_marks.
        A sighting of an open case (SEEN_AGAIN) adds photos only and is not marked.
        `placed`: where the inspector moved the pin (kept beside the fix, CaseRegistered.placed);
        `outside_boundaries`: whether the case's place is outside every community boundary
        (fieldapp/maps/boundaries.py; None: no boundaries, the rules' area circle decides)."""
        if not photos:
            raise CommandError("no_photo", "a case needs at least one photo")
        if judged != NEW_PROBLEM and not earlier_case_id:
            raise CommandError("invalid", "say which earlier case this one repeats")
        now = self.clock()
        with self._photos(photos) as stored:
            from_photo = position is None and stored[0].metadata.position is not None
            if from_photo:
                position = stored[0].metadata.position
            marks: tuple[str, ...] = ()
            if judged == SEEN_AGAIN:
                earlier = self.case(earlier_case_id)
                events = [cmd.sight_again(earlier, self.who, now, note=note, position=position)]
                events += self._photo_events(earlier.case_id, stored, "before", now)
                case_id = earlier.case_id
            else:
                marks = evidence.registration_marks(
                    self.rules, now, position=position, position_from_photo=from_photo, mocked=position_mocked,
                    photo_times=[p.metadata.taken_at for p in stored], outside_boundaries=outside_boundaries)
                registered = cmd.register_case(
                    self.rules,
                    self.who,
                    now,
                    community=community,
                    category=category,
                    note=note,
                    place=place,
                    position=position,
                    deadline=deadline,
                    unannounced=unannounced,
                    marks=marks,
                )
                if placed is not None:  # the event is built by register_case: add the moved place
                    registered = Event.from_dict(dataclasses.replace(
                        registered, data=dataclasses.replace(registered.data, placed=placed)).to_dict())
                case_id = registered.case_id
                events = [registered, *self._photo_events(case_id, stored, "before", now)]
                if judged == CAME_BACK:
                    self.case(earlier_case_id)  # it must exist here
                    events.append(cmd.link_recurrence("proposed", case_id, earlier_case_id, self.who, now))
            self._append(events)
        return Saved(case_id, tuple(events), from_photo, marks)

    def recheck(self, case_id: str, *, rectified: bool, photos: Sequence[bytes], note: str = "") -> Saved:
        """复查 with "after" photos: 整改到位 (rectified) or 未整改到位. An after photo equal to a
        before photo is refused (`after_same_as_before`); nearly the same picture is marked."""
        if not photos:
            raise CommandError("no_photo", "a re-check needs an after photo")
        return self._with_photos(case_id, photos, "after",
                                 lambda state, now, shas, marks: cmd.recheck(state, self.who, now, rectified=rectified,
                                                                             photos=shas, note=note, marks=marks))

    def report_rectified(self, case_id: str, *, photos: Sequence[bytes], note: str = "") -> Saved:
        """整改反馈 (the community's phone): after photos and a note; the inspector re-checks it.
        After photos are checked against the before photos as in `recheck`."""
        if not photos:
            raise CommandError("no_photo", "a report needs an after photo")
        return self._with_photos(case_id, photos, "after",
                                 lambda state, now, shas, marks: cmd.report_rectified(state, self.who, now, photos=shas,
                                                                                      note=note, marks=marks))

    def request_exemption(self, case_id: str, *, reason: str, photos: Sequence[bytes] = ()) -> Saved:
        """申请免责 (the community's phone): a reason and, optionally, photos; the office answers."""
        return self._with_photos(case_id, photos, "exemption",
                                 lambda state, now, shas: cmd.request_exemption(
                                     state, self.rules_for(state.found_at), self.who, now, reason=reason, photos=shas))

    def _with_photos(self, case_id: str, photos: Sequence[bytes], stage: str, make) -> Saved:
        """Store the photos, then their events and the record `make(state, now, hashes)` names them in."""
        state = self.case(case_id)
        now = self.clock()
        with self._photos(photos) as stored:
            # after photos: refused if equal to a before photo (the files go again), marked if alike
            extra = {"marks": self._after_marks(state, stored)} if stage == "after" else {}
            events = self._photo_events(case_id, stored, stage, now)
            events.append(make(state, now, tuple(p.sha256 for p in stored), **extra))
            self._append(events)
        return Saved(case_id, tuple(events), marks=extra.get("marks", ()))

    # --- after photos against before photos ---------------------------------------------

    def check_after_photo(self, case_id: str, *, sha256: str, original_sha256: str,
                          phash: str | None) -> str | None:
        """What a candidate after photo is to the case's before photos: SAME_AS_BEFORE (the same
        stored photo or the same original bytes), LIKE_BEFORE (perceptual hashes within
        evidence.NEAR_DUPLICATE_BITS), or None. For the form, before anything is saved."""
        state = self.case(case_id)
        if self._same_as_before(state, sha256, original_sha256):
            return SAME_AS_BEFORE
        if evidence.nearly_same(phash, self._before_hashes(state)):
            return LIKE_BEFORE
        return None

    def _after_marks(self, state: CaseState, stored) -> tuple[str, ...]:
        if state.lifecycle != "open":
            return ()  # the command refuses it with its own reason (voided, already rectified)
        for p in stored:
            if self._same_as_before(state, p.sha256, p.original_sha256):
                raise CommandError("after_same_as_before", "an after photo is the same as a before photo")
        before = self._before_hashes(state)
        alike = any(evidence.nearly_same(photo_files.stored_perceptual_hash(self.photo_dir, p.sha256), before)
                    for p in stored)
        return (evidence.AFTER_LIKE_BEFORE,) if alike else ()

    def _same_as_before(self, state: CaseState, sha256: str, original_sha256: str) -> bool:
        """The same stored photo, the same camera bytes, or a stored before photo given again
        (its bytes are then the original: e.g. saved from the phone's screen and chosen)."""
        known = set(state.before_photos) | self._before_originals(state.case_id)
        return sha256 in known or original_sha256 in known

    def _before_originals(self, case_id: str) -> set[str]:
        return {e.data.original_sha256 for e in self.store.case_events(case_id)
                if isinstance(e.data, PhotoAdded) and e.data.stage == "before"}

    def _before_hashes(self, state: CaseState) -> list[str]:
        return [h for h in (photo_files.stored_perceptual_hash(self.photo_dir, sha) for sha in state.before_photos)
                if h]

    def void(self, case_id: str, reason: str) -> Saved:
        event = cmd.void(self.case(case_id), self.who, self.clock(), reason=reason)
        self._append([event])
        return Saved(case_id, (event,))

    def answer_survey(self, community: str, answer: str, comment: str = "") -> Event:
        event = cmd.answer_survey(self.rules, self.who, self.clock(), community=community, answer=answer, comment=comment)
        self._append([event])
        return event

    def _append(self, events: list[Event]) -> None:
        self.store.append(events)
        if self.on_write is not None:
            try:
                self.on_write()
            except Exception:  # noqa: BLE001 - the record is stored; a sync hiccup must not say otherwise
                log.exception("could not tell that a record was stored")

    # --- photos ----------------------------------------------------------------

    def _photo_events(self, case_id: str, stored, stage: str, now: datetime) -> list[Event]:
        return [
            new_event(
                PhotoAdded(
                    case_id=case_id,
                    sha256=p.sha256,
                    original_sha256=p.original_sha256,
                    stage=stage,
                    width=p.width,
                    height=p.height,
                    size_bytes=p.size_bytes,
                    position=p.metadata.position,
                    taken_at=p.metadata.taken_at,
                ),
                actor=self.who.actor,
                device=self.who.device,
                now=now,
            )
            for p in stored
        ]

    def _photos(self, photos: Sequence[bytes]) -> "_StoredPhotos":
        return _StoredPhotos(self, photos)


class _StoredPhotos:
    """Ingest photos; if the block fails, remove the files no stored event names."""

    def __init__(self, work: Casework, photos: Sequence[bytes]):
        self.work = work
        self.photos = photos
        self.stored: list = []

    def __enter__(self):
        try:
            for data in self.photos:
                self.stored.append(photo_files.ingest_bytes(data, self.work.photo_dir))
        except BaseException:
            self._remove_unreferenced()
            raise
        return self.stored

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self._remove_unreferenced()

    def _remove_unreferenced(self) -> None:
        for p in self.stored:
            if not self.work.store.has_photo(p.sha256):
                for path in (
                    photo_files.photo_path(self.work.photo_dir, p.sha256),
                    photo_files.thumb_path(self.work.photo_dir, p.sha256),
                ):
                    path.unlink(missing_ok=True)
