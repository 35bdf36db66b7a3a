"""CORS through the gateway for single-page apps: preflights, answers readable only from an
application's registered origins, public documents from anywhere, and none of it on the
authorization endpoint."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.e2e.helpers import assert_envelope
from tools.stack import Stack

pytestmark = pytest.mark.e2e
SPA = "https://spa.example.com"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def make_spa(gateway: httpx.Client, platform: dict[str, str], tenant_id: str, **fields: Any) -> httpx.Response:
    return gateway.post(f"/tenant/{tenant_id}/api/v1/applications", headers=platform, json={
        "display_name": "SPA", "client_type": "CLIENT_TYPE_PUBLIC", "token_endpoint_auth_method": "none",
        "grant_types": ["authorization_code", "refresh_token"], "redirect_uris": [f"{SPA}/callback"],
        "allowed_scopes": ["openid"], **fields})


def test_spa_origins_read_token_answers_and_nobody_else_does(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], new_tenant: Callable[..., dict[str, Any]]
) -> None:
    tenant_id = new_tenant()["tenant_id"]
    assert_envelope(make_spa(gateway, platform_headers, tenant_id, allowed_origins=[f"{SPA}/"]), 400,
                    "INVALID_ORIGIN")
    created = make_spa(gateway, platform_headers, tenant_id, allowed_origins=[SPA])
    assert created.status_code == 200, created.text
    assert created.json()["application"]["allowed_origins"] == [SPA]
    client_id = created.json()["application"]["client_id"]

    # The browser's preflight for a form POST with an Authorization header.
    preflight = gateway.request("OPTIONS", f"/tenant/{tenant_id}/oauth2/token", headers={
        "Origin": SPA, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 204 and preflight.content == b""
    assert preflight.headers["access-control-allow-origin"] == SPA
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "access-control-allow-credentials" not in preflight.headers

    # An answer (here an error: the code is made up) is readable from the registered origin only.
    form = {"grant_type": "authorization_code", "client_id": client_id, "code": "made-up",
            "redirect_uri": f"{SPA}/callback", "code_verifier": "v" * 43}
    ours = gateway.post(f"/tenant/{tenant_id}/oauth2/token", headers={**FORM, "Origin": SPA}, data=form)
    assert ours.status_code == 400 and ours.json()["error"] == "invalid_grant"
    assert ours.headers["access-control-allow-origin"] == SPA and ours.headers["vary"] == "origin"
    evil = gateway.post(f"/tenant/{tenant_id}/oauth2/token", headers={**FORM, "Origin": "https://evil.example"},
                        data=form)
    assert "access-control-allow-origin" not in evil.headers
    revoked = gateway.post(f"/tenant/{tenant_id}/oauth2/revoke", headers={**FORM, "Origin": SPA},
                           data={"client_id": client_id, "token": "made-up"})
    assert revoked.status_code == 200 and revoked.headers["access-control-allow-origin"] == SPA
    # The same origin for another tenant's endpoint names no client there.
    other = new_tenant()["tenant_id"]
    elsewhere = gateway.post(f"/tenant/{other}/oauth2/token", headers={**FORM, "Origin": SPA}, data=form)
    assert "access-control-allow-origin" not in elsewhere.headers

    # Public documents: any origin.
    for path in ("/.well-known/openid-configuration", "/.well-known/jwks.json"):
        public = gateway.get(f"/tenant/{tenant_id}{path}", headers={"Origin": "https://anyone.example"})
        assert public.status_code == 200 and public.headers["access-control-allow-origin"] == "*"

    # Never on the authorization endpoint (security.md): it is a top-level navigation.
    authorize = gateway.get(f"/tenant/{tenant_id}/oauth2/authorize", headers={"Origin": SPA},
                            params={"client_id": client_id, "response_type": "code", "scope": "openid",
                                    "redirect_uri": f"{SPA}/callback"})
    assert "access-control-allow-origin" not in authorize.headers
    no_preflight = gateway.request("OPTIONS", f"/tenant/{tenant_id}/oauth2/authorize", headers={"Origin": SPA})
    assert "access-control-allow-origin" not in no_preflight.headers


def test_basic_auth_and_bearer_tokens_name_the_application_too(
    gateway: httpx.Client, platform_headers: dict[str, str], new_tenant: Callable[..., dict[str, Any]]
) -> None:
    tenant_id = new_tenant()["tenant_id"]
    created = gateway.post(f"/tenant/{tenant_id}/api/v1/applications", headers=platform_headers, json={
        "display_name": "BFF", "client_type": "CLIENT_TYPE_CONFIDENTIAL", "grant_types": ["client_credentials"],
        "allowed_scopes": ["reports:read"], "allowed_origins": [SPA]})
    assert created.status_code == 200, created.text
    client_id, secret = created.json()["application"]["client_id"], created.json()["client_secret"]
    issued = gateway.post(f"/tenant/{tenant_id}/oauth2/token", auth=(client_id, secret),
                          headers={**FORM, "Origin": SPA}, data={"grant_type": "client_credentials"})
    assert issued.status_code == 200 and issued.headers["access-control-allow-origin"] == SPA
    token = issued.json()["access_token"]
    # userinfo refuses a token without a user, and the application's origin may read why.
    info = gateway.get(f"/tenant/{tenant_id}/oauth2/userinfo",
                       headers={"Authorization": f"Bearer {token}", "Origin": SPA})
    assert info.status_code == 403 and info.headers["access-control-allow-origin"] == SPA  # no openid scope
    other = gateway.get(f"/tenant/{tenant_id}/oauth2/userinfo",
                        headers={"Authorization": f"Bearer {token}", "Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
