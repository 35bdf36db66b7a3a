"""The token endpoint (client_credentials), introspection and revocation through Envoy, with
a real OAuth client library (Authlib) where a client would use one."""

from __future__ import annotations

import base64
import json
import secrets
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import jwt
import pytest
from authlib.integrations.httpx_client import OAuth2Client

from services.common.tokens import AccessTokenVerifier, HttpJwksSource, InvalidToken
from tests.e2e.helpers import assert_envelope
from tests.local_http import serving
from tools.stack import Stack

pytestmark = pytest.mark.e2e
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def make_app(gateway: httpx.Client, platform_headers: dict[str, str], tenant_id: str, **fields: Any) -> tuple[str, str]:
    key = gateway.post(f"/api/v1/tenants/{tenant_id}/apiKeys", headers=platform_headers,
                       json={"scopes": ["applications:write", "applications:read"]}).json()["secret"]
    body = {"display_name": "Service", "client_type": "CLIENT_TYPE_CONFIDENTIAL",
            "grant_types": ["client_credentials"], "allowed_scopes": ["reports:read", "reports:write"], **fields}
    created = gateway.post("/api/v1/applications", headers={"Authorization": f"Bearer {key}"}, json=body)
    assert created.status_code == 200, created.text
    return created.json()["application"]["client_id"], created.json().get("client_secret", "")


@pytest.fixture
def tenant(new_tenant: Callable[..., dict[str, Any]]) -> str:
    return str(new_tenant()["tenant_id"])


def issuer(stack: Stack, tenant_id: str) -> str:
    return f"{stack.public_url}/tenant/{tenant_id}"


def test_metadata_lists_exactly_what_is_supported(stack: Stack, gateway: httpx.Client, tenant: str) -> None:
    metadata = gateway.get(f"/tenant/{tenant}/.well-known/oauth-authorization-server",
                           headers={"Host": "evil.example.com"})
    assert metadata.status_code == 200
    doc = metadata.json()
    assert doc["issuer"] == issuer(stack, tenant)  # from configuration, never the Host header
    assert doc["token_endpoint"] == f"{issuer(stack, tenant)}/oauth2/token"
    assert sorted(doc["grant_types_supported"]) == ["authorization_code", "client_credentials", "refresh_token",
                                                    "urn:ietf:params:oauth:grant-type:device_code"]
    assert doc["device_authorization_endpoint"] == f"{issuer(stack, tenant)}/oauth2/device_authorization"
    assert "password" not in doc["grant_types_supported"] and "implicit" not in str(doc)


@pytest.mark.parametrize("auth_method", ["client_secret_basic", "client_secret_post"])
def test_client_credentials_with_a_real_client_library(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], tenant: str, auth_method: str
) -> None:
    client_id, secret = make_app(gateway, platform_headers, tenant, token_endpoint_auth_method=auth_method)
    with OAuth2Client(client_id, secret, token_endpoint_auth_method=auth_method, scope="reports:read") as client:
        token = client.fetch_token(f"{stack.gateway_url}/tenant/{tenant}/oauth2/token",
                                   grant_type="client_credentials")
    assert token["token_type"] == "Bearer" and token["scope"] == "reports:read" and token["expires_in"] == 900
    header = jwt.get_unverified_header(token["access_token"])
    assert header["typ"] == "at+jwt" and header["alg"] == "ES256"
    jwks = gateway.get(f"/tenant/{tenant}/.well-known/jwks.json").json()["keys"]
    assert header["kid"] in {k["kid"] for k in jwks}


async def test_tokens_verify_introspect_and_revoke(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], tenant: str,
    new_tenant: Callable[..., dict[str, Any]]
) -> None:
    client_id, secret = make_app(gateway, platform_headers, tenant)
    basic = {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode(), **FORM}
    issued = gateway.post(f"/tenant/{tenant}/oauth2/token", headers=basic,
                          content=b"grant_type=client_credentials&resource=https%3A%2F%2Fapi.example.com")
    assert issued.status_code == 200, issued.text
    assert issued.headers["cache-control"] == "no-store"
    access = issued.json()["access_token"]
    assert issued.json()["scope"] == "reports:read reports:write"

    verifier = AccessTokenVerifier(HttpJwksSource())
    verified = await verifier.verify(access, issuer=issuer(stack, tenant), audience="https://api.example.com")
    assert verified.client_id == client_id and verified.subject == client_id
    other_tenant = new_tenant()["tenant_id"]
    with pytest.raises(InvalidToken):  # a token of tenant A at tenant B
        await verifier.verify(access, issuer=issuer(stack, other_tenant), audience="https://api.example.com")

    active = gateway.post(f"/tenant/{tenant}/oauth2/introspect", headers=basic, data={"token": access})
    assert active.json()["active"] is True and active.json()["client_id"] == client_id
    assert active.json()["aud"] == "https://api.example.com"
    # Another client of the tenant learns nothing about this token.
    other_id, other_secret = make_app(gateway, platform_headers, tenant)
    other = {"Authorization": "Basic " + base64.b64encode(f"{other_id}:{other_secret}".encode()).decode(), **FORM}
    assert gateway.post(f"/tenant/{tenant}/oauth2/introspect", headers=other, data={"token": access}).json() == {
        "active": False}
    assert gateway.post(f"/tenant/{other_tenant}/oauth2/introspect", headers=basic,
                        data={"token": access}).status_code == 401  # the client does not exist there
    assert gateway.post(f"/tenant/{tenant}/oauth2/introspect", headers=basic,
                        data={"token": "not-a-token"}).json() == {"active": False}

    assert gateway.post(f"/tenant/{tenant}/oauth2/revoke", headers=other, data={"token": access}).status_code == 200
    assert gateway.post(f"/tenant/{tenant}/oauth2/introspect", headers=basic,
                        data={"token": access}).json()["active"] is True  # another client cannot revoke it
    revoked = gateway.post(f"/tenant/{tenant}/oauth2/revoke", headers=basic, data={"token": access})
    assert revoked.status_code == 200 and revoked.text == "{}"
    assert gateway.post(f"/tenant/{tenant}/oauth2/introspect", headers=basic, data={"token": access}).json() == {
        "active": False}


def _error(response: httpx.Response, status: int, error: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["error"] == error, response.text
    assert response.headers["cache-control"] == "no-store"
    assert not any(h.startswith("grpc-") for h in response.headers)


def test_token_endpoint_errors_follow_rfc6749(
    gateway: httpx.Client, platform_headers: dict[str, str], tenant: str
) -> None:
    client_id, secret = make_app(gateway, platform_headers, tenant)
    url = f"/tenant/{tenant}/oauth2/token"
    good = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    wrong = base64.b64encode(f"{client_id}:not-the-secret".encode()).decode()
    response = gateway.post(url, headers={"Authorization": f"Basic {wrong}", **FORM},
                            content=b"grant_type=client_credentials")
    _error(response, 401, "invalid_client")
    assert response.headers["www-authenticate"].startswith("Basic")
    _error(gateway.post(url, headers=FORM, content=f"grant_type=client_credentials&client_id={client_id}".encode()),
           401, "invalid_client")
    basic = {"Authorization": f"Basic {good}", **FORM}
    _error(gateway.post(url, headers=basic, content=b"grant_type=password&username=a&password=b"),
           400, "unsupported_grant_type")
    for scope in (b"openid", b"admin"):  # a user scope, and one the client was not given
        _error(gateway.post(url, headers=basic, content=b"grant_type=client_credentials&scope=" + scope),
               400, "invalid_scope")
    _error(gateway.post(url, headers=basic, content=b""), 400, "invalid_request")
    _error(gateway.post(url, headers=basic, content=b"grant_type=client_credentials&grant_type=client_credentials"),
           400, "invalid_request")
    _error(gateway.post(url, headers={"Authorization": f"Basic {good}", "Content-Type": "application/json"},
                        content=b'{"grant_type":"client_credentials"}'), 400, "invalid_request")
    _error(gateway.post(url, headers={"Authorization": f"Basic {good}", **FORM},
                        content=f"grant_type=client_credentials&client_secret={secret}".encode()),
           400, "invalid_request")  # two authentication methods at once
    # A client registered for client_secret_basic may not authenticate in the body.
    _error(gateway.post(url, headers=FORM, content=f"grant_type=client_credentials&client_id={client_id}"
                                                   f"&client_secret={secret}".encode()), 401, "invalid_client")
    auth_code_only, code_secret = make_app(gateway, platform_headers, tenant, grant_types=["authorization_code"],
                                           redirect_uris=["https://app.example.com/cb"], allowed_scopes=["openid"])
    other = base64.b64encode(f"{auth_code_only}:{code_secret}".encode()).decode()
    _error(gateway.post(url, headers={"Authorization": f"Basic {other}", **FORM},
                        content=b"grant_type=client_credentials"), 400, "unauthorized_client")


def test_secret_rotation_reaches_every_token_replica_at_once(
    gateway: httpx.Client, platform_headers: dict[str, str], tenant: str
) -> None:
    """Clients are cached in every token replica; a rotation is pushed to all of them."""
    client_id, old = make_app(gateway, platform_headers, tenant)
    url = f"/tenant/{tenant}/oauth2/token"

    def status(secret: str) -> int:
        return gateway.post(url, auth=(client_id, secret), data={"grant_type": "client_credentials"}).status_code

    assert [status(old) for _ in range(4)] == [200] * 4  # warms both replicas' caches
    rotated = gateway.post(f"/tenant/{tenant}/api/v1/applications/{client_id}:rotateSecret", headers=platform_headers,
                           json={"previous_secret_overlap_seconds": 0})
    assert rotated.status_code == 200, rotated.text
    new = rotated.json()["client_secret"]
    assert [status(new) for _ in range(4)] == [200] * 4
    assert [status(old) for _ in range(4)] == [401] * 4


# --- private_key_jwt (RFC 7523) -------------------------------------------------------------

def _key_pair() -> tuple[Any, dict[str, Any]]:
    from cryptography.hazmat.primitives.asymmetric import ec
    from jwt.algorithms import ECAlgorithm

    private = ec.generate_private_key(ec.SECP256R1())
    return private, {**json.loads(ECAlgorithm.to_jwk(private.public_key())), "kid": "backend-2026", "use": "sig"}


def _keyed_app(gateway: httpx.Client, platform_headers: dict[str, str], tenant: str) -> tuple[Any, str, str]:
    """A private_key_jwt application: (its private key, client_id, the refused secret)."""
    private, public = _key_pair()
    client_id, secret = make_app(gateway, platform_headers, tenant, token_endpoint_auth_method="private_key_jwt",
                                 jwks={"keys": [public]})
    return private, client_id, secret


def _assertion(private: Any, client_id: str, audience: str, kid: str = "backend-2026") -> str:
    now = int(time.time())
    return jwt.encode({"iss": client_id, "sub": client_id, "aud": audience, "iat": now, "exp": now + 60,
                       "jti": secrets.token_urlsafe(16)}, private, algorithm="ES256", headers={"kid": kid})


def test_private_key_jwt_with_a_real_client_library(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], tenant: str
) -> None:
    from authlib.integrations.httpx_client import OAuth2Client as Client
    from authlib.oauth2.rfc7523 import PrivateKeyJWT
    from cryptography.hazmat.primitives import serialization
    from joserfc.jwk import ECKey

    private, client_id, _ = _keyed_app(gateway, platform_headers, tenant)
    doc = gateway.get(f"/tenant/{tenant}/.well-known/openid-configuration").json()
    assert "private_key_jwt" in doc["token_endpoint_auth_methods_supported"]
    assert "ES256" in doc["token_endpoint_auth_signing_alg_values_supported"]
    assert "HS256" not in doc["token_endpoint_auth_signing_alg_values_supported"]

    token_url = f"{stack.gateway_url}/tenant/{tenant}/oauth2/token"
    pem = ECKey.import_key(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                serialization.NoEncryption()))
    # Authlib signs with the token endpoint URL it calls as audience; ours is the public URL.
    auth = PrivateKeyJWT(f"{issuer(stack, tenant)}/oauth2/token", alg="ES256", headers={"kid": "backend-2026"})
    with Client(client_id, pem, token_endpoint_auth_method=auth, scope="reports:read") as client:
        token = client.fetch_token(token_url, grant_type="client_credentials")
    assert token["token_type"] == "Bearer" and token["scope"] == "reports:read"
    assert jwt.decode(token["access_token"], options={"verify_signature": False})["client_id"] == client_id


def test_private_key_jwt_refuses_replays_other_keys_and_secrets(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], tenant: str,
    new_tenant: Callable[..., dict[str, Any]]
) -> None:
    private, client_id, secret = _keyed_app(gateway, platform_headers, tenant)
    token_url = f"/tenant/{tenant}/oauth2/token"
    audience = f"{issuer(stack, tenant)}/oauth2/token"

    def token_with(assertion: str, path: str = token_url) -> httpx.Response:
        return gateway.post(path, headers=FORM, data={
            "grant_type": "client_credentials", "client_assertion": assertion,
            "client_assertion_type": ASSERTION_TYPE})

    assertion = _assertion(private, client_id, audience)
    first = token_with(assertion)
    assert first.status_code == 200, first.text
    replayed = token_with(assertion)
    assert replayed.status_code == 401 and replayed.json()["error"] == "invalid_client"
    assert "www-authenticate" not in replayed.headers  # not a Basic challenge: no password was used

    stranger, _ = _key_pair()
    assert token_with(_assertion(stranger, client_id, audience)).status_code == 401
    # Signed for another tenant's issuer: not valid here (nor at the other tenant: wrong client).
    other = str(new_tenant()["tenant_id"])
    assert token_with(_assertion(private, client_id, f"{issuer(stack, other)}/oauth2/token")).status_code == 401
    assert token_with(_assertion(private, client_id, audience), f"/tenant/{other}/oauth2/token").status_code == 401
    # The secret shown at creation is refused while the client authenticates with keys.
    basic = {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode(), **FORM}
    assert gateway.post(token_url, headers=basic, content=b"grant_type=client_credentials").status_code == 401
    both = gateway.post(token_url, headers=basic, data={
        "grant_type": "client_credentials", "client_assertion": _assertion(private, client_id, audience),
        "client_assertion_type": ASSERTION_TYPE})
    assert both.status_code == 400 and both.json()["error"] == "invalid_request"

    # Introspection and revocation take the same client authentication.
    access = first.json()["access_token"]
    introspected = gateway.post(f"/tenant/{tenant}/oauth2/introspect", headers=FORM, data={
        "token": access, "client_assertion": _assertion(private, client_id, issuer(stack, tenant)),
        "client_assertion_type": ASSERTION_TYPE})
    assert introspected.status_code == 200 and introspected.json()["active"] is True


def test_rotating_a_private_key_jwt_clients_keys(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], tenant: str
) -> None:
    old_private, client_id, _ = _keyed_app(gateway, platform_headers, tenant)
    key = gateway.post(f"/api/v1/tenants/{tenant}/apiKeys", headers=platform_headers,
                       json={"scopes": ["applications:write"]}).json()["secret"]
    new_private, new_public = _key_pair()
    new_public["kid"] = "backend-2027"
    updated = gateway.patch(f"/api/v1/applications/{client_id}", params={"update_mask": "jwks"},
                            headers={"Authorization": f"Bearer {key}"}, json={"jwks": {"keys": [new_public]}})
    assert updated.status_code == 200, updated.text
    assert [k["kid"] for k in updated.json()["jwks"]["keys"]] == ["backend-2027"]
    audience = f"{issuer(stack, tenant)}/oauth2/token"
    form = {"grant_type": "client_credentials",
            "client_assertion_type": ASSERTION_TYPE}
    # Every replica's client cache is invalidated: the removed key stops working at once.
    for _ in range(4):
        old = gateway.post(f"/tenant/{tenant}/oauth2/token", headers=FORM,
                           data={**form, "client_assertion": _assertion(old_private, client_id, audience)})
        assert old.status_code == 401
        new = gateway.post(f"/tenant/{tenant}/oauth2/token", headers=FORM, data={
            **form, "client_assertion": _assertion(new_private, client_id, audience, "backend-2027")})
        assert new.status_code == 200, new.text
    emptied = gateway.patch(f"/api/v1/applications/{client_id}", params={"update_mask": "jwks"},
                            headers={"Authorization": f"Bearer {key}"}, json={"jwks": {}})
    assert_envelope(emptied, 400, "JWKS_REQUIRED")


@pytest.fixture
def jwks_server() -> Iterator[tuple[dict[str, Any], int]]:
    """A loopback server publishing `published` at /jwks.json (and 404 elsewhere)."""
    published: dict[str, Any] = {"keys": []}

    def route(path: str) -> tuple[int, bytes, dict[str, str]]:
        return (200 if path == "/jwks.json" else 404), json.dumps(published).encode(), {}

    with serving(route) as port:
        yield published, port


def test_private_key_jwt_with_keys_fetched_from_the_jwks_uri(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], tenant: str,
    jwks_server: tuple[dict[str, Any], int]
) -> None:
    published, port = jwks_server
    private, public = _key_pair()
    published["keys"] = [public]
    client_id, _ = make_app(gateway, platform_headers, tenant, token_endpoint_auth_method="private_key_jwt",
                            jwks_uri=f"http://127.0.0.1:{port}/jwks.json")
    audience = f"{issuer(stack, tenant)}/oauth2/token"
    form = {"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE}
    for _ in range(3):  # every replica fetches (or has cached) the set
        issued = gateway.post(f"/tenant/{tenant}/oauth2/token", headers=FORM,
                              data={**form, "client_assertion": _assertion(private, client_id, audience)})
        assert issued.status_code == 200, issued.text
    stranger, _ = _key_pair()
    refused = gateway.post(f"/tenant/{tenant}/oauth2/token", headers=FORM,
                           data={**form, "client_assertion": _assertion(stranger, client_id, audience)})
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_client"

    # A URL that does not answer with a key set authenticates nobody.
    broken_id, _ = make_app(gateway, platform_headers, tenant, token_endpoint_auth_method="private_key_jwt",
                            jwks_uri=f"http://127.0.0.1:{port}/missing.json")
    broken = gateway.post(f"/tenant/{tenant}/oauth2/token", headers=FORM,
                          data={**form, "client_assertion": _assertion(private, broken_id, audience)})
    assert broken.status_code == 401 and broken.json()["error"] == "invalid_client"
