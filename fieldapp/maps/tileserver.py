"""The phone's own tile server: its copy of the office's map (``<data dir>/tiles/area.mbtiles``)
over HTTP on 127.0.0.1, for flet-map's TileLayer, which loads tiles by URL.

One per process (`url_for(data_dir)` starts it on first use, on a free port, in a daemon thread);
it reopens the copy when a sync replaced it. It answers ``GET /tiles/{z}/{x}/{y}.png`` with the
tile or 404, with ``Access-Control-Allow-Origin: *`` (the app's page is on another port). Nothing
leaves the device: the map works with no network at all. ``FIELDAPP_TILE_HOST`` binds another
address (the app in a browser of another machine, for trials).
"""

from __future__ import annotations

import os
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Optional

from fieldapp.maps import tiles as tl

_PATH = re.compile(r"^/tiles/(\d{1,2})/(\d{1,9})/(\d{1,9})\.\w+$")
_lock = threading.Lock()
_servers: dict[str, "TileServer"] = {}


class TileServer:
    def __init__(self, data_dir: Path, host: str = "127.0.0.1"):
        self.path = tl.tiles_dir(data_dir) / tl.AREA_NAME
        self._held: Optional[tuple[tuple, tl.TileArchive]] = None
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                m = _PATH.match(self.path.split("?")[0])
                data = server.tile(*map(int, m.groups())) if m else None
                if data is None:
                    self.send_response(404)
                    self.send_header("Access-Control-Allow-Origin", "*")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", server.media_type)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Cache-Control", "max-age=600")
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # quiet
                pass

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.host = host
        self.port = self.httpd.server_address[1]
        self.media_type = "image/png"
        threading.Thread(target=self.httpd.serve_forever, name="tile-server", daemon=True).start()

    def archive(self) -> Optional[tl.TileArchive]:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        with self._lock:
            if self._held is None or self._held[0] != stamp:
                if self._held is not None:
                    self._held[1].close()
                try:
                    archive = tl.TileArchive(self.path)
                except Exception:  # noqa: BLE001 - a damaged copy: no tiles (the next sync brings one)
                    self._held = None
                    return None
                self._held = (stamp, archive)
                self.media_type = archive.media_type
            return self._held[1]

    def tile(self, z: int, x: int, y: int) -> Optional[bytes]:
        archive = self.archive()
        return archive.tile(z, x, y) if archive is not None else None

    def template(self, version: str = "") -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{host}:{self.port}/tiles/{{z}}/{{x}}/{{y}}.png" + (f"?v={version}" if version else "")


def server_for(data_dir: str | Path) -> TileServer:
    key = str(Path(data_dir).resolve())
    with _lock:
        if key not in _servers:
            _servers[key] = TileServer(Path(data_dir), os.environ.get("FIELDAPP_TILE_HOST", "127.0.0.1"))
        return _servers[key]
