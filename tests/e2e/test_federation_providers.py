"""External identity providers that are not BinoAuth, end to end through Envoy: panva's
oidc-provider (an independent OpenID provider, tests/e2e/federation/server.mjs) and a
stand-in for GitHub's OAuth and user API (tests/e2e/federation/github.py), both started on
loopback by the test.

An application's sign-in through oidc-provider with tokens (idp_hint, login_hint, max_age and
prompt=login heard upstream, amr/acr in BinoAuth's ID token, the upstream's MFA trusted when
the tenant says so); a key rotation at the provider; ID tokens the provider signs wrongly
(another audience, expired, another nonce, alg none, a key it never published, an
authentication older than max_age) and a token endpoint answering 500, each refused with
nothing created; an unverified email never links; GitHub's web flow with its verified
primary email; an upstream that times out; and the per-provider metrics of all of it."""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import jwt
import pytest
from authlib.integrations.httpx_client import OAuth2Client

from services.identity.federation.upstream import JWKS_REFETCH_INTERVAL
from tests.e2e.federation import oidc_provider
from tests.e2e.federation.github import FakeGitHub
from tests.e2e.federation.oidc_provider import OidcProvider
from tests.e2e.helpers import unique_id
from tests.e2e.test_identity_more import identity_metrics, value
from tools.stack import Stack

pytestmark = pytest.mark.e2e
APP_CALLBACK = "https://app.example.com/callback"
OP_SECRET = "op-secret-" + secrets.token_hex(16)


class Tenant:
    """Tenant B: an application, and a provider turned on with one API call."""

    def __init__(self, stack: Stack, gateway: httpx.Client, platform: dict[str, str],
                 new_tenant: Callable[..., dict[str, Any]]) -> None:
        self.stack, self.gateway, self.platform = stack, gateway, platform
        self.id = new_tenant(settings={"login_methods": {"magic_link": False}})["tenant_id"]
        self.issuer = f"{stack.public_url}/tenant/{self.id}"
        app = gateway.post(f"/tenant/{self.id}/api/v1/applications", headers=platform, json={
            "display_name": "App", "client_type": "CLIENT_TYPE_CONFIDENTIAL", "first_party": True,
            "redirect_uris": [APP_CALLBACK], "grant_types": ["authorization_code"],
            "allowed_scopes": ["openid", "email", "profile"]})
        assert app.status_code == 200, app.text
        self.client_id = app.json()["application"]["client_id"]
        self.client_secret = app.json()["client_secret"]

    def callback(self, provider_id: str) -> str:
        return f"{self.issuer}/federation/{provider_id}/callback"

    def add_provider(self, **body: Any) -> dict[str, Any]:
        created = self.gateway.post(f"/tenant/{self.id}/api/v1/identityProviders", headers=self.platform,
                                    json={"enabled": True, **body})
        assert created.status_code == 200, created.text
        return dict(created.json())

    def browser(self) -> httpx.Client:
        return httpx.Client(base_url=self.stack.public_url, timeout=30, follow_redirects=False)

    def users_named(self, email: str) -> list[dict[str, Any]]:
        found = self.gateway.get(f"/tenant/{self.id}/api/v1/users", headers=self.platform, params={"query": email})
        assert found.status_code == 200, found.text
        return [u for u in found.json().get("users", []) if u["email"] == email]


@pytest.fixture
def tenant(stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str],
           new_tenant: Callable[..., dict[str, Any]]) -> Tenant:
    return Tenant(stack, gateway, platform_headers, new_tenant)


@pytest.fixture
def op(tenant: Tenant, tmp_path: Path) -> Iterator[OidcProvider]:
    """oidc-provider with tenant B registered as its client (the callback of provider "op")."""
    reason = oidc_provider.missing_reason()
    if reason:
        pytest.fail(reason)  # `make test` installs it: missing is a broken setup, not a skip
    provider = OidcProvider(tmp_path, [{
        "client_id": "binoauth-" + tenant.id, "client_secret": OP_SECRET, "redirect_uris": [tenant.callback("op")],
        "grant_types": ["authorization_code"], "response_types": ["code"],
        "token_endpoint_auth_method": "client_secret_basic"}])
    provider.start()
    try:
        yield provider
    finally:
        provider.stop()


def turn_on(tenant: Tenant, op: OidcProvider, **fields: Any) -> dict[str, Any]:
    """The one API call of the README: a generic OpenID Connect provider by its issuer."""
    return tenant.add_provider(provider_id="op", provider_type="PROVIDER_TYPE_OIDC", display_name="Independent",
                               issuer=op.issuer, client_id="binoauth-" + tenant.id, client_secret=OP_SECRET,
                               **fields)


def authorize(tenant: Tenant, **params: str) -> tuple[OAuth2Client, str, str, str]:
    """An authorization request of tenant B's application: its URL, PKCE verifier and nonce."""
    client = OAuth2Client(tenant.client_id, tenant.client_secret, redirect_uri=APP_CALLBACK,
                          scope="openid email profile", code_challenge_method="S256")
    verifier, nonce = secrets.token_urlsafe(48), secrets.token_urlsafe(12)
    url, _state = client.create_authorization_url(f"{tenant.issuer}/oauth2/authorize", code_verifier=verifier,
                                                  nonce=nonce, **params)
    return client, url, verifier, nonce


def to_provider(tenant: Tenant, browser: httpx.Client, url: str) -> str:
    """From B's authorization request, through B's sign-in page (idp_hint: no chooser) and the
    start endpoint, to the provider's authorization URL."""
    to_login = browser.get(url)
    assert to_login.status_code == 303 and "/login?" in to_login.headers["location"], to_login.text
    skipped = browser.get(to_login.headers["location"])
    assert skipped.status_code == 303 and "/federation/op/start?" in skipped.headers["location"], skipped.text
    started = browser.get(skipped.headers["location"])
    assert started.status_code == 303, started.text
    return str(started.headers["location"])


def id_token_of(tenant: Tenant, client: OAuth2Client, redirect: str, verifier: str) -> dict[str, Any]:
    tokens = client.fetch_token(f"{tenant.issuer}/oauth2/token", authorization_response=redirect,
                                code_verifier=verifier)
    keys = jwt.PyJWKClient(f"{tenant.issuer}/.well-known/jwks.json")
    claims: dict[str, Any] = jwt.decode(tokens["id_token"], keys.get_signing_key_from_jwt(tokens["id_token"]).key,
                                        algorithms=["RS256", "ES256"], audience=tenant.client_id,
                                        issuer=tenant.issuer)
    me = httpx.get(f"{tenant.issuer}/oauth2/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"},
                   timeout=10)
    assert me.status_code == 200 and me.json()["sub"] == claims["sub"], me.text
    return claims


def back_to_app(tenant: Tenant, browser: httpx.Client, callback_url: str) -> str:
    """B's callback, then B's authorization request again, then the application's redirect."""
    back = browser.get(callback_url)
    assert back.status_code == 303, back.text
    assert back.headers["location"].startswith(f"/tenant/{tenant.id}/oauth2/authorize?"), back.headers["location"]
    final = browser.get(back.headers["location"])
    assert final.status_code == 302 and final.headers["location"].startswith(APP_CALLBACK + "?"), final.text
    return str(final.headers["location"])


def test_an_application_signs_in_through_oidc_provider(tenant: Tenant, op: OidcProvider) -> None:
    provider = turn_on(tenant, op)
    assert provider["callback_url"] == tenant.callback("op") and provider["client_secret_set"] is True
    email = f"{unique_id('op')}@example.com"
    before = identity_metrics(tenant.stack)

    # --- first sign-in: idp_hint skips the chooser; login_hint and max_age reach the provider --
    client, url, verifier, nonce = authorize(tenant, idp_hint="op", login_hint=email, max_age="600")
    browser = tenant.browser()
    upstream_url = to_provider(tenant, browser, url)
    assert upstream_url.startswith(f"{op.issuer}/auth?")
    interaction, asked = op.interaction(browser, upstream_url)
    params = asked["params"]
    assert asked["prompt"] == "login" and params["login_hint"] == email and params["max_age"] == "600"
    assert params["code_challenge_method"] == "S256" and params["redirect_uri"] == tenant.callback("op")
    assert params["nonce"] and params["scope"] == "openid email profile" and "prompt" not in params
    callback = op.sign_in(browser, interaction, "grace-1", email, amr="pwd")
    assert callback.startswith(tenant.callback("op") + "?")
    assert parse_qs(urlsplit(callback).query)["iss"] == [op.issuer]  # RFC 9207, checked by B
    claims = id_token_of(tenant, client, back_to_app(tenant, browser, callback), verifier)
    assert claims["email"] == email and claims["nonce"] == nonce and claims["name"] == "Grace Hopper"
    # How the user signed in: through a provider ("fed"), one factor as far as B knows (acr 1).
    assert claims["amr"] == ["fed"] and claims["acr"] == "1"
    assert time.time() - claims["auth_time"] < 120
    [user] = tenant.users_named(email)
    assert user["email_verified"] is True and claims["sub"] == user["user_id"]

    # --- prompt=login from the application: B's sign-in page again, and the provider asks
    # again although its own session lives
    client, url, verifier, _ = authorize(tenant, idp_hint="op", prompt="login")
    interaction, asked = op.interaction(browser, to_provider(tenant, browser, url))
    assert asked["prompt"] == "login" and "login_prompt" in asked["reasons"] and asked["params"]["prompt"] == "login"
    callback = op.sign_in(browser, interaction, "grace-1", email)
    again = id_token_of(tenant, client, back_to_app(tenant, browser, callback), verifier)
    assert again["sub"] == user["user_id"] and again["auth_time"] >= claims["auth_time"]

    # --- the tenant trusts the provider's MFA: its amr says it did, B's ID token says so too --
    trust = tenant.gateway.patch(f"/tenant/{tenant.id}/api/v1/identityProviders/op", headers=tenant.platform,
                                 params={"update_mask": "trust_upstream_mfa"}, json={"trust_upstream_mfa": True})
    assert trust.status_code == 200, trust.text
    client, url, verifier, _ = authorize(tenant, idp_hint="op", prompt="login")
    interaction, _ = op.interaction(browser, to_provider(tenant, browser, url))
    callback = op.sign_in(browser, interaction, "grace-1", email, amr="pwd otp", acr="urn:e2e:mfa")
    strong = id_token_of(tenant, client, back_to_app(tenant, browser, callback), verifier)
    assert strong["amr"] == ["fed", "mfa"] and strong["acr"] == "2" and strong["sub"] == user["user_id"]

    after = identity_metrics(tenant.stack)
    for name in ("binoauth_federated_signins_started_total", "binoauth_federated_signins_succeeded_total"):
        assert value(after, name, provider_type="oidc") - value(before, name, provider_type="oidc") == 3, name
    for call in ("discovery", "token", "jwks"):
        count = "binoauth_federation_upstream_seconds_count"
        assert value(after, count, provider_type="oidc", call=call) > value(before, count, provider_type="oidc",
                                                                            call=call), call


def start_at_op(tenant: Tenant, op: OidcProvider, browser: httpx.Client, email: str, sub: str, *,
                return_to: str = "", email_verified: bool = True) -> str:
    """A sign-in from B's button (no application): the callback URL the provider answers with."""
    query = f"?{urlencode({'return_to': return_to})}" if return_to else ""
    started = browser.get(f"/tenant/{tenant.id}/federation/op/start{query}")
    assert started.status_code == 303, started.text
    interaction, _ = op.interaction(browser, started.headers["location"])
    return op.sign_in(browser, interaction, sub, email, email_verified=email_verified)


def test_rotated_keys_and_id_tokens_that_are_refused(tenant: Tenant, op: OidcProvider) -> None:
    turn_on(tenant, op)
    email = f"{unique_id('op')}@example.com"
    browser = tenant.browser()
    first = browser.get(start_at_op(tenant, op, browser, email, "rot-1"))
    assert first.status_code == 303 and first.headers["location"] == f"/tenant/{tenant.id}/account", first.text

    # The provider replaces its signing key: B's cached key set lacks the new kid, and B
    # fetches the set again instead of refusing the token.
    op.rotate("key-2")
    time.sleep(JWKS_REFETCH_INTERVAL + 0.1)
    rotated = tenant.browser()
    second = rotated.get(start_at_op(tenant, op, rotated, email, "rot-1"))
    assert second.status_code == 303, second.text
    assert rotated.get(f"/tenant/{tenant.id}/api/v1/users/me").json()["user_id"] == \
        tenant.users_named(email)[0]["user_id"]

    # ID tokens the provider's token endpoint hands over that must not be trusted, each for a
    # new account: the page says so and nobody is created.
    before = identity_metrics(tenant.stack)
    now = int(time.time())
    cases: list[tuple[dict[str, Any], str]] = [
        ({"id_token": {"aud": "someone-else"}}, "another audience"),
        ({"id_token": {"exp": now - 3600, "iat": now - 7200}}, "expired"),
        ({"id_token": {"nonce": "not-this-sign-in"}}, "another nonce"),
        ({"alg": "none"}, "unsigned"),
        ({"kid": "never-published"}, "a key the provider never published"),
    ]
    for faults, why in cases:
        stranger = f"{unique_id('bad')}@example.com"
        attempt = tenant.browser()
        callback = start_at_op(tenant, op, attempt, stranger, unique_id("sub"))
        op.arm(**faults)
        refused = attempt.get(callback)
        assert refused.status_code == 400, (why, refused.text)
        assert "could not be verified" in refused.text and "Traceback" not in refused.text, why
        assert tenant.users_named(stranger) == [], why
        assert not [c for c in attempt.cookies.jar if c.name == "binoauth_session"], why

    # max_age: the provider's own authentication must be recent enough, whatever it says.
    old_auth = tenant.browser()
    callback = start_at_op(tenant, op, old_auth, email, "rot-1", return_to=authorize(tenant, max_age="300")[1]
                           .removeprefix(tenant.issuer))
    op.arm(id_token={"auth_time": now - 3600})
    stale = old_auth.get(callback)
    assert stale.status_code == 400 and "could not be verified" in stale.text, stale.text

    # The token endpoint has a bad moment: "try again", not a 500; the flow is spent.
    down = tenant.browser()
    callback = start_at_op(tenant, op, down, f"{unique_id('down')}@example.com", unique_id("sub"))
    op.arm(token_status=500)
    failed = down.get(callback)
    assert failed.status_code == 502 and "cannot be reached right now" in failed.text, failed.text
    assert "expired or was already used" in down.get(callback).text
    assert not [c for c in down.cookies.jar if c.name == "binoauth_session"]

    # Each refusal is a security event with the reason (and the provider), never a token.
    events = tenant.gateway.get(f"/tenant/{tenant.id}/api/v1/events", headers=tenant.platform,
                                params={"type": "LOGIN_FAILED", "page_size": 100})
    assert events.status_code == 200, events.text
    reasons = [e["details"].get("reason") for e in events.json()["events"] if e["details"].get("provider_id") == "op"]
    assert reasons.count("federation:invalid_token") == 6, reasons
    assert reasons.count("federation:provider_unreachable") == 1, reasons
    assert "eyJ" not in events.text  # no ID token (or any JWT) in the details

    after = identity_metrics(tenant.stack)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("binoauth_federated_signins_failed_total", provider_type="oidc", reason="invalid_token") == 6
    assert delta("binoauth_federated_signins_failed_total", provider_type="oidc", reason="provider_unreachable") == 1
    assert delta("binoauth_federated_signins_failed_total", provider_type="unknown", reason="invalid_state") == 1
    assert delta("binoauth_federated_signins_succeeded_total", provider_type="oidc") == 0


def test_an_unverified_email_at_the_provider_never_links(tenant: Tenant, op: OidcProvider) -> None:
    """The tenant allows linking by a verified email; the provider says this one is not."""
    turn_on(tenant, op, link_by_verified_email=True)
    email = f"{unique_id('own')}@example.com"
    owner = tenant.gateway.post(f"/tenant/{tenant.id}/api/v1/users", headers=tenant.platform, json={
        "user": {"email": email}, "email_verified": True, "password": "correct horse battery staple"})
    assert owner.status_code == 200, owner.text
    browser = tenant.browser()
    refused = browser.get(start_at_op(tenant, op, browser, email, "mallory", email_verified=False))
    assert refused.status_code == 403 and "An account with this email exists" in refused.text, refused.text
    linked = tenant.gateway.get(f"/tenant/{tenant.id}/api/v1/users/{owner.json()['user_id']}/identities",
                                headers=tenant.platform)
    assert linked.json().get("identities", []) == []
    # Vouched for, the same address links to the existing account instead of a second one.
    verified = tenant.browser()
    done = verified.get(start_at_op(tenant, op, verified, email, "ada-at-op"))
    assert done.status_code == 303, done.text
    assert verified.get(f"/tenant/{tenant.id}/api/v1/users/me").json()["user_id"] == owner.json()["user_id"]
    assert len(tenant.users_named(email)) == 1


@pytest.fixture
def github(tenant: Tenant) -> Iterator[FakeGitHub]:
    fake = FakeGitHub("Iv1.0123456789abcdef", "gh-secret-" + secrets.token_hex(20), tenant.callback("github"))
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


def test_github_web_flow_and_its_verified_primary_email(tenant: Tenant, github: FakeGitHub) -> None:
    # The preset fills in GitHub's scopes and claim mapping; only the endpoints point at the
    # stand-in (an administrator's own endpoints win, as for GitHub Enterprise Server).
    provider = tenant.add_provider(
        provider_id="github", provider_type="PROVIDER_TYPE_GITHUB", client_id=github.client_id,
        client_secret=github.client_secret, authorization_endpoint=f"{github.url}/login/oauth/authorize",
        token_endpoint=f"{github.url}/login/oauth/access_token", userinfo_endpoint=f"{github.url}/user")
    assert provider["display_name"] == "GitHub" and provider["scopes"] == ["read:user", "user:email"]
    assert provider["client_auth_method"] == "client_secret_post"
    email = f"{unique_id('gh')}@example.com"
    github.user = {"login": "octocat", "id": 583231, "node_id": "MDQ6VXNlcjU4MzIzMQ==", "name": "The Octocat",
                   "avatar_url": "https://avatars.githubusercontent.com/u/583231?v=4",
                   "email": "public-profile@example.com"}
    github.emails = [{"email": "public-profile@example.com", "primary": False, "verified": False,
                      "visibility": "public"},
                     {"email": email, "primary": True, "verified": True, "visibility": "private"}]
    browser = tenant.browser()
    login = browser.get(f"/tenant/{tenant.id}/login")
    assert "Continue with GitHub" in login.text
    started = browser.get(f"/tenant/{tenant.id}/federation/github/start")
    assert started.status_code == 303 and started.headers["location"].startswith(github.url), started.text
    query = parse_qs(urlsplit(started.headers["location"]).query)
    assert query["scope"] == ["read:user user:email"] and "nonce" not in query and "max_age" not in query
    at_github = httpx.get(started.headers["location"], follow_redirects=False, timeout=10)
    assert at_github.status_code == 302 and at_github.headers["location"].startswith(tenant.callback("github"))
    done = browser.get(at_github.headers["location"])
    assert done.status_code == 303 and done.headers["location"] == f"/tenant/{tenant.id}/account", done.text
    me = browser.get(f"/tenant/{tenant.id}/api/v1/users/me").json()
    assert me["email"] == email and me["email_verified"] is True and me["name"] == "The Octocat"
    assert me["picture"] == github.user["avatar_url"]
    identities = browser.get(f"/tenant/{tenant.id}/api/v1/users/me/identities").json()["identities"]
    assert [(i["provider_id"], i["subject"]) for i in identities] == [("github", "583231")]
    # The token request as GitHub documents it; the secret never in a header or the URL.
    [request] = github.token_requests
    assert request["form"]["client_secret"] == github.client_secret and request["form"]["code_verifier"]
    assert "authorization" not in request["headers"] and "application/json" in request["headers"]["accept"]

    # A GitHub account whose primary email is not verified shares no usable address.
    github.user = {"login": "eve", "id": 666, "name": "Eve", "email": email}
    github.emails = [{"email": f"eve-{email}", "primary": True, "verified": False, "visibility": "private"}]
    eve = tenant.browser()
    started = eve.get(f"/tenant/{tenant.id}/federation/github/start")
    refused = eve.get(httpx.get(started.headers["location"], timeout=10).headers["location"])
    assert refused.status_code == 403 and "did not share a verified email address" in refused.text, refused.text
    assert tenant.users_named(f"eve-{email}") == []

    # The user says no at GitHub.
    github.deny = True
    denied_browser = tenant.browser()
    started = denied_browser.get(f"/tenant/{tenant.id}/federation/github/start")
    denied = denied_browser.get(httpx.get(started.headers["location"], timeout=10).headers["location"])
    assert denied.status_code == 400 and "was cancelled or refused" in denied.text, denied.text


def test_an_upstream_that_fails_or_times_out(tenant: Tenant, github: FakeGitHub) -> None:
    """GitHub's token endpoint answers 500, then never answers: a page that says so, within
    the outbound client's time limit, and nothing created."""
    tenant.add_provider(
        provider_id="github", provider_type="PROVIDER_TYPE_GITHUB", client_id=github.client_id,
        client_secret=github.client_secret, authorization_endpoint=f"{github.url}/login/oauth/authorize",
        token_endpoint=f"{github.url}/login/oauth/access_token", userinfo_endpoint=f"{github.url}/user")
    email = f"{unique_id('gh')}@example.com"
    github.user = {"login": "slow", "id": 4242, "name": "Slow"}
    github.emails = [{"email": email, "primary": True, "verified": True}]
    before = identity_metrics(tenant.stack)
    for fault in ("token_status", "hang"):
        setattr(github, fault, 500 if fault == "token_status" else True)
        browser = tenant.browser()
        started = browser.get(f"/tenant/{tenant.id}/federation/github/start")
        began = time.monotonic()
        answer = browser.get(httpx.get(started.headers["location"], timeout=10).headers["location"])
        took = time.monotonic() - began
        words = re.findall(r"<p[^>]*>([^<]*)</p>", answer.text)
        assert answer.status_code == 502 and "GitHub cannot be reached right now" in answer.text, (fault, took, words)
        assert took < 15, (fault, took)
        setattr(github, fault, 0 if fault == "token_status" else False)
    assert tenant.users_named(email) == []
    after = identity_metrics(tenant.stack)
    failed = ("binoauth_federated_signins_failed_total", {"provider_type": "github",
                                                          "reason": "provider_unreachable"})
    assert value(after, failed[0], **failed[1]) - value(before, failed[0], **failed[1]) == 2
    # The hung call is in the latency histogram of the token endpoint, above the 2 s bucket.
    latency = "binoauth_federation_upstream_seconds"
    over_two = (value(after, f"{latency}_count", provider_type="github", call="token")
                - value(after, f"{latency}_bucket", provider_type="github", call="token", le="2.0"))
    assert over_two >= 1
