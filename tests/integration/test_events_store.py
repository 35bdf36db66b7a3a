"""PgEventStore on real PostgreSQL: newest-first listing with filters and a cursor that never
skips or repeats, pruning, and one tenant's schema only."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from services.common.db import create_pool
from services.common.migrations import MigrationRunner
from services.identity.bootstrap import MIGRATIONS
from services.identity.events import SecurityEvent
from services.identity.events_store import PgEventStore
from tools.devstack import PostgresServer

pytestmark = pytest.mark.integration
T0 = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.fixture
async def store(postgres: PostgresServer) -> AsyncIterator[PgEventStore]:
    pool: asyncpg.Pool = await create_pool(postgres.create_database(f"events_{secrets.token_hex(3)}"))
    runner = MigrationRunner(pool, "identity", MIGRATIONS)
    await runner.migrate_all()
    for tenant_id in ("acme", "globex"):
        await runner.migrate_tenant(tenant_id)
    yield PgEventStore(pool)
    await pool.close()


def event(n: int, kind: str = "LOGIN_SUCCEEDED", user_id: str = "usr_1", at: datetime | None = None) -> SecurityEvent:
    return SecurityEvent(f"evt_{n:04d}", kind, at or T0 + timedelta(minutes=n), user_id, "203.0.113.7", "agent",
                         "", {"method": "pwd"})


async def test_listing_filters_cursor_and_tenants(store: PgEventStore) -> None:
    for n in range(6):
        await store.add("acme", event(n, "LOGIN_FAILED" if n % 3 == 0 else "LOGIN_SUCCEEDED", f"usr_{n % 2}"))
    # Two events in the same instant: the id breaks the tie, so paging neither skips nor repeats.
    await store.add("acme", event(10, at=T0 + timedelta(hours=1)))
    await store.add("acme", event(11, at=T0 + timedelta(hours=1)))
    await store.add("globex", event(99))

    seen: list[str] = []
    after = None
    while True:
        page = await store.list("acme", user_id="", event_type="", after=after, limit=3)
        seen += [e.event_id for e in page]
        if len(page) < 3:
            break
        after = (page[-1].create_time, page[-1].event_id)
    assert seen == ["evt_0011", "evt_0010", "evt_0005", "evt_0004", "evt_0003", "evt_0002", "evt_0001", "evt_0000"]
    failed = await store.list("acme", user_id="", event_type="LOGIN_FAILED", after=None, limit=10)
    assert [e.event_id for e in failed] == ["evt_0003", "evt_0000"]
    mine = await store.list("acme", user_id="usr_1", event_type="", after=None, limit=10)
    assert {e.user_id for e in mine} == {"usr_1"} and len(mine) == 5  # evt 1, 3, 5, 10, 11
    [first] = await store.list("acme", user_id="", event_type="", after=None, limit=1)
    assert first.details == {"method": "pwd"} and first.ip_address == "203.0.113.7"
    assert [e.event_id for e in await store.list("globex", user_id="", event_type="", after=None, limit=10)] == [
        "evt_0099"]


async def test_prune_removes_only_what_is_older(store: PgEventStore) -> None:
    for n in range(4):
        await store.add("acme", event(n))
    await store.add("globex", event(0))
    assert await store.prune("acme", T0 + timedelta(minutes=2)) == 2
    remaining = await store.list("acme", user_id="", event_type="", after=None, limit=10)
    assert [e.event_id for e in remaining] == ["evt_0003", "evt_0002"]
    assert len(await store.list("globex", user_id="", event_type="", after=None, limit=10)) == 1
