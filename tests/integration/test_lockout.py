"""services.identity.lockout against a real Redis: locking after N failures, expiry of the
lock and of the window, exact counting under concurrency, key isolation, unlock."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis

from services.common.redis import create_redis
from services.identity.lockout import AccountLockout, LockoutPolicy, delay_for
from tools.devstack import RedisServer

pytestmark = pytest.mark.integration


@pytest.fixture
async def client(redis_server: RedisServer) -> AsyncIterator[aioredis.Redis]:
    redis = create_redis(redis_server.url)
    yield redis
    await redis.aclose()


@pytest.fixture
def lockout(client: aioredis.Redis) -> AccountLockout:
    return AccountLockout(client)


def tenant() -> str:
    return f"t-{uuid.uuid4().hex[:12]}"


async def test_n_failures_lock_with_retry_after(lockout: AccountLockout, client: aioredis.Redis) -> None:
    t, policy = tenant(), LockoutPolicy(max_failures=3, lockout_seconds=900)
    fresh = await lockout.status(t, "u1")
    assert (fresh.locked, fresh.failures, fresh.retry_after_seconds) == (False, 0, 0)

    first = await lockout.record_failure(t, "u1", policy)
    second = await lockout.record_failure(t, "u1", policy)
    assert (first.locked, first.failures, second.locked, second.failures) == (False, 1, False, 2)
    assert (await lockout.status(t, "u1")).failures == 2
    failures_key, lock_key = AccountLockout.keys(t, "u1")
    assert 0 < await client.ttl(failures_key) <= policy.failure_reset_seconds  # the window expires by itself

    third = await lockout.record_failure(t, "u1", policy)
    assert third.locked and third.failures == 3 and third.retry_after_seconds == 900
    status = await lockout.status(t, "u1")
    assert status.locked and 899 <= status.retry_after_seconds <= 900 and status.failures == 0
    assert 0 < await client.ttl(lock_key) <= 900  # never permanent
    assert await client.exists(failures_key) == 0  # a fresh budget once the lock ends

    # failures while locked are refused, not counted, and do not extend the lock
    again = await lockout.record_failure(t, "u1", policy)
    assert again.locked and again.failures == 0 and again.retry_after_seconds <= 900
    attempt = await lockout.begin_attempt(t, "u1", policy)
    assert not attempt.admitted and attempt.status.locked
    assert delay_for(attempt.status, policy) == 3.0


async def test_the_lock_expires(lockout: AccountLockout) -> None:
    t, policy = tenant(), LockoutPolicy(max_failures=2, lockout_seconds=1)
    await lockout.record_failure(t, "u", policy)
    locked = await lockout.record_failure(t, "u", policy)
    assert locked.locked and locked.retry_after_seconds == 1
    assert (await lockout.status(t, "u")).locked
    await asyncio.sleep(1.2)
    status = await lockout.status(t, "u")
    assert (status.locked, status.failures, status.retry_after_seconds) == (False, 0, 0)
    after = await lockout.record_failure(t, "u", policy)
    assert (after.locked, after.failures) == (False, 1)  # counting starts afresh


async def test_failures_reset_after_the_window(lockout: AccountLockout) -> None:
    t, policy = tenant(), LockoutPolicy(max_failures=3, failure_reset_seconds=1)
    await lockout.record_failure(t, "u", policy)
    await asyncio.sleep(0.6)
    await lockout.record_failure(t, "u", policy)  # re-arms the window
    await asyncio.sleep(0.6)  # 1.2 s after the first failure, 0.6 s after the last
    assert (await lockout.status(t, "u")).failures == 2
    await asyncio.sleep(0.6)  # a full window without a failure
    assert (await lockout.status(t, "u")).failures == 0
    assert (await lockout.record_failure(t, "u", policy)).failures == 1


async def test_concurrent_failures_are_all_counted(lockout: AccountLockout) -> None:
    t, policy = tenant(), LockoutPolicy(max_failures=100)
    results = await asyncio.gather(*(lockout.record_failure(t, "u", policy) for _ in range(50)))
    assert sorted(r.failures for r in results) == list(range(1, 51))
    assert not any(r.locked for r in results)
    assert (await lockout.status(t, "u")).failures == 50


async def test_concurrent_failures_lock_exactly_at_the_limit(lockout: AccountLockout) -> None:
    t, policy = tenant(), LockoutPolicy(max_failures=10)
    results = await asyncio.gather(*(lockout.record_failure(t, "u", policy) for _ in range(50)))
    counted = sorted(r.failures for r in results if r.failures)
    assert counted == list(range(1, 11))  # ten counted, the tenth set the lock
    assert [r.failures for r in results if r.locked and r.failures] == [10]
    assert sum(r.locked for r in results) == 41  # the tenth plus 40 refused while locked
    status = await lockout.status(t, "u")
    assert status.locked and status.failures == 0


async def test_count_first_admits_exactly_max_failures_parallel_guesses(lockout: AccountLockout) -> None:
    t, policy = tenant(), LockoutPolicy(max_failures=10)
    attempts = await asyncio.gather(*(lockout.begin_attempt(t, "u", policy) for _ in range(50)))
    assert sum(a.admitted for a in attempts) == 10
    assert sorted(a.status.failures for a in attempts if a.admitted) == list(range(1, 11))
    assert all(a.status.locked for a in attempts if not a.admitted)
    assert (await lockout.status(t, "u")).locked


async def test_success_resets_failures_and_a_lock(lockout: AccountLockout) -> None:
    t, policy = tenant(), LockoutPolicy(max_failures=3)
    await lockout.begin_attempt(t, "u", policy)
    last = await lockout.begin_attempt(t, "u", policy)
    assert last.admitted and last.status.failures == 2
    await lockout.reset(t, "u")  # the second attempt was the right password
    assert (await lockout.status(t, "u")).failures == 0
    for _ in range(3):
        admitted = await lockout.begin_attempt(t, "u", policy)
    assert admitted.admitted and admitted.status.locked  # the third guess set the lock and was still checked
    await lockout.reset(t, "u")  # ... and it was right: the owner is not locked out
    assert not (await lockout.status(t, "u")).locked


async def test_tenants_and_users_do_not_collide(lockout: AccountLockout) -> None:
    base, policy = tenant(), LockoutPolicy(max_failures=2)
    pairs = [(base, "b:c"), (f"{base}:b", "c"), (base, "b-c"), (f"{base}-b", "c"), (base, "b%3Ac"),
             (base, "B:C"), (f"{base}x", "b:c")]
    keys = [tuple(AccountLockout.keys(*pair)) for pair in pairs]
    assert len(set(keys)) == len(keys)  # the key builder is injective
    await lockout.record_failure(*pairs[0], policy)
    await lockout.record_failure(*pairs[0], policy)
    assert (await lockout.status(*pairs[0])).locked
    for other in pairs[1:]:
        status = await lockout.status(*other)
        assert (status.locked, status.failures) == (False, 0), other
    await lockout.record_failure(*pairs[1], policy)
    assert (await lockout.status(*pairs[1])).failures == 1
    assert (await lockout.status(*pairs[0])).locked


async def test_unlock_clears_everything(lockout: AccountLockout, client: aioredis.Redis) -> None:
    t, policy = tenant(), LockoutPolicy(max_failures=2)
    await lockout.record_failure(t, "u", policy)
    await lockout.record_failure(t, "u", policy)
    await lockout.record_failure(t, "v", policy)
    assert (await lockout.status(t, "u")).locked
    await lockout.unlock(t, "u")
    await lockout.unlock(t, "v")
    for user in ("u", "v"):
        status = await lockout.status(t, user)
        assert (status.locked, status.failures, status.retry_after_seconds) == (False, 0, 0)
        assert await client.exists(*AccountLockout.keys(t, user)) == 0
    assert (await lockout.record_failure(t, "u", policy)).failures == 1

