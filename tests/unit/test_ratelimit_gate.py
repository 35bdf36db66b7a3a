"""Rate limits in the serving process: the interceptor asks the gate before a public method
runs, for requests that came through the gateway, and answers with the same status, envelope
and headers that the gateway's ratelimit filter used to give."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import grpc
import pytest
from grpc import aio
from prometheus_client import CollectorRegistry

import services.identity.bootstrap
import services.session.bootstrap
import services.tenant.bootstrap
import services.token.bootstrap  # noqa: F401 - every service's generated descriptors, for method_group
from gateway.descriptor import load_services
from services.common.interceptor import ServerInterceptor
from services.common.metrics import RpcMetrics
from services.common.ratelimit import (
    Budget,
    RateLimitDecider,
    RateLimitGate,
    RateLimitMetrics,
    Verdict,
    method_group,
)
from services.common.ratelimit.policy import credential_hash

pytestmark = pytest.mark.unit

TOKEN = "/binoauth.token.v1.OAuthService/Token"
GET_TENANT = "/binoauth.tenant.v1.TenantService/GetTenant"
INTERNAL = "/binoauth.tenant.v1.TenantInternalService/ResolveTenant"
DESCRIPTORS = Path(__file__).resolve().parents[2] / "build" / "descriptors" / "api.pb"


class FakeLimiter:
    """Allows `allowed` checks, then refuses; `fail` raises like a Redis that is down."""

    def __init__(self, allowed: int = 1_000, fail: bool = False) -> None:
        self.allowed, self.fail = allowed, fail
        self.seen: list[list[Budget]] = []

    async def check(self, budgets: Sequence[Budget], cost: int = 1) -> list[Verdict]:
        from redis.exceptions import ConnectionError as RedisConnectionError

        self.seen.append(list(budgets))
        if self.fail:
            raise RedisConnectionError("down")
        ok = len(self.seen) <= self.allowed
        return [Verdict(ok, b.limit, b.limit - 1 if ok else 0, 0 if ok else 7, 3) for b in budgets]


class FakeContext:
    def __init__(self, metadata: list[tuple[str, str]]) -> None:
        self.metadata = metadata
        self.trailing: tuple[tuple[str, Any], ...] = ()
        self.aborted: grpc.StatusCode | None = None

    def invocation_metadata(self) -> list[tuple[str, str]]:
        return self.metadata

    def peer(self) -> str:
        return "ipv4:10.1.1.1:5000"

    def time_remaining(self) -> float | None:
        return None

    def set_trailing_metadata(self, metadata: tuple[tuple[str, Any], ...]) -> None:
        self.trailing = metadata

    async def send_initial_metadata(self, metadata: Any) -> None:
        return None

    async def abort(self, code: grpc.StatusCode, message: str, trailing_metadata: Any = ()) -> None:
        self.aborted = code
        self.trailing = tuple(trailing_metadata)
        raise aio.AbortError()

    def code(self) -> grpc.StatusCode | None:
        return self.aborted


GATEWAY = [("x-binoauth-gateway", "1"), ("x-binoauth-client-ip", "198.51.100.9"), ("x-request-id", "r-1"),
           ("authorization", "Basic Y2xpZW50OnNlY3JldA==")]


async def _call(method: str, limiter: FakeLimiter, metadata: list[tuple[str, str]] = GATEWAY
                ) -> tuple[FakeContext, list[str], CollectorRegistry]:
    registry = CollectorRegistry()
    gate = RateLimitGate(RateLimitDecider(limiter, None, RateLimitMetrics(registry), "example.com"))  # type: ignore[arg-type]
    ran: list[str] = []

    async def behavior(request: Any, context: Any) -> str:
        ran.append(method)
        return "ok"

    run = ServerInterceptor("test", RpcMetrics.create(registry), gate)._wrap(method, behavior)
    context = FakeContext(metadata)
    try:
        await run(None, context)
    except aio.AbortError:
        pass
    return context, ran, registry


def _text(trailing: tuple[tuple[str, Any], ...]) -> dict[str, str]:
    return {k: v for k, v in trailing if isinstance(v, str)}


async def test_an_allowed_request_runs_and_carries_its_budget_in_trailing_metadata() -> None:
    limiter = FakeLimiter()
    context, ran, registry = await _call(TOKEN, limiter)
    assert ran == [TOKEN] and context.aborted is None
    assert _text(context.trailing) == {"x-ratelimit-limit": "300", "x-ratelimit-remaining": "299",
                                       "x-ratelimit-reset": "3"}
    # The token group's budgets: per trusted client address and per credential (hashed).
    assert [(b.key, b.limit) for b in limiter.seen[0]] == [
        ("binoauth:rl:token:ip::198.51.100.9", 300),
        (f"binoauth:rl:token:cred::{credential_hash('Basic Y2xpZW50OnNlY3JldA==')}", 300)]
    assert registry.get_sample_value("binoauth_ratelimit_decisions_total",
                                     {"group": "token", "result": "allowed"}) == 1


async def test_a_refused_request_never_runs_and_gets_429_with_retry_after() -> None:
    context, ran, registry = await _call(TOKEN, FakeLimiter(allowed=0))
    assert ran == [] and context.aborted is grpc.StatusCode.RESOURCE_EXHAUSTED
    trailing = _text(context.trailing)
    assert {k: trailing[k] for k in ("retry-after", "x-ratelimit-limit", "x-ratelimit-remaining")} == {
        "retry-after": "7", "x-ratelimit-limit": "300", "x-ratelimit-remaining": "0"}
    envelope = json.loads(trailing["x-error-json"])["error"]
    assert (envelope["code"], envelope["message"], envelope["request_id"]) == ("RATE_LIMITED", "too many requests",
                                                                              "r-1")
    assert registry.get_sample_value("binoauth_ratelimit_decisions_total",
                                     {"group": "token", "result": "limited"}) == 1


async def test_redis_down_fails_closed_for_token_and_open_for_management() -> None:
    context, ran, _ = await _call(TOKEN, FakeLimiter(fail=True))
    assert ran == [] and context.aborted is grpc.StatusCode.UNAVAILABLE
    trailing = _text(context.trailing)
    assert trailing["retry-after"] == "5"
    assert json.loads(trailing["x-error-json"])["error"]["code"] == "UNAVAILABLE"
    context, ran, registry = await _call(GET_TENANT, FakeLimiter(fail=True))
    assert ran == [GET_TENANT] and context.aborted is None
    assert registry.get_sample_value("binoauth_ratelimit_decisions_total",
                                     {"group": "management", "result": "failed_open"}) == 1


async def test_calls_that_did_not_come_through_the_gateway_are_not_limited() -> None:
    # Service-to-service calls (no gateway mark) and internal services are never decided.
    limiter = FakeLimiter(allowed=0)
    _, ran, _ = await _call(TOKEN, limiter, [("x-request-id", "r-2"), ("authorization", "Basic eA==")])
    assert ran == [TOKEN]
    _, ran, _ = await _call(INTERNAL, limiter)
    assert ran == [INTERNAL] and limiter.seen == []


async def test_an_error_after_an_allowed_decision_still_carries_the_budget() -> None:
    registry = CollectorRegistry()
    gate = RateLimitGate(RateLimitDecider(FakeLimiter(), None, RateLimitMetrics(registry),  # type: ignore[arg-type]
                                          "example.com"))

    async def missing(request: Any, context: Any) -> str:
        from services.common.errors import NotFound

        raise NotFound("no such thing")

    context = FakeContext(GATEWAY)
    with pytest.raises(aio.AbortError):
        await ServerInterceptor("test", RpcMetrics.create(registry), gate)._wrap(GET_TENANT, missing)(None, context)
    assert context.aborted is grpc.StatusCode.NOT_FOUND
    assert _text(context.trailing)["x-ratelimit-limit"] == "600"


@pytest.mark.skipif(not DESCRIPTORS.exists(), reason="make protos writes build/descriptors/api.pb")
def test_every_method_has_the_group_the_gateway_routes_it_with() -> None:
    # The gateway (gateway/descriptor.py) and the services read the same proto option two
    # ways; they must agree for every method, and internal services are never limited.
    services = load_services(DESCRIPTORS)
    assert services
    for service in services:
        for method in service.methods:
            expected = method.rate_limit_group if service.public else None
            assert method_group(service.method_path(method)) == expected, service.method_path(method)
