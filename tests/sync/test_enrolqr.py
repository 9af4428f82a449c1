"""The enrolment QR code's text (sync/enrolqr.py) and what the 同步 screen makes of typed addresses."""

from __future__ import annotations

import pytest

from fieldapp.ui.screens.sync import normalise_address
from sync import enrolqr

FP = "3f2a9c1b77d0e4a5" + "0" * 48


def test_payload_round_trips_and_typed_forms_are_taken():
    text = enrolqr.payload("https://192.168.1.10:8765", "K7QP-3MZX-8H2D", FP)
    invite = enrolqr.parse(text)
    assert (invite.server_url, invite.code, invite.fingerprint) == ("https://192.168.1.10:8765", "K7QP3MZX8H2D", FP)
    assert enrolqr.parse(enrolqr.read_qr(enrolqr.qr_png(text))) == invite
    typed = enrolqr.parse("fieldapp://enrol?u=192.168.1.10:8765&c=k7qp3mzx8h2d&f=3F2A 9C1B 77D0 E4A5")
    assert typed.server_url == "https://192.168.1.10:8765" and typed.fingerprint == FP[:16]


@pytest.mark.parametrize("text, code", [
    ("https://example.org", "not_enrolment"),
    ("fieldapp://enrol?c=ABC", "incomplete"),
    ("fieldapp://enrol?u=https://10.0.0.1:8765&c=ABC&f=3f2a", "incomplete"),  # fingerprint too short
])
def test_bad_texts_are_refused_by_name(text, code):
    with pytest.raises(enrolqr.InviteError) as refused:
        enrolqr.parse(text)
    assert refused.value.code == code


def test_a_photo_without_a_code_says_so():
    from PIL import Image
    import io

    out = io.BytesIO()
    Image.new("RGB", (200, 200), "white").save(out, "JPEG")
    with pytest.raises(enrolqr.InviteError) as refused:
        enrolqr.read_qr(out.getvalue())
    assert refused.value.code == "no_qr"
    with pytest.raises(enrolqr.InviteError) as refused:
        enrolqr.read_qr(b"not a picture")
    assert refused.value.code == "not_image"


def test_a_typed_address_is_https_when_a_fingerprint_comes_with_it():
    assert normalise_address("192.168.1.10:8765") == "http://192.168.1.10:8765"
    assert normalise_address("192.168.1.10:8765", secure=True) == "https://192.168.1.10:8765"
