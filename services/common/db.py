"""asyncpg pools and tenant-scoped transactions.

A pooled connection never carries one tenant's search_path into another request: the
search_path is only ever set with SET LOCAL inside a transaction, which PostgreSQL resets
at COMMIT or ROLLBACK."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

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


async def create_pool(dsn: str, max_size: int = 10) -> asyncpg.Pool:
    """A pool that connects lazily (connections open on first use), so a
    service can start and report NOT_SERVING while the database is still coming up."""
    pool = asyncpg.create_pool(
        dsn,
        min_size=0,
        max_size=max_size,
        init=_init_connection,
        # Reset per-connection state when a connection goes back to the pool.
        max_inactive_connection_lifetime=300,
        command_timeout=30,
    )
    await pool
    return pool


@asynccontextmanager
async def in_schema(pool: asyncpg.Pool, schema: str) -> AsyncIterator[asyncpg.Connection]:
    """A transaction whose unqualified table names resolve in `schema` only."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute(f"SET LOCAL search_path TO {quote_ident(schema)}")
        yield conn


@asynccontextmanager
async def in_tenant(pool: asyncpg.Pool, service: str, tenant_id: str) -> AsyncIterator[asyncpg.Connection]:
    """A transaction in the tenant's schema of `service` (the tenant id is validated first)."""
    async with in_schema(pool, tenant_schema(service, tenant_id)) as conn:
        yield conn


async def ping(pool: asyncpg.Pool) -> None:
    async with pool.acquire(timeout=2) as conn:
        await conn.fetchval("SELECT 1")
