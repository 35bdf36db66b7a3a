"""Rate limiting against a real Redis: GCRA script, atomicity, key isolation, failure policy,
recovery, and the RateLimitService over real gRPC."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest
import redis.asyncio as aioredis
from envoy.service.ratelimit.v3 import rls_pb2, rls_pb2_grpc
from prometheus_client import CollectorRegistry

from services.common.directory import TenantInfo
from services.common.errors import NotFound
from services.common.redis import create_redis
from services.common.tenancy import TenantSelection
from services.session.ratelimit import HEALTH_SERVICE_NAME, build_rate_limiting
from services.session.ratelimit.limiter import Budget, RateLimiter
from services.session.ratelimit.policy import Descriptor, budgets
from services.session.ratelimit.service import RateLimitDecider, RateLimitMetrics, RateLimitUnavailable
from tools.devstack import RedisServer

pytestmark = pytest.mark.integration


def _ip() -> str:
    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}-{uuid.uuid4().hex[:6]}"


class Directory:
    def __init__(self, tenants: dict[str, dict[str, Any]]) -> None:
        self.tenants = tenants

    async def select(self, candidates: list[TenantSelection]) -> TenantInfo:
        for c in candidates:
            if c.tenant_id in self.tenants:
                return TenantInfo(c.tenant_id, c.tenant_id, True, False, "", self.tenants[c.tenant_id])
        raise NotFound("no such tenant")


@pytest.fixture
async def client(redis_server: RedisServer) -> AsyncIterator[aioredis.Redis]:
    redis = create_redis(redis_server.url)
    yield redis
    await redis.aclose()


@pytest.fixture
def own_redis(server_dir: Callable[[str], Path]) -> Iterator[RedisServer]:
    """A Redis of this test's own, to stop and start without disturbing other tests."""
    server = RedisServer(server_dir("rl-redis") / "data", persistent=False)
    server.start()
    yield server
    server.stop()


def _count(registry: CollectorRegistry, group: str, result: str) -> float:
    return registry.get_sample_value("binoauth_ratelimit_decisions_total", {"group": group, "result": result}) or 0.0


async def test_budget_exhausted_is_limited_with_retry_after(client: aioredis.Redis) -> None:
    limiter = RateLimiter(client)
    budget = Budget(f"binoauth:rl:test:{uuid.uuid4().hex}", 3, 60)
    results = [(await limiter.check([budget]))[0] for _ in range(4)]
    assert [r.allowed for r in results] == [True, True, True, False]
    assert [r.remaining for r in results[:3]] == [2, 1, 0]
    refused = results[3]
    assert refused.remaining == 0 and 1 <= refused.retry_after_seconds <= 20  # one slot per 20 s
    assert 40 <= refused.reset_seconds <= 60
    ttl = await client.pttl(budget.key)
    assert 0 < ttl <= 60_000  # keys expire by themselves


async def test_the_budget_refills_over_time(client: aioredis.Redis) -> None:
    now = [1_000_000]
    limiter = RateLimiter(client, clock_ms=lambda: now[0])
    budget = Budget(f"binoauth:rl:test:{uuid.uuid4().hex}", 2, 60)
    assert [(await limiter.check([budget]))[0].allowed for _ in range(3)] == [True, True, False]
    now[0] += 29_000
    refused = (await limiter.check([budget]))[0]
    assert not refused.allowed and refused.retry_after_seconds == 1
    now[0] += 1_000  # one emission interval (30 s) later: one more request
    assert (await limiter.check([budget]))[0].allowed
    assert not (await limiter.check([budget]))[0].allowed


async def test_fifty_concurrent_checks_against_ten_allow_exactly_ten(client: aioredis.Redis) -> None:
    limiter = RateLimiter(client)
    budget = Budget(f"binoauth:rl:test:{uuid.uuid4().hex}", 10, 60)
    results = await asyncio.gather(*(limiter.check([budget]) for _ in range(50)))
    assert sum(r[0].allowed for r in results) == 10


async def test_all_or_nothing_across_budgets(client: aioredis.Redis) -> None:
    limiter = RateLimiter(client)
    ip = Budget(f"binoauth:rl:test:ip:{uuid.uuid4().hex}", 1, 60)
    tenant = Budget(f"binoauth:rl:test:tenant:{uuid.uuid4().hex}", 5, 60)
    assert all(v.allowed for v in await limiter.check([ip, tenant]))
    for _ in range(3):  # refused by the IP budget: the tenant's budget is not consumed
        verdicts = await limiter.check([ip, tenant])
        assert not verdicts[0].allowed and verdicts[1].allowed
    other_ip = Budget(f"binoauth:rl:test:ip:{uuid.uuid4().hex}", 10, 60)
    assert [all(v.allowed for v in await limiter.check([other_ip, tenant])) for _ in range(5)] == [
        True, True, True, True, False]


async def test_separate_budgets_per_tenant_and_per_ip(client: aioredis.Redis) -> None:
    tag = uuid.uuid4().hex[:8]
    settings = {"rate_limits": {"management": {"per_ip_per_minute": 2, "per_tenant_per_minute": 3}}}
    tenants = {f"tenant-a{tag}": settings, f"tenant-b{tag}": settings}
    decider = RateLimitDecider(RateLimiter(client), Directory(tenants), RateLimitMetrics(CollectorRegistry()), "x")
    ip1, ip2, ip3 = _ip(), _ip(), _ip()

    async def ok(tenant: str, ip: str) -> bool:
        return (await decider.decide([Descriptor("management", remote_address=ip, tenant=tenant + tag)])).allowed

    assert [await ok("tenant-a", ip1) for _ in range(3)] == [True, True, False]  # per IP: 2
    assert await ok("tenant-a", ip2)                                              # other IP
    assert not await ok("tenant-a", ip3)                                          # tenant: 3 used
    assert [await ok("tenant-b", ip1) for _ in range(2)] == [True, True]          # other tenant


async def test_keys_of_similar_tenants_and_addresses_do_not_collide(client: aioredis.Redis) -> None:
    limiter = RateLimiter(client)
    tag = uuid.uuid4().hex[:6]
    first = budgets(Descriptor("login", remote_address="ip" + tag), "a:b", None)[0]  # the per-IP budget
    second = budgets(Descriptor("login", remote_address="b:ip" + tag), "a", None)[0]
    assert first.key != second.key
    one = Budget(first.key, 1)
    two = Budget(second.key, 1)
    assert (await limiter.check([one]))[0].allowed
    assert not (await limiter.check([one]))[0].allowed
    assert (await limiter.check([two]))[0].allowed


async def test_redis_down_fails_closed_or_open_and_recovers(own_redis: RedisServer) -> None:
    registry = CollectorRegistry()
    redis = create_redis(own_redis.url)
    decider = RateLimitDecider(RateLimiter(redis), None, RateLimitMetrics(registry), "localhost")
    login = [Descriptor("login", remote_address=_ip())]
    management = [Descriptor("management", remote_address=_ip())]
    try:
        assert (await decider.decide(login)).allowed
        await asyncio.to_thread(own_redis.stop)
        with pytest.raises(RateLimitUnavailable):
            await decider.decide(login)
        decision = await decider.decide(management)
        assert decision.allowed and decision.result == "failed_open"
        assert _count(registry, "login", "failed_closed") == 1
        assert _count(registry, "management", "failed_open") == 1
        await asyncio.to_thread(own_redis.start)
        # The same client recovers without a restart (redis-py reconnects per command).
        for _ in range(50):
            try:
                decision = await decider.decide(login)
                break
            except RateLimitUnavailable:
                await asyncio.sleep(0.1)
        assert decision.allowed and decision.result == "allowed"
    finally:
        await redis.aclose()


# --- the RateLimitService over real gRPC ------------------------------------------------------


def _request(group: str, ip: str, **entries: str) -> Any:
    request = rls_pb2.RateLimitRequest(domain="binoauth", hits_addend=1)
    descriptor = request.descriptors.add()
    for key, value in (("group", group), ("remote_address", ip), *entries.items()):
        entry = descriptor.entries.add()
        entry.key, entry.value = key, value
    return request


async def test_rate_limit_service_over_grpc(own_redis: RedisServer) -> None:
    registry = CollectorRegistry()
    redis = create_redis(own_redis.url)
    directory = Directory({"acme": {"rate_limits": {"verification": {"per_ip_per_minute": 2}}}})
    _servicer, register = build_rate_limiting(redis, directory, registry, "example.com")
    assert HEALTH_SERVICE_NAME == "envoy.service.ratelimit.v3.RateLimitService"
    server = grpc.aio.server()
    register(server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = rls_pb2_grpc.RateLimitServiceStub(channel)
            ip = _ip()
            codes = []
            for _ in range(3):
                reply = await stub.ShouldRateLimit(_request("verification", ip, host="acme.example.com",
                                                            credential="Bearer never-logged"), timeout=5)
                codes.append(reply.overall_code)
            assert codes == [rls_pb2.RateLimitResponse.OK] * 2 + [rls_pb2.RateLimitResponse.OVER_LIMIT]
            headers = {h.key: h.value for h in reply.response_headers_to_add}
            assert int(headers["retry-after"]) >= 1 and headers["x-ratelimit-limit"] == "2"
            assert headers["x-ratelimit-remaining"] == "0"
            assert reply.statuses[0].code == rls_pb2.RateLimitResponse.OVER_LIMIT
            # Another IP of the same tenant still has its own budget.
            other = await stub.ShouldRateLimit(_request("verification", _ip(), host="acme.example.com"), timeout=5)
            assert other.overall_code == rls_pb2.RateLimitResponse.OK
            # No descriptors at all: nothing to limit.
            empty = await stub.ShouldRateLimit(rls_pb2.RateLimitRequest(domain="binoauth"), timeout=5)
            assert empty.overall_code == rls_pb2.RateLimitResponse.OK

            await asyncio.to_thread(own_redis.stop)
            with pytest.raises(grpc.aio.AioRpcError) as raised:
                await stub.ShouldRateLimit(_request("login", _ip()), timeout=5)
            assert raised.value.code() == grpc.StatusCode.UNAVAILABLE
            public = await stub.ShouldRateLimit(_request("public", _ip()), timeout=5)
            assert public.overall_code == rls_pb2.RateLimitResponse.OK
            assert _count(registry, "public", "failed_open") == 1
            assert _count(registry, "login", "failed_closed") == 1
            assert _count(registry, "verification", "limited") == 1
            assert _count(registry, "verification", "allowed") == 3
            await asyncio.to_thread(own_redis.start)
    finally:
        await server.stop(None)
        await redis.aclose()
