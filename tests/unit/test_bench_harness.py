"""The `make bench` harness itself: the raw HTTP/1.1 load client, /proc CPU readings and the
markdown table (the benchmarks are never run in the suite; these prove their parts)."""

from __future__ import annotations

import asyncio
import os
import time

import pytest

from tools.bench_load import Connection, run_load
from tools.bench_support import CpuMeter, cpu_us, markdown_table, rss_mib

pytestmark = pytest.mark.unit


async def _server(answers: list[bytes]) -> tuple[asyncio.Server, int, list[bytes]]:
    """A keep-alive HTTP/1.1 server on loopback that answers each request with the next of
    `answers` (cycling), and records the requests' heads."""
    seen: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        n = 0
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), 0)
                await reader.readexactly(length)
                seen.append(head)
                writer.write(answers[n % len(answers)])
                n += 1
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1], seen


async def test_the_load_client_reads_sized_and_chunked_answers_on_one_kept_alive_connection() -> None:
    server, port, seen = await _server([
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
        b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
        b"HTTP/1.1 302 Found\r\nLocation: /x?code=1\r\nContent-Length: 0\r\n\r\n",
    ])
    async with server:
        conn = Connection("127.0.0.1", port)
        first = await conn.request("POST", "/token", {"Content-Type": "x"}, b"a=b")
        second = await conn.request("GET", "/chunked")
        third = await conn.request("GET", "/authorize")
        conn.close()
    assert (first.status, first.body) == (200, b"hello")
    assert (second.status, second.body) == (201, b"abcde")
    assert (third.status, third.headers["location"]) == (302, "/x?code=1")
    assert seen[0].startswith(b"POST /token HTTP/1.1\r\n") and b"Content-Length: 3" in seen[0]


async def test_a_load_run_stops_at_its_request_budget_and_counts_failures() -> None:
    server, port, seen = await _server([b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
                                        b"HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n"])
    async with server:
        async def call(conn: Connection, _n: int) -> bool:
            return (await conn.request("GET", "/")).status == 200

        result = await run_load(f"http://127.0.0.1:{port}", call, seconds=10, concurrency=2, max_requests=20)
    assert result.operations == 20 == len(seen)
    assert len(result.latencies) == 10 and result.failures == 10
    assert result.p99_ms >= result.p50_ms > 0 and result.per_second > 0


def test_cpu_and_memory_come_from_proc() -> None:
    meter = CpuMeter({"me": (os.getpid(), False), "me and children": (os.getpid(), True)})
    before = meter.read()
    deadline = time.process_time() + 0.1
    while time.process_time() < deadline:
        pass
    per = CpuMeter.per_operation(before, meter.read(), 10)
    assert per["me"] >= 5_000  # 100 ms of CPU over 10 operations, at 10 ms tick resolution
    assert per["me and children"] >= per["me"]
    assert cpu_us(2**22 + 12345) == 0.0 and rss_mib(os.getpid()) > 1


def test_the_markdown_table_right_aligns_figures() -> None:
    table = markdown_table(["scenario", "req/s", "ratio"], [["tokens", "700", "0.21"], ["sign-in", "49", ""]])
    assert table.splitlines()[:2] == ["| scenario | req/s | ratio |", "| --- | ---: | ---: |"]
    assert table.splitlines()[2] == "| tokens | 700 | 0.21 |"
