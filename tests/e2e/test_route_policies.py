"""Policies declared in the protos, checked on every route of the gateway's route list
(gateway/descriptor.py reads it from build/descriptors/api.pb, as gateway/render.py does):

- a JSON API that uses the session cookie, ``(binoauth.options.v1.cookies) = COOKIE_USE_JSON_API``,
  refuses what a cross-site page can send without a CORS preflight (a form's text/plain,
  form-urlencoded or multipart body; a cross-site Origin or Sec-Fetch-Site), while same-origin
  pages and non-browser clients pass (defect 8: login CSRF through the JSON sign-in API);
- a method without the option never reads the cookie (it would answer 500: see
  services/common/context.py UndeclaredCookieUse);
- every answer of a ``(binoauth.options.v1.no_store)`` method, success or error, carries
  ``Cache-Control: no-store`` and ``Pragma: no-cache`` (defect 10).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import grpc
import httpx
import pytest

from binoauth.session.v1 import session_internal_service_pb2 as session_pb
from binoauth.session.v1 import session_internal_service_pb2_grpc as session_grpc
from gateway.descriptor import public_services
from gateway.values import BUILD_DESCRIPTOR
from services.identity import totp
from tests.e2e.helpers import assert_envelope, unique_id
from tools.stack import Stack

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery staple"
BODY_VERBS = frozenset({"POST", "PUT", "PATCH"})
REFUSALS = frozenset({"CROSS_SITE_REQUEST", "UNSUPPORTED_MEDIA_TYPE"})


@dataclass(frozen=True)
class Route:
    method: str  # Service.Method
    verb: str
    template: str
    cookies: str
    no_store: bool
    protocol: bool

    @property
    def path(self) -> str:
        """The template with every variable filled in (the answer may be 404: we only look at
        what happens before the method runs, or at headers every answer carries)."""
        return re.sub(r"\{[^}]*\}", "probe", self.template)

    def __str__(self) -> str:
        return f"{self.method} {self.verb} {self.template}"


def route_list() -> list[Route]:
    if not BUILD_DESCRIPTOR.exists():
        pytest.fail(f"{BUILD_DESCRIPTOR} missing: run `make protos` first")
    return [Route(f"{svc.full_name.rsplit('.', 1)[-1]}.{m.name}", verb, template, m.cookies, m.no_store, m.protocol)
            for svc in public_services(BUILD_DESCRIPTOR) for m in svc.methods for verb, template in m.http]


ROUTES = route_list()
COOKIE_JSON = [r for r in ROUTES if r.cookies == "json_api"]
NO_COOKIES = [r for r in ROUTES if not r.cookies]
NO_STORE = [r for r in ROUTES if r.no_store]


def test_the_route_list_names_the_hosted_cookie_and_secret_endpoints() -> None:
    # Guards the generators below against an empty or misread list.
    assert {"AuthService.Login", "AuthService.Logout", "UserSelfService.GetMe", "SessionService.ListMySessions",
            "OAuthService.ListMyConsents", "OAuthService.RevokeMyConsent"} <= {r.method for r in COOKIE_JSON}
    assert {"ApiKeyService.CreateApiKey", "ApplicationService.CreateApplication",
            "ApplicationService.RotateClientSecret", "UserSelfService.EnrollTotp", "UserSelfService.ConfirmTotp",
            "AuthService.Login", "AdminUserService.AdminLogin"} <= {r.method for r in NO_STORE}
    assert len(NO_COOKIES) > 30


# --- fixtures ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def http(stack: Stack) -> Iterator[httpx.Client]:
    """This module's own client: the sign-ins below must not leave a session cookie in the
    shared `gateway` client's jar."""
    with httpx.Client(base_url=stack.gateway_url, timeout=30) as client:
        yield client


@pytest.fixture(autouse=True)
def _fresh_cookie_jar(http: httpx.Client) -> Iterator[None]:
    yield
    http.cookies.clear()


@pytest.fixture(scope="module")
def tenant(http: httpx.Client, platform_headers: dict[str, str]) -> Iterator[str]:
    tenant_id = unique_id("rp")
    created = http.post("/api/v1/tenants", headers=platform_headers, json={"tenant_id": tenant_id})
    assert created.status_code == 200, created.text
    yield tenant_id
    http.delete(f"/api/v1/tenants/{tenant_id}", headers=platform_headers)


def create_user(http: httpx.Client, platform: dict[str, str], tenant: str) -> tuple[str, str]:
    email = f"{unique_id('rp')}@example.com"
    created = http.post(f"/tenant/{tenant}/api/v1/users", headers=platform, json={
        "user": {"email": email, "name": "Ada"}, "password": PASSWORD, "email_verified": True})
    assert created.status_code == 200, created.text
    return email, created.json()["user_id"]


@pytest.fixture
def session_cookie(stack: Stack, tenant: str) -> Callable[[], str]:
    """A live session of a user (what the browser under attack holds)."""

    def make() -> str:
        with grpc.insecure_channel(f"127.0.0.1:{stack.replicas['session'][0].grpc_port}") as channel:
            reply: Any = session_grpc.SessionInternalServiceStub(channel).CreateSession(
                session_pb.CreateSessionRequest(tenant_id=tenant, user_id="victim", amr=["pwd"]), timeout=10)
        return f"binoauth_session={reply.secret}"

    return make


def _url(route: Route, tenant: str, selection: str) -> tuple[str, dict[str, str]]:
    if selection == "path":
        return f"/tenant/{tenant}{route.path}", {}
    return route.path, {"X-Tenant-ID": tenant}


def json_body_for(route: Route) -> dict[str, Any]:
    """httpx keyword arguments: an empty JSON object for the methods that take a body."""
    return {"json": {}} if route.verb in BODY_VERBS else {}


def _no_session_cookie_set(response: httpx.Response) -> None:
    assert not any("binoauth_session=" in v and "Max-Age=0" not in v
                   for v in response.headers.get_list("set-cookie")), response.headers


# --- defect 8: cross-site requests to cookie JSON APIs ------------------------------------

# (name, headers, body): what a page on another site can make a browser send without a
# preflight, with the victim's cookie attached (or a Set-Cookie accepted).
FORM_BODIES = [
    ("text/plain form", {"Content-Type": "text/plain"}),
    ("text/plain;charset form", {"Content-Type": "text/plain;charset=UTF-8"}),
    ("urlencoded form", {"Content-Type": "application/x-www-form-urlencoded"}),
    ("multipart form", {"Content-Type": "multipart/form-data; boundary=x"}),
    ("body without content type", {}),
]


def cross_site_headers(stack: Stack) -> list[tuple[str, dict[str, str]]]:
    port = int(stack.gateway_url.rsplit(":", 1)[1])
    return [
        ("Sec-Fetch-Site cross-site", {"Sec-Fetch-Site": "cross-site"}),
        ("Sec-Fetch-Site same-site", {"Sec-Fetch-Site": "same-site"}),
        ("foreign Origin", {"Origin": "https://evil.example"}),
        ("null Origin", {"Origin": "null"}),
        ("Origin on another port", {"Origin": f"http://127.0.0.1:{port + 1}"}),
        ("foreign Origin, same-origin fetch site", {"Origin": "https://evil.example", "Sec-Fetch-Site": "same-origin"}),
    ]


@pytest.mark.parametrize("selection", ["path", "header"])
@pytest.mark.parametrize("route", COOKIE_JSON, ids=str)
def test_cookie_json_apis_refuse_simple_cross_site_requests(
    stack: Stack, http: httpx.Client, tenant: str, session_cookie: Callable[[], str], route: Route,
    selection: str,
) -> None:
    url, selector = _url(route, tenant, selection)
    cookie = {"Cookie": session_cookie()}
    if route.verb in BODY_VERBS:
        for name, headers in FORM_BODIES:
            response = http.request(route.verb, url, content=b"{}", headers={**selector, **cookie, **headers})
            error = assert_envelope(response, 415, "UNSUPPORTED_MEDIA_TYPE")
            assert "application/json" in error["message"], name
            _no_session_cookie_set(response)
    json_body = json_body_for(route)
    for name, headers in cross_site_headers(stack):
        response = http.request(route.verb, url, headers={**selector, **cookie, **headers}, **json_body)
        error = assert_envelope(response, 403, "CROSS_SITE_REQUEST")
        assert error["details"]["header"] in {"Origin", "Sec-Fetch-Site"}, name
        _no_session_cookie_set(response)


@pytest.mark.parametrize("route", COOKIE_JSON, ids=str)
def test_cookie_json_apis_serve_same_origin_pages_and_non_browser_clients(
    stack: Stack, http: httpx.Client, tenant: str, route: Route,
) -> None:
    url, _ = _url(route, tenant, "path")
    json_body = json_body_for(route)
    for headers in ({}, {"Origin": stack.gateway_url, "Sec-Fetch-Site": "same-origin"},
                    {"Origin": stack.gateway_url.upper()}, {"Sec-Fetch-Site": "none"},
                    {"Content-Type": "application/json; charset=utf-8"}):
        # No session cookie: whatever the method answers, it is not a cross-site refusal.
        response = http.request(route.verb, url, headers=headers, **json_body)
        assert response.status_code < 500, response.text
        if response.status_code >= 400:
            assert response.json()["error"]["code"] not in REFUSALS, (headers, response.text)


def test_login_csrf_with_a_text_plain_form_cannot_sign_in(
    stack: Stack, http: httpx.Client, platform_headers: dict[str, str], tenant: str,
) -> None:
    """Defect 8 as reported: a cross-site <form enctype="text/plain"> posts the attacker's
    credentials as a JSON-looking body, and the victim's browser would keep the session."""
    email, _ = create_user(http, platform_headers, tenant)
    credentials = f'{{"email": "{email}", "password": "{PASSWORD}"}}'.encode()
    for url, selector in ((f"/tenant/{tenant}/api/v1/auth/login", {}),
                          ("/api/v1/auth/login", {"X-Tenant-ID": tenant})):
        for content_type in ("text/plain", "application/x-www-form-urlencoded"):
            response = http.post(url, content=credentials, headers={
                **selector, "Content-Type": content_type, "Origin": "https://evil.example",
                "Sec-Fetch-Site": "cross-site"})
            assert_envelope(response, 403, "CROSS_SITE_REQUEST")
            _no_session_cookie_set(response)
            # An older browser that sends neither header: the body type alone is refused.
            response = http.post(url, content=credentials, headers={**selector, "Content-Type": content_type})
            assert_envelope(response, 415, "UNSUPPORTED_MEDIA_TYPE")
            _no_session_cookie_set(response)
        # The same request from the sign-in page itself, or from a server, signs in.
        same_origin = http.post(url, content=credentials, headers={
            **selector, "Content-Type": "application/json", "Origin": stack.gateway_url,
            "Sec-Fetch-Site": "same-origin"})
        assert same_origin.status_code == 200, same_origin.text
        assert "binoauth_session=" in same_origin.headers["set-cookie"]
        server = http.post(url, content=credentials, headers={**selector, "Content-Type": "application/json"})
        assert server.status_code == 200, server.text


def test_the_hosted_sign_in_form_still_works_cross_site_rules_do_not_apply_to_it(
    stack: Stack, platform_headers: dict[str, str], http: httpx.Client, tenant: str,
) -> None:
    """The hosted HTML form (form-urlencoded, CSRF token) is not a JSON API."""
    email, _ = create_user(http, platform_headers, tenant)
    with httpx.Client(base_url=stack.gateway_url, timeout=30) as browser:
        page = browser.get(f"/tenant/{tenant}/login")
        assert page.status_code == 200
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None, page.text
        signed_in = browser.post(f"/tenant/{tenant}/login", data={
            "csrf_token": token.group(1), "email": email, "password": PASSWORD},
            headers={"Origin": stack.gateway_url, "Sec-Fetch-Site": "same-origin"})
        assert signed_in.status_code == 303, signed_in.text
        assert "binoauth_session=" in signed_in.headers["set-cookie"]


# --- methods without the option never read the cookie -------------------------------------


@pytest.mark.parametrize("route", NO_COOKIES, ids=str)
def test_methods_without_the_cookie_option_never_read_the_cookie(
    http: httpx.Client, tenant: str, session_cookie: Callable[[], str], route: Route,
) -> None:
    """A method that read the Cookie header without declaring it would answer 500
    (UndeclaredCookieUse): it would have escaped the cross-site checks above."""
    url, _ = _url(route, tenant, "path")
    headers = {"Cookie": session_cookie()}
    body: dict[str, Any] = {}
    if route.verb in BODY_VERBS:
        if route.protocol:
            body = {"content": b"", "headers": {**headers, "Content-Type": "application/x-www-form-urlencoded"}}
        else:
            body = {"json": {}}
    response = http.request(route.verb, url, **({"headers": headers} | body))
    assert response.status_code < 500, response.text


# --- defect 10: answers that carry a secret are never cached -------------------------------


def assert_no_store(response: httpx.Response) -> None:
    assert response.headers.get_list("cache-control") == ["no-store"], response.headers
    assert response.headers.get_list("pragma") == ["no-cache"], response.headers


@pytest.mark.parametrize("route", NO_STORE, ids=str)
def test_every_answer_of_a_secret_bearing_method_says_no_store(
    http: httpx.Client, tenant: str, route: Route,
) -> None:
    # Unauthenticated or malformed: the error answers carry the headers too (set per route).
    url, _ = _url(route, tenant, "path")
    response = http.request(route.verb, url, **json_body_for(route))
    assert response.status_code >= 400, response.text
    assert_no_store(response)


def test_secrets_in_successful_answers_are_never_cached(
    stack: Stack, http: httpx.Client, platform_headers: dict[str, str], tenant: str,
) -> None:
    """Defect 10 as reported (the API key), and each other kind of secret the API returns."""
    key = http.post(f"/api/v1/tenants/{tenant}/apiKeys", headers=platform_headers,
                       json={"display_name": "ci", "scopes": ["users:read"]})
    assert key.status_code == 200, key.text
    assert key.json()["secret"]
    assert_no_store(key)

    app = http.post(f"/tenant/{tenant}/api/v1/applications", headers=platform_headers, json={
        "display_name": "Backend", "client_type": "CLIENT_TYPE_CONFIDENTIAL",
        "grant_types": ["client_credentials"], "allowed_scopes": ["openid"]})
    assert app.status_code == 200, app.text
    assert app.json()["client_secret"]
    assert_no_store(app)
    client_id = app.json()["application"]["client_id"]
    rotated = http.post(f"/tenant/{tenant}/api/v1/applications/{client_id}:rotateSecret",
                           headers=platform_headers, json={})
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["client_secret"]
    assert_no_store(rotated)

    email, _ = create_user(http, platform_headers, tenant)
    with httpx.Client(base_url=f"{stack.gateway_url}/tenant/{tenant}", timeout=30) as user:
        login = user.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert login.status_code == 200, login.text
        assert_no_store(login)
        enrolled = user.post("/api/v1/users/me/mfa/totp:enroll", json={})
        assert enrolled.status_code == 200, enrolled.text
        assert_no_store(enrolled)
        secret = enrolled.json()["secret"]
        confirmed = user.post("/api/v1/users/me/mfa/totp:confirm",
                              json={"code": totp.code_at(secret, datetime.now(UTC))})
        assert confirmed.status_code == 200, confirmed.text
        assert confirmed.json()["recovery_codes"]
        assert_no_store(confirmed)
    with httpx.Client(base_url=f"{stack.gateway_url}/tenant/{tenant}", timeout=30) as user:
        first = user.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert first.status_code == 200, first.text
        assert first.json()["mfa_required"] is True and first.json()["mfa_token"]
        assert_no_store(first)
        second = user.post("/api/v1/auth/login/mfa", json={
            "mfa_token": first.json()["mfa_token"], "code": confirmed.json()["recovery_codes"][0]})
        assert second.status_code == 200, second.text
        assert_no_store(second)
