"""Usage counters for the analytics API, recorded as things happen by every service.

The write path costs a dict update and never fails the action it counts: each event adds 1 to
a field of one pending hash (tenant, UTC hour, counter), the hour taken when the event happens
so that the fold's lag never moves a count into another bucket. Each process sums its counts
in memory and writes them in one pipeline every FLUSH_SECONDS and at a graceful stop (a Redis
round trip per token cost the token service ~4 % of its CPU); a crash loses at most that
second of counts, as a Redis error always could. The
identity service folds that hash into PostgreSQL every few seconds
(services/identity/analytics/folding.py), where the per-tenant and platform-wide day and hour
rows live; no service makes a gRPC call for a count.

Active users go the same way (one field per tenant, hour and user, deduplicated by the fold)
plus a HyperLogLog per UTC day and per hour for the platform-wide distinct figures over ranges."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
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
# How often a process writes what it counted (the analytics API is FOLD_SECONDS + this behind).
FLUSH_SECONDS = 1.0


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
    """Counts in memory, written to Redis by flush() (see the module doc; start() flushes every
    FLUSH_SECONDS until stop()). An empty tenant_id counts platform-wide only."""

    def __init__(self, redis: RedisLike, clock: Clock = utcnow) -> None:
        self._redis = redis
        self._clock = clock
        self._fields: Counter[str] = Counter()
        # HyperLogLog key and lifetime -> members added since the last flush.
        self._members: dict[tuple[str, timedelta], set[str]] = {}
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    async def count(self, tenant_id: str, counter: str, amount: int = 1) -> None:
        name = counter.split(":", 1)[0]
        if name not in COUNTERS and name != TOKENS_ISSUED:
            raise ValueError(f"unknown analytics counter {counter!r}")  # a programming error
        self._fields[pending_field(tenant_id, hour_of(self._clock()), counter)] += amount

    async def active(self, tenant_id: str, user_id: str) -> None:
        if not user_id or len(user_id) > MAX_USER_ID or SEPARATOR in user_id:
            return
        now = self._clock()
        hour, day = hour_of(now), day_of(now)
        member = hll_member(tenant_id, user_id)
        self._fields[pending_field(tenant_id, hour, ACTIVE_USERS, user_id)] += 1
        for key in ((hll_key("d", day), DAY_HLL_TTL), (hll_key("h", hour), HOUR_HLL_TTL)):
            self._members.setdefault(key, set()).add(member)

    async def flush(self) -> None:
        """Writes everything counted so far in one pipeline."""
        fields, members = self._fields, self._members
        if not fields and not members:
            return
        self._fields, self._members = Counter(), {}
        pipe: Pipeline = self._redis.pipeline(transaction=False)
        for name, amount in fields.items():
            pipe.hincrby(PENDING_KEY, name, amount)
        for (key, lifetime), who in members.items():
            pipe.pfadd(key, *who)
            pipe.expire(key, lifetime)
        try:
            await pipe.execute()
        except Exception as error:  # noqa: BLE001 - a lost count is not worth anyone's request
            _log.warning("analytics counts lost", counts=sum(fields.values()), error=type(error).__name__)

    def start(self, interval: float = FLUSH_SECONDS) -> None:
        if self._task is None:
            self._stopping = asyncio.Event()
            self._task = asyncio.create_task(self._flush_every(interval, self._stopping))

    async def stop(self) -> None:
        """Writes what is left. The loop ends between flushes, never inside one (a cancelled
        pipeline would lose the counts it had taken)."""
        if self._task is not None:
            self._stopping.set()
            await self._task
            self._task = None
        await self.flush()

    async def _flush_every(self, interval: float, stopping: asyncio.Event) -> None:
        while not stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), interval)
            await self.flush()
