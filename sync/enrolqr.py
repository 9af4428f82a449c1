"""The enrolment QR code: the office's address, the one-time code and the certificate to pin.

    text = payload("https://192.168.1.10:8765", "K7QP-3MZX-8H2D", fingerprint)
    print(terminal_qr(text))              # `fieldapp office enrol`
    png = qr_png(text)                    # the dashboard's 登记手机
    invite = parse(read_qr(photo_bytes))  # the phone, from a photo of it (or the text typed)

The text is a URI, ``fieldapp://enrol?u=<office URL>&c=<code>&f=<sha256 hex>``, so a
phone's own camera app shows what it is; `parse` also takes what people type: the whole
text, or the three parts separately (see `Invite`). QR codes are made with segno and read
with zxing-cpp (a photo of a screen or of paper, at an angle, with moiré).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from sync.tls import FINGERPRINT_MIN, normalise_fingerprint

SCHEME = "fieldapp"


class InviteError(ValueError):
    """Not an enrolment text; `code` says what is wrong (strings.ENROL_QR_ERRORS)."""

    def __init__(self, code: str, message: str = ""):
        super().__init__(message or code)
        self.code = code


@dataclass(frozen=True)
class Invite:
    server_url: str
    code: str
    fingerprint: str  # hex digits (64, or at least 16 when typed); "" for a plain-HTTP test office

    def text(self) -> str:
        return payload(self.server_url, self.code, self.fingerprint)


def payload(server_url: str, code: str, fingerprint: str) -> str:
    query = {"u": server_url, "c": code.replace("-", "")}
    if fingerprint:
        query["f"] = fingerprint
    return f"{SCHEME}://enrol?{urlencode(query)}"


def normalise_url(text: str) -> str:
    """An office address as people type it: ``192.168.1.10:8765`` is https (TLS is the default)."""
    text = text.strip().rstrip("/")
    if text and "://" not in text:
        text = "https://" + text
    return text


def parse(text: str) -> Invite:
    """The invite in a QR code's text (or that text typed)."""
    text = (text or "").strip()
    parts = urlsplit(text)
    if parts.scheme != SCHEME or parts.netloc != "enrol":
        raise InviteError("not_enrolment", "not a fieldapp enrolment code")
    query = parse_qs(parts.query)
    url = normalise_url((query.get("u") or [""])[0])
    code = (query.get("c") or [""])[0].strip().upper()
    fp = normalise_fingerprint((query.get("f") or [""])[0])
    if not urlsplit(url).hostname or not code:
        raise InviteError("incomplete", "the enrolment code lacks the office address or the code")
    if url.startswith("https://") and len(fp) < FINGERPRINT_MIN:
        raise InviteError("incomplete", "the enrolment code lacks the certificate fingerprint")
    return Invite(url, code, fp)


def qr(text: str):
    import segno

    return segno.make(text, error="m", micro=False)


def terminal_qr(text: str) -> str:
    """The QR code as text for a terminal (two modules per character cell, dark on light)."""
    out = io.StringIO()
    qr(text).terminal(out=out, compact=True, border=2)
    return out.getvalue()


def qr_png(text: str, scale: int = 6) -> bytes:
    out = io.BytesIO()
    qr(text).save(out, kind="png", scale=scale, border=3)
    return out.getvalue()


def qr_available() -> bool:
    """Whether this build can read QR codes from photos (zxing-cpp has no wheel for every phone)."""
    try:
        import zxingcpp  # noqa: F401
    except ImportError:
        return False
    return True


def read_qr(image: bytes) -> str:
    """The text of the enrolment QR code in a photo; InviteError if none can be read."""
    try:
        import zxingcpp
        from PIL import Image, ImageOps
    except ImportError:
        raise InviteError("no_reader", "this build cannot read QR codes: type the text") from None
    try:
        with Image.open(io.BytesIO(image)) as img:
            picture = ImageOps.exif_transpose(img).convert("L")
            picture.thumbnail((2000, 2000))
    except Exception:  # Pillow raises many kinds for a file that is not a picture
        raise InviteError("not_image", "the file is not a picture") from None
    found = zxingcpp.read_barcodes(picture, formats=zxingcpp.BarcodeFormat.QRCode)
    for result in found:
        if result.text.startswith(SCHEME + "://"):
            return result.text
    raise InviteError("no_qr" if not found else "not_enrolment", "no enrolment QR code in the photo")
