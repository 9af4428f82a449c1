"""A process killed with SIGKILL mid-stream leaves a sound database with every returned write."""

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from fieldapp.store import Store

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("kill_after", [1, 37, 400])
def test_sigkill_mid_writes_loses_nothing_that_returned(tmp_path, rules, kill_after):
    db = tmp_path / "phone.db"
    child = subprocess.Popen(
        [sys.executable, str(REPO / "tests" / "crash_writer.py"), str(db)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    returned = []
    try:
        for line in child.stdout:
            returned.extend(line.split())
            if len(returned) >= kill_after:
                break
        child.send_signal(signal.SIGKILL)  # while it is busy with the next append
    finally:
        child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with Store(db, rules) as store:
        stored = {row[0] for row in store.db.execute("SELECT id FROM events")}
        assert set(returned) <= stored
        # Each append was all-or-nothing: the projection agrees with the log.
        registered = store.db.execute("SELECT count(*) FROM events WHERE type = 'case.registered'").fetchone()[0]
        assert store.db.execute("SELECT count(*) FROM cases").fetchone()[0] == registered
        with_links = store.db.execute("SELECT count(*) FROM cases WHERE recurrence IS NOT NULL").fetchone()[0]
        links = store.db.execute("SELECT count(*) FROM events WHERE type = 'recurrence.proposed'").fetchone()[0]
        assert with_links == links
