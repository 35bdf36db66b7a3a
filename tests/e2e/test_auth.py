"""Management credentials through the gateway: API keys, scopes, tenant boundaries, admins."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.e2e.helpers import assert_envelope, unique_id

pytestmark = pytest.mark.e2e


def make_key(gateway: httpx.Client, headers: dict[str, str], scopes: list[str], tenant_id: str = "") -> str:
    path = f"/api/v1/tenants/{tenant_id}/apiKeys" if tenant_id else "/api/v1/apiKeys"
    response = gateway.post(path, headers=headers, json={"display_name": "test", "scopes": scopes})
    assert response.status_code == 200, response.text
    assert response.json()["secret"].startswith("bino_")
    return str(response.json()["secret"])


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_missing_invalid_and_revoked_keys_get_401(gateway: httpx.Client, platform_headers: dict[str, str]) -> None:
    assert_envelope(gateway.get("/api/v1/tenants"), 401, "CREDENTIAL_MISSING")
    assert_envelope(gateway.get("/api/v1/tenants", headers=bearer("bino_not-a-real-key")), 401, "CREDENTIAL_INVALID")
    assert_envelope(gateway.get("/api/v1/tenants", headers={"Authorization": "Basic Zm9vOmJhcg=="}),
                    401, "CREDENTIAL_MISSING")

    created = gateway.post("/api/v1/apiKeys", headers=platform_headers,
                           json={"display_name": "short-lived", "scopes": ["tenants:read"]}).json()
    secret, key_id = created["secret"], created["api_key"]["api_key_id"]
    assert gateway.get("/api/v1/tenants", headers=bearer(secret)).status_code == 200
    assert gateway.get("/api/v1/tenants", headers={"X-API-Key": secret}).status_code == 200
    listed = gateway.get("/api/v1/apiKeys", headers=platform_headers).json()["api_keys"]
    assert key_id in {k["api_key_id"] for k in listed}
    assert "secret" not in str(listed).lower().replace("secret_", "")

    revoked = gateway.post(f"/api/v1/apiKeys/{key_id}:revoke", headers=platform_headers, json={})
    assert revoked.json()["state"] == "API_KEY_STATE_REVOKED"
    assert_envelope(gateway.get("/api/v1/tenants", headers=bearer(secret)), 401, "CREDENTIAL_INVALID")


def test_wrong_scope_gets_403(gateway: httpx.Client, platform_headers: dict[str, str]) -> None:
    reader = make_key(gateway, platform_headers, ["tenants:read"])
    response = gateway.post("/api/v1/tenants", headers=bearer(reader), json={"tenant_id": unique_id()})
    error = assert_envelope(response, 403, "MISSING_SCOPE")
    assert error["details"]["scope"] == "tenants:write"


def test_tenant_key_cannot_reach_another_tenant(
    gateway: httpx.Client, platform_headers: dict[str, str], new_tenant: Callable[..., dict[str, Any]]
) -> None:
    mine, theirs = new_tenant()["tenant_id"], new_tenant()["tenant_id"]
    key = make_key(gateway, platform_headers, ["tenants:read", "tenants:write", "api_keys:read", "api_keys:write"],
                   tenant_id=mine)
    assert gateway.get(f"/api/v1/tenants/{mine}", headers=bearer(key)).status_code == 200
    assert_envelope(gateway.get(f"/api/v1/tenants/{theirs}", headers=bearer(key)), 404, "TENANT_NOT_FOUND")
    assert_envelope(gateway.patch(f"/api/v1/tenants/{theirs}", headers=bearer(key), json={"display_name": "x"}),
                    404, "TENANT_NOT_FOUND")
    assert_envelope(gateway.delete(f"/api/v1/tenants/{theirs}", headers=bearer(key)), 403)
    listed = gateway.get("/api/v1/tenants", headers=bearer(key)).json()["tenants"]
    assert [t["tenant_id"] for t in listed] == [mine]
    # Nor can it mint keys elsewhere, platform keys, or keys with more scopes than it holds.
    assert gateway.post(f"/api/v1/tenants/{theirs}/apiKeys", headers=bearer(key),
                        json={"scopes": ["tenants:read"]}).status_code in (403, 404)
    assert_envelope(gateway.post("/api/v1/apiKeys", headers=bearer(key), json={"scopes": ["tenants:read"]}),
                    403, "TENANT_MISMATCH")
    assert_envelope(gateway.post(f"/api/v1/tenants/{mine}/apiKeys", headers=bearer(key),
                                 json={"scopes": ["users:write"]}), 403, "SCOPE_ESCALATION")
    # A tenant key may still manage its own tenant.
    renamed = gateway.patch(f"/api/v1/tenants/{mine}", headers=bearer(key), params={"update_mask": "display_name"},
                            json={"display_name": "Mine"})
    assert renamed.json()["display_name"] == "Mine"


def test_admin_login_returns_a_short_lived_token_that_disable_ends(
    gateway: httpx.Client, platform_headers: dict[str, str]
) -> None:
    email = f"{unique_id('admin')}@example.com"
    password = "correct horse battery staple"
    created = gateway.post("/api/v1/adminUsers", headers=platform_headers, json={
        "admin_user": {"email": email, "scopes": ["tenants:read"]}, "password": password})
    assert created.status_code == 200, created.text
    admin_id = created.json()["admin_user_id"]
    assert "password" not in created.text

    login = gateway.post("/api/v1/admin/login", json={"email": email, "password": password})
    assert login.status_code == 200, login.text
    assert login.headers["cache-control"] == "no-store"
    token = login.json()["access_token"]
    assert login.json()["expires_in"] == 900
    assert gateway.get("/api/v1/tenants", headers=bearer(token)).status_code == 200

    gateway.post(f"/api/v1/adminUsers/{admin_id}:disable", headers=platform_headers, json={})
    assert_envelope(gateway.get("/api/v1/tenants", headers=bearer(token)), 401, "CREDENTIAL_INVALID")


def test_admin_login_failures_look_the_same(gateway: httpx.Client, platform_headers: dict[str, str]) -> None:
    email = f"{unique_id('admin')}@example.com"
    gateway.post("/api/v1/adminUsers", headers=platform_headers, json={
        "admin_user": {"email": email, "scopes": ["tenants:read"]}, "password": "a long enough password"})
    wrong = gateway.post("/api/v1/admin/login", json={"email": email, "password": "not the password"})
    unknown = gateway.post("/api/v1/admin/login", json={"email": f"nobody-{email}", "password": "not the password"})
    a, b = assert_envelope(wrong, 401, "INVALID_CREDENTIALS"), assert_envelope(unknown, 401, "INVALID_CREDENTIALS")
    assert a["message"] == b["message"] and a["details"] == b["details"]


def test_revoking_a_key_takes_effect_at_once_in_every_service(
    gateway: httpx.Client, platform_headers: dict[str, str], new_tenant: Callable[..., dict[str, Any]]
) -> None:
    """Other services cache credential checks; the tenant service tells them when a key is
    revoked (Redis pub/sub), so nobody waits for the cache to expire."""
    import time

    tenant_id = new_tenant()["tenant_id"]
    created = gateway.post(f"/api/v1/tenants/{tenant_id}/apiKeys", headers=platform_headers,
                           json={"scopes": ["users:read"]}).json()
    headers = {"Authorization": f"Bearer {created['secret']}"}
    for _ in range(3):  # warm the identity replicas' caches
        assert gateway.get("/api/v1/users", headers=headers).status_code == 200
    gateway.post(f"/api/v1/apiKeys/{created['api_key']['api_key_id']}:revoke", headers=platform_headers, json={})
    started = time.monotonic()
    while gateway.get("/api/v1/users", headers=headers).status_code == 200:
        assert time.monotonic() - started < 1.0, "the revoked key still worked after 1 s (cache TTL is 5 s)"
        time.sleep(0.05)
    for _ in range(4):  # both replicas refuse it
        assert_envelope(gateway.get("/api/v1/users", headers=headers), 401, "CREDENTIAL_INVALID")
