"""`fieldapp office serve --demo`: a newcomer sees a living dashboard; an office with data is left alone."""

from __future__ import annotations

import httpx

from tests.office_process import OfficeProcess, free_port


def event_counts(server: OfficeProcess) -> tuple[int, set[str]]:
    with server.store() as store:
        n = store.db.execute("SELECT count(*) FROM events").fetchone()[0]
        communities = {row[0] for row in store.db.execute("SELECT community FROM cases")}
    return n, communities


def test_demo_fills_an_empty_office_once_and_serves_the_dashboard(tmp_path):
    server = OfficeProcess(tmp_path / "office", free_port(), tmp_path / "office.log", "--demo").start()
    try:
        filled, communities = event_counts(server)
        page = httpx.get(server.url + "/", timeout=10)
    finally:
        server.stop()
    assert filled > 50 and communities == {"C1", "C2", "C3", "C4"}
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]

    again = OfficeProcess(tmp_path / "office", free_port(), tmp_path / "office.log", "--demo").start()
    try:
        assert event_counts(again)[0] == filled  # never filled twice, never touched
    finally:
        again.stop()
