"""The analytics rollup on fakes: pending counts → tenant and platform rows, folds applied once,
ranges validated, reports with every bucket, and who may read what."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.common.analytics import PENDING_KEY, RedisAnalytics, pending_field
from services.common.auth import Principal, PrincipalKind
from services.common.errors import InvalidArgument, NotFound, PermissionDenied
from services.identity.analytics.folding import BATCHES_KEY, AnalyticsFolder
from services.identity.analytics.queries import AnalyticsQueries
from services.identity.analytics.rollup import (
    DAY,
    GRANT_TYPES,
    HOUR,
    ActiveRow,
    CountKey,
    active_increments,
    active_rows,
    assemble,
    parse_pending,
    plan_range,
    rollup_counts,
)

pytestmark = pytest.mark.unit

NOW = datetime(2030, 3, 10, 15, 30, tzinfo=UTC)
H = datetime(2030, 3, 10, 15, tzinfo=UTC)
D = datetime(2030, 3, 10, tzinfo=UTC)


def test_counts_land_in_tenant_and_platform_hour_and_day_rows() -> None:
    batch = parse_pending({
        pending_field("acme", H, "sign_ins_succeeded").encode(): b"3",
        pending_field("globex", H, "sign_ins_succeeded"): "2",
        pending_field("acme", H, "tokens_issued:client_credentials"): 5,
        pending_field("", H, "rate_limited"): 1,  # no tenant: platform-wide only
        pending_field("acme", H, "active_users", "usr_1"): 2,
        pending_field("acme", H, "no_such_counter"): 9,  # dropped
        "garbage": 1,
        pending_field("acme", H + timedelta(minutes=1), "sign_ups"): 1,  # not an hour: dropped
    })
    rows = rollup_counts(batch)
    assert rows[("acme", HOUR, H, "sign_ins_succeeded")] == 3
    assert rows[("acme", DAY, D, "sign_ins_succeeded")] == 3
    assert rows[("", HOUR, H, "sign_ins_succeeded")] == 5
    assert rows[("", DAY, D, "sign_ins_succeeded")] == 5
    assert rows[("", DAY, D, "rate_limited")] == 1  # counted once, not twice
    assert rows[("acme", DAY, D, "tokens_issued:client_credentials")] == 5
    assert not any(k[3] in ("no_such_counter", "sign_ups") for k in rows)
    assert active_rows(batch) == {("acme", HOUR, H, "usr_1"), ("acme", DAY, D, "usr_1")}


def test_only_new_active_rows_count_for_the_tenant_and_the_platform() -> None:
    increments = active_increments([("acme", DAY, D, "usr_1"), ("globex", DAY, D, "usr_9")])
    assert increments == Counter({("acme", DAY, D, "active_users"): 1, ("globex", DAY, D, "active_users"): 1,
                                  ("", DAY, D, "active_users"): 2})


class FakeRedis:
    """The handful of commands the recorder and the fold use, in memory."""

    def __init__(self) -> None:
        self.hashes: dict[str, Counter[str]] = {}
        self.sets: dict[str, set[str]] = {}
        self.hlls: dict[str, set[str]] = {}

    def pipeline(self, transaction: bool = True) -> FakeRedis:
        return self

    def hincrby(self, name: str, key: str, amount: int = 1) -> None:
        self.hashes.setdefault(name, Counter())[key] += amount

    def pfadd(self, name: str, *values: str) -> None:
        self.hlls.setdefault(name, set()).update(values)

    def expire(self, name: str, time: timedelta) -> None:
        return None

    async def execute(self) -> None:
        return None

    async def eval(self, _script: str, _n: int, pending: str, batch: str, batches: str) -> int:
        if pending not in self.hashes:
            return 0
        self.hashes[batch] = self.hashes.pop(pending)
        self.sets.setdefault(batches, set()).add(batch)
        return 1

    async def smembers(self, name: str) -> set[bytes]:
        return {m.encode() for m in self.sets.get(name, set())}

    async def hgetall(self, name: str) -> dict[bytes, bytes]:
        return {k.encode(): str(v).encode() for k, v in self.hashes.get(name, Counter()).items()}

    async def delete(self, name: str) -> None:
        self.hashes.pop(name, None)

    async def srem(self, name: str, member: str) -> None:
        self.sets.get(name, set()).discard(member)

    async def get(self, name: str) -> bytes | None:
        return ("|".join(sorted(self.hlls[name]))).encode() if name in self.hlls else None


class FakeStore:
    """Applies batches like PgAnalyticsStore: once per batch id, active rows deduplicated."""

    def __init__(self) -> None:
        self.counts: Counter[CountKey] = Counter()
        self.active: set[ActiveRow] = set()
        self.batches: set[str] = set()
        self.hlls: dict[tuple[str, datetime], bytes] = {}
        self.fail_after_apply = False

    async def apply(self, batch_id: str, counts: Counter[CountKey], active: set[ActiveRow], now: datetime) -> bool:
        if batch_id in self.batches:
            return False
        self.batches.add(batch_id)
        new = active - self.active
        self.active |= new
        self.counts.update(counts)
        self.counts.update(active_increments(new))
        if self.fail_after_apply:  # committed, then the replica dies before cleaning Redis up
            raise ConnectionError("replica died")
        return True

    async def save_hll(self, granularity: str, bucket: datetime, registers: bytes) -> None:
        self.hlls[(granularity, bucket)] = registers

    async def prune(self, now: datetime) -> None:
        return None


async def test_recorded_events_fold_into_rows_once_even_after_a_crash_mid_fold() -> None:
    redis, store = FakeRedis(), FakeStore()
    counts = RedisAnalytics(redis, clock=lambda: NOW)
    folder = AnalyticsFolder(redis, store, clock=lambda: NOW)
    for _ in range(3):
        await counts.count("acme", "sign_ins_succeeded")
        await counts.active("acme", "usr_1")
    await counts.count("acme", "tokens_issued:refresh_token", 2)
    await counts.flush()
    store.fail_after_apply = True
    with pytest.raises(ConnectionError):
        await folder.fold()
    assert redis.sets[BATCHES_KEY]  # the batch is still listed in Redis
    store.fail_after_apply = False
    await counts.count("acme", "sign_ins_succeeded")  # a new event meanwhile
    await counts.active("acme", "usr_2")
    await counts.flush()
    await folder.fold()  # re-reads the old batch (already applied: skipped) and folds the new one
    assert not redis.sets[BATCHES_KEY] and PENDING_KEY not in redis.hashes
    assert store.counts[("acme", DAY, D, "sign_ins_succeeded")] == 4
    assert store.counts[("", DAY, D, "sign_ins_succeeded")] == 4
    assert store.counts[("acme", HOUR, H, "tokens_issued:refresh_token")] == 2
    assert store.counts[("acme", DAY, D, "active_users")] == 2  # usr_1 three times: one active user
    assert store.counts[("", HOUR, H, "active_users")] == 2
    assert (DAY, D) in store.hlls and (HOUR, H) in store.hlls
    assert await folder.fold() == 0  # nothing pending: nothing applied


@pytest.mark.parametrize(("granularity", "start", "end", "field"), [
    ("WEEK", None, None, "granularity"),
    ("DAY", NOW, NOW - timedelta(days=1), "start_time"),
    ("HOUR", NOW - timedelta(hours=72), None, "start_time"),
    ("DAY", NOW - timedelta(days=500), None, "start_time"),
    ("DAY", None, NOW + timedelta(days=3), "end_time"),
])
def test_bad_ranges_name_their_field(granularity: str, start: datetime | None, end: datetime | None,
                                     field: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        plan_range(granularity, start, end, NOW)
    assert caught.value.details["field"] == field


def test_ranges_list_every_bucket() -> None:
    days = plan_range("", None, None, NOW)
    assert days.name == "DAY" and len(days.buckets) == 8  # 7 days back from mid-day: 8 partial days
    assert days.buckets[0] == D - timedelta(days=7) and days.buckets[-1] == D
    hours = plan_range("hour", NOW - timedelta(hours=47), NOW, NOW)
    assert hours.name == "HOUR" and len(hours.buckets) == 48 and hours.buckets[-1] == H


def test_reports_have_zeros_every_grant_type_and_distinct_totals() -> None:
    span = plan_range("DAY", D - timedelta(days=2), NOW, NOW)
    report = assemble(span, [(D, "sign_ins_succeeded", 3), (D - timedelta(days=2), "sign_ins_succeeded", 1),
                             (D, "tokens_issued:urn:ietf:params:oauth:grant-type:token-exchange", 1),
                             (D, "active_users", 2), (D - timedelta(days=2), "active_users", 2)],
                      distinct_users=3, monthly_active_users=7)
    assert [b for b, _ in report.buckets] == [D - timedelta(days=2), D - timedelta(days=1), D]
    assert report.buckets[1][1].sign_ins_succeeded == 0
    assert set(report.buckets[1][1].tokens_issued) == {*GRANT_TYPES,
                                                       "urn:ietf:params:oauth:grant-type:token-exchange"}
    assert report.totals.sign_ins_succeeded == 4
    assert report.totals.active_users == 3  # distinct over the range, not 2 + 2
    assert report.monthly_active_users == 7


class ReportStore:
    async def counts(self, tenant_id: str, granularity: str, start: datetime, end: datetime) -> list[Any]:
        return [(D, "sign_ups", 1 if tenant_id else 10)]

    async def distinct_users(self, tenant_id: str, granularity: str, start: datetime, end: datetime) -> int:
        return 1

    async def distinct_users_by_day(self, tenant_id: str, start: datetime, month_start: datetime,
                                    end: datetime) -> tuple[int, int]:
        return 1, 1

    async def load_hlls(self, granularity: str, buckets: list[datetime]) -> dict[datetime, bytes]:
        return {}


class Platform:
    async def count(self, granularity: str, buckets: list[datetime]) -> int:
        return 42


async def _exists(tenant_id: str) -> bool:
    return tenant_id in ("acme", "globex")


def principal(tenant_id: str, *scopes: str) -> Principal:
    return Principal("adm_1", PrincipalKind.ADMIN_USER, tenant_id, frozenset(scopes or {"analytics:read"}))


async def test_who_may_read_which_analytics() -> None:
    queries = AnalyticsQueries(ReportStore(), Platform(), _exists, clock=lambda: NOW)  # type: ignore[arg-type]
    platform = await queries.report(principal(""), "", "DAY", None, None)
    assert platform.totals.sign_ups == 10 and platform.totals.active_users == 42
    assert (await queries.report(principal("acme"), "acme", "DAY", None, None)).totals.sign_ups == 1
    with pytest.raises(PermissionDenied):
        await queries.report(principal("acme"), "globex", "DAY", None, None)
    with pytest.raises(PermissionDenied):
        await queries.report(principal("acme"), "", "DAY", None, None)
    with pytest.raises(PermissionDenied):
        await queries.report(principal("", "users:read"), "acme", "DAY", None, None)
    with pytest.raises(NotFound):
        await queries.report(principal(""), "initech", "DAY", None, None)
