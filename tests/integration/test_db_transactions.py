"""services/common/db.py against a real PostgreSQL: "BEGIN; SET LOCAL search_path" in one round
trip, no reset query when a connection goes back to the pool, explicit savepoints. What a
tenant relies on: a pooled connection never carries one tenant's schema or an open
transaction into the next operation."""

from __future__ import annotations

import secrets

import asyncpg
import pytest

from services.common import db
from tests.integration.query_log import QueryCount
from tools.devstack import PostgresServer

pytestmark = pytest.mark.integration


@pytest.fixture
async def pool(postgres: PostgresServer) -> asyncpg.Pool:
    dsn = postgres.create_database(f"txn_{secrets.token_hex(3)}")
    setup = await asyncpg.connect(dsn)
    await setup.execute("CREATE SCHEMA a; CREATE SCHEMA b; CREATE TABLE a.t (n int UNIQUE); CREATE TABLE b.t (n int)")
    await setup.close()
    created = await db.create_pool(dsn, max_size=1)  # one connection: every test reuses it
    yield created
    await created.close()


async def test_one_round_trip_opens_the_tenant_transaction_and_release_runs_no_reset(pool: asyncpg.Pool) -> None:
    count = QueryCount()
    await count.watch(pool)
    async with db.in_schema(pool, "a") as conn:
        await conn.execute("INSERT INTO t VALUES (1)")
    assert count.queries == ['BEGIN; SET LOCAL search_path TO "a"', "INSERT INTO t VALUES (1)", "COMMIT"]


async def test_the_next_operation_sees_neither_the_schema_nor_the_transaction(pool: asyncpg.Pool) -> None:
    async with db.in_schema(pool, "a") as conn:
        await conn.execute("INSERT INTO t VALUES (1)")
    async with pool.acquire() as conn:
        assert not conn.is_in_transaction()
        assert await conn.fetchval("SHOW search_path") == '"$user", public'
    async with db.in_schema(pool, "b") as conn:
        assert await conn.fetchval("SELECT count(*) FROM t") == 0  # b.t, not a.t
    with pytest.raises(asyncpg.UndefinedColumnError):
        async with db.in_schema(pool, "a") as conn:
            await conn.execute("INSERT INTO t VALUES (2)")
            await conn.execute("SELECT nothing FROM t")
    async with pool.acquire() as conn:  # rolled back, back at the default search_path
        assert not conn.is_in_transaction()
        assert await conn.fetchval("SHOW search_path") == '"$user", public'
        assert await conn.fetchval("SELECT count(*) FROM a.t WHERE n = 2") == 0


async def test_a_savepoint_undoes_its_own_work_and_the_transaction_goes_on(pool: asyncpg.Pool) -> None:
    async with db.in_schema(pool, "a") as conn:
        await conn.execute("INSERT INTO t VALUES (10)")
        with pytest.raises(asyncpg.UniqueViolationError):
            async with db.savepoint(conn):
                await conn.execute("INSERT INTO t VALUES (11)")
                await conn.execute("INSERT INTO t VALUES (10)")
        async with db.savepoint(conn):
            await conn.execute("INSERT INTO t VALUES (12)")
    async with pool.acquire() as conn:
        assert [r["n"] for r in await conn.fetch("SELECT n FROM a.t ORDER BY n")] == [10, 12]


async def test_a_service_pool_names_its_sessions(postgres: PostgresServer) -> None:
    """pg_stat_activity (and PostgreSQL's logs) say which service holds a connection."""
    named = await db.create_pool(postgres.create_database(f"tx_{secrets.token_hex(3)}"), max_size=1,
                                 application_name="binoauth-demo")
    try:
        async with named.acquire() as conn:
            seen = await conn.fetchval("SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()")
        assert seen == "binoauth-demo"
    finally:
        await named.close()
