"""tools.devstack: real PostgreSQL / Redis processes survive restart() and kill()."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import redis

from tools.devstack import PostgresServer, RedisServer, ServerError, free_port

pytestmark = pytest.mark.integration


def pg_run(dsn: str, *statements: str) -> list[Any]:
    """Run statements in order; return the rows of the last one as plain tuples."""

    async def run() -> list[Any]:
        conn = await asyncpg.connect(dsn)
        try:
            rows: list[Any] = []
            for sql in statements:
                rows = [tuple(r) for r in await conn.fetch(sql)]
            return rows
        finally:
            await conn.close()

    return asyncio.run(run())


def assert_gone(pid: int) -> None:
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_postgres_survives_restart_and_kill(server_dir: Callable[[str], Path]) -> None:
    with PostgresServer(server_dir("devstack") / "pg", durable=False) as pg:
        port, first_pid = pg.port, pg.pid
        assert first_pid is not None
        assert pg_run(pg.dsn, "SELECT 1") == [(1,)]

        dsn = pg.create_database("devstack_test")
        assert pg.create_database("devstack_test") == dsn  # idempotent
        pg_run(
            dsn, "CREATE TABLE t (v text)", "INSERT INTO t VALUES ('before restart')"
        )

        pg.restart()
        assert pg.port == port
        assert pg.pid not in (None, first_pid)
        assert_gone(first_pid)
        assert pg_run(dsn, "SELECT v FROM t") == [("before restart",)]

        pg.start()  # already running: no-op
        killed_pid = pg.pid
        assert killed_pid is not None
        pg.kill()
        assert pg.pid is None
        assert_gone(killed_pid)
        pg.start()  # crash recovery
        assert pg.port == port
        assert ("before restart",) in pg_run(dsn, "SELECT v FROM t")
        last_pid = pg.pid
    assert pg.pid is None
    assert last_pid is not None
    assert_gone(last_pid)


def test_redis_survives_restart_and_kill(server_dir: Callable[[str], Path]) -> None:
    with RedisServer(server_dir("devstack") / "redis", persistent=True) as server:
        port, first_pid = server.port, server.pid
        assert first_pid is not None
        client = redis.Redis.from_url(server.url)
        try:
            client.set("k", "v1")
            server.restart()
            assert server.port == port
            assert_gone(first_pid)
            assert client.get("k") == b"v1"  # same URL: the client just reconnects

            server.kill()
            assert server.pid is None
            server.start()
            assert client.ping()
            client.set("k", "v2")
            assert client.get("k") == b"v2"
        finally:
            client.close()
    assert server.pid is None


def test_start_fails_clearly_when_port_is_taken(server_dir: Callable[[str], Path]) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        server = RedisServer(server_dir("devstack") / "redis", port, persistent=False)
        with pytest.raises(
            ServerError, match=f"port 127.0.0.1:{port} is already in use"
        ):
            server.start()
        assert server.pid is None


def test_startup_failure_reports_log_tail(server_dir: Callable[[str], Path]) -> None:
    data = server_dir("devstack") / "pg"
    data.mkdir()
    (data / "junk").write_text("initdb refuses a non-empty data directory")
    with pytest.raises(ServerError, match="initdb failed") as excinfo:
        PostgresServer(data, durable=False).start()
    assert "exists but is not empty" in str(excinfo.value)


def test_free_ports_are_distinct_bindable_and_never_ephemeral() -> None:
    # The kernel hands ports in this range to outgoing connections (the replicas' pools);
    # a port chosen from it can be stolen before the server binds it.
    low, high = (int(v) for v in open("/proc/sys/net/ipv4/ip_local_port_range").read().split())
    ports = [free_port() for _ in range(50)]
    assert len(set(ports)) == len(ports)
    assert all(not low <= port <= high for port in ports)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", ports[0]))
        listener.listen()
