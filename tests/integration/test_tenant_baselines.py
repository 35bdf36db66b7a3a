"""A new tenant schema is made from its service's baseline (migrations/tenant_baseline_NNNN.sql),
not by replaying every tenant migration (issue 13: provisioning cost). The baseline is a second
description of the schema, so this holds it to the migrations: the schema it makes, with the
migrations after it, is the schema the replay makes, down to column order, defaults,
constraint and index names and definitions; the bookkeeping rows are the same; and the
baseline's own script is what a new tenant receives."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path

import asyncpg
import pytest

from services.common.migrations import Baseline, Migration, MigrationRunner, load_baseline, load_migrations
from tests.integration.query_log import QueryCount, counting_pool
from tools.devstack import PostgresServer

pytestmark = pytest.mark.integration

SERVICES_DIR = Path(__file__).resolve().parents[2] / "services"
WITH_BASELINE = ("identity", "token", "session")

# Everything PostgreSQL knows about the tables of one schema, with the schema's name written
# as "<schema>" wherever a definition names it (a foreign key's target, an index's table).
CATALOG = """
SELECT 'table', c.relname, c.relkind::text || ' toast=' || (c.reltoastrelid <> 0)::text, ''
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'S', 'v', 'm', 'p')
UNION ALL
SELECT 'column', c.relname,
       (row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum))::text || ' ' || a.attname,
       format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
       || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') || ' storage=' || a.attstorage::text
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
WHERE n.nspname = $1 AND c.relkind = 'r'
UNION ALL
SELECT 'constraint', c.relname, con.conname, replace(pg_get_constraintdef(con.oid), quote_ident($1) || '.', '<schema>.')
FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1
UNION ALL
SELECT 'index', c.relname, i.relname, replace(pg_get_indexdef(i.oid), quote_ident($1) || '.', '<schema>.')
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1
ORDER BY 1, 2, 3
"""


async def describe(pool: asyncpg.Pool, schema: str) -> list[tuple[str, str, str, str]]:
    async with pool.acquire() as conn:
        return [tuple(row) for row in await conn.fetch(CATALOG, schema)]


async def applied(pool: asyncpg.Pool, service: str, schema: str) -> list[tuple[int, str]]:
    async with pool.acquire() as conn:
        rows = await conn.fetch(f'SELECT version, name FROM "{service}".schema_migrations '
                                "WHERE schema_name = $1 ORDER BY version", schema)
    return [(r["version"], r["name"]) for r in rows]


def without_baseline(service: str, into: Path) -> Path:
    """The service's migrations as they are, minus the baseline: the replay of the history."""
    source = SERVICES_DIR / service / "migrations"
    shutil.copytree(source / "shared", into / "shared")
    shutil.copytree(source / "tenant", into / "tenant")
    return into


@pytest.mark.parametrize("service", WITH_BASELINE)
async def test_the_baseline_makes_the_schema_the_migrations_make(
        service: str, postgres: PostgresServer, tmp_path: Path) -> None:
    folder = SERVICES_DIR / service / "migrations"
    baseline = load_baseline(folder, load_migrations(folder / "tenant"))
    assert baseline is not None, f"{service} has no tenant baseline"
    count = QueryCount()
    pool = await counting_pool(postgres.create_database(f"base_{secrets.token_hex(3)}"), count)
    try:
        replay = MigrationRunner(pool, service, without_baseline(service, tmp_path / "replay"))
        await replay.migrate_shared()
        replayed, replayed_version = await replay.migrate_tenant("replayed")

        runner = MigrationRunner(pool, service, folder)
        mark = len(count.queries)
        made, made_version = await runner.migrate_tenant("made")
        sent = "\n".join(count.since(mark))

        assert baseline.sql in sent  # the new tenant got the baseline, not the history
        first = load_migrations(folder / "tenant")[0]
        assert first.sql not in sent
        assert made_version == replayed_version
        assert await applied(pool, service, made) == await applied(pool, service, replayed)
        replayed_catalog = await describe(pool, replayed)
        assert replayed_catalog, "the replay made no tables"
        made_catalog = await describe(pool, made)
        only_replayed = sorted(set(replayed_catalog) - set(made_catalog))
        only_made = sorted(set(made_catalog) - set(replayed_catalog))
        assert (only_replayed, only_made) == ([], []), (
            f"services/{service}/migrations/tenant_baseline_{baseline.version:04d}.sql and the migrations disagree: "
            f"the migrations make {only_replayed}, the baseline makes {only_made}")

        # Once made, a schema follows the migrations like any other: nothing is left to apply.
        again, version = await runner.migrate_tenant("made")
        assert (again, version) == (made, made_version)
    finally:
        await pool.close()


async def test_migrations_after_the_baseline_are_applied_on_top_of_it(
        postgres: PostgresServer, tmp_path: Path) -> None:
    """A migration written after the baseline reaches new tenants through the baseline path."""
    folder = tmp_path / "demo"
    (folder / "shared").mkdir(parents=True)
    (folder / "tenant").mkdir()
    (folder / "tenant" / "0001_notes.sql").write_text("CREATE TABLE notes (body text);")
    (folder / "tenant" / "0002_not_null.sql").write_text("ALTER TABLE notes ALTER COLUMN body SET NOT NULL;")
    (folder / "tenant_baseline_0002.sql").write_text("CREATE TABLE notes (body text NOT NULL)")  # no semicolon
    (folder / "tenant" / "0003_tags.sql").write_text("ALTER TABLE notes ADD COLUMN tag text NOT NULL DEFAULT ''")
    pool = await asyncpg.create_pool(postgres.create_database(f"base_{secrets.token_hex(3)}"), min_size=0, max_size=2)
    try:
        runner = MigrationRunner(pool, "demo", folder)
        await runner.migrate_shared()
        schema, version = await runner.migrate_tenant("acme")
        assert version == 3
        assert await applied(pool, "demo", schema) == [(1, "notes"), (2, "not_null"), (3, "tags")]
        columns = [row[2:] for row in await describe(pool, schema) if row[0] == "column"]
        assert columns == [("1 body", "text NOT NULL storage=x"), ("2 tag", "text NOT NULL DEFAULT ''::text storage=x")]
    finally:
        await pool.close()


def test_a_baseline_must_stand_for_a_migration_the_service_has(tmp_path: Path) -> None:
    (tmp_path / "tenant").mkdir()
    (tmp_path / "tenant" / "0001_notes.sql").write_text("CREATE TABLE notes (body text);")
    tenant = load_migrations(tmp_path / "tenant")
    assert load_baseline(tmp_path, tenant) is None
    (tmp_path / "tenant_baseline_0001.sql").write_text("CREATE TABLE notes (body text);")
    assert load_baseline(tmp_path, tenant) == Baseline(1, "CREATE TABLE notes (body text);")
    (tmp_path / "tenant_baseline_0002.sql").write_text("CREATE TABLE notes (body text);")
    with pytest.raises(ValueError, match="more than one tenant baseline"):
        load_baseline(tmp_path, tenant)
    (tmp_path / "tenant_baseline_0001.sql").unlink()
    with pytest.raises(ValueError, match="stands for tenant migration 0002"):
        load_baseline(tmp_path, tenant)
    later = [*tenant, Migration(2, "more", "SELECT 1")]
    assert load_baseline(tmp_path, later) == Baseline(2, "CREATE TABLE notes (body text);")
