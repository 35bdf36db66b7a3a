"""RFC 8628 device authorization grant end to end through Envoy: the device asks for codes,
polls, the user signs in on the hosted page and approves (or denies) on /device."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import jwt
import pytest

from tests.e2e.helpers import unique_id
from tests.e2e.test_oauth_code_flow import PASSWORD, Browser
from tools.stack import Stack

pytestmark = pytest.mark.e2e
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
def tenant(new_tenant: Callable[..., dict[str, Any]]) -> str:
    return str(new_tenant()["tenant_id"])


def setup_device_world(gateway: httpx.Client, platform: dict[str, str], tenant: str,
                       **app_fields: Any) -> tuple[str, str, str]:
    email = f"{unique_id('device')}@example.com"
    created = gateway.post(f"/tenant/{tenant}/api/v1/users", headers=platform, json={
        "user": {"email": email, "name": "Grace Hopper"}, "password": PASSWORD, "email_verified": True})
    assert created.status_code == 200, created.text
    body = {"display_name": "Living-room TV", "client_type": "CLIENT_TYPE_PUBLIC",
            "token_endpoint_auth_method": "none", "grant_types": [DEVICE_GRANT, "refresh_token"],
            "allowed_scopes": ["openid", "profile", "email", "offline_access"], **app_fields}
    app = gateway.post(f"/tenant/{tenant}/api/v1/applications", headers=platform, json=body)
    assert app.status_code == 200, app.text
    return email, app.json()["application"]["client_id"], app.json().get("client_secret", "")


def issuer(stack: Stack, tenant: str) -> str:
    return f"{stack.public_url}/tenant/{tenant}"


def start(stack: Stack, tenant: str, client_id: str, scope: str = "openid profile email",
          secret: str = "") -> dict[str, Any]:
    auth = (client_id, secret) if secret else None
    data = {"scope": scope, **({} if secret else {"client_id": client_id})}
    response = httpx.post(f"{issuer(stack, tenant)}/oauth2/device_authorization", data=data, auth=auth, timeout=30)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    return dict(response.json())


def poll(stack: Stack, tenant: str, client_id: str, device_code: str, secret: str = "") -> httpx.Response:
    auth = (client_id, secret) if secret else None
    data = {"grant_type": DEVICE_GRANT, "device_code": device_code, **({} if secret else {"client_id": client_id})}
    return httpx.post(f"{issuer(stack, tenant)}/oauth2/token", data=data, auth=auth, timeout=30)


def error_of(response: httpx.Response) -> str:
    assert response.status_code == 400, response.text
    assert response.headers["cache-control"] == "no-store"
    return str(response.json()["error"])


def device_page(browser: Browser, url: str, email: str) -> httpx.Response:
    """Opens verification_uri_complete like a browser: login redirect, sign-in, the form."""
    path = urlsplit(url)
    response = browser.http.get(f"{path.path}?{path.query}" if path.query else path.path)
    if response.status_code == 303 and "/login?" in response.headers["location"]:
        return_to = parse_qs(urlsplit(response.headers["location"]).query)["return_to"][0]
        assert return_to.startswith("/device")
        browser.sign_in(email)
        response = browser.http.get(f"/tenant/{browser.tenant}{return_to}")
    assert response.status_code == 200, response.text
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    return response


def submit(browser: Browser, page: httpx.Response, decision: str, user_code: str | None = None) -> httpx.Response:
    fields = {k: unescape(v) for k, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">',
                                                        page.text)}
    typed = re.search(r'name="user_code" value="([^"]*)"', page.text)
    code = user_code if user_code is not None else unescape(typed.group(1) if typed else "")
    action = unescape(re.search(r'<form method="post" action="([^"]+)"', page.text).group(1))
    return browser.http.post(action, content=urlencode({**fields, "user_code": code, "decision": decision}).encode(),
                             headers=FORM)


def test_device_flow_approve_poll_and_single_use(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], tenant: str
) -> None:
    email, client_id, _ = setup_device_world(gateway, platform_headers, tenant)
    doc = httpx.get(f"{issuer(stack, tenant)}/.well-known/openid-configuration", timeout=30).json()
    assert doc["device_authorization_endpoint"] == f"{issuer(stack, tenant)}/oauth2/device_authorization"
    assert DEVICE_GRANT in doc["grant_types_supported"]

    answer = start(stack, tenant, client_id)
    assert answer["expires_in"] == 600 and answer["interval"] == 5
    assert re.fullmatch(r"[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}", answer["user_code"])
    assert answer["verification_uri"] == f"{issuer(stack, tenant)}/device"
    assert answer["verification_uri_complete"].startswith(answer["verification_uri"] + "?user_code=")

    assert error_of(poll(stack, tenant, client_id, answer["device_code"])) == "authorization_pending"
    assert error_of(poll(stack, tenant, client_id, answer["device_code"])) == "slow_down"

    browser = Browser(stack, tenant)
    page = device_page(browser, answer["verification_uri_complete"], email)
    assert answer["user_code"] in page.text
    # RFC 8628 section 5.4: the page names the client and what it asks for before any decision.
    review = submit(browser, page, "review")
    assert review.status_code == 200, review.text
    assert "Living-room TV wants access to your account" in review.text
    assert re.search(f"<strong[^>]*>{answer['user_code']}</strong>", review.text)
    # The scopes in words (services/common/pages/scopes.py), not their names.
    assert "See your name and profile details" in review.text and "See your email address" in review.text
    assert error_of(poll(stack, tenant, client_id, answer["device_code"])) in ("authorization_pending", "slow_down")
    approved = submit(browser, review, "allow")
    assert approved.status_code == 200 and "Device connected" in approved.text, approved.text

    issued = poll(stack, tenant, client_id, answer["device_code"])
    assert issued.status_code == 200, issued.text
    assert issued.headers["cache-control"] == "no-store"
    token = issued.json()
    assert {"access_token", "id_token", "refresh_token"} <= set(token) and token["token_type"] == "Bearer"
    jwks = jwt.PyJWKClient(doc["jwks_uri"])
    id_token = jwt.decode(token["id_token"], jwks.get_signing_key_from_jwt(token["id_token"]).key,
                          algorithms=["RS256"], audience=client_id, issuer=doc["issuer"])
    assert id_token["email"] == email and id_token["amr"] == ["pwd"]
    assert jwt.get_unverified_header(token["access_token"])["typ"] == "at+jwt"

    assert error_of(poll(stack, tenant, client_id, answer["device_code"])) == "invalid_grant"
    # The refresh token works like any other.
    refreshed = httpx.post(doc["token_endpoint"], data={"grant_type": "refresh_token", "client_id": client_id,
                                                        "refresh_token": token["refresh_token"]}, timeout=30)
    assert refreshed.status_code == 200, refreshed.text


def test_denied_request_gives_access_denied_and_wrong_codes_show_an_error(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], tenant: str
) -> None:
    email, client_id, secret = setup_device_world(
        gateway, platform_headers, tenant, client_type="CLIENT_TYPE_CONFIDENTIAL",
        token_endpoint_auth_method="client_secret_basic")
    assert secret
    # A confidential client must authenticate.
    anonymous = httpx.post(f"{issuer(stack, tenant)}/oauth2/device_authorization",
                           data={"client_id": client_id, "scope": "openid"}, timeout=30)
    assert anonymous.status_code == 401 and anonymous.json()["error"] == "invalid_client"
    answer = start(stack, tenant, client_id, "openid", secret=secret)

    browser = Browser(stack, tenant)
    page = device_page(browser, answer["verification_uri"], email)
    wrong = submit(browser, page, "allow", user_code="BBBB-BBBB")
    assert wrong.status_code == 400 and "not valid or has expired" in wrong.text
    denied = submit(browser, wrong, "deny", user_code=answer["user_code"].lower())
    assert denied.status_code == 200 and "denied" in denied.text, denied.text
    assert error_of(poll(stack, tenant, client_id, answer["device_code"], secret)) == "access_denied"
    # A decided code cannot be used again on the page.
    again = submit(browser, wrong, "allow", user_code=answer["user_code"])
    assert again.status_code == 400 and "not valid or has expired" in again.text


def test_device_endpoint_refusals(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], tenant: str
) -> None:
    _email, client_id, _ = setup_device_world(gateway, platform_headers, tenant)
    too_much = httpx.post(f"{issuer(stack, tenant)}/oauth2/device_authorization",
                          data={"client_id": client_id, "scope": "openid admin"}, timeout=30)
    assert error_of(too_much) == "invalid_scope"
    code_app = gateway.post(f"/tenant/{tenant}/api/v1/applications", headers=platform_headers, json={
        "display_name": "Web", "client_type": "CLIENT_TYPE_PUBLIC", "token_endpoint_auth_method": "none",
        "redirect_uris": ["https://app.example.com/cb"], "grant_types": ["authorization_code"],
        "allowed_scopes": ["openid"]}).json()["application"]["client_id"]
    unauthorized = httpx.post(f"{issuer(stack, tenant)}/oauth2/device_authorization",
                              data={"client_id": code_app, "scope": "openid"}, timeout=30)
    assert error_of(unauthorized) == "unauthorized_client"
    assert error_of(poll(stack, tenant, client_id, "not-a-device-code")) == "invalid_grant"


def test_device_page_without_a_session_redirects_to_login(stack: Stack, tenant: str) -> None:
    browser = Browser(stack, tenant)
    response = browser.http.get(f"/tenant/{tenant}/device", params={"user_code": "bcdf-ghjk"})
    assert response.status_code == 303
    location = urlsplit(response.headers["location"])
    assert location.path == f"/tenant/{tenant}/login"
    assert parse_qs(location.query)["return_to"] == ["/device?user_code=BCDF-GHJK"]
    posted = browser.http.post(f"/tenant/{tenant}/device", content=b"user_code=BCDF-GHJK&decision=allow",
                               headers=FORM)
    assert posted.status_code == 403 and "location" not in posted.headers  # no CSRF cookie: refused first
