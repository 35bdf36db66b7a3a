"""Answering the analytics API: who may see what, and one report from stored rows.

A report costs the same for one tenant or for 10,000: a tenant's range reads its own rows,
the platform's reads the platform rollup rows (rollup.py) and, for distinct users over a
range, a merge of the platform's per-day (or per-hour) HyperLogLogs in Redis."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Protocol

from services.common.analytics import day_of, hll_key
from services.common.auth import Principal
from services.common.errors import NotFound, PermissionDenied
from services.common.tenancy import require_tenant_id
from services.common.timestamps import Clock, utcnow
from services.identity.analytics.rollup import DAY, PLATFORM, Report, assemble, plan_range

SCOPE = "analytics:read"
MAU_DAYS = 30


class ReportStore(Protocol):
    async def counts(self, tenant_id: str, granularity: str, start: datetime,
                     end: datetime) -> list[tuple[datetime, str, int]]: ...
    async def distinct_users(self, tenant_id: str, granularity: str, start: datetime, end: datetime) -> int: ...
    async def distinct_users_by_day(self, tenant_id: str, start: datetime, month_start: datetime,
                                    end: datetime) -> tuple[int, int]: ...
    async def load_hlls(self, granularity: str, buckets: list[datetime]) -> dict[datetime, bytes]: ...


class TenantExists(Protocol):
    async def __call__(self, tenant_id: str) -> bool: ...


class PlatformDistinct:
    """Distinct users platform-wide over buckets: PFCOUNT over the buckets' HyperLogLogs
    (Redis's estimator: exact-ish for small sets, ~0.81% standard error beyond). A key Redis
    lost is put back from PostgreSQL first (the fold saves them there)."""

    def __init__(self, redis: Any, store: ReportStore) -> None:
        self._redis = redis
        self._store = store

    async def count(self, granularity: str, buckets: list[datetime]) -> int:
        if not buckets:
            return 0
        keys = [hll_key(granularity, b) for b in buckets]
        # EXISTS counts: one round trip finds out whether any bucket's key is gone.
        if int(await self._redis.exists(*keys)) < len(keys):
            pipe = self._redis.pipeline(transaction=False)
            for key in keys:
                pipe.exists(key)
            flags = await pipe.execute()
            missing = [b for b, flag in zip(buckets, flags, strict=True) if not flag]
            for bucket, registers in (await self._store.load_hlls(granularity, missing)).items():
                # NX: a key that Redis has again since is newer than the saved copy.
                await self._redis.set(hll_key(granularity, bucket), registers, nx=True)
        return int(await self._redis.pfcount(*keys))


class AnalyticsQueries:
    def __init__(self, store: ReportStore, platform: PlatformDistinct, tenant_exists: TenantExists,
                 clock: Clock = utcnow) -> None:
        self._store = store
        self._platform = platform
        self._tenant_exists = tenant_exists
        self._clock = clock

    async def report(self, principal: Principal, tenant_id: str, granularity: str, start: datetime | None,
                     end: datetime | None) -> Report:
        principal.require_scope(SCOPE)
        if tenant_id:
            require_tenant_id(tenant_id)
            if not principal.can_access_tenant(tenant_id):
                raise PermissionDenied("this credential belongs to another tenant", reason="TENANT_MISMATCH")
            if not await self._tenant_exists(tenant_id):
                raise NotFound(f"tenant {tenant_id!r} not found", reason="TENANT_NOT_FOUND",
                               details={"tenant_id": tenant_id})
        elif not principal.is_platform:
            raise PermissionDenied("platform-wide analytics need a platform credential: give tenant_id",
                                   reason="PLATFORM_CREDENTIAL_REQUIRED")
        span = plan_range(granularity, start, end, self._clock())
        owner = tenant_id or PLATFORM
        rows = await self._store.counts(owner, span.granularity, span.start, span.end)
        mau_days = _days(span.end)
        if tenant_id and span.granularity == DAY:
            # The range's and the month's distinct users in one scan (issue 11: 30 days <= 50 ms).
            distinct, monthly = await self._store.distinct_users_by_day(owner, span.start, mau_days[0], span.end)
        elif tenant_id:
            distinct = await self._store.distinct_users(owner, span.granularity, span.start, span.end)
            monthly = await self._store.distinct_users(owner, DAY, mau_days[0], span.end)
        else:
            distinct = await self._platform.count(span.granularity, list(span.buckets))
            monthly = await self._platform.count(DAY, mau_days)
        return assemble(span, rows, distinct, monthly)


def _days(end: datetime) -> list[datetime]:
    """The 30 UTC days ending at `end` (exclusive): the day `end` falls in and the 29 before."""
    last = day_of(end - timedelta(microseconds=1))
    return [last - timedelta(days=n) for n in range(MAU_DAYS - 1, -1, -1)]
