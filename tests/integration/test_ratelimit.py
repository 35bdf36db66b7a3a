"""Rate limiting against a real Redis: GCRA script, atomicity, key isolation, failure policy,
recovery, and the decision in a real gRPC server's interceptor."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest
import redis.asyncio as aioredis
from prometheus_client import CollectorRegistry

from services.common.directory import TenantInfo
from services.common.errors import NotFound
from services.common.interceptor import ServerInterceptor
from services.common.metrics import RpcMetrics
from services.common.ratelimit import RateLimitGate
from services.common.ratelimit.decider import RateLimitDecider, RateLimitMetrics, RateLimitUnavailable
from services.common.ratelimit.limiter import Budget, RateLimiter
from services.common.ratelimit.policy import Descriptor, budgets
from services.common.redis import create_redis
from services.common.tenancy import TenantSelection
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


# --- in a real gRPC server, through the interceptor ------------------------------------------

RESEND = "/binoauth.identity.v1.AuthService/ResendVerification"  # group verification
LOGIN = "/binoauth.identity.v1.AuthService/Login"  # group login (fails closed)
CURRENT_TENANT = "/binoauth.tenant.v1.TenantService/GetCurrentTenant"  # group public (fails open)


async def _echo(request: bytes, context: Any) -> bytes:
    return b""


async def test_rate_limits_in_the_serving_interceptor(own_redis: RedisServer) -> None:
    import binoauth.identity.v1.auth_service_pb2
    import binoauth.tenant.v1.tenant_service_pb2  # noqa: F401 - the methods' options, for method_group

    registry = CollectorRegistry()
    redis = create_redis(own_redis.url)
    directory = Directory({"acme": {"rate_limits": {"verification": {"per_ip_per_minute": 2}}}})
    gate = RateLimitGate(RateLimitDecider(RateLimiter(redis), directory, RateLimitMetrics(registry), "example.com"))
    server = grpc.aio.server(interceptors=[ServerInterceptor("test", RpcMetrics.create(registry), gate)])
    server.add_generic_rpc_handlers([grpc.method_handlers_generic_handler(service, {
        name: grpc.unary_unary_rpc_method_handler(_echo)}) for service, name in (
            m.strip("/").split("/") for m in (RESEND, LOGIN, CURRENT_TENANT))])
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()

    def gateway(ip: str) -> tuple[tuple[str, str], ...]:
        return (("x-binoauth-gateway", "1"), ("x-binoauth-client-ip", ip), ("x-forwarded-host", "acme.example.com"),
                ("authorization", f"Bearer never-logged-{ip}"))

    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
            async def call(method: str, ip: str) -> tuple[grpc.StatusCode, dict[str, str]]:
                rpc = channel.unary_unary(method)(b"", metadata=gateway(ip), timeout=5)
                try:
                    await rpc
                except grpc.aio.AioRpcError:
                    pass
                trailing = {k: v for k, v in (await rpc.trailing_metadata() or ()) if isinstance(v, str)}
                return await rpc.code(), trailing

            ip = _ip()
            answers = [await call(RESEND, ip) for _ in range(3)]
            assert [code for code, _ in answers] == [grpc.StatusCode.OK] * 2 + [grpc.StatusCode.RESOURCE_EXHAUSTED]
            # The tenant's override (2 per address), its budget state on every answer.
            assert [t["x-ratelimit-remaining"] for _, t in answers] == ["1", "0", "0"]
            refused = answers[2][1]
            assert int(refused["retry-after"]) >= 1 and refused["x-ratelimit-limit"] == "2"
            # Another address of the same tenant still has its own budget.
            assert (await call(RESEND, _ip()))[0] is grpc.StatusCode.OK

            await asyncio.to_thread(own_redis.stop)
            code, trailing = await call(LOGIN, _ip())
            assert code is grpc.StatusCode.UNAVAILABLE and trailing["retry-after"] == "5"
            assert (await call(CURRENT_TENANT, _ip()))[0] is grpc.StatusCode.OK
            assert _count(registry, "public", "failed_open") == 1
            assert _count(registry, "login", "failed_closed") == 1
            assert _count(registry, "verification", "limited") == 1
            assert _count(registry, "verification", "allowed") == 3
            await asyncio.to_thread(own_redis.start)
    finally:
        await server.stop(None)
        await redis.aclose()
