"""Rate limits where the request is served: the interceptor asks the gate before a method runs.

Every request that came through the gateway to a method of a public service is decided here,
in the process that answers it, with one Redis script call (limiter.py). The decision used to
be a gRPC hop from Envoy's ratelimit filter to the session service; measured, that hop was
40-46 % of the server CPU of a token request (README, "Benchmarks"). The guarantees did not
change: the same budgets, keys, tenant overrides, fail-closed groups, metrics and headers.

* allowed: x-ratelimit-limit|remaining|reset go out as trailing metadata (free: they travel
  with the status); the gateway turns them into response headers for REST clients.
* refused: RESOURCE_EXHAUSTED, 429 RATE_LIMITED envelope, Retry-After and the same headers.
* Redis (or the tenant's limits) unreadable on a fail-closed group: 503 UNAVAILABLE with
  Retry-After: 5.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import structlog
from google.protobuf import descriptor_pool

from binoauth.options.v1 import options_pb2
from services.common.analytics import Analytics
from services.common.context import RequestMeta
from services.common.errors import ResourceExhausted, Unavailable
from services.common.ratelimit.decider import (
    Directory,
    RateLimitDecider,
    RateLimitMetrics,
    RateLimitUnavailable,
    rate_limit_headers,
)
from services.common.ratelimit.limiter import RateLimiter
from services.common.ratelimit.policy import DEFAULT_GROUP, Descriptor, normalize_group, scaled_defaults

if TYPE_CHECKING:
    from services.common.server import Runtime

# Retry-After of a 503 when the decision could not be made (a fail-closed group).
UNAVAILABLE_RETRY_AFTER_SECONDS = 5
Headers = tuple[tuple[str, str], ...]
# Typed as Any: the stubs type extension fields in a way mypy cannot index with (cross_site.py too).
_RATE_LIMIT_OPTION: Any = options_pb2.rate_limit

_log = structlog.get_logger("ratelimit")


def method_group(method: str) -> str | None:
    """The rate-limit group of ``/pkg.Service/Method``: its (binoauth.options.v1.rate_limit)
    option, ``management`` without one; None for methods the gateway never routes (internal
    services, and methods unknown to the generated descriptors such as health checks)."""
    try:
        found = descriptor_pool.Default().FindMethodByName(method.strip("/").replace("/", "."))
    except KeyError:
        return None
    service = found.containing_service
    if not service.full_name.startswith("binoauth.") or service.name.endswith("InternalService"):
        return None
    group: str = found.GetOptions().Extensions[_RATE_LIMIT_OPTION].group
    return normalize_group(group) if group else DEFAULT_GROUP


class RateLimitGate:
    def __init__(self, decider: RateLimitDecider) -> None:
        self.decider = decider

    async def admit(self, group: str, meta: RequestMeta) -> Headers:
        """The x-ratelimit-* headers of an allowed request; raises ResourceExhausted (over the
        limit) or Unavailable (no decision on a fail-closed group), both carrying their headers."""
        descriptor = Descriptor.for_request(group, meta)
        try:
            decision = await self.decider.decide((descriptor,))
        except RateLimitUnavailable:
            raise Unavailable("rate limiting unavailable", details={
                "retry_after_seconds": str(UNAVAILABLE_RETRY_AFTER_SECONDS)}) from None
        headers = tuple(rate_limit_headers(decision.tightest, decision.allowed))
        if not decision.allowed:
            # Debug only (a flood would otherwise become a log flood; the metric counts it).
            # Never the credential: only what an operator needs to see who is limited.
            _log.debug("rate limited", group=descriptor.group, client_ip=descriptor.remote_address,
                       tenant=descriptor.tenant)
            raise ResourceExhausted("too many requests", headers=headers)
        return headers


def rate_limit_gate(runtime: Runtime, directory: Directory | None, analytics: Analytics | None = None) -> RateLimitGate:
    """The gate for a composition root (ServiceParts.rate_limits): the platform defaults scaled
    by BINOAUTH_RATE_LIMIT_SCALE, refusals counted in ``analytics``."""
    settings = runtime.settings
    decider = RateLimitDecider(RateLimiter(runtime.redis), directory, RateLimitMetrics(runtime.registry),
                               settings.base_domain, defaults=scaled_defaults(settings.rate_limit_scale),
                               analytics=analytics)
    return RateLimitGate(decider)
