"""The analytics write path, fold and report on real PostgreSQL and Redis: counts recorded by
RedisAnalytics, folded by two replicas at once, read back exactly (platform HLL included), and a
Redis that lost its HyperLogLogs gets them back from PostgreSQL."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.common.analytics import RedisAnalytics, hll_key
from services.common.auth import Principal, PrincipalKind
from services.common.db import create_pool
from services.common.migrations import MigrationRunner
from services.common.redis import create_redis
from services.identity.analytics.folding import AnalyticsFolder
from services.identity.analytics.queries import AnalyticsQueries, PlatformDistinct
from services.identity.analytics.store import PgAnalyticsStore
from services.identity.bootstrap import MIGRATIONS
from tools.devstack import PostgresServer, RedisServer

pytestmark = pytest.mark.integration
PLATFORM = Principal("ak_root", PrincipalKind.API_KEY, "", frozenset({"analytics:read"}))


@pytest.fixture
async def world(postgres: PostgresServer, redis_server: RedisServer) -> AsyncIterator[dict[str, Any]]:
    pool = await create_pool(postgres.create_database(f"analytics_{secrets.token_hex(3)}"))
    await MigrationRunner(pool, "identity", MIGRATIONS).migrate_shared()
    redis = create_redis(redis_server.url)
    await redis.flushdb()
    store = PgAnalyticsStore(pool)

    async def exists(_tenant: str) -> bool:
        return True

    yield {"redis": redis, "store": store,
           "queries": AnalyticsQueries(store, PlatformDistinct(redis, store), exists)}
    await redis.aclose()
    await pool.close()


async def test_recorded_counts_fold_once_and_read_back_exactly(world: dict[str, Any]) -> None:
    redis, store, queries = world["redis"], world["store"], world["queries"]
    counts = RedisAnalytics(redis)
    for tenant, users in (("acme", 3), ("globex", 2)):
        for n in range(users):
            for _ in range(2):  # each user signs in twice: one active user
                await counts.count(tenant, "sign_ins_succeeded")
                await counts.active(tenant, f"usr_{tenant}_{n}")
        await counts.count(tenant, "tokens_issued:client_credentials", 4)
    await counts.count("", "rate_limited")
    await counts.flush()
    # Two replicas fold at the same moment: each count is applied once.
    replicas = [AnalyticsFolder(redis, store), AnalyticsFolder(redis, store)]
    await asyncio.gather(*(r.fold() for r in replicas))
    await asyncio.gather(*(r.fold() for r in replicas))
    acme = await queries.report(PLATFORM, "acme", "DAY", None, None)
    assert acme.totals.sign_ins_succeeded == 6 and acme.totals.active_users == 3
    assert acme.buckets[-1][1].active_users == 3 and acme.monthly_active_users == 3
    assert acme.totals.tokens_issued["client_credentials"] == 4 and acme.totals.rate_limited == 0
    hourly = await queries.report(PLATFORM, "acme", "HOUR", None, None)
    assert hourly.totals.sign_ins_succeeded == 6 and len(hourly.buckets) == 25
    platform = await queries.report(PLATFORM, "", "DAY", None, None)
    assert platform.totals.sign_ins_succeeded == 10 and platform.totals.rate_limited == 1
    assert platform.buckets[-1][1].active_users == 5  # exact per-day counter
    assert platform.totals.active_users == 5 and platform.monthly_active_users == 5  # HyperLogLog
    assert platform.totals.tokens_issued["client_credentials"] == 8

    # Redis loses its data: the HyperLogLogs come back from PostgreSQL.
    await redis.flushdb()
    again = await queries.report(PLATFORM, "", "DAY", None, None)
    assert again.totals.active_users == 5 and again.monthly_active_users == 5
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    assert await redis.exists(hll_key("d", today))
    await store.prune(datetime.now(UTC) + timedelta(days=5))  # hour rows go, day rows stay
    assert (await queries.report(PLATFORM, "acme", "DAY", None, None)).totals.sign_ins_succeeded == 6
    await store.purge_tenant("acme")
    assert (await queries.report(PLATFORM, "acme", "DAY", None, None)).totals.sign_ins_succeeded == 0
    assert (await queries.report(PLATFORM, "", "DAY", None, None)).totals.sign_ins_succeeded == 10


async def test_a_tenants_range_and_month_distinct_users_are_exact_from_one_query(world: dict[str, Any]) -> None:
    store, queries = world["store"], world["queries"]
    now = datetime.now(UTC)
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    active = {  # user -> days ago they were active
        "recent": [0, 3], "earlier": [20], "old": [45], "both": [1, 25], "edge": [6]}
    async with store._pool.acquire() as conn:
        await conn.executemany(
            "INSERT INTO identity.analytics_active_users (tenant_id, granularity, bucket_start, user_id) "
            "VALUES ('acme', 'd', $1, $2)",
            [(today - timedelta(days=ago), user) for user, days in active.items() for ago in days])
        await conn.execute(  # another tenant's users never count
            "INSERT INTO identity.analytics_active_users VALUES ('globex', 'd', $1, 'recent')", today)
    assert await store.distinct_users_by_day("acme", today - timedelta(days=6), today - timedelta(days=29),
                                             now) == (3, 4)  # recent, both, edge; and earlier
    assert await store.distinct_users_by_day("acme", today - timedelta(days=60), today - timedelta(days=29),
                                             now) == (5, 4)  # a range longer than the month
    # The report: the same figures as one count(DISTINCT) per range.
    week = await queries.report(PLATFORM, "acme", "DAY", today - timedelta(days=6), None)
    assert week.totals.active_users == 3 == await store.distinct_users("acme", "d", today - timedelta(days=6), now)
    assert week.monthly_active_users == 4 == await store.distinct_users("acme", "d", today - timedelta(days=29), now)
