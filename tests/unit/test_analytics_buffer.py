"""The analytics counters of a process are summed in memory and written in one Redis pipeline
per flush (services/common/analytics.py): a counted event costs no Redis round trip, and
a graceful stop loses nothing."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.common.analytics import PENDING_KEY, RedisAnalytics, hll_key, pending_field

pytestmark = pytest.mark.unit

NOW = datetime(2026, 12, 5, 14, 30, tzinfo=UTC)
HOUR = NOW.replace(minute=0)


class RecordingRedis:
    """Counts pipelines and what they wrote; `fail` makes execute raise like a lost connection."""

    def __init__(self) -> None:
        self.pipelines = 0
        self.written: Counter[str] = Counter()
        self.members: dict[str, set[str]] = {}
        self.fail = False
        self._queued: list[tuple[str, Any]] = []

    def pipeline(self, transaction: bool = True) -> RecordingRedis:
        self._queued = []
        return self

    def hincrby(self, name: str, key: str, amount: int = 1) -> None:
        self._queued.append(("hincrby", (name, key, amount)))

    def pfadd(self, name: str, *values: str) -> None:
        self._queued.append(("pfadd", (name, values)))

    def expire(self, name: str, time: timedelta) -> None:
        return None

    async def execute(self) -> None:
        self.pipelines += 1
        if self.fail:
            raise ConnectionError("redis went away")
        for op, args in self._queued:
            if op == "hincrby":
                name, key, amount = args
                self.written[f"{name}/{key}"] += amount
            else:
                name, values = args
                self.members.setdefault(name, set()).update(values)


async def test_counts_wait_in_memory_and_go_out_in_one_pipeline() -> None:
    redis = RecordingRedis()
    counts = RedisAnalytics(redis, clock=lambda: NOW)
    for _ in range(50):
        await counts.count("acme", "tokens_issued:client_credentials")
    await counts.active("acme", "usr_1")
    await counts.active("acme", "usr_1")
    assert redis.pipelines == 0, "a counted event made a Redis call"
    await counts.flush()
    assert redis.pipelines == 1
    field = pending_field("acme", HOUR, "tokens_issued:client_credentials")
    assert redis.written[f"{PENDING_KEY}/{field}"] == 50
    assert redis.written[f"{PENDING_KEY}/{pending_field('acme', HOUR, 'active_users', 'usr_1')}"] == 2
    assert redis.members[hll_key("h", HOUR)] == {"acme\x1fusr_1"}
    await counts.flush()
    assert redis.pipelines == 1, "nothing new counted: no Redis call"


async def test_a_failed_write_loses_its_counts_without_failing_anyone() -> None:
    redis = RecordingRedis()
    counts = RedisAnalytics(redis, clock=lambda: NOW)
    await counts.count("acme", "sign_ins_succeeded")
    redis.fail = True
    await counts.flush()  # logged, not raised
    redis.fail = False
    await counts.count("acme", "sign_ins_succeeded")
    await counts.flush()
    assert redis.written[f"{PENDING_KEY}/{pending_field('acme', HOUR, 'sign_ins_succeeded')}"] == 1


async def test_the_loop_flushes_on_its_own_and_stop_writes_what_is_left() -> None:
    redis = RecordingRedis()
    counts = RedisAnalytics(redis, clock=lambda: NOW)
    counts.start(interval=0.05)
    await counts.count("acme", "lockouts")
    for _ in range(100):
        if redis.pipelines:
            break
        await asyncio.sleep(0.01)
    assert redis.written[f"{PENDING_KEY}/{pending_field('acme', HOUR, 'lockouts')}"] == 1
    await counts.count("acme", "lockouts")
    await counts.stop()
    assert redis.written[f"{PENDING_KEY}/{pending_field('acme', HOUR, 'lockouts')}"] == 2


async def test_an_unknown_counter_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        await RedisAnalytics(RecordingRedis()).count("acme", "sign_ins")
