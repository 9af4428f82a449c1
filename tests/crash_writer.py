"""Child process for the crash test: append cases forever, print each id once its append returned."""

import sys
from datetime import datetime, timedelta, timezone

from fieldapp.domain import commands as cmd
from fieldapp.domain.geo import Position
from fieldapp.rules import load_rules
from fieldapp.store import Store


def main(path: str) -> None:
    rules = load_rules(2022)
    who = cmd.Actor("inspector-crash", "phone-crash")
    start = datetime(2022, 6, 1, 2, tzinfo=timezone.utc)
    with Store(path, rules) as store:
        i = 0
        while True:
            now = start + timedelta(seconds=i)
            reg = cmd.register_case(
                rules, who, now, community="C1", category="Z2", position=Position(34.7 + i * 1e-5, 113.6)
            )
            events = [reg]
            if i % 3 == 0:  # some appends carry several events: all or nothing
                events.append(cmd.link_recurrence("proposed", reg.case_id, cmd.new_id(), who, now))
            store.append(events)
            print(" ".join(e.id for e in events), flush=True)
            i += 1


if __name__ == "__main__":
    main(sys.argv[1])
