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


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell a failed test (logs, screenshots)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
