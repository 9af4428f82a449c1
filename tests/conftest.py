"""Shared fixtures: the 2022 rules, a fixed clock, a real SQLite store in tmp_path."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from fieldapp.domain.commands import Actor
from fieldapp.rules import load_rules
from fieldapp.store import Store

REPO = Path(__file__).resolve().parents[1]
PHOTOS = REPO.parent / "shared" / "data" / "photos"


@pytest.fixture(scope="session")
def rules():
    return load_rules(2022)


@pytest.fixture
def now():
    # 10:00 in Asia/Shanghai on 2022-06-01.
    return datetime(2022, 6, 1, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def inspector():
    return Actor("inspector-1", "phone-1")


@pytest.fixture
def office():
    return Actor("staff-1", "office")


@pytest.fixture
def store(tmp_path, rules):
    with Store(tmp_path / "field.db", rules) as s:
        yield s


def files_in(folder):
    """Every file below `folder` (none if it does not exist): what a refused write left behind."""
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.fixture
def clock(now):
    """A clock the test moves: ``clock.moment["now"] = ...``."""
    moment = {"now": now}
    fn = lambda: moment["now"]  # noqa: E731
    fn.moment = moment
    return fn


@pytest.fixture
def work(store, tmp_path, inspector, clock):
    """An inspector's Casework on the test's store, photos in tmp_path/photos."""
    from fieldapp.casework import Casework

    return Casework(store, tmp_path / "photos", inspector, clock)


@pytest.fixture
def community_work(store, work, clock):
    """Community staff's Casework on the same store and photo folder."""
    from fieldapp.casework import Casework
    from fieldapp.domain import commands as cmd

    return Casework(store, work.photo_dir, cmd.Actor("李四", "community-phone-1"), clock)


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell a failed test (logs, screenshots)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def pytest_collection_modifyitems(config, items):
    """A browser test that fails is run once more, and the rerun is reported ("R" / "rerun").

    Headless Chromium drives a real Flutter app on a machine that may be busy: a frame can
    come late. A real fault fails twice; a single late frame must not sink a whole CI run.
    Everything else runs once."""
    for item in items:
        if item.get_closest_marker("browser") and not item.get_closest_marker("flaky"):
            item.add_marker(pytest.mark.flaky(reruns=1, reruns_delay=2))
