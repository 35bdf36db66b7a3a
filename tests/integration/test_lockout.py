"""services.identity.lockout against a real Redis: locking after N failures, expiry of the
lock and of the window, exact counting under concurrency, key isolation, unlock; parallel
attempts never check more than max_failures wrong secrets and never refuse a right one
unless the account is locked."""

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
    attempt = await lockout.begin(t, "u1", policy)
    assert not attempt.admitted and attempt.status.locked
    assert delay_for(attempt.status, policy) == 3.0 == await attempt.failed()


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


async def guess(lockout: AccountLockout, t: str, policy: LockoutPolicy, right: bool,
                check_seconds: float = 0.01, checked: list[bool] | None = None) -> str:
    """One attempt as the sign-in path makes it: "ok", "wrong" (checked, failed) or "refused"."""
    async with lockout.attempt(t, "u", policy) as attempt:
        if not attempt.admitted:
            await attempt.failed()
            return "refused"
        if checked is not None:
            checked.append(right)
        await asyncio.sleep(check_seconds)  # the argon2 verification
        if right:
            await attempt.succeeded()
            return "ok"
        await attempt.failed()
        return "wrong"


async def test_parallel_wrong_guesses_check_at_most_max_failures(lockout: AccountLockout) -> None:
    policy = LockoutPolicy(max_failures=10)
    for _ in range(20):
        t, checked = tenant(), list[bool]()
        outcomes = await asyncio.gather(*(guess(lockout, t, policy, False, checked=checked) for _ in range(50)))
        assert outcomes.count("wrong") == 10 and outcomes.count("refused") == 40
        assert len(checked) == 10
        status = await lockout.status(t, "u")
        assert status.locked and status.failures == 0


async def test_parallel_right_passwords_are_never_refused(lockout: AccountLockout) -> None:
    """Every slot taken by right passwords being checked: the others wait, none is counted."""
    policy = LockoutPolicy(max_failures=3)
    t = tenant()
    for _ in range(20):
        outcomes = await asyncio.gather(*(guess(lockout, t, policy, True) for _ in range(16)))
        assert outcomes == ["ok"] * 16
        status = await lockout.status(t, "u")
        assert (status.locked, status.failures) == (False, 0)


async def test_in_flight_guesses_plus_failures_never_exceed_the_budget(lockout: AccountLockout,
                                                                       client: aioredis.Redis) -> None:
    policy = LockoutPolicy(max_failures=4)
    t = tenant()
    pending = AccountLockout.pending_key(t, "u")
    failures_key, _ = AccountLockout.keys(t, "u")
    seen: list[int] = []

    async def watch() -> None:
        while True:
            async with client.pipeline(transaction=True) as snapshot:  # one consistent reading
                snapshot.zcard(pending)
                snapshot.get(failures_key)
                in_flight, failures = await snapshot.execute()
            seen.append(int(in_flight) + int(failures or 0))
            await asyncio.sleep(0.001)

    watcher = asyncio.create_task(watch())
    checked: list[bool] = []
    try:
        # Right and wrong attempts mixed: three wrong leave one failure of budget, so the
        # right ones must all get through and the account never locks.
        attempts = [guess(lockout, t, policy, right, 0.02, checked) for right in [False] * 3 + [True] * 12]
        outcomes = await asyncio.gather(*attempts)
    finally:
        watcher.cancel()
    assert outcomes.count("ok") == 12 and outcomes.count("refused") == 0
    assert seen and max(seen) <= 4
    assert not (await lockout.status(t, "u")).locked


async def test_a_right_password_is_refused_only_when_locked(lockout: AccountLockout) -> None:
    policy = LockoutPolicy(max_failures=3)
    for _ in range(20):
        t = tenant()
        outcomes = await asyncio.gather(*(guess(lockout, t, policy, right) for right in [False] * 8 + [True]))
        if outcomes[-1] == "refused":
            # Three wrong guesses were checked before it, with no success between.
            assert outcomes.count("wrong") == 3
            assert (await lockout.status(t, "u")).locked
        else:
            assert outcomes[-1] == "ok"


async def test_success_forgives_failures_and_a_lock(lockout: AccountLockout) -> None:
    t, policy = tenant(), LockoutPolicy(max_failures=3)
    assert await guess(lockout, t, policy, False) == "wrong"
    assert (await lockout.status(t, "u")).failures == 1
    assert await guess(lockout, t, policy, True) == "ok"
    assert (await lockout.status(t, "u")).failures == 0
    async with lockout.attempt(t, "u", policy) as third:
        await guess(lockout, t, policy, False)
        await guess(lockout, t, policy, False)
        assert third.admitted  # the third slot: reserved before the two guesses failed
        assert await third.failed() == 3.0 and third.status.locked and third.set_lock
    refused = await lockout.begin(t, "u", policy)
    assert not refused.admitted and refused.status.locked
    # A right password admitted before the lock was set still proves the owner is there.
    t2 = tenant()
    async with lockout.attempt(t2, "u", policy) as right:
        for _ in range(2):
            await guess(lockout, t2, policy, False)
        await right.succeeded()
    assert (await lockout.status(t2, "u")).failures == 0


async def test_released_and_unsettled_attempts_count_nothing(lockout: AccountLockout) -> None:
    t, policy = tenant(), LockoutPolicy(max_failures=2)
    for _ in range(5):
        async with lockout.attempt(t, "u", policy) as attempt:
            assert attempt.admitted
            await attempt.released()
    with pytest.raises(RuntimeError):
        async with lockout.attempt(t, "u", policy):
            raise RuntimeError("the check could not run")  # no answer came from it
    status = await lockout.status(t, "u")
    assert (status.locked, status.failures) == (False, 0)


async def test_a_lapsed_slot_counts_as_a_failure(client: aioredis.Redis) -> None:
    """An attempt whose process died may have checked a secret: its slot lapses into a failure."""
    lockout = AccountLockout(client, lease_ms=200)
    t, policy = tenant(), LockoutPolicy(max_failures=2)
    abandoned = await lockout.begin(t, "u", policy)  # never settled
    assert abandoned.admitted
    await asyncio.sleep(0.3)
    assert await guess(lockout, t, policy, False) == "wrong"  # the lapsed slot + this one: locked
    assert (await lockout.status(t, "u")).locked
    await abandoned.failed()  # settles late: counted already, not again
    assert (await lockout.status(t, "u")).failures == 0


async def test_a_budget_lowered_below_the_failures_locks_at_once(lockout: AccountLockout) -> None:
    t = tenant()
    for _ in range(5):
        await lockout.record_failure(t, "u", LockoutPolicy(max_failures=10))
    lowered = LockoutPolicy(max_failures=3, lockout_seconds=60)
    attempt = await lockout.begin(t, "u", lowered)  # neither admitted nor left waiting
    assert not attempt.admitted and attempt.status.locked and attempt.status.retry_after_seconds == 60
    assert (await lockout.status(t, "u")).locked


async def test_waiting_for_a_slot_is_bounded(client: aioredis.Redis) -> None:
    from services.common.errors import ResourceExhausted

    lockout = AccountLockout(client, max_wait_seconds=0.3)
    t, policy = tenant(), LockoutPolicy(max_failures=3)
    held = [await lockout.begin(t, "u", policy) for _ in range(3)]
    with pytest.raises(ResourceExhausted) as refused:
        await lockout.begin(t, "u", policy)
    assert refused.value.reason == "TOO_MANY_ATTEMPTS"
    await held[0].released()
    assert (await lockout.begin(t, "u", policy)).admitted


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

