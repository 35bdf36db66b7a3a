"""services.common.ratelimit.decider without Redis: decisions, failure policy, headers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from prometheus_client import CollectorRegistry
from redis.exceptions import ConnectionError as RedisConnectionError

from services.common.directory import TenantInfo
from services.common.errors import NotFound
from services.common.ratelimit.decider import (
    RateLimitDecider,
    RateLimitMetrics,
    RateLimitUnavailable,
    rate_limit_headers,
)
from services.common.ratelimit.limiter import Budget, Verdict
from services.common.ratelimit.policy import Descriptor, credential_hash
from services.common.tenancy import TenantSelection

pytestmark = pytest.mark.unit


class FakeLimiter:
    def __init__(self, allow: bool = True, fail: bool = False) -> None:
        self.allow, self.fail = allow, fail
        self.seen: list[list[Budget]] = []

    async def check(self, budgets: Sequence[Budget], cost: int = 1) -> list[Verdict]:
        self.seen.append(list(budgets))
        if self.fail:
            raise RedisConnectionError("down")
        return [Verdict(self.allow, b.limit, 0 if not self.allow else b.limit - 1,
                        0 if self.allow else 12, 30) for b in budgets]


class FakeDirectory:
    def __init__(self, tenants: dict[str, dict[str, Any]]) -> None:
        self.tenants = tenants

    async def select(self, candidates: list[TenantSelection]) -> TenantInfo:
        for c in candidates:
            if c.tenant_id in self.tenants:
                return TenantInfo(c.tenant_id, c.tenant_id, True, False, "", self.tenants[c.tenant_id])
        raise NotFound("no such tenant")


def _decider(limiter: FakeLimiter, tenants: dict[str, dict[str, Any]] | None = None
             ) -> tuple[RateLimitDecider, CollectorRegistry]:
    registry = CollectorRegistry()
    decider = RateLimitDecider(limiter, FakeDirectory(tenants or {}), RateLimitMetrics(registry),  # type: ignore[arg-type]
                               "example.com")
    return decider, registry


def _count(registry: CollectorRegistry, group: str, result: str) -> float:
    value = registry.get_sample_value("binoauth_ratelimit_decisions_total", {"group": group, "result": result})
    return value or 0.0


async def test_known_tenant_gets_its_overrides_and_a_tenant_budget() -> None:
    limiter = FakeLimiter()
    decider, registry = _decider(limiter, {"acme": {"rate_limits": {"login": {"per_ip_per_minute": 3}}}})
    decision = await decider.decide([Descriptor("login", remote_address="10.0.0.1", host="acme.example.com")])
    assert decision.allowed and decision.result == "allowed"
    assert [(b.key, b.limit) for b in limiter.seen[0]] == [
        ("binoauth:rl:login:ip:acme:10.0.0.1", 3), ("binoauth:rl:login:tenant:acme", 600)]
    assert _count(registry, "login", "allowed") == 1


async def test_unknown_tenant_gets_the_per_ip_default_only() -> None:
    limiter = FakeLimiter()
    decider, _ = _decider(limiter)
    await decider.decide([Descriptor("login", remote_address="10.0.0.1", tenant="ghost")])
    assert [(b.key, b.limit) for b in limiter.seen[0]] == [("binoauth:rl:login:ip::10.0.0.1", 20)]


async def test_redis_down_fails_closed_for_login_and_open_for_management() -> None:
    decider, registry = _decider(FakeLimiter(fail=True))
    with pytest.raises(RateLimitUnavailable):
        await decider.decide([Descriptor("login", remote_address="10.0.0.1")])
    decision = await decider.decide([Descriptor("management", remote_address="10.0.0.1")])
    assert decision.allowed and decision.result == "failed_open"
    assert _count(registry, "login", "failed_closed") == 1
    assert _count(registry, "management", "failed_open") == 1


async def test_limited_response_has_retry_after_and_ratelimit_headers() -> None:
    decider, registry = _decider(FakeLimiter(allow=False))
    decision = await decider.decide([Descriptor("signup", remote_address="10.0.0.1")])
    assert not decision.allowed and _count(registry, "signup", "limited") == 1
    headers = dict(rate_limit_headers(decision.tightest, decision.allowed))
    assert headers == {"retry-after": "12", "x-ratelimit-limit": "10", "x-ratelimit-remaining": "0",
                       "x-ratelimit-reset": "30"}


def test_retry_after_is_at_least_one_second() -> None:
    headers = dict(rate_limit_headers(Verdict(False, 5, 0, 0, 0), allowed=False))
    assert headers["retry-after"] == "1" and headers["x-ratelimit-reset"] == "1"
    assert "retry-after" not in dict(rate_limit_headers(Verdict(True, 5, 4, 0, 12), allowed=True))
    assert rate_limit_headers(None, allowed=True) == []


async def test_descriptors_without_budget_are_allowed_without_redis() -> None:
    limiter = FakeLimiter(fail=True)
    decider, _ = _decider(limiter)
    decision = await decider.decide([Descriptor("login")])  # no address, tenant or credential
    assert decision.allowed and not limiter.seen and decision.tightest is None


async def test_a_changed_tenant_override_applies_to_the_next_decision() -> None:
    # The decider computes a descriptor's budgets once per tenant settings object: a tenant
    # read again (new settings) must get its new limits at once, the same request twice the same.
    tenants: dict[str, dict[str, Any]] = {"acme": {"rate_limits": {"login": {"per_ip_per_minute": 3}}}}
    limiter = FakeLimiter()
    decider, _ = _decider(limiter, tenants)
    request = [Descriptor("login", remote_address="10.0.0.1", tenant="acme", credential="Basic c2VjcmV0")]
    await decider.decide(request)
    await decider.decide(request)
    tenants["acme"] = {"rate_limits": {"login": {"per_ip_per_minute": 7, "per_tenant_per_minute": 70}}}
    await decider.decide(request)
    keys = ["binoauth:rl:login:ip:acme:10.0.0.1", f"binoauth:rl:login:cred:acme:{credential_hash('Basic c2VjcmV0')}",
            "binoauth:rl:login:tenant:acme"]
    assert [[(b.key, b.limit) for b in seen] for seen in limiter.seen] == [
        list(zip(keys, [3, 3, 600], strict=True)), list(zip(keys, [3, 3, 600], strict=True)),
        list(zip(keys, [7, 7, 70], strict=True))]
