"""Stale-if-error (issue 17): a tenant's settings and limits never fall back to defaults
because a read failed. The directory serves the last known tenant while the tenant service
cannot answer (bounded, counted); the rate limiter refuses (fail-closed groups) or passes
without a budget (fail-open groups) rather than apply platform defaults."""

from __future__ import annotations

from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from services.common.directory import StaleServes, TenantDirectory, TenantInfo
from services.common.errors import NotFound, Unavailable
from services.common.ratelimit.decider import RateLimitDecider, RateLimitMetrics, RateLimitUnavailable
from services.common.ratelimit.limiter import Budget, Verdict
from services.common.ratelimit.policy import Descriptor
from services.common.tenancy import TenantSelection

pytestmark = pytest.mark.unit
RAISED = {"rate_limits": {"login": {"per_ip_per_minute": 5000, "per_tenant_per_minute": 90000}}}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Source:
    """The tenant service: answers, or is down."""

    def __init__(self) -> None:
        self.down = False
        self.calls = 0

    async def __call__(self, tenant_id: str, host: str) -> TenantInfo:
        self.calls += 1
        if self.down:
            raise Unavailable("the tenant service is unavailable", reason="TENANT_SERVICE_UNAVAILABLE")
        if tenant_id != "acme":
            raise NotFound("no such tenant")
        return TenantInfo("acme", "Acme", True, False, "", RAISED)


def _stale_count(registry: CollectorRegistry) -> float:
    return registry.get_sample_value("binoauth_stale_cache_serves_total", {"cache": "tenant"}) or 0.0


async def test_a_known_tenant_is_served_stale_while_the_source_is_down_and_counted() -> None:
    source, clock, registry = Source(), Clock(), CollectorRegistry()
    directory = TenantDirectory(source, 5.0, clock, stale_seconds=60, stale_serves=StaleServes(registry, "tenant"))
    assert (await directory.lookup("acme")) is not None
    source.down = True
    clock.now += 30  # past the 5 s TTL, inside the 60 s stale window
    info = await directory.lookup("acme")
    assert info is not None and info.settings == RAISED
    assert _stale_count(registry) == 1
    clock.now += 40  # 65 s past the TTL: too old to serve
    with pytest.raises(Unavailable):
        await directory.lookup("acme")


async def test_unknown_or_forgotten_tenants_are_never_served_stale() -> None:
    source, clock = Source(), Clock()
    directory = TenantDirectory(source, 5.0, clock, stale_seconds=60)
    await directory.lookup("acme")
    directory.forget("acme")  # the tenant changed: what we knew is no longer true
    source.down = True
    clock.now += 10
    with pytest.raises(Unavailable):
        await directory.lookup("acme")
    with pytest.raises(Unavailable):
        await directory.lookup("other")


async def test_fresh_answers_replace_the_stale_one_once_the_source_is_back() -> None:
    source, clock = Source(), Clock()
    directory = TenantDirectory(source, 5.0, clock, stale_seconds=60)
    await directory.lookup("acme")
    source.down = True
    clock.now += 10
    await directory.lookup("acme")
    source.down = False
    calls = source.calls
    await directory.lookup("acme")
    assert source.calls == calls + 1


class RecordingLimiter:
    def __init__(self) -> None:
        self.seen: list[list[Budget]] = []

    async def check(self, budgets: list[Budget], cost: int = 1) -> list[Verdict]:
        self.seen.append(list(budgets))
        return [Verdict(True, b.limit, b.limit - 1, 0, 60) for b in budgets]


class DownDirectory:
    async def select(self, candidates: list[TenantSelection]) -> TenantInfo:
        raise Unavailable("the tenant service is unavailable", reason="TENANT_SERVICE_UNAVAILABLE")


def _decider(limiter: Any) -> tuple[RateLimitDecider, CollectorRegistry]:
    registry = CollectorRegistry()
    return RateLimitDecider(limiter, DownDirectory(), RateLimitMetrics(registry), "example.com"), registry


async def test_limits_that_cannot_be_read_never_become_platform_defaults() -> None:
    limiter = RecordingLimiter()
    decider, registry = _decider(limiter)
    # Sign-in fails closed (503 + Retry-After at the gateway), never the default 20/min per address.
    with pytest.raises(RateLimitUnavailable):
        await decider.decide([Descriptor("login", remote_address="10.0.0.1", tenant="acme")])
    # Management fails open: passes, without a default budget being consumed.
    decision = await decider.decide([Descriptor("management", remote_address="10.0.0.1", tenant="acme")])
    assert decision.allowed and decision.result == "failed_open"
    assert limiter.seen == []
    assert registry.get_sample_value("binoauth_ratelimit_decisions_total",
                                     {"group": "login", "result": "failed_closed"}) == 1
