"""services.common.ratelimit.policy: groups, defaults, tenant overrides, descriptors, keys."""

from __future__ import annotations

from typing import Any

import pytest

from services.common.context import RequestMeta, request_meta
from services.common.ratelimit.limiter import Budget
from services.common.ratelimit.policy import (
    DEFAULTS,
    FAIL_CLOSED,
    FAIL_OPEN,
    GROUPS,
    BudgetCache,
    Descriptor,
    GroupLimits,
    budgets,
    credential_hash,
    fails_closed,
    limits_for,
    scaled_defaults,
)

pytestmark = pytest.mark.unit


def test_defaults_are_the_documented_ones() -> None:
    # protos/binoauth/tenant/v1/tenant.proto (RateLimits) and services/tenant/tenants.py.
    assert DEFAULTS == {
        "login": GroupLimits(20, 600), "signup": GroupLimits(10, 300), "token": GroupLimits(300, 6000),
        "verification": GroupLimits(5, 200), "management": GroupLimits(600, 3000),
        "public": GroupLimits(1200, None),
    }
    assert set(GROUPS) == set(DEFAULTS) == FAIL_CLOSED | FAIL_OPEN
    assert FAIL_CLOSED == {"login", "signup", "token", "verification"}
    assert fails_closed("login") and not fails_closed("management") and not fails_closed("public")
    assert not fails_closed("something-new")  # unknown -> management, fail open


def test_platform_defaults_match_the_tenant_services_dataclass() -> None:
    from services.tenant.tenants import RateLimits

    for group, value in RateLimits().__dict__.items():
        assert DEFAULTS[group] == GroupLimits(value.per_ip_per_minute, value.per_tenant_per_minute)


def test_tenant_overrides_merge_with_defaults() -> None:
    settings = {"rate_limits": {
        "login": {"per_ip_per_minute": 3, "per_tenant_per_minute": 0},   # 0 = default
        "management": {"per_tenant_per_minute": 5},
        "token": {"per_ip_per_minute": "bad", "per_tenant_per_minute": -1},
        "public": {"per_ip_per_minute": 1},                                # not a tenant setting
    }}
    assert limits_for("login", settings) == GroupLimits(3, 600)
    assert limits_for("management", settings) == GroupLimits(600, 5)
    assert limits_for("token", settings) == GroupLimits(300, 6000)
    assert limits_for("public", settings) == GroupLimits(1200, None)
    assert limits_for("signup", settings) == GroupLimits(10, 300)
    assert limits_for("login", None) == limits_for("login", {}) == GroupLimits(20, 600)
    assert limits_for("login", {"rate_limits": None}) == GroupLimits(20, 600)
    assert limits_for("nonsense", settings) == GroupLimits(600, 5)  # treated as management


def _meta(**headers: str) -> RequestMeta:
    return request_meta([("x-binoauth-gateway", "1"), *headers.items()], "ipv4:10.9.9.9:5000")


def test_descriptor_for_request_reads_what_the_gateway_set() -> None:
    meta = _meta(**{"x-binoauth-client-ip": "203.0.113.7", "x-forwarded-for": "198.51.100.1, 10.0.0.2",
                    "x-binoauth-tenant": "acme", "x-forwarded-host": "acme.example.com", "x-tenant-id": "other",
                    "authorization": "Bearer s3cret", "x-api-key": "second"})
    d = Descriptor.for_request("login", meta)
    assert d == Descriptor("login", "203.0.113.7", "acme", "acme.example.com", "other", "Bearer s3cret")
    assert "s3cret" not in repr(d) and "s3cret" not in str(d)
    # No Authorization: the API key is the credential; an unknown group is management's.
    assert Descriptor.for_request("weird", _meta(**{"x-api-key": "k1"})) == Descriptor(
        "management", "10.9.9.9", credential="k1")


@pytest.mark.parametrize(
    ("descriptor", "base_domain", "expected"),
    [
        (Descriptor("login", tenant="acme", host="beta.example.com", tenant_header="gamma"), "example.com",
         [("path", "acme", "")]),
        (Descriptor("login", host="beta.example.com", tenant_header="gamma"), "example.com",
         [("subdomain", "beta", "")]),
        (Descriptor("login", host="login.acme.org", tenant_header="gamma"), "example.com",
         [("custom_domain", "", "login.acme.org"), ("header", "gamma", "")]),
        (Descriptor("login", host="localhost", tenant_header="gamma"), "localhost", [("header", "gamma", "")]),
        (Descriptor("login", host="127.0.0.1"), "localhost", []),
    ],
)
def test_tenant_selection_follows_the_platform_order(
    descriptor: Descriptor, base_domain: str, expected: list[tuple[str, str, str]]
) -> None:
    assert [(c.source, c.tenant_id, c.host) for c in descriptor.selection(base_domain)] == expected


def test_budgets_per_ip_credential_and_tenant() -> None:
    d = Descriptor("login", remote_address="10.0.0.1", credential="Bearer s3cret")
    settings = {"rate_limits": {"login": {"per_ip_per_minute": 7, "per_tenant_per_minute": 70}}}
    got = budgets(d, "acme", settings)
    assert got == [
        Budget("binoauth:rl:login:ip:acme:10.0.0.1", 7),
        Budget(f"binoauth:rl:login:cred:acme:{credential_hash('Bearer s3cret')}", 7),
        Budget("binoauth:rl:login:tenant:acme", 70),
    ]
    assert all("s3cret" not in b.key for b in got)
    # Unknown tenant: the per-IP budget with platform defaults, no tenant budget; settings ignored.
    assert budgets(Descriptor("login", remote_address="10.0.0.1"), "", settings) == [
        Budget("binoauth:rl:login:ip::10.0.0.1", 20)]
    # Public: no tenant budget.
    assert budgets(Descriptor("public", remote_address="::1"), "acme", None) == [
        Budget("binoauth:rl:public:ip:acme:%3A%3A1", 1200)]


def test_keys_cannot_collide_across_tenants_and_addresses() -> None:
    a = budgets(Descriptor("login", remote_address="ip"), "a:b", None)[0].key
    b = budgets(Descriptor("login", remote_address="b:ip"), "a", None)[0].key
    assert a != b
    c = budgets(Descriptor("management", remote_address="1"), "t", None)
    d = budgets(Descriptor("login", remote_address="1"), "t", None)
    assert {x.key for x in c}.isdisjoint({x.key for x in d})  # groups have separate budgets


def test_budget_validation() -> None:
    with pytest.raises(ValueError):
        Budget("k", 0)
    with pytest.raises(ValueError):
        Budget("k", 1, 0)


def test_scaled_defaults_leave_tenant_overrides_alone() -> None:
    big = scaled_defaults(100)
    assert big["login"] == GroupLimits(2000, 60000) and big["public"] == GroupLimits(120000, None)
    settings = {"rate_limits": {"login": {"per_ip_per_minute": 3}}}
    assert limits_for("login", settings, big) == GroupLimits(3, 60000)
    assert scaled_defaults(0.001)["verification"] == GroupLimits(1, 1)
    with pytest.raises(ValueError):
        scaled_defaults(0)


@pytest.mark.parametrize("descriptor", [
    Descriptor("token", remote_address="10.0.0.1", tenant="acme", credential="Basic YTpi"),
    Descriptor("login", remote_address="2001:db8::1"),
    Descriptor("public", remote_address="10.0.0.2", credential="Bearer x"),
    Descriptor("management", credential="x-api-key-value"),
])
@pytest.mark.parametrize("tenant_id, settings", [
    ("", None), ("acme", None), ("acme", {"rate_limits": {"token": {"per_ip_per_minute": 9}}}),
    ("acme", {"rate_limits": {"login": {"per_ip_per_minute": 2, "per_tenant_per_minute": 30}}}),
])
def test_the_budget_cache_gives_exactly_what_budgets_gives(descriptor: Descriptor, tenant_id: str,
                                                           settings: dict[str, Any] | None) -> None:
    defaults = scaled_defaults(10)
    cache = BudgetCache(defaults)
    expected = budgets(descriptor, tenant_id, settings, defaults)
    assert cache.budgets(descriptor, tenant_id, settings) == expected
    assert cache.budgets(descriptor, tenant_id, settings) == expected  # from the cache
    other = Descriptor(descriptor.group, descriptor.remote_address, credential="another credential")
    assert cache.budgets(other, tenant_id, settings) == budgets(other, tenant_id, settings, defaults)


def test_the_budget_cache_stays_bounded_and_never_keys_on_a_credential() -> None:
    cache = BudgetCache(max_entries=3)
    for n in range(10):
        cache.budgets(Descriptor("token", remote_address=f"10.0.0.{n}", credential="Basic c2VjcmV0"), "acme", None)
    assert len(cache._entries) <= 3
    assert "Basic c2VjcmV0" not in repr(cache._entries)
