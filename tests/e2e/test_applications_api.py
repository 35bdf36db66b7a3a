"""Applications (OAuth clients) over REST through Envoy, with tenant API keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.e2e.helpers import assert_envelope

pytestmark = pytest.mark.e2e
WEB = {"display_name": "Shop", "client_type": "CLIENT_TYPE_CONFIDENTIAL",
       "redirect_uris": ["https://shop.example.com/cb", "http://127.0.0.1/cb"],
       "post_logout_redirect_uris": ["https://shop.example.com/bye"],
       "grant_types": ["authorization_code", "refresh_token", "client_credentials"],
       "allowed_scopes": ["openid", "email", "offline_access", "orders:read"]}


def make_key(client: httpx.Client, platform_headers: dict[str, str], tenant_id: str,
             scopes: list[str]) -> dict[str, str]:
    response = client.post(f"/api/v1/tenants/{tenant_id}/apiKeys", headers=platform_headers,
                           json={"display_name": "apps admin", "scopes": scopes})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['secret']}"}


@dataclass
class Admin:
    tenant_id: str
    writer: dict[str, str]
    reader: dict[str, str]
    client: httpx.Client
    path: str = "/api/v1/applications"  # a tenant key selects its own tenant

    def create(self, **body: Any) -> dict[str, Any]:
        response = self.client.post(self.path, headers=self.writer, json={**WEB, **body})
        assert response.status_code == 200, response.text
        return dict(response.json())


@pytest.fixture
def admin(gateway: httpx.Client, platform_headers: dict[str, str],
          new_tenant: Callable[..., dict[str, Any]]) -> Admin:
    tenant_id = str(new_tenant()["tenant_id"])
    return Admin(tenant_id, make_key(gateway, platform_headers, tenant_id, ["applications:read", "applications:write"]),
                 make_key(gateway, platform_headers, tenant_id, ["applications:read"]), gateway)


def test_crud_and_secret_shown_once(admin: Admin) -> None:
    created = admin.create()
    app, secret = created["application"], created["client_secret"]
    client_id = app["client_id"]
    assert client_id.startswith("app_") and len(client_id) == 28
    assert secret.startswith("bcs_") and len(secret) >= 47
    assert app["client_type"] == "CLIENT_TYPE_CONFIDENTIAL"
    assert app["token_endpoint_auth_method"] == "client_secret_basic"
    assert app["grant_types"] == WEB["grant_types"] and app["allowed_scopes"] == WEB["allowed_scopes"]
    assert "secret_create_time" in app and "previous_secret_expire_time" not in app

    got = admin.client.get(f"{admin.path}/{client_id}", headers=admin.reader)
    assert got.status_code == 200, got.text
    assert got.json() == app and secret not in got.text
    listed = admin.client.get(admin.path, headers=admin.reader)
    assert listed.status_code == 200 and [a["client_id"] for a in listed.json()["applications"]] == [client_id]
    assert secret not in listed.text

    patched = admin.client.patch(f"{admin.path}/{client_id}?update_mask=display_name,first_party,"
                                 "token_lifetimes.access_token_ttl_seconds", headers=admin.writer,
                                 json={"display_name": "Shop 2", "first_party": True,
                                       "token_lifetimes": {"access_token_ttl_seconds": 300}})
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert body["display_name"] == "Shop 2" and body["first_party"] is True
    assert body["token_lifetimes"]["access_token_ttl_seconds"] == 300
    assert body["redirect_uris"] == WEB["redirect_uris"]

    deleted = admin.client.delete(f"{admin.path}/{client_id}", headers=admin.writer)
    assert deleted.status_code == 200, deleted.text
    assert_envelope(admin.client.get(f"{admin.path}/{client_id}", headers=admin.reader), 404,
                    "APPLICATION_NOT_FOUND")
    assert_envelope(admin.client.delete(f"{admin.path}/{client_id}", headers=admin.writer), 404,
                    "APPLICATION_NOT_FOUND")


def test_public_client(admin: Admin) -> None:
    created = admin.create(display_name="Mobile", client_type="CLIENT_TYPE_PUBLIC",
                           redirect_uris=["com.example.shop:/oauth2redirect", "http://[::1]/cb"],
                           grant_types=["authorization_code", "refresh_token",
                                        "urn:ietf:params:oauth:grant-type:device_code"])
    assert created.get("client_secret", "") == ""
    assert created["application"]["token_endpoint_auth_method"] == "none"
    client_id = created["application"]["client_id"]
    rotate = admin.client.post(f"{admin.path}/{client_id}:rotateSecret", headers=admin.writer, json={})
    assert_envelope(rotate, 400, "PUBLIC_CLIENT_HAS_NO_SECRET")
    assert_envelope(admin.client.patch(f"{admin.path}/{client_id}?update_mask=client_type", headers=admin.writer,
                                       json={"client_type": "CLIENT_TYPE_CONFIDENTIAL"}), 400, "IMMUTABLE_FIELD")


@pytest.mark.parametrize(("change", "code"), [
    ({"redirect_uris": ["javascript:alert(1)"]}, "INVALID_REDIRECT_URI"),
    ({"redirect_uris": ["data:text/html,hi"]}, "INVALID_REDIRECT_URI"),
    ({"redirect_uris": ["file:///etc/passwd"]}, "INVALID_REDIRECT_URI"),
    ({"redirect_uris": ["http://shop.example.com/cb"]}, "INVALID_REDIRECT_URI"),
    ({"redirect_uris": ["https://shop.example.com/cb#x"]}, "INVALID_REDIRECT_URI"),
    ({"redirect_uris": ["https://*.example.com/cb"]}, "INVALID_REDIRECT_URI"),
    ({"redirect_uris": ["https://user@shop.example.com/cb"]}, "INVALID_REDIRECT_URI"),
    ({"redirect_uris": ["/cb"]}, "INVALID_REDIRECT_URI"),
    ({"post_logout_redirect_uris": ["javascript:alert(1)"]}, "INVALID_REDIRECT_URI"),
    ({"grant_types": ["implicit"]}, "UNSUPPORTED_GRANT_TYPE"),
    ({"grant_types": ["password"]}, "UNSUPPORTED_GRANT_TYPE"),
    ({"client_type": "CLIENT_TYPE_PUBLIC"}, "INVALID_GRANT_TYPES"),  # client_credentials
    ({"client_type": "CLIENT_TYPE_UNSPECIFIED"}, "INVALID_CLIENT_TYPE"),
    ({"token_endpoint_auth_method": "none"}, "INVALID_AUTH_METHOD"),
    ({"token_endpoint_auth_method": "private_key_jwt"}, "JWKS_REQUIRED"),
    ({"token_endpoint_auth_method": "client_secret_jwt"}, "UNSUPPORTED_AUTH_METHOD"),
    ({"jwks": {"keys": [{"kty": "oct", "kid": "k", "k": "c2VjcmV0"}]}}, "INVALID_JWKS"),
    ({"jwks": [{"kty": "EC"}]}, "INVALID_ARGUMENT"),  # not a JWK Set object
    ({"allowed_scopes": ["openid", "bad scope"]}, "INVALID_SCOPE"),
    ({"token_lifetimes": {"access_token_ttl_seconds": 10}}, "INVALID_TOKEN_LIFETIME"),
    ({"display_name": ""}, "INVALID_DISPLAY_NAME"),
])
def test_registration_rules(admin: Admin, change: dict[str, Any], code: str) -> None:
    response = admin.client.post(admin.path, headers=admin.writer, json={**WEB, **change})
    assert_envelope(response, 400, code)


def test_unknown_fields_and_output_only(admin: Admin) -> None:
    assert_envelope(admin.client.post(admin.path, headers=admin.writer, json={**WEB, "client_secret": "mine"}), 400)
    created = admin.create(client_id="app_" + "0" * 24)["application"]
    assert created["client_id"] != "app_" + "0" * 24


def test_rotate_secret_returns_new_secret_once(admin: Admin) -> None:
    created = admin.create()
    client_id, first = created["application"]["client_id"], created["client_secret"]
    rotated = admin.client.post(f"{admin.path}/{client_id}:rotateSecret", headers=admin.writer, json={})
    assert rotated.status_code == 200, rotated.text
    assert "no-store" in rotated.headers.get("cache-control", "")
    body = rotated.json()
    assert body["client_secret"].startswith("bcs_") and body["client_secret"] != first
    assert "previous_secret_expire_time" in body["application"]
    custom = admin.client.post(f"{admin.path}/{client_id}:rotateSecret", headers=admin.writer,
                               json={"previous_secret_overlap_seconds": 0})
    assert custom.status_code == 200 and "previous_secret_expire_time" not in custom.json()["application"]
    assert_envelope(admin.client.post(f"{admin.path}/{client_id}:rotateSecret", headers=admin.writer,
                                      json={"previous_secret_overlap_seconds": 8 * 86400}), 400,
                    "INVALID_SECRET_OVERLAP")


def test_scopes_credentials_and_tenants(admin: Admin, gateway: httpx.Client, platform_headers: dict[str, str],
                                        new_tenant: Callable[..., dict[str, Any]]) -> None:
    app = admin.create()["application"]
    assert_envelope(gateway.get(admin.path), 401, "CREDENTIAL_MISSING")
    assert_envelope(gateway.get(admin.path, headers={"Authorization": "Bearer nope"}), 401)
    assert_envelope(gateway.post(admin.path, headers=admin.reader, json=WEB), 403, "MISSING_SCOPE")
    assert_envelope(gateway.delete(f"{admin.path}/{app['client_id']}", headers=admin.reader), 403, "MISSING_SCOPE")
    users_only = make_key(gateway, platform_headers, admin.tenant_id, ["users:read"])
    assert_envelope(gateway.get(admin.path, headers=users_only), 403, "MISSING_SCOPE")

    # Another tenant's key: its own tenant has no such application; naming ours is refused.
    other = str(new_tenant()["tenant_id"])
    other_key = make_key(gateway, platform_headers, other, ["applications:read", "applications:write"])
    assert_envelope(gateway.get(f"{admin.path}/{app['client_id']}", headers=other_key), 404, "APPLICATION_NOT_FOUND")
    assert gateway.get(admin.path, headers=other_key).json().get("applications", []) == []
    assert_envelope(gateway.get(f"/tenant/{admin.tenant_id}{admin.path}", headers=other_key), 403, "TENANT_MISMATCH")
    assert_envelope(gateway.get(admin.path, headers={**other_key, "X-Tenant-ID": admin.tenant_id}), 403,
                    "TENANT_MISMATCH")

    # The platform key selects the tenant by path prefix or header.
    by_path = gateway.get(f"/tenant/{admin.tenant_id}{admin.path}/{app['client_id']}", headers=platform_headers)
    assert by_path.status_code == 200 and by_path.json()["client_id"] == app["client_id"]
    by_header = gateway.get(admin.path, headers={**platform_headers, "X-Tenant-ID": admin.tenant_id})
    assert [a["client_id"] for a in by_header.json()["applications"]] == [app["client_id"]]
    # A platform key that selects no tenant is told how to select one.
    missing = assert_envelope(gateway.get(admin.path, headers=platform_headers), 400, "TENANT_REQUIRED")
    assert "X-Tenant-ID" in missing["message"]


def test_pagination(admin: Admin) -> None:
    ids = sorted(admin.create(display_name=f"App {i}")["application"]["client_id"] for i in range(5))
    seen: list[str] = []
    token = ""
    while True:
        page = admin.client.get(admin.path, headers=admin.reader, params={"page_size": 2, "page_token": token})
        assert page.status_code == 200, page.text
        seen += [a["client_id"] for a in page.json().get("applications", [])]
        token = page.json().get("next_page_token", "")
        if not token:
            break
    assert seen == ids
    assert_envelope(admin.client.get(admin.path, headers=admin.reader, params={"page_token": "garbage!"}), 400,
                    "INVALID_PAGE_TOKEN")


# --- application types (RFC 8252 §7.3: the loopback port varies for native apps only) ---------

NATIVE_URIS = ["com.example.shop:/oauth2redirect", "http://127.0.0.1/cb", "http://[::1]/cb"]


def test_application_type_defaults_to_web_and_is_shown(admin: Admin) -> None:
    web = admin.create()["application"]
    assert web["application_type"] == "APPLICATION_TYPE_WEB"
    got = admin.client.get(f"{admin.path}/{web['client_id']}", headers=admin.reader)
    assert got.status_code == 200 and got.json()["application_type"] == "APPLICATION_TYPE_WEB"
    native = admin.create(display_name="CLI", client_type="CLIENT_TYPE_PUBLIC",
                          application_type="APPLICATION_TYPE_NATIVE", redirect_uris=NATIVE_URIS,
                          grant_types=["authorization_code", "refresh_token"],
                          post_logout_redirect_uris=["com.example.shop:/bye"])["application"]
    assert native["application_type"] == "APPLICATION_TYPE_NATIVE" and native["redirect_uris"] == NATIVE_URIS
    listed = admin.client.get(admin.path, headers=admin.reader)
    assert listed.status_code == 200, listed.text
    assert {a["client_id"]: a["application_type"] for a in listed.json()["applications"]} == {
        web["client_id"]: "APPLICATION_TYPE_WEB", native["client_id"]: "APPLICATION_TYPE_NATIVE"}
    # Left out, a registration with a private-use scheme can only be a native app.
    inferred = admin.create(display_name="Mobile", client_type="CLIENT_TYPE_PUBLIC", redirect_uris=NATIVE_URIS[:1],
                            grant_types=["authorization_code"])["application"]
    assert inferred["application_type"] == "APPLICATION_TYPE_NATIVE"


@pytest.mark.parametrize("client_type", ["CLIENT_TYPE_CONFIDENTIAL", "CLIENT_TYPE_PUBLIC"])
@pytest.mark.parametrize("field", ["redirect_uris", "post_logout_redirect_uris"])
def test_web_application_refuses_private_use_schemes(admin: Admin, client_type: str, field: str) -> None:
    body = {**WEB, "client_type": client_type, "grant_types": ["authorization_code"],
            "application_type": "APPLICATION_TYPE_WEB", field: ["https://shop.example.com/x", "com.example.shop:/cb"]}
    error = assert_envelope(admin.client.post(admin.path, headers=admin.writer, json=body), 400,
                            "INVALID_REDIRECT_URI")
    assert f"{field}[1]" in error["message"] and "native" in error["message"], error
    assert admin.client.get(admin.path, headers=admin.reader).json().get("applications", []) == []


def test_application_type_update(admin: Admin) -> None:
    web = admin.create()["application"]
    url = f"{admin.path}/{web['client_id']}"
    to_native = admin.client.patch(f"{url}?update_mask=application_type,redirect_uris", headers=admin.writer,
                                   json={"application_type": "APPLICATION_TYPE_NATIVE", "redirect_uris": NATIVE_URIS})
    assert to_native.status_code == 200, to_native.text
    assert to_native.json()["application_type"] == "APPLICATION_TYPE_NATIVE"
    # Back to web while a private-use scheme is still registered: refused, nothing changes.
    error = assert_envelope(admin.client.patch(f"{url}?update_mask=application_type", headers=admin.writer,
                                               json={"application_type": "APPLICATION_TYPE_WEB"}),
                            400, "INVALID_REDIRECT_URI")
    assert "redirect_uris[0]" in error["message"]
    assert_envelope(admin.client.patch(f"{url}?update_mask=application_type", headers=admin.writer,
                                       json={"application_type": "APPLICATION_TYPE_UNSPECIFIED"}),
                    400, "INVALID_APPLICATION_TYPE")
    assert_envelope(admin.client.patch(f"{url}?update_mask=application_type", headers=admin.writer,
                                       json={"application_type": "APPLICATION_TYPE_DESKTOP"}), 400)
    assert_envelope(admin.client.post(admin.path, headers=admin.writer,
                                      json={**WEB, "application_type": "APPLICATION_TYPE_DESKTOP"}), 400)
    got = admin.client.get(url, headers=admin.reader).json()
    assert got["application_type"] == "APPLICATION_TYPE_NATIVE" and got["redirect_uris"] == NATIVE_URIS
    to_web = admin.client.patch(f"{url}?update_mask=application_type,redirect_uris", headers=admin.writer,
                                json={"application_type": "APPLICATION_TYPE_WEB",
                                      "redirect_uris": ["https://shop.example.com/cb"]})
    assert to_web.status_code == 200, to_web.text
    assert to_web.json()["application_type"] == "APPLICATION_TYPE_WEB"
