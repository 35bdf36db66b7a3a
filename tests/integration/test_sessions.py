"""Sessions and token revocation against real PostgreSQL and Redis, with a controllable clock."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest
import redis.asyncio as aioredis

from services.common.cookies import SESSION_COOKIE
from services.common.db import create_pool
from services.common.directory import TenantInfo
from services.common.errors import NotFound
from services.common.migrations import MigrationRunner
from services.common.redis import create_redis
from services.common.tenancy import TenantSelection
from services.session.live import RedisLiveState, tenant_nbf_key, user_nbf_key
from services.session.store import PgRevocationStore, PgSessionStore
from services.session.usecases import Revocation, Sessions
from tools.devstack import PostgresServer, RedisServer

pytestmark = pytest.mark.integration

MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "session" / "migrations"
IDLE, ABSOLUTE = 1800, 12 * 3600


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class FakeTenants:
    """In-memory stand-in for the tenant directory (our own port)."""

    def __init__(self, *tenant_ids: str) -> None:
        self.active = set(tenant_ids)

    def info(self, tenant_id: str) -> TenantInfo:
        return TenantInfo(tenant_id, tenant_id, tenant_id in self.active, False, "", {
            "sessions": {"idle_timeout_seconds": IDLE, "absolute_lifetime_seconds": ABSOLUTE}})

    async def lookup(self, tenant_id: str = "", host: str = "") -> TenantInfo | None:
        return self.info(tenant_id) if tenant_id in self.active else None

    async def select(self, candidates: list[TenantSelection]) -> TenantInfo:
        for candidate in candidates:
            if candidate.tenant_id in self.active:
                return self.info(candidate.tenant_id)
        raise NotFound("no such tenant", reason="TENANT_NOT_FOUND")


class Counting:
    def __init__(self) -> None:
        self.events: list[str] = []

    def created(self) -> None:
        self.events.append("created")

    def revoked(self, reason: str, count: int = 1) -> None:
        self.events.append(f"revoked:{reason}:{count}")

    def token_checked(self, revoked: bool) -> None:
        self.events.append(f"checked:{revoked}")


@dataclass
class World:
    sessions: Sessions
    revocation: Revocation
    clock: Clock
    redis: aioredis.Redis
    pool: asyncpg.Pool
    tenants: FakeTenants


@pytest.fixture
async def world(postgres: PostgresServer, redis_server: RedisServer) -> AsyncIterator[World]:
    pool = await create_pool(postgres.create_database(f"sess_{secrets.token_hex(3)}"))
    client = create_redis(redis_server.url)
    await client.flushall()
    runner = MigrationRunner(pool, "session", MIGRATIONS)
    await runner.migrate_shared()
    for tenant in ("acme", "globex"):
        await runner.migrate_tenant(tenant)
    clock, tenants, metrics = Clock(), FakeTenants("acme", "globex"), Counting()
    live = RedisLiveState(client)
    revocation = Revocation(live, PgRevocationStore(pool), runner, metrics, clock)
    sessions = Sessions(live, PgSessionStore(pool), revocation, tenants, metrics, clock)
    yield World(sessions, revocation, clock, client, pool, tenants)
    await client.flushall()
    await client.aclose()
    await pool.close()


async def test_create_and_validate_stores_only_a_hash(world: World) -> None:
    session, secret = await world.sessions.create("acme", "user-1", ["pwd", "otp"], None, "10.0.0.1", "ua")
    assert len(secret) >= 43  # 256 bits, url-safe
    assert session.session_id.startswith("ses_") and secret not in session.session_id
    world.clock.advance(60)
    validated = await world.sessions.validate("acme", secret)
    assert validated.session_id == session.session_id and validated.amr == ("pwd", "otp")
    assert validated.last_seen_time == world.clock.now
    async with world.pool.acquire() as conn:
        row = await conn.fetchrow('SELECT * FROM "session_t_acme".sessions')
    assert secret.encode() not in b"".join(str(v).encode() for v in row.values())
    assert all(secret.encode() not in key for key in await world.redis.keys("*"))


async def test_idle_and_absolute_expiry(world: World) -> None:
    _, idle_secret = await world.sessions.create("acme", "user-1", ["pwd"], None, "", "")
    world.clock.advance(IDLE - 10)
    await world.sessions.validate("acme", idle_secret)  # activity keeps it alive
    world.clock.advance(IDLE + 1)
    with pytest.raises(NotFound):
        await world.sessions.validate("acme", idle_secret)

    _, busy_secret = await world.sessions.create("acme", "user-1", ["pwd"], None, "", "")
    for _ in range(ABSOLUTE // (IDLE // 2) - 1):
        world.clock.advance(IDLE // 2)
        await world.sessions.validate("acme", busy_secret)
    world.clock.advance(IDLE // 2 + 1)
    with pytest.raises(NotFound):
        await world.sessions.validate("acme", busy_secret)  # absolute lifetime over, however busy


async def test_revoke_one_and_all_but_current(world: World) -> None:
    created = [await world.sessions.create("acme", "user-1", ["pwd"], None, "", "") for _ in range(3)]
    other_user = await world.sessions.create("acme", "user-2", ["pwd"], None, "", "")
    (first, first_secret), (current, current_secret), (_, third_secret) = created
    assert await world.sessions.revoke("acme", first.session_id) is True
    assert await world.sessions.revoke("acme", first.session_id) is False  # idempotent
    with pytest.raises(NotFound):
        await world.sessions.validate("acme", first_secret)
    assert await world.sessions.revoke_user("acme", "user-1", except_session_id=current.session_id) == 1
    await world.sessions.validate("acme", current_secret)
    with pytest.raises(NotFound):
        await world.sessions.validate("acme", third_secret)
    await world.sessions.validate("acme", other_user[1])  # another user is untouched
    assert [s.session_id for s in await world.sessions.list_for_user("acme", "user-1")] == [current.session_id]
    # Someone else's session id is not revocable through another user's identity.
    assert await world.sessions.revoke("acme", other_user[0].session_id, user_id="user-1") is False


async def test_redis_flush_neither_resurrects_revoked_nor_signs_anyone_out(world: World) -> None:
    (_, live_secret), (revoked, revoked_secret) = [
        await world.sessions.create("acme", "user-1", ["pwd"], None, "", "") for _ in range(2)]
    await world.sessions.revoke("acme", revoked.session_id)
    await world.revocation.revoke_token("acme", "jti-1", world.clock.now + timedelta(minutes=10))
    await world.redis.flushall()
    assert (await world.sessions.validate("acme", live_secret)).user_id == "user-1"
    with pytest.raises(NotFound):
        await world.sessions.validate("acme", revoked_secret)
    issued = world.clock.now - timedelta(seconds=5)
    assert await world.revocation.is_revoked("acme", "jti-1", "user-1", issued) is True
    assert await world.revocation.is_revoked("acme", "jti-2", "user-1", issued) is False


async def test_token_deny_list_and_not_before(world: World) -> None:
    now = world.clock.now
    await world.revocation.revoke_token("acme", "jti-x", now + timedelta(minutes=5))
    assert await world.revocation.is_revoked("acme", "jti-x", "u", now) is True
    assert await world.revocation.is_revoked("globex", "jti-x", "u", now) is False  # per tenant
    ttl = await world.redis.ttl(b"binoauth:revoked-jti:acme:jti-x")
    assert 0 < ttl <= 301  # lives as long as the token could

    old_token_iat = now - timedelta(minutes=1)
    await world.sessions.revoke_user("acme", "user-9")
    assert await world.revocation.is_revoked("acme", "any", "user-9", old_token_iat) is True
    assert await world.revocation.is_revoked("acme", "any", "user-8", old_token_iat) is False
    world.clock.advance(5)
    assert await world.revocation.is_revoked("acme", "any", "user-9", world.clock.now) is False

    _, before = await world.sessions.create("acme", "user-5", ["pwd"], None, "", "")
    world.clock.advance(5)
    await world.revocation.revoke_tenant("acme")
    assert await world.revocation.is_revoked("acme", "any", "user-5", world.clock.now - timedelta(seconds=1))
    with pytest.raises(NotFound):
        await world.sessions.validate("acme", before)  # the tenant's sessions ended with it
    world.clock.advance(5)
    _, after = await world.sessions.create("acme", "user-5", ["pwd"], None, "", "")
    await world.sessions.validate("acme", after)
    await world.redis.flushall()  # the tenant's not-before survives in PostgreSQL
    with pytest.raises(NotFound):
        await world.sessions.validate("acme", before)


async def test_sessions_and_keys_are_tenant_isolated(world: World) -> None:
    _, secret = await world.sessions.create("acme", "b:c", ["pwd"], None, "", "")
    with pytest.raises(NotFound):
        await world.sessions.validate("globex", secret)
    assert user_nbf_key("a", "b:c") != user_nbf_key("a:b", "c")
    assert tenant_nbf_key("a") != user_nbf_key("a", "")
    await world.sessions.revoke_user("acme", "b:c")
    assert await world.revocation.is_revoked("acme", "", "b", world.clock.now - timedelta(minutes=1)) is False


async def test_inactive_tenant_sessions_do_not_validate(world: World) -> None:
    _, secret = await world.sessions.create("globex", "user-1", ["pwd"], None, "", "")
    world.tenants.active.discard("globex")
    with pytest.raises(NotFound):
        await world.sessions.validate("globex", secret)
    assert SESSION_COOKIE == "binoauth_session"


async def test_one_read_answers_loaded_denied_and_the_latest_not_before(world: World) -> None:
    """read_revocation (the token service's and CheckToken's read) in every shape it is asked:
    with and without a jti or a user, before and after the deny-list is loaded."""
    live = RedisLiveState(world.redis)
    now = world.clock.now
    assert await live.check_token("acme", "jti-1", "user-1") == (False, False, None)
    await live.mark_loaded()
    assert await live.check_token("acme", "jti-1", "user-1") == (True, False, None)
    await live.deny_jti("acme", "jti-1", now + timedelta(minutes=5), now)
    await live.set_tenant_not_before("acme", now - timedelta(hours=1))
    assert await live.check_token("acme", "jti-1", "user-1") == (True, True, now - timedelta(hours=1))
    await live.set_user_not_before("acme", "user-1", now)
    assert await live.check_token("acme", "jti-1", "user-1") == (True, True, now)
    assert await live.check_token("acme", "", "user-1") == (True, False, now)
    assert await live.check_token("acme", "jti-1", "") == (True, True, now - timedelta(hours=1))
    assert await live.check_token("acme", "jti-2", "user-2") == (True, False, now - timedelta(hours=1))
    assert await live.check_token("globex", "jti-1", "user-1") == (True, False, None)  # another tenant's keys
