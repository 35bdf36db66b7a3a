"""External identity providers, the pure logic and the presets (services/identity/federation):
configuration rules, claim mapping, the linking rules, ID token validation (signature, alg,
iss incl. Entra's {tenantid}, aud, azp, exp, nonce), caching headers and key rotation, the
browser binding of a flow, and each preset (Google, Microsoft, Apple, GitHub) against a fake
upstream behind the outbound client's port; nothing leaves the process."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from services.common.crypto import SecretBox
from services.common.errors import InvalidArgument
from services.common.outbound import OutboundPolicy, OutboundRefused, OutboundResponse
from services.common.settings import Secret
from services.identity.auth import LoginResult, Tenant, lockout_subject
from services.identity.federation import claims as rules
from services.identity.federation.assertions import APPLE_AUDIENCE, apple_client_secret, client_assertion
from services.identity.federation.flows import (
    Flow,
    binding_cookie,
    binding_from_cookies,
    binding_hash,
    bound_to,
    s256,
)
from services.identity.federation.idtoken import (
    Expectation,
    InvalidIdToken,
    UnknownKey,
    algorithms_for,
    expected_issuer,
    validate_id_token,
)
from services.identity.federation.model import IdentityProvider, ProviderType, validate
from services.identity.federation.pages import hints_of
from services.identity.federation.upstream import HttpUpstream, cache_lifetime
from services.identity.federation.usecases import FederationFailed, FederationUseCases, StartHints
from services.identity.ports import StartedSession
from services.identity.users import Profile, User, UserState

pytestmark = pytest.mark.unit
RSA = rsa.generate_private_key(public_exponent=65537, key_size=2048)
RSA_2 = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC = ec.generate_private_key(ec.SECP256R1())
NOW = time.time()
EC_PEM = EC.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                         serialization.NoEncryption()).decode()
TID = "9188040d-6c67-4c5b-b112-36a304b66dad"


def jwk(key: Any, kid: str) -> dict[str, Any]:
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return {**public, "kid": kid, "use": "sig", "alg": "RS256"}


def id_token(key: Any = RSA, kid: str = "k1", alg: str = "RS256", **claims: Any) -> str:
    body = {"iss": "https://idp.example", "sub": "u-1", "aud": "client-1", "iat": int(NOW), "exp": int(NOW) + 300,
            "nonce": "n-1", "email": "ada@example.com", "email_verified": True, **claims}
    return jwt.encode({k: v for k, v in body.items() if v is not None}, key, algorithm=alg, headers={"kid": kid})


EXPECT = Expectation("https://idp.example", "client-1", "n-1")
KEYS = {"keys": [jwk(RSA, "k1")]}


# --- configuration ------------------------------------------------------------------------------
def test_presets_fill_in_and_bad_fields_are_named() -> None:
    google = validate(IdentityProvider("google", ProviderType.GOOGLE, "", client_id="c"))
    assert google.issuer == "https://accounts.google.com" and google.display_name == "Google"
    assert google.scopes == ("openid", "email", "profile")
    github = validate(IdentityProvider("gh", ProviderType.GITHUB, "", client_id="c"))
    assert github.token_endpoint == "https://github.com/login/oauth/access_token" and not github.is_oidc
    assert github.mapping()["picture"] == "avatar_url"
    entra = validate(IdentityProvider("ms", ProviderType.MICROSOFT, "", client_id="c"))
    assert entra.multi_tenant_issuer
    single = validate(replace(entra, issuer=f"https://login.microsoftonline.com/{TID}/v2.0"))
    assert not single.multi_tenant_issuer
    base = IdentityProvider("corp", ProviderType.OIDC, "Corp", issuer="https://idp.example", client_id="c")
    for change, field in (({"provider_id": "A"}, "provider_id"), ({"issuer": "http://idp.example"}, "issuer"),
                          ({"issuer": ""}, "issuer"), ({"client_id": ""}, "client_id"),
                          ({"scopes": ("email",)}, "scopes"), ({"claim_mapping": {"user_id": "sub"}}, "claim_mapping"),
                          ({"allowed_email_domains": ("*.example.com",)}, "allowed_email_domains"),
                          ({"client_auth_method": "none"}, "client_auth_method"),
                          ({"client_auth_method": "private_key_jwt"}, "key_id"), ({"display_name": "x" * 61},
                                                                                  "display_name")):
        with pytest.raises(InvalidArgument) as caught:
            validate(replace(base, **change))
        assert caught.value.details["field"] == field, change
    assert validate(replace(base, issuer="http://127.0.0.1:9/x"), allow_http=True).issuer == "http://127.0.0.1:9/x"
    # GitHub's endpoints can point elsewhere (GitHub Enterprise Server, the e2e tests' stand-in
    # on loopback), but only development stacks (BINOAUTH_OUTBOUND_ALLOW_PRIVATE) take http.
    local = replace(github, token_endpoint="http://127.0.0.1:9/login/oauth/access_token")
    with pytest.raises(InvalidArgument) as plain:
        validate(local)
    assert plain.value.details["field"] == "token_endpoint"
    assert validate(local, allow_http=True).token_endpoint == local.token_endpoint
    apple = IdentityProvider("apple", ProviderType.APPLE, "", client_id="svc", key_id="K")
    with pytest.raises(InvalidArgument, match="team_id"):
        validate(apple)


# --- claims and linking -----------------------------------------------------------------------
def test_claim_mapping() -> None:
    account = rules.map_claims({"sub": "s", "mail": "Ada@Example.COM", "mail_ok": "true", "display": " Ada ",
                                "picture": "http://insecure.example/p.png", "amr": ["pwd", "mfa"]},
                               {"email": "mail", "email_verified": "mail_ok", "name": "display"})
    assert account.email == "Ada@example.com" and account.email_verified and account.profile == {"name": "Ada"}
    assert account.did_mfa
    assert rules.map_claims({"sub": 42, "email": "x@y.example", "email_verified": "yes"}, {}).subject == "42"
    assert not rules.map_claims({"sub": "s", "email": "x@y.example", "email_verified": "yes"}, {}).email_verified
    assert not rules.map_claims({"sub": "s", "email": "not-an-email", "email_verified": True}, {}).email_verified
    for bad in ({}, {"sub": ""}, {"sub": True}, {"sub": "x" * 300}):
        with pytest.raises(ValueError, match="subject"):
            rules.map_claims(bad, {})
    assert not rules.ExternalAccount("s", amr=("pwd",)).did_mfa
    assert rules.ExternalAccount("s", amr=("pwd", "otp")).did_mfa


def test_email_domains_and_linking_rules() -> None:
    verified = rules.ExternalAccount("s", "ada@corp.example", True)
    unverified = replace(verified, email_verified=False)
    assert rules.email_domain_allowed(unverified, ())
    assert rules.email_domain_allowed(verified, ("corp.example",))
    assert not rules.email_domain_allowed(unverified, ("corp.example",))
    assert not rules.email_domain_allowed(replace(verified, email="ada@evil.example"), ("corp.example",))
    R = rules.Resolution
    # A linked identity wins, whatever the email says; nobody is found by email alone.
    assert rules.resolve("usr_1", "usr_2", unverified, False) is R.SIGN_IN
    assert rules.resolve(None, None, unverified, False) is R.CREATE
    assert rules.resolve(None, "usr_2", verified, True) is R.LINK
    assert rules.resolve(None, "usr_2", verified, False) is R.REFUSE_EXISTING
    assert rules.resolve(None, "usr_2", unverified, True) is R.REFUSE_EXISTING
    mfa = rules.ExternalAccount("s", amr=("pwd", "mfa"))
    assert rules.session_amr(mfa, True) == (["fed", "mfa"], True)
    assert rules.session_amr(mfa, False) == (["fed"], False)
    assert rules.session_amr(rules.ExternalAccount("s"), True) == (["fed"], False)


# --- ID tokens -----------------------------------------------------------------------------------
def test_a_valid_id_token() -> None:
    claims = validate_id_token(id_token(), KEYS, EXPECT, NOW)
    assert claims["sub"] == "u-1"
    assert validate_id_token(id_token(aud=["client-1", "other"], azp="client-1"), KEYS, EXPECT, NOW)


@pytest.mark.parametrize(("token", "why"), [
    (id_token(aud="client-2"), "Audience"),
    (id_token(iss="https://evil.example"), "issuer"),
    (id_token(exp=int(NOW) - 600), "Expired"),
    (id_token(iat=int(NOW) + 3600, exp=int(NOW) + 7200), "not yet valid|future"),
    (id_token(nonce="n-2"), "nonce"),
    (id_token(nonce=None), "nonce"),
    (id_token(azp="client-2"), "azp"),
    (id_token(aud=["client-1", "other"]), "several audiences"),
    (id_token(sub=None), "sub"),
    (jwt.encode({"iss": "https://idp.example", "sub": "u", "aud": "client-1", "exp": int(NOW) + 60,
                 "iat": int(NOW), "nonce": "n-1"}, None, algorithm="none"), "algorithm"),
    (id_token(key=EC, alg="ES256"), "algorithm"),  # the provider only uses RS256
    ("not.a.jwt", "malformed"),
])
def test_id_tokens_refused(token: str, why: str) -> None:
    expect = replace(EXPECT, algorithms=algorithms_for(["RS256"]))
    with pytest.raises(InvalidIdToken, match=why):
        validate_id_token(token, KEYS, expect, NOW)


def test_hmac_with_the_public_key_and_unknown_keys() -> None:
    public_pem = RSA.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    forged = jwt.encode({"iss": "https://idp.example", "sub": "u", "aud": "client-1", "exp": int(NOW) + 60,
                         "iat": int(NOW), "nonce": "n-1"}, public_pem.decode()[:40], algorithm="HS256")
    with pytest.raises(InvalidIdToken, match="algorithm"):
        validate_id_token(forged, KEYS, EXPECT, NOW)
    with pytest.raises(UnknownKey):
        validate_id_token(id_token(kid="k2", key=RSA_2), KEYS, EXPECT, NOW)
    with pytest.raises(UnknownKey):  # right kid, another key: the set may have been replaced
        validate_id_token(id_token(key=RSA_2), KEYS, EXPECT, NOW)


def test_entra_multi_tenant_issuer() -> None:
    template = "https://login.microsoftonline.com/{tenantid}/v2.0"
    expect = replace(EXPECT, issuer=template)
    good = id_token(iss=f"https://login.microsoftonline.com/{TID}/v2.0", tid=TID)
    assert validate_id_token(good, KEYS, expect, NOW)["tid"] == TID
    other = "72f988bf-86f1-41af-91ab-2d7cd011db47"
    for token in (id_token(iss=f"https://login.microsoftonline.com/{TID}/v2.0", tid=other),
                  id_token(iss="https://login.microsoftonline.com/common/v2.0", tid="common"),
                  id_token(iss=f"https://login.microsoftonline.com/{TID}/v2.0"),
                  id_token(iss="https://evil.example/x/v2.0", tid="x")):
        with pytest.raises(InvalidIdToken):
            validate_id_token(token, KEYS, expect, NOW)
    assert expected_issuer("https://idp.example", {}) == "https://idp.example"


# --- HTTP caching and key rotation ----------------------------------------------------------------
def test_cache_lifetime_follows_the_headers() -> None:
    assert cache_lifetime({"cache-control": "public, max-age=3600"}) == 3600
    assert cache_lifetime({"cache-control": "max-age=999999"}) == 86400
    assert cache_lifetime({"cache-control": "no-store"}) == 30
    assert cache_lifetime({}) == 300
    assert cache_lifetime({"expires": "Thu, 01 Jan 2026 01:00:00 GMT", "date": "Thu, 01 Jan 2026 00:00:00 GMT"}) == 3600
    assert cache_lifetime({"cache-control": "max-age=abc"}) == 30


class FakeUpstream:
    """The outbound client's port (HttpUpstream's sender): routes requests to handlers."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Any] = {}
        self.calls: list[tuple[str, str, bytes | None, dict[str, str]]] = []

    def on(self, method: str, url: str, body: Any, status: int = 200, headers: dict[str, str] | None = None) -> None:
        self.routes[(method, url)] = (status, body, headers or {})

    async def __call__(self, method: str, url: str, body: bytes | None, headers: dict[str, str]) -> OutboundResponse:
        self.calls.append((method, url, body, headers))
        if (method, url) not in self.routes:
            raise OutboundRefused("connection refused")
        status, answer, extra = self.routes[(method, url)]
        data = answer(body, headers) if callable(answer) else answer
        return OutboundResponse(status, extra, data if isinstance(data, bytes) else json.dumps(data).encode())

    def count(self, url: str) -> int:
        return sum(1 for c in self.calls if c[1] == url)


async def test_discovery_and_jwks_are_cached_and_refetched_on_rotation() -> None:
    fake = FakeUpstream()
    clock = [1000.0]
    upstream = HttpUpstream(OutboundPolicy(), fake, clock=lambda: clock[0])
    doc_url = "https://idp.example/.well-known/openid-configuration"
    fake.on("GET", doc_url, {"issuer": "https://idp.example"}, headers={"cache-control": "max-age=60"})
    fake.on("GET", "https://idp.example/jwks", KEYS, headers={"cache-control": "max-age=3600"})
    for _ in range(3):
        assert (await upstream.discovery("https://idp.example"))["issuer"] == "https://idp.example"
    assert fake.count(doc_url) == 1
    clock[0] += 61
    await upstream.discovery("https://idp.example")
    assert fake.count(doc_url) == 2
    await upstream.jwks("https://idp.example/jwks")
    await upstream.jwks("https://idp.example/jwks", refresh=True)  # just fetched: not again
    assert fake.count("https://idp.example/jwks") == 1
    clock[0] += 11
    await upstream.jwks("https://idp.example/jwks", refresh=True)
    assert fake.count("https://idp.example/jwks") == 2
    fake.on("GET", "https://idp.example/jwks", {"error": "x"}, status=500)
    clock[0] += 4000  # expired, and the provider has a bad moment: the last good copy serves
    assert await upstream.jwks("https://idp.example/jwks") == KEYS


# --- flows ----------------------------------------------------------------------------------------
def test_pkce_and_the_browser_binding() -> None:
    # RFC 7636 appendix B.
    assert s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    value = "b" * 43
    flow = Flow("corp", binding_hash(value), "n", "v", "/account", NOW, "https://x/cb")
    assert bound_to(flow, value) and not bound_to(flow, "c" * 43) and not bound_to(flow, "")
    cookie = binding_cookie(value, "/tenant/t1/federation/", True, False)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=600" in cookie and "Secure" in cookie
    assert "SameSite=None" in binding_cookie(value, "/", True, True)
    assert "SameSite=Lax" in binding_cookie(value, "/", False, True)  # None without Secure is dropped
    assert binding_from_cookies(f"a=1; binoauth_federation={value}") == value
    assert binding_from_cookies("binoauth_federation=short") == ""


def test_apple_client_secret() -> None:
    pem = EC_PEM
    now = datetime.now(UTC)
    secret = apple_client_secret(pem, "KEY123", "TEAM42", "com.example.web", now)
    assert jwt.get_unverified_header(secret) == {"alg": "ES256", "kid": "KEY123", "typ": "JWT"}
    claims = jwt.decode(secret, EC.public_key(), algorithms=["ES256"], audience=APPLE_AUDIENCE)
    assert claims["iss"] == "TEAM42" and claims["sub"] == "com.example.web"
    assert 0 < claims["exp"] - claims["iat"] <= 3600


def test_private_key_jwt_client_assertion() -> None:
    rsa_pem = RSA.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    for pem, key, alg in ((rsa_pem, RSA, "RS256"), (EC_PEM, EC, "ES256")):
        token = client_assertion(pem, "kid-1", "client-1", "https://idp.example/token", datetime.now(UTC))
        assert jwt.get_unverified_header(token)["alg"] == alg
        claims = jwt.decode(token, key.public_key(), algorithms=[alg], audience="https://idp.example/token")
        assert claims["iss"] == claims["sub"] == "client-1" and len(claims["jti"]) >= 16
    with pytest.raises(InvalidArgument):
        client_assertion("not a key", "k", "c", "https://x", datetime.now(UTC))


# --- the use case with each preset, against fake upstreams ----------------------------------------
TENANT = Tenant("t1", "Acme", "https://id.example/tenant/t1", {})
KEK = Secret("k" * 40)


class Store:
    def __init__(self, provider: IdentityProvider) -> None:
        self.provider_row = provider
        self.links: dict[tuple[str, str], str] = {}
        self.created: list[User] = []
        self.users = Users()

    async def provider(self, tenant_id: str, provider_id: str) -> IdentityProvider | None:
        return self.provider_row if provider_id == self.provider_row.provider_id else None

    async def linked_user(self, tenant_id: str, provider_id: str, subject: str) -> str | None:
        return self.links.get((provider_id, subject))

    async def link(self, tenant_id: str, user_id: str, provider_id: str, subject: str, email: str, now: Any) -> bool:
        self.links[(provider_id, subject)] = user_id
        return True

    async def create_linked_user(self, tenant_id: str, user: User, provider_id: str, subject: str, now: Any) -> bool:
        self.created.append(user)
        self.users.users[user.user_id] = user
        self.links[(provider_id, subject)] = user.user_id
        return True

    async def touch(self, *args: Any) -> None:
        pass


class Users:
    def __init__(self, *users: User) -> None:
        self.users = {u.user_id: u for u in users}

    async def get(self, tenant_id: str, user_id: str) -> User | None:
        return self.users.get(user_id)

    async def by_email(self, tenant_id: str, email: str) -> tuple[User, str | None] | None:
        found = [u for u in self.users.values() if u.email.lower() == email.lower()]
        return (found[0], None) if found else None


class Auth:
    def __init__(self) -> None:
        self.amr: list[str] = []

    async def external_sign_in(self, tenant: Tenant, user: User, amr: list[str], satisfied: bool, ip: str,
                               agent: str) -> LoginResult:
        self.amr = amr
        return LoginResult(user=user, session=StartedSession("ses_1", "secret", 60))


class Flows:
    def __init__(self) -> None:
        self.flows: dict[str, Flow] = {}

    async def put(self, tenant_id: str, state: str, flow: Flow) -> None:
        self.flows[state] = flow

    async def take(self, tenant_id: str, state: str) -> Flow | None:
        return self.flows.pop(state, None)


class NoLockout:
    """The lockout port; `locked` holds the subjects (lower-cased emails) that are locked out."""

    def __init__(self) -> None:
        self.locked: set[str] = set()

    async def is_locked(self, tenant_id: str, subject: str) -> bool:
        return subject in self.locked


class Events:
    def __init__(self) -> None:
        self.recorded: list[tuple[str, dict[str, Any]]] = []

    async def record(self, tenant_id: str, event_type: Any, **details: Any) -> None:
        self.recorded.append((str(event_type), details))


class Harness:
    def __init__(self, provider: IdentityProvider, *users: User, client_secret: str = "s3cret",  # noqa: S107
                 private_key: str = "") -> None:
        self.fake = FakeUpstream()
        self.box = SecretBox(KEK, "identity-providers")
        provider = validate(provider)
        self.store = Store(provider)
        self.store.users = Users(*users)
        self.auth = Auth()
        self.events = Events()
        self.flows = Flows()
        self.lockout = NoLockout()
        self.cases = FederationUseCases(self.store, self.store.users, self.auth, self.flows,  # type: ignore[arg-type]
                                        HttpUpstream(OutboundPolicy(), self.fake), self.box, self.lockout,
                                        # The tokens above are issued at NOW (import time); the unit
                                        # tier may run many minutes later, so the use cases' clock is NOW.
                                        self.events, wall=lambda: NOW)
        self.store.provider_row = self.cases._seal(TENANT, provider, client_secret, private_key)
        self.store.provider_row = replace(self.store.provider_row, enabled=True)

    def discovery(self, issuer: str, doc_issuer: str = "", iss_param: bool = False) -> None:
        self.fake.on("GET", issuer + "/.well-known/openid-configuration", {
            "issuer": doc_issuer or issuer, "authorization_endpoint": issuer + "/authorize",
            "token_endpoint": issuer + "/token", "jwks_uri": issuer + "/keys",
            "userinfo_endpoint": issuer + "/userinfo", "id_token_signing_alg_values_supported": ["RS256"],
            "authorization_response_iss_parameter_supported": iss_param})
        self.fake.on("GET", issuer + "/keys", KEYS)

    async def start(self) -> tuple[str, dict[str, list[str]]]:
        url, _ = await self.cases.start(TENANT, self.store.provider_row.provider_id, "/account", "b" * 43)
        return url, parse_qs(urlsplit(url).query)

    async def finish(self, state: str, **answer: str) -> tuple[LoginResult, str]:
        return await self.cases.finish(TENANT, self.store.provider_row.provider_id, {"state": state, **answer},
                                       "b" * 43, "127.0.0.1", "test")


async def _round_trip(h: Harness, issuer: str, claims: dict[str, Any], **answer: str) -> tuple[LoginResult, str]:
    _, query = await h.start()
    nonce = query.get("nonce", [""])[0]
    h.fake.on("POST", issuer + "/token", {"access_token": "at", "token_type": "Bearer",
                                          "id_token": id_token(**{"iss": issuer, "nonce": nonce, **claims})})
    return await h.finish(query["state"][0], code="c-1", **answer)


async def test_google_preset_creates_the_user_and_a_returning_one_is_found_by_subject() -> None:
    h = Harness(IdentityProvider("google", ProviderType.GOOGLE, "", client_id="client-1"))
    issuer = "https://accounts.google.com"
    h.discovery(issuer)
    url, query = await h.start()
    assert url.startswith(issuer + "/authorize?") and query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"] == ["https://id.example/tenant/t1/federation/google/callback"]
    assert "response_mode" not in query
    # Google's tokens may name the issuer without its scheme.
    h.fake.on("POST", issuer + "/token", {"id_token": id_token(iss="accounts.google.com", nonce=query["nonce"][0],
                                                               name="Ada")})
    result, return_to = await h.finish(query["state"][0], code="c-1")
    assert return_to == "/account" and result.user is not None and result.user.email == "ada@example.com"
    assert result.user.email_verified and result.user.profile.name == "Ada" and h.auth.amr == ["fed"]
    token_call = next(c for c in h.fake.calls if c[0] == "POST")
    form = parse_qs(token_call[2].decode())  # type: ignore[union-attr]
    assert form["code_verifier"] and form["redirect_uri"] == query["redirect_uri"]
    assert token_call[3]["Authorization"].startswith("Basic ") and "client_secret" not in form
    # The state is spent; the same answer again is refused.
    with pytest.raises(FederationFailed) as again:
        await h.finish(query["state"][0], code="c-1")
    assert again.value.reason == "invalid_state"
    # A flow older than 10 minutes is over, even if its record outlived it.
    _, late = await h.start()
    h.flows.flows[late["state"][0]] = replace(h.flows.flows[late["state"][0]], started_at=NOW - 601)
    with pytest.raises(FederationFailed) as expired:
        await h.finish(late["state"][0], code="c-1")
    assert expired.value.reason == "invalid_state"
    # A second sign-in with a new email at Google still finds the same user by subject.
    second, _ = await _round_trip(h, issuer, {"email": "new@example.com"})
    assert second.user is not None and second.user.user_id == result.user.user_id and len(h.store.created) == 1


async def test_nonce_mismatch_alg_none_and_rotated_keys() -> None:
    issuer = "https://idp.example"
    h = Harness(IdentityProvider("corp", ProviderType.OIDC, "Corp", issuer=issuer, client_id="client-1"))
    h.discovery(issuer)
    with pytest.raises(FederationFailed) as caught:
        await _round_trip(h, issuer, {"nonce": "someone-elses"})
    assert caught.value.reason == "invalid_token"
    _, query = await h.start()
    unsigned = jwt.encode({"iss": issuer, "sub": "u", "aud": "client-1", "exp": int(NOW) + 60, "iat": int(NOW),
                           "nonce": query["nonce"][0]}, None, algorithm="none")
    h.fake.on("POST", issuer + "/token", {"id_token": unsigned})
    with pytest.raises(FederationFailed, match="algorithm"):
        await h.finish(query["state"][0], code="c")
    # The provider rotated to a key the cached set does not hold: one refetch finds it.
    h.fake.on("GET", issuer + "/keys", {"keys": [jwk(RSA, "k1"), jwk(RSA_2, "k2")]})
    _, query = await h.start()
    h.fake.on("POST", issuer + "/token", {"id_token": id_token(key=RSA_2, kid="k2", nonce=query["nonce"][0])})
    h.cases._upstream._cache[issuer + "/keys"].fetched -= 60  # type: ignore[attr-defined]
    result, _ = await h.finish(query["state"][0], code="c")
    assert result.user is not None


async def test_upstream_errors_become_reasons() -> None:
    issuer = "https://idp.example"
    h = Harness(IdentityProvider("corp", ProviderType.OIDC, "Corp", issuer=issuer, client_id="client-1"))
    h.discovery(issuer, iss_param=True)
    _, query = await h.start()
    with pytest.raises(FederationFailed) as mixed:
        await h.finish(query["state"][0], code="c", iss="https://other.example")
    assert mixed.value.reason == "mix_up"
    _, query = await h.start()
    h.fake.on("POST", issuer + "/token", b"<html>oops</html>", status=500)
    with pytest.raises(FederationFailed) as down:
        await h.finish(query["state"][0], code="c", iss=issuer)
    assert down.value.reason == "provider_unreachable"
    _, query = await h.start()
    with pytest.raises(FederationFailed) as denied:
        await h.finish(query["state"][0], error="access_denied", iss=issuer)
    assert denied.value.reason == "access_denied"
    assert [e for e, _ in h.events.recorded].count("LOGIN_FAILED") == 3
    # A discovery document naming another issuer is not used (OpenID Connect Discovery 4.3).
    h2 = Harness(IdentityProvider("corp", ProviderType.OIDC, "Corp", issuer=issuer, client_id="client-1"))
    h2.discovery(issuer, doc_issuer="https://evil.example")
    with pytest.raises(FederationFailed) as wrong:
        await h2.start()
    assert wrong.value.reason == "provider_error"


async def test_an_unverified_email_never_links_to_an_existing_account() -> None:
    issuer = "https://idp.example"
    now = datetime.now(UTC)
    existing = User("usr_existing", "ada@example.com", True, "", False, Profile(), {}, UserState.ACTIVE, False, now,
                    now)
    h = Harness(IdentityProvider("corp", ProviderType.OIDC, "Corp", issuer=issuer, client_id="client-1",
                                 link_by_verified_email=True), existing)
    h.discovery(issuer)
    with pytest.raises(FederationFailed) as refused:
        await _round_trip(h, issuer, {"email_verified": False})
    assert refused.value.reason == "account_exists" and not h.store.links
    result, _ = await _round_trip(h, issuer, {})
    assert result.user is not None and result.user.user_id == "usr_existing"


async def test_a_locked_out_user_cannot_sign_in_through_a_provider() -> None:
    """Issue 12: a sign-in through a provider respects lockout, like a password sign-in."""
    issuer = "https://idp.example"
    h = Harness(IdentityProvider("corp", ProviderType.OIDC, "Corp", issuer=issuer, client_id="client-1"))
    h.discovery(issuer)
    first, _ = await _round_trip(h, issuer, {})  # the user is created just in time
    assert first.user is not None
    h.lockout.locked.add(lockout_subject(first.user.email))
    h.auth.amr = []
    with pytest.raises(FederationFailed) as refused:
        await _round_trip(h, issuer, {})
    assert refused.value.reason == "account_unavailable" and h.auth.amr == []  # no session started


async def test_microsoft_common_checks_each_token_against_its_tenant() -> None:
    h = Harness(IdentityProvider("ms", ProviderType.MICROSOFT, "", client_id="client-1"))
    common = "https://login.microsoftonline.com/common/v2.0"
    template = "https://login.microsoftonline.com/{tenantid}/v2.0"
    h.discovery(common, doc_issuer=template)
    result, _ = await _round_trip(h, common, {"iss": f"https://login.microsoftonline.com/{TID}/v2.0", "tid": TID})
    assert result.user is not None
    with pytest.raises(FederationFailed) as other:
        await _round_trip(h, common, {"iss": f"https://login.microsoftonline.com/{TID}/v2.0",
                                      "tid": "72f988bf-86f1-41af-91ab-2d7cd011db47"})
    assert other.value.reason == "invalid_token"


async def test_apple_posts_its_answer_and_gets_a_signed_client_secret() -> None:
    pem = EC_PEM
    h = Harness(IdentityProvider("apple", ProviderType.APPLE, "", client_id="client-1", key_id="KEY1",
                                 team_id="TEAM1"), client_secret="", private_key=pem)
    issuer = "https://appleid.apple.com"
    h.discovery(issuer)
    _, query = await h.start()
    assert query["response_mode"] == ["form_post"] and query["scope"] == ["openid email name"]
    h.fake.on("POST", issuer + "/token", {"id_token": id_token(iss=issuer, nonce=query["nonce"][0],
                                                               email_verified="true")})
    user_field = json.dumps({"name": {"firstName": "Ada", "lastName": "Lovelace"}})
    result, _ = await h.finish(query["state"][0], code="c", user=user_field)
    assert result.user is not None and result.user.profile.name == "Ada Lovelace" and result.user.email_verified
    form = parse_qs(next(c for c in h.fake.calls if c[0] == "POST")[2].decode())  # type: ignore[union-attr]
    secret = jwt.decode(form["client_secret"][0], EC.public_key(), algorithms=["ES256"], audience=APPLE_AUDIENCE)
    assert secret["iss"] == "TEAM1" and secret["sub"] == "client-1"


async def test_github_uses_the_verified_primary_email_only() -> None:
    h = Harness(IdentityProvider("gh", ProviderType.GITHUB, "", client_id="client-1"))
    url, query = await h.start()
    assert url.startswith("https://github.com/login/oauth/authorize?") and "nonce" not in query
    assert query["scope"] == ["read:user user:email"]
    h.fake.on("POST", "https://github.com/login/oauth/access_token", {"access_token": "gho_x", "token_type": "bearer"})
    h.fake.on("GET", "https://api.github.com/user", {"id": 1234, "login": "ada", "name": "Ada",
                                                     "email": "public@example.com",
                                                     "avatar_url": "https://avatars.example/u/1"})
    h.fake.on("GET", "https://api.github.com/user/emails", [
        {"email": "old@example.com", "primary": False, "verified": True},
        {"email": "ada@example.com", "primary": True, "verified": True}])
    result, _ = await h.finish(query["state"][0], code="c")
    assert result.user is not None and result.user.email == "ada@example.com" and result.user.email_verified
    assert result.user.profile.picture == "https://avatars.example/u/1"
    assert h.store.links == {("gh", "1234"): result.user.user_id}
    assert all(c[3].get("Authorization") == "Bearer gho_x" for c in h.fake.calls if c[0] == "GET")
    # GitHub documents client_id and client_secret as parameters of the token request: the
    # preset sends them so unless the administrator chose otherwise.
    token_call = next(c for c in h.fake.calls if c[0] == "POST")
    form = parse_qs(token_call[2].decode())  # type: ignore[union-attr]
    assert form["client_id"] == ["client-1"] and form["client_secret"] == ["s3cret"]
    assert "Authorization" not in token_call[3] and h.store.provider_row.client_auth_method == "client_secret_post"
    assert validate(IdentityProvider("gh", ProviderType.GITHUB, "", client_id="c",
                                     client_auth_method="client_secret_basic")).client_auth_method == \
        "client_secret_basic"
    # A GitHub account whose primary email is unverified cannot create a user.
    h2 = Harness(IdentityProvider("gh", ProviderType.GITHUB, "", client_id="client-1"))
    _, query = await h2.start()
    h2.fake.routes = dict(h.fake.routes)
    h2.fake.on("GET", "https://api.github.com/user", {"id": 99, "login": "eve", "email": "ada@example.com"})
    h2.fake.on("GET", "https://api.github.com/user/emails", [
        {"email": "ada@example.com", "primary": True, "verified": False}])
    with pytest.raises(FederationFailed) as caught:
        await h2.finish(query["state"][0], code="c")
    assert caught.value.reason == "no_email"


async def test_connecting_needs_the_same_signed_in_user_and_a_free_identity() -> None:
    issuer = "https://idp.example"
    now = datetime.now(UTC)
    ada = User("usr_ada", "ada@example.com", True, "", False, Profile(), {}, UserState.ACTIVE, False, now, now)
    h = Harness(IdentityProvider("corp", ProviderType.OIDC, "Corp", issuer=issuer, client_id="client-1"), ada)
    h.discovery(issuer)

    async def connect(current: str, **claims: Any) -> LoginResult:
        url, _ = await h.cases.start(TENANT, "corp", "/account", "b" * 43, link_user_id="usr_ada")
        query = parse_qs(urlsplit(url).query)
        assert query["prompt"] == ["login"]
        h.fake.on("POST", issuer + "/token", {"id_token": id_token(iss=issuer, nonce=query["nonce"][0], **claims)})
        result, _ = await h.cases.finish(TENANT, "corp", {"state": query["state"][0], "code": "c"}, "b" * 43,
                                         "127.0.0.1", "test", current)
        return result

    with pytest.raises(FederationFailed) as signed_out:
        await connect("")  # the session that asked is gone
    assert signed_out.value.reason == "invalid_state"
    result = await connect("usr_ada", email="someone-else@example.com", email_verified=False)
    assert result.session is None and result.user is not None and h.store.links == {("corp", "u-1"): "usr_ada"}
    h.store.links[("corp", "u-2")] = "usr_other"
    with pytest.raises(FederationFailed) as taken:
        await connect("usr_ada", sub="u-2")
    assert taken.value.reason == "already_linked"


async def test_a_secret_sealed_under_another_key_is_a_provider_error_not_a_crash() -> None:
    issuer = "https://idp.example"
    h = Harness(IdentityProvider("corp", ProviderType.OIDC, "Corp", issuer=issuer, client_id="client-1"))
    h.discovery(issuer)
    other_box = SecretBox(Secret("o" * 40), "identity-providers")
    h.store.provider_row = replace(h.store.provider_row,
                                   sealed_client_secret=other_box.seal(b"s", "t1:corp:client_secret"))
    _, query = await h.start()
    with pytest.raises(FederationFailed) as caught:
        await h.finish(query["state"][0], code="c")
    assert caught.value.reason == "provider_error" and not any(c[0] == "POST" for c in h.fake.calls)


def test_the_application_requests_hints_for_the_provider() -> None:
    assert hints_of("/oauth2/authorize?client_id=c&login_hint=ada%40example.com&max_age=300") == \
        StartHints("ada@example.com", False, 300)
    assert hints_of("/oauth2/authorize?prompt=login") == StartHints("", True, None)
    assert hints_of("/oauth2/authorize?max_age=0") == StartHints("", True, 0)
    # return_to comes from the browser: a max_age that is not a plain number is not sent on.
    for junk in ("-1", "1e3", "\u0661", "9" * 5000, "999999999"):
        assert hints_of(f"/oauth2/authorize?max_age={junk}").max_age is None, junk
    assert hints_of("/account?max_age=5&login_hint=x") == StartHints()


async def test_max_age_goes_to_the_provider_and_its_auth_time_must_meet_it() -> None:
    issuer = "https://idp.example"
    h = Harness(IdentityProvider("corp", ProviderType.OIDC, "Corp", issuer=issuer, client_id="client-1"))
    h.discovery(issuer)

    async def sign_in(max_age: int | None, **claims: Any) -> LoginResult:
        url, _ = await h.cases.start(TENANT, "corp", "/oauth2/authorize", "b" * 43, StartHints("", False, max_age))
        query = parse_qs(urlsplit(url).query)
        assert query.get("max_age") == ([str(max_age)] if max_age is not None else None)
        h.fake.on("POST", issuer + "/token", {"id_token": id_token(iss=issuer, nonce=query["nonce"][0], **claims)})
        result, _ = await h.finish(query["state"][0], code="c")
        return result

    assert (await sign_in(300, auth_time=int(NOW) - 200)).user is not None
    assert (await sign_in(None)).user is not None  # nothing asked, nothing checked
    # The person authenticated at the provider longer ago than the application allows, or the
    # provider does not say when: not this sign-in.
    for claims in ({"auth_time": int(NOW) - 3600}, {}, {"auth_time": "yesterday"}):
        with pytest.raises(FederationFailed) as stale:
            await sign_in(300, **claims)
        assert stale.value.reason == "invalid_token", claims
