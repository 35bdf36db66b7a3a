"""services.tenant.usecases.CredentialUseCases over in-memory fakes (tests/fakes.py):
API keys, bootstrap, admin sign-in and authenticate()."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from services.common.auth import ALL_SCOPES, Principal, PrincipalKind
from services.common.errors import DomainError, InvalidArgument, NotFound, PermissionDenied, Unauthenticated
from services.common.passwords import PasswordHashing
from services.tenant.admins import ADMIN_MAX_FAILURES, ADMIN_TOKEN_TTL_SECONDS, AdminState, AdminUser
from services.tenant.credentials import BOOTSTRAP_KEY_ID, MIN_BOOTSTRAP_KEY_LENGTH
from services.tenant.usecases import CredentialUseCases
from tests.fakes import TenantWorld, tenant_world

pytestmark = pytest.mark.unit

PLATFORM = Principal("ak_root", PrincipalKind.API_KEY, "", frozenset(ALL_SCOPES))
BOOTSTRAP_SECRET = "bootstrap-secret-0123456789-abcdefghij"
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def passwords() -> Iterator[PasswordHashing]:
    hashing = PasswordHashing(memory_kib=8, time_cost=1, workers=2)
    yield hashing
    hashing.close()


@pytest.fixture
async def world(passwords: PasswordHashing) -> TenantWorld:
    w = tenant_world(passwords)
    for tenant_id in ("acme", "globex"):
        await w.tenants.create(PLATFORM, tenant_id, "", {}, [])
    return w


async def tenant_key(world: TenantWorld, tenant_id: str, *scopes: str) -> tuple[Principal, str]:
    _key, secret = await world.credentials.create_key(PLATFORM, tenant_id, "key", list(scopes or ALL_SCOPES), None)
    principal, _ttl = await world.credentials.authenticate(secret)
    return principal, secret


async def admin(world: TenantWorld, email: str = "ops@example.com", tenant_id: str = "",
                scopes: tuple[str, ...] = ("tenants:read",)) -> AdminUser:
    return await world.credentials.create_admin(PLATFORM, email, tenant_id, list(scopes), PASSWORD)


async def login_error(credentials: CredentialUseCases, email: str, password: str) -> tuple[object, ...]:
    with pytest.raises(DomainError) as caught:
        await credentials.admin_login(email, password)
    error = caught.value
    assert isinstance(error, Unauthenticated)
    return type(error), error.reason, error.message, dict(error.details)


# --- bootstrap -----------------------------------------------------------------------------------


@pytest.mark.parametrize("secret", ["", "short", "x" * (MIN_BOOTSTRAP_KEY_LENGTH - 1)])
async def test_bootstrap_refuses_short_secrets(world: TenantWorld, secret: str) -> None:
    with pytest.raises(ValueError, match="BINOAUTH_BOOTSTRAP_API_KEY"):
        await world.credentials.bootstrap(secret)
    assert BOOTSTRAP_KEY_ID not in world.keys.keys


async def test_bootstrap_makes_a_platform_key_with_every_scope(world: TenantWorld) -> None:
    await world.credentials.bootstrap(BOOTSTRAP_SECRET)
    principal, ttl = await world.credentials.authenticate(BOOTSTRAP_SECRET)
    assert principal.principal_id == BOOTSTRAP_KEY_ID
    assert principal.kind is PrincipalKind.API_KEY
    assert principal.is_platform
    assert principal.scopes == ALL_SCOPES
    assert ttl > 0
    # the stored key holds a hash, not the secret
    assert all(BOOTSTRAP_SECRET.encode() not in digest for _key, digest in world.keys.keys.values())


async def test_rotating_the_bootstrap_secret_retires_the_old_one(world: TenantWorld) -> None:
    await world.credentials.bootstrap(BOOTSTRAP_SECRET)
    await world.credentials.bootstrap(BOOTSTRAP_SECRET[::-1])
    with pytest.raises(Unauthenticated):
        await world.credentials.authenticate(BOOTSTRAP_SECRET)
    assert (await world.credentials.authenticate(BOOTSTRAP_SECRET[::-1]))[0].is_platform


# --- API keys ------------------------------------------------------------------------------------


async def test_created_key_authenticates_with_its_scopes(world: TenantWorld) -> None:
    key, secret = await world.credentials.create_key(PLATFORM, "acme", " CI ", ["users:read", "users:write"], None)
    assert secret.startswith("bino_")
    assert key.display_name == "CI"
    principal, _ttl = await world.credentials.authenticate(secret)
    assert principal == Principal(key.api_key_id, PrincipalKind.API_KEY, "acme",
                                  frozenset({"users:read", "users:write"}))


async def test_tenant_key_cannot_create_platform_keys(world: TenantWorld) -> None:
    acme, _ = await tenant_key(world, "acme")
    with pytest.raises(PermissionDenied) as caught:
        await world.credentials.create_key(acme, "", "escalate", ["users:read"], None)
    assert caught.value.reason == "TENANT_MISMATCH"


async def test_tenant_key_cannot_create_keys_for_another_tenant(world: TenantWorld) -> None:
    acme, _ = await tenant_key(world, "acme")
    with pytest.raises((NotFound, PermissionDenied)):
        await world.credentials.create_key(acme, "globex", "cross", ["users:read"], None)
    assert not any(k.tenant_id == "globex" for k, _ in world.keys.keys.values())


async def test_tenant_key_cannot_grant_scopes_it_lacks(world: TenantWorld) -> None:
    acme, _ = await tenant_key(world, "acme", "api_keys:write", "users:read")
    with pytest.raises(PermissionDenied) as caught:
        await world.credentials.create_key(acme, "acme", "more", ["users:read", "users:write"], None)
    assert caught.value.reason == "SCOPE_ESCALATION"
    key, _secret = await world.credentials.create_key(acme, "acme", "same", ["users:read"], None)
    assert key.scopes == frozenset({"users:read"})


async def test_create_key_needs_api_keys_write(world: TenantWorld) -> None:
    reader, _ = await tenant_key(world, "acme", "api_keys:read")
    with pytest.raises(PermissionDenied) as caught:
        await world.credentials.create_key(reader, "acme", "x", ["api_keys:read"], None)
    assert caught.value.reason == "MISSING_SCOPE"


async def test_create_key_for_unknown_tenant_or_with_bad_scopes(world: TenantWorld) -> None:
    with pytest.raises(NotFound):
        await world.credentials.create_key(PLATFORM, "nobody", "x", ["users:read"], None)
    with pytest.raises(InvalidArgument) as caught:
        await world.credentials.create_key(PLATFORM, "acme", "x", ["users:admin"], None)
    assert caught.value.reason == "INVALID_SCOPE"


async def test_expire_time_must_be_in_the_future(world: TenantWorld) -> None:
    with pytest.raises(InvalidArgument) as caught:
        await world.credentials.create_key(PLATFORM, "acme", "x", ["users:read"], world.clock())
    assert caught.value.reason == "INVALID_EXPIRE_TIME"


async def test_revoked_key_fails(world: TenantWorld) -> None:
    key, secret = await world.credentials.create_key(PLATFORM, "acme", "x", ["users:read"], None)
    revoked = await world.credentials.revoke_key(PLATFORM, key.api_key_id)
    assert revoked.revoke_time == world.clock()
    with pytest.raises(Unauthenticated) as caught:
        await world.credentials.authenticate(secret)
    assert caught.value.reason == "CREDENTIAL_INVALID"
    # revoking again keeps the first revocation time
    world.clock.advance(60)
    assert (await world.credentials.revoke_key(PLATFORM, key.api_key_id)).revoke_time == revoked.revoke_time


async def test_expired_key_fails(world: TenantWorld) -> None:
    expires = world.clock() + timedelta(hours=1)
    _key, secret = await world.credentials.create_key(PLATFORM, "acme", "x", ["users:read"], expires)
    world.clock.advance(3599)
    await world.credentials.authenticate(secret)
    world.clock.advance(1)
    with pytest.raises(Unauthenticated) as caught:
        await world.credentials.authenticate(secret)
    assert caught.value.reason == "CREDENTIAL_INVALID"


@pytest.mark.parametrize("credential", ["", "bino_unknown-key-value", "x" * 201, "Bearer x"])
async def test_unknown_credentials_fail(world: TenantWorld, credential: str) -> None:
    with pytest.raises(Unauthenticated) as caught:
        await world.credentials.authenticate(credential)
    assert caught.value.reason == "CREDENTIAL_INVALID"


async def test_tenant_key_cannot_see_or_revoke_other_keys(world: TenantWorld) -> None:
    acme, _ = await tenant_key(world, "acme")
    globex_key, globex_secret = await world.credentials.create_key(PLATFORM, "globex", "g", ["users:read"], None)
    platform_key, _ = await world.credentials.create_key(PLATFORM, "", "p", ["users:read"], None)
    for key_id in (globex_key.api_key_id, platform_key.api_key_id, "ak_missing"):
        with pytest.raises(NotFound) as caught:
            await world.credentials.get_key(acme, key_id)
        assert caught.value.reason == "API_KEY_NOT_FOUND"
        with pytest.raises(NotFound):
            await world.credentials.revoke_key(acme, key_id)
    await world.credentials.authenticate(globex_secret)  # still valid


async def test_list_keys_is_per_tenant(world: TenantWorld) -> None:
    acme, _ = await tenant_key(world, "acme")
    await world.credentials.create_key(PLATFORM, "globex", "g", ["users:read"], None)
    keys, _ = await world.credentials.list_keys(acme, "", 20, "")
    assert {k.tenant_id for k in keys} == {"acme"}
    with pytest.raises(NotFound):
        await world.credentials.list_keys(acme, "globex", 20, "")
    keys, _ = await world.credentials.list_keys(PLATFORM, "globex", 20, "")
    assert {k.tenant_id for k in keys} == {"globex"}


async def test_list_keys_pages(world: TenantWorld) -> None:
    for i in range(7):
        await world.credentials.create_key(PLATFORM, "acme", f"k{i}", ["users:read"], None)
    seen: list[str] = []
    token = ""
    while True:
        page, token = await world.credentials.list_keys(PLATFORM, "acme", 3, token)
        seen += [k.api_key_id for k in page]
        if not token:
            break
    assert len(seen) == 7 and len(set(seen)) == 7 and seen == sorted(seen)


# --- admin sign-in -------------------------------------------------------------------------------


async def test_admin_login_returns_a_working_token(world: TenantWorld) -> None:
    created = await admin(world, scopes=("tenants:read", "api_keys:read"))
    token, ttl, signed_in = await world.credentials.admin_login("ops@EXAMPLE.com", PASSWORD)
    assert token.startswith("binoa_")
    assert ttl == ADMIN_TOKEN_TTL_SECONDS
    assert signed_in.admin_user_id == created.admin_user_id
    assert signed_in.last_login_time == world.clock()
    principal, _ttl = await world.credentials.authenticate(token)
    assert principal == Principal(created.admin_user_id, PrincipalKind.ADMIN_USER, "",
                                  frozenset({"tenants:read", "api_keys:read"}))
    assert token.encode() not in b"".join(world.admins.tokens)  # only the hash is stored


async def test_admin_token_expires(world: TenantWorld) -> None:
    await admin(world)
    token, ttl, _ = await world.credentials.admin_login("ops@example.com", PASSWORD)
    world.clock.advance(ttl - 1)
    await world.credentials.authenticate(token)
    world.clock.advance(1)
    with pytest.raises(Unauthenticated):
        await world.credentials.authenticate(token)


async def test_disabling_the_admin_ends_its_tokens(world: TenantWorld) -> None:
    created = await admin(world)
    token, _ttl, _ = await world.credentials.admin_login("ops@example.com", PASSWORD)
    await world.credentials.set_admin_state(PLATFORM, created.admin_user_id, AdminState.DISABLED)
    with pytest.raises(Unauthenticated) as caught:
        await world.credentials.authenticate(token)
    assert caught.value.reason == "CREDENTIAL_INVALID"
    # re-enabling does not bring the old token back
    await world.credentials.set_admin_state(PLATFORM, created.admin_user_id, AdminState.ACTIVE)
    with pytest.raises(Unauthenticated):
        await world.credentials.authenticate(token)


async def test_disabled_admin_token_fails_even_if_tokens_remain(world: TenantWorld) -> None:
    created = await admin(world)
    token, _ttl, _ = await world.credentials.admin_login("ops@example.com", PASSWORD)
    stored, password_hash = world.admins.admins[created.admin_user_id]
    world.admins.admins[created.admin_user_id] = (
        AdminUser(stored.admin_user_id, stored.email, stored.tenant_id, stored.scopes, AdminState.DISABLED,
                  stored.create_time, stored.last_login_time), password_hash)
    with pytest.raises(Unauthenticated):
        await world.credentials.authenticate(token)


async def test_tenant_admin_token_fails_while_tenant_suspended(world: TenantWorld) -> None:
    await admin(world, email="boss@acme.com", tenant_id="acme", scopes=("users:read",))
    token, _ttl, _ = await world.credentials.admin_login("boss@acme.com", PASSWORD)
    assert (await world.credentials.authenticate(token))[0].tenant_id == "acme"
    await world.tenants.suspend(PLATFORM, "acme")
    with pytest.raises(Unauthenticated):
        await world.credentials.authenticate(token)


async def test_every_login_failure_looks_the_same(world: TenantWorld) -> None:
    await admin(world, email="ops@example.com")
    disabled = await admin(world, email="off@example.com")
    await world.credentials.set_admin_state(PLATFORM, disabled.admin_user_id, AdminState.DISABLED)
    await admin(world, email="locked@example.com")
    for _ in range(ADMIN_MAX_FAILURES):
        await login_error(world.credentials, "locked@example.com", "wrong password!!")

    failures = {
        "wrong password": await login_error(world.credentials, "ops@example.com", "wrong password!!"),
        "unknown email": await login_error(world.credentials, "nobody@example.com", PASSWORD),
        "disabled admin": await login_error(world.credentials, "off@example.com", PASSWORD),
        "locked account, right password": await login_error(world.credentials, "locked@example.com", PASSWORD),
        "malformed email": await login_error(world.credentials, "not-an-email", PASSWORD),
        "empty password": await login_error(world.credentials, "ops@example.com", ""),
        "overlong password": await login_error(world.credentials, "ops@example.com", "x" * 5000),
    }
    expected = (Unauthenticated, "INVALID_CREDENTIALS", "email or password is wrong", {})
    for case, got in failures.items():
        assert got == expected, case


async def test_lockout_after_max_failures_then_unlock_when_window_resets(world: TenantWorld) -> None:
    await admin(world)
    for _ in range(ADMIN_MAX_FAILURES - 1):
        await login_error(world.credentials, "ops@example.com", "wrong password!!")
    await world.credentials.admin_login("ops@example.com", PASSWORD)  # not locked yet; resets the count
    assert await world.failures.failures("admin:ops@example.com") == 0

    for _ in range(ADMIN_MAX_FAILURES):
        await login_error(world.credentials, "ops@example.com", "wrong password!!")
    await login_error(world.credentials, "ops@example.com", PASSWORD)  # locked: right password refused
    assert world.failures.windows["admin:ops@example.com"] > 0  # the lock is temporary

    await world.failures.reset("admin:ops@example.com")  # the window expired
    token, _ttl, _ = await world.credentials.admin_login("ops@example.com", PASSWORD)
    await world.credentials.authenticate(token)


async def test_lockout_counts_case_insensitively(world: TenantWorld) -> None:
    await admin(world)
    for i in range(ADMIN_MAX_FAILURES):
        email = "OPS@example.com" if i % 2 else "ops@EXAMPLE.com"
        await login_error(world.credentials, email, "wrong password!!")
    await login_error(world.credentials, "ops@example.com", PASSWORD)


async def test_login_upgrades_outdated_hashes(world: TenantWorld) -> None:
    created = await admin(world)
    old_hash = world.admins.admins[created.admin_user_id][1]
    stronger = PasswordHashing(memory_kib=16, time_cost=1, workers=1)
    try:
        upgraded = CredentialUseCases(world.keys, world.admins, world.store, stronger, world.failures,
                                      clock=world.clock)
        await upgraded.admin_login("ops@example.com", PASSWORD)
        new_hash = world.admins.admins[created.admin_user_id][1]
        assert new_hash != old_hash
        assert "m=16" in new_hash
        assert not stronger.needs_rehash(new_hash)
        await upgraded.admin_login("ops@example.com", PASSWORD)  # the new hash still verifies
    finally:
        stronger.close()


async def test_create_admin_rules(world: TenantWorld) -> None:
    await admin(world, email="ops@example.com")
    with pytest.raises(DomainError) as caught:
        await admin(world, email="OPS@example.com")
    assert caught.value.reason == "ADMIN_USER_ALREADY_EXISTS"
    with pytest.raises(InvalidArgument) as short:
        await world.credentials.create_admin(PLATFORM, "new@example.com", "", ["tenants:read"], "short")
    assert short.value.reason == "PASSWORD_TOO_SHORT"
    acme, _ = await tenant_key(world, "acme")
    with pytest.raises(PermissionDenied):
        await world.credentials.create_admin(acme, "p@example.com", "", ["users:read"], PASSWORD)
    # the password is stored hashed
    assert all(PASSWORD not in h for _a, h in world.admins.admins.values())


async def test_tenant_principal_cannot_disable_other_tenants_admins(world: TenantWorld) -> None:
    platform_admin = await admin(world, email="root@example.com")
    globex_admin = await admin(world, email="g@globex.com", tenant_id="globex", scopes=("users:read",))
    acme, _ = await tenant_key(world, "acme")
    for target in (platform_admin, globex_admin):
        with pytest.raises(NotFound) as caught:
            await world.credentials.set_admin_state(acme, target.admin_user_id, AdminState.DISABLED)
        assert caught.value.reason == "ADMIN_USER_NOT_FOUND"
        assert world.admins.admins[target.admin_user_id][0].state is AdminState.ACTIVE
