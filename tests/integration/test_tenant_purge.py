"""Purging a deleted tenant's Redis keys against a real Redis: exactly the tenant's keys go
(none of a tenant whose id only looks alike), in bounded SCAN batches, and what identity and
session keep about a tenant is gone after their purge."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import redis.asyncio as aioredis

from services.common.redis import create_redis, purge_tenant, redis_key, tenant_key
from services.identity.lockout import AccountLockout, LockoutPolicy
from services.session.live import RedisLiveState
from tools.devstack import RedisServer

pytestmark = pytest.mark.integration


@pytest.fixture
async def client(redis_server: RedisServer) -> AsyncIterator[aioredis.Redis]:
    redis = create_redis(redis_server.url)
    yield redis
    await redis.aclose()


def tenant() -> str:
    return f"t-{uuid.uuid4().hex[:12]}"


async def test_purge_deletes_exactly_the_tenants_keys_in_batches(client: aioredis.Redis) -> None:
    doomed, kinds = tenant(), ("alpha", "beta")
    mine = [tenant_key("alpha", doomed, str(i)) for i in range(1200)] + [tenant_key("beta", doomed)]
    others = [tenant_key("alpha", doomed + "2", "1"), tenant_key("alpha", "x" + doomed, "1"),
              tenant_key("alpha", "other", doomed), tenant_key("gamma", doomed, "1"),
              redis_key("alpha", doomed + ":1"), redis_key("alpha")]
    async with client.pipeline(transaction=False) as pipe:
        for key in mine + others:
            pipe.set(key, b"1", ex=600)
        await pipe.execute()
    assert await purge_tenant(client, doomed, kinds, batch=100) == len(mine)
    assert await client.exists(*mine) == 0
    assert await client.exists(*others) == len(others)
    assert await purge_tenant(client, doomed, kinds) == 0  # idempotent: a retried deletion
    with pytest.raises(ValueError):
        await purge_tenant(client, "", kinds)


async def test_lockout_and_session_state_of_a_deleted_tenant_is_gone(client: aioredis.Redis) -> None:
    doomed, kept = tenant(), tenant()
    lockout, live = AccountLockout(client), RedisLiveState(client)
    now = datetime.now(UTC)
    for t in (doomed, kept):
        await lockout.record_failure(t, "email:x", LockoutPolicy(max_failures=5))
        await lockout.begin(t, "email:y", LockoutPolicy())  # an attempt in flight
        await live.deny_jti(t, "jti-1", now + timedelta(minutes=5), now)
        await live.set_user_not_before(t, "usr_1", now)
        await live.set_tenant_not_before(t, now)
    assert await lockout.purge_tenant(doomed) == 2
    assert await live.purge_tenant(doomed) == 3
    assert (await lockout.status(doomed, "email:x")).failures == 0
    assert (await live.check_token(doomed, "jti-1", "usr_1"))[1:] == (False, None)
    assert (await lockout.status(kept, "email:x")).failures == 1
    _loaded, denied, not_before = await live.check_token(kept, "jti-1", "usr_1")
    assert denied and not_before is not None


async def test_token_service_purge_drops_replay_guards_and_device_code_counters(client: aioredis.Redis) -> None:
    from services.common.failures import RedisFailureCounter
    from services.token.oauth.support import DEVICE_CODE_FAILURES, RedisReplayGuard, purge_tenant_keys

    doomed, kept = tenant(), tenant()
    counter = RedisFailureCounter(client, DEVICE_CODE_FAILURES)
    for name in (doomed, kept):
        assert await RedisReplayGuard(client).first_use(name, "app_1", "jti-hash", 60)
        await counter.record_failure(f"{name}:session:s1", 60)
    assert await purge_tenant_keys(client, doomed) == 2
    assert await RedisReplayGuard(client).first_use(doomed, "app_1", "jti-hash", 60)  # forgotten
    assert await counter.failures(f"{doomed}:session:s1") == 0
    assert not await RedisReplayGuard(client).first_use(kept, "app_1", "jti-hash", 60)
    assert await counter.failures(f"{kept}:session:s1") == 1
