"""Usage counters for the analytics API, recorded as things happen by every service.

The write path costs one pipelined Redis round trip and never fails the action it counts:
each event adds 1 to a field of one pending hash (tenant, UTC hour, counter), the hour taken
when the event happens so that the fold's lag never moves a count into another bucket. The
identity service folds that hash into PostgreSQL every few seconds
(services/identity/analytics/folding.py), where the per-tenant and platform-wide day and hour
rows live; no service makes a gRPC call for a count.

Active users go the same way (one field per tenant, hour and user, deduplicated by the fold)
plus a HyperLogLog per UTC day and per hour for the platform-wide distinct figures over ranges."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Protocol

import structlog

from services.common.redis import redis_key
from services.common.timestamps import Clock, utcnow

_log = structlog.get_logger("analytics")

PENDING_KEY = redis_key("analytics", "pending")
# Counters an event may add to; tokens_issued is per grant type ("tokens_issued:<grant type>").
SIGN_INS_SUCCEEDED = "sign_ins_succeeded"
SIGN_INS_FAILED = "sign_ins_failed"
SIGN_UPS = "sign_ups"
LOCKOUTS = "lockouts"
RATE_LIMITED = "rate_limited"
TOKENS_ISSUED = "tokens_issued"
ACTIVE_USERS = "active_users"
COUNTERS = frozenset({SIGN_INS_SUCCEEDED, SIGN_INS_FAILED, SIGN_UPS, LOCKOUTS, RATE_LIMITED})
# The pending hash's field parts are separated by a character no tenant id, counter, grant type
# or user id contains.
SEPARATOR = "\x1f"
# Platform-wide distinct users: HyperLogLogs kept this long (the fold also saves them in PostgreSQL).
DAY_HLL_TTL = timedelta(days=400)
HOUR_HLL_TTL = timedelta(hours=72)
MAX_USER_ID = 64


def hour_of(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def day_of(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def pending_field(tenant_id: str, hour: datetime, counter: str, user_id: str = "") -> str:
    parts = [tenant_id, str(int(hour.timestamp())), counter]
    if user_id:
        parts.append(user_id)
    return SEPARATOR.join(parts)


def hll_key(granularity: str, bucket: datetime) -> str:
    """The platform-wide distinct-user HyperLogLog of one UTC day ("d") or hour ("h")."""
    return redis_key("analytics", "hll", granularity, str(int(bucket.timestamp())))


def hll_member(tenant_id: str, user_id: str) -> str:
    return f"{tenant_id}{SEPARATOR}{user_id}"


class Pipeline(Protocol):
    def hincrby(self, name: str, key: str, amount: int = 1) -> Any: ...
    def pfadd(self, name: str, *values: str) -> Any: ...
    def expire(self, name: str, time: timedelta) -> Any: ...
    async def execute(self) -> Any: ...


class RedisLike(Protocol):
    def pipeline(self, transaction: bool = True) -> Any: ...


class Analytics(Protocol):
    """What the services call; a no-op implementation keeps unit tests free of Redis."""

    async def count(self, tenant_id: str, counter: str, amount: int = 1) -> None: ...
    async def active(self, tenant_id: str, user_id: str) -> None: ...


class NoAnalytics:
    async def count(self, tenant_id: str, counter: str, amount: int = 1) -> None:
        return None

    async def active(self, tenant_id: str, user_id: str) -> None:
        return None


class RedisAnalytics:
    """Counts in Redis (see the module doc). An empty tenant_id counts platform-wide only."""

    def __init__(self, redis: RedisLike, clock: Clock = utcnow) -> None:
        self._redis = redis
        self._clock = clock

    async def count(self, tenant_id: str, counter: str, amount: int = 1) -> None:
        name = counter.split(":", 1)[0]
        if name not in COUNTERS and name != TOKENS_ISSUED:
            raise ValueError(f"unknown analytics counter {counter!r}")  # a programming error
        pipe = self._redis.pipeline(transaction=False)
        pipe.hincrby(PENDING_KEY, pending_field(tenant_id, hour_of(self._clock()), counter), amount)
        await self._run(pipe, counter)

    async def active(self, tenant_id: str, user_id: str) -> None:
        if not user_id or len(user_id) > MAX_USER_ID or SEPARATOR in user_id:
            return
        now = self._clock()
        hour, day = hour_of(now), day_of(now)
        member = hll_member(tenant_id, user_id)
        pipe = self._redis.pipeline(transaction=False)
        pipe.hincrby(PENDING_KEY, pending_field(tenant_id, hour, ACTIVE_USERS, user_id), 1)
        pipe.pfadd(hll_key("d", day), member)
        pipe.expire(hll_key("d", day), DAY_HLL_TTL)
        pipe.pfadd(hll_key("h", hour), member)
        pipe.expire(hll_key("h", hour), HOUR_HLL_TTL)
        await self._run(pipe, ACTIVE_USERS)

    async def _run(self, pipe: Pipeline, counter: str) -> None:
        try:
            await pipe.execute()
        except Exception as error:  # noqa: BLE001 - a lost count is not worth the user's request
            _log.warning("analytics count lost", counter=counter.split(":", 1)[0], error=type(error).__name__)
