"""Rate-limit decisions per second directly over gRPC (envoy.service.ratelimit.v3).

    python -m tools.bench_ratelimit --target 127.0.0.1:50054 --seconds 5 --concurrency 32
    python -m tools.bench_ratelimit --standalone       # own Redis + in-process RateLimitService

From `make bench` (tools/bench.py)::

    from tools.bench_ratelimit import bench_rate_limit_decisions
    rate, median_ms = await bench_rate_limit_decisions(stack.target("session"), seconds, concurrency)

Every call is one ShouldRateLimit with the descriptor the gateway sends for a login (group,
client address, host, credential): one Redis round trip with three budgets. Client
addresses rotate so that most decisions are "allowed" (the same work as "limited").
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from envoy.service.ratelimit.v3 import rls_pb2, rls_pb2_grpc
from grpc import aio


def decision_request(group: str, ip: str, host: str = "bench.localhost", credential: str = "") -> Any:
    request = rls_pb2.RateLimitRequest(domain="binoauth", hits_addend=1)
    descriptor = request.descriptors.add()
    entries = [("group", group), ("remote_address", ip), ("host", host)]
    if credential:
        entries.append(("credential", credential))
    for key, value in entries:
        entry = descriptor.entries.add()
        entry.key, entry.value = key, value
    return request


async def bench_rate_limit_decisions(
    target: str, seconds: float = 5.0, concurrency: int = 32, group: str = "login",
) -> tuple[float, float]:
    """(decisions per second, median latency in ms) of `concurrency` closed-loop callers."""
    counter = itertools.count()
    latencies: list[float] = []
    async with aio.insecure_channel(target) as channel:
        stub = rls_pb2_grpc.RateLimitServiceStub(channel)
        await stub.ShouldRateLimit(decision_request(group, "192.0.2.1"), timeout=5)  # warm up
        deadline = time.perf_counter() + seconds

        async def worker() -> None:
            while time.perf_counter() < deadline:
                n = next(counter)
                request = decision_request(group, f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
                                           credential=f"Bearer bench-{n}")
                started = time.perf_counter()
                await stub.ShouldRateLimit(request, timeout=5)
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return len(latencies) / elapsed, statistics.median(latencies) * 1000


async def _standalone(seconds: float, concurrency: int) -> tuple[float, float]:
    from prometheus_client import CollectorRegistry

    from services.common.redis import create_redis
    from services.session.ratelimit import build_rate_limiting
    from tools.devstack import RedisServer

    with tempfile.TemporaryDirectory(prefix="binoauth-bench-rl-") as folder:
        redis_server = RedisServer(Path(folder) / "redis", persistent=False)
        redis_server.start()
        redis = create_redis(redis_server.url)
        server = aio.server()
        try:
            _servicer, register = build_rate_limiting(redis, None, CollectorRegistry(), "localhost")
            register(server)
            port = server.add_insecure_port("127.0.0.1:0")
            await server.start()
            return await bench_rate_limit_decisions(f"127.0.0.1:{port}", seconds, concurrency)
        finally:
            await server.stop(None)
            await redis.aclose()
            redis_server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench_ratelimit", description=__doc__.split("\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--target", help="host:port of a running session service")
    where.add_argument("--standalone", action="store_true", help="own Redis and in-process service")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--group", default="login")
    args = parser.parse_args(argv)
    if args.standalone:
        rate, median = asyncio.run(_standalone(args.seconds, args.concurrency))
    else:
        rate, median = asyncio.run(bench_rate_limit_decisions(args.target, args.seconds, args.concurrency,
                                                              args.group))
    print(f"rate-limit decisions: {rate:,.0f}/s, median {median:.2f} ms "
          f"(concurrency {args.concurrency}, {args.seconds:g} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
