"""The load client of `make bench`: raw keep-alive HTTP/1.1 on uvloop, so that the client is
not what limits the figures (httpx in threads costs more CPU per request than the services).

Closed loop: `concurrency` connections, each sending its next request when the previous
answer is in, for at most `seconds` and at most `max_requests` requests; loopback only.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


class Connection:
    """One keep-alive HTTP/1.1 connection (Content-Length and chunked answers)."""

    def __init__(self, host: str, port: int) -> None:
        self._host, self._port = host, port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, headers: dict[str, str] | None = None,
                      body: bytes = b"") -> Response:
        if self._writer is None or self._writer.is_closing():
            self._reader, self._writer = await asyncio.open_connection(self._host, self._port)
        assert self._reader is not None and self._writer is not None
        head = [f"{method} {path} HTTP/1.1", f"Host: {self._host}:{self._port}"]
        head += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if body or method in ("POST", "PUT", "PATCH"):
            head.append(f"Content-Length: {len(body)}")
        self._writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        try:
            return await self._read()
        except (asyncio.IncompleteReadError, ConnectionError):
            self.close()
            raise

    async def _read(self) -> Response:
        assert self._reader is not None
        raw = await self._reader.readuntil(b"\r\n\r\n")
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await self._reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self._reader.readuntil(b"\r\n")
                    break
                chunks.append(await self._reader.readexactly(size))
                await self._reader.readexactly(2)
            body = b"".join(chunks)
        else:
            body = await self._reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return Response(status, headers, body)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._writer = self._reader = None


def connect(base_url: str) -> Connection:
    parts = urlsplit(base_url)
    return Connection(parts.hostname or "127.0.0.1", parts.port or 80)


# One operation of a scenario: (connection, worker number) -> success. May send several requests.
Call = Callable[[Connection, int], Awaitable[bool]]


@dataclass
class LoadResult:
    seconds: float = 0.0
    failures: int = 0
    latencies: list[float] = field(default_factory=list)

    def add(self, other: LoadResult) -> None:
        self.seconds += other.seconds
        self.failures += other.failures
        self.latencies += other.latencies

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else 0.0

    @property
    def p99_ms(self) -> float:
        if len(self.latencies) < 2:
            return self.p50_ms
        return statistics.quantiles(self.latencies, n=100)[98] * 1000

    @property
    def operations(self) -> int:
        return len(self.latencies) + self.failures


async def run_load(base_url: str, call: Call, seconds: float, concurrency: int,
                   max_requests: int = 1_000_000) -> LoadResult:
    """`concurrency` closed-loop workers on their own keep-alive connection."""
    result = LoadResult()
    deadline = time.perf_counter() + seconds
    budget = [max_requests]

    async def worker(n: int) -> None:
        connection = connect(base_url)
        try:
            while time.perf_counter() < deadline and budget[0] > 0:
                budget[0] -= 1
                started = time.perf_counter()
                try:
                    ok = await call(connection, n)
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    ok = False
                if ok:
                    result.latencies.append(time.perf_counter() - started)
                else:
                    result.failures += 1
        finally:
            connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(concurrency)))
    result.seconds = time.perf_counter() - started
    return result


def run(coroutine: Awaitable[LoadResult]) -> LoadResult:
    """Runs on uvloop when it is there (it is in requirements.txt)."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover
        return asyncio.run(coroutine)  # type: ignore[arg-type]
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(coroutine)  # type: ignore[arg-type]
