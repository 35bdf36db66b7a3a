"""A real browser (Playwright + the system Chromium) through the authorization code flow: the
application sends it to authorize, the user signs in on the hosted page, consents, and the
application receives a code (the callback is intercepted: the browser never leaves loopback)
that it exchanges with PKCE."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from tests.e2e.test_oauth_code_flow import CALLBACK, PASSWORD, setup_world
from tools.stack import Stack

pytestmark = pytest.mark.e2e


def test_authorization_code_flow_in_a_browser(chromium: Any, stack: Stack, gateway: httpx.Client,
                                              platform_headers: dict[str, str],
                                              new_tenant: Callable[..., dict[str, Any]]) -> None:
    tenant = str(new_tenant(display_name="Browser OAuth")["tenant_id"])
    email, client_id, secret = setup_world(stack, gateway, platform_headers, tenant)  # third party, confidential
    base = f"{stack.gateway_url}/tenant/{tenant}"
    verifier = secrets.token_urlsafe(48)
    state = secrets.token_urlsafe(12)
    url = f"{base}/oauth2/authorize?" + urlencode({
        "response_type": "code", "client_id": client_id, "redirect_uri": CALLBACK, "scope": "openid email",
        "state": state, "nonce": secrets.token_urlsafe(12),
        "code_challenge": create_s256_code_challenge(verifier), "code_challenge_method": "S256"})

    context = chromium.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    callbacks: list[str] = []

    def application(route: Any) -> None:
        callbacks.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<!DOCTYPE html><title>app</title><p>Signed in</p>")

    page.route("https://app.example.com/**", application)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    try:
        page.goto(url)
        page.wait_for_url(f"{base}/login?**")
        page.fill("#email", email)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("text=asks for access")
        assert "Third-party app" in page.content()
        page.click("button[value=allow]")
        page.wait_for_selector("text=Signed in")
    except Exception:
        print("console:", console, "url:", page.url, "callbacks:", callbacks)
        raise
    finally:
        context.close()

    assert len(callbacks) == 1, callbacks
    assert callbacks[0].startswith(CALLBACK + "?")
    query = parse_qs(urlsplit(callbacks[0]).query)
    assert query["state"] == [state]
    assert query["iss"] == [f"{stack.public_url}/tenant/{tenant}"]
    token = httpx.post(f"{base}/oauth2/token", auth=(client_id, secret), data={
        "grant_type": "authorization_code", "code": query["code"][0], "redirect_uri": CALLBACK,
        "code_verifier": verifier}, timeout=30)
    assert token.status_code == 200, token.text
    assert {"access_token", "id_token"} <= set(token.json())
    assert token.json()["token_type"] == "Bearer"
