"""services.tenant.usecases.TenantUseCases over in-memory fakes (tests/fakes.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from services.common.auth import ALL_SCOPES, Principal, PrincipalKind
from services.common.errors import (
    AlreadyExists,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    Unauthenticated,
    Unavailable,
)
from services.common.pagination import encode_page_token
from services.common.passwords import PasswordHashing
from services.common.tenancy import TenantSelection
from services.tenant.tenants import TenantState
from tests.fakes import PROVISIONED_SERVICES, TenantWorld, tenant_world

pytestmark = pytest.mark.unit

PLATFORM = Principal("ak_root", PrincipalKind.API_KEY, "", frozenset(ALL_SCOPES))
READ_ONLY_PLATFORM = Principal("ak_ro", PrincipalKind.API_KEY, "", frozenset({"tenants:read"}))


def tenant_principal(tenant_id: str, *scopes: str) -> Principal:
    return Principal(f"ak_{tenant_id}", PrincipalKind.API_KEY, tenant_id,
                     frozenset(scopes or ("tenants:read", "tenants:write")))


@pytest.fixture(scope="module")
def passwords() -> Iterator[PasswordHashing]:
    hashing = PasswordHashing(memory_kib=8, time_cost=1, workers=2)
    yield hashing
    hashing.close()


@pytest.fixture
def world(passwords: PasswordHashing) -> TenantWorld:
    return tenant_world(passwords)


async def create(world: TenantWorld, tenant_id: str, domains: list[str] | None = None) -> None:
    await world.tenants.create(PLATFORM, tenant_id, "", {}, domains or [])


# --- create --------------------------------------------------------------------------------------


async def test_create_provisions_and_activates(world: TenantWorld) -> None:
    tenant = await world.tenants.create(PLATFORM, "acme", "Acme Inc", {"password_policy": {"min_length": 10}},
                                        ["Login.Acme.com"])
    assert tenant.tenant_id == "acme"
    assert tenant.display_name == "Acme Inc"
    assert tenant.state is TenantState.ACTIVE
    assert tenant.settings.password_policy.min_length == 10
    assert tenant.custom_domains == ("login.acme.com",)
    assert world.provisioner.has_schemas("acme") == set(PROVISIONED_SERVICES)
    assert world.store.tenants["acme"].state is TenantState.ACTIVE


async def test_create_needs_tenants_write(world: TenantWorld) -> None:
    with pytest.raises(PermissionDenied) as caught:
        await world.tenants.create(READ_ONLY_PLATFORM, "acme", "", {}, [])
    assert caught.value.reason == "MISSING_SCOPE"
    assert world.store.tenants == {}
    assert world.provisioner.calls == []


async def test_create_needs_a_platform_principal(world: TenantWorld) -> None:
    with pytest.raises(PermissionDenied) as caught:
        await world.tenants.create(tenant_principal("acme"), "globex", "", {}, [])
    assert caught.value.reason == "PLATFORM_CREDENTIAL_REQUIRED"
    assert world.store.tenants == {}
    assert world.provisioner.calls == []


async def test_create_validates_before_storing(world: TenantWorld) -> None:
    with pytest.raises(InvalidArgument) as caught:
        await world.tenants.create(PLATFORM, "a'; drop", "", {}, [])
    assert caught.value.reason == "INVALID_TENANT_ID"
    with pytest.raises(InvalidArgument) as caught:
        await world.tenants.create(PLATFORM, "acme", "", {"password_policy": {"min_length": 4}}, [])
    assert caught.value.reason == "INVALID_SETTING"
    assert world.store.tenants == {}
    assert world.provisioner.calls == []


async def test_duplicate_id_is_already_exists(world: TenantWorld) -> None:
    await create(world, "acme")
    with pytest.raises(AlreadyExists) as caught:
        await world.tenants.create(PLATFORM, "acme", "Other", {}, [])
    assert caught.value.reason == "TENANT_ALREADY_EXISTS"
    assert caught.value.details == {"tenant_id": "acme"}
    assert world.provisioner.provision_calls() == 1
    assert world.provisioner.deprovision_calls() == 0  # the existing tenant is left alone
    assert world.store.tenants["acme"].state is TenantState.ACTIVE


async def test_taken_domain_is_already_exists(world: TenantWorld) -> None:
    await create(world, "acme", ["login.acme.com"])
    with pytest.raises(AlreadyExists) as caught:
        await world.tenants.create(PLATFORM, "globex", "", {}, ["LOGIN.acme.com"])
    assert caught.value.reason == "DOMAIN_TAKEN"
    assert "globex" not in world.store.tenants


@pytest.mark.parametrize("failing", PROVISIONED_SERVICES)
async def test_provisioning_failure_rolls_back(world: TenantWorld, failing: str) -> None:
    world.provisioner.fail_provision_services = {failing}
    with pytest.raises(Unavailable) as caught:
        await create(world, "acme")
    assert caught.value.reason == "PROVISIONING_FAILED"
    assert "acme" not in world.store.tenants
    assert ("deprovision", "acme") in world.provisioner.calls
    assert world.provisioner.has_schemas("acme") == set()  # partial schemas were removed
    # nothing was kept, so the same create works once the service is back
    world.provisioner.fail_provision_services = set()
    assert (await world.tenants.create(PLATFORM, "acme", "", {}, [])).state is TenantState.ACTIVE


async def test_failed_rollback_leaves_provisioning_and_a_retry_completes(world: TenantWorld) -> None:
    world.provisioner.fail_provision_calls = {1}
    world.provisioner.fail_deprovision = 1
    with pytest.raises(Unavailable) as caught:
        await create(world, "acme")
    assert caught.value.reason == "PROVISIONING_FAILED"
    assert world.store.tenants["acme"].state is TenantState.PROVISIONING
    assert world.provisioner.deprovision_calls() == 1
    # a tenant that is not ready is not usable for credentials or public requests
    with pytest.raises(NotFound):
        await world.tenants.resolve(tenant_id="acme")

    retried = await world.tenants.create(PLATFORM, "acme", "", {}, [])
    assert retried.state is TenantState.ACTIVE
    assert world.store.tenants["acme"].state is TenantState.ACTIVE
    assert world.provisioner.has_schemas("acme") == set(PROVISIONED_SERVICES)


async def test_failed_provision_message_has_no_internals(world: TenantWorld) -> None:
    world.provisioner.fail_provision_services = {"token"}
    with pytest.raises(Unavailable) as caught:
        await create(world, "acme")
    assert "token unavailable" not in caught.value.message


# --- delete --------------------------------------------------------------------------------------


async def test_delete_marks_deleting_before_deprovisioning(world: TenantWorld) -> None:
    await create(world, "acme")
    seen: list[TenantState] = []
    original = world.provisioner.deprovision

    async def observing(tenant_id: str) -> None:
        seen.append(world.store.tenants[tenant_id].state)
        await original(tenant_id)

    world.provisioner.deprovision = observing  # type: ignore[method-assign]
    await world.tenants.delete(PLATFORM, "acme")
    assert seen == [TenantState.DELETING]
    assert "acme" not in world.store.tenants
    assert world.provisioner.has_schemas("acme") == set()


async def test_deprovision_failure_keeps_deleting_tenant_and_retry_completes(world: TenantWorld) -> None:
    await create(world, "acme")
    world.provisioner.fail_deprovision = 1
    with pytest.raises(Unavailable) as caught:
        await world.tenants.delete(PLATFORM, "acme")
    assert caught.value.reason == "DEPROVISIONING_FAILED"
    assert world.store.tenants["acme"].state is TenantState.DELETING
    assert (await world.tenants.get(PLATFORM, "acme")).state is TenantState.DELETING

    await world.tenants.delete(PLATFORM, "acme")
    assert "acme" not in world.store.tenants
    assert world.provisioner.has_schemas("acme") == set()
    with pytest.raises(NotFound):
        await world.tenants.get(PLATFORM, "acme")


async def test_deleting_tenant_credentials_stop_working(world: TenantWorld) -> None:
    await create(world, "acme")
    _key, secret = await world.credentials.create_key(PLATFORM, "acme", "ci", ["users:read"], None)
    await world.credentials.authenticate(secret)
    world.provisioner.fail_deprovision = 1
    with pytest.raises(Unavailable):
        await world.tenants.delete(PLATFORM, "acme")
    with pytest.raises(Unauthenticated) as caught:
        await world.credentials.authenticate(secret)
    assert caught.value.reason == "CREDENTIAL_INVALID"


async def test_delete_needs_platform_and_existing_tenant(world: TenantWorld) -> None:
    await create(world, "acme")
    with pytest.raises(PermissionDenied):
        await world.tenants.delete(tenant_principal("acme"), "acme")
    with pytest.raises(NotFound) as caught:
        await world.tenants.delete(PLATFORM, "globex")
    assert caught.value.reason == "TENANT_NOT_FOUND"
    assert world.store.tenants["acme"].state is TenantState.ACTIVE
    assert world.provisioner.deprovision_calls() == 0


# --- visibility ------------------------------------------------------------------------------------


async def test_tenant_principal_sees_only_its_own_tenant(world: TenantWorld) -> None:
    await create(world, "acme")
    await create(world, "globex")
    acme = tenant_principal("acme")
    assert (await world.tenants.get(acme, "acme")).tenant_id == "acme"
    with pytest.raises(NotFound) as other:
        await world.tenants.get(acme, "globex")
    with pytest.raises(NotFound) as missing:
        await world.tenants.get(acme, "nope-tenant")
    # another tenant looks exactly like a missing one
    assert other.value.reason == missing.value.reason == "TENANT_NOT_FOUND"
    assert other.value.message == "tenant 'globex' not found"
    with pytest.raises(NotFound):
        await world.tenants.update(acme, "globex", {"display_name": "pwned"})
    assert world.store.tenants["globex"].display_name == "globex"


async def test_get_needs_tenants_read(world: TenantWorld) -> None:
    await create(world, "acme")
    with pytest.raises(PermissionDenied):
        await world.tenants.get(tenant_principal("acme", "users:read"), "acme")


async def test_get_with_invalid_id_is_invalid_argument(world: TenantWorld) -> None:
    with pytest.raises(InvalidArgument):
        await world.tenants.get(PLATFORM, "Bad Id")


# --- list ----------------------------------------------------------------------------------------


async def test_list_pages_through_45_tenants(world: TenantWorld) -> None:
    ids = [f"tenant-{i:02d}" for i in range(45)]
    for tenant_id in reversed(ids):
        await create(world, tenant_id)
    pages: list[list[str]] = []
    token = ""
    while True:
        page, token = await world.tenants.list(PLATFORM, 20, token)
        pages.append([t.tenant_id for t in page])
        if not token:
            break
        assert len(pages) < 10
    assert [len(p) for p in pages] == [20, 20, 5]
    assert [t for p in pages for t in p] == ids


async def test_list_exact_multiple_has_no_empty_last_page(world: TenantWorld) -> None:
    for i in range(40):
        await create(world, f"tenant-{i:02d}")
    first, token = await world.tenants.list(PLATFORM, 20, "")
    second, token = await world.tenants.list(PLATFORM, 20, token)
    assert (len(first), len(second), token) == (20, 20, "")


async def test_list_default_and_max_page_size(world: TenantWorld) -> None:
    for i in range(25):
        await create(world, f"tenant-{i:02d}")
    page, token = await world.tenants.list(PLATFORM, 0, "")
    assert len(page) == 20 and token
    page, token = await world.tenants.list(PLATFORM, 1000, "")
    assert len(page) == 25 and token == ""


async def test_tenant_principal_lists_only_its_own(world: TenantWorld) -> None:
    for tenant_id in ("acme", "beta", "globex"):
        await create(world, tenant_id)
    page, token = await world.tenants.list(tenant_principal("beta"), 20, "")
    assert [t.tenant_id for t in page] == ["beta"]
    assert token == ""
    # a page token cannot be used to peek at other tenants
    page, _ = await world.tenants.list(tenant_principal("beta"), 20, encode_page_token("acme"))
    assert [t.tenant_id for t in page] == ["beta"]


@pytest.mark.parametrize("token", ["garbage!", encode_page_token(5), encode_page_token(["a"])])
async def test_list_rejects_bad_page_tokens(world: TenantWorld, token: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        await world.tenants.list(PLATFORM, 20, token)
    assert caught.value.reason == "INVALID_PAGE_TOKEN"


# --- update --------------------------------------------------------------------------------------


async def test_tenant_admin_updates_its_own_tenant(world: TenantWorld) -> None:
    await create(world, "acme")
    updated = await world.tenants.update(tenant_principal("acme"), "acme", {
        "display_name": "Acme 2", "settings.password_policy.min_length": 14, "custom_domains": ["id.acme.com"],
    })
    assert updated.display_name == "Acme 2"
    assert updated.settings.password_policy.min_length == 14
    assert updated.custom_domains == ("id.acme.com",)
    assert world.store.tenants["acme"] == updated
    assert (await world.tenants.resolve(host="id.acme.com")).tenant_id == "acme"


async def test_update_rejects_bad_masks_and_taken_domains(world: TenantWorld) -> None:
    await create(world, "acme", ["login.acme.com"])
    await create(world, "globex")
    with pytest.raises(InvalidArgument) as caught:
        await world.tenants.update(PLATFORM, "globex", {"state": "active"})
    assert caught.value.reason == "INVALID_UPDATE_MASK"
    with pytest.raises(AlreadyExists) as taken:
        await world.tenants.update(PLATFORM, "globex", {"custom_domains": ["login.acme.com"]})
    assert taken.value.reason == "DOMAIN_TAKEN"
    assert world.store.tenants["globex"].custom_domains == ()


async def test_empty_update_changes_nothing(world: TenantWorld) -> None:
    await create(world, "acme")
    before = world.store.tenants["acme"]
    assert await world.tenants.update(PLATFORM, "acme", {}) == before


# --- suspend / resume ------------------------------------------------------------------------------


async def test_suspend_ends_tenant_credentials_and_resume_restores_them(world: TenantWorld) -> None:
    await create(world, "acme")
    await create(world, "globex")
    _k, acme_key = await world.credentials.create_key(PLATFORM, "acme", "ci", ["users:read"], None)
    _k, globex_key = await world.credentials.create_key(PLATFORM, "globex", "ci", ["users:read"], None)
    principal, ttl = await world.credentials.authenticate(acme_key)
    assert principal.tenant_id == "acme" and ttl > 0

    suspended = await world.tenants.suspend(PLATFORM, "acme")
    assert suspended.state is TenantState.SUSPENDED
    with pytest.raises(Unauthenticated) as caught:
        await world.credentials.authenticate(acme_key)
    assert caught.value.reason == "CREDENTIAL_INVALID"
    assert (await world.credentials.authenticate(globex_key))[0].tenant_id == "globex"  # others unaffected

    resumed = await world.tenants.resume(PLATFORM, "acme")
    assert resumed.state is TenantState.ACTIVE
    assert (await world.credentials.authenticate(acme_key))[0].tenant_id == "acme"


async def test_suspend_needs_platform(world: TenantWorld) -> None:
    await create(world, "acme")
    with pytest.raises(PermissionDenied):
        await world.tenants.suspend(tenant_principal("acme"), "acme")
    assert world.store.tenants["acme"].state is TenantState.ACTIVE


async def test_cannot_resume_a_tenant_that_is_not_ready(world: TenantWorld) -> None:
    await create(world, "acme")
    world.provisioner.fail_deprovision = 1
    with pytest.raises(Unavailable):
        await world.tenants.delete(PLATFORM, "acme")
    with pytest.raises(PermissionDenied) as caught:
        await world.tenants.resume(PLATFORM, "acme")
    assert caught.value.reason == "TENANT_NOT_READY"
    assert world.store.tenants["acme"].state is TenantState.DELETING


# --- resolve / current ------------------------------------------------------------------------------


async def test_resolve_by_id_subdomain_and_custom_domain(world: TenantWorld) -> None:
    await create(world, "acme", ["login.acme.com"])
    assert (await world.tenants.resolve(tenant_id="acme")).tenant_id == "acme"
    assert (await world.tenants.resolve(host="ACME.binoauth.dev:443")).tenant_id == "acme"
    assert (await world.tenants.resolve(host="login.acme.com.")).tenant_id == "acme"
    for kwargs in ({"tenant_id": "globex"}, {"tenant_id": "Bad Id"}, {"host": "globex.binoauth.dev"},
                   {"host": "unknown.example.com"}):
        with pytest.raises(NotFound):
            await world.tenants.resolve(**kwargs)
    with pytest.raises(InvalidArgument) as caught:
        await world.tenants.resolve()
    assert caught.value.reason == "TENANT_REQUIRED"


async def test_current_tries_candidates_in_order(world: TenantWorld) -> None:
    await create(world, "acme", ["login.acme.com"])
    await create(world, "globex")
    custom_then_header = [TenantSelection("custom_domain", host="login.acme.com"),
                          TenantSelection("header", tenant_id="globex")]
    assert (await world.tenants.current(custom_then_header)).tenant_id == "acme"
    unknown_then_header = [TenantSelection("custom_domain", host="other.example.com"),
                           TenantSelection("header", tenant_id="globex")]
    assert (await world.tenants.current(unknown_then_header)).tenant_id == "globex"
    with pytest.raises(NotFound):
        await world.tenants.current([TenantSelection("header", tenant_id="nobody")])
    with pytest.raises(InvalidArgument) as caught:
        await world.tenants.current([])
    assert caught.value.reason == "TENANT_REQUIRED"



async def test_suspend_and_delete_end_the_tenants_sessions_at_once() -> None:
    from services.common.auth import ALL_SCOPES, Principal, PrincipalKind
    from services.tenant.usecases import TenantUseCases
    from tests.fakes import FakeProvisioner, FakeTenantStore

    provisioner = FakeProvisioner()
    tenants = TenantUseCases(FakeTenantStore(), provisioner, "localhost")
    platform = Principal("ak_test", PrincipalKind.API_KEY, "", ALL_SCOPES)
    await tenants.create(platform, "acme", "Acme", {}, [])
    await tenants.suspend(platform, "acme")
    assert ("revoke_sessions", "acme") in provisioner.calls
    await tenants.resume(platform, "acme")
    await tenants.delete(platform, "acme")
    ops = [op for op, tenant in provisioner.calls if tenant == "acme"]
    assert ops[-2:] == ["revoke_sessions", "deprovision"]


async def test_list_searches_id_and_name_and_filters_by_state(world: TenantWorld) -> None:
    for tenant_id in ("acme", "beta", "globex"):
        await create(world, tenant_id)
    await world.tenants.suspend(PLATFORM, "globex")
    assert [t.tenant_id for t in (await world.tenants.list(PLATFORM, 20, "", "E"))[0]] == ["acme", "beta", "globex"]
    assert [t.tenant_id for t in (await world.tenants.list(PLATFORM, 20, "", "glo"))[0]] == ["globex"]
    suspended, _ = await world.tenants.list(PLATFORM, 20, "", "", TenantState.SUSPENDED)
    assert [t.tenant_id for t in suspended] == ["globex"]
    first, token = await world.tenants.list(PLATFORM, 1, "", "e", TenantState.ACTIVE)
    rest, last = await world.tenants.list(PLATFORM, 1, token, "e", TenantState.ACTIVE)
    assert [t.tenant_id for t in first + rest] == ["acme", "beta"] and last == ""
    # a tenant principal's search never reaches another tenant
    assert [t.tenant_id for t in (await world.tenants.list(tenant_principal("beta"), 20, "", "e"))[0]] == ["beta"]
