"""`make bench`: throughput and latency of the hot paths on this machine, against the real
stack (PostgreSQL, Redis, services, Envoy) started on free loopback ports.

Machines here are shared and noisy: the numbers are medians and ratios from one run, for
comparison between runs on the same machine, not absolute promises.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from grpc import aio

from binoauth.session.v1 import session_internal_service_pb2 as session_pb
from binoauth.session.v1 import session_internal_service_pb2_grpc as session_grpc
from tools.bench_analytics import bench_analytics
from tools.bench_code_flow import bench_code_flow
from tools.bench_login import bench_login
from tools.bench_scenarios import bench_scenarios, gateway_without_rate_limits
from tools.bench_tokens import bench_tokens
from tools.stack import Stack, StackConfig


async def closed_loop(call: Callable[[], Awaitable[object]], seconds: float, concurrency: int) -> tuple[float, float]:
    """(operations per second, median latency in ms) with `concurrency` callers in a loop."""
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            await call()
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return len(latencies) / elapsed, statistics.median(latencies) * 1000


async def bench_revocation_checks(target: str, seconds: float, concurrency: int) -> tuple[float, float]:
    async with aio.insecure_channel(target) as channel:
        stub = session_grpc.SessionInternalServiceStub(channel)
        await stub.RevokeToken(session_pb.RevokeTokenRequest(
            tenant_id="bench", jti="revoked-jti", expire_time=datetime(2099, 1, 1, tzinfo=UTC)))
        request = session_pb.CheckTokenRequest(tenant_id="bench", jti="some-jti", user_id="user-1",
                                               issued_at=datetime.now(UTC))
        return await closed_loop(lambda: stub.CheckToken(request), seconds, concurrency)


def bench_rate_limits(stack: Stack, seconds: float, concurrency: int) -> list[tuple[str, float, float]]:
    from tools.bench_ratelimit import bench_rate_limit_decisions

    target = f"127.0.0.1:{stack.replicas['session'][0].grpc_port}"
    rate, median = asyncio.run(bench_rate_limit_decisions(target, seconds, concurrency))
    return [("rate-limit decisions (gRPC ShouldRateLimit)", rate, median)]


def bench_ratelimit_filter_latency(stack: Stack, seconds: float, _concurrency: int) -> list[tuple[str, float, float]]:
    """Median latency of one request through Envoy with and without the ratelimit filters:
    the same services, two gateways, requests interleaved so both see the same noise."""
    import httpx

    headers = {"X-Tenant-ID": "bench"}
    latencies: dict[str, list[float]] = {"with": [], "without": []}
    with gateway_without_rate_limits(stack) as (without_url, _pid), httpx.Client(timeout=10) as client:
        urls = {"with": f"{stack.gateway_url}/api/v1/tenant", "without": f"{without_url}/api/v1/tenant"}
        _wait_ok(client, urls["without"], headers)
        deadline = time.perf_counter() + seconds * 2
        while time.perf_counter() < deadline:
            for name, url in urls.items():
                started = time.perf_counter()
                response = client.get(url, headers=headers)
                latencies[name].append(time.perf_counter() - started)
                response.raise_for_status()
    with_ms = statistics.median(latencies["with"]) * 1000
    without_ms = statistics.median(latencies["without"]) * 1000
    print(f"ratelimit filter: median {with_ms:.2f} ms with vs {without_ms:.2f} ms without "
          f"(+{with_ms - without_ms:.2f} ms, x{with_ms / without_ms:.2f})")
    return [("GET through Envoy, with ratelimit filter (sequential)", 1000 / with_ms, with_ms),
            ("GET through Envoy, without ratelimit filter (sequential)", 1000 / without_ms, without_ms)]


def _wait_ok(client: object, url: str, headers: dict[str, str], timeout: float = 30) -> None:
    import httpx

    assert isinstance(client, httpx.Client)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if client.get(url, headers=headers).status_code == 200:
                return
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer 200")


def create_tenant(stack: Stack, tenant_id: str) -> None:
    import httpx

    response = httpx.post(f"{stack.gateway_url}/api/v1/tenants", timeout=30,
                          headers={"Authorization": f"Bearer {stack.bootstrap_api_key}"},
                          json={"tenant_id": tenant_id})
    response.raise_for_status()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--replicas", type=int, default=2, help="per service (2 = the `make run` topology)")
    parser.add_argument("--only", default="", help="run only the scenarios whose name contains this")
    parser.add_argument("--no-peer", action="store_true", help="skip the oidc-provider comparison")
    parser.add_argument("--scenarios-only", action="store_true", help="skip the component benchmarks")
    parser.add_argument("--no-hop", action="store_true",
                        help="skip client_credentials through a gateway without the ratelimit filters")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="binoauth-bench-") as folder, Stack(StackConfig(
        data_dir=Path(folder), free_ports=True, durable=False, replicas=args.replicas, drain_seconds=0.5,
        supervise=False, extra_env={"BINOAUTH_LOG_LEVEL": "WARNING", "BINOAUTH_RATE_LIMIT_SCALE": "1000000"},
    )) as stack:
        print(f"# make bench, {datetime.now(UTC):%Y-%m-%d}, {args.replicas} replica(s) per service\n")
        bench_scenarios(stack, args.seconds, args.concurrency, peer=not args.no_peer,
                        only=lambda name: args.only in name, hop=not args.no_hop)
        # The Python of the hot path alone, in processes of its own (CPU time, barely noisy).
        print("\nhot path, in-process (python -m tools.bench_hotpath):", flush=True)
        subprocess.run([sys.executable, "-m", "tools.bench_hotpath"], check=False)
        if args.scenarios_only:
            return 0
        create_tenant(stack, "bench")
        session_target = f"127.0.0.1:{stack.replicas['session'][0].grpc_port}"
        rows: list[tuple[str, float, float]] = []
        rate, median = asyncio.run(bench_revocation_checks(session_target, args.seconds, args.concurrency))
        rows.append(("revocation checks (gRPC CheckToken)", rate, median))
        for extra in EXTRA_BENCHES:
            rows.extend(extra(stack, args.seconds, args.concurrency))
    print(f"\n{'benchmark':<58} {'ops/s':>10} {'median ms':>10}")
    for name, rate, median in rows:
        print(f"{name:<58} {rate:>10.0f} {median:>10.2f}")
    return 0


# Further benchmarks register here: each takes (stack, seconds, concurrency) and returns rows.
EXTRA_BENCHES: list[Callable[[Stack, float, int], list[tuple[str, float, float]]]] = [
    bench_rate_limits, bench_ratelimit_filter_latency, bench_login, bench_tokens,
    bench_code_flow, bench_analytics,
]


if __name__ == "__main__":
    raise SystemExit(main())
