"""The rate-limit decision: one request's descriptor in, allowed or refused out.

One decision = one Redis round trip for every budget (all-or-nothing, see limiter.py).
Failure policy when Redis cannot answer:

* fail-closed groups (login, signup, token, verification): RateLimitUnavailable, which the
  gate (gate.py) answers with 503 UNAVAILABLE + Retry-After;
* fail-open groups (management, public): allowed, counted as ``failed_open``.

Tenant resolution (directory lookups, cached by TenantDirectory, which serves a known tenant
stale while the tenant service cannot answer) failing never means platform defaults: a tenant
may have raised its limits, and throttling its users because a read failed is a wrong answer.
A fail-closed group then fails closed (503 + Retry-After), a fail-open group passes without
a budget (``failed_open``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import structlog
from prometheus_client import CollectorRegistry, Counter
from redis.exceptions import RedisError

from services.common.analytics import RATE_LIMITED, Analytics, NoAnalytics
from services.common.directory import TenantInfo
from services.common.errors import NotFound
from services.common.ratelimit.limiter import Budget, RateLimiter, Verdict
from services.common.ratelimit.policy import (
    DEFAULTS,
    BudgetCache,
    Descriptor,
    GroupLimits,
    fails_closed,
)
from services.common.tenancy import TenantSelection

# A Redis slower than this is an unavailable Redis: the request is not kept waiting for it.
REDIS_TIMEOUT_SECONDS = 0.35
# Bound of the per-descriptor caches (tenant selections); a flood of distinct values clears them.
_MAX_CACHED = 10_000

_log = structlog.get_logger("ratelimit")


class Directory(Protocol):
    async def select(self, candidates: list[TenantSelection]) -> TenantInfo: ...


@dataclass(frozen=True)
class Decision:
    """The outcome of one decision."""

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
