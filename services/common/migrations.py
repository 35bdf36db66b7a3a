"""Versioned SQL migrations for a service's shared schema and for every tenant schema.

Files live in services/<service>/migrations/{shared,tenant}/NNNN_name.sql. Each schema is
migrated in one transaction under a per-service advisory lock, so two replicas starting at
once, or a provisioning call retried while the first is still running, never apply a
migration twice or leave a schema half-made."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import structlog

from services.common.db import quote_ident
from services.common.tenancy import tenant_schema

_FILE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_log = structlog.get_logger("migrations")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations(folder: Path) -> list[Migration]:
    if not folder.is_dir():
        return []
    found: list[Migration] = []
    for path in sorted(folder.iterdir()):
        match = _FILE.match(path.name)
        if not match:
            if path.suffix == ".sql":
                raise ValueError(f"migration file name {path.name!r} is not NNNN_name.sql")
            continue
        found.append(Migration(int(match.group(1)), match.group(2), path.read_text()))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise ValueError(f"duplicate migration versions in {folder}")
    return found


class MigrationRunner:
    def __init__(self, pool: asyncpg.Pool, service: str, folder: Path) -> None:
        self._pool = pool
        self._service = service
        self._shared = load_migrations(folder / "shared")
        self._tenant = load_migrations(folder / "tenant")
        self._lock_key = f"binoauth:migrate:{service}"

    @property
    def shared_schema(self) -> str:
        return self._service

    @property
    def latest_tenant_version(self) -> int:
        return self._tenant[-1].version if self._tenant else 0

    async def migrate_shared(self) -> int:
        async with self._pool.acquire() as conn, conn.transaction():
            await self._lock(conn)
            await self._ensure_bookkeeping(conn)
            return await self._apply(conn, self.shared_schema, self._shared)

    async def migrate_tenant(self, tenant_id: str) -> tuple[str, int]:
        """Creates the tenant's schema if needed and brings it to the latest version."""
        schema = tenant_schema(self._service, tenant_id)
        async with self._pool.acquire() as conn, conn.transaction():
            await self._lock(conn)
            await self._ensure_bookkeeping(conn)
            await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {quote_ident(schema)}")
            version = await self._apply(conn, schema, self._tenant)
            await conn.execute(
                f"INSERT INTO {quote_ident(self.shared_schema)}.tenant_schemas "
                "(tenant_id, schema_name) VALUES ($1, $2) ON CONFLICT (tenant_id) DO NOTHING",
                tenant_id, schema,
            )
            return schema, version

    async def drop_tenant(self, tenant_id: str) -> bool:
        schema = tenant_schema(self._service, tenant_id)
        async with self._pool.acquire() as conn, conn.transaction():
            await self._lock(conn)
            await self._ensure_bookkeeping(conn)
            existed = await conn.fetchval(
                "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", schema
            )
            await conn.execute(f"DROP SCHEMA IF EXISTS {quote_ident(schema)} CASCADE")
            shared = quote_ident(self.shared_schema)
            await conn.execute(f"DELETE FROM {shared}.tenant_schemas WHERE tenant_id = $1", tenant_id)
            await conn.execute(f"DELETE FROM {shared}.schema_migrations WHERE schema_name = $1", schema)
            return bool(existed)

    async def tenant_ids(self) -> list[str]:
        """Tenants with a schema here; call after migrate_shared() created the bookkeeping."""
        async with self._pool.acquire() as conn:
            rows = await conn.fetch(
                f"SELECT tenant_id FROM {quote_ident(self.shared_schema)}.tenant_schemas ORDER BY tenant_id"
            )
        return [r["tenant_id"] for r in rows]

    async def migrate_all(self) -> None:
        """Start-up: the shared schema, then every tenant schema this service holds."""
        await self.migrate_shared()
        for tenant_id in await self.tenant_ids():
            await self.migrate_tenant(tenant_id)

    async def _lock(self, conn: asyncpg.Connection) -> None:
        await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", self._lock_key)

    async def _ensure_bookkeeping(self, conn: asyncpg.Connection) -> None:
        shared = quote_ident(self.shared_schema)
        await conn.execute(
            f"""
            CREATE SCHEMA IF NOT EXISTS {shared};
            CREATE TABLE IF NOT EXISTS {shared}.schema_migrations (
                schema_name text NOT NULL,
                version integer NOT NULL,
                name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (schema_name, version)
            );
            CREATE TABLE IF NOT EXISTS {shared}.tenant_schemas (
                tenant_id text PRIMARY KEY,
                schema_name text NOT NULL UNIQUE,
                created_at timestamptz NOT NULL DEFAULT now()
            );
            """
        )

    async def _apply(self, conn: asyncpg.Connection, schema: str, migrations: list[Migration]) -> int:
        shared = quote_ident(self.shared_schema)
        applied = {
            r["version"]
            for r in await conn.fetch(
                f"SELECT version FROM {shared}.schema_migrations WHERE schema_name = $1", schema
            )
        }
        await conn.execute(f"SET LOCAL search_path TO {quote_ident(schema)}")
        for migration in migrations:
            if migration.version in applied:
                continue
            await conn.execute(migration.sql)
            await conn.execute(
                f"INSERT INTO {shared}.schema_migrations (schema_name, version, name) VALUES ($1, $2, $3)",
                schema, migration.version, migration.name,
            )
            _log.info("migration applied", schema=schema, version=migration.version, name=migration.name)
        return max([*applied, *(m.version for m in migrations)], default=0)
