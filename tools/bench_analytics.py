"""Analytics queries of 30 days with 10,000 tenants' rows stored (for `make bench`; the
issue's target is 50 ms p50). The rows are written straight into PostgreSQL: what is measured
is the query, which reads one tenant's (or the platform rollup's) rows whatever the count."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx

from tools.bench_support import closed_loop
from tools.stack import Stack

TENANTS = 10_000
DAYS = 30
COUNTERS = ("sign_ins_succeeded", "sign_ins_failed", "tokens_issued:client_credentials")


async def _seed(database_url: str) -> None:
    first = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=DAYS - 1)
    conn = await asyncpg.connect(database_url)
    try:
        # Tenant ids that do not exist: the platform key is refused nothing, and the store does not care.
        await conn.execute(
            "INSERT INTO identity.analytics_counts (tenant_id, granularity, bucket_start, counter, value) "
            "SELECT 'bench-' || t, 'd', $1::timestamptz + d * interval '1 day', c, 1 "
            "FROM generate_series(1, $2) t, generate_series(0, $3 - 1) d, unnest($4::text[]) c "
            "ON CONFLICT DO NOTHING", first, TENANTS, DAYS, list(COUNTERS))
        await conn.execute(
            "INSERT INTO identity.analytics_counts (tenant_id, granularity, bucket_start, counter, value) "
            "SELECT '', 'd', $1::timestamptz + d * interval '1 day', c, $2 "
            "FROM generate_series(0, $3 - 1) d, unnest($4::text[]) c "
            "ON CONFLICT (tenant_id, granularity, bucket_start, counter) DO UPDATE SET value = excluded.value",
            first, TENANTS, DAYS, list(COUNTERS))
        await conn.execute("ANALYZE identity.analytics_counts")
    finally:
        await conn.close()


def bench_analytics(stack: Stack, seconds: float, concurrency: int) -> list[tuple[str, float, float]]:
    asyncio.run(_seed(stack.database_url))
    headers = {"Authorization": f"Bearer {stack.bootstrap_api_key}"}
    start = (datetime.now(UTC) - timedelta(days=DAYS)).isoformat().replace("+00:00", "Z")
    # A tenant the directory knows (bench.py creates "bench"), and the platform rollup.
    rows: list[tuple[str, float, float]] = []
    for name, path in (("one tenant", "/api/v1/tenants/bench/analytics"), ("platform-wide", "/api/v1/analytics")):
        def query(client: httpx.Client, _n: int, path: str = path) -> bool:
            response = client.get(f"{stack.gateway_url}{path}", headers=headers, params={"start_time": start})
            return response.status_code == 200

        rate, median, failures = closed_loop(query, seconds, min(concurrency, 8))
        print(f"analytics, 30 days, {TENANTS} tenants stored, {name}: {rate:.0f}/s, p50 {median:.1f} ms "
              f"({failures} failed)")
        rows.append((f"analytics 30 days, {name} ({TENANTS} tenants)", rate, median))
    return rows
