"""The hosted HTML pages through Envoy: headers, CSRF, sign-up → verify → login → return_to,
magic links (a GET never signs in), the MFA step, reset and sign-out."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from services.identity import totp
from tests.e2e.helpers import unique_id
from tools.mailsink import links_in
from tools.stack import Stack

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery staple"
PAGES = ["/login", "/signup", "/verify-email", "/forgot-password", "/reset-password", "/magic-link",
         "/verify-email?code=not-a-code&utm_source=mail", "/magic-link?code=abc&return_to=/account"]
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
_ACTION = re.compile(r'<form method="post" action="([^"]+)">')


def hidden_fields(html: str, index: int = 0) -> dict[str, str]:
    forms = html.split("<form ")[1:]
    return dict(_HIDDEN.findall(forms[index]))


class PageClient:
    """A browser-like client on one path-selected tenant (cookies, no redirects followed)."""

    def __init__(self, stack: Stack, tenant_id: str) -> None:
        self.stack = stack
        self.tenant_id = tenant_id
        self.prefix = f"/tenant/{tenant_id}"
        self.http = httpx.Client(base_url=stack.gateway_url, timeout=30, follow_redirects=False)

    def get(self, path: str, **params: str) -> httpx.Response:
        return self.http.get(self.prefix + path, params=params)

    def submit(self, page: httpx.Response, fields: dict[str, str], index: int = 0) -> httpx.Response:
        """Posts form number `index` of `page` with its hidden fields plus `fields`."""
        action = _ACTION.findall(page.text)[index]
        assert action.startswith(self.prefix + "/"), action
        return self.http.post(action, data={**hidden_fields(page.text, index), **fields})

    def mail_link(self, to: str, since: int) -> str:
        assert self.stack.mail is not None
        message = self.stack.mail.wait_for_blocking(to, timeout=10, since=since)
        link = next(link for link in links_in(message) if "code=" in link)
        assert link.startswith(f"{self.stack.public_url}{self.prefix}/"), link
        return link

    def open_link(self, link: str) -> httpx.Response:
        parts = urlsplit(link)
        return self.http.get(parts.path, params={k: v[0] for k, v in parse_qs(parts.query).items()})

    def mark(self) -> int:
        assert self.stack.mail is not None
        return self.stack.mail.mark()

    def signup_and_verify(self, email: str) -> None:
        since = self.mark()
        done = self.submit(self.get("/signup"), {"email": email, "password": PASSWORD, "name": "Ada"})
        assert done.status_code == 200 and "Check your inbox" in done.text, done.text
        verified = self.open_link(self.mail_link(email, since))
        assert verified.status_code == 200 and "is verified" in verified.text, verified.text

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def tenant(new_tenant: Callable[..., dict[str, Any]]) -> str:
    lockout = {"max_failures": 50, "progressive_delay_seconds": 0}
    return str(new_tenant(display_name='<b>Acme & "Co"</b>', settings={"lockout_policy": lockout})["tenant_id"])


@pytest.fixture
def client(stack: Stack, tenant: str) -> Iterator[Callable[[], PageClient]]:
    made: list[PageClient] = []

    def make() -> PageClient:
        made.append(PageClient(stack, tenant))
        return made[-1]

    yield make
    for c in made:
        c.close()


def assert_page_headers(response: httpx.Response) -> None:
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    csp = response.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'" and directives["base-uri"] == "'none'"
    assert "unsafe-inline" not in csp and "script-src" not in csp
    # One same-origin stylesheet (services/common/pages): no inline style at all.
    assert directives["style-src"] == "'self'" and "nonce" not in csp
    assert "<style" not in response.text and " style=" not in response.text
    assert '<link rel="stylesheet" href="/assets/pages.css?v=' in response.text
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<script" not in response.text.lower()
    assert not any(h.startswith("grpc-") or h == "x-http-status" for h in response.headers)
    assert "Traceback" not in response.text


def session_cookie(response: httpx.Response) -> str:
    return next((c for c in response.headers.get_list("set-cookie") if c.startswith("binoauth_session=")), "")


def test_pages_carry_security_headers_branding_and_csrf_cookie(client: Callable[[], PageClient]) -> None:
    c = client()
    for path in PAGES:
        page = c.http.get(c.prefix + path)
        assert page.status_code in (200, 400), (path, page.status_code, page.text)
        assert_page_headers(page)
        # The tenant's display name, escaped.
        assert "&lt;b&gt;Acme &amp; &quot;Co&quot;&lt;/b&gt;" in page.text and "<b>Acme" not in page.text
    fresh = client().get("/login")
    assert fresh.status_code == 200
    csrf = next(h for h in fresh.headers.get_list("set-cookie") if h.startswith("binoauth_csrf="))
    assert "HttpOnly" in csrf and "SameSite=Strict" in csrf and f"Path=/tenant/{c.tenant_id}/" in csrf
    # Every form posts to the same tenant path, with a token.
    assert _ACTION.findall(fresh.text) == [f"/tenant/{c.tenant_id}/login"]
    assert hidden_fields(fresh.text)["csrf_token"]
    # An unknown tenant gets a plain error page, and no cookie for its made-up path.
    unknown = c.http.get("/tenant/no-such-tenant/login")
    assert unknown.status_code == 404 and "Not available" in unknown.text
    assert_page_headers(unknown)
    assert unknown.headers.get_list("set-cookie") == []


def test_form_posts_without_a_valid_csrf_token_are_refused(client: Callable[[], PageClient], stack: Stack,
                                                           new_tenant: Callable[..., dict[str, Any]]) -> None:
    c = client()
    page = c.get("/login")
    token = hidden_fields(page.text)["csrf_token"]
    url = f"{c.prefix}/login"
    form = {"email": "x@example.com", "password": PASSWORD}
    for data, cookies_from in ((form, c), ({**form, "csrf_token": "A" * 43}, c), ({**form, "csrf_token": token}, None)):
        with httpx.Client(base_url=stack.gateway_url, timeout=30) as other:
            poster = cookies_from.http if cookies_from else other  # None: the token without its cookie
            refused = poster.post(url, data=data)
        assert refused.status_code == 403, refused.text
        assert_page_headers(refused)
        assert "did not come from this site" in refused.text and "session" not in str(refused.cookies)
    # A token of another tenant, with that tenant's cookie, does not pass here.
    other_tenant = new_tenant()["tenant_id"]
    other = PageClient(stack, other_tenant)
    foreign = hidden_fields(other.get("/login").text)["csrf_token"]
    cookie = other.http.cookies.get("binoauth_csrf")
    moved = c.http.post(url, data={**form, "csrf_token": foreign}, headers={"cookie": f"binoauth_csrf={cookie}"})
    other.close()
    assert moved.status_code == 403
    # A JSON or multipart body is not a form.
    assert c.http.post(url, json={**form, "csrf_token": token}).status_code in (400, 403)
    # With the right pair, the same form gets to the password check (generic 401).
    wrong = c.submit(page, form)
    assert wrong.status_code == 401 and "The email or password is wrong." in wrong.text


def test_signup_verify_login_continues_to_same_tenant_return_to(client: Callable[[], PageClient]) -> None:
    c = client()
    email = f"{unique_id('pages')}@example.com"
    c.signup_and_verify(email)

    login = c.get("/login", return_to="/api/v1/users/me")
    assert hidden_fields(login.text)["return_to"] == "/api/v1/users/me"
    signed_in = c.submit(login, {"email": email, "password": PASSWORD})
    assert signed_in.status_code == 303, signed_in.text
    assert_page_headers(signed_in)
    assert signed_in.headers["location"] == f"{c.prefix}/api/v1/users/me"
    cookie = session_cookie(signed_in)
    assert "HttpOnly" in cookie and f"Path={c.prefix}/" in cookie
    me = c.http.get(signed_in.headers["location"])
    assert me.status_code == 200 and me.json()["email"] == email

    # A return_to already carrying this tenant's prefix is kept as it is.
    again = c.submit(c.get("/login", return_to=f"{c.prefix}/account"), {"email": email, "password": PASSWORD})
    assert again.headers["location"] == f"{c.prefix}/account"
    account = c.http.get(again.headers["location"])
    assert account.status_code == 200 and email in account.text and "Sign out" in account.text
    assert_page_headers(account)

    # Sign out: 303 to the login page, cookie cleared, the account page asks to sign in.
    out = c.submit(account, {})
    assert out.status_code == 303 and out.headers["location"] == f"{c.prefix}/login"
    assert "Max-Age=0" in session_cookie(out)
    gone = c.get("/account")
    assert gone.status_code == 303 and gone.headers["location"] == f"{c.prefix}/login?return_to=%2Faccount"


@pytest.mark.parametrize("return_to", ["https://evil.example/", "//evil.example", "/\\evil.example",
                                       "/%2e%2e/tenant/other/account", "/tenant/other-tenant/account",
                                       "javascript:alert(1)", " /account"])
def test_unsafe_return_to_ends_on_the_default_page(client: Callable[[], PageClient], return_to: str) -> None:
    c = client()
    email = f"{unique_id('rt')}@example.com"
    c.signup_and_verify(email)
    page = c.get("/login", return_to=return_to)
    assert "return_to" not in hidden_fields(page.text)
    # Even when posted directly in the form.
    done = c.submit(page, {"email": email, "password": PASSWORD, "return_to": return_to})
    assert done.status_code == 303 and done.headers["location"] == f"{c.prefix}/account"


def test_login_failures_show_one_generic_message(client: Callable[[], PageClient]) -> None:
    c = client()
    email = f"{unique_id('gen')}@example.com"
    c.signup_and_verify(email)
    wrong = c.submit(c.get("/login"), {"email": email, "password": "not the password at all"})
    unknown = c.submit(c.get("/login"), {"email": f"nobody-{email}", "password": PASSWORD})
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert_page_headers(response)
        assert response.text.count("The email or password is wrong.") == 1
        assert not session_cookie(response)


def test_magic_link_get_does_not_sign_in_only_the_post(client: Callable[[], PageClient]) -> None:
    c = client()
    email = f"{unique_id('magic')}@example.com"
    c.signup_and_verify(email)
    since = c.mark()
    sent = c.submit(c.get("/magic-link", return_to="/account"), {"email": email})
    assert sent.status_code == 200 and "we sent it a sign-in link" in sent.text
    link = c.mail_link(email, since)
    assert "return_to=%2Faccount" in link or "return_to=/account" in link

    scanner = client()
    for _ in range(2):  # a mail scanner opening the link twice
        shown = scanner.open_link(link)
        assert shown.status_code == 200 and not session_cookie(shown)
        assert_page_headers(shown)
    assert scanner.get("/api/v1/users/me").status_code == 401

    page = c.open_link(link)
    assert not session_cookie(page) and c.get("/api/v1/users/me").status_code == 401
    done = c.submit(page, {})
    assert done.status_code == 303 and done.headers["location"] == f"{c.prefix}/account"
    assert session_cookie(done)
    assert email in c.get("/account").text
    # The code is single use.
    replay = client()
    assert replay.submit(replay.open_link(link), {}).status_code == 400


def test_mfa_user_gets_the_second_step_page(client: Callable[[], PageClient]) -> None:
    c = client()
    email = f"{unique_id('mfa')}@example.com"
    c.signup_and_verify(email)
    c.submit(c.get("/login"), {"email": email, "password": PASSWORD})
    api = c.http
    enrolled = api.post(f"{c.prefix}/api/v1/users/me/mfa/totp:enroll", json={}).json()
    now = datetime.now(UTC)
    confirmed = api.post(f"{c.prefix}/api/v1/users/me/mfa/totp:confirm",
                         json={"code": totp.code_at(enrolled["secret"], now)})
    assert confirmed.status_code == 200, confirmed.text

    fresh = client()
    step = fresh.submit(fresh.get("/login", return_to="/account"), {"email": email, "password": PASSWORD})
    assert step.status_code == 200 and "Two-step verification" in step.text and not session_cookie(step)
    assert _ACTION.findall(step.text) == [f"{fresh.prefix}/login/mfa"]
    assert hidden_fields(step.text)["return_to"] == "/account" and hidden_fields(step.text)["mfa_token"]
    wrong = fresh.submit(step, {"code": "000000"})
    assert wrong.status_code == 401 and "The code is wrong." in wrong.text and not session_cookie(wrong)
    # The next time step: the one used to confirm enrolment is spent.
    done = fresh.submit(wrong, {"code": totp.code_at(enrolled["secret"], now + timedelta(seconds=30))})
    assert done.status_code == 303 and done.headers["location"] == f"{fresh.prefix}/account", done.text
    assert session_cookie(done)


def test_forgot_and_reset_password_pages(client: Callable[[], PageClient]) -> None:
    c = client()
    email = f"{unique_id('reset')}@example.com"
    c.signup_and_verify(email)
    since = c.mark()
    asked = c.submit(c.get("/forgot-password"), {"email": email})
    unknown = c.submit(c.get("/forgot-password"), {"email": f"nobody-{email}"})
    assert asked.status_code == unknown.status_code == 200
    strip = re.compile(r'nonce-[^\'"]+|value="[^"]*"|nonce="[^"]*"')
    assert strip.sub("", asked.text) == strip.sub("", unknown.text)
    form = c.open_link(c.mail_link(email, since))
    assert form.status_code == 200 and hidden_fields(form.text)["code"]
    short = c.submit(form, {"new_password": "short"})
    assert short.status_code == 400 and hidden_fields(short.text).get("code")
    changed = c.submit(short, {"new_password": "a brand new passphrase"})
    assert changed.status_code == 200 and "Your password was changed" in changed.text
    login = c.submit(c.get("/login"), {"email": email, "password": "a brand new passphrase"})
    assert login.status_code == 303
