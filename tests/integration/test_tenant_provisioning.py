"""Provisioning a tenant is cheap and parallel (issue 13: <= 100 ms per tenant, 4 at a time):
a new schema's migrations go to PostgreSQL as one script, tenants are migrated under locks of
their own (not one lock per service), and a tenant's signing keys are made on first use
rather than while it is provisioned, exactly once however many replicas and requests meet."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from services.common.crypto import SecretBox
from services.common.db import create_pool
from services.common.migrations import MigrationRunner
from services.common.settings import Secret
from services.token.keys.model import ALGORITHMS, KeyState
from services.token.keys.store import PgSigningKeyStore
from services.token.keys.usecases import SigningKeys
from tests.integration.query_log import QueryCount, counting_pool
from tools.devstack import PostgresServer

pytestmark = pytest.mark.integration


def statements(sent: list[str]) -> list[str]:
    """What a call sent, without the pool's reset of a released connection."""
    return [q for q in sent if not q.startswith("SELECT pg_advisory_unlock_all()")]
TOKEN_MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "token" / "migrations"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A demo service with several tenant migrations; the first ends in a comment and no
    newline, which must not swallow what follows it."""
    (tmp_path / "shared").mkdir()
    (tmp_path / "tenant").mkdir()
    (tmp_path / "shared" / "0001_init.sql").write_text("CREATE TABLE things (id int PRIMARY KEY);")
    (tmp_path / "tenant" / "0001_notes.sql").write_text("CREATE TABLE notes (body text NOT NULL) -- the notes")
    (tmp_path / "tenant" / "0002_tags.sql").write_text("CREATE TABLE tags (name text PRIMARY KEY)")
    (tmp_path / "tenant" / "0003_more.sql").write_text("ALTER TABLE notes ADD COLUMN tag text REFERENCES tags;\n")
    return tmp_path


@pytest.fixture
async def pool(postgres: PostgresServer) -> AsyncIterator[asyncpg.Pool]:
    made = await asyncpg.create_pool(postgres.create_database(f"prov_{secrets.token_hex(3)}"), min_size=0,
                                     max_size=6)
    yield made
    await made.close()


async def test_a_new_tenant_schema_is_made_in_a_few_statements_whatever_the_number_of_migrations(
        postgres: PostgresServer) -> None:
    count = QueryCount()
    pool = await counting_pool(postgres.create_database(f"prov_{secrets.token_hex(3)}"), count)
    try:
        runner = MigrationRunner(pool, "token", TOKEN_MIGRATIONS)  # 11 tenant migrations
        await runner.migrate_shared()
        mark = len(count.queries)
        schema, version = await runner.migrate_tenant("acme")
        sent = statements(count.since(mark))
        async with pool.acquire() as conn:
            applied = await conn.fetch("SELECT version FROM token.schema_migrations WHERE schema_name = $1 "
                                       "ORDER BY version", schema)
            tables = await conn.fetchval("SELECT count(*) FROM pg_tables WHERE schemaname = $1", schema)
            registered = await conn.fetchval("SELECT schema_name FROM token.tenant_schemas WHERE tenant_id = 'acme'")
        mark = len(count.queries)
        assert await runner.migrate_tenant("acme") == (schema, version)  # a retried provisioning: nothing new
        again = statements(count.since(mark))
    finally:
        await pool.close()
    assert [r["version"] for r in applied] == list(range(1, version + 1)) and version >= 11
    assert tables >= 5 and registered == schema
    # BEGIN, the locks, what is applied, the script, COMMIT (the old runner sent ~30).
    assert len(sent) <= 5, sent
    assert len(again) <= 5, again


async def test_migration_files_are_applied_in_order_as_one_script(pool: asyncpg.Pool, demo: Path) -> None:
    runner = MigrationRunner(pool, "demo", demo)
    await runner.migrate_shared()
    schema, version = await runner.migrate_tenant("acme")
    async with pool.acquire() as conn:
        await conn.execute(f'INSERT INTO "{schema}".tags VALUES (\'x\')')
        await conn.execute(f'INSERT INTO "{schema}".notes (body, tag) VALUES (\'hi\', \'x\')')
        with pytest.raises(asyncpg.ForeignKeyViolationError):
            await conn.execute(f'INSERT INTO "{schema}".notes (body, tag) VALUES (\'hi\', \'nope\')')
    assert version == 3


async def test_a_broken_migration_leaves_no_schema_and_no_bookkeeping(pool: asyncpg.Pool, demo: Path) -> None:
    (demo / "tenant" / "0004_broken.sql").write_text("CREATE TABLE notes (again int);")
    runner = MigrationRunner(pool, "demo", demo)
    await runner.migrate_shared()
    with pytest.raises(asyncpg.DuplicateTableError):
        await runner.migrate_tenant("acme")
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM pg_namespace WHERE nspname = 'demo_t_acme'") == 0
        assert await conn.fetchval("SELECT count(*) FROM demo.schema_migrations WHERE schema_name = 'demo_t_acme'") == 0
        assert await conn.fetchval("SELECT count(*) FROM demo.tenant_schemas") == 0


async def test_tenants_are_provisioned_in_parallel_and_a_shared_migration_waits_for_them(
        pool: asyncpg.Pool, demo: Path) -> None:
    runner = MigrationRunner(pool, "demo", demo)
    await runner.migrate_shared()
    holder = await pool.acquire()
    try:
        # Another replica is half-way through provisioning "slow" (it holds that schema's lock
        # and the service's lock shared).
        await holder.execute("BEGIN")
        await holder.execute("SELECT pg_advisory_xact_lock_shared(hashtextextended('binoauth:migrate:demo', 0)), "
                             "pg_advisory_xact_lock(hashtextextended('binoauth:migrate:demo:demo_t_slow', 0))")
        # Other tenants do not wait for it...
        await asyncio.wait_for(asyncio.gather(*(runner.migrate_tenant(f"fast-{n}") for n in range(4))), timeout=10)
        # ...the same tenant does, and so does a shared migration (another release starting).
        same = asyncio.create_task(runner.migrate_tenant("slow"))
        shared = asyncio.create_task(MigrationRunner(pool, "demo", demo).migrate_shared())
        await asyncio.sleep(0.5)
        assert not same.done() and not shared.done()
        await holder.execute("COMMIT")
        await asyncio.wait_for(asyncio.gather(same, shared), timeout=10)
    finally:
        await pool.release(holder)
    assert sorted(await runner.tenant_ids()) == ["fast-0", "fast-1", "fast-2", "fast-3", "slow"]


async def test_a_provisioned_tenant_gets_its_signing_keys_on_first_use_once_across_replicas(
        postgres: PostgresServer) -> None:
    pool = await create_pool(postgres.create_database(f"keys_{secrets.token_hex(3)}"))
    try:
        runner = MigrationRunner(pool, "token", TOKEN_MIGRATIONS)
        await runner.migrate_shared()
        await runner.migrate_tenant("acme")
        box = SecretBox(Secret("k" * 40), "signing-keys")
        notes: list[tuple[str, str]] = []

        async def notify(topic: str, tenant: str) -> None:
            notes.append((topic, tenant))

        replicas = [SigningKeys(PgSigningKeyStore(pool), box, notify=notify) for _ in range(2)]
        await replicas[0].discard("acme")  # what provisioning does: no key made yet
        async with pool.acquire() as conn:
            assert await conn.fetchval("SELECT count(*) FROM token_t_acme.signing_keys") == 0
        assert notes == [("signing-keys", "acme")]  # every replica drops what it cached under the id

        # A burst of first requests on both replicas: JWKS and signing, at once.
        signed, served = await asyncio.gather(
            asyncio.gather(*(r.signer("acme", "ES256") for r in replicas for _ in range(4))),
            asyncio.gather(*(r.jwks("acme") for r in replicas)))
        kids = {kid for kid, _ in signed}
        keys = await replicas[1].keys("acme", fresh=True)
        assert sorted(k.algorithm for k in keys) == sorted(ALGORITHMS)
        assert all(k.state is KeyState.ACTIVE for k in keys)
        assert kids == {k.kid for k in keys if k.algorithm == "ES256"}
        for published in served:  # every JWKS served lists the complete set
            assert {k["kid"] for k in published["keys"]} == {k.kid for k in keys}
        rs_kid, _ = await replicas[0].signer("acme", "RS256")
        assert rs_kid in {k.kid for k in keys}
    finally:
        await pool.close()
