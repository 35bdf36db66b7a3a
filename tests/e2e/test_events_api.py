"""Security events through the gateway: what sign-ins, failures and administrators' actions
leave behind, who may read them, and that one tenant never sees another's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.e2e.helpers import assert_envelope, unique_id
from tools.stack import Stack

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery staple"
AGENT = "EventsTest/1.0"


def api_key(gateway: httpx.Client, platform: dict[str, str], tenant_id: str, *scopes: str) -> dict[str, str]:
    created = gateway.post(f"/api/v1/tenants/{tenant_id}/apiKeys", headers=platform, json={"scopes": list(scopes)})
    assert created.status_code == 200, created.text
    return {"Authorization": f"Bearer {created.json()['secret']}"}


def events(gateway: httpx.Client, tenant_id: str, key: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    listed = gateway.get(f"/tenant/{tenant_id}/api/v1/events", headers=key, params=params)
    assert listed.status_code == 200, listed.text
    return list(listed.json().get("events", []))


def test_sign_ins_failures_and_admin_actions_are_recorded(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], new_tenant: Callable[..., dict[str, Any]]
) -> None:
    tenant_id = new_tenant()["tenant_id"]
    admin = api_key(gateway, platform_headers, tenant_id, "users:write", "users:read")
    reader = api_key(gateway, platform_headers, tenant_id, "events:read")
    email = f"{unique_id('ev')}@example.com"
    created = gateway.post(f"/tenant/{tenant_id}/api/v1/users", headers=admin, json={
        "user": {"email": email, "name": "Eve"}, "password": PASSWORD, "email_verified": True})
    assert created.status_code == 200, created.text
    user_id = created.json()["user_id"]

    login = f"/tenant/{tenant_id}/api/v1/auth/login"
    agent = {"User-Agent": AGENT}
    assert gateway.post(login, headers=agent, json={"email": email, "password": "wrong password!"}).status_code == 401
    unknown_login = {"email": "nobody@example.com", "password": PASSWORD}
    assert gateway.post(login, headers=agent, json=unknown_login).status_code == 401
    assert gateway.post(login, headers=agent, json={"email": email, "password": PASSWORD}).status_code == 200
    disabled = gateway.post(f"/tenant/{tenant_id}/api/v1/users/{user_id}:disable", headers=admin, json={})
    assert disabled.status_code == 200, disabled.text

    found = events(gateway, tenant_id, reader)
    assert [e["type"] for e in found] == ["USER_DISABLED", "LOGIN_SUCCEEDED", "LOGIN_FAILED", "LOGIN_FAILED",
                                          "USER_CREATED"]
    disable, success, unknown, wrong, create = found
    assert disable["user_id"] == user_id and disable["actor"].startswith("ak_")
    assert create["actor"] == disable["actor"]
    assert success["user_id"] == user_id and success["details"]["method"] == "pwd" and success["user_agent"] == AGENT
    assert success["ip_address"] and not success.get("actor")
    assert wrong["user_id"] == user_id and wrong["details"] == {"email": email, "reason": "credentials"}
    assert not unknown.get("user_id") and unknown["details"]["email"] == "nobody@example.com"
    assert all(e["event_id"].startswith("evt_") and e["create_time"] for e in found)

    # Filters and pages.
    assert [e["type"] for e in events(gateway, tenant_id, reader, type="LOGIN_FAILED")] == ["LOGIN_FAILED"] * 2
    assert {e["user_id"] for e in events(gateway, tenant_id, reader, user_id=user_id)} == {user_id}
    page = gateway.get(f"/tenant/{tenant_id}/api/v1/events", headers=reader, params={"page_size": 2}).json()
    rest = events(gateway, tenant_id, reader, page_token=page["next_page_token"], page_size=10)
    assert [e["event_id"] for e in page["events"] + rest] == [e["event_id"] for e in found]
    assert_envelope(gateway.get(f"/tenant/{tenant_id}/api/v1/events", headers=reader, params={"type": "NOPE"}),
                    400, "INVALID_EVENT_TYPE")


def test_events_need_their_scope_and_stay_in_their_tenant(
    gateway: httpx.Client, platform_headers: dict[str, str], new_tenant: Callable[..., dict[str, Any]]
) -> None:
    ours, theirs = new_tenant()["tenant_id"], new_tenant()["tenant_id"]
    users_only = api_key(gateway, platform_headers, ours, "users:read", "users:write")
    their_reader = api_key(gateway, platform_headers, theirs, "events:read")
    assert gateway.post(f"/tenant/{ours}/api/v1/users", headers=users_only, json={
        "user": {"email": f"{unique_id('ev')}@example.com"}, "password": PASSWORD}).status_code == 200

    assert_envelope(gateway.get(f"/tenant/{ours}/api/v1/events", headers=users_only), 403)
    assert_envelope(gateway.get(f"/tenant/{ours}/api/v1/events", headers=their_reader), 403, "TENANT_MISMATCH")
    assert events(gateway, theirs, their_reader) == []
    assert_envelope(gateway.get(f"/tenant/{ours}/api/v1/events"), 401)
    # A platform key reads any tenant's events it selects.
    assert [e["type"] for e in events(gateway, ours, platform_headers)] == ["USER_CREATED"]
