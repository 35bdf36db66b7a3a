"""Shared plumbing: ports, logs and the start/stop life cycle of one server process."""

from __future__ import annotations

import contextlib
import errno
import os
import random
import signal
import socket
import subprocess
import threading
import time
import weakref
from pathlib import Path
from types import TracebackType
from typing import IO, ClassVar, Self

LOOPBACK = "127.0.0.1"


class ServerError(RuntimeError):
    """A dev server could not be prepared, started or reached."""


# Ports this process already handed out: two servers of one stack must not get the same one
# even before either has bound it.
_handed_out: set[int] = set()
_LOWEST_PORT = 10000


def _ephemeral_range() -> tuple[int, int]:
    try:
        low, high = (int(v) for v in Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    except (OSError, ValueError):
        return 32768, 60999  # Linux default
    return low, high


def _bindable(port: int, host: str) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = LOOPBACK) -> int:
    """A port nothing uses now and the kernel will not pick as an ephemeral port.

    Binding port 0 returns a port from the ephemeral range, and between choosing it and the
    server binding it any outgoing connection (a replica's pool to PostgreSQL, say) may take
    it as its local port; that race once stopped Envoy in CI. Ports outside the range are
    only ever taken by an explicit bind, so choosing among them at random avoids the race.
    """
    low, high = _ephemeral_range()
    below, above = max(0, low - _LOWEST_PORT), max(0, 65535 - high)
    rng = random.SystemRandom()
    for _ in range(200 if below + above else 0):
        pick = rng.randrange(below + above)
        port = _LOWEST_PORT + pick if pick < below else high + 1 + pick - below
        if port not in _handed_out and _bindable(port, host):
            _handed_out.add(port)
            return port
    # No room outside the ephemeral range: fall back to the kernel's choice.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        chosen: int = sock.getsockname()[1]
    _handed_out.add(chosen)
    return chosen


def port_in_use(port: int, host: str = LOOPBACK) -> bool:
    # SO_REUSEADDR: only an active listener makes bind() fail, not TIME_WAIT
    # leftovers from the previous run of our own server (restart keeps the port).
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return True
            raise
    return False


def log_tail(path: Path, lines: int = 40) -> str:
    try:
        with path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 16384))
            data = fh.read()
    except FileNotFoundError:
        return "(no log file)"
    return "\n".join(data.decode(errors="replace").splitlines()[-lines:])


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    # The server runs in its own session, so its PID is also its process-group
    # id: this reaches the server's own children (e.g. postgres backends) and
    # nothing else.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()
    # Orphaned children may still be exiting; postgres refuses to start while
    # they hold the old shared memory. Zombies never leave when PID 1 does not
    # reap, hence the bounded wait.
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.02)


def describe_exit(code: int) -> str:
    """'exited with code 1' or 'killed by SIGKILL' (Popen reports a signal as -signum)."""
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-code).name}"
    return f"exited with code {code}"


class ManagedServer:
    """One server process on 127.0.0.1:port with its data under data_dir.

    The port is fixed at construction so that restart() keeps it and clients
    can reconnect. A server still running when this object is garbage-collected
    or the interpreter exits is SIGKILLed, so it never outlives its owner.

    A supervisor (tools.devstack.Supervisor) may call down() and revive() from
    another thread: a lock makes each of them atomic with start(), stop() and
    kill(), so a server its owner stopped on purpose is never started again.
    """

    name: ClassVar[str]
    stop_signal: ClassVar[signal.Signals]
    startup_timeout: float = 60.0

    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.port = port if port is not None else free_port()
        self._proc: subprocess.Popen[bytes] | None = None
        self._finalizer: (
            weakref.finalize[[subprocess.Popen[bytes]], ManagedServer] | None
        ) = None
        self._lock = threading.RLock()
        # Set by start(), cleared by stop() and kill(): whether the owner wants the
        # server up, which is what tells a crash from a deliberate stop.
        self._wanted = False

    @property
    def log_file(self) -> Path:
        return self.data_dir.parent / f"{self.data_dir.name}.log"

    @property
    def pid(self) -> int | None:
        if self._proc is None or self._proc.poll() is not None:
            return None
        return self._proc.pid

    def start(self) -> None:
        with self._lock:
            self._wanted = True
            self._start()

    def _start(self) -> None:
        if self.pid is not None:
            return
        self._forget()
        if port_in_use(self.port):
            raise ServerError(
                f"{self.name}: port {LOOPBACK}:{self.port} is already in use by another "
                f"process{self._port_hint()}"
            )
        try:
            self._prepare()
            with self.log_file.open("ab") as log:
                proc = self._spawn(log)
        except BaseException:
            self._cleanup()
            raise
        self._proc = proc
        # Safety net if the owner forgets stop(): the server must not outlive it.
        self._finalizer = weakref.finalize(self, _kill_group, proc)
        try:
            self._wait_ready(proc)
        except BaseException:
            self._kill()
            raise

    def stop(self, timeout: float = 15) -> None:
        with self._lock:
            self._wanted = False
            proc = self._proc
            if proc is None:
                return
            if proc.poll() is None:
                proc.send_signal(self.stop_signal)
                try:
                    proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    _kill_group(proc)
            self._forget()

    def kill(self) -> None:
        with self._lock:
            self._wanted = False
            self._kill()

    def _kill(self) -> None:
        if self._proc is not None:
            _kill_group(self._proc)
        self._forget()

    def restart(self) -> None:
        with self._lock:
            self.stop()
            self.start()

    # --- supervision (tools.devstack.Supervisor) ---------------------------------------
    def down(self) -> str | None:
        """Why the server is not running although nobody stopped it, or None."""
        with self._lock:
            if not self._wanted:
                return None
            code = None if self._proc is None else self._proc.poll()
            if self._proc is not None and code is None:
                return None
            return "did not start" if code is None else describe_exit(code)

    def revive(self) -> str | None:
        """Start the server again on the same port and data if it is still down(): what
        was started, or None when there was nothing to do. Raises ServerError when it does
        not come up; it stays down() so that the supervisor tries again."""
        with self._lock:
            if self.down() is None:
                return None
            # A dead postmaster leaves its backends behind for a moment, attached to the
            # shared memory a new postmaster refuses to share: end the whole group first.
            self._kill()
            self._start()
            return f"pid {self.pid} on {LOOPBACK}:{self.port}, data in {self.data_dir}"

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _forget(self) -> None:
        if self._finalizer is not None:
            self._finalizer.detach()
        self._finalizer = None
        self._proc = None
        self._cleanup()

    def _wait_ready(self, proc: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while True:
            code = proc.poll()
            if code is not None:
                raise ServerError(
                    f"{self.name} exited with code {code} during startup; "
                    f"last lines of {self.log_file}:\n{log_tail(self.log_file)}"
                )
            if self._is_ready(proc):
                return
            if time.monotonic() > deadline:
                raise ServerError(
                    f"{self.name} (pid {proc.pid}) not ready on port {self.port} after "
                    f"{self.startup_timeout:.0f}s; last lines of {self.log_file}:\n"
                    f"{log_tail(self.log_file)}"
                )
            time.sleep(0.05)

    # Hooks for the concrete servers.
    def _prepare(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)

    def _spawn(self, log: IO[bytes]) -> subprocess.Popen[bytes]:
        raise NotImplementedError

    def _is_ready(self, proc: subprocess.Popen[bytes]) -> bool:
        raise NotImplementedError

    def _port_hint(self) -> str:
        return ""

    def _cleanup(self) -> None:
        pass
