"""External identity providers' storage on real PostgreSQL and Redis: providers round-trip
with their sealed secrets, (provider, subject) is unique, a just-in-time user and its identity
are created together or not at all, the last way to sign in stays even under parallel
unlinks, and a flow's state works once even when taken in parallel."""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime

import asyncpg
import pytest
import redis.asyncio as aioredis

from services.common.db import create_pool, in_tenant
from services.common.migrations import MigrationRunner
from services.common.outbound import OutboundPolicy
from services.common.redis import create_redis
from services.identity.bootstrap import MIGRATIONS
from services.identity.federation.flows import Flow, RedisFlows
from services.identity.federation.model import IdentityProvider, ProviderType, validate
from services.identity.federation.store import PgFederationStore
from services.identity.federation.upstream import HttpUpstream, UpstreamError
from services.identity.users import Profile, User, UserState, new_user_id
from tests.local_http import serving
from tools.devstack import PostgresServer, RedisServer

pytestmark = pytest.mark.integration
NOW = datetime(2026, 12, 4, tzinfo=UTC)


@pytest.fixture
async def pool(postgres: PostgresServer) -> AsyncIterator[asyncpg.Pool]:
    pool: asyncpg.Pool = await create_pool(postgres.create_database(f"fed_{secrets.token_hex(3)}"))
    runner = MigrationRunner(pool, "identity", MIGRATIONS)
    await runner.migrate_all()
    for tenant_id in ("acme", "globex"):
        await runner.migrate_tenant(tenant_id)
    yield pool
    await pool.close()


def user(email: str) -> User:
    return User(new_user_id(), email, True, "", False, Profile(name="Ada"), {}, UserState.ACTIVE, False, NOW, NOW)


async def test_providers_identities_and_the_last_sign_in_method(pool: asyncpg.Pool) -> None:
    store = PgFederationStore(pool)
    google = replace(validate(IdentityProvider("google", ProviderType.GOOGLE, "", client_id="c",
                                               allowed_email_domains=("example.com",),
                                               claim_mapping={"name": "nickname"})),
                     sealed_client_secret=b"\x01sealed", enabled=True, display_order=2)
    assert await store.insert_provider("acme", google, NOW)
    assert not await store.insert_provider("acme", google, NOW)
    corp = validate(IdentityProvider("corp", ProviderType.OIDC, "Corp", issuer="https://idp.example", client_id="c"))
    assert await store.insert_provider("acme", corp, NOW)
    found = await store.provider("acme", "google")
    assert found is not None and found.sealed_client_secret == b"\x01sealed" and found.scopes == google.scopes
    assert found.allowed_email_domains == ("example.com",) and found.claim_mapping == {"name": "nickname"}
    assert [p.provider_id for p in await store.providers("acme")] == ["corp", "google"]
    assert [p.provider_id for p in await store.providers("acme", enabled_only=True)] == ["google"]
    assert await store.providers("globex") == [] and await store.provider("globex", "google") is None

    ada = user("ada@example.com")
    assert await store.create_linked_user("acme", ada, "google", "sub-1", NOW)
    # Same subject again, or the same email: nothing is created, not even the user.
    assert not await store.create_linked_user("acme", user("other@example.com"), "google", "sub-1", NOW)
    assert not await store.create_linked_user("acme", user("ada@example.com"), "google", "sub-2", NOW)
    async with in_tenant(pool, "identity", "acme") as conn:
        assert await conn.fetchval("SELECT count(*) FROM users") == 1
    assert await store.linked_user("acme", "google", "sub-1") == ada.user_id
    assert await store.linked_user("globex", "google", "sub-1") is None
    assert await store.link("acme", ada.user_id, "corp", "c-1", ada.email, NOW)
    assert not await store.link("acme", ada.user_id, "corp", "c-1", ada.email, NOW)
    identities = await store.identities("acme", ada.user_id)
    assert sorted((i.provider_id, i.subject) for i in identities) == [("corp", "c-1"), ("google", "sub-1")]

    # Two identities, no password: parallel unlinks of both leave exactly one.
    for _ in range(20):
        results = await asyncio.gather(*(store.unlink("acme", ada.user_id, i.identity_id, keep_one=True)
                                         for i in identities))
        assert sorted(results) == ["last", "unlinked"], results
        kept = await store.identities("acme", ada.user_id)
        assert len(kept) == 1
        other = identities[0] if kept[0].identity_id == identities[1].identity_id else identities[1]
        assert await store.link("acme", ada.user_id, other.provider_id, other.subject, ada.email, NOW)
        identities = await store.identities("acme", ada.user_id)
    assert await store.unlink("acme", ada.user_id, "fid_missing", keep_one=True) == "missing"
    # Deleting a provider removes its identities.
    assert await store.delete_provider("acme", "corp")
    assert [i.provider_id for i in await store.identities("acme", ada.user_id)] == ["google"]
    assert not await store.delete_provider("acme", "corp")


@pytest.fixture
async def redis_client(redis_server: RedisServer) -> AsyncIterator[aioredis.Redis]:
    client = create_redis(redis_server.url)
    yield client
    await client.aclose()


async def test_a_state_works_once(redis_client: aioredis.Redis) -> None:
    flows = RedisFlows(redis_client)
    flow = Flow("corp", "h" * 64, "nonce", "verifier", "/account", 0.0, "https://x/cb")
    for _ in range(20):
        state = secrets.token_urlsafe(32)
        await flows.put("acme", state, flow)
        assert await flows.take("globex", state) is None  # another tenant's key
        taken = await asyncio.gather(*(flows.take("acme", state) for _ in range(5)))
        assert [t for t in taken if t is not None] == [flow]
    assert await flows.take("acme", "") is None and await flows.take("acme", "x" * 500) is None
    await flows.put("acme", "s", flow)
    assert await flows.purge_tenant("acme") == 1 and await flows.take("acme", "s") is None


async def test_discovery_goes_through_the_outbound_policy_and_is_cached() -> None:
    hits: list[str] = []

    def route(path: str) -> tuple[int, bytes, dict[str, str]]:
        hits.append(path)
        return 200, json.dumps({"issuer": "x"}).encode(), {"Cache-Control": "public, max-age=120"}

    with serving(route) as port:
        issuer = f"http://127.0.0.1:{port}/realm"
        upstream = HttpUpstream(OutboundPolicy(allow_private=True, timeout_seconds=2))
        assert (await upstream.discovery(issuer))["issuer"] == "x"
        assert (await upstream.discovery(issuer))["issuer"] == "x"
        assert hits == ["/realm/.well-known/openid-configuration"]
        # Outside development stacks a loopback (or http) issuer is never fetched.
        with pytest.raises(UpstreamError) as refused:
            await HttpUpstream(OutboundPolicy()).discovery(issuer)
        assert refused.value.reason == "provider_unreachable" and len(hits) == 1


async def test_a_provider_that_does_not_answer_in_time_is_unreachable() -> None:
    def slow(path: str) -> tuple[int, bytes, dict[str, str]]:
        time.sleep(1.0)
        return 200, b"{}", {}

    with serving(slow) as port:
        upstream = HttpUpstream(OutboundPolicy(allow_private=True, timeout_seconds=0.3))
        began = time.monotonic()
        with pytest.raises(UpstreamError) as caught:
            await upstream.discovery(f"http://127.0.0.1:{port}")
        assert caught.value.reason == "provider_unreachable" and time.monotonic() - began < 0.9
