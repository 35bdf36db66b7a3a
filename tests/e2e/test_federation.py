"""External identity providers end to end through Envoy: tenant B signs its users in through
tenant A of the same stack, a real OpenID provider (discovery, JWKS, PKCE, RFC 9207 iss). The
admin API, the hosted login's buttons, just-in-time users, returning users by subject, the
way back into an application's authorization request (idp_hint, amr), identities and
unlinking, and the refusals: state replayed, wrong browser, mix-up, provider down, disabled
provider or user, an existing account that may not be linked."""

from __future__ import annotations

import re
import secrets
import socket
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import jwt
import pytest
from authlib.integrations.httpx_client import OAuth2Client

from services.identity import totp
from services.identity.federation.upstream import JWKS_REFETCH_INTERVAL
from tests.e2e.helpers import assert_envelope, unique_id
from tests.e2e.test_hosted_pages import assert_page_headers
from tools.stack import Stack

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery staple"
APP_CALLBACK = "https://app.example.com/callback"


def key_with(gateway: httpx.Client, platform: dict[str, str], tenant: str, *scopes: str) -> dict[str, str]:
    created = gateway.post(f"/api/v1/tenants/{tenant}/apiKeys", headers=platform, json={"scopes": list(scopes)})
    assert created.status_code == 200, created.text
    return {"Authorization": f"Bearer {created.json()['secret']}"}


def add_user(gateway: httpx.Client, platform: dict[str, str], tenant: str, email: str,
             password: str | None = PASSWORD) -> str:
    body: dict[str, Any] = {"user": {"email": email, "name": "Ada Lovelace"}, "email_verified": True}
    if password:
        body["password"] = password
    created = gateway.post(f"/tenant/{tenant}/api/v1/users", headers=platform, json=body)
    assert created.status_code == 200, created.text
    return str(created.json()["user_id"])


class World:
    """Tenant A (upstream, with an application for B) and tenant B (its relying party)."""

    def __init__(self, stack: Stack, gateway: httpx.Client, platform: dict[str, str],
                 new_tenant: Callable[..., dict[str, Any]]) -> None:
        self.stack, self.gateway, self.platform = stack, gateway, platform
        self.a = new_tenant()["tenant_id"]
        self.b = new_tenant(settings={"login_methods": {"magic_link": False}})["tenant_id"]
        self.issuer_a = f"{stack.public_url}/tenant/{self.a}"
        self.callback = f"{stack.public_url}/tenant/{self.b}/federation/corp/callback"
        app = gateway.post(f"/tenant/{self.a}/api/v1/applications", headers=platform, json={
            "display_name": "Tenant B", "client_type": "CLIENT_TYPE_CONFIDENTIAL", "first_party": True,
            "redirect_uris": [self.callback], "grant_types": ["authorization_code"],
            "allowed_scopes": ["openid", "profile", "email"]})
        assert app.status_code == 200, app.text
        self.client_id = app.json()["application"]["client_id"]
        self.client_secret = app.json()["client_secret"]

    def provider(self, provider_id: str = "corp", **fields: Any) -> httpx.Response:
        body = {"provider_id": provider_id, "provider_type": "PROVIDER_TYPE_OIDC", "display_name": "Corp",
                "issuer": self.issuer_a, "client_id": self.client_id, "client_secret": self.client_secret,
                "enabled": True, **fields}
        return self.gateway.post(f"/tenant/{self.b}/api/v1/identityProviders", headers=self.platform, json=body)

    def browser(self, language: str = "en") -> httpx.Client:
        return httpx.Client(base_url=self.stack.public_url, timeout=30, follow_redirects=False,
                            headers={"Accept-Language": language})

    def start(self, browser: httpx.Client, provider_id: str = "corp", return_to: str = "") -> str:
        """The upstream authorization URL the start endpoint redirects to."""
        query = f"?{urlencode({'return_to': return_to})}" if return_to else ""
        started = browser.get(f"/tenant/{self.b}/federation/{provider_id}/start{query}")
        assert started.status_code == 303, started.text
        return str(started.headers["location"])

    def upstream_sign_in(self, browser: httpx.Client, authorize_url: str, email: str) -> httpx.Response:
        """At tenant A: login redirect, password sign-in, back to A's authorize; the answer is
        A's redirect to B's callback."""
        answer = browser.get(authorize_url)
        if answer.status_code == 303 and "/login?" in answer.headers["location"]:
            return_to = parse_qs(urlsplit(answer.headers["location"]).query)["return_to"][0]
            signed = browser.post(f"/tenant/{self.a}/api/v1/auth/login", json={"email": email, "password": PASSWORD})
            assert signed.status_code == 200, signed.text
            answer = browser.get(f"/tenant/{self.a}{return_to}")
        assert answer.status_code == 302, answer.text
        assert answer.headers["location"].startswith(self.callback + "?")
        return answer

    def sign_in(self, browser: httpx.Client, email: str, return_to: str = "") -> httpx.Response:
        redirect = self.upstream_sign_in(browser, self.start(browser, return_to=return_to), email)
        return browser.get(redirect.headers["location"])


@pytest.fixture
def world(stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str],
          new_tenant: Callable[..., dict[str, Any]]) -> World:
    return World(stack, gateway, platform_headers, new_tenant)


def test_admin_api_sign_in_returning_user_and_identities(world: World) -> None:
    gateway, b = world.gateway, world.b
    email = f"{unique_id('fed')}@example.com"
    upstream_user = add_user(gateway, world.platform, world.a, email)

    # --- the admin API: scopes, bad input with its field, secrets never returned ---------------
    base = f"/tenant/{b}/api/v1/identityProviders"
    users_only = key_with(gateway, world.platform, b, "users:read")
    assert_envelope(gateway.get(base, headers=users_only), 403, "MISSING_SCOPE")
    reader = key_with(gateway, world.platform, b, "identity_providers:read")
    assert_envelope(world.gateway.post(base, headers=reader, json={"provider_id": "x1"}), 403, "MISSING_SCOPE")
    for fields, field in (({"provider_id": "Bad_Id"}, "provider_id"), ({"issuer": "ftp://example.com"}, "issuer"),
                          ({"client_secret": ""}, "client_secret"), ({"scopes": ["email"]}, "scopes"),
                          ({"claim_mapping": {"password": "x"}}, "claim_mapping"),
                          ({"allowed_email_domains": ["not a domain"]}, "allowed_email_domains")):
        error = assert_envelope(world.provider(**fields), 400, "INVALID_IDENTITY_PROVIDER")
        assert error["details"]["field"] == field, error
    created = world.provider()
    assert created.status_code == 200, created.text
    provider = created.json()
    assert world.client_secret not in created.text and provider.get("client_secret", "") == ""
    assert provider["client_secret_set"] is True and provider["callback_url"] == world.callback
    assert provider["scopes"] == ["openid", "email", "profile"] and provider["enabled"] is True
    assert_envelope(world.provider(), 409, "IDENTITY_PROVIDER_EXISTS")
    listed = gateway.get(base, headers=reader)
    assert [p["provider_id"] for p in listed.json()["identity_providers"]] == ["corp"]
    assert world.client_secret not in listed.text
    renamed = gateway.patch(f"{base}/corp", headers=world.platform, params={"update_mask": "display_name"},
                            json={"display_name": "Corp SSO"})
    assert renamed.status_code == 200 and renamed.json()["display_name"] == "Corp SSO", renamed.text
    immutable = gateway.patch(f"{base}/corp", headers=world.platform, params={"update_mask": "provider_type"},
                              json={"provider_type": "PROVIDER_TYPE_GOOGLE"})
    assert_envelope(immutable, 400, "INVALID_UPDATE_MASK")

    # --- the hosted login shows the button; the first sign-in creates the user ----------------
    browser = world.browser()
    login = browser.get(f"/tenant/{b}/login")
    assert "Continue with Corp SSO" in login.text
    assert f'href="/tenant/{b}/federation/corp/start"' in login.text
    done = world.sign_in(browser, email)
    assert done.status_code == 303 and done.headers["location"] == f"/tenant/{b}/account", done.text
    me = browser.get(f"/tenant/{b}/api/v1/users/me")
    assert me.status_code == 200 and me.json()["email"] == email and me.json()["email_verified"] is True
    assert me.json()["name"] == "Ada Lovelace"
    user_id = me.json()["user_id"]
    identities = browser.get(f"/tenant/{b}/api/v1/users/me/identities").json()["identities"]
    assert [(i["provider_id"], i["subject"], i["email"]) for i in identities] == [("corp", upstream_user, email)]

    # --- a returning user is found by (provider, subject), even after an email change at B ----
    changed = gateway.patch(f"/tenant/{b}/api/v1/users/{user_id}", headers=world.platform,
                            params={"update_mask": "email"}, json={"email": f"renamed-{email}"})
    assert changed.status_code == 200, changed.text
    again = world.browser()
    assert world.sign_in(again, email).status_code == 303
    assert again.get(f"/tenant/{b}/api/v1/users/me").json()["user_id"] == user_id

    # Tenant A rotates its signing key: B's cached key set (max-age 300) lacks the new kid, and
    # B fetches the set again instead of refusing the token.
    rotated = gateway.post(f"/tenant/{world.a}/api/v1/signingKeys:rotate", headers=world.platform, json={})
    assert rotated.status_code == 200, rotated.text
    time.sleep(JWKS_REFETCH_INTERVAL + 0.1)
    third = world.browser()
    assert world.sign_in(third, email).status_code == 303
    assert third.get(f"/tenant/{b}/api/v1/users/me").json()["user_id"] == user_id

    events = gateway.get(f"/tenant/{b}/api/v1/events", headers=world.platform, params={"user_id": user_id}).json()
    kinds = [e["type"] for e in events["events"]]
    assert {"SIGNED_UP", "IDENTITY_LINKED", "LOGIN_SUCCEEDED"} <= set(kinds), kinds
    assert all(e["details"]["method"] == "fed" for e in events["events"] if e["type"] == "LOGIN_SUCCEEDED")

    # --- identities: the last way to sign in stays; administrators may unlink it --------------
    identity_id = identities[0]["identity_id"]
    last = again.delete(f"/tenant/{b}/api/v1/users/me/identities/{identity_id}")
    assert_envelope(last, 400, "LAST_SIGN_IN_METHOD")
    admin_list = gateway.get(f"/tenant/{b}/api/v1/users/{user_id}/identities", headers=world.platform)
    assert [i["identity_id"] for i in admin_list.json()["identities"]] == [identity_id]
    identity_url = f"/tenant/{b}/api/v1/users/{user_id}/identities/{identity_id}"
    unlinked = gateway.delete(identity_url, headers=world.platform)
    assert unlinked.status_code == 200, unlinked.text
    after = gateway.get(f"/tenant/{b}/api/v1/users/{user_id}/identities", headers=world.platform).json()
    assert after.get("identities", []) == []
    assert_envelope(gateway.delete(identity_url, headers=world.platform), 404, "IDENTITY_NOT_FOUND")


def test_inside_an_application_request_with_idp_hint(world: World) -> None:
    gateway, b = world.gateway, world.b
    email = f"{unique_id('fed')}@example.com"
    add_user(gateway, world.platform, world.a, email)
    assert world.provider().status_code == 200
    app = gateway.post(f"/tenant/{b}/api/v1/applications", headers=world.platform, json={
        "display_name": "App", "client_type": "CLIENT_TYPE_CONFIDENTIAL", "first_party": True,
        "redirect_uris": [APP_CALLBACK], "grant_types": ["authorization_code"],
        "allowed_scopes": ["openid", "email"]}).json()
    client_id, secret = app["application"]["client_id"], app["client_secret"]
    issuer_b = f"{world.stack.public_url}/tenant/{b}"
    client = OAuth2Client(client_id, secret, redirect_uri=APP_CALLBACK, scope="openid email",
                          code_challenge_method="S256")
    verifier, nonce = secrets.token_urlsafe(48), secrets.token_urlsafe(12)
    url, state = client.create_authorization_url(f"{issuer_b}/oauth2/authorize", code_verifier=verifier,
                                                 nonce=nonce, idp_hint="corp")
    browser = world.browser()
    to_login = browser.get(url)
    assert to_login.status_code == 303 and "/login?" in to_login.headers["location"], to_login.text
    skipped = browser.get(to_login.headers["location"])  # idp_hint: no chooser, straight to the provider
    assert skipped.status_code == 303 and "/federation/corp/start?" in skipped.headers["location"], skipped.text
    started = browser.get(skipped.headers["location"])
    assert started.status_code == 303 and started.headers["location"].startswith(world.issuer_a + "/oauth2/authorize")
    upstream = parse_qs(urlsplit(started.headers["location"]).query)
    assert upstream["code_challenge_method"] == ["S256"] and upstream["redirect_uri"] == [world.callback]
    assert upstream["nonce"] and upstream["state"] and upstream["scope"] == ["openid email profile"]
    answer = world.upstream_sign_in(browser, started.headers["location"], email)
    assert parse_qs(urlsplit(answer.headers["location"]).query)["iss"] == [world.issuer_a]
    back = browser.get(answer.headers["location"])
    assert back.status_code == 303 and back.headers["location"].startswith(f"/tenant/{b}/oauth2/authorize?"), back.text
    final = browser.get(back.headers["location"])
    assert final.status_code == 302 and final.headers["location"].startswith(APP_CALLBACK + "?"), final.text
    assert parse_qs(urlsplit(final.headers["location"]).query)["state"] == [state]
    tokens = client.fetch_token(f"{issuer_b}/oauth2/token", authorization_response=final.headers["location"],
                                code_verifier=verifier)
    jwks = jwt.PyJWKClient(f"{issuer_b}/.well-known/jwks.json")
    claims = jwt.decode(tokens["id_token"], jwks.get_signing_key_from_jwt(tokens["id_token"]).key,
                        algorithms=["RS256", "ES256"], audience=client_id, issuer=issuer_b)
    assert claims["amr"] == ["fed"] and claims["email"] == email and claims["nonce"] == nonce

    # The callback URL once more: the state was single use.
    replay = browser.get(answer.headers["location"])
    assert replay.status_code == 400 and "expired or was already used" in replay.text


def test_connect_a_provider_from_the_account_page(world: World) -> None:
    """An existing account proves itself (password), then connects the provider; the
    provider then signs in to that account."""
    b = world.b
    email = f"{unique_id('fed')}@example.com"
    add_user(world.gateway, world.platform, world.a, email)
    existing = add_user(world.gateway, world.platform, b, email)
    assert world.provider().status_code == 200
    browser = world.browser()
    signed = browser.post(f"/tenant/{b}/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert signed.status_code == 200, signed.text
    account = browser.get(f"/tenant/{b}/account")
    form = re.search(r'<form method="post" action="([^"]*/federation/corp/link)">(.*?)</form>', account.text)
    assert form is not None, account.text
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(2)))
    form_type = {"Content-Type": "application/x-www-form-urlencoded"}
    assert browser.post(form.group(1), content=b"", headers=form_type).status_code == 403  # no CSRF token
    out = browser.post(form.group(1), content=urlencode(fields).encode(), headers=form_type)
    assert out.status_code == 303, out.text
    assert parse_qs(urlsplit(out.headers["location"]).query)["prompt"] == ["login"]
    answer = world.upstream_sign_in(browser, out.headers["location"], email)
    back = browser.get(answer.headers["location"])
    assert back.status_code == 303 and back.headers["location"] == f"/tenant/{b}/account", back.text
    assert "Corp is connected to your account." in browser.get(f"/tenant/{b}/account").text
    fresh = world.browser()
    assert world.sign_in(fresh, email).status_code == 303
    assert fresh.get(f"/tenant/{b}/api/v1/users/me").json()["user_id"] == existing

    # With MFA on, a sign-in through the provider still asks for the second factor (the
    # provider does not say it did MFA, and trust_upstream_mfa is off).
    enrolled = browser.post(f"/tenant/{b}/api/v1/users/me/mfa/totp:enroll", json={}).json()
    confirmed = browser.post(f"/tenant/{b}/api/v1/users/me/mfa/totp:confirm",
                             json={"code": totp.code_at(enrolled["secret"], datetime.now(UTC))})
    assert confirmed.status_code == 200, confirmed.text
    mfa_browser = world.browser()
    step = world.sign_in(mfa_browser, email)
    assert step.status_code == 200 and 'action="/tenant/' + b + '/login/mfa"' in step.text, step.text
    assert not [c for c in mfa_browser.cookies.jar if c.name == "binoauth_session" and c.path == f"/tenant/{b}/"]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', step.text))
    fields["code"] = confirmed.json()["recovery_codes"][0]
    done = mfa_browser.post(f"/tenant/{b}/login/mfa", content=urlencode(fields).encode(), headers=form_type)
    assert done.status_code == 303 and done.headers["location"] == f"/tenant/{b}/account", done.text
    sessions = mfa_browser.get(f"/tenant/{b}/api/v1/sessions").json()["sessions"]
    assert any(x.get("current") and x["amr"][:1] == ["fed"] and "mfa" in x["amr"] for x in sessions), sessions


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_refusals(world: World) -> None:
    gateway, b = world.gateway, world.b
    email = f"{unique_id('fed')}@example.com"
    add_user(gateway, world.platform, world.a, email)
    assert world.provider().status_code == 200
    assert world.provider("other", display_name="Other").status_code == 200
    browser = world.browser()

    def callback(provider_id: str, client: httpx.Client = browser, **params: str) -> httpx.Response:
        return client.get(f"/tenant/{b}/federation/{provider_id}/callback", params=params)

    def state_of(url: str) -> str:
        return parse_qs(urlsplit(url).query)["state"][0]

    # A state nobody issued; a state answered at another provider's callback (mix-up); an
    # `iss` that is not the provider's (RFC 9207); a callback in a browser that did not start it.
    assert "expired or was already used" in callback("corp", state="x" * 40, code="c").text
    mixed = callback("other", state=state_of(world.start(browser)), code="c", iss=world.issuer_a)
    assert mixed.status_code == 400 and "did not come from the provider" in mixed.text, mixed.text
    wrong_iss = callback("corp", state=state_of(world.start(browser)), code="c", iss="https://evil.example")
    assert wrong_iss.status_code == 400 and "did not come from the provider" in wrong_iss.text
    no_iss = callback("corp", state=state_of(world.start(browser)), code="c")
    assert no_iss.status_code == 400 and "did not come from the provider" in no_iss.text  # A sends iss: required
    other_browser = world.browser()
    stolen = callback("corp", other_browser, state=state_of(world.start(browser)), code="c", iss=world.issuer_a)
    assert stolen.status_code == 400 and "expired or was already used" in stolen.text
    # A code that is not the provider's: the token endpoint refuses it.
    bad_code = callback("corp", state=state_of(world.start(browser)), code="forged", iss=world.issuer_a)
    assert bad_code.status_code == 400 and "did not accept the sign-in" in bad_code.text

    # The provider's error, in the browser's language, with a way back.
    german = world.browser("de")
    denied = callback("corp", german, state=state_of(world.start(german)), error="access_denied",
                      iss=world.issuer_a)
    assert denied.status_code == 400 and "abgebrochen oder abgelehnt" in denied.text, denied.text
    assert f'href="/tenant/{b}/login"' in denied.text

    # An upstream that does not answer: a page that says so, not a 500.
    down = world.provider("down", display_name="Down", issuer=f"http://127.0.0.1:{_closed_port()}/x")
    assert down.status_code == 200, down.text
    unreachable = browser.get(f"/tenant/{b}/federation/down/start")
    assert unreachable.status_code == 502 and "cannot be reached" in unreachable.text

    # An existing account with the same email is not taken over unless the tenant allows
    # linking by a verified email; then it is linked, not duplicated.
    existing = add_user(gateway, world.platform, b, email)
    refused = world.sign_in(world.browser(), email)
    assert refused.status_code == 403 and "then connect Corp" in refused.text, refused.text
    allow = gateway.patch(f"/tenant/{b}/api/v1/identityProviders/corp", headers=world.platform,
                          params={"update_mask": "link_by_verified_email"}, json={"link_by_verified_email": True})
    assert allow.status_code == 200, allow.text
    linked_browser = world.browser()
    assert world.sign_in(linked_browser, email).status_code == 303
    assert linked_browser.get(f"/tenant/{b}/api/v1/users/me").json()["user_id"] == existing

    # A disabled user cannot sign in through a provider either.
    assert gateway.post(f"/tenant/{b}/api/v1/users/{existing}:disable", headers=world.platform,
                        json={}).status_code == 200
    disabled = world.sign_in(world.browser(), email)
    assert disabled.status_code == 403 and "cannot sign in right now" in disabled.text

    # A disabled provider: no button, no start, and flows already started are refused.
    pending = world.start(browser)
    off = gateway.post(f"/tenant/{b}/api/v1/identityProviders/corp:disable", headers=world.platform, json={})
    assert off.status_code == 200 and off.json()["enabled"] is False
    page = browser.get(f"/tenant/{b}/login")
    buttons = re.findall(r"Continue with [^<]+", page.text)
    assert buttons == ["Continue with Down", "Continue with Other"], buttons
    assert browser.get(f"/tenant/{b}/federation/corp/start").status_code == 404
    late = callback("corp", state=state_of(pending), code="c", iss=world.issuer_a)
    assert late.status_code == 404 and "not available" in late.text
    assert gateway.delete(f"/tenant/{b}/api/v1/identityProviders/corp", headers=world.platform).status_code == 200
    assert_envelope(gateway.get(f"/tenant/{b}/api/v1/identityProviders/corp", headers=world.platform), 404,
                    "IDENTITY_PROVIDER_NOT_FOUND")
    # A suspended tenant signs nobody in, through a provider or otherwise.
    other_flow = world.start(browser, "other")
    assert gateway.post(f"/api/v1/tenants/{b}:suspend", headers=world.platform, json={}).status_code == 200
    suspended = callback("other", state=state_of(other_flow), code="c", iss=world.issuer_a)
    assert suspended.status_code == 403 and "suspended" in suspended.text.lower(), suspended.text
    assert browser.get(f"/tenant/{b}/federation/other/start").status_code == 403
    # Everything above left an HTML page, never a stack trace.
    for answer in (mixed, wrong_iss, stolen, bad_code, denied, unreachable, refused, disabled, late, suspended):
        # The hosted pages' headers too (CSP, no-referrer: the callback URL carries a code and a state).
        assert_page_headers(answer)
        assert "Traceback" not in answer.text


def test_continue_with_a_provider_in_chromium(chromium: Any, world: World) -> None:
    """The button on the hosted page, the upstream's own sign-in form, and back, signed in."""
    email = f"{unique_id('fed')}@example.com"
    add_user(world.gateway, world.platform, world.a, email)
    assert world.provider().status_code == 200
    # Everything on the public URL's host: the callback is under the tenant's issuer, and the
    # flow's cookie must come back to it.
    base = world.stack.public_url
    context = chromium.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        page.goto(f"{base}/tenant/{world.b}/login")
        page.click("a:text-is('Continue with Corp')")
        page.wait_for_url(f"{base}/tenant/{world.a}/login?**")
        page.fill("#email", email)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/tenant/{world.b}/account")
        assert page.locator("h2").inner_text() == "You are signed in" and email in page.content()
        cookies = {(c["name"], c["path"]): c for c in context.cookies()}
        binding = cookies[("binoauth_federation", f"/tenant/{world.b}/federation/")]
        assert binding["httpOnly"] and binding["sameSite"] == "Lax"
        assert ("binoauth_session", f"/tenant/{world.b}/") in cookies
        assert blocked == []
    finally:
        context.close()
