"""Start-up stays flat as tenants grow (issue 13): a service start reads where every tenant
schema stands in one query instead of migrating schema by schema; a schema left behind is
migrated on its first use, exactly once however many replicas and requests meet it; the
`migrate` command (the Kubernetes init container) still does the fan-out."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import asyncpg
import pytest
from prometheus_client import CollectorRegistry

from services.common import redis as bredis
from services.common.clients import ServiceChannels
from services.common.db import in_tenant, quote_ident, set_tenant_schema_gate
from services.common.invalidation import InvalidationBus
from services.common.migrations import MigrationRunner, load_migrations
from services.common.server import Runtime
from tests.integration.conftest import service_settings
from tests.integration.query_log import QueryCount, counting_pool
from tools.devstack import PostgresServer, RedisServer

pytestmark = pytest.mark.integration

MANY_TENANTS = 300
ROUNDS = 20


async def add_migrated_tenants(pool: asyncpg.Pool, service: str, folder: Path, first: int, count: int) -> None:
    """`count` tenant schemas at the latest version, made in bulk: an empty schema and the
    bookkeeping rows exactly as migrate_tenant() leaves them (creating every table of a
    real schema for hundreds of tenants would take minutes and test nothing more here)."""
    versions = [(m.version, m.name) for m in load_migrations(folder / "tenant")]
    shared = quote_ident(service)
    async with pool.acquire() as conn, conn.transaction():
        for n in range(first, first + count):
            schema = f"{service}_t_bulk-{n}"
            await conn.execute(f"CREATE SCHEMA {quote_ident(schema)}")
        await conn.executemany(f"INSERT INTO {shared}.tenant_schemas (tenant_id, schema_name) VALUES ($1, $2)",
                               [(f"bulk-{n}", f"{service}_t_bulk-{n}") for n in range(first, first + count)])
        await conn.executemany(
            f"INSERT INTO {shared}.schema_migrations (schema_name, version, name) VALUES ($1, $2, $3)",
            [(f"{service}_t_bulk-{n}", v, name) for n in range(first, first + count) for v, name in versions])


async def token_start_queries(dsn: str, redis_url: str) -> list[str]:
    """The statements the token service's start-up hooks send (what ServiceServer runs once
    PostgreSQL and Redis answer), with its real composition root."""
    from services.token.bootstrap import build

    count = QueryCount()
    pool = await counting_pool(dsn, count)
    settings = service_settings("token", dsn, redis_url)
    redis = bredis.create_redis(redis_url)
    runtime = Runtime(settings, pool, redis, CollectorRegistry(), ServiceChannels(settings.service_addresses),
                      InvalidationBus(redis))
    parts = build(runtime)
    try:
        for hook in parts.on_ready:
            await hook()
        return list(count.queries)
    finally:
        for hook in parts.on_stop:
            await hook()
        await runtime.channels.close()
        await redis.aclose()
        set_tenant_schema_gate(pool, "token", None)
        await pool.close()


async def test_a_service_start_sends_the_same_few_queries_with_300_tenants_as_with_2(
        postgres: PostgresServer, redis_server: RedisServer) -> None:
    from services.token.bootstrap import MIGRATIONS

    dsn = postgres.create_database(f"flat_{secrets.token_hex(3)}")
    pool = await asyncpg.create_pool(dsn, min_size=0, max_size=2)
    try:
        runner = MigrationRunner(pool, "token", MIGRATIONS)
        await runner.migrate_shared()
        for tenant in ("acme", "globex"):  # two real, fully migrated tenant schemas
            await runner.migrate_tenant(tenant)
        few = await token_start_queries(dsn, redis_server.url)
        await add_migrated_tenants(pool, "token", MIGRATIONS, 0, MANY_TENANTS)
        many = await token_start_queries(dsn, redis_server.url)
    finally:
        await pool.close()
    assert len(many) == len(few), f"{len(few)} statements with 2 tenants, {len(many)} with {MANY_TENANTS + 2}"
    assert len(many) <= 15, many
    assert not [q for q in many if "bulk-" in q or "CREATE SCHEMA IF NOT EXISTS \"token_t_" in q]


@pytest.fixture
def demo_versions(tmp_path: Path) -> Callable[[int], Path]:
    """Migration folders of a demo service at version 1 (the old release) and 2 (the new one).
    Version 2 is not idempotent on purpose: applied twice, CREATE TABLE fails and the insert
    shows up twice."""

    def folder(version: int) -> Path:
        root = tmp_path / f"v{version}"
        if not root.exists():
            (root / "shared").mkdir(parents=True)
            (root / "tenant").mkdir()
            (root / "shared" / "0001_init.sql").write_text("CREATE TABLE things (id int PRIMARY KEY);")
            (root / "tenant" / "0001_notes.sql").write_text("CREATE TABLE notes (body text NOT NULL);")
            if version >= 2:
                (root / "tenant" / "0002_more.sql").write_text(
                    "CREATE TABLE more_notes (body text); INSERT INTO notes (body) VALUES ('migrated');")
        return root

    return folder


@pytest.fixture
async def replicas(postgres: PostgresServer) -> AsyncIterator[tuple[asyncpg.Pool, asyncpg.Pool, asyncpg.Pool]]:
    """One database; an old-release pool and two new-release replicas' pools."""
    dsn = postgres.create_database(f"lazy_{secrets.token_hex(3)}")
    pools = [await asyncpg.create_pool(dsn, min_size=0, max_size=6) for _ in range(3)]
    yield pools[0], pools[1], pools[2]
    for pool in pools:
        set_tenant_schema_gate(pool, "demo", None)
        await pool.close()


async def test_a_schema_left_behind_is_migrated_exactly_once_on_first_use_under_concurrency(
        replicas: tuple[asyncpg.Pool, asyncpg.Pool, asyncpg.Pool], demo_versions: Callable[[int], Path]) -> None:
    old_pool, *new_pools = replicas
    old = MigrationRunner(old_pool, "demo", demo_versions(1))
    await old.migrate_shared()

    async def first_use(pool: asyncpg.Pool, tenant: str) -> int:
        async with in_tenant(pool, "demo", tenant) as conn:
            return int(await conn.fetchval("SELECT count(*) FROM more_notes"))

    for n in range(ROUNDS):
        before, after = f"before-{n}", f"after-{n}"
        await old.migrate_tenant(before)  # left behind by the old release before the new one starts
        # Two replicas of the new release start together.
        await asyncio.gather(*(MigrationRunner(pool, "demo", demo_versions(2)).start() for pool in new_pools))
        await old.migrate_tenant(after)  # provisioned by an old replica while the new ones run
        uses = [first_use(pool, tenant) for tenant in (before, after) for pool in new_pools for _ in range(8)]
        assert await asyncio.gather(*uses) == [0] * len(uses)
        async with old_pool.acquire() as conn:
            for tenant in (before, after):
                schema = quote_ident(f"demo_t_{tenant}")
                assert await conn.fetchval(f"SELECT count(*) FROM {schema}.notes WHERE body = 'migrated'") == 1
                assert await conn.fetchval(
                    "SELECT count(*) FROM demo.schema_migrations WHERE schema_name = $1 AND version = 2",
                    f"demo_t_{tenant}") == 1


async def test_the_migrate_command_fans_out_to_every_schema_behind_and_is_flat_when_none_is(
        postgres: PostgresServer, demo_versions: Callable[[int], Path]) -> None:
    count = QueryCount()
    pool = await counting_pool(postgres.create_database(f"fan_{secrets.token_hex(3)}"), count)
    try:
        old = MigrationRunner(pool, "demo", demo_versions(1))
        await old.migrate_shared()
        tenants = [f"tenant-{n}" for n in range(5)]
        for tenant in tenants:
            await old.migrate_tenant(tenant)
        await MigrationRunner(pool, "demo", demo_versions(2)).migrate_all()  # what the init container runs
        async with pool.acquire() as conn:
            rows = await conn.fetch("SELECT schema_name FROM demo.schema_migrations WHERE version = 2")
        assert sorted(r["schema_name"] for r in rows) == [f"demo_t_{t}" for t in tenants]
        await add_migrated_tenants(pool, "demo", demo_versions(2), 0, 100)
        mark = len(count.queries)
        await MigrationRunner(pool, "demo", demo_versions(2)).migrate_all()  # the next pod: nothing to do
        assert len(count.since(mark)) <= 10, count.since(mark)
    finally:
        await pool.close()
