"""services.common.auth: principals, scope checks, and the cached credential verifier."""

from __future__ import annotations

import pytest

from services.common.auth import (
    ALL_SCOPES,
    CachedCredentialVerifier,
    Principal,
    PrincipalKind,
    credential_hash,
)
from services.common.errors import PermissionDenied, Unauthenticated

pytestmark = pytest.mark.unit

PLATFORM = Principal("ak_platform", PrincipalKind.API_KEY, "", frozenset({"tenants:read", "tenants:write"}))
ACME = Principal("ak_acme", PrincipalKind.API_KEY, "acme", frozenset({"users:read"}))


def test_platform_principal_has_no_tenant() -> None:
    assert PLATFORM.is_platform
    assert not ACME.is_platform


def test_require_scope() -> None:
    PLATFORM.require_scope("tenants:write")
    with pytest.raises(PermissionDenied) as caught:
        ACME.require_scope("users:write")
    assert caught.value.reason == "MISSING_SCOPE"
    assert caught.value.details == {"scope": "users:write"}


def test_scopes_are_exact_not_prefixes() -> None:
    principal = Principal("p", PrincipalKind.ADMIN_USER, "", frozenset({"tenants"}))
    with pytest.raises(PermissionDenied):
        principal.require_scope("tenants:read")


def test_require_platform() -> None:
    PLATFORM.require_platform()
    with pytest.raises(PermissionDenied) as caught:
        ACME.require_platform()
    assert caught.value.reason == "PLATFORM_CREDENTIAL_REQUIRED"


def test_tenant_access() -> None:
    assert PLATFORM.can_access_tenant("acme")
    assert PLATFORM.can_access_tenant("globex")
    assert ACME.can_access_tenant("acme")
    assert not ACME.can_access_tenant("globex")
    assert not ACME.can_access_tenant("")  # a tenant principal is not a platform principal


def test_all_scopes_are_resource_action_pairs() -> None:
    for scope in ALL_SCOPES:
        resource, action = scope.split(":")
        assert resource and action in {"read", "write"}


def test_credential_hash_is_sha256() -> None:
    assert len(credential_hash("x")) == 32
    assert credential_hash("x") == credential_hash("x")
    assert credential_hash("x") != credential_hash("y")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Verifier:
    """A stand-in for the tenant service's Authenticate RPC."""

    def __init__(self, ttl: float = 5.0) -> None:
        self.ttl = ttl
        self.valid: dict[str, Principal] = {}
        self.calls: list[str] = []

    async def __call__(self, credential: str) -> tuple[Principal, float]:
        self.calls.append(credential)
        if credential not in self.valid:
            raise Unauthenticated("bad", reason="CREDENTIAL_INVALID")
        return self.valid[credential], self.ttl


def make(ttl: float = 5.0) -> tuple[CachedCredentialVerifier, Verifier, Clock]:
    verify, clock = Verifier(ttl), Clock()
    verify.valid["bino_good"] = ACME
    return CachedCredentialVerifier(verify, clock=clock), verify, clock


async def test_success_is_cached_for_its_ttl() -> None:
    cached, verify, clock = make(ttl=5.0)
    assert await cached.authenticate("bino_good") == ACME
    clock.now += 4.9
    assert await cached.authenticate("bino_good") == ACME
    assert verify.calls == ["bino_good"]
    clock.now += 0.2  # past the TTL
    assert await cached.authenticate("bino_good") == ACME
    assert verify.calls == ["bino_good", "bino_good"]


async def test_revocation_is_seen_after_ttl() -> None:
    cached, verify, clock = make(ttl=5.0)
    await cached.authenticate("bino_good")
    del verify.valid["bino_good"]
    await cached.authenticate("bino_good")  # still cached
    clock.now += 5.0
    with pytest.raises(Unauthenticated):
        await cached.authenticate("bino_good")


async def test_failures_are_not_cached() -> None:
    cached, verify, _clock = make()
    with pytest.raises(Unauthenticated):
        await cached.authenticate("bino_new")
    verify.valid["bino_new"] = PLATFORM  # the key was just created
    assert await cached.authenticate("bino_new") == PLATFORM
    assert verify.calls == ["bino_new", "bino_new"]


async def test_zero_ttl_is_not_cached() -> None:
    cached, verify, _clock = make(ttl=0)
    await cached.authenticate("bino_good")
    await cached.authenticate("bino_good")
    assert len(verify.calls) == 2


async def test_empty_credential_is_missing_without_a_call() -> None:
    cached, verify, _clock = make()
    with pytest.raises(Unauthenticated) as caught:
        await cached.authenticate("")
    assert caught.value.reason == "CREDENTIAL_MISSING"
    assert verify.calls == []


async def test_cache_is_keyed_by_hash() -> None:
    cached, verify, _clock = make()
    await cached.authenticate("bino_good")
    cached.forget(b"bino_good")  # the raw credential is not the key
    await cached.authenticate("bino_good")
    assert len(verify.calls) == 1
    cached.forget(credential_hash("bino_good"))  # its SHA-256 is
    await cached.authenticate("bino_good")
    assert len(verify.calls) == 2


async def test_cache_holds_no_raw_credential() -> None:
    cached, _verify, _clock = make()
    await cached.authenticate("bino_good")
    stored = repr(vars(cached)) if hasattr(cached, "__dict__") else ""
    assert "bino_good" not in stored


async def test_different_credentials_are_separate_entries() -> None:
    cached, verify, _clock = make()
    verify.valid["bino_other"] = PLATFORM
    assert await cached.authenticate("bino_good") == ACME
    assert await cached.authenticate("bino_other") == PLATFORM
    assert await cached.authenticate("bino_good") == ACME
    assert verify.calls == ["bino_good", "bino_other"]


async def test_full_cache_is_cleared_not_grown() -> None:
    verify, clock = Verifier(), Clock()
    cached = CachedCredentialVerifier(verify, max_entries=2, clock=clock)
    for name in ("a", "b", "c"):
        verify.valid[name] = ACME
        await cached.authenticate(name)
    await cached.authenticate("c")  # the newest entry survives the clear
    assert verify.calls == ["a", "b", "c"]
    await cached.authenticate("a")
    assert verify.calls == ["a", "b", "c", "a"]
