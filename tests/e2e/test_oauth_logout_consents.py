"""RP-initiated logout and the user's remembered consents, end to end through Envoy."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import jwt
import pytest
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.e2e.helpers import assert_envelope
from tests.e2e.test_oauth_code_flow import CALLBACK, Browser, setup_world
from tools.stack import Stack

pytestmark = pytest.mark.e2e
BYE = "https://app.example.com/signed-out"


@pytest.fixture
def tenant(new_tenant: Callable[..., dict[str, Any]]) -> str:
    return str(new_tenant()["tenant_id"])


def code_flow(stack: Stack, browser: Browser, tenant: str, email: str, client_id: str, secret: str,
              scope: str = "openid email offline_access") -> dict[str, Any]:
    verifier = secrets.token_urlsafe(48)
    url = f"/tenant/{tenant}/oauth2/authorize?" + urlencode({
        "response_type": "code", "client_id": client_id, "redirect_uri": CALLBACK, "scope": scope,
        "state": "st", "code_challenge": create_s256_code_challenge(verifier), "code_challenge_method": "S256"})
    callback = browser.authorize(url, email)
    assert callback.status_code == 302, callback.text
    code = parse_qs(urlsplit(callback.headers["location"]).query)["code"][0]
    token = httpx.post(f"{stack.public_url}/tenant/{tenant}/oauth2/token", auth=(client_id, secret), data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "code_verifier": verifier},
        timeout=30)
    assert token.status_code == 200, token.text
    return dict(token.json())


def session_cookie(browser: Browser) -> str:
    return str(browser.http.cookies.get("binoauth_session"))


def me(stack: Stack, tenant: str, secret: str) -> httpx.Response:
    return httpx.get(f"{stack.public_url}/tenant/{tenant}/api/v1/users/me",
                     headers={"Cookie": f"binoauth_session={secret}"}, timeout=30)


def logout(browser: Browser, tenant: str, **params: str) -> httpx.Response:
    return browser.http.get(f"/tenant/{tenant}/oauth2/logout", params=params)


def assert_signed_out_page(response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    assert "location" not in response.headers
    assert "You are signed out" in response.text
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_logout_with_a_valid_hint_redirects_to_a_registered_uri_and_ends_the_session(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], tenant: str
) -> None:
    email, client_id, secret = setup_world(stack, gateway, platform_headers, tenant, first_party=True,
                                           post_logout_redirect_uris=[BYE])
    browser = Browser(stack, tenant)
    tokens = code_flow(stack, browser, tenant, email, client_id, secret)
    cookie = session_cookie(browser)
    assert me(stack, tenant, cookie).status_code == 200

    response = logout(browser, tenant, id_token_hint=tokens["id_token"], post_logout_redirect_uri=BYE,
                      state="bye-1")
    assert response.status_code == 302, response.text
    assert response.headers["location"] == f"{BYE}?state=bye-1"
    cleared = response.headers["set-cookie"]
    assert "binoauth_session=;" in cleared and "Max-Age=0" in cleared and f"Path=/tenant/{tenant}/" in cleared
    assert me(stack, tenant, cookie).status_code == 401

    # client_id alone also names the client; without either, never a redirect.
    assert logout(browser, tenant, client_id=client_id, post_logout_redirect_uri=BYE).headers["location"] == BYE
    assert_signed_out_page(logout(browser, tenant, post_logout_redirect_uri=BYE))


def test_logout_never_redirects_to_an_unregistered_uri_or_on_a_bad_hint(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], tenant: str,
    new_tenant: Callable[..., dict[str, Any]]
) -> None:
    email, client_id, secret = setup_world(stack, gateway, platform_headers, tenant, first_party=True,
                                           post_logout_redirect_uris=[BYE])
    browser = Browser(stack, tenant)
    hint = code_flow(stack, browser, tenant, email, client_id, secret)["id_token"]
    cookie = session_cookie(browser)
    for variant in (BYE + "/", BYE + "?x=1", "https://evil.example.com/signed-out", CALLBACK):
        response = logout(browser, tenant, id_token_hint=hint, post_logout_redirect_uri=variant, state="s")
        assert_signed_out_page(response)
    assert me(stack, tenant, cookie).status_code == 401  # ended, even without a redirect

    # A forged hint: right kid, right claims, signed with another key.
    header = jwt.get_unverified_header(hint)
    claims = jwt.decode(hint, options={"verify_signature": False})
    forged = jwt.encode(claims, rsa.generate_private_key(public_exponent=65537, key_size=2048), algorithm="RS256",
                        headers={"kid": header["kid"]})
    assert_signed_out_page(logout(browser, tenant, id_token_hint=forged, post_logout_redirect_uri=BYE))
    assert_signed_out_page(logout(browser, tenant, id_token_hint=forged, client_id=client_id,
                                  post_logout_redirect_uri=BYE))
    # alg=none and garbage.
    unsigned = jwt.encode(claims, None, algorithm="none", headers={"kid": header["kid"]})
    assert_signed_out_page(logout(browser, tenant, id_token_hint=unsigned, post_logout_redirect_uri=BYE))
    assert_signed_out_page(logout(browser, tenant, id_token_hint="not.a.jwt", post_logout_redirect_uri=BYE))

    # A genuine ID token of another tenant is no hint here.
    other = str(new_tenant()["tenant_id"])
    other_email, other_client, other_secret = setup_world(stack, gateway, platform_headers, other, first_party=True,
                                                          post_logout_redirect_uris=[BYE])
    other_hint = code_flow(stack, Browser(stack, other), other, other_email, other_client, other_secret)["id_token"]
    assert_signed_out_page(logout(browser, tenant, id_token_hint=other_hint, post_logout_redirect_uri=BYE))
    assert_signed_out_page(logout(browser, tenant, id_token_hint=other_hint, client_id=client_id,
                                  post_logout_redirect_uri=BYE))


def test_a_hint_for_another_user_does_not_end_the_session(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], tenant: str
) -> None:
    email, client_id, secret = setup_world(stack, gateway, platform_headers, tenant, first_party=True,
                                           post_logout_redirect_uris=[BYE])
    first = Browser(stack, tenant)
    hint = code_flow(stack, first, tenant, email, client_id, secret)["id_token"]
    other_email, _other_client, _ = setup_world(stack, gateway, platform_headers, tenant)
    second = Browser(stack, tenant)
    second.sign_in(other_email)
    cookie = session_cookie(second)
    logout(second, tenant, id_token_hint=hint, post_logout_redirect_uri=BYE)
    assert me(stack, tenant, cookie).status_code == 200


def test_consents_are_listed_and_revoking_one_asks_again_and_ends_refresh_tokens(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], tenant: str
) -> None:
    email, client_id, secret = setup_world(stack, gateway, platform_headers, tenant)  # third party
    browser = Browser(stack, tenant)
    assert_envelope(browser.http.get(f"/tenant/{tenant}/api/v1/consents"), 401, "SESSION_REQUIRED")
    assert_envelope(browser.http.delete(f"/tenant/{tenant}/api/v1/consents/{client_id}"), 401, "SESSION_REQUIRED")
    tokens = code_flow(stack, browser, tenant, email, client_id, secret)

    listed = browser.http.get(f"/tenant/{tenant}/api/v1/consents")
    assert listed.status_code == 200, listed.text
    assert listed.json()["consents"] == [{"client_id": client_id, "client_name": "Third-party app",
                                          "scopes": ["email", "offline_access", "openid"]}]
    # Another user sees none of them.
    other_email, _c, _s = setup_world(stack, gateway, platform_headers, tenant)
    stranger = Browser(stack, tenant)
    stranger.sign_in(other_email)
    assert stranger.http.get(f"/tenant/{tenant}/api/v1/consents").json().get("consents", []) == []
    assert_envelope(stranger.http.delete(f"/tenant/{tenant}/api/v1/consents/{client_id}"), 404,
                    "CONSENT_NOT_FOUND")

    revoked = browser.http.delete(f"/tenant/{tenant}/api/v1/consents/{client_id}")
    assert revoked.status_code == 200, revoked.text
    assert browser.http.get(f"/tenant/{tenant}/api/v1/consents").json().get("consents", []) == []
    refreshed = httpx.post(f"{stack.public_url}/tenant/{tenant}/oauth2/token", auth=(client_id, secret), data={
        "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}, timeout=30)
    assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_grant"
    again = browser.http.get(f"/tenant/{tenant}/oauth2/authorize", params={
        "response_type": "code", "client_id": client_id, "redirect_uri": CALLBACK, "scope": "openid email",
        "state": "again", "code_challenge": create_s256_code_challenge(secrets.token_urlsafe(48)),
        "code_challenge_method": "S256"})
    assert again.status_code == 200 and "asks for access" in again.text
    assert_envelope(browser.http.delete(f"/tenant/{tenant}/api/v1/consents/{client_id}"), 404, "CONSENT_NOT_FOUND")
