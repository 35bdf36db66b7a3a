"""private_key_jwt: registering public keys and verifying client assertions (RFC 7523)."""

from __future__ import annotations

import base64
import json
import time
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

from services.common.errors import InvalidArgument
from services.token.applications.client_keys import clean_jwks
from services.token.applications.model import Application, ClientType, validated
from services.token.oauth.client_assertions import (
    CLIENT_ASSERTION_TYPE,
    AssertionRejected,
    ClientAssertions,
)
from services.token.oauth.client_key_sets import KeySetUnavailable, keys_of
from services.token.oauth.errors import OAuthError
from services.token.oauth.forms import client_credentials

pytestmark = pytest.mark.unit

ISSUER = "https://auth.example.com/tenant/acme"
CLIENT = "app_" + "a" * 24
EC_KEY = ec.generate_private_key(ec.SECP256R1())
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ED_KEY = ed25519.Ed25519PrivateKey.generate()


def public_jwk(private: Any, kid: str) -> dict[str, Any]:
    if isinstance(private, ec.EllipticCurvePrivateKey):
        jwk = json.loads(ECAlgorithm.to_jwk(private.public_key()))
    elif isinstance(private, rsa.RSAPrivateKey):
        jwk = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
    else:
        jwk = json.loads(OKPAlgorithm.to_jwk(private.public_key()))
    return {**jwk, "kid": kid}


def client(*keys: dict[str, Any]) -> Application:
    return Application(CLIENT, "Backend", ClientType.CONFIDENTIAL, grant_types=("client_credentials",),
                       token_endpoint_auth_method="private_key_jwt", jwks=keys,
                       update_time=datetime(2026, 11, 1, tzinfo=UTC))


class FromNow(int):
    """A time claim `int(self)` seconds from when the assertion is made (not when the test
    module is collected: a long suite can run it many minutes later)."""


def assertion(key: Any = EC_KEY, alg: str = "ES256", kid: str | None = "ec-1", **claims: Any) -> str:
    now = int(time.time())
    claims = {k: now + int(v) if isinstance(v, FromNow) else v for k, v in claims.items()}
    body = {"iss": CLIENT, "sub": CLIENT, "aud": f"{ISSUER}/oauth2/token", "exp": now + 60, "iat": now,
            "jti": f"jti-{time.monotonic_ns()}", **claims}
    body = {k: v for k, v in body.items() if v is not None}
    return jwt.encode(body, key, algorithm=alg, headers={"kid": kid} if kid else None)


class MemoryReplay:
    def __init__(self) -> None:
        self.seen: dict[tuple[str, str, str], int] = {}

    async def first_use(self, tenant_id: str, client_id: str, jti_hash: str, ttl_seconds: int) -> bool:
        key = (tenant_id, client_id, jti_hash)
        if key in self.seen:
            return False
        self.seen[key] = ttl_seconds
        return True


AUDIENCES = {ISSUER, f"{ISSUER}/oauth2/token"}


class PublishedKeys:
    """A KeySets fake: what each URL publishes now; like the real one, it answers from what it
    fetched before unless asked to refresh."""

    def __init__(self, **published: list[dict[str, Any]]) -> None:
        self.published = published
        self.fetched: dict[str, dict[str, Any]] = {}
        self.fetches: list[tuple[str, bool]] = []

    async def keys(self, url: str, *, refresh: bool = False) -> dict[str, Any]:
        self.fetches.append((url, refresh))
        if url not in self.published:
            raise KeySetUnavailable("the server answered 404")
        if refresh or url not in self.fetched:
            self.fetched[url] = keys_of({"keys": list(self.published[url])})
        return self.fetched[url]


async def verify(token: str, app: Application | None = None, replay: MemoryReplay | None = None,
                 key_sets: PublishedKeys | None = None) -> None:
    await ClientAssertions(replay or MemoryReplay(), key_sets or PublishedKeys()).verify(
        "acme", app or client(public_jwk(EC_KEY, "ec-1")), token, AUDIENCES)


# --- registration ------------------------------------------------------------------------

def test_public_keys_of_each_kind_register() -> None:
    keys = [public_jwk(EC_KEY, "ec-1"), public_jwk(RSA_KEY, "rsa-1"), public_jwk(ED_KEY, "ed-1")]
    assert [k["kid"] for k in clean_jwks(keys)] == ["ec-1", "rsa-1", "ed-1"]
    app = validated(client(*keys))
    assert len(app.jwks) == 3


@pytest.mark.parametrize(("jwk", "problem"), [
    ({**json.loads(ECAlgorithm.to_jwk(EC_KEY)), "kid": "k"}, "private key material"),
    ({**json.loads(RSAAlgorithm.to_jwk(RSA_KEY)), "kid": "k"}, "private key material"),
    ({"kty": "oct", "kid": "k", "k": "c2VjcmV0"}, "kty"),
    ({**public_jwk(EC_KEY, "k"), "kid": ""}, "kid"),
    ({key: v for key, v in public_jwk(EC_KEY, "k").items() if key != "kid"}, "kid"),
    ({**public_jwk(EC_KEY, "k"), "use": "enc"}, "use"),
    ({**public_jwk(EC_KEY, "k"), "alg": "RS256"}, "alg"),
    ({**public_jwk(EC_KEY, "k"), "x": "AAAA"}, "not a valid EC public key"),
    (public_jwk(ec.generate_private_key(ec.SECP384R1()), "k"), "P-256"),
    (public_jwk(rsa.generate_private_key(public_exponent=65537, key_size=1024), "k"), "2048"),  # noqa: S505
    ("not a key", "JSON object"),
])
def test_refused_keys_say_why(jwk: Any, problem: str) -> None:
    with pytest.raises(InvalidArgument, match=problem) as refused:
        clean_jwks([jwk])
    assert refused.value.reason == "INVALID_JWKS"


def test_key_ids_are_unique_and_the_set_is_bounded() -> None:
    with pytest.raises(InvalidArgument, match="used twice"):
        clean_jwks([public_jwk(EC_KEY, "same"), public_jwk(ED_KEY, "same")])
    with pytest.raises(InvalidArgument, match="at most 10"):
        clean_jwks([public_jwk(EC_KEY, f"k{n}") for n in range(11)])


# --- verification ------------------------------------------------------------------------

async def test_a_valid_assertion_authenticates_once() -> None:
    replay = MemoryReplay()
    token = assertion()
    await verify(token, replay=replay)
    with pytest.raises(AssertionRejected, match="replayed"):
        await verify(token, replay=replay)
    # Remembered until the assertion expires (60 s here, plus leeway), not forever.
    assert 60 <= next(iter(replay.seen.values())) <= 95


async def test_every_key_kind_and_the_issuer_as_audience() -> None:
    app = client(public_jwk(EC_KEY, "ec-1"), public_jwk(RSA_KEY, "rsa-1"), public_jwk(ED_KEY, "ed-1"))
    await verify(assertion(RSA_KEY, "RS256", "rsa-1"), app)
    await verify(assertion(RSA_KEY, "PS256", "rsa-1"), app)
    await verify(assertion(ED_KEY, "EdDSA", "ed-1"), app)
    await verify(assertion(aud=ISSUER), app)
    await verify(assertion(aud=["https://elsewhere.example", ISSUER]), app)


async def test_a_single_key_needs_no_kid_but_several_do() -> None:
    await verify(assertion(kid=None))
    two = client(public_jwk(EC_KEY, "ec-1"), public_jwk(ED_KEY, "ed-1"))
    with pytest.raises(AssertionRejected, match="kid"):
        await verify(assertion(kid=None), two)


@pytest.mark.parametrize(("token_args", "why"), [
    ({"key": ec.generate_private_key(ec.SECP256R1())}, "InvalidSignatureError"),
    ({"kid": "unknown"}, "kid"),
    ({"aud": "https://auth.example.com/tenant/other"}, "InvalidAudienceError"),
    ({"aud": None}, "MissingRequiredClaimError"),
    ({"jti": None}, "MissingRequiredClaimError"),
    ({"exp": None}, "MissingRequiredClaimError"),
    ({"exp": FromNow(-120)}, "ExpiredSignatureError"),
    ({"exp": FromNow(7200)}, "lifetime too long"),
    ({"iat": FromNow(600)}, "ImmatureSignatureError|future"),
    ({"nbf": FromNow(600)}, "ImmatureSignatureError"),
    ({"iss": "app_" + "b" * 24}, "iss and sub"),
    ({"sub": "app_" + "b" * 24}, "iss and sub"),
    ({"jti": ""}, "jti"),
    ({"key": RSA_KEY, "alg": "RS256", "kid": "ec-1"}, "does not match the key"),
])
async def test_bad_assertions_are_refused(token_args: dict[str, Any], why: str) -> None:
    with pytest.raises(AssertionRejected, match=why):
        await verify(assertion(**token_args))


async def test_unsigned_and_hmac_assertions_are_refused() -> None:
    claims = {"iss": CLIENT, "sub": CLIENT, "aud": ISSUER, "exp": int(time.time()) + 60, "jti": "x"}
    unsigned = jwt.encode(claims, None, algorithm="none")
    with pytest.raises(AssertionRejected, match="algorithm not allowed"):
        await verify(unsigned)
    # The classic confusion: the public key used as an HMAC secret.
    header = base64.urlsafe_b64encode(b'{"alg":"HS256","kid":"ec-1"}').rstrip(b"=").decode()
    forged = header + "." + unsigned.split(".")[1] + ".c2ln"
    with pytest.raises(AssertionRejected, match="algorithm not allowed"):
        await verify(forged)
    with pytest.raises(AssertionRejected, match="malformed token"):
        await verify("not.a.jwt")


# --- the request -------------------------------------------------------------------------

def test_an_assertion_names_its_client_and_excludes_other_methods() -> None:
    token = assertion()
    form = {"client_assertion_type": CLIENT_ASSERTION_TYPE, "client_assertion": token}
    found = client_credentials("", form)
    assert (found.client_id, found.secret, found.method) == (CLIENT, token, "private_key_jwt")
    assert client_credentials("", {**form, "client_id": CLIENT}).client_id == CLIENT
    for bad_form, authorization in [
        ({**form, "client_id": "app_" + "c" * 24}, ""),
        ({**form, "client_secret": "s"}, ""),
        (form, "Basic " + base64.b64encode(f"{CLIENT}:s".encode()).decode()),
        ({"client_assertion": token}, ""),
        ({**form, "client_assertion_type": "urn:other"}, ""),
        ({"client_assertion_type": CLIENT_ASSERTION_TYPE}, ""),
    ]:
        with pytest.raises(OAuthError) as refused:
            client_credentials(authorization, bad_form)
        assert refused.value.error == "invalid_request"


# --- keys by URL (jwks_uri) ----------------------------------------------------------------

URI = "https://backend.example.com/.well-known/jwks.json"


def uri_client() -> Application:
    return replace(client(), jwks=(), jwks_uri=URI)


async def test_keys_from_the_jwks_uri_and_a_refetch_for_a_new_kid() -> None:
    published = PublishedKeys(**{URI: [public_jwk(EC_KEY, "ec-1")]})
    await verify(assertion(), uri_client(), key_sets=published)
    assert published.fetches == [(URI, False)]
    # The client adds a key and signs with it at once: one refetch finds it.
    published.published[URI].append(public_jwk(ED_KEY, "ed-1"))
    await verify(assertion(ED_KEY, "EdDSA", "ed-1"), uri_client(), key_sets=published)
    assert published.fetches[1:] == [(URI, False), (URI, True)]
    with pytest.raises(AssertionRejected, match="kid"):
        await verify(assertion(kid="gone"), uri_client(), key_sets=published)


async def test_an_unreachable_jwks_uri_refuses_the_assertion() -> None:
    with pytest.raises(AssertionRejected, match="jwks_uri: the server answered 404"):
        await verify(assertion(), uri_client(), key_sets=PublishedKeys())


def test_a_jwks_uri_must_be_https_and_excludes_inline_keys() -> None:
    assert validated(uri_client()).jwks_uri == URI
    for uri, allow_http in [("http://backend.example.com/jwks", False), ("https://u:p@backend.example.com/j", True),
                            ("https://backend.example.com/j#x", True), ("backend.example.com/jwks", True),
                            ("ftp://backend.example.com/jwks", True)]:
        with pytest.raises(InvalidArgument) as refused:
            validated(replace(uri_client(), jwks_uri=uri), allow_http_jwks_uri=allow_http)
        assert refused.value.reason == "INVALID_JWKS_URI"
    assert validated(replace(uri_client(), jwks_uri="http://127.0.0.1:8000/jwks"),
                     allow_http_jwks_uri=True).jwks_uri.startswith("http://")
    with pytest.raises(InvalidArgument, match="not both"):
        validated(replace(uri_client(), jwks=(public_jwk(EC_KEY, "ec-1"),)))
    with pytest.raises(InvalidArgument, match="public client"):
        validated(replace(uri_client(), client_type=ClientType.PUBLIC, token_endpoint_auth_method="none",
                          grant_types=("authorization_code",), redirect_uris=("https://app.example.com/cb",)))
