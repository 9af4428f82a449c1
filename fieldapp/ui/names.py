"""Who made a record, by name: an actor id → the name shown (phone and office dashboard).

Events keep the actor id they were written with (immutable); screens, reports and exports
show the person's name instead:

1. the office's directory (sync/people.py: the enrolled name for each person's id and for
   each phone's pre-enrolment alias ``inspector-<8 hex>``) — on the phone, as received at
   its last sync; at the office, read from `sync_devices`;
2. on the phone, its own ids (`Settings.my_ids`) → the name typed in 我的 (or the enrolled
   name), so records made before enrolment and before any sync show a name too;
3. the office's own accounts (``office:<user>``) → 办事处 <user>;
4. else the id itself: nobody has told us whose it is.

``names = Names.of_phone(store, settings)`` (a worker function), then ``names(actor)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

from fieldapp.ui import strings
from sync import people as directory
from sync.protocol import is_local_actor

OFFICE_PREFIX = "office:"


@dataclass(frozen=True)
class Names:
    people: Mapping[str, str] = field(default_factory=dict)
    own_ids: tuple[str, ...] = ()
    own_name: str = ""

    def __call__(self, actor: str) -> str:
        actor = actor or ""
        name = self.people.get(actor)
        if name:
            return name
        if actor in self.own_ids and self.own_name:
            return self.own_name
        if actor.startswith(OFFICE_PREFIX) and len(actor) > len(OFFICE_PREFIX):
            return strings.DASH_SUP_OFFICE_ACTOR.format(name=actor[len(OFFICE_PREFIX):])
        return actor

    def all(self, actors: Iterable[str]) -> dict[str, str]:
        return {a: self(a) for a in actors}

    @classmethod
    def of_phone(cls, store, settings) -> "Names":
        """On the phone (in a worker thread): the office's directory as last received, and the
        phone's own ids under the name typed in 我的 — or, enrolled, the enrolled name."""
        own = settings.inspector_name.strip()
        if not own and not is_local_actor(settings.inspector_id):
            own = settings.inspector_id
        return cls(directory.known(store), tuple(settings.my_ids), own)

    @classmethod
    def of_office(cls, store) -> "Names":
        """At the office: the people it enrolled (sync/people.py)."""
        return cls(directory.directory(store))
