"""The hosted forms' CSP `form-action` in a real browser. Chromium applies form-action to the
redirects that follow a form submission too, so a hosted form whose answer ends, a few hops
later, at the application (sign-in: POST /login -> 303 /oauth2/authorize -> 302 redirect_uri)
must allow the application's origin, and only a validated one. The application here is a
loopback HTTP server on its own port (another origin), not an intercepted route: the browser
really navigates there. httpx-based tests cannot see this: they do not enforce CSP."""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from services.identity import totp
from tests.e2e.helpers import unique_id
from tests.e2e.test_oauth_code_flow import PASSWORD
from tools.mailsink import links_in
from tools.stack import Stack

pytestmark = pytest.mark.e2e
TIMEOUT_MS = 10_000


class Application:
    """The application's web server: records every request it gets and says "Signed in"."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        seen = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                seen.append(self.path)
                body = b"<!DOCTYPE html><title>app</title><p>Application reached</p>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.callback = f"{self.origin}/callback"
        self.signed_out = f"{self.origin}/signed-out"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def app() -> Iterator[Application]:
    running = Application()
    yield running
    running.close()


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


class World:
    """A tenant with a first-party application whose redirect URI is `app`, and a user."""

    def __init__(self, stack: Stack, gateway: httpx.Client, platform: dict[str, str], tenant: str,
                 app: Application, client_type: str) -> None:
        self.stack, self.tenant, self.app = stack, tenant, app
        self.base = f"{stack.gateway_url}/tenant/{tenant}"
        self.email = f"{unique_id('formaction')}@example.com"
        user = gateway.post(f"/tenant/{tenant}/api/v1/users", headers=platform, json={
            "user": {"email": self.email, "name": "Ada"}, "password": PASSWORD, "email_verified": True})
        assert user.status_code == 200, user.text
        created = gateway.post(f"/tenant/{tenant}/api/v1/applications", headers=platform, json={
            "display_name": "First-party app", "client_type": client_type, "first_party": True,
            "redirect_uris": [app.callback], "post_logout_redirect_uris": [app.signed_out],
            "grant_types": ["authorization_code"], "allowed_scopes": ["openid", "email"]})
        assert created.status_code == 200, created.text
        self.client_id = str(created.json()["application"]["client_id"])
        self.secret = str(created.json().get("client_secret", ""))
        self.verifier = secrets.token_urlsafe(48)
        self.state = secrets.token_urlsafe(12)

    def authorize_url(self) -> str:
        return f"{self.base}/oauth2/authorize?" + urlencode({
            "response_type": "code", "client_id": self.client_id, "redirect_uri": self.app.callback,
            "scope": "openid email", "state": self.state, "nonce": secrets.token_urlsafe(12),
            "code_challenge": s256(self.verifier), "code_challenge_method": "S256"})

    def redeem(self, url: str) -> dict[str, Any]:
        """The callback URL's code, exchanged: the application really got a working code."""
        query = parse_qs(urlsplit(url).query)
        assert query["state"] == [self.state], url
        data = {"grant_type": "authorization_code", "code": query["code"][0], "redirect_uri": self.app.callback,
                "code_verifier": self.verifier, **({} if self.secret else {"client_id": self.client_id})}
        auth = (self.client_id, self.secret) if self.secret else None
        token = httpx.post(f"{self.base}/oauth2/token", data=data, auth=auth, timeout=30)
        assert token.status_code == 200, token.text
        return dict(token.json())


@pytest.fixture
def world(stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], app: Application,
          new_tenant: Callable[..., dict[str, Any]]) -> Callable[[str], World]:
    def make(client_type: str = "CLIENT_TYPE_CONFIDENTIAL") -> World:
        tenant = str(new_tenant(display_name="Form action")["tenant_id"])
        return World(stack, gateway, platform_headers, tenant, app, client_type)
    return make


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context()
    opened = context.new_page()
    opened.set_default_timeout(TIMEOUT_MS)
    console: list[str] = []
    opened.on("console", lambda m: console.append(m.text))
    try:
        yield opened
    finally:
        if console:
            print("browser console:", console)
        context.close()


def arrive(page: Any, target: str) -> str:
    """Waits until the browser is on `target` (the application), or fails saying where it is."""
    try:
        page.wait_for_url(f"{target}**", timeout=TIMEOUT_MS)
    except Exception as error:
        raise AssertionError(f"the browser never reached {target}; it is at {page.url}") from error
    assert "Application reached" in page.content()
    return str(page.url)


def sign_in_form(page: Any, world: World, email: str) -> None:
    page.goto(world.authorize_url())
    page.wait_for_url(f"{world.base}/login?**")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")


def test_first_party_sign_in_reaches_the_application(page: Any, world: Callable[[str], World]) -> None:
    w = world("CLIENT_TYPE_CONFIDENTIAL")
    sign_in_form(page, w, w.email)
    url = arrive(page, w.app.callback + "?")
    assert "access_token" in w.redeem(url)


def test_public_client_sign_in_after_a_wrong_password_reaches_the_application(
        page: Any, world: Callable[[str], World]) -> None:
    w = world("CLIENT_TYPE_PUBLIC")
    page.goto(w.authorize_url())
    page.wait_for_url(f"{w.base}/login?**")
    page.fill("#email", w.email)
    page.fill("#password", "not the password")
    page.click("button[type=submit]")
    page.wait_for_selector("text=The email or password is wrong.")  # the page again, from the POST
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    assert "access_token" in w.redeem(arrive(page, w.app.callback + "?"))


def test_the_mfa_step_reaches_the_application(page: Any, world: Callable[[str], World], stack: Stack) -> None:
    w = world("CLIENT_TYPE_CONFIDENTIAL")
    with httpx.Client(base_url=stack.gateway_url, timeout=30) as api:
        prefix = f"/tenant/{w.tenant}"
        signed_in = api.post(f"{prefix}/api/v1/auth/login", json={"email": w.email, "password": PASSWORD})
        assert signed_in.status_code == 200, signed_in.text
        enrolled = api.post(f"{prefix}/api/v1/users/me/mfa/totp:enroll", json={}).json()
        now = datetime.now(UTC)
        confirmed = api.post(f"{prefix}/api/v1/users/me/mfa/totp:confirm",
                             json={"code": totp.code_at(enrolled["secret"], now)})
        assert confirmed.status_code == 200, confirmed.text
    sign_in_form(page, w, w.email)
    page.wait_for_selector("text=Two-step verification")
    # The next time step: the one that confirmed the enrolment is spent.
    page.fill("#code", totp.code_at(enrolled["secret"], now + timedelta(seconds=30)))
    page.click("button[type=submit]")
    assert "access_token" in w.redeem(arrive(page, w.app.callback + "?"))


def test_a_magic_link_sign_in_reaches_the_application(page: Any, world: Callable[[str], World],
                                                      stack: Stack) -> None:
    w = world("CLIENT_TYPE_CONFIDENTIAL")
    assert stack.mail is not None
    page.goto(w.authorize_url())
    page.wait_for_url(f"{w.base}/login?**")
    page.click("text=Email me a sign-in link")
    since = stack.mail.mark()
    page.fill("#email", w.email)
    page.click("button[type=submit]")
    page.wait_for_selector("text=Check your inbox")
    link = next(x for x in links_in(stack.mail.wait_for_blocking(w.email, timeout=10, since=since)) if "code=" in x)
    parts = urlsplit(link)  # the mail names the public URL (localhost): the same gateway
    page.goto(f"{stack.gateway_url}{parts.path}?{parts.query}")
    page.click("button[type=submit]")
    assert "access_token" in w.redeem(arrive(page, w.app.callback + "?"))


def test_logout_confirmation_reaches_the_post_logout_uri(page: Any, world: Callable[[str], World]) -> None:
    w = world("CLIENT_TYPE_CONFIDENTIAL")
    sign_in_form(page, w, w.email)
    arrive(page, w.app.callback + "?")
    # No id_token_hint: the session is asked to confirm, and the form's answer is a 302 there.
    page.goto(f"{w.base}/oauth2/logout?" + urlencode({"client_id": w.client_id, "state": "bye",
                                                      "post_logout_redirect_uri": w.app.signed_out}))
    page.click("button[value=logout]")
    assert arrive(page, w.app.signed_out) == f"{w.app.signed_out}?state=bye"


def test_connecting_a_provider_from_the_account_page_reaches_the_provider_and_back(
        page: Any, stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str],
        new_tenant: Callable[..., dict[str, Any]]) -> None:
    """The account page's "Connect …" form answers with a redirect to the provider's
    authorization endpoint (another origin); the provider's own sign-in form then redirects to
    this tenant's callback (another origin again). Tenant A of this stack is the provider, at
    the gateway's 127.0.0.1 address; tenant B, its relying party, at the public localhost one."""
    a, b = str(new_tenant()["tenant_id"]), str(new_tenant()["tenant_id"])
    public = stack.public_url  # http://localhost:<port>: not the origin of stack.gateway_url
    callback = f"{public}/tenant/{b}/federation/corp/callback"
    created = gateway.post(f"/tenant/{a}/api/v1/applications", headers=platform_headers, json={
        "display_name": "Tenant B", "client_type": "CLIENT_TYPE_CONFIDENTIAL", "first_party": True,
        "redirect_uris": [callback], "grant_types": ["authorization_code"],
        "allowed_scopes": ["openid", "profile", "email"]})
    assert created.status_code == 200, created.text
    provider = gateway.post(f"/tenant/{b}/api/v1/identityProviders", headers=platform_headers, json={
        "provider_id": "corp", "provider_type": "PROVIDER_TYPE_OIDC", "display_name": "Corp",
        "issuer": f"{public}/tenant/{a}", "client_id": created.json()["application"]["client_id"],
        "client_secret": created.json()["client_secret"], "enabled": True,
        "authorization_endpoint": f"{stack.gateway_url}/tenant/{a}/oauth2/authorize"})
    assert provider.status_code == 200, provider.text
    email = f"{unique_id('connect')}@example.com"
    for tenant in (a, b):
        user = gateway.post(f"/tenant/{tenant}/api/v1/users", headers=platform_headers, json={
            "user": {"email": email, "name": "Ada"}, "password": PASSWORD, "email_verified": True})
        assert user.status_code == 200, user.text

    page.goto(f"{public}/tenant/{b}/login?return_to=%2Faccount")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{public}/tenant/{b}/account")
    page.click("text=Connect Corp")
    try:
        page.wait_for_url(f"{stack.gateway_url}/tenant/{a}/login?**", timeout=TIMEOUT_MS)
    except Exception as error:
        raise AssertionError(f"the browser never reached the provider; it is at {page.url}") from error
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("text=Corp is connected to your account.")
    assert page.url == f"{public}/tenant/{b}/account"
