"""Durable records in the tenant's schema of the session service."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import asyncpg

from services.common.db import in_tenant
from services.session.model import Session

SERVICE = "session"
Entries = list[tuple[str, datetime]]


def _session(row: Any) -> Session:
    return Session(
        session_id=row["session_id"], user_id=row["user_id"], create_time=row["create_time"],
        last_seen_time=row["last_seen_time"], expire_time=row["expire_time"],
        idle_timeout=timedelta(seconds=row["idle_timeout_seconds"]), amr=tuple(row["amr"]),
        auth_time=row["auth_time"], ip_address=row["ip_address"], user_agent=row["user_agent"],
        revoke_time=row["revoke_time"],
    )


class PgSessionStore:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def insert(self, tenant_id: str, session: Session, hashed: bytes) -> None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            await conn.execute(
                "INSERT INTO sessions (session_id, secret_hash, user_id, create_time, last_seen_time, expire_time, "
                "idle_timeout_seconds, amr, auth_time, ip_address, user_agent) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                session.session_id, hashed, session.user_id, session.create_time, session.last_seen_time,
                session.expire_time, int(session.idle_timeout.total_seconds()), list(session.amr), session.auth_time,
                session.ip_address, session.user_agent,
            )

    async def by_hash(self, tenant_id: str, hashed: bytes) -> Session | None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            row = await conn.fetchrow("SELECT * FROM sessions WHERE secret_hash = $1", hashed)
        return _session(row) if row else None

    async def get(self, tenant_id: str, session_id: str) -> tuple[Session, bytes] | None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            row = await conn.fetchrow("SELECT * FROM sessions WHERE session_id = $1", session_id)
        return (_session(row), bytes(row["secret_hash"])) if row else None

    async def live_of_user(self, tenant_id: str, user_id: str, now: datetime) -> list[tuple[Session, bytes]]:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            rows = await conn.fetch(
                "SELECT * FROM sessions WHERE user_id = $1 AND revoke_time IS NULL AND expire_time > $2 "
                "ORDER BY create_time DESC LIMIT 500",
                user_id, now,
            )
        return [(_session(r), bytes(r["secret_hash"])) for r in rows]

    async def touch(self, tenant_id: str, session_id: str, last_seen: datetime) -> None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            await conn.execute(
                "UPDATE sessions SET last_seen_time = greatest(last_seen_time, $2) WHERE session_id = $1",
                session_id, last_seen)

    async def revoke(self, tenant_id: str, session_ids: list[str], now: datetime) -> list[str]:
        """Marks sessions revoked; returns the ids that were live until now."""
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            rows = await conn.fetch(
                "UPDATE sessions SET revoke_time = $2 WHERE session_id = ANY($1::text[]) AND revoke_time IS NULL "
                "RETURNING session_id",
                session_ids, now,
            )
        return [r["session_id"] for r in rows]

    async def count_live(self, tenant_id: str, now: datetime) -> int:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            return int(await conn.fetchval(
                "SELECT count(*) FROM sessions WHERE revoke_time IS NULL AND expire_time > $1", now))


class PgRevocationStore:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def revoke_token(self, tenant_id: str, jti: str, expire_time: datetime, now: datetime) -> None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            await conn.execute(
                "INSERT INTO revoked_tokens (jti, expire_time, revoke_time) VALUES ($1, $2, $3) "
                "ON CONFLICT (jti) DO UPDATE "
                "SET expire_time = greatest(revoked_tokens.expire_time, EXCLUDED.expire_time)",
                jti, expire_time, now,
            )
            # Keep the table to the tokens that can still be presented.
            await conn.execute("DELETE FROM revoked_tokens WHERE expire_time < $1", now)

    async def set_not_before(self, tenant_id: str, subject: str, when: datetime) -> None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            await conn.execute(
                "INSERT INTO not_before (subject, not_before) VALUES ($1, $2) ON CONFLICT (subject) "
                "DO UPDATE SET not_before = greatest(not_before.not_before, EXCLUDED.not_before)",
                subject, when,
            )

    async def not_before(self, tenant_id: str, subject: str) -> datetime | None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            value: datetime | None = await conn.fetchval("SELECT not_before FROM not_before WHERE subject = $1",
                                                          subject)
        return value

    async def snapshot(self, tenant_id: str, now: datetime) -> tuple[Entries, Entries]:
        """Everything the Redis deny-list must hold for this tenant: live jtis and not-befores."""
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            jtis = await conn.fetch("SELECT jti, expire_time FROM revoked_tokens WHERE expire_time > $1", now)
            nbfs = await conn.fetch("SELECT subject, not_before FROM not_before")
        return ([(r["jti"], r["expire_time"]) for r in jtis], [(r["subject"], r["not_before"]) for r in nbfs])
