"""Analytics queries of 30 days with 10,000 tenants' rows stored (issue 11's target: 50 ms p50).

`make bench` runs it after its scenarios; `make bench-analytics` (`python -m tools.bench_analytics`)
runs it alone on a stack of its own. The day rows of 10,000 tenants (and the platform rollup
of the same days) are written straight into PostgreSQL, as folding a month of real traffic
would leave them; the tenant that is queried ("bench", created through the gateway so the
directory knows it) also gets a month of active users, so its distinct-user counts (DAU over
the range and MAU) read real rows. What is measured is the query through Envoy: one tenant's
rows, or the platform's rows and HyperLogLogs, whatever the number of tenants.

Each figure is the p50 of sequential requests (latency: the target) and the rate and p50 of 8
concurrent clients (throughput; its p50 is mostly queueing on 2 cores). Bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx

from tools.bench_support import closed_loop
from tools.stack import Stack, StackConfig

TENANTS = 10_000
DAYS = 30
COUNTERS = ("sign_ins_succeeded", "sign_ins_failed", "sign_ups", "active_users", "lockouts", "rate_limited",
            "tokens_issued:client_credentials", "tokens_issued:authorization_code", "tokens_issued:refresh_token")
QUERIED = "bench"
ACTIVE_PER_DAY = 1_000  # the queried tenant's distinct active users per day (of a pool of 5,000)


async def _seed(database_url: str) -> None:
    first = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=DAYS - 1)
    conn = await asyncpg.connect(database_url)
    try:
        # Tenants that exist only as rows here: the query reads rows by tenant id, nothing else.
        await conn.execute(
            "INSERT INTO identity.analytics_counts (tenant_id, granularity, bucket_start, counter, value) "
            "SELECT 'bench-' || t, 'd', $1::timestamptz + d * interval '1 day', c, 1 + (t + d) % 7 "
            "FROM generate_series(1, $2) t, generate_series(0, $3 - 1) d, unnest($4::text[]) c "
            "ON CONFLICT DO NOTHING", first, TENANTS, DAYS, list(COUNTERS))
        for tenant, value in ((QUERIED, 100), ("", TENANTS * 4)):  # the queried tenant, the platform rollup
            await conn.execute(
                "INSERT INTO identity.analytics_counts (tenant_id, granularity, bucket_start, counter, value) "
                "SELECT $5, 'd', $1::timestamptz + d * interval '1 day', c, $2 "
                "FROM generate_series(0, $3 - 1) d, unnest($4::text[]) c "
                "ON CONFLICT (tenant_id, granularity, bucket_start, counter) DO UPDATE SET value = excluded.value",
                first, value, DAYS, list(COUNTERS), tenant)
        await conn.execute(
            "INSERT INTO identity.analytics_active_users (tenant_id, granularity, bucket_start, user_id) "
            "SELECT $1, 'd', $2::timestamptz + d * interval '1 day', 'user-' || ((d * 397 + u) % 5000) "
            "FROM generate_series(0, $3 - 1) d, generate_series(1, $4) u ON CONFLICT DO NOTHING",
            QUERIED, first, DAYS, ACTIVE_PER_DAY)
        await conn.execute("ANALYZE identity.analytics_counts")
        await conn.execute("ANALYZE identity.analytics_active_users")
    finally:
        await conn.close()


def _sequential_p50(client: httpx.Client, url: str, headers: dict[str, str], params: dict[str, str],
                    samples: int, seconds: float) -> tuple[float, int]:
    """(p50 ms, requests) of up to `samples` sequential requests within `seconds`, after two warm-ups."""
    for _ in range(2):
        client.get(url, headers=headers, params=params).raise_for_status()
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    while len(latencies) < samples and time.perf_counter() < deadline:
        started = time.perf_counter()
        client.get(url, headers=headers, params=params).raise_for_status()
        latencies.append(time.perf_counter() - started)
    return statistics.median(latencies) * 1000, len(latencies)


def bench_analytics(stack: Stack, seconds: float, concurrency: int) -> list[tuple[str, float, float]]:
    """Rows (name, requests/s, p50 ms) for `make bench`; the tenant QUERIED must exist."""
    asyncio.run(_seed(stack.database_url))
    headers = {"Authorization": f"Bearer {stack.bootstrap_api_key}"}
    start = (datetime.now(UTC) - timedelta(days=DAYS)).isoformat().replace("+00:00", "Z")
    params = {"start_time": start, "granularity": "DAY"}
    rows: list[tuple[str, float, float]] = []
    for name, path in (("one tenant", f"/api/v1/tenants/{QUERIED}/analytics"), ("platform-wide", "/api/v1/analytics")):
        url = f"{stack.gateway_url}{path}"
        with httpx.Client(timeout=60) as client:
            sequential, count = _sequential_p50(client, url, headers, params, samples=200, seconds=seconds)

        def query(client: httpx.Client, _n: int, url: str = url) -> bool:
            return client.get(url, headers=headers, params=params).status_code == 200

        rate, median, failures = closed_loop(query, seconds, min(concurrency, 8))
        print(f"analytics, 30 days, {TENANTS} tenants stored, {name}: sequential p50 {sequential:.1f} ms "
              f"({count} requests); {min(concurrency, 8)} clients: {rate:.0f}/s, p50 {median:.1f} ms "
              f"({failures} failed)", flush=True)
        rows.append((f"analytics 30 days, {name} ({TENANTS} tenants), sequential", 1000 / sequential, sequential))
        rows.append((f"analytics 30 days, {name} ({TENANTS} tenants), {min(concurrency, 8)} clients", rate, median))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench_analytics")
    parser.add_argument("--seconds", type=float, default=10.0, help="time cap of each measurement")
    parser.add_argument("--replicas", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="binoauth-bench-analytics-") as folder, Stack(StackConfig(
        data_dir=Path(folder), free_ports=True, durable=False, replicas=args.replicas, drain_seconds=0.5,
        supervise=False, extra_env={"BINOAUTH_LOG_LEVEL": "WARNING", "BINOAUTH_RATE_LIMIT_SCALE": "1000000"},
    )) as stack:
        httpx.post(f"{stack.gateway_url}/api/v1/tenants", timeout=60, json={"tenant_id": QUERIED},
                   headers={"Authorization": f"Bearer {stack.bootstrap_api_key}"}).raise_for_status()
        print(f"# make bench-analytics, {datetime.now(UTC):%Y-%m-%d}, {args.replicas} replica(s) per service\n")
        bench_analytics(stack, args.seconds, 8)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
