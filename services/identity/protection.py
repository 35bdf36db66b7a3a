"""Brute-force protection (the Lockout port) on the Redis account lockout."""

from __future__ import annotations

from typing import Any

from services.identity.lockout import AccountLockout, LockoutPolicy, delay_for
from services.identity.ports import IdentityMetrics


class RedisLockout:
    def __init__(self, lockout: AccountLockout, metrics: IdentityMetrics) -> None:
        self._lockout = lockout
        self._metrics = metrics

    async def attempt(self, tenant_id: str, subject: str, policy: dict[str, Any]) -> tuple[bool, float]:
        rules = LockoutPolicy.from_settings(policy)
        attempt = await self._lockout.begin_attempt(tenant_id, subject, rules)
        if attempt.admitted and attempt.status.locked:
            self._metrics.locked_out()
        return attempt.admitted, delay_for(attempt.status, rules)

    async def succeeded(self, tenant_id: str, subject: str) -> None:
        await self._lockout.reset(tenant_id, subject)

    async def is_locked(self, tenant_id: str, subject: str) -> bool:
        return (await self._lockout.status(tenant_id, subject)).locked

    async def unlock(self, tenant_id: str, subject: str) -> None:
        await self._lockout.unlock(tenant_id, subject)
