"""The tenant API over REST through Envoy, against the whole running stack."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import asyncpg
import httpx
import pytest

from tests.e2e.helpers import assert_envelope, unique_id
from tools.stack import Stack

pytestmark = pytest.mark.e2e

OTHER_SERVICES = ("identity", "token", "session")


def schemas_of(stack: Stack, tenant_id: str) -> set[str]:
    async def query() -> set[str]:
        conn = await asyncpg.connect(stack.database_url)
        try:
            rows = await conn.fetch("SELECT nspname FROM pg_namespace WHERE nspname LIKE $1", f"%_t_{tenant_id}")
            return {r["nspname"] for r in rows}
        finally:
            await conn.close()

    return asyncio.run(query())


def test_tenant_lifecycle_provisions_and_removes_every_schema(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str]
) -> None:
    tenant_id = unique_id("life")
    created = gateway.post("/api/v1/tenants", headers=platform_headers,
                           json={"tenant_id": tenant_id, "display_name": "Life Inc."})
    assert created.status_code == 200, created.text
    body = created.json()
    assert body["state"] == "TENANT_STATE_ACTIVE"
    assert body["issuer"] == f"{stack.public_url}/tenant/{tenant_id}"
    assert body["settings"]["password_policy"]["min_length"] == 8
    assert schemas_of(stack, tenant_id) == {f"{s}_t_{tenant_id}" for s in OTHER_SERVICES}

    got = gateway.get(f"/api/v1/tenants/{tenant_id}", headers=platform_headers)
    assert got.status_code == 200 and got.json()["display_name"] == "Life Inc."

    listed = gateway.get("/api/v1/tenants", params={"page_size": 100}, headers=platform_headers)
    assert tenant_id in {t["tenant_id"] for t in listed.json()["tenants"]}

    updated = gateway.patch(
        f"/api/v1/tenants/{tenant_id}", headers=platform_headers,
        params={"update_mask": "display_name,settings.password_policy.min_length"},
        json={"display_name": "Renamed", "settings": {"password_policy": {"min_length": 12}}},
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["display_name"] == "Renamed"
    assert updated.json()["settings"]["password_policy"]["min_length"] == 12
    assert updated.json()["settings"]["password_policy"]["max_length"] == 128  # untouched

    deleted = gateway.delete(f"/api/v1/tenants/{tenant_id}", headers=platform_headers)
    assert deleted.status_code == 200, deleted.text
    assert schemas_of(stack, tenant_id) == set()
    assert_envelope(gateway.get(f"/api/v1/tenants/{tenant_id}", headers=platform_headers), 404, "TENANT_NOT_FOUND")


def test_same_slug_twice_is_a_conflict(
    gateway: httpx.Client, platform_headers: dict[str, str], new_tenant: Callable[..., dict[str, Any]]
) -> None:
    tenant = new_tenant()
    again = gateway.post("/api/v1/tenants", headers=platform_headers, json={"tenant_id": tenant["tenant_id"]})
    assert_envelope(again, 409, "TENANT_ALREADY_EXISTS")


@pytest.mark.parametrize("bad_id", [
    "acme'; DROP SCHEMA public CASCADE; --", "Acme", "a" * 41, "public", "admin", "pg-catalog", "-acme",
    "acme-", "ac", "1acme", "acme_corp", "acme--corp", "acmé",
])
def test_invalid_slugs_are_refused_and_nothing_is_created(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], bad_id: str
) -> None:
    before = gateway.get("/api/v1/tenants", params={"page_size": 100}, headers=platform_headers).json()
    response = gateway.post("/api/v1/tenants", headers=platform_headers, json={"tenant_id": bad_id})
    error = assert_envelope(response, 400, "INVALID_TENANT_ID")
    assert error["details"]["field"] == "tenant_id"
    after = gateway.get("/api/v1/tenants", params={"page_size": 100}, headers=platform_headers).json()
    assert after == before


def test_invalid_settings_are_refused(gateway: httpx.Client, platform_headers: dict[str, str]) -> None:
    response = gateway.post("/api/v1/tenants", headers=platform_headers, json={
        "tenant_id": unique_id(), "settings": {"password_policy": {"min_length": 4}}})
    error = assert_envelope(response, 400, "INVALID_SETTING")
    assert error["details"]["field"] == "settings.password_policy.min_length"


def test_pagination_walks_every_tenant_once(
    gateway: httpx.Client, platform_headers: dict[str, str], new_tenant: Callable[..., dict[str, Any]]
) -> None:
    mine = {new_tenant()["tenant_id"] for _ in range(5)}
    seen: list[str] = []
    token = ""
    while True:
        page = gateway.get("/api/v1/tenants", params={"page_size": 2, "page_token": token},
                           headers=platform_headers).json()
        assert len(page["tenants"]) <= 2
        seen += [t["tenant_id"] for t in page["tenants"]]
        token = page["next_page_token"]
        if not token:
            break
    assert mine <= set(seen)
    assert len(seen) == len(set(seen))
    assert_envelope(gateway.get("/api/v1/tenants", params={"page_token": "garbage!"}, headers=platform_headers),
                    400, "INVALID_PAGE_TOKEN")


def test_custom_domains_are_unique_and_select_the_tenant(
    gateway: httpx.Client, platform_headers: dict[str, str], new_tenant: Callable[..., dict[str, Any]]
) -> None:
    domain = f"login.{unique_id('d')}.example.com"
    tenant = new_tenant(custom_domains=[domain.upper()])
    assert tenant["custom_domains"] == [domain]
    taken = gateway.post("/api/v1/tenants", headers=platform_headers,
                         json={"tenant_id": unique_id(), "custom_domains": [domain]})
    assert_envelope(taken, 409, "DOMAIN_TAKEN")
    current = gateway.get("/api/v1/tenant", headers={"Host": domain})
    assert current.status_code == 200, current.text
    assert current.json()["tenant_id"] == tenant["tenant_id"]


def test_tenant_selection_by_path_subdomain_and_header(
    gateway: httpx.Client, new_tenant: Callable[..., dict[str, Any]], platform_headers: dict[str, str]
) -> None:
    a, b = new_tenant()["tenant_id"], new_tenant()["tenant_id"]
    by_path = gateway.get(f"/tenant/{a}/api/v1/tenant")
    assert by_path.json()["tenant_id"] == a
    by_subdomain = gateway.get("/api/v1/tenant", headers={"Host": f"{a}.localhost"})
    assert by_subdomain.json()["tenant_id"] == a
    by_header = gateway.get("/api/v1/tenant", headers={"X-Tenant-ID": b})
    assert by_header.json()["tenant_id"] == b
    # Client-supplied selection headers never override the path prefix.
    spoofed = gateway.get(f"/tenant/{a}/api/v1/tenant",
                          headers={"X-Tenant-ID": b, "X-Binoauth-Tenant": b, "X-Forwarded-Host": f"{b}.localhost"})
    assert spoofed.json()["tenant_id"] == a
    assert_envelope(gateway.get("/api/v1/tenant"), 400, "TENANT_REQUIRED")
    assert_envelope(gateway.get("/tenant/no-such-tenant/api/v1/tenant"), 404, "TENANT_NOT_FOUND")
    # Every service answers a request that selects no tenant alike.
    login = gateway.post("/api/v1/auth/login", json={"email": "a@example.com", "password": "x" * 12})
    assert_envelope(login, 400, "TENANT_REQUIRED")
    assert_envelope(gateway.get("/api/v1/applications", headers=platform_headers), 400, "TENANT_REQUIRED")


def test_suspended_tenant_credentials_stop_working_until_resumed(
    gateway: httpx.Client, platform_headers: dict[str, str], new_tenant: Callable[..., dict[str, Any]]
) -> None:
    tenant_id = new_tenant()["tenant_id"]
    key = gateway.post(f"/api/v1/tenants/{tenant_id}/apiKeys", headers=platform_headers,
                       json={"display_name": "ops", "scopes": ["tenants:read"]}).json()
    tenant_headers = {"Authorization": f"Bearer {key['secret']}"}
    assert gateway.get(f"/api/v1/tenants/{tenant_id}", headers=tenant_headers).status_code == 200

    suspended = gateway.post(f"/api/v1/tenants/{tenant_id}:suspend", headers=platform_headers, json={})
    assert suspended.json()["state"] == "TENANT_STATE_SUSPENDED"
    assert_envelope(gateway.get(f"/api/v1/tenants/{tenant_id}", headers=tenant_headers), 401, "CREDENTIAL_INVALID")
    current = gateway.get(f"/tenant/{tenant_id}/api/v1/tenant")
    assert current.json()["state"] == "TENANT_STATE_SUSPENDED"

    gateway.post(f"/api/v1/tenants/{tenant_id}:resume", headers=platform_headers, json={})
    assert gateway.get(f"/api/v1/tenants/{tenant_id}", headers=tenant_headers).status_code == 200
