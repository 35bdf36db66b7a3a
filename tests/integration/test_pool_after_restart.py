"""A PostgreSQL restart under load (issue 17: identity Login answered 500 with asyncpg
"InternalClientError: cannot switch to state 15; another operation (2) is in progress", the
ROLLBACK of a transaction whose session the server had ended): every transaction either works
or fails as a lost connection (a 503 for the caller, never a 500), no connection the restart
broke goes back into the pool, and once the server is back every transaction works.

Runs its OWN PostgreSQL: it restarts it, which must not disturb the other tests' server."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import asyncpg
import pytest

from services.common import db
from services.common.errors import dependency_failure
from tools.devstack import PostgresServer

pytestmark = pytest.mark.integration
ROUNDS = 20
WORKERS = 16


@pytest.fixture(scope="module")
def own_postgres(server_dir: Callable[[str], Path]) -> Iterator[PostgresServer]:
    server = PostgresServer(server_dir("pg-restart") / "data", durable=False)
    server.start()
    yield server
    server.stop()


async def test_transactions_after_a_fast_restart_fail_cleanly_then_work(own_postgres: PostgresServer) -> None:
    dsn = own_postgres.create_database("restarts")
    setup = await asyncpg.connect(dsn)
    await setup.execute("CREATE SCHEMA IF NOT EXISTS s; CREATE TABLE IF NOT EXISTS s.t (n int)")
    await setup.close()
    pool = await db.create_pool(dsn, max_size=WORKERS)
    outcomes: Counter[str] = Counter()
    try:
        for _ in range(ROUNDS):
            async def work(statement_seconds: float = 0.01) -> None:
                try:
                    async with db.in_schema(pool, "s") as conn:
                        await conn.execute("INSERT INTO t VALUES (1)")
                        await conn.fetchval("SELECT pg_sleep($1)", statement_seconds)
                        await conn.fetchval("SELECT count(*) FROM t")
                    outcomes["ok"] += 1
                except Exception as error:
                    # A session the server ended is the caller's 503 (asyncpg reports one that
                    # ended between two statements as InternalClientError "cannot switch to
                    # state 15"); anything else would be a 500.
                    outcomes["unavailable" if dependency_failure(error) else f"{type(error).__name__}: {error}"] += 1

            # Transactions in flight (a statement running, or between two) when the server
            # ends every session, and more arriving while it restarts.
            busy = [asyncio.create_task(work(0.5 if n % 2 else 0.01)) for n in range(WORKERS)]
            await asyncio.sleep(0.1)
            await asyncio.gather(asyncio.to_thread(own_postgres.restart), *busy,
                                 *(work() for _ in range(WORKERS)))
            await asyncio.gather(*(work() for _ in range(WORKERS)))
            # Back: at most one more failure per connection the restart ended, then all work.
            await asyncio.gather(*(work() for _ in range(WORKERS)), return_exceptions=True)
            before = outcomes["ok"]
            await asyncio.gather(*(work() for _ in range(WORKERS)))
            assert outcomes["ok"] - before == WORKERS, outcomes
        wrong = {k: v for k, v in outcomes.items() if k not in ("ok", "unavailable")}
        assert not wrong, wrong
    finally:
        await pool.close()


async def test_a_session_ended_mid_statement_is_a_503_and_never_reused(own_postgres: PostgresServer) -> None:
    """The server ends the session while a statement runs (what a restart does to every
    session): the caller gets a lost-connection error (503), not a 500, and the pool hands
    out only working connections afterwards."""
    dsn = own_postgres.create_database("terminated")
    admin = await asyncpg.connect(dsn)
    await admin.execute("CREATE SCHEMA IF NOT EXISTS s")
    pool = await db.create_pool(dsn, max_size=2)
    try:
        for round_ in range(ROUNDS):
            with pytest.raises(Exception) as caught:
                async with db.in_schema(pool, "s") as conn:
                    pid = await conn.fetchval("SELECT pg_backend_pid()")
                    if round_ % 2:  # while a statement runs
                        sleeper = asyncio.create_task(conn.fetchval("SELECT pg_sleep(5)"))
                        await asyncio.sleep(0.05)
                        await admin.execute("SELECT pg_terminate_backend($1)", pid)
                        await sleeper
                    else:  # between two statements of the transaction
                        await admin.execute("SELECT pg_terminate_backend($1)", pid)
                        await conn.execute("SELECT 1")
            assert dependency_failure(caught.value) is not None, f"round {round_}: {caught.value!r} would be a 500"
            for _ in range(4):
                async with db.in_schema(pool, "s") as conn:
                    assert await conn.fetchval("SELECT 1") == 1
    finally:
        await admin.close()
        await pool.close()
