"""Folding pending counts into day and hour rows, and answering a range: pure functions.

Every count lands in four rows: the tenant's hour and day, and the platform's hour and day
(tenant_id ""), so a platform-wide range reads the platform's own rows, never every tenant's.
Active users are rows of (tenant, bucket, user); a row that is new adds 1 to the bucket's
active_users counter of the tenant and of the platform (a user belongs to one tenant, so the
platform's per-bucket figure is exact too)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from services.common.analytics import (
    ACTIVE_USERS,
    COUNTERS,
    MAX_USER_ID,
    SEPARATOR,
    TOKENS_ISSUED,
    day_of,
    hour_of,
)
from services.common.errors import InvalidArgument

HOUR = "h"
DAY = "d"
PLATFORM = ""
# The grant types every answer lists (zeros included); others appear when they were used.
GRANT_TYPES = ("client_credentials", "authorization_code", "refresh_token",
               "urn:ietf:params:oauth:grant-type:device_code")
HOURLY_WINDOW = timedelta(hours=48)
MAX_DAYS = 400
DEFAULT_DAYS = 7
DEFAULT_HOURS = 24

CountKey = tuple[str, str, datetime, str]  # tenant, granularity, bucket start, counter
ActiveRow = tuple[str, str, datetime, str]  # tenant, granularity, bucket start, user


@dataclass
class Batch:
    """What one fold takes out of Redis: counts by (tenant, hour, counter), and active users."""

    counts: Counter[tuple[str, datetime, str]] = field(default_factory=Counter)
    active: set[tuple[str, datetime, str]] = field(default_factory=set)

    def empty(self) -> bool:
        return not self.counts and not self.active


def _known_counter(counter: str) -> bool:
    if counter in COUNTERS:
        return True
    name, sep, grant = counter.partition(":")
    return name == TOKENS_ISSUED and bool(sep) and 0 < len(grant) <= 100


def parse_pending(fields: Mapping[bytes | str, bytes | str | int]) -> Batch:
    """The pending hash's fields (services/common/analytics.py); malformed ones are dropped."""
    batch = Batch()
    for raw_key, raw_value in fields.items():
        key = raw_key.decode() if isinstance(raw_key, bytes) else raw_key
        try:
            amount = int(raw_value)
            parts = key.split(SEPARATOR)
            tenant, hour = parts[0], datetime.fromtimestamp(int(parts[1]), UTC)
        except (ValueError, IndexError, OverflowError):
            continue
        if hour != hour_of(hour) or amount <= 0:
            continue
        if len(parts) == 4 and parts[2] == ACTIVE_USERS:
            if tenant and 0 < len(parts[3]) <= MAX_USER_ID:
                batch.active.add((tenant, hour, parts[3]))
        elif len(parts) == 3 and _known_counter(parts[2]):
            batch.counts[(tenant, hour, parts[2])] += amount
    return batch


def rollup_counts(batch: Batch) -> Counter[CountKey]:
    """The increments of every row a batch's counts touch (tenant and platform, hour and day)."""
    rows: Counter[CountKey] = Counter()
    for (tenant, hour, counter), amount in batch.counts.items():
        for owner in {tenant, PLATFORM}:
            rows[(owner, HOUR, hour, counter)] += amount
            rows[(owner, DAY, day_of(hour), counter)] += amount
    return rows


def active_rows(batch: Batch) -> set[ActiveRow]:
    rows: set[ActiveRow] = set()
    for tenant, hour, user in batch.active:
        rows.add((tenant, HOUR, hour, user))
        rows.add((tenant, DAY, day_of(hour), user))
    return rows


def active_increments(new_rows: Iterable[ActiveRow]) -> Counter[CountKey]:
    """active_users increments for the (tenant, bucket, user) rows that did not exist yet."""
    rows: Counter[CountKey] = Counter()
    for tenant, granularity, bucket, _user in new_rows:
        rows[(tenant, granularity, bucket, ACTIVE_USERS)] += 1
        rows[(PLATFORM, granularity, bucket, ACTIVE_USERS)] += 1
    return rows


# --- answering a range ----------------------------------------------------------------------
@dataclass(frozen=True)
class Range:
    granularity: str  # HOUR or DAY
    start: datetime  # aligned to the granularity
    end: datetime  # exclusive, as asked
    buckets: tuple[datetime, ...]

    @property
    def name(self) -> str:
        return "HOUR" if self.granularity == HOUR else "DAY"


def _bad(message: str, field_name: str) -> InvalidArgument:
    return InvalidArgument(message, reason="INVALID_ANALYTICS_RANGE", details={"field": field_name})


def plan_range(granularity: str, start: datetime | None, end: datetime | None, now: datetime) -> Range:
    """Validates a request's range and lists its buckets (400 with details.field otherwise)."""
    name = (granularity or "DAY").strip().upper()
    if name not in ("DAY", "HOUR"):
        raise _bad("granularity must be DAY or HOUR", "granularity")
    hourly = name == "HOUR"
    end = end or now
    if end > now + timedelta(days=1):
        raise _bad("end_time must not be more than a day in the future", "end_time")
    start = start or end - (timedelta(hours=DEFAULT_HOURS) if hourly else timedelta(days=DEFAULT_DAYS))
    if start >= end:
        raise _bad("start_time must be before end_time", "start_time")
    if hourly and start < hour_of(now) - HOURLY_WINDOW:
        raise _bad("HOUR granularity covers the last 48 hours only: use DAY for older ranges", "start_time")
    step = timedelta(hours=1) if hourly else timedelta(days=1)
    first = hour_of(start) if hourly else day_of(start)
    if not hourly and end - first > timedelta(days=MAX_DAYS):
        raise _bad(f"a DAY range covers at most {MAX_DAYS} days", "start_time")
    buckets: list[datetime] = []
    cursor = first
    while cursor < end:
        buckets.append(cursor)
        cursor += step
    return Range(HOUR if hourly else DAY, first, end, tuple(buckets))


@dataclass(frozen=True)
class Counters:
    sign_ins_succeeded: int = 0
    sign_ins_failed: int = 0
    sign_ups: int = 0
    active_users: int = 0
    tokens_issued: Mapping[str, int] = field(default_factory=dict)
    lockouts: int = 0
    rate_limited: int = 0


@dataclass(frozen=True)
class Report:
    range: Range
    buckets: tuple[tuple[datetime, Counters], ...]
    totals: Counters
    monthly_active_users: int


def _counters(values: Mapping[str, int], grant_types: Iterable[str]) -> Counters:
    tokens = {g: 0 for g in grant_types}
    for name, value in values.items():
        if name.startswith(TOKENS_ISSUED + ":"):
            tokens[name.split(":", 1)[1]] = value
    return Counters(
        sign_ins_succeeded=values.get("sign_ins_succeeded", 0), sign_ins_failed=values.get("sign_ins_failed", 0),
        sign_ups=values.get("sign_ups", 0), active_users=values.get(ACTIVE_USERS, 0), tokens_issued=tokens,
        lockouts=values.get("lockouts", 0), rate_limited=values.get("rate_limited", 0))


def assemble(span: Range, rows: Iterable[tuple[datetime, str, int]], distinct_users: int,
             monthly_active_users: int) -> Report:
    """Every bucket of the range (zeros included) from the stored (bucket, counter, value) rows;
    the totals sum the buckets, but active users, which are counted distinct over the range."""
    per_bucket: dict[datetime, Counter[str]] = {b: Counter() for b in span.buckets}
    grant_types = list(GRANT_TYPES)
    for bucket, counter, value in rows:
        if bucket in per_bucket:
            per_bucket[bucket][counter] += value
        if counter.startswith(TOKENS_ISSUED + ":") and counter.split(":", 1)[1] not in grant_types:
            grant_types.append(counter.split(":", 1)[1])
    total: Counter[str] = Counter()
    for values in per_bucket.values():
        total.update(values)
    total[ACTIVE_USERS] = distinct_users
    return Report(
        range=span,
        buckets=tuple((b, _counters(per_bucket[b], grant_types)) for b in span.buckets),
        totals=_counters(total, grant_types),
        monthly_active_users=monthly_active_users,
    )
