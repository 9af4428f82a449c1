"""Fixtures for the sync tests; the helpers live in sync_kit.py.

office        a started OfficeServer (uvicorn in a thread) on tmp_path/"office"
office_store  a Store on the office db, opened in the test's thread
make_phone    make_phone(name) -> Phone with its own data dir (closed at teardown)
phone         a phone enrolled as inspector-a for C1 and C2
transport     a FaultTransport wrapping a real httpx.HTTPTransport
"""

from __future__ import annotations

import pytest

from sync_kit import FaultTransport, OfficeServer, Phone


# --- fixtures -------------------------------------------------------------------------------------------


@pytest.fixture
def office(tmp_path, rules):
    server = OfficeServer(tmp_path / "office", rules).start()
    yield server
    server.stop()


@pytest.fixture
def office_store(office):
    with office.store() as store:
        yield store


@pytest.fixture
def make_phone(tmp_path, rules):
    phones = []

    def make(name: str = "phone") -> Phone:
        phone = Phone(tmp_path / name, rules, name)
        phones.append(phone)
        return phone

    yield make
    for phone in phones:
        phone.close()


@pytest.fixture
def phone(make_phone, office):
    return make_phone("phone-a").enrol(office, "inspector-a", ("C1", "C2"))


@pytest.fixture
def transport():
    t = FaultTransport()
    yield t
    t.close()
