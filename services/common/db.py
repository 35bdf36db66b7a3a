"""asyncpg pools and tenant-scoped transactions.

A pooled connection never carries one tenant's search_path into another request: the
search_path is only ever set with SET LOCAL inside a transaction, which PostgreSQL resets
at COMMIT or ROLLBACK.

A single-statement operation costs three round trips: "BEGIN; SET LOCAL search_path" as one
simple query, the statement, COMMIT. Connections carry no session state (no session-level
SET, advisory locks only transaction-scoped, no LISTEN, cursors only inside transactions;
tests/unit/test_db_session_state.py keeps it so), so going back to the pool runs no reset
query: asyncpg's default (advisory unlock, CLOSE ALL, UNLISTEN, RESET ALL) was a fourth round
trip per operation. asyncpg still rolls back a transaction left open before the hook runs."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol

import asyncpg

from services.common.tenancy import tenant_schema

Pool = asyncpg.Pool
Connection = asyncpg.Connection


def quote_ident(name: str) -> str:
    """Quotes an SQL identifier (schema, table). Never build SQL from unquoted input."""
    if "\x00" in name:
        raise ValueError("identifier contains NUL")
    return '"' + name.replace('"', '""') + '"'


async def _init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")
    await conn.set_type_codec("json", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Nothing to reset (see the module doc)."""


async def create_pool(dsn: str, max_size: int = 10, application_name: str = "") -> asyncpg.Pool:
    """A pool that connects lazily (connections open on first use), so a
    service can start and report NOT_SERVING while the database is still coming up.
    `application_name` names the pool's sessions in pg_stat_activity and PostgreSQL's logs
    (which service holds a connection, or runs a slow query)."""
    pool = asyncpg.create_pool(
        dsn,
        min_size=0,
        max_size=max_size,
        init=_init_connection,
        reset=_keep_session,
        max_inactive_connection_lifetime=300,
        command_timeout=30,
        server_settings={"application_name": application_name} if application_name else None,
    )
    await pool
    return pool


def connection_broken(error: BaseException) -> bool:
    """Whether `error` may have left a connection mid-protocol: lost, terminated by the server
    (a restart ends every session with 57P01), cancelled or timed out half-way. Such a
    connection must never serve another operation: asyncpg would try to run the next one while
    the protocol still consumes the failed one ("cannot switch to state 15; another operation
    (2) is in progress"). An ordinary SQL error (a constraint, a bad value) leaves it usable."""
    if isinstance(error, asyncpg.PostgresError):
        return isinstance(error, (asyncpg.PostgresConnectionError, asyncpg.exceptions.OperatorInterventionError))
    return isinstance(error, (asyncpg.InterfaceError, asyncpg.InternalClientError, OSError, TimeoutError,
                              asyncio.CancelledError))


@asynccontextmanager
async def in_schema(pool: asyncpg.Pool, schema: str) -> AsyncIterator[asyncpg.Connection]:
    """A transaction whose unqualified table names resolve in `schema` only. One connection
    per transaction, released only when the transaction is over; a connection the failure
    may have broken is closed instead of going back to the pool. Inside it, use savepoint()
    rather than conn.transaction() (asyncpg refuses a transaction it did not start)."""
    async with pool.acquire() as conn:
        try:
            # One round trip (simple query protocol); the schema is a quoted identifier.
            await conn.execute(f"BEGIN; SET LOCAL search_path TO {quote_ident(schema)}")
        except BaseException as error:
            await _end_failed(conn, error)
            raise
        try:
            yield conn
        except BaseException as error:
            await _end_failed(conn, error)
            raise
        try:
            await conn.execute("COMMIT")
        except BaseException as error:
            await _end_failed(conn, error)
            raise


async def _end_failed(conn: asyncpg.Connection, error: BaseException) -> None:
    # No ROLLBACK on a broken connection (that is what raised InternalClientError); the
    # server rolls back the transaction of a session that ends.
    if _discard_if_broken(conn, error) or not conn.is_in_transaction():
        return
    try:
        await conn.execute("ROLLBACK")
    except BaseException as rollback_error:  # noqa: BLE001 - the first error is the one to report
        _discard_if_broken(conn, rollback_error)


@asynccontextmanager
async def savepoint(conn: asyncpg.Connection, name: str = "nested") -> AsyncIterator[None]:
    """A nested transaction inside in_schema/in_tenant: on an exception its work is undone
    and the outer transaction can go on (e.g. after a unique violation)."""
    savepoint_name = quote_ident(name)
    await conn.execute(f"SAVEPOINT {savepoint_name}")
    try:
        yield
    except BaseException as error:
        if not connection_broken(error) and not conn.is_closed():
            await conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint_name}")
        raise
    await conn.execute(f"RELEASE SAVEPOINT {savepoint_name}")


def _discard_if_broken(conn: asyncpg.Connection, error: BaseException) -> bool:
    """Terminates `conn` if `error` may have broken it; whether it did."""
    if connection_broken(error) or conn.is_closed():
        conn.terminate()
        return True
    return False


class TenantSchemaGate(Protocol):
    """Brings a tenant's schema to the version this code expects before its first use (see
    services/common/migrations.py: start-up never walks the tenant schemas)."""

    def is_current(self, tenant_id: str) -> bool: ...

    async def ensure_current(self, tenant_id: str) -> None: ...


# (pool, service) -> gate, set by MigrationRunner.start(). A process holds one or two pools
# for its lifetime, so the entries are few; keyed by the pool so that two services (or two
# test databases) in one process never share a gate.
_gates: dict[tuple[asyncpg.Pool, str], TenantSchemaGate] = {}


def set_tenant_schema_gate(pool: asyncpg.Pool, service: str, gate: TenantSchemaGate | None) -> None:
    if gate is None:
        _gates.pop((pool, service), None)
    else:
        _gates[(pool, service)] = gate


async def tenant_ready(pool: asyncpg.Pool, service: str, tenant_id: str) -> None:
    """Before the first use of a tenant's schema in this process: migrate it if it is behind.
    After that a set lookup; without a gate (migrations off, tools, tests) nothing."""
    gate = _gates.get((pool, service))
    if gate is not None and not gate.is_current(tenant_id):
        await gate.ensure_current(tenant_id)


@asynccontextmanager
async def in_tenant(pool: asyncpg.Pool, service: str, tenant_id: str) -> AsyncIterator[asyncpg.Connection]:
    """A transaction in the tenant's schema of `service` (the tenant id is validated first)."""
    schema = tenant_schema(service, tenant_id)
    await tenant_ready(pool, service, tenant_id)
    async with in_schema(pool, schema) as conn:
        yield conn


async def ping(pool: asyncpg.Pool) -> None:
    async with pool.acquire(timeout=2) as conn:
        try:
            await conn.fetchval("SELECT 1")
        except BaseException as error:
            _discard_if_broken(conn, error)
            raise
