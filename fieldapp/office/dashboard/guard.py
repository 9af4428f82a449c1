"""What stands between the browser-facing dashboard (the Flet app mounted at "/") and the network.

`DashboardGuard(app, flet_app)` is the ASGI app mounted at "/":

- a path under ``/api/`` that reached it is no API route: the protocol's own 404 ``not_found``
  (405 ``method_not_allowed`` where the path exists with another method), never the
  dashboard's HTML;
- every dashboard answer carries a Content-Security-Policy (``frame-ancestors 'none'``, only
  this origin to connect to), ``X-Frame-Options: DENY``, ``nosniff``, no referrer, and no
  ``Access-Control-Allow-*`` (Flet adds ``*``: the dashboard is never read cross-origin);
- its websocket is refused (1008, before it is accepted) when the browser's ``Origin`` is not the
  page's own host: another site open in the same browser cannot drive a logged-in dashboard.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from starlette.routing import Match

from sync import protocol as p

# Flutter web needs inline bootstrap scripts, eval for its JS build and wasm for CanvasKit.
CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' blob:; "
       "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
       "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode("ascii")),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


class DashboardGuard:
    def __init__(self, outer, inner):
        self.outer = outer  # the FastAPI app (its routes tell 404 from 405)
        self.inner = inner

    async def __call__(self, scope, receive, send):
        kind = scope["type"]
        if kind == "http" and _path(scope).startswith(p.API_PREFIX + "/"):
            return await self._api_miss(scope, receive, send)
        if kind == "websocket" and not same_origin(scope):
            await send({"type": "websocket.close", "code": 1008})
            return
        if kind != "http":
            return await self.inner(scope, receive, send)

        async def guarded(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if not k.lower().startswith(b"access-control-allow-")
                           and k.lower() not in {h for h, _ in SECURITY_HEADERS}]
                message = {**message, "headers": headers + SECURITY_HEADERS}
            await send(message)

        await self.inner(scope, receive, guarded)

    async def _api_miss(self, scope, receive, send):
        probe = {**scope, "root_path": ""}
        partial = any(route.matches(probe)[0] == Match.PARTIAL for route in self.outer.router.routes
                      if getattr(route, "path", "/") != "/")  # fmt: skip
        status, code = (405, "method_not_allowed") if partial else (404, "not_found")
        body = json.dumps(p.error_body(code, "no such API path" if code == "not_found"
                                       else "this path does not take that method")).encode()
        await send({"type": "http.response.start", "status": status, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
            (p.MARKER_HEADER.lower().encode(), b"1")]})
        await send({"type": "http.response.body", "body": body})


def _path(scope) -> str:
    return scope.get("path", "")  # a mount at "/" keeps the full path (Starlette ≥ 0.33)


def same_origin(scope) -> bool:
    """A websocket's Origin (when the client sends one: browsers always do) names its Host."""
    headers = {k.lower(): v for k, v in scope.get("headers", [])}
    origin = headers.get(b"origin")
    if origin is None:
        return True
    host = headers.get(b"host", b"").decode("latin-1").lower()
    try:
        return urlsplit(origin.decode("latin-1")).netloc.lower() == host and bool(host)
    except ValueError:
        return False
