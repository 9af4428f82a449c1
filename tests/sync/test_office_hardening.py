"""Issue 10: the office as an attacker on its Wi-Fi finds it — a real `fieldapp office serve`
process over TLS (its own CA), phones enrolled by QR code and pinning that certificate.

Every attack of the issue's list is tried against the running process and must fail cleanly:
a 4xx with the protocol's error body (or, for a wrong certificate, no request at all), nothing
stored, and no traceback in the office's log.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import socket
import ssl
import time

import httpx
import pytest
from PIL import Image, ImageFilter

from fieldapp.domain.events import PhotoAdded, new_event
from sync import enrolqr, storage
from sync import protocol as p
from sync.client import SyncClient, enrol
from sync.phonebook import META_URL, PhoneBook
from sync.tls import pinned_context
from sync_kit import FAST_RETRY, Phone, token_of
from tests.office_process import OfficeProcess, fieldapp, free_port

pytestmark = pytest.mark.slow


def enrol_by_qr(office: OfficeProcess, phone: Phone, name: str, communities: str) -> dict:
    """`office enrol` prints the QR code; the phone reads it from a photo of the screen."""
    out = fieldapp("office", "enrol", name, "--communities", communities, "--data-dir", str(office.data_dir))
    text = re.search(r"^fieldapp://enrol\?\S+$", out, re.M).group(0)
    assert "█" in out or "▀" in out  # the QR code itself, drawn in the terminal
    photo = photograph(enrolqr.qr_png(text))
    invite = enrolqr.parse(enrolqr.read_qr(photo))
    assert invite.server_url == office.url and invite.fingerprint
    info = enrol(phone.store, invite.server_url, invite.code, label=phone.name, fingerprint=invite.fingerprint,
                 retry=FAST_RETRY)
    from fieldapp.domain import commands as cmd

    phone.who = cmd.Actor(info["inspector"], info["device_id"])
    phone.device_id = info["device_id"]
    return info


def photograph(png: bytes) -> bytes:
    """The QR code as a phone's camera sees a screen: smaller, turned a little, blurred, as a JPEG."""
    img = Image.open(io.BytesIO(png)).convert("RGB")
    canvas = Image.new("RGB", (img.width + 300, img.height + 300), (205, 200, 190))
    canvas.paste(img, (150, 150))
    shot = canvas.rotate(7, expand=True, fillcolor=(205, 200, 190)).resize((900, 900)).filter(ImageFilter.GaussianBlur(1))
    out = io.BytesIO()
    shot.save(out, "JPEG", quality=70)
    return out.getvalue()


def no_traceback(office: OfficeProcess, since: int | None = None) -> None:
    """Nothing went wrong at the office since the log was `since` bytes long (a test's own part:
    Flet logs a cancelled dashboard websocket when the process is stopped, which is not an attack)."""
    since = getattr(office, "started_log_at", 0) if since is None else since
    log = office.log_path.read_bytes()[since:].decode(errors="replace")
    assert "Traceback" not in log and "Error" not in log.replace("RecursionError", ""), log[-3000:]


@pytest.fixture(scope="module")
def tls_office(tmp_path_factory):
    root = tmp_path_factory.mktemp("tls-office")
    office = OfficeProcess(root / "office", free_port(), root / "office.log", "--photo-quota-mb", "0.2",
                           insecure=False).start()
    yield office
    office.stop()


@pytest.fixture(scope="module")
def phones(tls_office, tmp_path_factory, rules):
    root = tmp_path_factory.mktemp("phones")
    c1 = Phone(root / "c1", rules, "c1")
    c3 = Phone(root / "c3", rules, "c3")
    enrol_by_qr(tls_office, c1, "inspector-one", "C1")
    enrol_by_qr(tls_office, c3, "inspector-three", "C3")
    yield c1, c3
    c1.close()
    c3.close()


def test_tls_by_default_a_phone_enrolled_by_qr_syncs(tls_office, phones):
    c1, _ = phones
    assert tls_office.url.startswith("https://")
    assert (tls_office.data_dir / "tls" / "ca.key").stat().st_mode & 0o077 == 0  # the CA key: owner only
    case_id = c1.new_case("C1")
    result = c1.sync()
    assert result.ok, result.errors
    with tls_office.store() as store:
        assert store.case(case_id) is not None and len(store.case_events(case_id)) == 2
    # Nothing of the API answers in clear on the office's port.
    with pytest.raises(httpx.HTTPError):
        httpx.get(tls_office.url.replace("https://", "http://") + "/api/v1/hello", timeout=3)
    # The dashboard is served over the same TLS.
    with tls_office.client() as http:
        page = http.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    no_traceback(tls_office)


def test_an_office_with_another_certificate_is_refused_and_nothing_is_sent(tls_office, phones, tmp_path):
    c1, _ = phones
    impostor = OfficeProcess(tmp_path / "impostor", free_port(), tmp_path / "impostor.log",
                             "--log-level", "info", insecure=False).start()  # its own CA: another certificate
    try:
        before = impostor.log_path.read_text(errors="replace")
        c1.new_case("C1")
        c1.store.set_meta(META_URL, impostor.url)  # the phone pointed at the other office
        result = SyncClient(c1.store, c1.photo_dir, retry=FAST_RETRY).run()
        assert result.stopped == "certificate_mismatch" and not result.ok
        from fieldapp.ui import strings

        assert "没有发送任何数据" in strings.SYNC_MESSAGES["certificate_mismatch"]
        time.sleep(0.3)
        added = impostor.log_path.read_text(errors="replace")[len(before):]
        assert "/api/v1" not in added  # not one request reached it: the handshake failed first
        with impostor.store() as store:
            assert store.event_count() == 0
        assert result.pushed == 0 and result.photos_uploaded == 0
    finally:
        impostor.stop()
        c1.store.set_meta(META_URL, tls_office.url)
    assert c1.sync().ok  # and the real office still takes it


def test_deeply_nested_json_is_a_clean_400_everywhere(tls_office, phones):
    c1, _ = phones
    with tls_office.client() as http:
        count = _event_count(tls_office)
        for path, token, depth in (("/api/v1/enrol", None, 2000), ("/api/v1/events", token_of(c1), 100_000),
                                   ("/api/v1/blobs/missing", token_of(c1), 50_000), ("/api/v1/events", token_of(c1), 40)):
            deep = b'{"code": ' + b"[" * depth + b"]" * depth + b"}"
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            r = http.post(path, content=deep, headers={**headers, "content-type": "application/json"})
            assert r.status_code == 400 and r.json()["error"]["code"] == "too_deep", (path, r.text)
    assert _event_count(tls_office) == count
    no_traceback(tls_office)


def test_unknown_api_paths_get_the_protocols_404_not_the_dashboard(tls_office):
    with tls_office.client() as http:
        for method in ("GET", "POST", "PUT"):
            r = http.request(method, "/api/v1/no-such-thing")
            assert r.status_code == 404 and r.json()["error"]["code"] == "not_found", (method, r.text)
            assert r.json()["protocol"] == p.MARKER
        r = http.delete("/api/v1/events")
        assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"


def test_the_dashboard_sends_csp_frame_protection_and_no_wildcard_cors(tls_office):
    with tls_office.client() as http:
        r = http.get("/", headers={"Origin": "https://evil.example"})
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
    assert "access-control-allow-origin" not in r.headers


def test_the_dashboard_websocket_refuses_a_foreign_origin(tls_office):
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    context = pinned_context(tls_office.pin)
    url = tls_office.url.replace("https://", "wss://") + "/ws"
    with pytest.raises(InvalidStatus) as refused:
        connect(url, ssl=context, origin="https://evil.example", open_timeout=5)
    assert refused.value.response.status_code == 403
    with connect(url, ssl=context, origin=tls_office.url, open_timeout=5) as ws:  # its own page may
        ws.close()


def test_a_photo_is_not_reached_by_naming_its_hash(tls_office, phones):
    c1, c3 = phones
    secret_case = c3.new_case("C3")
    assert c3.sync().ok
    with tls_office.store() as store:
        secret = [r[0] for r in store.db.execute("SELECT sha256 FROM photos WHERE case_id = ?", [secret_case])][0]
    own_case = c1.new_case("C1", photos=0)
    assert c1.sync().ok
    theft = new_event(PhotoAdded(own_case, secret, secret, "after", 1600, 1200, 40_000, None, None),
                      actor=c1.who.actor, device=c1.who.device, now=c1.tick())
    with tls_office.client(headers={"Authorization": f"Bearer {token_of(c1)}"}) as http:
        missing = http.post("/api/v1/blobs/missing", json={"sha256": [secret]}).json()["missing"]
        assert missing == [secret]  # "missing", as if the office lacked it: nothing learnt
        pushed = http.post("/api/v1/events", json={"events": [theft.to_dict()]}).json()["results"][0]
        assert pushed["status"] == "missing_blob"  # to name it, upload the bytes (which it has not)
        got = http.get(f"/api/v1/blobs/{secret}")
        assert got.status_code == 404 and got.json()["error"]["code"] == "not_found"
    with tls_office.store() as store:
        assert not store.db.execute("SELECT 1 FROM events WHERE id = ?", [theft.id]).fetchone()


def test_an_event_must_carry_the_tokens_device(tls_office, phones):
    c1, c3 = phones
    forged = new_event(PhotoAdded(c1.new_case("C1", photos=0), "0" * 64, "0" * 64, "before", 1, 1, 1, None, None),
                       actor=c1.who.actor, device=c3.device_id, now=c1.tick())
    with tls_office.client(headers={"Authorization": f"Bearer {token_of(c1)}"}) as http:
        result = http.post("/api/v1/events", json={"events": [forged.to_dict()]}).json()["results"][0]
    assert result["status"] == "rejected" and result["reason"] == p.REASON_DEVICE
    with tls_office.store() as store:
        assert not store.db.execute("SELECT 1 FROM events WHERE id = ?", [forged.id]).fetchone()


def test_unnamed_uploads_are_bounded_per_device_and_swept_after_the_grace_period(tls_office, phones):
    c1, _ = phones
    blobs = [c1.rng.randbytes(60_000) for _ in range(4)]  # the office runs with a 0.2 MB quota
    statuses = []
    with tls_office.client(headers={"Authorization": f"Bearer {token_of(c1)}"}) as http:
        for data in blobs:
            r = http.put(f"/api/v1/blobs/{hashlib.sha256(data).hexdigest()}", content=data)
            statuses.append((r.status_code, r.json().get("error", {}).get("code")))
    assert statuses[:3] == [(201, None)] * 3 and statuses[3] == (413, "upload_quota")
    stored = [hashlib.sha256(d).hexdigest() for d in blobs[:3]]
    photo_dir = tls_office.data_dir / storage.PHOTO_DIR
    assert all((photo_dir / s[:2] / f"{s}.jpg").is_file() for s in stored)
    assert not (photo_dir / stored[0][:2]).joinpath(hashlib.sha256(blobs[3]).hexdigest() + ".jpg").is_file()
    # Restarted with a grace period of zero days: the office removes them (and counts them) at start.
    tls_office.stop()
    tls_office.extra_args = tls_office.extra_args + ("--photo-grace-days", "0")
    mark = tls_office.started_log_at = tls_office.log_path.stat().st_size
    tls_office.start()
    time.sleep(0.5)
    assert not any((photo_dir / s[:2] / f"{s}.jpg").is_file() for s in stored)
    with tls_office.store() as store:
        swept = json.loads(store.get_meta(storage.META_SWEPT))
        assert swept["photos"] >= 3 and swept["bytes"] >= 180_000
        assert store.db.execute("SELECT count(*) FROM photos").fetchone()[0] > 0  # named photos stay
    assert c1.sync().ok
    no_traceback(tls_office, mark)


def test_a_refused_body_is_not_read_to_its_end(tls_office):
    """401 to a made-up token and 413 to an oversized declared body, with the body unread:
    the answer comes after at most the drain cap, and the connection is closed."""
    context = pinned_context(tls_office.pin)
    for path, token in ((f"/api/v1/blobs/{'a' * 64}", "made-up"), ("/api/v1/enrol", None)):
        with socket.create_connection(("127.0.0.1", tls_office.port), timeout=10) as raw:
            with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                head = (f"{'PUT' if 'blobs' in path else 'POST'} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        f"Content-Length: {60 * 1024 * 1024}\r\nContent-Type: application/octet-stream\r\n"
                        + (f"Authorization: Bearer {token}\r\n" if token else "") + "\r\n")
                tls.sendall(head.encode())
                sent = 0
                tls.settimeout(0.2)
                answer = b""
                while sent < 8 * 1024 * 1024 and b"\r\n\r\n" not in answer:
                    try:
                        tls.sendall(b"\0" * 65536)
                        sent += 65536
                        answer += tls.recv(65536)
                    except (TimeoutError, ssl.SSLWantReadError, socket.timeout):
                        continue
                    except (ConnectionError, ssl.SSLError):
                        break
                tls.settimeout(5)
                try:
                    while b"\r\n\r\n" not in answer:
                        more = tls.recv(65536)
                        if not more:
                            break
                        answer += more
                except (ConnectionError, ssl.SSLError, TimeoutError):
                    pass
        status = int(answer.split(b" ", 2)[1])
        assert status in (401, 413), answer[:200]
        assert b"connection: close" in answer.lower()
        assert sent <= 2 * 1024 * 1024, sent  # answered long before the 60 MiB promised
    no_traceback(tls_office)


def test_enrolment_is_rate_limited_per_address_without_the_writer(tls_office):
    statuses = []
    with tls_office.client() as http:
        for n in range(12):
            r = http.post("/api/v1/enrol", json={"code": f"WRONG-CODE-{n:04d}"})
            statuses.append(r.status_code)
            if r.status_code == 429:
                assert int(r.headers["retry-after"]) >= 1 and r.json()["error"]["code"] == "too_many_requests"
    assert statuses.count(403) <= 10 and statuses[-1] == 429
    no_traceback(tls_office)


def _event_count(office: OfficeProcess) -> int:
    with office.store() as store:
        return store.event_count()
