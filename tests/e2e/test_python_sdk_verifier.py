"""The Python SDK's resource-server verifier (binoauth_sdk.TokenVerifier) against real tokens of
the stack, through Envoy: a client_credentials token is accepted, and refused at another
tenant, for another audience, forged, and once revoked (introspection)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from binoauth_sdk import InsufficientScope, Introspection, InvalidToken, TokenVerifier
from tools.stack import Stack

pytestmark = [pytest.mark.e2e,
              # Starlette 1.x nudges towards httpx2 for its TestClient; httpx is what this repo pins.
              pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")]
API = "https://api.example.com"


def make_client(gateway: httpx.Client, platform_headers: dict[str, str], tenant_id: str) -> tuple[str, str]:
    body = {"display_name": "Reports service", "client_type": "CLIENT_TYPE_CONFIDENTIAL",
            "grant_types": ["client_credentials"], "allowed_scopes": ["reports:read", "reports:write"]}
    created = gateway.post(f"/tenant/{tenant_id}/api/v1/applications", headers=platform_headers, json=body)
    assert created.status_code == 200, created.text
    return created.json()["application"]["client_id"], created.json()["client_secret"]


def issue(gateway: httpx.Client, tenant_id: str, client: tuple[str, str], scope: str = "reports:read") -> str:
    response = gateway.post(f"/tenant/{tenant_id}/oauth2/token", auth=client,
                            data={"grant_type": "client_credentials", "scope": scope, "resource": API})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def forge(token: str) -> str:
    head, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["scope"] = "reports:read reports:write admin"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{head}.{forged}.{signature}"


async def test_real_tokens_accepted_and_refused(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], new_tenant: Callable[..., dict[str, Any]]
) -> None:
    tenant, other = new_tenant()["tenant_id"], new_tenant()["tenant_id"]
    client = make_client(gateway, platform_headers, tenant)
    token = issue(gateway, tenant, client)
    issuer = f"{stack.public_url}/tenant/{tenant}"

    verifier = TokenVerifier(issuer=issuer, audience=API, scopes=["reports:read"])
    accepted = verifier.verify(token)
    assert accepted.client_id == client[0] and accepted.scopes == {"reports:read"}
    assert (await verifier.averify(token)).client_id == client[0]
    with pytest.raises(InsufficientScope):
        verifier.verify(token, scopes=["reports:write"])

    # Tenant B's resource server: B's issuer and B's keys.
    with pytest.raises(InvalidToken) as wrong_tenant:
        TokenVerifier(issuer=f"{stack.public_url}/tenant/{other}", audience=API).verify(token)
    assert str(wrong_tenant.value) in ("unknown key id", "wrong issuer")
    with pytest.raises(InvalidToken, match="wrong audience"):
        TokenVerifier(issuer=issuer, audience="https://other.example.com").verify(token)
    with pytest.raises(InvalidToken, match="bad signature"):
        verifier.verify(forge(token))

    # Revocation is visible through introspection (as the client the token was issued to).
    checked = TokenVerifier(issuer=issuer, audience=API, introspection=Introspection(*client))
    assert checked.verify(token).subject == client[0]
    revoked = gateway.post(f"/tenant/{tenant}/oauth2/revoke", auth=client, data={"token": token})
    assert revoked.status_code == 200, revoked.text
    with pytest.raises(InvalidToken, match="token revoked"):
        checked.verify(token)
    with pytest.raises(InvalidToken, match="token revoked"):
        await checked.averify(token)


def test_starlette_app_behind_the_verifier(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], new_tenant: Callable[..., dict[str, Any]]
) -> None:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from binoauth_sdk.integrations.starlette import BearerTokenMiddleware

    tenant = new_tenant()["tenant_id"]
    client = make_client(gateway, platform_headers, tenant)

    async def reports(request: Request) -> JSONResponse:
        return JSONResponse({"client": request.state.access_token.client_id})

    app = Starlette(routes=[Route("/reports", reports)])
    app.add_middleware(BearerTokenMiddleware, scopes=["reports:read"],
                       verifier=TokenVerifier(issuer=f"{stack.public_url}/tenant/{tenant}", audience=API))
    with TestClient(app) as api:
        token = issue(gateway, tenant, client)
        assert api.get("/reports", headers={"Authorization": f"Bearer {token}"}).json() == {"client": client[0]}
        narrow = issue(gateway, tenant, client, scope="reports:write")
        assert api.get("/reports", headers={"Authorization": f"Bearer {narrow}"}).status_code == 403
        assert api.get("/reports", headers={"Authorization": f"Bearer {forge(token)}"}).status_code == 401
