"""Envoy's global rate limit service (envoy.service.ratelimit.v3.RateLimitService).

One ShouldRateLimit call = one Redis round trip for every budget of every descriptor
(all-or-nothing, see limiter.py). Failure policy when Redis cannot answer:

* fail-closed groups (login, signup, token, verification): the RPC fails with UNAVAILABLE;
  the gateway's stage-0 ratelimit filter runs with failure_mode_deny and answers 503 with
  Retry-After.
* fail-open groups (management, public): OK, counted as ``failed_open``.

Tenant resolution (directory lookups, cached by TenantDirectory, which serves a known tenant
stale while the tenant service cannot answer) failing never means platform defaults: a tenant
may have raised its limits, and throttling its users because a read failed is a wrong answer.
A fail-closed group then fails closed (503 + Retry-After), a fail-open group passes without
a budget (``failed_open``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import grpc
import redis.asyncio as aioredis
import structlog
from envoy.config.core.v3 import base_pb2
from envoy.service.ratelimit.v3 import rls_pb2, rls_pb2_grpc
from grpc import aio
from prometheus_client import CollectorRegistry, Counter
from redis.exceptions import RedisError

from services.common.analytics import RATE_LIMITED, Analytics, NoAnalytics
from services.common.directory import TenantInfo
from services.common.errors import NotFound
from services.common.tenancy import TenantSelection
from services.session.ratelimit.limiter import Budget, RateLimiter, Verdict
from services.session.ratelimit.policy import (
    DEFAULTS,
    BudgetCache,
    Descriptor,
    GroupLimits,
    fails_closed,
    parse_descriptor,
)

HEALTH_SERVICE_NAME = "envoy.service.ratelimit.v3.RateLimitService"
DOMAIN = "binoauth"
# Answer before the gateway's 0.5 s timeout, so a slow Redis is our decision, not Envoy's.
REDIS_TIMEOUT_SECONDS = 0.35
# Retry-After on an error answer (the gateway's 503 carries its own, see gateway/render.py).
ERROR_RETRY_AFTER_SECONDS = 5
# Bound of the per-descriptor caches (tenant selections); a flood of distinct values clears them.
_MAX_CACHED = 10_000

_log = structlog.get_logger("ratelimit")

Code = rls_pb2.RateLimitResponse.Code
_OK = rls_pb2.RateLimitResponse.OK
_OVER = rls_pb2.RateLimitResponse.OVER_LIMIT
_MINUTE = rls_pb2.RateLimitResponse.RateLimit.MINUTE


class Directory(Protocol):
    async def select(self, candidates: list[TenantSelection]) -> TenantInfo: ...


@dataclass(frozen=True)
class Decision:
    """The outcome of one ShouldRateLimit call, independent of protobuf."""

    allowed: bool
    # One per descriptor, in request order: the tightest verdict of its budgets (None = no
    # budget applied, e.g. a descriptor without group or when Redis failed open).
    verdicts: tuple[Verdict | None, ...]
    result: str  # allowed | limited | failed_open

    @property
    def tightest(self) -> Verdict | None:
        known = [v for v in self.verdicts if v is not None]
        if not known:
            return None
        refused = [v for v in known if not v.allowed]
        if refused:
            return max(refused, key=lambda v: v.retry_after_seconds)
        return min(known, key=lambda v: (v.remaining, -v.reset_seconds))


class RateLimitUnavailable(Exception):
    """Redis (or the tenant's limits) could not be read for a fail-closed group."""


class TenantUnresolved(Exception):
    """The request names a tenant whose limits could not be read (not: no such tenant)."""


class RateLimitMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.decisions = Counter(
            "binoauth_ratelimit_decisions", "Rate-limit decisions by endpoint group and result "
            "(allowed, limited, failed_open, failed_closed)", ["group", "result"], registry=registry,
        )

    def count(self, group: str, result: str) -> None:
        self.decisions.labels(group, result).inc()


class RateLimitDecider:
    """Descriptors in, decision out (no gRPC types: the integration tests drive it directly)."""

    def __init__(self, limiter: RateLimiter, directory: Directory | None, metrics: RateLimitMetrics,
                 base_domain: str, redis_timeout: float = REDIS_TIMEOUT_SECONDS,
                 defaults: Mapping[str, GroupLimits] = DEFAULTS, analytics: Analytics | None = None) -> None:
        self._limiter = limiter
        # Refused requests count in the analytics API (its rate_limited counter).
        self._analytics = analytics or NoAnalytics()
        self._defaults = defaults
        self._directory = directory
        self._metrics = metrics
        self._base_domain = base_domain
        self._redis_timeout = redis_timeout
        # Per-request work done once per distinct descriptor (profiled: the decision's own
        # Python was a fifth of the session service's CPU per request).
        self._budgets = BudgetCache(defaults)
        self._selections: dict[tuple[str, str, str], list[TenantSelection]] = {}

    def _selection(self, descriptor: Descriptor) -> list[TenantSelection]:
        key = (descriptor.tenant, descriptor.host, descriptor.tenant_header)
        found = self._selections.get(key)
        if found is None:
            found = descriptor.selection(self._base_domain)
            if len(self._selections) >= _MAX_CACHED:
                self._selections.clear()
            self._selections[key] = found
        return found

    async def tenant_for(self, descriptor: Descriptor) -> TenantInfo | None:
        candidates = self._selection(descriptor)
        if not candidates or self._directory is None:
            return None
        try:
            return await self._directory.select(candidates)
        except NotFound:
            return None
        except Exception as error:  # noqa: BLE001 - tenant service down: never platform defaults
            _log.warning("tenant lookup failed", error=type(error).__name__)
            raise TenantUnresolved(type(error).__name__) from None

    async def decide(self, descriptors: Sequence[Descriptor], cost: int = 1) -> Decision:
        """Raises RateLimitUnavailable when Redis fails and any group fails closed."""
        groups = sorted({d.group for d in descriptors})
        plan: list[tuple[int, int]] = []  # (start, end) into all_budgets per descriptor
        all_budgets: list[Budget] = []
        seen: set[str] = set()
        unresolved = False
        tenant_ids: list[str] = []
        for d in descriptors:
            try:
                info = await self.tenant_for(d)
            except TenantUnresolved as error:
                if fails_closed(d.group):
                    for g in groups:
                        self._metrics.count(g, "failed_closed")
                    raise RateLimitUnavailable(f"tenant limits unavailable: {error}") from None
                unresolved = True
                plan.append((len(all_budgets), len(all_budgets)))
                continue
            if info is not None:
                tenant_ids.append(info.tenant_id)
            start = len(all_budgets)
            for b in self._budgets.budgets(d, info.tenant_id if info else "", info.settings if info else None):
                if b.key not in seen:  # two descriptors naming one budget consume it once
                    seen.add(b.key)
                    all_budgets.append(b)
            plan.append((start, len(all_budgets)))
        if not all_budgets:
            result = "failed_open" if unresolved else "allowed"
            for g in groups:
                self._metrics.count(g, result)
            return Decision(True, tuple(None for _ in descriptors), result)
        try:
            # asyncio.timeout, not wait_for: no task per call (wait_for's was a tenth of the decision).
            async with asyncio.timeout(self._redis_timeout):
                verdicts = await self._limiter.check(all_budgets, cost)
        except (RedisError, OSError, TimeoutError) as error:
            closed = [g for g in groups if fails_closed(g)]
            _log.warning("rate limit store unavailable", error=type(error).__name__,
                         fail_closed=bool(closed), groups=groups)
            if closed:
                for g in groups:
                    self._metrics.count(g, "failed_closed")
                raise RateLimitUnavailable(str(type(error).__name__)) from None
            for g in groups:
                self._metrics.count(g, "failed_open")
            return Decision(True, tuple(None for _ in descriptors), "failed_open")
        per_descriptor: list[Verdict | None] = []
        for start, end in plan:
            mine = verdicts[start:end]
            if not mine:
                per_descriptor.append(None)
                continue
            refused = [v for v in mine if not v.allowed]
            per_descriptor.append(max(refused, key=lambda v: v.retry_after_seconds) if refused
                                  else min(mine, key=lambda v: v.remaining))
        allowed = all(v.allowed for v in verdicts)
        result = "allowed" if allowed else "limited"
        for g in groups:
            self._metrics.count(g, result)
        if not allowed:
            # One refused request, counted for the tenant it named (platform-wide only otherwise).
            await self._analytics.count(tenant_ids[0] if tenant_ids else "", RATE_LIMITED)
        return Decision(allowed, tuple(per_descriptor), result)


def rate_limit_headers(verdict: Verdict | None, allowed: bool) -> list[tuple[str, str]]:
    if verdict is None:
        return []
    headers = [
        ("x-ratelimit-limit", str(verdict.limit)),
        ("x-ratelimit-remaining", str(verdict.remaining)),
        ("x-ratelimit-reset", str(max(1, verdict.reset_seconds) if not allowed else verdict.reset_seconds)),
    ]
    if not allowed:
        headers.insert(0, ("retry-after", str(max(1, verdict.retry_after_seconds))))
    return headers


def to_response(decision: Decision) -> Any:
    statuses = []
    for v in decision.verdicts:
        if v is None:
            statuses.append(rls_pb2.RateLimitResponse.DescriptorStatus(code=_OK))
            continue
        status = rls_pb2.RateLimitResponse.DescriptorStatus(
            code=_OK if v.allowed else _OVER,
            current_limit=rls_pb2.RateLimitResponse.RateLimit(
                requests_per_unit=v.limit, unit=_MINUTE),
            limit_remaining=v.remaining,
        )
        status.duration_until_reset.seconds = v.reset_seconds
        statuses.append(status)
    headers = rate_limit_headers(decision.tightest, decision.allowed)
    return rls_pb2.RateLimitResponse(
        overall_code=_OK if decision.allowed else _OVER,
        statuses=statuses,
        response_headers_to_add=[base_pb2.HeaderValue(key=k, value=v) for k, v in headers],
    )


class RateLimitServicer(rls_pb2_grpc.RateLimitServiceServicer):  # type: ignore[misc]
    """ShouldRateLimit for the gateway's two ratelimit filters (domain "binoauth")."""

    def __init__(self, decider: RateLimitDecider) -> None:
        self.decider = decider

    async def ShouldRateLimit(self, request: Any, context: aio.ServicerContext[Any, Any]) -> Any:
        descriptors = [
            d for d in (parse_descriptor((e.key, e.value) for e in desc.entries) for desc in request.descriptors)
            if d is not None
        ]
        try:
            decision = await self.decider.decide(descriptors, request.hits_addend or 1)
        except RateLimitUnavailable:
            await context.abort(
                grpc.StatusCode.UNAVAILABLE, "rate limit store unavailable",
                trailing_metadata=(("retry-after", str(ERROR_RETRY_AFTER_SECONDS)),),
            )
            raise  # unreachable: abort raises
        if not decision.allowed:
            # Debug only (a flood would otherwise become a log flood; the metric counts it).
            # Never the credential: only what an operator needs to see who is limited.
            first = next((d for d in descriptors), None)
            _log.debug("rate limited", group=first.group if first else "",
                      client_ip=first.remote_address if first else "",
                      tenant=first.tenant if first else "")
        return to_response(decision)


def build_rate_limiting(
    redis: aioredis.Redis, directory: Directory | None, registry: CollectorRegistry, base_domain: str,
    defaults: Mapping[str, GroupLimits] | None = None, analytics: Analytics | None = None,
) -> tuple[RateLimitServicer, Callable[[aio.Server], None]]:
    """The servicer and its registration for the session service's composition root;
    report HEALTH_SERVICE_NAME in ServiceParts.service_names. ``defaults``: the platform
    defaults (policy.DEFAULTS; policy.scaled_defaults(k) for test stacks)."""
    decider = RateLimitDecider(RateLimiter(redis), directory, RateLimitMetrics(registry), base_domain,
                               defaults=DEFAULTS if defaults is None else defaults, analytics=analytics)
    servicer = RateLimitServicer(decider)

    def register(server: aio.Server) -> None:
        rls_pb2_grpc.add_RateLimitServiceServicer_to_server(servicer, server)

    return servicer, register
