"""`python -m tools.bench_hotpath`: the CPU of the Python on the per-request hot path, in one
process, with no network (issue 13). Measured with time.process_time, so unlike the scenarios
of `make bench` it barely moves when other work shares the machine: what it reports is what a
change to this Python bought.

- the interceptor with the rate-limit decision around a method that does nothing, as every
  gateway request to a public method runs it (the budgets of a client_credentials request; the
  Redis script's answer is a fixed allow, one loop turn);
- the interceptor alone around a method that does nothing (what every RPC of every service
  pays; the difference is the decision's own Python).

Each at log level WARNING (what `make bench` runs) and INFO (the default of a deployment).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, cast

from prometheus_client import CollectorRegistry

from services.common.cross_site import cookie_use
from services.common.directory import TenantInfo
from services.common.interceptor import ServerInterceptor
from services.common.logging import configure_logging
from services.common.metrics import RpcMetrics
from services.common.ratelimit import Budget, RateLimitDecider, RateLimiter, RateLimitGate, RateLimitMetrics, Verdict
from services.common.tenancy import TenantSelection

OAUTH_TOKEN_RPC = "/binoauth.token.v1.OAuthService/Token"  # noqa: S105 - a method name
UNLIMITED = {"per_ip_per_minute": 1_000_000, "per_tenant_per_minute": 1_000_000}


class _AllowingLimiter:
    async def check(self, budgets: Sequence[Budget], cost: int = 1) -> list[Verdict]:
        await asyncio.sleep(0)  # the Redis answer: one turn of the loop
        return [Verdict(True, b.limit, b.limit - 1, 0, 1) for b in budgets]


class _OneTenant:
    def __init__(self) -> None:
        self.info = TenantInfo("bench-hot", "bench", True, False, "", {"rate_limits": {"token": UNLIMITED}})

    async def select(self, candidates: list[TenantSelection]) -> TenantInfo:
        return self.info


class _GatewayCall:
    """The context of a client_credentials request as the gateway forwards it."""

    def invocation_metadata(self) -> list[tuple[str, str]]:
        return [("x-binoauth-gateway", "1"), ("x-binoauth-client-ip", "127.0.0.1"),
                ("x-binoauth-tenant", "bench-hot"), ("x-forwarded-host", "127.0.0.1"),
                ("x-request-id", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"), ("user-agent", "bench"),
                ("authorization", "Basic YmVuY2g6c2VjcmV0LXNlY3JldC1zZWNyZXQ=")]

    def peer(self) -> str:
        return "ipv4:127.0.0.1:40000"

    def time_remaining(self) -> float:
        return 0.5

    def set_trailing_metadata(self, metadata: Any) -> None:
        return None

    async def abort(self, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the benchmark's decision must not fail")

    def code(self) -> None:
        return None


async def _cpu_per_call(call: Callable[[], Awaitable[object]], calls: int) -> float:
    for _ in range(calls // 10):  # warm: caches filled, code paths hot
        await call()
    started = time.process_time()
    for _ in range(calls):
        await call()
    return (time.process_time() - started) / calls * 1e6


async def measure(calls: int) -> dict[str, float]:
    import binoauth.token.v1.oauth_service_pb2  # noqa: F401 - the method's rate-limit option

    # The decider only calls check(): the stand-in has the same signature.
    decider = RateLimitDecider(cast(RateLimiter, _AllowingLimiter()), _OneTenant(),
                               RateLimitMetrics(CollectorRegistry()), "localhost")
    limited = ServerInterceptor("bench", RpcMetrics.create(CollectorRegistry()), RateLimitGate(decider))
    plain = ServerInterceptor("bench", RpcMetrics.create(CollectorRegistry()))

    async def nothing(request: Any, context: Any) -> None:
        return None

    decide = limited._wrap(OAUTH_TOKEN_RPC, nothing, cookie_use(OAUTH_TOKEN_RPC))
    bare = plain._wrap(OAUTH_TOKEN_RPC, nothing, cookie_use(OAUTH_TOKEN_RPC))
    context = _GatewayCall()
    return {
        "interceptor + rate-limit decision around a method that does nothing": await _cpu_per_call(
            lambda: decide(None, context), calls),
        "interceptor around a method that does nothing": await _cpu_per_call(lambda: bare(None, context), calls),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench_hotpath")
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--level", default="", help="WARNING or INFO (default: both, one process each)")
    args = parser.parse_args(argv)
    if not args.level:
        import subprocess

        for level in ("WARNING", "INFO"):
            subprocess.run([sys.executable, "-m", "tools.bench_hotpath", "--level", level, "--calls", str(args.calls)],
                           check=True)
        return 0
    # The log lines go nowhere: their cost is the formatting and the write, not the terminal.
    with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
        configure_logging("bench", args.level)
        try:
            import uvloop

            results = uvloop.run(measure(args.calls))
        except ImportError:  # pragma: no cover - uvloop is in requirements.txt
            results = asyncio.run(measure(args.calls))
    for name, us in results.items():
        print(f"{name}, log level {args.level}: {us:.1f} µs CPU per call")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
