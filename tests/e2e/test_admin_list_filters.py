"""Server-side search and filters of the admin lists, and the administrators' view of a user's
consents, end to end through Envoy: ListTenants (query, state), ListApplications (query,
client_type, application_type), ListEvents (start_time, end_time) and
GET/DELETE /api/v1/users/{user_id}/consents."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.e2e.helpers import assert_envelope, unique_id
from tests.e2e.test_oauth_code_flow import Browser, setup_world
from tests.e2e.test_oauth_logout_consents import code_flow
from tools.stack import Stack

pytestmark = pytest.mark.e2e


def _all_pages(gateway: httpx.Client, path: str, key: str, headers: dict[str, str],
               **params: Any) -> tuple[list[dict[str, Any]], int]:
    """Every item over every page, and how many pages that took."""
    items: list[dict[str, Any]] = []
    token, pages = "", 0
    while True:
        answer = gateway.get(path, headers=headers, params={**params, "page_token": token})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        items += body.get(key, [])
        pages += 1
        token = body.get("next_page_token", "")
        if not token:
            return items, pages
        assert pages < 20, "paging does not end"


def _key(gateway: httpx.Client, platform: dict[str, str], tenant: str, *scopes: str) -> dict[str, str]:
    created = gateway.post(f"/api/v1/tenants/{tenant}/apiKeys", headers=platform, json={"scopes": list(scopes)})
    assert created.status_code == 200, created.text
    return {"Authorization": f"Bearer {created.json()['secret']}"}


def test_tenants_are_searched_and_filtered_by_state_on_the_server(
    gateway: httpx.Client, platform_headers: dict[str, str], new_tenant: Callable[..., dict[str, Any]]
) -> None:
    marker = unique_id("srch")
    by_id = new_tenant(tenant_id=f"{marker}-shop", display_name="Corner shop")["tenant_id"]
    by_name = new_tenant(display_name=f"Blue {marker.upper()} bakery")["tenant_id"]
    new_tenant(display_name="Unrelated")
    assert gateway.post(f"/api/v1/tenants/{by_name}:suspend", headers=platform_headers, json={}).status_code == 200

    def ids(**params: Any) -> list[str]:
        found, _ = _all_pages(gateway, "/api/v1/tenants", "tenants", platform_headers, **params)
        return [t["tenant_id"] for t in found]

    # A case-insensitive substring of the id or of the display name, in id order, page by page.
    assert ids(query=marker.upper()) == sorted([by_id, by_name])
    found, pages = _all_pages(gateway, "/api/v1/tenants", "tenants", platform_headers, query=marker, page_size=1)
    assert [t["tenant_id"] for t in found] == sorted([by_id, by_name]) and pages >= 2
    assert ids(query=marker, state="TENANT_STATE_SUSPENDED") == [by_name]
    assert ids(query=marker, state="TENANT_STATE_ACTIVE") == [by_id]
    # LIKE wildcards typed by the operator match themselves only.
    assert ids(query=f"{marker}%") == [] and ids(query=f"{marker[:3]}_{marker[4:]}") == []
    # A tenant's own credential still sees only its tenant, whatever it searches for.
    own = _key(gateway, platform_headers, by_id, "tenants:read")
    assert [t["tenant_id"] for t in _all_pages(gateway, "/api/v1/tenants", "tenants", own, query=marker)[0]] == [by_id]
    for params, field in (({"state": "TENANT_STATE_DELETING"}, "state"), ({"query": "x" * 201}, "query")):
        error = assert_envelope(gateway.get("/api/v1/tenants", headers=platform_headers, params=params), 400)
        assert error["details"]["field"] == field, error


def test_applications_are_searched_and_filtered_by_type_on_the_server(
    gateway: httpx.Client, platform_headers: dict[str, str], new_tenant: Callable[..., dict[str, Any]]
) -> None:
    tenant = new_tenant()["tenant_id"]
    apps = f"/tenant/{tenant}/api/v1/applications"

    def create(**body: Any) -> str:
        answer = gateway.post(apps, headers=platform_headers, json=body)
        assert answer.status_code == 200, answer.text
        return str(answer.json()["application"]["client_id"])

    portal = create(display_name="Billing portal", client_type="CLIENT_TYPE_CONFIDENTIAL",
                    application_type="APPLICATION_TYPE_WEB", redirect_uris=["https://billing.example.com/cb"],
                    grant_types=["authorization_code"], allowed_scopes=["openid"])
    mobile = create(display_name="Billing_mobile", client_type="CLIENT_TYPE_PUBLIC",
                    application_type="APPLICATION_TYPE_NATIVE", redirect_uris=["com.example.billing:/cb"],
                    grant_types=["authorization_code"], allowed_scopes=["openid"])
    reports = create(display_name="Reports", client_type="CLIENT_TYPE_CONFIDENTIAL",
                     grant_types=["client_credentials"], allowed_scopes=["reports:read"])

    def ids(**params: Any) -> list[str]:
        return [a["client_id"] for a in _all_pages(gateway, apps, "applications", platform_headers, **params)[0]]

    assert ids(query="BILLING") == sorted([portal, mobile])
    found, pages = _all_pages(gateway, apps, "applications", platform_headers, query="billing", page_size=1)
    assert [a["client_id"] for a in found] == sorted([portal, mobile]) and pages >= 2
    assert ids(query=reports[4:14]) == [reports]  # a piece of the client id
    assert ids(query="g_m") == [mobile]  # "_" is not a wildcard: "Billing portal" does not match
    assert ids(client_type="CLIENT_TYPE_PUBLIC") == [mobile]
    assert ids(application_type="APPLICATION_TYPE_NATIVE") == [mobile]
    assert ids(query="billing", client_type="CLIENT_TYPE_CONFIDENTIAL") == [portal]
    assert ids(query="nothing-like-this") == []
    error = assert_envelope(gateway.get(apps, headers=platform_headers, params={"query": "x" * 201}), 400)
    assert error["details"]["field"] == "query"


def test_events_are_filtered_by_time_range(
    gateway: httpx.Client, platform_headers: dict[str, str], new_tenant: Callable[..., dict[str, Any]]
) -> None:
    tenant = new_tenant()["tenant_id"]
    t = f"/tenant/{tenant}"
    created = gateway.post(f"{t}/api/v1/users", headers=platform_headers, json={
        "user": {"email": f"{unique_id('ev')}@example.com"}, "password": "correct horse battery staple"})
    assert created.status_code == 200, created.text
    user_id = created.json()["user_id"]
    time.sleep(0.05)  # distinct timestamps for the two events
    for verb in ("disable", "enable"):
        assert gateway.post(f"{t}/api/v1/users/{user_id}:{verb}", headers=platform_headers, json={}).status_code == 200
    events, _ = _all_pages(gateway, f"{t}/api/v1/events", "events", platform_headers, user_id=user_id)
    when = {e["type"]: e["create_time"] for e in events}
    assert {"USER_CREATED", "USER_DISABLED", "USER_ENABLED"} <= set(when), events

    def types(**params: Any) -> list[str]:
        found, _ = _all_pages(gateway, f"{t}/api/v1/events", "events", platform_headers, user_id=user_id, **params)
        return [e["type"] for e in found]

    # [start_time, end_time): the start is included, the end is not; newest first.
    assert types(start_time=when["USER_DISABLED"]) == ["USER_ENABLED", "USER_DISABLED"]
    assert types(end_time=when["USER_DISABLED"]) == ["USER_CREATED"]
    assert types(start_time=when["USER_CREATED"], end_time=when["USER_ENABLED"]) == ["USER_DISABLED", "USER_CREATED"]
    assert types(start_time=when["USER_CREATED"], type="USER_ENABLED") == ["USER_ENABLED"]
    found, pages = _all_pages(gateway, f"{t}/api/v1/events", "events", platform_headers, user_id=user_id,
                              start_time=when["USER_CREATED"], end_time="2999-01-01T00:00:00+01:00", page_size=1)
    assert [e["type"] for e in found] == ["USER_ENABLED", "USER_DISABLED", "USER_CREATED"] and pages >= 3
    for params, field in (({"start_time": "yesterday"}, "start_time"),
                          ({"end_time": "2026-01-01T00:00:00"}, "end_time"),  # no offset: ambiguous
                          ({"start_time": "2026-01-02T00:00:00Z", "end_time": "2026-01-01T00:00:00Z"}, "start_time")):
        error = assert_envelope(gateway.get(f"{t}/api/v1/events", headers=platform_headers, params=params), 400)
        assert error["details"]["field"] == field, error


def test_an_administrator_lists_and_revokes_a_users_consent(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], new_tenant: Callable[..., dict[str, Any]]
) -> None:
    tenant = new_tenant()["tenant_id"]
    other = new_tenant()["tenant_id"]
    email, client_id, secret = setup_world(stack, gateway, platform_headers, tenant)
    tokens = code_flow(stack, Browser(stack, tenant), tenant, email, client_id, secret)
    users = gateway.get(f"/tenant/{tenant}/api/v1/users", headers=platform_headers, params={"query": email})
    user_id = users.json()["users"][0]["user_id"]
    consents = f"/tenant/{tenant}/api/v1/users/{user_id}/consents"

    reader = _key(gateway, platform_headers, tenant, "users:read")
    listed = gateway.get(consents, headers=reader)
    assert listed.status_code == 200, listed.text
    assert listed.json()["consents"] == [{"client_id": client_id, "client_name": "Third-party app",
                                          "scopes": ["email", "offline_access", "openid"]}]
    # Scopes as for the other user-admin operations; another tenant's administrator sees nothing.
    assert_envelope(gateway.delete(f"{consents}/{client_id}", headers=reader), 403, "MISSING_SCOPE")
    stranger = _key(gateway, platform_headers, other, "users:read", "users:write")
    assert_envelope(gateway.get(consents, headers=stranger), 403, "TENANT_MISMATCH")
    assert_envelope(gateway.delete(f"{consents}/{client_id}", headers=stranger), 403, "TENANT_MISMATCH")
    assert_envelope(gateway.get(consents), 401)

    writer = _key(gateway, platform_headers, tenant, "users:write")
    revoked = gateway.delete(f"{consents}/{client_id}", headers=writer)
    assert revoked.status_code == 200, revoked.text
    assert gateway.get(consents, headers=reader).json().get("consents", []) == []
    # The same revocation as the user's own: the grant family of that client ends.
    refreshed = httpx.post(f"{stack.public_url}/tenant/{tenant}/oauth2/token", auth=(client_id, secret), data={
        "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}, timeout=30)
    assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_grant", refreshed.text
    assert_envelope(gateway.delete(f"{consents}/{client_id}", headers=writer), 404, "CONSENT_NOT_FOUND")
