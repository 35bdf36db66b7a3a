"""The verifier behind Starlette, FastAPI and Django: 401 with a Bearer challenge without a
valid token, 403 insufficient_scope without the scope, the verified token for the view."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from binoauth_sdk import AccessToken, JwksCache, TokenVerifier
from tests.unit.python_sdk.test_python_sdk_verifier import AUDIENCE, ISSUER, Keys

pytestmark = [pytest.mark.unit,
              # Starlette 1.x nudges towards httpx2 for its TestClient; httpx is what this repo pins.
              pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")]


@pytest.fixture
def keys() -> Keys:
    return Keys()


def make_verifier(keys: Keys) -> TokenVerifier:
    return TokenVerifier(issuer=ISSUER, audience=AUDIENCE, jwks=JwksCache(
        transport=httpx.MockTransport(keys.handler), async_transport=httpx.MockTransport(keys.handler)))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_starlette_middleware(keys: Keys) -> None:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from binoauth_sdk.integrations.starlette import BearerTokenMiddleware

    async def me(request: Request) -> JSONResponse:
        return JSONResponse({"sub": request.state.access_token.subject})

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"ok": True})

    app = Starlette(routes=[Route("/me", me), Route("/health", health)])
    app.add_middleware(BearerTokenMiddleware, verifier=make_verifier(keys), scopes=["reports:read"],
                       exempt=["/health"])
    kid = keys.add()
    with TestClient(app) as client:
        assert client.get("/health").status_code == 200
        missing = client.get("/me")
        assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
        assert client.get("/me", headers=bearer(keys.sign(kid))).json() == {"sub": "user-1"}
        wrong = client.get("/me", headers=bearer(keys.sign(kid, aud="https://other.example.com")))
        assert wrong.status_code == 401 and wrong.json() == {"error": "invalid_token",
                                                            "error_description": "wrong audience"}
        assert 'error="invalid_token"' in wrong.headers["www-authenticate"]
        scoped = client.get("/me", headers=bearer(keys.sign(kid, scope="profile")))
        assert scoped.status_code == 403 and scoped.json()["error"] == "insufficient_scope"
        assert 'scope="reports:read"' in scoped.headers["www-authenticate"]


def test_fastapi_dependency(keys: Keys) -> None:
    from fastapi import Depends, FastAPI
    from fastapi.testclient import TestClient

    from binoauth_sdk.integrations.starlette import require_token

    app = FastAPI()
    verifier = make_verifier(keys)

    @app.get("/reports")
    async def reports(token: AccessToken = Depends(require_token(verifier, "reports:read"))) -> dict[str, Any]:  # noqa: B008
        return {"client": token.client_id}

    kid = keys.add()
    with TestClient(app) as client:
        assert client.get("/reports", headers=bearer(keys.sign(kid))).json() == {"client": "app-1"}
        assert client.get("/reports").status_code == 401
        expired = client.get("/reports", headers=bearer(keys.sign(kid, iat=1, exp=2)))
        assert expired.status_code == 401 and expired.json() == {"detail": "token expired"}
        assert client.get("/reports", headers=bearer(keys.sign(kid, scope="other"))).status_code == 403


def test_django_middleware_and_decorator(keys: Keys) -> None:
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(DEBUG=False, ALLOWED_HOSTS=["testserver"], SECRET_KEY="test-only", ROOT_URLCONF=[],
                           BINOAUTH={"ISSUER": ISSUER, "AUDIENCE": AUDIENCE, "EXEMPT": ["/health"]})
        django.setup()
    from django.http import JsonResponse
    from django.test import RequestFactory

    from binoauth_sdk.integrations.django import BearerTokenMiddleware, require_scopes

    @require_scopes("reports:write")
    def write_view(request: Any) -> JsonResponse:
        return JsonResponse({"sub": request.access_token.subject})

    def read_view(request: Any) -> JsonResponse:
        return JsonResponse({"sub": request.access_token.subject})

    kid = keys.add()
    reader = BearerTokenMiddleware(read_view, verifier=make_verifier(keys))
    writer = BearerTokenMiddleware(write_view, verifier=make_verifier(keys))
    factory = RequestFactory()
    ok = reader(factory.get("/reports", HTTP_AUTHORIZATION=f"Bearer {keys.sign(kid)}"))
    assert ok.status_code == 200 and b"user-1" in ok.content
    assert reader(factory.get("/reports")).status_code == 401
    forged = reader(factory.get("/reports", HTTP_AUTHORIZATION=f"Bearer {keys.sign(kid)}x"))
    assert forged.status_code == 401 and forged["WWW-Authenticate"].startswith('Bearer error="invalid_token"')
    denied = writer(factory.get("/reports", HTTP_AUTHORIZATION=f"Bearer {keys.sign(kid)}"))
    assert denied.status_code == 403 and 'scope="reports:write"' in denied["WWW-Authenticate"]
    # Built from settings.BINOAUTH, exempt paths pass without a token.
    from_settings = BearerTokenMiddleware(lambda request: JsonResponse({"ok": True}))
    assert from_settings(factory.get("/health")).status_code == 200
    assert from_settings.verifier.issuer == ISSUER
