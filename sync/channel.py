"""One HTTP exchange with the office, as the protocol sees it (phone side).

What is retried (with bounded, jittered exponential back-off) and what is not
follows CouchDB and httpx's exception tree: transport errors and 5xx/429 are
transient; 4xx are answers. A reply counts only if it is JSON carrying our
protocol marker — a Wi-Fi login page answering 200 with HTML is
`not_our_server`, never an acknowledgement. The transport is the seam for
tests: pass any httpx transport (e.g. one that wraps a real one and injects faults).
"""

from __future__ import annotations

import functools
import random
import ssl
import time
from dataclasses import dataclass
from typing import Callable, Iterable, TypeVar

import httpx

from sync import protocol as p
from sync import tls

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
PHOTO_TYPES = frozenset({"image/jpeg", "application/octet-stream"})  # what a 200 to `fetch` may be


T = TypeVar("T")


class _Busy(Exception):
    """The office answered 429/5xx: worth another try (`Channel._retrying`)."""

    def __init__(self, error: "SyncError"):
        super().__init__(error.message)
        self.error = error


def _raise_if_busy(response: httpx.Response) -> None:
    if response.status_code in RETRY_STATUSES:
        error = SyncError("server_unavailable", f"HTTP {response.status_code}", response.status_code)
        error.retry_after = response.headers.get("retry-after")
        raise _Busy(error)


class SyncError(Exception):
    """A step failed; `code` is a protocol/client error code (docs/sync.md)."""

    def __init__(self, code: str, message: str = "", status: int | None = None):
        super().__init__(message or code)
        self.code = code
        self.message = message or code
        self.status = status


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5  # tries per request, the first included
    base_delay: float = 0.5
    max_delay: float = 8.0

    def delay(self, attempt: int) -> float:
        # Full-ish jitter: many phones coming back onto the office Wi-Fi at once do not retry in step.
        return min(self.max_delay, self.base_delay * 2 ** attempt) * random.uniform(0.5, 1.0)


@dataclass(frozen=True)
class Reply:
    status: int
    body: dict
    headers: httpx.Headers
    sent_at: float  # time.time() around the exchange: for clock-skew estimates
    received_at: float


class Channel:
    def __init__(self, server_url: str, token: str | None = None, *,
                 transport: httpx.BaseTransport | None = None, retry: RetryPolicy = RetryPolicy(),
                 timeout: float = 60.0, sleep: Callable[[float], None] = time.sleep, pin: str | None = None):
        """`pin`: the office certificate (PEM) to trust, and nothing else (sync/tls.py). An https
        office without one is refused (`pin_missing`) before anything is sent."""
        if server_url.lower().startswith("https://") and not pin and transport is None:
            raise SyncError("pin_missing", "no pinned certificate for this office: enrol with its QR code")
        headers = {"Accept": "application/json", "User-Agent": "fieldapp-sync/1"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.client = httpx.Client(
            base_url=server_url.rstrip("/") + p.API_PREFIX,
            transport=transport,
            verify=_pinned(pin) if pin else _tls_context(),
            headers=headers,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=False,  # a portal's redirect is not the office
        )
        self.retry = retry
        self.sleep = sleep

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "Channel":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def call(self, method: str, path: str, *, json: object = None,
             content: Callable[[], Iterable[bytes]] | None = None,
             headers: dict | None = None, params: dict | None = None) -> Reply:
        """Send until an answer comes (or the retries run out). `content` makes a fresh body per try."""
        def once() -> Reply:
            sent = time.time()
            response = self.client.request(
                method, path, json=json, content=content() if content else None, headers=headers, params=params
            )
            received = time.time()
            _raise_if_busy(response)
            return self._answer(response, sent, received)

        return self._retrying(once)

    def fetch(self, path: str, *, max_bytes: int) -> bytes:
        """GET raw bytes (a photo), retried as `call` retries. The answer counts only if it is
        200 with a photo's content type (`PHOTO_TYPES`) and at most `max_bytes` long (`too_large`
        otherwise, read no further); anything else is read as `call` reads it: an error answer
        raises its code (e.g. 404 `not_found`), a login page `not_our_server`. A body cut short
        is a transport error: retried. The caller checks the bytes' hash (the office's marker
        header is not relied on: a proxy may drop it; the hash is the check that counts)."""
        headers = {"Accept": "image/jpeg, application/octet-stream, application/json"}

        def once() -> bytes:
            sent = time.time()
            with self.client.stream("GET", path, headers=headers) as response:
                _raise_if_busy(response)
                kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
                if response.status_code != 200 or kind not in PHOTO_TYPES:
                    response.read()
                    self._answer(response, sent, time.time())  # raises for an error or a stranger
                    raise SyncError("protocol_mismatch", f"HTTP {response.status_code} without the photo")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise SyncError("too_large", f"{declared} bytes; at most {max_bytes}", 200)
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise SyncError("too_large", f"over {max_bytes} bytes", 200)
                    chunks.append(chunk)
                return b"".join(chunks)

        return self._retrying(once)

    def _retrying(self, once: Callable[[], T]) -> T:
        """`once()` until it answers: an unreachable office (transport error) or a busy one
        (`_Busy`: 429/5xx) is tried again after a back-off, up to `retry.attempts` tries."""
        last: SyncError | None = None
        for attempt in range(self.retry.attempts):
            if attempt:
                self.sleep(self._wait(attempt - 1, last))
            try:
                return once()
            except httpx.TransportError as exc:
                if tls.is_pin_failure(exc):  # another certificate: refused in the handshake, nothing sent
                    raise SyncError("certificate_mismatch", "the office's certificate is not the pinned one") from None
                last = SyncError("network", f"{type(exc).__name__}: {exc}")
            except _Busy as busy:
                last = busy.error
        assert last is not None
        raise last

    def _wait(self, attempt: int, last: SyncError | None) -> float:
        retry_after = getattr(last, "retry_after", None)
        if retry_after and retry_after.isdigit():
            return min(float(retry_after), self.retry.max_delay)
        return self.retry.delay(attempt)

    def _answer(self, response: httpx.Response, sent: float, received: float) -> Reply:
        status = response.status_code
        body = _our_body(response)
        if body is None:
            if status == 413:  # a proxy's limit: smaller requests may still pass
                raise SyncError("too_large", "HTTP 413 from a proxy", status)
            kind = response.headers.get("content-type", "?").split(";")[0]
            raise SyncError("not_our_server", f"HTTP {status} with {kind}, not the office's protocol", status)
        if body.get("protocol") != p.MARKER:
            raise SyncError("protocol_mismatch", f"office speaks {body.get('protocol')}, we speak {p.MARKER}", status)
        if 200 <= status < 300:
            return Reply(status, body, response.headers, sent, received)
        error = body.get("error") if isinstance(body.get("error"), dict) else {}
        code = error.get("code") if isinstance(error.get("code"), str) else None
        message = error.get("message") if isinstance(error.get("message"), str) else f"HTTP {status}"
        if status == 401:
            code = code if code in p.SERVER_ERRORS else "unauthorized"
        elif status == 403 and code not in p.SERVER_ERRORS:
            code = "forbidden"
        raise SyncError(code or f"http_{status}", message, status)


@functools.lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle takes ~70 ms: once per process, not once per sync run.
    return httpx.create_ssl_context()


@functools.lru_cache(maxsize=4)
def _pinned(pin: str) -> ssl.SSLContext:
    return tls.pinned_context(pin)


def _our_body(response: httpx.Response) -> dict | None:
    """The JSON body if it is from a fieldapp-sync server (any version), else None."""
    if not response.headers.get("content-type", "").startswith("application/json"):
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict) or not str(body.get("protocol", "")).startswith(p.PROTOCOL + "/"):
        return None
    return body
