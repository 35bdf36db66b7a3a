"""The authorization code flow end to end through Envoy: a real OpenID Connect client
library (Authlib) against a tenant, with the hosted sign-in and the consent page between."""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import jwt
import pytest
from authlib.integrations.httpx_client import OAuth2Client
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from tests.e2e.helpers import unique_id
from tools.stack import Stack

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery staple"
CALLBACK = "https://app.example.com/callback"


def setup_world(stack: Stack, gateway: httpx.Client, platform: dict[str, str], tenant: str,
                **app_fields: Any) -> tuple[str, str, str]:
    email = f"{unique_id('oidc')}@example.com"
    created = gateway.post(f"/tenant/{tenant}/api/v1/users", headers=platform, json={
        "user": {"email": email, "name": "Ada Lovelace"}, "password": PASSWORD, "email_verified": True})
    assert created.status_code == 200, created.text
    body = {"display_name": "Third-party app", "client_type": "CLIENT_TYPE_CONFIDENTIAL",
            "redirect_uris": [CALLBACK], "grant_types": ["authorization_code", "refresh_token"],
            "allowed_scopes": ["openid", "profile", "email", "offline_access"], **app_fields}
    app = gateway.post(f"/tenant/{tenant}/api/v1/applications", headers=platform, json=body)
    assert app.status_code == 200, app.text
    return email, app.json()["application"]["client_id"], app.json().get("client_secret", "")


class Browser:
    def __init__(self, stack: Stack, tenant: str) -> None:
        self.stack = stack
        self.tenant = tenant
        self.http = httpx.Client(base_url=stack.public_url, timeout=30, follow_redirects=False)

    def sign_in(self, email: str) -> None:
        response = self.http.post(f"/tenant/{self.tenant}/api/v1/auth/login", json={"email": email,
                                                                                     "password": PASSWORD})
        assert response.status_code == 200, response.text

    def authorize(self, url: str, email: str, consent: str | None = "allow") -> httpx.Response:
        """Follows the flow like a browser: login redirect, sign-in, consent page."""
        response = self.http.get(url)
        if response.status_code == 303 and "/login?" in response.headers["location"]:
            return_to = parse_qs(urlsplit(response.headers["location"]).query)["return_to"][0]
            assert return_to.startswith("/oauth2/authorize?")
            self.sign_in(email)
            response = self.http.get(f"/tenant/{self.tenant}{return_to}")
        if response.status_code == 200 and consent is not None:
            assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
            fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', response.text))
            fields = {k: unescape(v) for k, v in fields.items()}
            action = unescape(re.search(r'<form method="post" action="([^"]+)"', response.text).group(1))
            response = self.http.post(action, content=urlencode({**fields, "decision": consent}).encode(),
                                      headers={"Content-Type": "application/x-www-form-urlencoded"})
        return response


@pytest.fixture
def tenant(new_tenant: Callable[..., dict[str, Any]]) -> str:
    return str(new_tenant()["tenant_id"])


def discovery(stack: Stack, tenant: str) -> dict[str, Any]:
    doc = httpx.get(f"{stack.public_url}/tenant/{tenant}/.well-known/openid-configuration", timeout=30).json()
    assert doc["issuer"] == f"{stack.public_url}/tenant/{tenant}"
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["authorization_response_iss_parameter_supported"] is True
    assert doc["response_types_supported"] == ["code"]
    return dict(doc)


def test_code_flow_with_pkce_refresh_userinfo_and_replay(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], tenant: str
) -> None:
    email, client_id, secret = setup_world(stack, gateway, platform_headers, tenant)
    doc = discovery(stack, tenant)
    client = OAuth2Client(client_id, secret, redirect_uri=CALLBACK, scope="openid profile email offline_access",
                          code_challenge_method="S256")
    verifier = secrets.token_urlsafe(48)
    nonce = secrets.token_urlsafe(12)
    url, state = client.create_authorization_url(doc["authorization_endpoint"], code_verifier=verifier, nonce=nonce)
    browser = Browser(stack, tenant)
    callback = browser.authorize(url, email)
    assert callback.status_code == 302, callback.text
    location = callback.headers["location"]
    assert location.startswith(CALLBACK + "?")
    query = parse_qs(urlsplit(location).query)
    assert query["state"] == [state] and query["iss"] == [doc["issuer"]]

    token = client.fetch_token(doc["token_endpoint"], authorization_response=location, code_verifier=verifier)
    assert {"access_token", "id_token", "refresh_token"} <= set(token)
    jwks = jwt.PyJWKClient(doc["jwks_uri"])
    id_token = jwt.decode(token["id_token"], jwks.get_signing_key_from_jwt(token["id_token"]).key,
                          algorithms=["RS256"], audience=client_id, issuer=doc["issuer"])
    assert id_token["nonce"] == nonce and id_token["email"] == email and id_token["name"] == "Ada Lovelace"
    assert id_token["amr"] == ["pwd"] and "auth_time" in id_token and id_token["at_hash"]
    assert jwt.get_unverified_header(token["access_token"])["typ"] == "at+jwt"

    userinfo = client.get(doc["userinfo_endpoint"]).json()
    assert userinfo["sub"] == id_token["sub"] and userinfo["email"] == email

    # Replaying the code fails and revokes what it issued.
    replay = httpx.post(doc["token_endpoint"], auth=(client_id, secret), data={
        "grant_type": "authorization_code", "code": query["code"][0], "redirect_uri": CALLBACK,
        "code_verifier": verifier}, timeout=30)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    introspected = httpx.post(doc["introspection_endpoint"], auth=(client_id, secret),
                              data={"token": token["access_token"]}, timeout=30).json()
    assert introspected == {"active": False}
    refreshed = httpx.post(doc["token_endpoint"], auth=(client_id, secret), data={
        "grant_type": "refresh_token", "refresh_token": token["refresh_token"]}, timeout=30)
    assert refreshed.json()["error"] == "invalid_grant"  # the family went with the replay


def test_refresh_rotation_and_reuse_detection(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], tenant: str
) -> None:
    email, client_id, secret = setup_world(stack, gateway, platform_headers, tenant, first_party=True)
    doc = discovery(stack, tenant)
    client = OAuth2Client(client_id, secret, redirect_uri=CALLBACK, scope="openid offline_access",
                          code_challenge_method="S256")
    verifier = secrets.token_urlsafe(48)
    url, _ = client.create_authorization_url(doc["authorization_endpoint"], code_verifier=verifier)
    callback = Browser(stack, tenant).authorize(url, email, consent=None)  # first party: no consent page
    assert callback.status_code == 302, callback.text
    first = client.fetch_token(doc["token_endpoint"], authorization_response=callback.headers["location"],
                               code_verifier=verifier)

    def refresh(token: str, **extra: str) -> httpx.Response:
        return httpx.post(doc["token_endpoint"], auth=(client_id, secret),
                          data={"grant_type": "refresh_token", "refresh_token": token, **extra}, timeout=30)

    escalate = refresh(first["refresh_token"], scope="openid offline_access profile")
    assert escalate.json()["error"] == "invalid_scope"
    second = refresh(first["refresh_token"])
    assert second.status_code == 200, second.text
    assert second.json()["refresh_token"] != first["refresh_token"]
    third = refresh(second.json()["refresh_token"])
    assert third.status_code == 200
    reuse = refresh(first["refresh_token"])  # a rotated token comes back: the family dies
    assert reuse.json()["error"] == "invalid_grant"
    assert refresh(third.json()["refresh_token"]).json()["error"] == "invalid_grant"
    wrong_secret = httpx.post(doc["token_endpoint"], auth=(client_id, "not-the-secret"),
                              data={"grant_type": "refresh_token", "refresh_token": "x"}, timeout=30)
    assert wrong_secret.status_code == 401

    # Administrators see both in the tenant's security events (reported in the background).
    user_id = jwt.decode(first["id_token"], options={"verify_signature": False})["sub"]
    deadline = time.monotonic() + 15
    while True:
        listed = gateway.get(f"/tenant/{tenant}/api/v1/events", headers=platform_headers).json()["events"]
        kinds = {e["type"]: e for e in listed}
        if {"REFRESH_TOKEN_REUSED", "CLIENT_AUTH_FAILED"} <= set(kinds) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    reused, failed = kinds["REFRESH_TOKEN_REUSED"], kinds["CLIENT_AUTH_FAILED"]
    assert reused["user_id"] == user_id and reused["details"]["client_id"] == client_id
    assert reused["user_agent"].startswith("python-httpx")
    assert failed["details"] == {"client_id": client_id, "method": "client_secret_basic"}


def _page_or_redirect(browser: Browser, url: str) -> httpx.Response:
    return browser.http.get(url)


@pytest.mark.parametrize("variant", [
    CALLBACK + "/", CALLBACK.upper(), CALLBACK + "?x=1", CALLBACK + "#f", "https://user@app.example.com/callback",
    "https://app.example.com:8443/callback", "https://evil.example.com/callback",
])
def test_unregistered_redirect_uris_get_an_error_page_never_a_redirect(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], tenant: str, variant: str
) -> None:
    _email, client_id, _secret = setup_world(stack, gateway, platform_headers, tenant)
    browser = Browser(stack, tenant)
    response = browser.http.get(f"/tenant/{tenant}/oauth2/authorize", params={
        "response_type": "code", "client_id": client_id, "redirect_uri": variant, "scope": "openid"})
    assert response.status_code == 400 and "location" not in response.headers
    assert response.headers["x-frame-options"] == "DENY"
    unknown = browser.http.get(f"/tenant/{tenant}/oauth2/authorize", params={
        "response_type": "code", "client_id": "app_" + "0" * 24, "redirect_uri": CALLBACK, "scope": "openid"})
    assert unknown.status_code == 400 and "location" not in unknown.headers


def test_authorization_errors_go_back_with_iss_and_pkce_is_enforced(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], tenant: str
) -> None:
    email, client_id, secret = setup_world(stack, gateway, platform_headers, tenant, first_party=True)
    browser = Browser(stack, tenant)
    base = {"client_id": client_id, "redirect_uri": CALLBACK, "scope": "openid", "state": "s1"}

    def error_of(**params: str) -> dict[str, list[str]]:
        response = browser.http.get(f"/tenant/{tenant}/oauth2/authorize", params={**base, **params})
        assert response.status_code == 302, response.text
        query = parse_qs(urlsplit(response.headers["location"]).query)
        assert query["state"] == ["s1"] and query["iss"] == [f"{stack.public_url}/tenant/{tenant}"]
        return query

    assert error_of(response_type="token")["error"] == ["unsupported_response_type"]
    assert error_of(response_type="code", code_challenge="a" * 43, code_challenge_method="plain")["error"] == [
        "invalid_request"]
    assert error_of(response_type="code", scope="openid admin")["error"] == ["invalid_scope"]
    assert error_of(response_type="code", prompt="none")["error"] == ["login_required"]
    # Request objects and registration are not supported: refused, never silently ignored.
    assert error_of(response_type="code", request="eyJhbGciOiJub25lIn0.e30.")["error"] == ["request_not_supported"]
    assert error_of(response_type="code", request_uri="https://rp.example.com/r")["error"] == [
        "request_uri_not_supported"]
    assert error_of(response_type="code", registration="{}")["error"] == ["registration_not_supported"]

    # PKCE downgrade: no challenge at authorize, a verifier at the token endpoint.
    browser.sign_in(email)
    response = browser.http.get(f"/tenant/{tenant}/oauth2/authorize", params={**base, "response_type": "code"})
    code = parse_qs(urlsplit(response.headers["location"]).query)["code"][0]
    downgrade = httpx.post(f"{stack.public_url}/tenant/{tenant}/oauth2/token", auth=(client_id, secret), data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK,
        "code_verifier": secrets.token_urlsafe(48)}, timeout=30)
    assert downgrade.json()["error"] == "invalid_grant"
    # A wrong verifier for a code issued with a challenge.
    verifier = secrets.token_urlsafe(48)
    response = browser.http.get(f"/tenant/{tenant}/oauth2/authorize", params={
        **base, "response_type": "code", "code_challenge": create_s256_code_challenge(verifier),
        "code_challenge_method": "S256"})
    code = parse_qs(urlsplit(response.headers["location"]).query)["code"][0]
    wrong = httpx.post(f"{stack.public_url}/tenant/{tenant}/oauth2/token", auth=(client_id, secret), data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK,
        "code_verifier": secrets.token_urlsafe(48)}, timeout=30)
    assert wrong.json()["error"] == "invalid_grant"


def test_public_clients_must_use_pkce(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], tenant: str
) -> None:
    email, client_id, _ = setup_world(stack, gateway, platform_headers, tenant, client_type="CLIENT_TYPE_PUBLIC",
                                      first_party=True, token_endpoint_auth_method="none")
    browser = Browser(stack, tenant)
    browser.sign_in(email)
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": CALLBACK, "scope": "openid"}
    refused = browser.http.get(f"/tenant/{tenant}/oauth2/authorize", params=params)
    assert parse_qs(urlsplit(refused.headers["location"]).query)["error"] == ["invalid_request"]
    verifier = secrets.token_urlsafe(48)
    response = browser.http.get(f"/tenant/{tenant}/oauth2/authorize", params={
        **params, "code_challenge": create_s256_code_challenge(verifier), "code_challenge_method": "S256"})
    code = parse_qs(urlsplit(response.headers["location"]).query)["code"][0]
    token = httpx.post(f"{stack.public_url}/tenant/{tenant}/oauth2/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "client_id": client_id,
        "code_verifier": verifier}, timeout=30)
    assert token.status_code == 200, token.text
    assert "id_token" in token.json()


def _code(stack: Stack, browser: Browser, tenant: str, client_id: str, verifier: str) -> str:
    response = browser.http.get(f"/tenant/{tenant}/oauth2/authorize", params={
        "response_type": "code", "client_id": client_id, "redirect_uri": CALLBACK, "scope": "openid offline_access",
        "code_challenge": create_s256_code_challenge(verifier), "code_challenge_method": "S256"})
    assert response.status_code == 302, response.text
    return parse_qs(urlsplit(response.headers["location"]).query)["code"][0]


def test_concurrent_redemptions_of_one_code_exactly_one_wins(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], tenant: str
) -> None:
    import concurrent.futures

    email, client_id, secret = setup_world(stack, gateway, platform_headers, tenant, first_party=True)
    browser = Browser(stack, tenant)
    browser.sign_in(email)
    verifier = secrets.token_urlsafe(48)
    code = _code(stack, browser, tenant, client_id, verifier)

    def redeem(_: int) -> int:
        return httpx.post(f"{stack.public_url}/tenant/{tenant}/oauth2/token", auth=(client_id, secret), data={
            "grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "code_verifier": verifier},
            timeout=30).status_code

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        statuses = sorted(pool.map(redeem, range(8)))
    assert statuses == [200] + [400] * 7


def test_revoking_a_refresh_token_ends_its_family(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], tenant: str
) -> None:
    email, client_id, secret = setup_world(stack, gateway, platform_headers, tenant, first_party=True)
    browser = Browser(stack, tenant)
    browser.sign_in(email)
    verifier = secrets.token_urlsafe(48)
    code = _code(stack, browser, tenant, client_id, verifier)
    issuer_url = f"{stack.public_url}/tenant/{tenant}"
    first = httpx.post(f"{issuer_url}/oauth2/token", auth=(client_id, secret), data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "code_verifier": verifier},
        timeout=30).json()
    rotated = httpx.post(f"{issuer_url}/oauth2/token", auth=(client_id, secret), data={
        "grant_type": "refresh_token", "refresh_token": first["refresh_token"]}, timeout=30).json()
    revoked = httpx.post(f"{issuer_url}/oauth2/revoke", auth=(client_id, secret),
                         data={"token": first["refresh_token"], "token_type_hint": "refresh_token"}, timeout=30)
    assert revoked.status_code == 200
    again = httpx.post(f"{issuer_url}/oauth2/token", auth=(client_id, secret), data={
        "grant_type": "refresh_token", "refresh_token": rotated["refresh_token"]}, timeout=30)
    assert again.json()["error"] == "invalid_grant"  # the whole family ended
