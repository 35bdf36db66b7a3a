"""Versioned SQL migrations for a service's shared schema and for every tenant schema.

Files live in services/<service>/migrations/{shared,tenant}/NNNN_name.sql. Each schema is
migrated in one transaction under advisory locks, so two replicas starting at once, or a
provisioning call retried while the first is still running, never apply a migration twice or
leave a schema half-made: the shared schema under the service's lock held exclusively, a
tenant schema under its own lock (and the service's lock shared), so tenants are provisioned
in parallel while a shared migration waits for them. The migrations a schema lacks go to
PostgreSQL as one script with their bookkeeping rows: a new tenant schema costs a handful of
round trips however many migrations the service has (issue 13: provisioning time). A new
tenant schema is made from the service's baseline (migrations/tenant_baseline_NNNN.sql: the
schema as tenant migrations up to NNNN leave it, written as plain CREATE statements), then the
migrations after NNNN: replaying a history that creates, drops and alters tables cost
PostgreSQL about a quarter more CPU per tenant. The versions the baseline stands for are
recorded as applied, so nothing downstream can tell the two paths apart; a test holds the
baseline to the migrations (tests/integration/test_tenant_baselines.py).

Start-up stays flat as tenants grow: a service start migrates its shared schema and reads
where every tenant schema stands in one query; it never walks the tenant schemas. A schema
that is behind (an upgrade whose `migrate` command has not reached it yet, or a tenant
provisioned meanwhile by an older replica) is migrated on its first use in the process
(db.in_tenant asks the gate), under the same advisory lock and after re-reading what is
applied, so concurrent first uses on several replicas apply each migration exactly once. The
`migrate` command (the Kubernetes init container) does the fan-out: the schemas behind,
found with the same one query, one transaction each."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import structlog

from services.common.db import quote_ident, set_tenant_schema_gate
from services.common.tenancy import tenant_schema

_FILE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_BASELINE = re.compile(r"^tenant_baseline_(\d{4})\.sql$")
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


@dataclass(frozen=True)
class Baseline:
    """A new tenant schema as tenant migrations 1..version leave it, in one script."""

    version: int
    sql: str


def load_baseline(folder: Path, tenant: list[Migration]) -> Baseline | None:
    """The tenant baseline in `folder` (a service's migrations folder), if it has one."""
    found = [(int(m.group(1)), path) for path in sorted(folder.glob("tenant_baseline_*.sql"))
             if (m := _BASELINE.match(path.name))]
    if not found:
        return None
    if len(found) > 1:
        raise ValueError(f"more than one tenant baseline in {folder}: keep the latest only")
    version, path = found[0]
    if version not in {m.version for m in tenant}:
        raise ValueError(f"{path.name} stands for tenant migration {version:04d}, which {folder / 'tenant'} lacks")
    return Baseline(version, path.read_text())


class MigrationRunner:
    def __init__(self, pool: asyncpg.Pool, service: str, folder: Path) -> None:
        self._pool = pool
        self._service = service
        self._shared = load_migrations(folder / "shared")
        self._tenant = load_migrations(folder / "tenant")
        self._lock_key = f"binoauth:migrate:{service}"
        self._tenant_versions = [m.version for m in self._tenant]
        self._baseline = load_baseline(folder, self._tenant)
        # Tenants whose schema this process knows to be current; see start().
        self._current: set[str] = set()
        self._first_use: dict[str, asyncio.Lock] = {}
        # Whether a transaction of this process committed with the bookkeeping tables there:
        # until then a tenant migration takes the service's lock exclusively and creates them.
        self._bookkept = False

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
            version = await self._apply(conn, self.shared_schema, self._shared)
        self._bookkept = True
        return version

    async def migrate_tenant(self, tenant_id: str) -> tuple[str, int]:
        """Creates the tenant's schema if needed and brings it to the latest version."""
        schema = tenant_schema(self._service, tenant_id)
        async with self._pool.acquire() as conn, conn.transaction():
            await self._lock_tenant(conn, schema)
            version = await self._apply(conn, schema, self._tenant, tenant_id=tenant_id)
        self._bookkept = True
        self._current.add(tenant_id)
        return schema, version

    async def drop_tenant(self, tenant_id: str) -> bool:
        schema = tenant_schema(self._service, tenant_id)
        shared = quote_ident(self.shared_schema)
        async with self._pool.acquire() as conn, conn.transaction():
            await self._lock_tenant(conn, schema)
            existed = await conn.fetchval(
                "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", schema
            )
            await conn.execute(
                f"DROP SCHEMA IF EXISTS {quote_ident(schema)} CASCADE; "
                f"DELETE FROM {shared}.tenant_schemas WHERE tenant_id = {quote_literal(tenant_id)}; "
                f"DELETE FROM {shared}.schema_migrations WHERE schema_name = {quote_literal(schema)}"
            )
        self._bookkept = True
        self._current.discard(tenant_id)
        return bool(existed)

    async def tenant_ids(self) -> list[str]:
        """Tenants with a schema here; call after migrate_shared() created the bookkeeping."""
        async with self._pool.acquire() as conn:
            rows = await conn.fetch(
                f"SELECT tenant_id FROM {quote_ident(self.shared_schema)}.tenant_schemas ORDER BY tenant_id"
            )
        return [r["tenant_id"] for r in rows]

    async def migrate_all(self) -> None:
        """The `migrate` command (init container): the shared schema, then every tenant schema
        that is behind, one transaction each. Nothing behind costs one query, not one per tenant."""
        await self.migrate_shared()
        behind = [tenant_id for tenant_id, current in (await self._tenant_states()).items() if not current]
        for tenant_id in behind:
            await self.migrate_tenant(tenant_id)
        if behind:
            _log.info("tenant schemas migrated", count=len(behind))

    async def start(self) -> None:
        """Service start-up: the shared schema, then one query for where every tenant schema
        stands; the process then migrates a schema that is behind on its first use."""
        await self.migrate_shared()
        states = await self._tenant_states()
        self._current = {tenant_id for tenant_id, current in states.items() if current}
        if len(self._current) < len(states):
            _log.warning("tenant schemas behind: migrated on first use or by the migrate command",
                         count=len(states) - len(self._current))
        if self._tenant:
            set_tenant_schema_gate(self._pool, self._service, self)

    def is_current(self, tenant_id: str) -> bool:
        return tenant_id in self._current

    async def ensure_current(self, tenant_id: str) -> None:
        """First use of a tenant's schema in this process: one query, and the migrations if
        it is behind. Callers for the same tenant wait for one another, so a burst of first
        requests costs one check; replicas meet at the advisory lock in migrate_tenant()."""
        lock = self._first_use.setdefault(tenant_id, asyncio.Lock())
        async with lock:
            if tenant_id in self._current:
                return
            current = (await self._tenant_states(tenant_id)).get(tenant_id)
            if current is None:
                return  # not provisioned for this service: the caller's query answers as before
            if current:
                self._current.add(tenant_id)
            else:
                _log.info("tenant schema behind: migrating on first use", tenant_id=tenant_id)
                await self.migrate_tenant(tenant_id)
        if self._first_use.get(tenant_id) is lock and not lock.locked():
            del self._first_use[tenant_id]

    async def _tenant_states(self, tenant_id: str | None = None) -> dict[str, bool]:
        """tenant id -> whether its schema has every tenant migration of this code; one query
        (an index probe per tenant inside PostgreSQL, no round trip per tenant)."""
        if not self._tenant:
            return {}
        shared = quote_ident(self.shared_schema)
        query = (f"SELECT t.tenant_id, (SELECT count(*) FROM {shared}.schema_migrations m "
                 "WHERE m.schema_name = t.schema_name AND m.version = ANY($1::int[])) = cardinality($1::int[]) "
                 f"AS current FROM {shared}.tenant_schemas t")
        async with self._pool.acquire() as conn:
            if tenant_id is None:
                rows = await conn.fetch(query, self._tenant_versions)
            else:
                rows = await conn.fetch(query + " WHERE t.tenant_id = $2", self._tenant_versions, tenant_id)
        return {r["tenant_id"]: r["current"] for r in rows}

    async def _lock(self, conn: asyncpg.Connection) -> None:
        """The service's lock, exclusive: shared migrations and the bookkeeping tables."""
        await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", self._lock_key)

    async def _lock_tenant(self, conn: asyncpg.Connection, schema: str) -> None:
        """One tenant schema's lock, with the service's lock shared (a shared migration waits
        for the tenant migrations in flight, and they for it). The first tenant migration in a
        process takes the service's lock exclusively instead and makes sure the bookkeeping
        tables exist: concurrent CREATE TABLE IF NOT EXISTS of one table is not safe."""
        if not self._bookkept:
            await self._lock(conn)
            await self._ensure_bookkeeping(conn)
            return
        await conn.execute("SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0)), "
                           "pg_advisory_xact_lock(hashtextextended($2, 0))",
                           self._lock_key, f"{self._lock_key}:{schema}")

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

    async def _apply(self, conn: asyncpg.Connection, schema: str, migrations: list[Migration],
                     tenant_id: str | None = None) -> int:
        """Applies what `schema` lacks as one script (the caller holds its lock, in a
        transaction): the schema, the migrations in order, their bookkeeping rows and, for a
        tenant, its row in tenant_schemas. Two round trips when the schema is new or behind,
        one when it is current."""
        shared = quote_ident(self.shared_schema)
        applied = {
            r["version"]
            for r in await conn.fetch(
                f"SELECT version FROM {shared}.schema_migrations WHERE schema_name = $1", schema
            )
        }
        missing = [m for m in migrations if m.version not in applied]
        baseline = self._baseline if tenant_id is not None and not applied else None
        script = migration_script(self.shared_schema, schema, missing, tenant_id, create=tenant_id is not None,
                                  baseline=baseline)
        if script:
            await conn.execute(script)
        if missing:
            _log.info("migrations applied", schema=schema, versions=",".join(str(m.version) for m in missing))
        return max([*applied, *(m.version for m in migrations)], default=0)


def quote_literal(value: str) -> str:
    """An SQL string literal (standard_conforming_strings is on: only quotes are special)."""
    if "\x00" in value:
        raise ValueError("literal contains NUL")
    return "'" + value.replace("'", "''") + "'"


def migration_script(shared_schema: str, schema: str, missing: list[Migration], tenant_id: str | None,
                     create: bool, baseline: Baseline | None = None) -> str:
    """One simple-protocol script: each migration runs with search_path set to `schema`, then
    its bookkeeping row is written; a tenant's schema is created first and registered last.
    With a baseline (a new tenant schema), its script stands in for the migrations up to its
    version, which are recorded as applied all the same.
    Each file is followed by a newline and a semicolon of its own, so a file that ends in a
    comment or without a semicolon cannot swallow the next statement. "" when nothing is to
    be done (a current shared schema)."""
    if not missing and tenant_id is None:
        return ""
    shared = quote_ident(shared_schema)
    parts: list[str] = []
    if create:
        parts.append(f"CREATE SCHEMA IF NOT EXISTS {quote_ident(schema)};")
    if missing:
        parts.append(f"SET LOCAL search_path TO {quote_ident(schema)};")
        if baseline is not None:
            parts.append(f"{baseline.sql}\n;")
        for migration in missing:
            if baseline is None or migration.version > baseline.version:
                parts.append(f"{migration.sql}\n;")
        rows = ", ".join(f"({quote_literal(schema)}, {m.version}, {quote_literal(m.name)})" for m in missing)
        parts.append(f"INSERT INTO {shared}.schema_migrations (schema_name, version, name) VALUES {rows};")
    if tenant_id is not None:
        parts.append(f"INSERT INTO {shared}.tenant_schemas (tenant_id, schema_name) VALUES "
                     f"({quote_literal(tenant_id)}, {quote_literal(schema)}) ON CONFLICT (tenant_id) DO NOTHING;")
    return "\n".join(parts)
