"""Binding this phone to the office from a form — the 同步 screen's and the first run's.

What was typed is read the same way on both: the office's address, the one-time code and
the certificate's fingerprint (an office serving TLS is pinned to it), or the enrolment QR
code's text (``fieldapp://…``, pasted into the code field) which carries all three. Then the
enrolment itself (`fieldapp.ui.data.enrol_phone`): the phone's records are the enrolled
person's from now on, and the automatic sync starts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Optional

import httpx

from fieldapp.ui import strings
from fieldapp.ui.data import DataService, enrol_phone
from sync.channel import SyncError

log = logging.getLogger(__name__)


def message_for(code: Optional[str]) -> str:
    """The Chinese sentence (what happened, what to do) for a sync code."""
    if not code:
        return strings.SYNC_MESSAGES["internal_error"]
    return strings.SYNC_MESSAGES.get(code) or strings.SYNC_UNKNOWN.format(code=code)


def normalise_address(text: str, secure: bool = False) -> Optional[str]:
    """``192.168.1.10:8765`` → ``http://192.168.1.10:8765`` (``https://`` when `secure`: a
    certificate fingerprint was given, as for every office serving TLS); None if it is no address."""
    text = (text or "").strip()
    if not text:
        return None
    if "://" not in text:
        text = ("https://" if secure else "http://") + text
    text = text.rstrip("/")
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, ValueError):
        return None
    if url.scheme not in ("http", "https") or not url.host or " " in text:
        return None
    return text


@dataclass(frozen=True)
class Typed:
    """A form read: what to enrol with, or (message) why not."""

    address: str = ""
    code: str = ""
    fingerprint: str = ""
    message: Optional[str] = None


def read_form(address: str, code: str, fingerprint: str = "") -> Typed:
    """The address (https when a fingerprint is given), the code and the fingerprint — or the
    QR code's text in the code field — checked; `message` says what is wrong."""
    code = (code or "").strip()
    if code.startswith("fieldapp://"):
        from sync import enrolqr

        try:
            invite = enrolqr.parse(code)
        except enrolqr.InviteError as exc:
            return Typed(message=strings.ENROL_QR_ERRORS.get(exc.code, str(exc)))
        address, code, fingerprint = invite.server_url, invite.code, invite.fingerprint
    fingerprint = "".join((fingerprint or "").split())
    url = normalise_address(address or "", secure=bool(fingerprint) and "://" not in (address or ""))
    if url is None:
        return Typed(address or "", code, fingerprint, strings.SYNC_ADDRESS_INVALID)
    if not code:
        return Typed(url, code, fingerprint, strings.SYNC_CODE_NEEDED)
    return Typed(url, code, fingerprint)


async def enrol(data: DataService, typed: Typed) -> tuple[Optional[dict], str, str]:
    """Enrol with what `read_form` gave: (what the office said or None, the message, its kind).
    On success the phone takes the enrolled person's settings and starts syncing by itself."""
    try:
        info, settings = await data.run_sync(enrol_phone, typed.address, typed.code, fingerprint=typed.fingerprint)
    except SyncError as exc:
        log.info("enrolment refused: %s", exc.code)
        return None, message_for(exc.code), "error"
    except Exception:  # noqa: BLE001 - a bug: say so in Chinese, keep the app alive
        log.exception("enrolment failed")
        return None, message_for("internal_error"), "error"
    data.remember_settings(settings)  # new records carry the enrolled person
    data.autosync.enrolled()  # the records waiting go now, and on their own from now on
    return info, strings.SYNC_ENROLLED_OK.format(inspector=info["inspector"]), "ok"
