"""Rate limiting for the whole platform: GCRA budgets in Redis, decided in the serving process.

Wiring (each service's composition root)::

    ServiceParts(..., rate_limits=rate_limit_gate(runtime, directory, analytics))

services/common/interceptor.py asks the gate before every method of a public service that a
request reached through the gateway (gate.py).
"""

from services.common.ratelimit.decider import (
    Decision,
    RateLimitDecider,
    RateLimitMetrics,
    RateLimitUnavailable,
    rate_limit_headers,
)
from services.common.ratelimit.gate import RateLimitGate, method_group, rate_limit_gate
from services.common.ratelimit.limiter import Budget, RateLimiter, Verdict
from services.common.ratelimit.policy import (
    DEFAULTS,
    FAIL_CLOSED,
    FAIL_OPEN,
    GROUPS,
    Descriptor,
    GroupLimits,
    scaled_defaults,
)

__all__ = [
    "DEFAULTS", "FAIL_CLOSED", "FAIL_OPEN", "GROUPS", "Budget", "Decision", "Descriptor", "GroupLimits",
    "RateLimitDecider", "RateLimitGate", "RateLimitMetrics", "RateLimitUnavailable", "RateLimiter", "Verdict",
    "method_group", "rate_limit_gate", "rate_limit_headers", "scaled_defaults",
]
