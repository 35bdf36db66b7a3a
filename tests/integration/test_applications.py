"""Applications against real PostgreSQL: store, use cases, secret rotation with a controllable
clock, and authenticate_client for the token endpoint."""

from __future__ import annotations

import asyncio
import secrets
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest

from services.common.auth import CachedCredentialVerifier, Principal, PrincipalKind, credential_hash
from services.common.context import request_meta
from services.common.db import create_pool
from services.common.directory import TenantInfo, admin_tenant
from services.common.errors import InvalidArgument, NotFound, PermissionDenied, Unauthenticated
from services.common.migrations import MigrationRunner
from services.common.tenancy import TenantSelection
from services.token.applications.model import (
    AUTHORIZATION_CODE,
    CLIENT_CREDENTIALS,
    REFRESH_TOKEN,
    Application,
    ApplicationType,
    ClientType,
    TokenLifetimes,
)
from services.token.applications.store import PgApplicationStore
from services.token.applications.usecases import ApplicationUseCases
from tools.devstack import PostgresServer

pytestmark = pytest.mark.integration

MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "token" / "migrations"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class FakeTenants:
    def __init__(self, *active: str, suspended: tuple[str, ...] = ()) -> None:
        self.active, self.suspended = set(active), set(suspended)

    async def select(self, candidates: list[TenantSelection]) -> TenantInfo:
        for c in candidates:
            if c.tenant_id in self.active | self.suspended:
                return tenant(c.tenant_id, active=c.tenant_id in self.active)
        raise NotFound("no such tenant", reason="TENANT_NOT_FOUND")


def tenant(tenant_id: str, active: bool = True, **tokens: int) -> TenantInfo:
    return TenantInfo(tenant_id, tenant_id, active, not active, "", {"tokens": tokens})


@dataclass
class World:
    apps: ApplicationUseCases
    clock: Clock
    pool: asyncpg.Pool


@pytest.fixture
async def world(postgres: PostgresServer) -> AsyncIterator[World]:
    pool = await create_pool(postgres.create_database(f"apps_{secrets.token_hex(3)}"))
    runner = MigrationRunner(pool, "token", MIGRATIONS)
    await runner.migrate_shared()
    for tenant_id in ("acme", "globex"):
        await runner.migrate_tenant(tenant_id)
    clock = Clock()
    yield World(ApplicationUseCases(PgApplicationStore(pool), clock), clock, pool)
    await pool.close()


ACME, GLOBEX = tenant("acme"), tenant("globex")


def web_app(**fields: object) -> Application:
    base = Application(client_id="", display_name="Shop", client_type=ClientType.CONFIDENTIAL,
                       redirect_uris=("https://shop.example.com/cb", "http://127.0.0.1/cb"),
                       grant_types=(AUTHORIZATION_CODE, REFRESH_TOKEN, CLIENT_CREDENTIALS),
                       allowed_scopes=("openid", "email", "orders:read"))
    return replace(base, **fields)  # type: ignore[arg-type]


async def test_migration_replaces_the_placeholder_table(world: World) -> None:
    async with world.pool.acquire() as conn:
        columns = {r["column_name"] for r in await conn.fetch(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'token_t_acme' "
            "AND table_name = 'applications'")}
    assert {"secret_hash", "previous_secret_hash", "previous_secret_expires_at", "grant_types"} <= columns
    assert not {"secret", "client_secret"} & columns


async def test_create_get_list_update_delete(world: World) -> None:
    created, secret = await world.apps.create(ACME, web_app(client_id="app_" + "f" * 24))
    assert created.client_id.startswith("app_") and created.client_id != "app_" + "f" * 24
    assert secret.startswith("bcs_") and created.secret is not None
    assert created.token_endpoint_auth_method == "client_secret_basic"
    fetched = await world.apps.get("acme", created.client_id)
    assert fetched == created
    # Stored as SHA-256 only.
    async with world.pool.acquire() as conn:
        row = await conn.fetchrow('SELECT * FROM "token_t_acme".applications WHERE client_id = $1', created.client_id)
    assert bytes(row["secret_hash"]) == credential_hash(secret)
    assert secret.encode() not in b"".join(str(v).encode() for v in row.values())

    public, public_secret = await world.apps.create(ACME, web_app(
        client_type=ClientType.PUBLIC, grant_types=(AUTHORIZATION_CODE,), display_name="Mobile",
        redirect_uris=("com.example.shop:/cb",)))
    assert public_secret == "" and public.secret is None and public.token_endpoint_auth_method == "none"

    world.clock.advance(60)
    updated = await world.apps.update(ACME, created.client_id, {
        "display_name": "Shop 2", "token_lifetimes.access_token_ttl_seconds": 300, "first_party": True})
    assert updated.display_name == "Shop 2" and updated.first_party
    assert updated.token_lifetimes == TokenLifetimes(access_token_ttl_seconds=300)
    assert updated.update_time == world.clock.now and updated.create_time == created.create_time
    assert updated.secret == created.secret  # an update never touches the secret

    with pytest.raises(InvalidArgument) as error:
        await world.apps.update(ACME, created.client_id, {"redirect_uris": ["https://shop.example.com/*"]})
    assert error.value.reason == "INVALID_REDIRECT_URI"
    with pytest.raises(InvalidArgument):
        await world.apps.update(ACME, public.client_id, {"grant_types": ["client_credentials"]})
    with pytest.raises(InvalidArgument):
        await world.apps.update(ACME, public.client_id, {"token_endpoint_auth_method": "client_secret_post"})
    assert (await world.apps.get("acme", created.client_id)).display_name == "Shop 2"  # refused = unchanged

    ids = sorted([created.client_id, public.client_id])
    page, token = await world.apps.list("acme", 1, "")
    assert [a.client_id for a in page] == ids[:1] and token
    page2, token2 = await world.apps.list("acme", 1, token)
    assert [a.client_id for a in page2] == ids[1:] and token2 == ""
    assert (await world.apps.list("globex", 10, ""))[0] == []

    await world.apps.delete("acme", created.client_id)
    with pytest.raises(NotFound):
        await world.apps.get("acme", created.client_id)
    with pytest.raises(NotFound):
        await world.apps.delete("acme", created.client_id)
    with pytest.raises(Unauthenticated):
        await world.apps.authenticate_client("acme", created.client_id, secret)


async def test_tenant_isolation(world: World) -> None:
    app, secret = await world.apps.create(ACME, web_app())
    for call in (world.apps.get("globex", app.client_id), world.apps.delete("globex", app.client_id),
                 world.apps.update(GLOBEX, app.client_id, {"display_name": "x"}),
                 world.apps.rotate_secret("globex", app.client_id)):
        with pytest.raises(NotFound):
            await call
    with pytest.raises(Unauthenticated):
        await world.apps.authenticate_client("globex", app.client_id, secret)
    assert (await world.apps.authenticate_client("acme", app.client_id, secret)).client_id == app.client_id


async def test_malformed_ids_are_not_found_before_sql(world: World) -> None:
    for client_id in ("", "x", "app_' OR '1'='1", "app_" + "A" * 24, "a" * 10_000):
        with pytest.raises(NotFound):
            await world.apps.get("acme", client_id)
        with pytest.raises(Unauthenticated):
            await world.apps.authenticate_client("acme", client_id, "whatever")


async def test_authenticate_client(world: World) -> None:
    app, secret = await world.apps.create(ACME, web_app())
    assert (await world.apps.authenticate_client("acme", app.client_id, secret)) == app
    for wrong in ("", secret[:-1], secret + "x", secret.upper(), "bcs_" + "A" * 43):
        with pytest.raises(Unauthenticated) as error:
            await world.apps.authenticate_client("acme", app.client_id, wrong)
        assert error.value.reason == "INVALID_CLIENT"
    public, _ = await world.apps.create(ACME, web_app(client_type=ClientType.PUBLIC, grant_types=()))
    for attempt in ("", secret):
        with pytest.raises(Unauthenticated):
            await world.apps.authenticate_client("acme", public.client_id, attempt)
    with pytest.raises(Unauthenticated):
        await world.apps.authenticate_client("acme", "app_" + "0" * 24, secret)


async def test_rotation_overlap_window(world: World) -> None:
    app, first = await world.apps.create(ACME, web_app())
    world.clock.advance(10)
    rotated, second = await world.apps.rotate_secret("acme", app.client_id)
    assert second != first and second.startswith("bcs_")
    assert rotated.secret is not None and rotated.secret.created_at == world.clock.now
    assert rotated.secret.previous_expires_at == world.clock.now + timedelta(hours=24)
    # Both work during the default 24 h overlap...
    for s in (first, second):
        await world.apps.authenticate_client("acme", app.client_id, s)
    world.clock.advance(24 * 3600 - 1)
    await world.apps.authenticate_client("acme", app.client_id, first)
    # ... then only the new one.
    world.clock.advance(1)
    with pytest.raises(Unauthenticated):
        await world.apps.authenticate_client("acme", app.client_id, first)
    await world.apps.authenticate_client("acme", app.client_id, second)

    # A custom window, and a second rotation drops the secret still in overlap at once.
    _, third = await world.apps.rotate_secret("acme", app.client_id, 600)
    _, fourth = await world.apps.rotate_secret("acme", app.client_id, 600)
    with pytest.raises(Unauthenticated):
        await world.apps.authenticate_client("acme", app.client_id, second)
    for s in (third, fourth):
        await world.apps.authenticate_client("acme", app.client_id, s)
    world.clock.advance(601)
    with pytest.raises(Unauthenticated):
        await world.apps.authenticate_client("acme", app.client_id, third)

    # Overlap 0: the leaked secret stops working now.
    leaked = fourth
    cleaned, fifth = await world.apps.rotate_secret("acme", app.client_id, 0)
    assert cleaned.secret is not None and cleaned.secret.previous_hash is None
    with pytest.raises(Unauthenticated):
        await world.apps.authenticate_client("acme", app.client_id, leaked)
    await world.apps.authenticate_client("acme", app.client_id, fifth)

    for bad in (-1, 7 * 86400 + 1):
        with pytest.raises(InvalidArgument):
            await world.apps.rotate_secret("acme", app.client_id, bad)
    public, _ = await world.apps.create(ACME, web_app(client_type=ClientType.PUBLIC, grant_types=()))
    with pytest.raises(InvalidArgument) as error:
        await world.apps.rotate_secret("acme", public.client_id)
    assert error.value.reason == "PUBLIC_CLIENT_HAS_NO_SECRET"


async def test_concurrent_rotations_serialize(world: World) -> None:
    app, first = await world.apps.create(ACME, web_app())
    results = await asyncio.gather(*(world.apps.rotate_secret("acme", app.client_id) for _ in range(5)))
    final = await world.apps.get("acme", app.client_id)
    working = [s for _, s in results if s and await _works(world, app.client_id, s)]
    # Rows are locked: the last rotation's secret is current, the one before it overlaps.
    assert len(working) == 2
    assert final.secret is not None and final.secret.previous_hash is not None
    assert not await _works(world, app.client_id, first)


async def _works(world: World, client_id: str, secret: str) -> bool:
    try:
        await world.apps.authenticate_client("acme", client_id, secret)
    except Unauthenticated:
        return False
    return True


async def test_lifetimes_checked_against_the_tenant(world: World) -> None:
    short = tenant("acme", refresh_token_absolute_ttl_seconds=3600)
    with pytest.raises(InvalidArgument) as error:
        await world.apps.create(short, web_app(token_lifetimes=TokenLifetimes(refresh_token_idle_ttl_seconds=7200)))
    assert error.value.reason == "INVALID_TOKEN_LIFETIME"
    app, _ = await world.apps.create(short, web_app(token_lifetimes=TokenLifetimes(
        refresh_token_idle_ttl_seconds=1800, id_token_ttl_seconds=120)))
    assert app.token_lifetimes.effective(short.settings["tokens"])["refresh_token_absolute_ttl_seconds"] == 3600


async def test_tenant_selection_and_authorization(world: World) -> None:
    """The admin API's tenant and credential checks (services.common.directory.admin_tenant)."""
    tenants = FakeTenants("acme", "globex", suspended=("frozen",))
    key = Principal("ak_1", PrincipalKind.API_KEY, "globex", frozenset({"applications:read"}))

    async def check(principal: Principal, scope: str, **headers: str) -> TenantInfo:
        credentials = CachedCredentialVerifier(lambda _c: _answer(principal))
        meta = request_meta([("authorization", "Bearer bino_x"), ("x-binoauth-gateway", "1"), *headers.items()])
        tenant, _ = await admin_tenant(meta, credentials, tenants, "localhost", scope)
        return tenant

    platform = replace(key, tenant_id="", scopes=frozenset({"applications:read", "applications:write"}))
    with pytest.raises(PermissionDenied) as error:
        await check(platform, "applications:read", **{"x-tenant-id": "frozen"})
    assert error.value.reason == "TENANT_SUSPENDED"
    with pytest.raises(NotFound):
        await check(platform, "applications:read", **{"x-tenant-id": "nope"})
    with pytest.raises(PermissionDenied) as error:
        await check(key, "applications:read", **{"x-binoauth-tenant": "acme"})
    assert error.value.reason == "TENANT_MISMATCH"
    with pytest.raises(PermissionDenied) as error:
        await check(replace(key, tenant_id="acme"), "applications:write", **{"x-binoauth-tenant": "acme"})
    assert error.value.reason == "MISSING_SCOPE"
    assert (await check(platform, "applications:read", **{"x-binoauth-tenant": "acme"})).tenant_id == "acme"
    assert (await check(key, "applications:read")).tenant_id == "globex"  # a tenant key selects its own


async def _answer(principal: Principal) -> tuple[Principal, float]:
    return principal, 0.0


# --- application types (migration 0008) ------------------------------------------------------

async def test_application_type_is_stored_and_updated(world: World) -> None:
    web, _ = await world.apps.create(ACME, web_app())
    native, _ = await world.apps.create(ACME, web_app(
        client_type=ClientType.PUBLIC, grant_types=(AUTHORIZATION_CODE,), display_name="CLI",
        application_type=ApplicationType.NATIVE, redirect_uris=("http://127.0.0.1/cb",)))
    assert web.application_type is ApplicationType.WEB and native.application_type is ApplicationType.NATIVE
    assert (await world.apps.get("acme", web.client_id)).application_type is ApplicationType.WEB
    assert (await world.apps.get("acme", native.client_id)).application_type is ApplicationType.NATIVE
    async with world.pool.acquire() as conn:
        stored = dict(await conn.fetch('SELECT client_id, application_type FROM "token_t_acme".applications'))
    assert stored == {web.client_id: "web", native.client_id: "native"}

    stored_web = await world.apps.get("acme", web.client_id)
    assert not stored_web.accepts_redirect_uri("http://127.0.0.1:5000/cb")
    assert (await world.apps.get("acme", native.client_id)).accepts_redirect_uri("http://127.0.0.1:5000/cb")

    updated = await world.apps.update(ACME, native.client_id, {"application_type": ApplicationType.WEB})
    assert updated.application_type is ApplicationType.WEB
    assert (await world.apps.get("acme", native.client_id)).application_type is ApplicationType.WEB
    with pytest.raises(InvalidArgument) as error:
        await world.apps.update(ACME, web.client_id, {"redirect_uris": ["com.example.shop:/cb"]})
    assert error.value.reason == "INVALID_REDIRECT_URI"
    assert (await world.apps.get("acme", web.client_id)).redirect_uris == web.redirect_uris

    async with world.pool.acquire() as conn:
        with pytest.raises(asyncpg.CheckViolationError):
            await conn.execute('UPDATE "token_t_acme".applications SET application_type = $1', "desktop")


async def test_migration_types_existing_applications(postgres: PostgresServer, tmp_path: Path) -> None:
    """Rows registered before 0008 become native exactly when a redirect URI (or post-logout
    redirect URI) uses a private-use scheme, and web otherwise."""
    pool = await create_pool(postgres.create_database(f"apps_{secrets.token_hex(3)}"))
    try:
        before = tmp_path / "before"
        shutil.copytree(MIGRATIONS / "shared", before / "shared")
        (before / "tenant").mkdir()
        for path in sorted((MIGRATIONS / "tenant").glob("*.sql")):
            if int(path.name[:4]) < 8:
                shutil.copy(path, before / "tenant" / path.name)
        old = MigrationRunner(pool, "token", before)
        await old.migrate_shared()
        await old.migrate_tenant("acme")
        rows = {"app_" + "1" * 24: (["https://shop.example.com/cb", "http://127.0.0.1/cb"], []),
                "app_" + "2" * 24: (["com.example.shop:/cb", "http://127.0.0.1/cb"], []),
                "app_" + "3" * 24: (["http://[::1]/cb"], ["com.example.shop:/bye"]),
                "app_" + "4" * 24: (["https://com.example.shop/cb"], ["https://shop.example.com/bye"])}
        async with pool.acquire() as conn:
            for client_id, (redirects, logouts) in rows.items():
                await conn.execute(
                    'INSERT INTO "token_t_acme".applications (client_id, display_name, client_type, redirect_uris, '
                    "post_logout_redirect_uris, grant_types, allowed_scopes, token_endpoint_auth_method) "
                    "VALUES ($1, 'Old', 'public', $2, $3, '{authorization_code}', '{openid}', 'none')",
                    client_id, redirects, logouts)

        upto_0008 = tmp_path / "0008"
        shutil.copytree(before, upto_0008)
        shutil.copy(MIGRATIONS / "tenant" / "0008_application_type.sql", upto_0008 / "tenant")
        await MigrationRunner(pool, "token", upto_0008).migrate_tenant("acme")
        async with pool.acquire() as conn:
            types = dict(await conn.fetch('SELECT client_id, application_type FROM "token_t_acme".applications'))
        assert types == {"app_" + "1" * 24: "web", "app_" + "2" * 24: "native", "app_" + "3" * 24: "native",
                         "app_" + "4" * 24: "web"}
        # Then every later migration (0010 gives them an empty presentation), as the store reads them.
        await MigrationRunner(pool, "token", MIGRATIONS).migrate_tenant("acme")
        store = PgApplicationStore(pool)
        old_web = await store.get("acme", "app_" + "1" * 24)
        old_native = await store.get("acme", "app_" + "2" * 24)
        assert old_web is not None and old_native is not None
        assert old_web.accepts_redirect_uri("http://127.0.0.1/cb")
        assert not old_web.accepts_redirect_uri("http://127.0.0.1:5000/cb")
        assert old_native.accepts_redirect_uri("http://127.0.0.1:5000/cb")
        assert old_web.presentation.logo_hash == "" and old_web.presentation.descriptions == {}
    finally:
        await pool.close()
