"""OpenID Connect conformance and race hardening, end to end through Envoy: each test here
failed before the fix it guards (issue 10). Races fire their parallel requests in many rounds."""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import jwt
import pytest
import redis
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from tests.e2e.test_oauth_code_flow import CALLBACK, Browser, setup_world
from tools.stack import Stack

pytestmark = pytest.mark.e2e
ROUNDS = 20
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


@pytest.fixture
def tenant(new_tenant: Callable[..., dict[str, Any]]) -> str:
    return str(new_tenant()["tenant_id"])


def issuer(stack: Stack, tenant: str) -> str:
    return f"{stack.public_url}/tenant/{tenant}"


def query_of(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 302, (response.status_code, response.text)
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["location"]).query).items()}


class Rp:
    """A first-party confidential client of one tenant and a signed-in browser."""

    def __init__(self, stack: Stack, gateway: httpx.Client, platform: dict[str, str], tenant: str,
                 **app_fields: Any) -> None:
        self.stack, self.tenant = stack, tenant
        fields = {"first_party": True, **app_fields}
        self.email, self.client_id, self.secret = setup_world(stack, gateway, platform, tenant, **fields)
        self.browser = Browser(stack, tenant)
        self.browser.sign_in(self.email)
        self.issuer = issuer(stack, tenant)
        self.verifier = secrets.token_urlsafe(48)

    def authorize_url(self, **params: str) -> str:
        base = {"response_type": "code", "client_id": self.client_id, "redirect_uri": CALLBACK,
                "scope": "openid offline_access", "state": "st",
                "code_challenge": create_s256_code_challenge(self.verifier), "code_challenge_method": "S256"}
        values = {k: v for k, v in {**base, **params}.items() if v is not None}
        return f"/tenant/{self.tenant}/oauth2/authorize?" + urlencode(values)

    def code(self, **params: str) -> str:
        return query_of(self.browser.http.get(self.authorize_url(**params)))["code"]

    def token(self, code: str, **extra: str) -> httpx.Response:
        data = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK,
                "code_verifier": self.verifier, **extra}
        return httpx.post(f"{self.issuer}/oauth2/token", auth=(self.client_id, self.secret),
                          data={k: v for k, v in data.items() if v is not None}, timeout=30)

    def tokens(self) -> dict[str, Any]:
        response = self.token(self.code())
        assert response.status_code == 200, response.text
        return dict(response.json())

    def refresh(self, refresh_token: str) -> httpx.Response:
        return httpx.post(f"{self.issuer}/oauth2/token", auth=(self.client_id, self.secret), timeout=30,
                          data={"grant_type": "refresh_token", "refresh_token": refresh_token})

    def introspect(self, token: str, **extra: str) -> dict[str, Any]:
        response = httpx.post(f"{self.issuer}/oauth2/introspect", auth=(self.client_id, self.secret), timeout=30,
                              data={"token": token, **extra})
        assert response.status_code == 200, response.text
        return dict(response.json())

    def revoke(self, token: str) -> httpx.Response:
        return httpx.post(f"{self.issuer}/oauth2/revoke", auth=(self.client_id, self.secret), timeout=30,
                          data={"token": token})


@pytest.fixture
def rp(stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], tenant: str) -> Rp:
    return Rp(stack, gateway, platform_headers, tenant)


def follow_login(rp: Rp, response: httpx.Response) -> httpx.Response:
    """Signs in on the hosted login the authorization endpoint sent the browser to, then goes
    back where it said."""
    assert response.status_code == 303 and "/login?" in response.headers["location"], response.text
    return_to = parse_qs(urlsplit(response.headers["location"]).query)["return_to"][0]
    time.sleep(1.05)  # the new sign-in is in a later second than the old one
    rp.browser.sign_in(rp.email)
    return rp.browser.http.get(f"/tenant/{rp.tenant}{return_to}")


# --- 1. max_age and prompt=login ----------------------------------------------------------------

@pytest.mark.parametrize("params", [{"max_age": "0"}, {"max_age": "1"}, {"prompt": "login"},
                                    {"prompt": "login", "max_age": "0"}])
def test_a_sign_in_that_max_age_or_prompt_login_asked_for_satisfies_the_request(
    rp: Rp, params: dict[str, str]
) -> None:
    time.sleep(1.1)  # the session is older than max_age=1
    first = rp.browser.http.get(rp.authorize_url(**params))
    after_login = follow_login(rp, first)
    query = query_of(after_login)
    token = rp.token(query["code"])
    assert token.status_code == 200, token.text
    id_token = jwt.decode(token.json()["id_token"], options={"verify_signature": False})
    assert id_token["auth_time"] >= int(time.time()) - 5  # the sign-in it caused
    # Going back without signing in again does not count as the new sign-in.
    again = rp.browser.http.get(rp.authorize_url(**params))
    if params.get("prompt") == "login" or params.get("max_age") == "0":
        assert again.status_code == 303


@pytest.mark.parametrize("value", ["1" + "0" * 39, "99999999999999999999", "-1", "1e3", "1.5", " 5", "٣"])
def test_out_of_range_max_age_is_invalid_request_not_a_500(rp: Rp, value: str) -> None:
    query = query_of(rp.browser.http.get(rp.authorize_url(max_age=value)))
    assert query["error"] == "invalid_request" and query["iss"] == rp.issuer


def test_out_of_range_numbers_elsewhere_are_clean_errors(stack: Stack, gateway: httpx.Client,
                                                        platform_headers: dict[str, str], tenant: str) -> None:
    huge = "1" + "0" * 39
    listed = gateway.get(f"/tenant/{tenant}/api/v1/users", params={"page_size": huge}, headers=platform_headers)
    assert 400 <= listed.status_code < 500, listed.text
    assert "Traceback" not in listed.text
    created = gateway.post(f"/tenant/{tenant}/api/v1/applications", headers=platform_headers, json={
        "display_name": "x", "client_type": "CLIENT_TYPE_CONFIDENTIAL", "grant_types": ["client_credentials"],
        "token_lifetimes": {"access_token_ttl_seconds": int(huge)}})
    assert created.status_code == 400, created.text


# --- 2. metadata says exactly what is supported ---------------------------------------------------------

def test_discovery_has_end_session_and_rfc8414_path_inserted_metadata(stack: Stack, gateway: httpx.Client,
                                                                       tenant: str) -> None:
    oidc = gateway.get(f"/tenant/{tenant}/.well-known/openid-configuration").json()
    assert oidc["end_session_endpoint"] == f"{issuer(stack, tenant)}/oauth2/logout"
    inserted = gateway.get(f"/.well-known/oauth-authorization-server/tenant/{tenant}")
    assert inserted.status_code == 200, inserted.text
    appended = gateway.get(f"/tenant/{tenant}/.well-known/oauth-authorization-server").json()
    assert inserted.json() == appended and appended["issuer"] == issuer(stack, tenant)
    assert "none" in appended["revocation_endpoint_auth_methods_supported"]
    assert "none" not in appended["introspection_endpoint_auth_methods_supported"]
    unknown = gateway.get("/.well-known/oauth-authorization-server/tenant/no-such-tenant-x")
    assert unknown.status_code == 404


def _signing_key(alg: str) -> tuple[Any, dict[str, Any]]:
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

    if alg in ("RS256", "PS256"):
        private: Any = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        public = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
    elif alg == "ES256":
        private = ec.generate_private_key(ec.SECP256R1())
        public = json.loads(ECAlgorithm.to_jwk(private.public_key()))
    else:
        private = ed25519.Ed25519PrivateKey.generate()
        public = json.loads(OKPAlgorithm.to_jwk(private.public_key()))
    return private, {**public, "kid": f"k-{alg}", "alg": alg, "use": "sig"}


def _app(gateway: httpx.Client, platform: dict[str, str], tenant: str, **fields: Any) -> tuple[str, str]:
    body = {"display_name": "Probe", "client_type": "CLIENT_TYPE_CONFIDENTIAL",
            "grant_types": ["client_credentials", "authorization_code", "refresh_token"],
            "redirect_uris": [CALLBACK], "allowed_scopes": ["openid", "reports:read"], **fields}
    created = gateway.post(f"/tenant/{tenant}/api/v1/applications", headers=platform, json=body)
    assert created.status_code == 200, created.text
    return created.json()["application"]["client_id"], created.json().get("client_secret", "")


def _assertion(key: Any, alg: str, client_id: str, audience: str) -> str:
    now = int(time.time())
    return jwt.encode({"iss": client_id, "sub": client_id, "aud": audience, "iat": now, "exp": now + 60,
                       "jti": secrets.token_urlsafe(16)}, key, algorithm=alg, headers={"kid": f"k-{alg}"})


def test_every_advertised_client_auth_method_and_algorithm_works_and_others_are_refused(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], tenant: str
) -> None:
    doc = gateway.get(f"/tenant/{tenant}/.well-known/oauth-authorization-server").json()
    endpoints = {"token": doc["token_endpoint"], "revocation": doc["revocation_endpoint"],
                 "introspection": doc["introspection_endpoint"]}
    secret_apps = {m: _app(gateway, platform_headers, tenant, token_endpoint_auth_method=m)
                   for m in ("client_secret_basic", "client_secret_post")}
    public_id, _ = _app(gateway, platform_headers, tenant, client_type="CLIENT_TYPE_PUBLIC",
                        grant_types=["authorization_code", "refresh_token"], allowed_scopes=["openid"])
    keys = {alg: _signing_key(alg) for alg in doc["token_endpoint_auth_signing_alg_values_supported"]}
    keyed_id, _ = _app(gateway, platform_headers, tenant, token_endpoint_auth_method="private_key_jwt",
                       jwks={"keys": [public for _private, public in keys.values()]})

    def call(endpoint: str, method: str, alg: str = "ES256") -> httpx.Response:
        url = endpoints[endpoint]
        data: dict[str, str] = ({"grant_type": "client_credentials"} if endpoint == "token"
                                else {"token": "opaque-" + secrets.token_hex(8)})
        auth: Any = None
        if method == "client_secret_basic":
            client_id, secret = secret_apps[method]
            auth = (client_id, secret)
        elif method == "client_secret_post":
            client_id, secret = secret_apps[method]
            data |= {"client_id": client_id, "client_secret": secret}
        elif method == "private_key_jwt":
            data |= {"client_assertion_type": ASSERTION_TYPE,
                     "client_assertion": _assertion(keys[alg][0], alg, keyed_id, doc["issuer"])}
        elif method == "none":
            data |= {"client_id": public_id}
            if endpoint == "token":
                data = {"grant_type": "authorization_code", "code": "nope", "client_id": public_id,
                        "redirect_uri": CALLBACK, "code_verifier": "v" * 43}
        elif method == "client_secret_jwt":
            client_id, secret = secret_apps["client_secret_basic"]
            data |= {"client_assertion_type": ASSERTION_TYPE,
                     "client_assertion": jwt.encode({"iss": client_id, "sub": client_id, "aud": doc["issuer"],
                                                     "exp": int(time.time()) + 60, "jti": "x"},
                                                    secret, algorithm="HS256")}
        return httpx.post(url, data=data, auth=auth, timeout=30)

    for endpoint in endpoints:
        advertised = doc[f"{endpoint}_endpoint_auth_methods_supported"]
        for method in ("client_secret_basic", "client_secret_post", "private_key_jwt", "none", "client_secret_jwt"):
            answer = call(endpoint, method)
            authenticated = answer.status_code != 401
            assert authenticated == (method in advertised), (endpoint, method, answer.text)
        for alg in doc[f"{endpoint}_endpoint_auth_signing_alg_values_supported"]:
            assert call(endpoint, "private_key_jwt", alg).status_code == 200, (endpoint, alg)


def test_every_advertised_authorization_value_works_and_others_are_refused(rp: Rp, gateway: httpx.Client) -> None:
    doc = gateway.get(f"/tenant/{rp.tenant}/.well-known/openid-configuration").json()
    assert doc["response_types_supported"] == ["code"] and doc["response_modes_supported"] == ["query"]
    for response_type in doc["response_types_supported"]:
        assert "code" in query_of(rp.browser.http.get(rp.authorize_url(response_type=response_type)))
    for response_type in ("token", "id_token", "code id_token", "code token"):
        query = query_of(rp.browser.http.get(rp.authorize_url(response_type=response_type)))
        assert query["error"] == "unsupported_response_type"
    for mode in ("fragment", "form_post"):
        assert query_of(rp.browser.http.get(rp.authorize_url(response_mode=mode)))["error"] == "invalid_request"
    assert doc["code_challenge_methods_supported"] == ["S256"]
    plain = query_of(rp.browser.http.get(rp.authorize_url(code_challenge="x" * 43, code_challenge_method="plain")))
    assert plain["error"] == "invalid_request"
    for prompt in doc["prompt_values_supported"]:
        answer = rp.browser.http.get(rp.authorize_url(prompt=prompt))
        assert answer.status_code in (302, 303), (prompt, answer.text)
        if answer.status_code == 302:
            assert "error" not in query_of(answer), prompt
    assert query_of(rp.browser.http.get(rp.authorize_url(prompt="select_account")))["error"] == "invalid_request"
    assert doc["request_parameter_supported"] is False and doc["request_uri_parameter_supported"] is False
    refused = query_of(rp.browser.http.get(rp.authorize_url(request="e30.e30.")))
    assert refused["error"] == "request_not_supported"
    grants = doc["grant_types_supported"]
    for grant in ("password", "implicit", "urn:ietf:params:oauth:grant-type:jwt-bearer"):
        assert grant not in grants
        answer = httpx.post(doc["token_endpoint"], auth=(rp.client_id, rp.secret), data={"grant_type": grant},
                            timeout=30)
        assert answer.json()["error"] == "unsupported_grant_type"
    tokens = rp.tokens()
    assert jwt.get_unverified_header(tokens["id_token"])["alg"] in doc["id_token_signing_alg_values_supported"]
    for claim in jwt.decode(tokens["id_token"], options={"verify_signature": False}):
        assert claim in doc["claims_supported"], claim


# --- 3 and 4. logout asks first; POST forms -------------------------------------------------------------

def signed_in(rp: Rp) -> bool:
    me = rp.browser.http.get(f"/tenant/{rp.tenant}/api/v1/users/me")
    return me.status_code == 200


def hidden_fields(html: str) -> dict[str, str]:
    return {k: unescape(v) for k, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html)}


def test_logout_without_a_valid_hint_asks_first_with_a_csrf_protected_form(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], tenant: str, rp: Rp
) -> None:
    other = Rp(stack, gateway, platform_headers, tenant)
    someone_elses_hint = other.tokens()["id_token"]
    for params in ({}, {"id_token_hint": "not.a.jwt"}, {"id_token_hint": someone_elses_hint}):
        page = rp.browser.http.get(f"/tenant/{tenant}/oauth2/logout", params=params)
        assert page.status_code == 200 and "Do you want to sign out?" in page.text, page.text
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert signed_in(rp), params  # a cross-site GET alone signs nobody out
    fields = hidden_fields(page.text)
    action = unescape(re.search(r'<form method="post" action="([^"]+)"', page.text).group(1))
    forged = rp.browser.http.post(action, data={**fields, "csrf_token": "x" * 43, "decision": "logout"})
    assert forged.status_code == 403 and signed_in(rp)
    stay = rp.browser.http.post(action, data={**fields, "decision": "stay"})
    assert stay.status_code == 200 and signed_in(rp)
    done = rp.browser.http.post(action, data={**fields, "decision": "logout"})
    assert done.status_code == 200 and "You are signed out" in done.text
    assert not signed_in(rp)


def test_logout_with_the_users_own_hint_ends_the_session_at_once_by_get_or_post(rp: Rp) -> None:
    hint = rp.tokens()["id_token"]
    answer = rp.browser.http.post(f"/tenant/{rp.tenant}/oauth2/logout", data={"id_token_hint": hint})
    assert answer.status_code == 200 and "You are signed out" in answer.text, answer.text
    assert not signed_in(rp)
    # A cross-site form POST carries no Lax cookie: it is sent back as a GET that does.
    rp.browser.sign_in(rp.email)
    bare = httpx.post(f"{rp.stack.public_url}/tenant/{rp.tenant}/oauth2/logout", data={"id_token_hint": hint},
                      timeout=30)
    assert bare.status_code == 303
    assert bare.headers["location"].startswith(f"/tenant/{rp.tenant}/oauth2/logout?id_token_hint=")


def test_authorization_request_by_form_post(rp: Rp) -> None:
    body = dict(parse_qs(urlsplit(rp.authorize_url()).query))
    answer = rp.browser.http.post(f"/tenant/{rp.tenant}/oauth2/authorize",
                                  data={k: v[0] for k, v in body.items()})
    query = query_of(answer)
    assert query["state"] == "st" and query["iss"] == rp.issuer
    assert rp.token(query["code"]).status_code == 200
    not_a_form = rp.browser.http.post(f"/tenant/{rp.tenant}/oauth2/authorize", json={"client_id": rp.client_id})
    assert not_a_form.status_code == 400 and "location" not in not_a_form.headers


# --- 5. introspection of refresh tokens --------------------------------------------------------------------

def test_introspection_answers_for_refresh_tokens(rp: Rp) -> None:
    tokens = rp.tokens()
    for hint in ({}, {"token_type_hint": "refresh_token"}, {"token_type_hint": "access_token"}):
        live = rp.introspect(tokens["refresh_token"], **hint)
        assert live["active"] is True and live["client_id"] == rp.client_id, live
        assert live["scope"] == "openid offline_access" and live["exp"] > time.time()
    rotated = rp.refresh(tokens["refresh_token"]).json()
    assert rp.introspect(tokens["refresh_token"]) == {"active": False}  # used up by the rotation
    assert rp.introspect(rotated["refresh_token"])["active"] is True
    assert rp.revoke(rotated["refresh_token"]).status_code == 200
    assert rp.introspect(rotated["refresh_token"]) == {"active": False}


# --- 6. redirect_uri rules ---------------------------------------------------------------------------------

def test_redirect_uri_is_required_at_the_token_endpoint_only_if_the_request_sent_it(rp: Rp) -> None:
    code = rp.code(redirect_uri=None, scope="offline_access")  # one registered URI: it is used
    assert rp.token(code, redirect_uri=None).status_code == 200
    sent = rp.code()
    assert rp.token(sent, redirect_uri=None).json()["error"] == "invalid_grant"


def test_openid_requests_without_redirect_uri_get_an_error_page(rp: Rp) -> None:
    answer = rp.browser.http.get(rp.authorize_url(redirect_uri=None))
    assert answer.status_code == 400 and "location" not in answer.headers
    assert "redirect_uri is required" in answer.text


@pytest.mark.parametrize("application_type", ["APPLICATION_TYPE_WEB", "APPLICATION_TYPE_NATIVE"])
def test_only_native_apps_get_the_loopback_port_variation(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], tenant: str, application_type: str
) -> None:
    registered = "http://127.0.0.1:8123/callback"
    rp = Rp(stack, gateway, platform_headers, tenant, redirect_uris=[registered], application_type=application_type)
    exact = rp.browser.http.get(rp.authorize_url(redirect_uri=registered))
    assert exact.status_code == 302 and exact.headers["location"].startswith(registered)
    other_port = "http://127.0.0.1:9999/callback"
    answer = rp.browser.http.get(rp.authorize_url(redirect_uri=other_port))
    if application_type == "APPLICATION_TYPE_NATIVE":
        assert answer.status_code == 302 and answer.headers["location"].startswith(other_port)
    else:
        assert answer.status_code == 400 and "location" not in answer.headers


# --- 7. races: whatever a replay revokes includes what the concurrent winner issued -------------------

def _race(*calls: Callable[[], httpx.Response]) -> list[httpx.Response]:
    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(lambda call: call(), calls))


def _assert_dead(rp: Rp, issued: dict[str, Any]) -> None:
    assert rp.introspect(issued["access_token"]) == {"active": False}
    assert rp.refresh(issued["refresh_token"]).json()["error"] == "invalid_grant"
    userinfo = httpx.get(f"{rp.issuer}/oauth2/userinfo", timeout=30,
                         headers={"Authorization": f"Bearer {issued['access_token']}"})
    assert userinfo.status_code == 401


def test_concurrent_redemptions_of_one_code_leave_nothing_alive(rp: Rp) -> None:
    for _ in range(ROUNDS):
        code = rp.code()
        answers = _race(*[lambda c=code: rp.token(c)] * 2)
        winners = [a for a in answers if a.status_code == 200]
        assert len(winners) == 1, [a.text for a in answers]
        assert [a.json()["error"] for a in answers if a.status_code != 200] == ["invalid_grant"]
        _assert_dead(rp, winners[0].json())


def test_concurrent_reuse_of_one_refresh_token_leaves_nothing_alive(rp: Rp) -> None:
    for _ in range(ROUNDS):
        first = rp.tokens()
        answers = _race(*[lambda t=first["refresh_token"]: rp.refresh(t)] * 2)
        winners = [a.json() for a in answers if a.status_code == 200]
        assert len(winners) <= 1, [a.text for a in answers]
        for issued in [first, *winners]:
            _assert_dead(rp, issued)


def test_revoking_a_refresh_token_ends_the_access_tokens_of_its_family(rp: Rp) -> None:
    first = rp.tokens()
    second = rp.refresh(first["refresh_token"]).json()
    assert rp.introspect(first["access_token"])["active"] is True
    assert rp.revoke(second["refresh_token"]).status_code == 200
    for access in (first["access_token"], second["access_token"]):
        assert rp.introspect(access) == {"active": False}


# --- 12. the refresh grant uses the platform's revocation check -------------------------------------

def test_refresh_after_sign_out_everywhere_fails_even_after_a_redis_flush(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], rp: Rp
) -> None:
    tokens = rp.tokens()
    user_id = jwt.decode(tokens["id_token"], options={"verify_signature": False})["sub"]
    time.sleep(1.05)  # not-before times are whole seconds
    ended = gateway.post(f"/tenant/{rp.tenant}/api/v1/users/{user_id}/sessions:revokeAll", json={},
                         headers=platform_headers)
    assert ended.status_code == 200, ended.text
    client = redis.Redis.from_url(stack.redis_url)
    try:
        client.flushall()
    finally:
        client.close()
    refreshed = rp.refresh(tokens["refresh_token"])
    assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_grant", refreshed.text
    assert rp.introspect(tokens["refresh_token"]) == {"active": False}
    time.sleep(1.05)  # a sign-in in the same second as the revocation counts as revoked
    rp.browser.sign_in(rp.email)  # only the old sign-in ended: the user can sign in again
    assert rp.refresh(rp.tokens()["refresh_token"]).status_code == 200


def test_userinfo_by_form_post_with_the_token_in_the_body(rp: Rp) -> None:
    access = rp.tokens()["access_token"]
    answer = httpx.post(f"{rp.issuer}/oauth2/userinfo", data={"access_token": access}, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.json()["sub"] == jwt.decode(access, options={"verify_signature": False})["sub"]
    assert httpx.get(f"{rp.issuer}/oauth2/userinfo", headers={"Authorization": f"Bearer {access}"},
                     timeout=30).status_code == 200
