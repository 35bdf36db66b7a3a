"""services.tenant.credentials: scope validation and who may grant what."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.common.auth import ALL_SCOPES, Principal, PrincipalKind
from services.common.errors import InvalidArgument, PermissionDenied
from services.tenant.credentials import (
    ADMIN_TOKEN_PREFIX,
    API_KEY_PREFIX,
    ApiKey,
    ApiKeyState,
    check_can_grant,
    clean_label,
    new_admin_token,
    new_api_key_secret,
    new_id,
    validate_scopes,
)

pytestmark = pytest.mark.unit

NOW = datetime(2030, 1, 1, tzinfo=UTC)
PLATFORM = Principal("ak_p", PrincipalKind.API_KEY, "", frozenset(ALL_SCOPES))
ACME = Principal("ak_a", PrincipalKind.API_KEY, "acme", frozenset({"users:read", "users:write", "api_keys:write"}))


def test_validate_scopes_accepts_known_and_strips() -> None:
    assert validate_scopes([" users:read", "users:write "], "acme") == frozenset({"users:read", "users:write"})
    assert validate_scopes(list(ALL_SCOPES), "") == ALL_SCOPES
    assert validate_scopes(["users:read", "users:read"], "acme") == frozenset({"users:read"})


@pytest.mark.parametrize("scopes", [[], (), frozenset()])
def test_validate_scopes_requires_one(scopes: list[str]) -> None:
    with pytest.raises(InvalidArgument) as caught:
        validate_scopes(scopes, "acme")
    assert caught.value.reason == "INVALID_SCOPE"


@pytest.mark.parametrize("scopes", [["users:delete"], ["users:read", "root"], ["*"], ["USERS:READ"], [""],
                                    ["users"]])
def test_validate_scopes_rejects_unknown(scopes: list[str]) -> None:
    with pytest.raises(InvalidArgument) as caught:
        validate_scopes(scopes, "acme")
    assert caught.value.reason == "INVALID_SCOPE"
    assert caught.value.details["field"] == "scopes"


def test_platform_can_grant_anything_anywhere() -> None:
    check_can_grant(PLATFORM, "", frozenset(ALL_SCOPES))
    check_can_grant(PLATFORM, "acme", frozenset({"users:read"}))


def test_tenant_can_grant_its_own_scopes_in_its_tenant() -> None:
    check_can_grant(ACME, "acme", frozenset({"users:read"}))
    check_can_grant(ACME, "acme", ACME.scopes)


def test_tenant_cannot_create_platform_credentials() -> None:
    with pytest.raises(PermissionDenied) as caught:
        check_can_grant(ACME, "", frozenset({"users:read"}))
    assert caught.value.reason == "TENANT_MISMATCH"


def test_tenant_cannot_create_credentials_for_another_tenant() -> None:
    with pytest.raises(PermissionDenied) as caught:
        check_can_grant(ACME, "globex", frozenset({"users:read"}))
    assert caught.value.reason == "TENANT_MISMATCH"


@pytest.mark.parametrize("scopes", [{"users:read", "tenants:write"}, {"admins:write"}, set(ALL_SCOPES)])
def test_nobody_grants_scopes_they_lack(scopes: set[str]) -> None:
    with pytest.raises(PermissionDenied) as caught:
        check_can_grant(ACME, "acme", frozenset(scopes))
    assert caught.value.reason == "SCOPE_ESCALATION"


def test_limited_platform_principal_cannot_escalate() -> None:
    limited = Principal("ak_l", PrincipalKind.ADMIN_USER, "", frozenset({"api_keys:write"}))
    with pytest.raises(PermissionDenied) as caught:
        check_can_grant(limited, "", frozenset({"tenants:write"}))
    assert caught.value.reason == "SCOPE_ESCALATION"


def test_secrets_are_prefixed_random_and_long() -> None:
    keys = {new_api_key_secret() for _ in range(50)}
    assert len(keys) == 50
    assert all(k.startswith(API_KEY_PREFIX) and len(k) >= 40 for k in keys)
    token = new_admin_token()
    assert token.startswith(ADMIN_TOKEN_PREFIX) and len(token) >= 40
    assert new_id("ak").startswith("ak_") and new_id("ak") != new_id("ak")


def test_api_key_state() -> None:
    key = ApiKey("ak_1", "acme", "k", frozenset({"users:read"}), NOW, NOW + timedelta(days=1), None)
    assert key.state(NOW) is ApiKeyState.ACTIVE
    assert key.state(NOW + timedelta(days=1)) is ApiKeyState.EXPIRED  # expiry instant is already expired
    revoked = ApiKey("ak_2", "acme", "k", frozenset(), NOW, NOW + timedelta(days=1), NOW)
    assert revoked.state(NOW + timedelta(days=2)) is ApiKeyState.REVOKED
    forever = ApiKey("ak_3", "", "k", frozenset(), NOW, None, None)
    assert forever.state(NOW + timedelta(days=10_000)) is ApiKeyState.ACTIVE


def test_clean_label() -> None:
    assert clean_label("  CI key  ", "display_name") == "CI key"
    for bad in ("x" * 101, "a\nb"):
        with pytest.raises(InvalidArgument) as caught:
            clean_label(bad, "display_name")
        assert caught.value.details == {"field": "display_name"}
