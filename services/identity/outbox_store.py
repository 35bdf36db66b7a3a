"""PostgreSQL storage of the message outbox (a table in the identity service's shared schema)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import asyncpg

from services.identity.ports import QueuedMessage

# Schema-qualified: one statement per call, no transaction needed to set a search_path.
TABLE = "identity.outbox"


def _message(row: Any) -> QueuedMessage:
    return QueuedMessage(str(row["message_id"]), row["tenant_id"], row["kind"], row["label"],
                         bytes(row["payload"]), row["attempts"], row["expires_at"])


class PgOutboxStore:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def add(self, message: QueuedMessage, now: datetime) -> None:
        await self._pool.execute(
            f"INSERT INTO {TABLE} (message_id, tenant_id, kind, label, payload, attempts, next_attempt_at, "
            "expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7)",
            message.message_id, message.tenant_id, message.kind, message.label, message.payload, message.attempts,
            now, message.expires_at,
        )

    async def claim(self, now: datetime, lease: timedelta, limit: int) -> list[QueuedMessage]:
        # SKIP LOCKED: replicas polling at once each take different messages instead of
        # queueing behind one another's row locks.
        rows = await self._pool.fetch(
            f"UPDATE {TABLE} SET attempts = attempts + 1, next_attempt_at = $2 "
            f"WHERE message_id IN (SELECT message_id FROM {TABLE} WHERE next_attempt_at <= $1 "
            "ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) "
            "RETURNING message_id, tenant_id, kind, label, payload, attempts, expires_at",
            now, now + lease, limit,
        )
        return [_message(row) for row in rows]

    async def delete(self, message_id: str) -> None:
        await self._pool.execute(f"DELETE FROM {TABLE} WHERE message_id = $1", message_id)

    async def reschedule(self, message_id: str, at: datetime) -> None:
        await self._pool.execute(f"UPDATE {TABLE} SET next_attempt_at = $2 WHERE message_id = $1", message_id, at)

    async def purge_tenant(self, tenant_id: str) -> int:
        status: str = await self._pool.execute(f"DELETE FROM {TABLE} WHERE tenant_id = $1", tenant_id)
        return int(status.split()[-1])

    async def backlog(self) -> tuple[int, datetime | None]:
        row = await self._pool.fetchrow(f"SELECT count(*) AS n, min(created_at) AS oldest FROM {TABLE}")
        return int(row["n"]), row["oldest"]
