"""PostgreSQL storage of security events (the tenant's identity schema)."""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Any

import asyncpg

from services.common.db import quote_ident, tenant_ready
from services.common.tenancy import tenant_schema
from services.identity.events import SecurityEvent

SERVICE = "identity"
_COLUMNS = "event_id, type, user_id, ip_address, user_agent, actor, details, created_at"


def _table(tenant_id: str) -> str:
    # Schema-qualified (the tenant id is validated first): one statement, one round trip.
    return f"{quote_ident(tenant_schema(SERVICE, tenant_id))}.events"


def _event(row: Any) -> SecurityEvent:
    return SecurityEvent(row["event_id"], row["type"], row["created_at"], row["user_id"], row["ip_address"],
                         row["user_agent"], row["actor"], dict(row["details"] or {}))


class PgEventStore:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def add(self, tenant_id: str, event: SecurityEvent) -> None:
        await tenant_ready(self._pool, SERVICE, tenant_id)  # no in_tenant here: migrate a schema behind
        await self._pool.execute(
            f"INSERT INTO {_table(tenant_id)} ({_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            event.event_id, event.type, event.user_id, event.ip_address, event.user_agent, event.actor,
            event.details, event.create_time)

    async def prune(self, tenant_id: str, before: datetime) -> int:
        await tenant_ready(self._pool, SERVICE, tenant_id)
        status: str = await self._pool.execute(f"DELETE FROM {_table(tenant_id)} WHERE created_at < $1", before)
        return int(status.split()[-1])

    async def list(self, tenant_id: str, *, user_id: str, event_type: str, after: tuple[datetime, str] | None,
                   limit: int, start: datetime | None = None,
                   end: datetime | None = None) -> builtins.list[SecurityEvent]:
        # The time bounds narrow the range scan of events_time / events_user / events_type.
        await tenant_ready(self._pool, SERVICE, tenant_id)
        rows = await self._pool.fetch(
            f"SELECT {_COLUMNS} FROM {_table(tenant_id)} "
            "WHERE ($1 = '' OR user_id = $1) AND ($2 = '' OR type = $2) "
            "AND ($3::timestamptz IS NULL OR (created_at, event_id) < ($3, $4)) "
            "AND ($6::timestamptz IS NULL OR created_at >= $6) AND ($7::timestamptz IS NULL OR created_at < $7) "
            "ORDER BY created_at DESC, event_id DESC LIMIT $5",
            user_id, event_type, after[0] if after else None, after[1] if after else "", limit, start, end)
        return [_event(r) for r in rows]
