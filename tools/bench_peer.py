"""The peer of `make bench`: panva's oidc-provider (tools/bench-peer, installed by `make
bench` with `npm ci`), started on a free loopback port for the length of a benchmark."""

from __future__ import annotations

import secrets
import shutil
import subprocess
import time
from pathlib import Path
from types import TracebackType

from tools.devstack import free_port

FOLDER = Path(__file__).resolve().parent / "bench-peer"


class Peer:
    """`with Peer() as peer:` a running oidc-provider with one client_credentials client."""

    def __init__(self) -> None:
        self.port = free_port()
        self.client_id = "bench-client"
        self.client_secret = secrets.token_urlsafe(24)
        self.process: subprocess.Popen[bytes] | None = None

    @staticmethod
    def available() -> str | None:
        """Why the peer cannot run here, or None."""
        if shutil.which("node") is None:
            return "node is not installed"
        if not (FOLDER / "node_modules" / "oidc-provider").is_dir():
            return "tools/bench-peer is not installed (make bench runs npm ci there)"
        return None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Peer:
        self.process = subprocess.Popen(
            ["node", "server.mjs", str(self.port), self.client_id, self.client_secret], cwd=FOLDER,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
        assert self.process.stdout is not None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if line.startswith(b"listening"):
                return self
            if not line and self.process.poll() is not None:
                break
        self.__exit__(None, None, None)
        raise RuntimeError("oidc-provider did not start (see tools/bench-peer/server.mjs)")

    def __exit__(self, _type: type[BaseException] | None, _value: BaseException | None,
                 _tb: TracebackType | None) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
            self.process = None
