"""RFC 8628 device authorization requests in the tenant's token schema."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import asyncpg

from services.common.db import in_tenant
from services.token.oauth.device_codes import Approval, DeviceGrant, PendingDevice, PollResult, decide_poll

SERVICE = "token"
# Expired requests stay a day so that a late poll still gets expired_token, then go.
KEEP_EXPIRED = timedelta(days=1)


def _grant(row: Any) -> DeviceGrant:
    return DeviceGrant(row["client_id"], row["scope"], row["status"], row["interval_seconds"],
                       row["last_poll_time"], row["expire_time"], row["user_id"] or "", row["auth_time"],
                       tuple(row["amr"] or ()), row["claims"] or {})


class PgDeviceStore:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def create(self, tenant_id: str, pending: PendingDevice, now: datetime) -> bool:
        """False when the user code collides with a live one (the caller draws another)."""
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            await conn.execute("DELETE FROM device_codes WHERE expire_time < $1", now - KEEP_EXPIRED)
            inserted = await conn.fetchval(
                "INSERT INTO device_codes (device_code_hash, user_code_hash, client_id, scope, interval_seconds, "
                "create_time, expire_time) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                "ON CONFLICT DO NOTHING RETURNING true",
                pending.device_code_hash, pending.user_code_hash, pending.client_id, pending.scope,
                pending.interval, now, pending.expire_time)
        return bool(inserted)

    async def find_pending(self, tenant_id: str, user_code_hash: bytes, now: datetime) -> DeviceGrant | None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            row = await conn.fetchrow(
                "SELECT * FROM device_codes WHERE user_code_hash = $1 AND status = 'pending' AND expire_time > $2",
                user_code_hash, now)
        return _grant(row) if row else None

    async def decide(self, tenant_id: str, user_code_hash: bytes, approval: Approval | None, now: datetime) -> bool:
        """Records the user's decision (None: denied) on a pending, unexpired request only."""
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            if approval is None:
                done = await conn.fetchval(
                    "UPDATE device_codes SET status = 'denied', decision_time = $2 WHERE user_code_hash = $1 "
                    "AND status = 'pending' AND expire_time > $2 RETURNING true", user_code_hash, now)
            else:
                done = await conn.fetchval(
                    "UPDATE device_codes SET status = 'approved', decision_time = $2, user_id = $3, auth_time = $4, "
                    "amr = $5, session_id = $6, claims = $7 WHERE user_code_hash = $1 AND status = 'pending' "
                    "AND expire_time > $2 RETURNING true", user_code_hash, now, approval.user_id,
                    approval.auth_time, list(approval.amr), approval.session_id, approval.claims)
        return bool(done)

    async def poll(self, tenant_id: str, device_code_hash: bytes, client_id: str,
                   now: datetime) -> tuple[PollResult, DeviceGrant | None]:
        """One poll, serialised per device code (FOR UPDATE): exactly one poll sees "issue"."""
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            row = await conn.fetchrow("SELECT * FROM device_codes WHERE device_code_hash = $1 FOR UPDATE",
                                      device_code_hash)
            grant = _grant(row) if row else None
            result = decide_poll(grant, client_id, now)
            if grant is not None and result.outcome != "invalid_grant":
                await conn.execute(
                    "UPDATE device_codes SET status = $2, interval_seconds = $3, last_poll_time = $4 "
                    "WHERE device_code_hash = $1", device_code_hash, result.status, result.interval, now)
        return result, grant
