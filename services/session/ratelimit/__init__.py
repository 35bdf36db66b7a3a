"""Rate limiting for the whole platform: Envoy's global rate limit service, GCRA in Redis.

Wiring (services/session/bootstrap.py)::

    servicer, register = build_rate_limiting(runtime.redis, directory, runtime.registry,
                                             runtime.settings.base_domain)
    parts.registrations.append(register)
    parts.service_names.append(HEALTH_SERVICE_NAME)
"""

from services.session.ratelimit.limiter import Budget, RateLimiter, Verdict
from services.session.ratelimit.policy import (
    DEFAULTS,
    FAIL_CLOSED,
    FAIL_OPEN,
    GROUPS,
    Descriptor,
    GroupLimits,
    scaled_defaults,
)
from services.session.ratelimit.service import (
    HEALTH_SERVICE_NAME,
    RateLimitDecider,
    RateLimitMetrics,
    RateLimitServicer,
    RateLimitUnavailable,
    build_rate_limiting,
)

__all__ = [
    "DEFAULTS", "FAIL_CLOSED", "FAIL_OPEN", "GROUPS", "HEALTH_SERVICE_NAME", "Budget", "Descriptor", "GroupLimits",
    "RateLimitDecider", "RateLimitMetrics", "RateLimitServicer", "RateLimitUnavailable", "RateLimiter",
    "Verdict", "build_rate_limiting", "scaled_defaults",
]
