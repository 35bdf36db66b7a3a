"""A real browser (Playwright + the system Chromium) through the hosted pages: sign up, open
the verification link from the mail, sign in, land on the account page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.e2e.helpers import unique_id
from tools.mailsink import links_in
from tools.stack import Stack

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery staple"


def test_sign_up_verify_and_sign_in_in_a_browser(chromium: Any, stack: Stack,
                                                 new_tenant: Callable[..., dict[str, Any]]) -> None:
    assert stack.mail is not None
    tenant = new_tenant(display_name="Browser & Co")["tenant_id"]
    base = f"{stack.gateway_url}/tenant/{tenant}"
    email = f"{unique_id('browser')}@example.com"
    context = chromium.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        page.goto(f"{base}/signup")
        assert page.locator("h1").inner_text() == "Browser & Co"
        # The nonce'd stylesheet applies (the CSP allows it): the button is styled.
        assert page.locator("button").evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(9, 105, 218)"
        since = stack.mail.mark()
        page.fill("#email", email)
        page.fill("#name", "Ada Browser")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("text=Check your inbox")

        message = stack.mail.wait_for_blocking(email, timeout=10, since=since)
        link = next(link for link in links_in(message) if "/verify-email?code=" in link)
        # Mail links start at the configured public URL; the browser talks to the gateway.
        page.goto(link.replace(stack.public_url, stack.gateway_url, 1))
        page.wait_for_selector("text=is verified")

        page.click("a:text-is('Sign in')")
        page.wait_for_url(f"{base}/login")
        page.fill("#email", email)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/account")
        assert page.locator("h2").inner_text() == "You are signed in"
        assert email in page.content()
        cookies = {c["name"]: c for c in context.cookies()}
        session = cookies["binoauth_session"]
        assert session["httpOnly"] and session["sameSite"] == "Lax" and session["path"] == f"/tenant/{tenant}/"
        assert cookies["binoauth_csrf"]["sameSite"] == "Strict"

        page.click("button:text-is('Sign out')")
        page.wait_for_url(f"{base}/login")
        assert "binoauth_session" not in {c["name"] for c in context.cookies()}
        assert blocked == []
    finally:
        context.close()
