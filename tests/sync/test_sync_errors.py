"""Property 10 and the API's refusals: 413 → smaller batches, 5xx → back off, 401/403 → stop,
a 200 HTML page is never an ack; malformed JSON, oversized bodies, path tricks, bad tokens."""

from __future__ import annotations

import hashlib
import json

import httpx
from sync_kit import FAST_RETRY, OfficeServer, api, incoming_files, office_event_ids, token_of, wires_of

from fieldapp.ui import strings
from sync import auth
from sync import protocol as p
from sync.phonebook import PhoneBook

PORTAL = b"<html><body>Please log in to the guest Wi-Fi</body></html>"


# 10 ---------------------------------------------------------------------------------------------


def test_413_from_a_proxy_makes_batches_smaller(office, office_store, phone, transport):
    for _ in range(6):
        phone.new_case()
    too_big = lambda request: len(request.content) > 3000  # noqa: E731 - a proxy's body limit
    transport.add("POST", "/events", "respond", times=-1, status=413, when=too_big)

    result = phone.sync(transport=transport)

    assert result.ok, result.errors
    statuses = [s for _, _, s in transport.calls("POST", "/events")]
    assert None in statuses  # some were refused by the "proxy"...
    assert statuses.count(200) >= 2  # ...and smaller batches went through
    assert set(office_event_ids(office_store)) == phone.own_event_ids()


def test_one_event_too_large_for_the_proxy_is_reported_and_the_rest_go(office, office_store, phone, transport):
    case_id = phone.new_case()
    other = phone.new_case()
    big_id = wires_of(phone, case_id)[0]["id"]
    transport.add("POST", "/events", "respond", times=-1, status=413,
                  when=lambda request: big_id.encode() in request.content)

    result = phone.sync(transport=transport)

    photo_id = wires_of(phone, case_id)[1]["id"]
    assert [(e.code, e.event_id) for e in result.errors] == [("event_too_large", big_id),
                                                             ("event_rejected", photo_id)]
    assert "unknown_case" in result.errors[1].detail  # its case never reached the office
    assert office_store.case(other) is not None and not office_store.has_event(big_id)
    assert result.pending_events == 2


def test_5xx_is_retried_with_back_off(office, office_store, phone, transport):
    phone.new_case()
    transport.add("POST", "/events", "respond", times=2, status=503, content=b"busy")
    result = phone.sync(transport=transport)
    assert result.ok and result.pushed == 2
    assert len(transport.calls("POST", "/events")) == 3


def test_5xx_for_ever_stops_the_run_bounded(office, office_store, phone, transport):
    phone.new_case()
    transport.add("POST", "/events", "respond", times=-1, status=502)
    result = phone.sync(transport=transport)
    assert result.stopped == "server_unavailable"
    assert len(transport.calls("POST", "/events")) == FAST_RETRY.attempts
    assert result.pending_events == 2


def test_revoked_device_gets_401_and_the_run_stops(office, office_store, phone, transport):
    phone.new_case()
    assert auth.revoke(office_store, phone.device_id)

    result = phone.sync(transport=transport)

    assert result.stopped == "token_revoked"
    assert result.errors[0].code == "token_revoked" and "重新绑定" in strings.SYNC_MESSAGES["token_revoked"]
    assert [m for m, _, _ in transport.log] == ["GET"]  # hello only: no retry, nothing pushed
    assert office_event_ids(office_store) == []


def test_403_stops_the_run(office, office_store, phone, transport):
    phone.new_case()
    body = json.dumps(p.error_body("forbidden", "no")).encode()
    transport.add("POST", "/blobs/missing", "respond", status=403, content=body, content_type="application/json")
    result = phone.sync(transport=transport)
    assert result.stopped == "forbidden"
    assert transport.calls("POST", "/events") == [] and office_event_ids(office_store) == []


def test_a_200_html_page_is_never_taken_as_an_ack(office, office_store, phone, transport):
    phone.new_case()
    transport.add("POST", "/events", "respond", times=-1, status=200, content=PORTAL)

    result = phone.sync(transport=transport)

    assert result.stopped == "not_our_server" and result.pushed == 0
    assert result.pending_events == 2  # nothing marked as delivered
    assert PhoneBook(phone.store).db.execute("SELECT count(*) FROM sync_acks").fetchone()[0] == 0


def test_a_portal_answering_hello_stops_before_anything_is_sent(office, phone, transport):
    phone.new_case()
    transport.add("GET", "/hello", "respond", status=200, content=PORTAL)
    result = phone.sync(transport=transport)
    assert result.stopped == "not_our_server"
    assert [m for m, _, _ in transport.log] == ["GET"]


def test_not_enrolled_phone_says_so(office, make_phone):
    result = make_phone("fresh").sync(office)
    assert result.stopped == "not_enrolled"


# the API's refusals -------------------------------------------------------------------------------


def test_malformed_json_is_422_with_a_reason(office, phone):
    with api(office, token_of(phone)) as http:
        response = http.post("/events", content=b'{"events": [', headers={"content-type": "application/json"})
    assert response.status_code == 422
    body = response.json()
    assert body["protocol"] == p.MARKER and body["error"]["code"] == "malformed_json"
    assert "JSON" in body["error"]["message"]


def test_wrong_shape_is_422(office, phone):
    with api(office, token_of(phone)) as http:
        assert http.post("/events", json={"event": []}).json()["error"]["code"] == "invalid_body"
        traversal = http.post("/blobs/missing", json={"sha256": ["../../etc/passwd"]})
        assert traversal.json()["error"]["code"] == "bad_sha256"
        assert http.get("/events", params={"since": "x"}).json()["error"]["code"] == "bad_query"


def test_invalid_event_is_rejected_with_a_reason(office, office_store, phone):
    with api(office, token_of(phone)) as http:
        results = http.post("/events", json={"events": [{"id": "x", "type": "nope"}, 42]}).json()["results"]
    assert [r["status"] for r in results] == ["rejected", "rejected"]
    assert results[0]["reason"] == "invalid" and "unknown event type" in results[0]["detail"]
    assert office_event_ids(office_store) == []


def test_oversized_bodies_are_413(tmp_path, rules, make_phone):
    small = OfficeServer(tmp_path / "small", rules,
                         p.Limits(max_body_bytes=2000, max_blob_bytes=50_000, max_events_per_push=2)).start()
    try:
        phone = make_phone("p").enrol(small, "inspector-a", ("C1",))
        token = token_of(phone)
        with api(small, token) as http:
            big = http.post("/events", json={"events": [], "pad": "x" * 5000})
            assert big.status_code == 413 and big.json()["error"]["code"] == "too_large"
            many = http.post("/events", json={"events": [{}, {}, {}]})
            assert many.status_code == 413 and many.json()["error"]["code"] == "too_many_events"
            data = b"x" * 60_000
            sha = hashlib.sha256(data).hexdigest()
            photo = http.put(f"/blobs/{sha}", content=data)
            assert photo.status_code == 413 and photo.json()["error"]["code"] == "too_large"

            def chunked():  # no Content-Length: the limit is enforced while streaming
                yield data[:40_000]
                yield data[40_000:]

            streamed = http.put(f"/blobs/{sha}", content=chunked())
            assert streamed.status_code == 413
        assert incoming_files(small) == []
        # The client sizes its pushes from /hello's limits, so it never hits them.
        for _ in range(3):
            phone.new_case()
        result = phone.sync()
        assert result.ok and result.pushed == 6
    finally:
        small.stop()


def test_path_traversal_in_a_photo_name_is_refused(office, phone):
    outside = office.data_dir / "evil.jpg"
    with api(office, token_of(phone)) as http:
        for name in ["..%2F..%2Fevil.jpg", "..", "ABCDEF" + "0" * 58, "a" * 63, "a" * 64 + ".jpg",
                     "%2E%2E%2F" + "a" * 64]:
            response = http.put(f"/blobs/{name}", content=b"x")
            assert 400 <= response.status_code < 500, name
    assert not outside.exists()
    photos = office.data_dir / "photos"
    assert [p.name for p in photos.rglob("*") if p.is_file()] == []


def test_wrong_or_missing_token_is_401(office, phone):
    with api(office, "not-a-token") as http:
        response = http.get("/hello")
        assert response.status_code == 401 and response.json()["error"]["code"] == "token_invalid"
        assert http.put("/blobs/" + "a" * 64, content=b"x" * 100_000).status_code == 401
    with api(office) as http:
        assert http.get("/events").json()["error"]["code"] == "token_missing"
    with httpx.Client(base_url=office.url + "/api/v1", headers={"Authorization": "Basic abc"}) as http:
        assert http.get("/hello").status_code == 401


def test_unknown_api_path_is_our_404(office):
    with api(office) as http:
        response = http.get("/nothing-here")
    assert response.status_code == 404 and response.json()["protocol"] == p.MARKER
