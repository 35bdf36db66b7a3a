"""The fold: pending counts move from Redis into PostgreSQL every few seconds.

Any replica may fold. A Lua script renames the pending hash to a batch key of its own and
lists the batch (atomic: an event counted during the fold lands in a new pending hash); the
batch is applied in one PostgreSQL transaction that also records its id, then removed from
Redis. A replica that dies between the commit and the removal leaves the batch listed; the
next fold (here or on another replica) finds its id recorded and only removes it, so a count
is applied once. What is lost: counts still in Redis when Redis itself loses its data
(at most one fold interval's worth with Redis persistence off; see the README)."""

from __future__ import annotations

import asyncio
import uuid
from contextlib import suppress
from datetime import datetime, timedelta
from typing import Any, Protocol

import structlog

from services.common.analytics import PENDING_KEY, day_of, hll_key
from services.common.redis import redis_key
from services.common.timestamps import Clock, utcnow
from services.identity.analytics.rollup import (
    DAY,
    HOUR,
    ActiveRow,
    Batch,
    active_rows,
    parse_pending,
    rollup_counts,
)

_log = structlog.get_logger("analytics")

BATCHES_KEY = redis_key("analytics", "batches")
FOLD_SECONDS = 2.0
PRUNE_EVERY = timedelta(hours=1)

# KEYS: pending, the new batch key, the set of batches. Returns 1 when a batch was taken.
_CLAIM = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('SADD', KEYS[3], KEYS[2])
  return 1
end
return 0
"""


class FoldStore(Protocol):
    async def apply(self, batch_id: str, counts: Any, active: set[ActiveRow], now: datetime) -> bool: ...
    async def save_hll(self, granularity: str, bucket: datetime, registers: bytes) -> None: ...
    async def prune(self, now: datetime) -> None: ...


class AnalyticsFolder:
    def __init__(self, redis: Any, store: FoldStore, interval: float = FOLD_SECONDS, clock: Clock = utcnow) -> None:
        self._redis = redis
        self._store = store
        self._interval = interval
        self._clock = clock
        self._task: asyncio.Task[None] | None = None
        self._pruned: datetime | None = None

    async def fold(self) -> int:
        """Takes what is pending and applies every listed batch; returns how many were applied."""
        batch_key = redis_key("analytics", "batch", uuid.uuid4().hex)
        await self._redis.eval(_CLAIM, 3, PENDING_KEY, batch_key, BATCHES_KEY)
        applied = 0
        for raw in await self._redis.smembers(BATCHES_KEY):
            key = raw.decode() if isinstance(raw, bytes) else str(raw)
            fields = await self._redis.hgetall(key)
            batch = parse_pending(fields)
            if not batch.empty() and await self._store.apply(key, rollup_counts(batch), active_rows(batch),
                                                             self._clock()):
                applied += 1
                await self._save_hlls(batch)
            await self._redis.delete(key)
            await self._redis.srem(BATCHES_KEY, key)
        now = self._clock()
        if self._pruned is None or now - self._pruned >= PRUNE_EVERY:
            self._pruned = now
            await self._store.prune(now)
        return applied

    async def _save_hlls(self, batch: Batch) -> None:
        """Copies the platform's distinct-user HyperLogLogs the batch touched into PostgreSQL."""
        buckets = {(HOUR, hour) for _t, hour, _u in batch.active} | {(DAY, day_of(h)) for _t, h, _u in batch.active}
        for granularity, bucket in sorted(buckets):
            registers = await self._redis.get(hll_key(granularity, bucket))
            if registers:
                await self._store.save_hll(granularity, bucket, bytes(registers))

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="analytics-fold")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                await self.fold()
            except Exception as error:  # noqa: BLE001 - the next fold retries; counts wait in Redis
                _log.warning("analytics fold failed", error=type(error).__name__)

