"""Signing keys in the tenant's token schema."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import asyncpg

from services.common.db import in_schema, in_tenant
from services.token.keys.model import KeyState, SigningKey

SERVICE = "token"


@dataclass(frozen=True)
class KeyAges:
    overdue_tenants: int
    oldest_age_seconds: float


def _key(row: Any) -> SigningKey:
    return SigningKey(row["kid"], row["algorithm"], KeyState(row["state"]), row["public_jwk"], row["create_time"],
                      row["retire_time"], row["expire_time"])


class PgSigningKeyStore:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def all(self, tenant_id: str) -> list[SigningKey]:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            rows = await conn.fetch("SELECT * FROM signing_keys ORDER BY create_time DESC")
        return [_key(r) for r in rows]

    async def sealed_private(self, tenant_id: str, kid: str) -> bytes | None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            value: bytes | None = await conn.fetchval("SELECT private_key FROM signing_keys WHERE kid = $1", kid)
        return value

    async def add_active(self, tenant_id: str, key: SigningKey, sealed: bytes, retire_others: bool,
                         now: datetime, expire: datetime) -> bool:
        """Makes `key` the active one of its algorithm, retiring the current one if asked.
        False (nothing written) when an active key exists and retire_others is False."""
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            # One rotation per algorithm at a time, across replicas.
            await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
                               f"signing-keys:{tenant_id}:{key.algorithm}")
            active = await conn.fetchval("SELECT kid FROM signing_keys WHERE algorithm = $1 AND state = 'active'",
                                         key.algorithm)
            if active and not retire_others:
                return False
            await conn.execute(
                "UPDATE signing_keys SET state = 'retired', retire_time = $2, expire_time = $3 "
                "WHERE algorithm = $1 AND state = 'active'", key.algorithm, now, expire)
            await conn.execute(
                "INSERT INTO signing_keys (kid, algorithm, private_key, public_jwk, state, create_time) "
                "VALUES ($1, $2, $3, $4, 'active', $5)", key.kid, key.algorithm, sealed, key.public_jwk, now)
            await conn.execute("DELETE FROM signing_keys WHERE state = 'retired' AND expire_time < $1", now)
            # The platform-level record the overdue-rotation metric reads (migration shared/0002).
            await conn.execute(
                "INSERT INTO token.signing_key_ages (tenant_id, oldest_active_time) "
                "SELECT $1, min(create_time) FROM signing_keys WHERE state = 'active' "
                "ON CONFLICT (tenant_id) DO UPDATE SET oldest_active_time = EXCLUDED.oldest_active_time", tenant_id)
        return True

    async def forget_ages(self, tenant_id: str) -> None:
        """The tenant is deleted: it has no keys to be overdue."""
        async with in_schema(self._pool, SERVICE) as conn:
            await conn.execute("DELETE FROM signing_key_ages WHERE tenant_id = $1", tenant_id)

    async def key_ages(self, now: datetime, max_age: timedelta) -> KeyAges:
        """How many tenants' active keys are older than `max_age`, and the oldest one's age."""
        async with in_schema(self._pool, SERVICE) as conn:
            row = await conn.fetchrow(
                "SELECT count(*) FILTER (WHERE oldest_active_time < $1) AS overdue, "
                "min(oldest_active_time) AS oldest FROM signing_key_ages", now - max_age)
        oldest = row["oldest"]
        return KeyAges(int(row["overdue"]), (now - oldest).total_seconds() if oldest else 0.0)
