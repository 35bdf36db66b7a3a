"""Database helpers against real PostgreSQL: migrations and tenant isolation on pooled connections."""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path

import pytest

from services.common.db import create_pool, in_tenant
from services.common.migrations import MigrationRunner
from tools.devstack import PostgresServer

pytestmark = pytest.mark.integration


@pytest.fixture
def migrations(tmp_path: Path) -> Path:
    (tmp_path / "shared").mkdir()
    (tmp_path / "tenant").mkdir()
    (tmp_path / "shared" / "0001_init.sql").write_text("CREATE TABLE things (id int PRIMARY KEY);")
    (tmp_path / "tenant" / "0001_notes.sql").write_text("CREATE TABLE notes (body text NOT NULL);")
    return tmp_path


async def test_migrations_are_idempotent_and_safe_to_run_concurrently(postgres: PostgresServer,
                                                                       migrations: Path) -> None:
    pool = await create_pool(postgres.create_database(f"mig_{secrets.token_hex(3)}"))
    try:
        runners = [MigrationRunner(pool, "demo", migrations) for _ in range(4)]
        await asyncio.gather(*(r.migrate_shared() for r in runners))
        results = await asyncio.gather(*(r.migrate_tenant("acme") for r in runners))
        assert {r for r in results} == {("demo_t_acme", 1)}
        (migrations / "tenant" / "0002_more.sql").write_text("ALTER TABLE notes ADD COLUMN author text;")
        await MigrationRunner(pool, "demo", migrations).migrate_all()
        async with pool.acquire() as conn:
            applied = await conn.fetch("SELECT schema_name, version FROM demo.schema_migrations ORDER BY 1, 2")
            assert [(r["schema_name"], r["version"]) for r in applied] == [
                ("demo", 1), ("demo_t_acme", 1), ("demo_t_acme", 2)]
            await conn.execute('INSERT INTO "demo_t_acme".notes (body, author) VALUES ($1, $2)', "hi", "me")
    finally:
        await pool.close()


async def test_search_path_never_leaks_between_tenants_on_a_pooled_connection(
    postgres: PostgresServer, migrations: Path
) -> None:
    pool = await create_pool(postgres.create_database(f"iso_{secrets.token_hex(3)}"), max_size=1)
    try:
        runner = MigrationRunner(pool, "demo", migrations)
        await runner.migrate_shared()
        for tenant in ("alpha", "beta"):
            await runner.migrate_tenant(tenant)
        async with in_tenant(pool, "demo", "alpha") as conn:
            await conn.execute("INSERT INTO notes (body) VALUES ('alpha secret')")
        # The single pooled connection comes back without alpha's search_path.
        async with pool.acquire() as conn:
            path = await conn.fetchval("SHOW search_path")
            assert "alpha" not in path
        async with in_tenant(pool, "demo", "beta") as conn:
            assert await conn.fetchval("SELECT count(*) FROM notes") == 0
        with pytest.raises(Exception) as bad:
            async with in_tenant(pool, "demo", 'alpha"; DROP TABLE notes; --'):
                pass
        assert "INVALID_TENANT_ID" in str(bad.value)
    finally:
        await pool.close()


def test_migrate_command_applies_migrations_and_is_safe_to_repeat(postgres: PostgresServer) -> None:
    import os
    import subprocess
    import sys

    database_url = postgres.create_database(f"cli_{secrets.token_hex(3)}")
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": "redis://127.0.0.1:1/0",
           "PYTHONPATH": f"{root}{os.pathsep}{root / 'build' / 'gen'}"}
    for _ in range(2):
        done = subprocess.run([sys.executable, "-m", "services.identity", "migrate"], env=env, cwd=root,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "migrations applied" in done.stdout

    async def versions() -> list[tuple[str, int]]:
        import asyncpg

        conn = await asyncpg.connect(database_url)
        try:
            rows = await conn.fetch("SELECT schema_name, version FROM identity.schema_migrations")
            return [(r["schema_name"], r["version"]) for r in rows]
        finally:
            await conn.close()

    assert sorted(asyncio.run(versions())) == [("identity", 1), ("identity", 2), ("identity", 3)]
    bad = subprocess.run([sys.executable, "-m", "services.identity", "frobnicate"], env=env, cwd=root,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode != 0 and "usage" in bad.stderr

    # Identity seals TOTP seeds and queued messages: without a key it refuses to start, in one line.
    unkeyed = subprocess.run([sys.executable, "-m", "services.identity"], cwd=root, capture_output=True, text=True,
                             timeout=60, env={k: v for k, v in env.items() if k != "BINOAUTH_KEY_ENCRYPTION_KEY"})
    assert unkeyed.returncode == 2
    assert "BINOAUTH_KEY_ENCRYPTION_KEY must be at least 32 characters" in unkeyed.stdout
    assert "Traceback" not in unkeyed.stdout + unkeyed.stderr
