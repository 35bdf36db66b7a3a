"""Deleting a tenant and creating one with the same id: what every replica caches about the
tenant is dropped (tenant service notifications, signing keys, clients), and the Redis keys
a service purges are exactly the tenant's (key matching; the purge itself runs against Redis
in tests/integration/test_tenant_purge.py)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest

from services.common.auth import ALL_SCOPES, Principal, PrincipalKind
from services.common.crypto import SecretBox
from services.common.directory import TENANT_TOPIC
from services.common.ratelimit.policy import Descriptor, budgets, is_tenant_budget
from services.common.redis import is_tenant_key, redis_key, tenant_key, tenant_scan_pattern
from services.common.revocation import jti_key, tenant_nbf_key, user_nbf_key
from services.common.settings import Secret
from services.identity import lockout
from services.identity.lockout import AccountLockout
from services.session import live
from services.tenant.tenants import TenantState
from services.tenant.usecases import TenantUseCases
from services.token.applications.model import new_client_id
from services.token.applications.usecases import ApplicationUseCases
from services.token.keys.model import KeyState, SigningKey
from services.token.keys.usecases import KEYS_TOPIC, SigningKeys
from tests.fakes import FakeProvisioner, FakeTenantStore

pytestmark = pytest.mark.unit
PLATFORM = Principal("ak_root", PrincipalKind.API_KEY, "", frozenset(ALL_SCOPES))
NOW = datetime(2030, 1, 1, tzinfo=UTC)


class Notes:
    """Records notifications, with the tenant's state in the store when each was sent."""

    def __init__(self, store: FakeTenantStore) -> None:
        self.store = store
        self.sent: list[tuple[str, str, str]] = []

    async def __call__(self, topic: str, key: str) -> None:
        tenant = self.store.tenants.get(key)
        self.sent.append((topic, key, tenant.state.value if tenant else "gone"))


async def test_every_replica_forgets_the_tenant_when_it_is_created_and_when_deleted() -> None:
    store, provisioner = FakeTenantStore(), FakeProvisioner()
    notes = Notes(store)
    tenants = TenantUseCases(store, provisioner, "localhost", notify=notes)
    await tenants.create(PLATFORM, "acme", "Acme", {}, [])
    # Once it is ACTIVE: a replica that cached "no such tenant" (or the deleted tenant of this
    # id) serves the new one from the moment create returns.
    assert [n for n in notes.sent if n[0] == TENANT_TOPIC] == [(TENANT_TOPIC, "acme", TenantState.ACTIVE.value)]
    notes.sent.clear()
    await tenants.delete(PLATFORM, "acme")
    tenant_notes = [n for n in notes.sent if n[0] == TENANT_TOPIC]
    # At once when it is DELETING (no replica serves it from cache while it is torn down),
    # and when it is gone.
    assert tenant_notes == [(TENANT_TOPIC, "acme", TenantState.DELETING.value), (TENANT_TOPIC, "acme", "gone")]


def key(kid: str) -> SigningKey:
    return SigningKey(kid, "ES256", KeyState.ACTIVE, {"kid": kid}, NOW)


class KeyStore:
    """The key store's reads, with a hook that runs while one is in flight."""

    def __init__(self) -> None:
        self.keys = {"acme": [key("old")]}
        self.reads = 0
        self.during_read: list[Any] = []

    async def all(self, tenant_id: str) -> list[SigningKey]:
        self.reads += 1
        found = list(self.keys.get(tenant_id, []))
        await asyncio.sleep(0)
        while self.during_read:
            self.during_read.pop()()
        return found


def signing_keys(store: KeyStore, sent: list[tuple[str, str]]) -> SigningKeys:
    async def notify(topic: str, tenant_id: str) -> None:
        sent.append((topic, tenant_id))

    box = SecretBox(Secret("unit-test-key-encryption-key-0123456789abcdef"), "signing-keys")
    return SigningKeys(store, box, clock=lambda: NOW, notify=notify)  # type: ignore[arg-type]


async def test_a_key_list_read_during_an_invalidation_is_not_cached() -> None:
    store, sent = KeyStore(), list[tuple[str, str]]()
    keys = signing_keys(store, sent)
    assert [k.kid for k in await keys.keys("acme")] == ["old"]
    assert [k.kid for k in await keys.keys("acme")] == ["old"] and store.reads == 1  # cached

    # The tenant is deleted and created again while a request reads its keys: the old list
    # that read returns must not be cached past the invalidation.
    keys.forget("acme")

    def recreate() -> None:
        store.keys["acme"] = [key("new")]
        keys.forget("acme")

    store.during_read.append(recreate)
    assert [k.kid for k in await keys.keys("acme")] == ["old"]  # read before the change
    assert [k.kid for k in await keys.keys("acme")] == ["new"]


async def test_provisioning_and_deprovisioning_drop_the_keys_on_every_replica() -> None:
    store, sent = KeyStore(), list[tuple[str, str]]()
    keys = signing_keys(store, sent)
    await keys.keys("acme")
    keys._private[("acme", "old")] = object()  # type: ignore[assignment]
    keys._private[("other", "x")] = object()  # type: ignore[assignment]
    await keys.discard("acme")
    assert sent == [(KEYS_TOPIC, "acme")]  # the other replicas drop theirs (forget)
    assert ("acme", "old") not in keys._private and ("other", "x") in keys._private
    store.keys["acme"] = [key("new")]
    assert [k.kid for k in await keys.keys("acme")] == ["new"]


class AppStore:
    def __init__(self) -> None:
        self.apps: dict[tuple[str, str], Any] = {}
        self.during_read: list[Any] = []

    async def get(self, tenant_id: str, client_id: str) -> Any:
        found = self.apps.get((tenant_id, client_id))
        await asyncio.sleep(0)
        while self.during_read:
            self.during_read.pop()()
        return found


async def test_clients_of_a_deleted_tenant_are_forgotten() -> None:
    store = AppStore()
    apps: Any = ApplicationUseCases(store)  # type: ignore[arg-type]
    acme, other = new_client_id(), new_client_id()
    store.apps[("acme", acme)] = "acme's client"
    store.apps[("other", other)] = "other's client"
    assert await apps.find("acme", acme) == "acme's client"
    assert await apps.find("other", other) == "other's client"
    del store.apps[("acme", acme)], store.apps[("other", other)]
    assert await apps.find("acme", acme) == "acme's client"  # cached
    apps.forget_tenant("acme")
    assert await apps.find("acme", acme) is None
    assert await apps.find("other", other) == "other's client"  # another tenant's cache stays

    # An invalidation while a read is in flight: that read is not cached.
    store.apps[("acme", acme)] = "deleted tenant's client"
    apps.forget_tenant("acme")
    store.during_read.append(lambda: apps.forget_tenant("acme"))
    assert await apps.find("acme", acme) == "deleted tenant's client"
    del store.apps[("acme", acme)]
    assert await apps.find("acme", acme) is None


@pytest.mark.parametrize("tenant_id", ["acme", "a:b", "a%3Ab", "a*", "x"])
def test_tenant_keys_match_exactly(tenant_id: str) -> None:
    kinds = ("session", "nbf-tenant")
    mine = [tenant_key("session", tenant_id, "h"), tenant_key("nbf-tenant", tenant_id)]
    others = [tenant_key("session", tenant_id + "2", "h"), tenant_key("session", "2" + tenant_id, "h"),
              tenant_key("session", "z", tenant_id), tenant_key("other-kind", tenant_id, "h"),
              redis_key("session"), redis_key("failures", "device-code", tenant_id)]
    assert all(is_tenant_key(k, tenant_id, kinds) for k in mine)
    assert not any(is_tenant_key(k, tenant_id, kinds) for k in others)
    pattern = tenant_scan_pattern(tenant_id)
    assert pattern.startswith("binoauth:*:") and pattern.endswith("*")


def test_every_key_a_service_writes_for_a_tenant_is_one_it_purges() -> None:
    identity = [*AccountLockout.keys("acme", "u"), AccountLockout.pending_key("acme", "u")]
    assert all(is_tenant_key(k, "acme", lockout.KINDS) for k in identity)
    session = [live.session_key("acme", b"\x01"), jti_key("acme", "j"), user_nbf_key("acme", "u"),
               tenant_nbf_key("acme")]
    assert all(is_tenant_key(k, "acme", live.KINDS) for k in session)
    descriptor = Descriptor(group="login", remote_address="10.0.0.1", credential="Bearer s3cret")
    rate_limits = [b.key for b in budgets(descriptor, "acme", {})]
    assert len(rate_limits) == 3 and all(is_tenant_budget(k, "acme") for k in rate_limits)
    assert not any(is_tenant_budget(k, other) for k in rate_limits for other in ("acm", "acme2", "login", ""))
    assert not any(is_tenant_budget(b.key, "") for b in budgets(descriptor, "", {}))
