"""`fieldapp office serve` as a real child process, as the office runs it (shared by test suites)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from sync import storage
from sync.protocol import MARKER

REPO = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fieldapp(*args: str) -> str:
    """Run a `fieldapp` command in its own process, like the office clerk would; its output."""
    done = subprocess.run([sys.executable, "-m", "fieldapp.cli", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=60, env=ENV)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


class OfficeProcess:
    """The office server on 127.0.0.1:`port` with its own data folder; its output goes to `log_path`.

    Plain HTTP (`--insecure-http`) unless `insecure=False`: then it serves TLS with the certificate
    its own CA made in `data_dir/tls`, and `pin` is that CA's PEM (what an enrolled phone pins)."""

    def __init__(self, data_dir: Path, port: int, log_path: Path, *extra_args: str, insecure: bool = True):
        self.data_dir, self.port, self.log_path = data_dir, port, log_path
        self.insecure = insecure
        self.extra_args = (("--insecure-http",) if insecure else ()) + extra_args
        self.url = f"{'http' if insecure else 'https'}://127.0.0.1:{port}"
        self.proc: subprocess.Popen | None = None

    @property
    def pin(self) -> str | None:
        from sync.tls import pin_of

        held = None if self.insecure else pin_of(self.data_dir)
        return held[0] if held else None

    def client(self, **kw) -> httpx.Client:
        """An HTTP client for this office (trusting its own CA when it serves TLS)."""
        from sync.tls import pinned_context

        verify = pinned_context(self.pin) if self.pin else False
        return httpx.Client(base_url=self.url, verify=verify, timeout=kw.pop("timeout", 10), **kw)

    def start(self) -> "OfficeProcess":
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "fieldapp.cli", "office", "serve", "--port", str(self.port),
                 "--data-dir", str(self.data_dir), "--log-level", "warning", *self.extra_args],
                cwd=REPO, env=ENV, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("office exited:\n" + self.log_path.read_text(errors="replace")[-2000:])
            try:
                if httpx.get(self.url + "/api/v1/hello", timeout=1, verify=False).json().get("protocol") == MARKER:
                    return self  # answers (401: no token yet) with our marker: it is up
            except (httpx.TransportError, ValueError):
                time.sleep(0.05)
        raise RuntimeError("office did not come up")

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as when the office PC loses power."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    def store(self):
        from fieldapp.rules import load_rules

        return storage.open_office(self.data_dir, load_rules(2022))

    def enrol_code(self, name: str, communities: str) -> str:
        out = fieldapp("office", "enrol", name, "--communities", communities, "--data-dir", str(self.data_dir))
        return re.search(r"([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})", out).group(1)
