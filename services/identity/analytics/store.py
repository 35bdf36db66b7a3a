"""PostgreSQL storage of the analytics counters (tables in the identity service's shared schema)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import asyncpg

from services.identity.analytics.rollup import DAY, HOUR, ActiveRow, CountKey, active_increments

COUNTS = "identity.analytics_counts"
ACTIVE = "identity.analytics_active_users"
HLL = "identity.analytics_platform_hll"
BATCHES = "identity.analytics_batches"
HOUR_ROWS_KEPT = timedelta(hours=72)
DAY_ROWS_KEPT = timedelta(days=400)
BATCHES_KEPT = timedelta(days=1)


class PgAnalyticsStore:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def apply(self, batch_id: str, counts: Counter[CountKey], active: set[ActiveRow], now: datetime) -> bool:
        """Adds a batch in one transaction; False (and nothing changes) if it was applied before."""
        async with self._pool.acquire() as conn, conn.transaction():
            fresh = await conn.fetchval(
                f"INSERT INTO {BATCHES} (batch_id, fold_time) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1",
                batch_id, now)
            if fresh is None:
                return False
            increments = Counter(counts)
            if active:
                ordered = sorted(active)
                new_rows = await conn.fetch(
                    f"INSERT INTO {ACTIVE} (tenant_id, granularity, bucket_start, user_id) "
                    "SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[]) "
                    "ON CONFLICT DO NOTHING RETURNING tenant_id, granularity, bucket_start, user_id",
                    [r[0] for r in ordered], [r[1] for r in ordered], [r[2] for r in ordered],
                    [r[3] for r in ordered])
                increments.update(active_increments(
                    (r["tenant_id"], r["granularity"], r["bucket_start"], r["user_id"]) for r in new_rows))
            if increments:
                # Sorted: two replicas folding at once lock rows in one order (no deadlock).
                keys = sorted(increments)
                await conn.execute(
                    f"INSERT INTO {COUNTS} (tenant_id, granularity, bucket_start, counter, value) "
                    "SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::bigint[]) "
                    "ON CONFLICT (tenant_id, granularity, bucket_start, counter) "
                    f"DO UPDATE SET value = {COUNTS}.value + excluded.value",
                    [k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys], [k[3] for k in keys],
                    [increments[k] for k in keys])
        return True

    async def counts(self, tenant_id: str, granularity: str, start: datetime,
                     end: datetime) -> list[tuple[datetime, str, int]]:
        rows = await self._pool.fetch(
            f"SELECT bucket_start, counter, value FROM {COUNTS} WHERE tenant_id = $1 AND granularity = $2 "
            "AND bucket_start >= $3 AND bucket_start < $4", tenant_id, granularity, start, end)
        return [(r["bucket_start"], r["counter"], r["value"]) for r in rows]

    async def distinct_users(self, tenant_id: str, granularity: str, start: datetime, end: datetime) -> int:
        value = await self._pool.fetchval(
            f"SELECT count(DISTINCT user_id) FROM {ACTIVE} WHERE tenant_id = $1 AND granularity = $2 "
            "AND bucket_start >= $3 AND bucket_start < $4", tenant_id, granularity, start, end)
        return int(value or 0)

    async def distinct_users_by_day(self, tenant_id: str, start: datetime, month_start: datetime,
                                    end: datetime) -> tuple[int, int]:
        """Distinct users with a day row in [start, end) and in [month_start, end), exactly, in
        one scan and one hash aggregate (two count(DISTINCT) each sort the rows): both ranges
        end at `end`, so a user is in one when their latest day in it starts at or after its start."""
        row = await self._pool.fetchrow(
            "SELECT count(*) FILTER (WHERE latest >= $2) AS in_range, count(*) FILTER (WHERE latest >= $3) AS in_month "
            f"FROM (SELECT max(bucket_start) AS latest FROM {ACTIVE} WHERE tenant_id = $1 AND granularity = 'd' "
            "AND bucket_start >= least($2::timestamptz, $3::timestamptz) AND bucket_start < $4 GROUP BY user_id) u",
            tenant_id, start, month_start, end)
        return int(row["in_range"]), int(row["in_month"])

    async def save_hll(self, granularity: str, bucket: datetime, registers: bytes) -> None:
        await self._pool.execute(
            f"INSERT INTO {HLL} (granularity, bucket_start, registers) VALUES ($1, $2, $3) "
            "ON CONFLICT (granularity, bucket_start) DO UPDATE SET registers = excluded.registers",
            granularity, bucket, registers)

    async def load_hlls(self, granularity: str, buckets: list[datetime]) -> dict[datetime, bytes]:
        rows = await self._pool.fetch(
            f"SELECT bucket_start, registers FROM {HLL} "
            "WHERE granularity = $1 AND bucket_start = ANY($2::timestamptz[])",
            granularity, buckets)
        return {r["bucket_start"]: bytes(r["registers"]) for r in rows}

    async def prune(self, now: datetime) -> None:
        """Hour rows older than 72 hours, day rows older than 400 days, old batch ids."""
        async with self._pool.acquire() as conn, conn.transaction():
            for table in (COUNTS, ACTIVE):
                await conn.execute(f"DELETE FROM {table} WHERE granularity = $1 AND bucket_start < $2",
                                   HOUR, now - HOUR_ROWS_KEPT)
                await conn.execute(f"DELETE FROM {table} WHERE granularity = $1 AND bucket_start < $2",
                                   DAY, now - DAY_ROWS_KEPT)
            await conn.execute(f"DELETE FROM {HLL} WHERE granularity = $1 AND bucket_start < $2",
                               HOUR, now - HOUR_ROWS_KEPT)
            await conn.execute(f"DELETE FROM {BATCHES} WHERE fold_time < $1", now - BATCHES_KEPT)

    async def purge_tenant(self, tenant_id: str) -> None:
        """A deleted tenant's own rows (the platform's rows keep its past activity)."""
        if not tenant_id:
            return
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute(f"DELETE FROM {COUNTS} WHERE tenant_id = $1", tenant_id)
            await conn.execute(f"DELETE FROM {ACTIVE} WHERE tenant_id = $1", tenant_id)


