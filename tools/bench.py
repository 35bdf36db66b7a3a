"""`make bench`: throughput and latency of the hot paths on this machine, against the real
stack (PostgreSQL, Redis, services, Envoy) started on free loopback ports.

Machines here are shared and noisy: the numbers are medians and ratios from one run, for
comparison between runs on the same machine, not absolute promises.
"""

from __future__ import annotations

import argparse
import asyncio
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
from tools.bench_scenarios import bench_scenarios
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
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="binoauth-bench-") as folder, Stack(StackConfig(
        data_dir=Path(folder), free_ports=True, durable=False, replicas=args.replicas, drain_seconds=0.5,
        supervise=False, extra_env={"BINOAUTH_LOG_LEVEL": "WARNING", "BINOAUTH_RATE_LIMIT_SCALE": "1000000"},
    )) as stack:
        print(f"# make bench, {datetime.now(UTC):%Y-%m-%d}, {args.replicas} replica(s) per service\n")
        bench_scenarios(stack, args.seconds, args.concurrency, peer=not args.no_peer,
                        only=lambda name: args.only in name)
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
    bench_login, bench_tokens,
    bench_code_flow, bench_analytics,
]


if __name__ == "__main__":
    raise SystemExit(main())
