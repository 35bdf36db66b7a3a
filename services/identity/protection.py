"""Brute-force protection (the Lockout port) on the Redis account lockout."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from services.common.analytics import LOCKOUTS, Analytics, NoAnalytics
from services.identity.lockout import AccountLockout, Attempt, LockoutPolicy
from services.identity.ports import IdentityMetrics


class _MeteredAttempt:
    """An Attempt (the Guess port) that counts the lockouts it causes (metrics and analytics)."""

    def __init__(self, attempt: Attempt, metrics: IdentityMetrics, analytics: Analytics, tenant_id: str) -> None:
        self._attempt = attempt
        self._metrics = metrics
        self._analytics = analytics
        self._tenant_id = tenant_id

    @property
    def admitted(self) -> bool:
        return self._attempt.admitted

    async def failed(self) -> float:
        delay = await self._attempt.failed()
        if self._attempt.set_lock:
            self._metrics.locked_out()
            await self._analytics.count(self._tenant_id, LOCKOUTS)
        return delay

    async def succeeded(self) -> None:
        await self._attempt.succeeded()

    async def released(self) -> None:
        await self._attempt.released()


class RedisLockout:
    def __init__(self, lockout: AccountLockout, metrics: IdentityMetrics, analytics: Analytics | None = None) -> None:
        self._lockout = lockout
        self._metrics = metrics
        self._analytics = analytics or NoAnalytics()

    @asynccontextmanager
    async def attempt(self, tenant_id: str, subject: str, policy: dict[str, Any]) -> AsyncIterator[_MeteredAttempt]:
        async with self._lockout.attempt(tenant_id, subject, LockoutPolicy.from_settings(policy)) as attempt:
            yield _MeteredAttempt(attempt, self._metrics, self._analytics, tenant_id)

    async def is_locked(self, tenant_id: str, subject: str) -> bool:
        return (await self._lockout.status(tenant_id, subject)).locked

    async def unlock(self, tenant_id: str, subject: str) -> None:
        await self._lockout.unlock(tenant_id, subject)
