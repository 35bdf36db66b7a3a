"""The Python SDK's resource-server verifier (python-sdk, binoauth_sdk.TokenVerifier): every
refusal the platform makes, with keys made here and the JWKS served by an httpx mock transport."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from binoauth_sdk import InsufficientScope, Introspection, InvalidToken, JwksCache, TokenVerifier

pytestmark = pytest.mark.unit

ISSUER = "https://auth.example.com/tenant/acme"
AUDIENCE = "https://api.example.com"


class Keys:
    """A tenant's signing keys and a JWKS endpoint that counts its fetches."""

    def __init__(self) -> None:
        self.private: dict[str, Any] = {}
        self.public: list[dict[str, Any]] = []
        self.fetches = 0
        self.introspection: dict[str, Any] = {"active": True}
        self.introspected: list[httpx.Request] = []

    def add(self, alg: str = "ES256") -> str:
        kid = uuid.uuid4().hex[:12]
        key: Any = ec.generate_private_key(ec.SECP256R1()) if alg == "ES256" else rsa.generate_private_key(
            public_exponent=65537, key_size=2048)
        self.private[kid] = key
        jwk = json.loads(jwt.algorithms.get_default_algorithms()[alg].to_jwk(key.public_key()))
        self.public.append({**jwk, "kid": kid, "alg": alg, "use": "sig"})
        return kid

    def handler(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/oauth2/introspect"):
            self.introspected.append(request)
            return httpx.Response(200, json=self.introspection)
        assert request.url.path == "/tenant/acme/.well-known/jwks.json"
        self.fetches += 1
        return httpx.Response(200, json={"keys": self.public}, headers={"Cache-Control": "max-age=300"})

    def sign(self, kid: str, alg: str = "ES256", headers: dict[str, Any] | None = None, **claims: Any) -> str:
        now = int(time.time())
        body = {"iss": ISSUER, "aud": AUDIENCE, "sub": "user-1", "client_id": "app-1", "scope": "reports:read",
                "iat": now, "exp": now + 300, "jti": uuid.uuid4().hex, **claims}
        return jwt.encode(body, self.private[kid], algorithm=alg, headers={"typ": "at+jwt", "kid": kid,
                                                                            **(headers or {})})


@pytest.fixture
def keys() -> Keys:
    return Keys()


def verifier(keys: Keys, **options: Any) -> TokenVerifier:
    cache = JwksCache(transport=httpx.MockTransport(keys.handler),
                      async_transport=httpx.MockTransport(keys.handler))
    return TokenVerifier(issuer=options.pop("issuer", ISSUER), audience=options.pop("audience", AUDIENCE),
                         jwks=cache, **options)


def refused(check: TokenVerifier, token: str, reason: str, **kwargs: Any) -> None:
    with pytest.raises(InvalidToken) as caught:
        check.verify(token, **kwargs)
    assert str(caught.value) == reason
    assert token not in str(caught.value)


def test_a_good_token_is_accepted_sync_and_async(keys: Keys) -> None:
    kid = keys.add("ES256")
    rsa_kid = keys.add("RS256")
    check = verifier(keys, scopes=["reports:read"])
    token = check.verify(keys.sign(kid))
    assert token.subject == "user-1" and token.client_id == "app-1" and token.scopes == {"reports:read"}
    assert check.verify(keys.sign(rsa_kid, "RS256")).claims["iss"] == ISSUER
    assert asyncio.run(check.averify(keys.sign(kid))).subject == "user-1"
    assert keys.fetches == 1  # cached


def test_forged_signature_is_refused(keys: Keys) -> None:
    kid = keys.add()
    genuine = keys.sign(kid)
    other = ec.generate_private_key(ec.SECP256R1())
    forged = jwt.encode(jwt.decode(genuine, options={"verify_signature": False}), other, algorithm="ES256",
                        headers={"typ": "at+jwt", "kid": kid})
    refused(verifier(keys), forged, "bad signature")
    # A changed claim under the genuine signature.
    head, _, sig = genuine.split(".")
    payload = jwt.utils.base64url_encode(json.dumps({**jwt.decode(genuine, options={"verify_signature": False}),
                                                     "scope": "admin"}).encode()).decode()
    refused(verifier(keys), f"{head}.{payload}.{sig}", "bad signature")


def test_expired_and_clock_skew(keys: Keys) -> None:
    kid = keys.add()
    now = int(time.time())
    refused(verifier(keys), keys.sign(kid, iat=now - 400, exp=now - 100), "token expired")
    # Within the leeway (default 30 s) a just-expired token still passes; leeway=0 refuses it.
    slightly = keys.sign(kid, iat=now - 310, exp=now - 10)
    assert verifier(keys).verify(slightly).subject == "user-1"
    refused(verifier(keys, leeway=0), slightly, "token expired")
    refused(verifier(keys), keys.sign(kid, nbf=now + 120), "token not valid yet")


def test_wrong_audience_and_wrong_issuer_or_tenant(keys: Keys) -> None:
    kid = keys.add()
    refused(verifier(keys), keys.sign(kid, aud="https://other.example.com"), "wrong audience")
    # A token of tenant "acme" presented to a resource server of tenant "globex": even with
    # the same keys served, the exact issuer decides.
    other_tenant = verifier(keys, issuer="https://auth.example.com/tenant/globex",
                            jwks_uri=f"{ISSUER}/.well-known/jwks.json")
    refused(other_tenant, keys.sign(kid), "wrong issuer")
    refused(verifier(keys), keys.sign(kid, iss="https://auth.example.com/tenant/acme-evil"), "wrong issuer")


def test_missing_scope_is_insufficient_scope(keys: Keys) -> None:
    kid = keys.add()
    check = verifier(keys, scopes=["reports:read"])
    with pytest.raises(InsufficientScope) as caught:
        check.verify(keys.sign(kid), scopes=["reports:write"])
    assert caught.value.missing == ["reports:write"]
    refused(verifier(keys, scopes=["admin"]), keys.sign(kid), "missing scope: admin")


def test_alg_none_and_hs256_confusion_are_refused(keys: Keys) -> None:
    kid = keys.add()
    claims = jwt.decode(keys.sign(kid), options={"verify_signature": False})
    unsigned = jwt.encode(claims, None, algorithm="none", headers={"typ": "at+jwt", "kid": kid})
    refused(verifier(keys), unsigned, "algorithm not allowed")
    # HS256 "signed" with the public key as the HMAC secret: the classic confusion attack.
    public_pem = keys.private[kid].public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    header = jwt.utils.base64url_encode(json.dumps({"alg": "HS256", "typ": "at+jwt", "kid": kid}).encode())
    payload = jwt.utils.base64url_encode(json.dumps(claims).encode())
    import hashlib
    import hmac

    signature = jwt.utils.base64url_encode(hmac.new(public_pem, header + b"." + payload, hashlib.sha256).digest())
    refused(verifier(keys), (header + b"." + payload + b"." + signature).decode(), "algorithm not allowed")
    # An allowed algorithm that does not match the key's own alg.
    rsa_kid = keys.add("RS256")
    keys.private[kid] = keys.private[rsa_kid]
    refused(verifier(keys), keys.sign(kid, "RS256"), "algorithm does not match the key")


def test_only_access_tokens_and_only_the_issuers_keys(keys: Keys) -> None:
    kid = keys.add()
    refused(verifier(keys), keys.sign(kid, headers={"typ": "JWT"}), "not an access token")
    # A jku / embedded jwk header pointing at the attacker's key is never followed.
    attacker = ec.generate_private_key(ec.SECP256R1())
    attacker_jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(attacker.public_key()))
    claims = jwt.decode(keys.sign(kid), options={"verify_signature": False})
    token = jwt.encode(claims, attacker, algorithm="ES256",
                       headers={"typ": "at+jwt", "kid": "attacker", "jwk": attacker_jwk, "jku": "https://evil/jwks"})
    refused(verifier(keys), token, "unknown key id")
    refused(verifier(keys), "not.a.jwt", "malformed token")
    refused(verifier(keys, algorithms=["RS256"]), keys.sign(kid), "algorithm not allowed")  # narrowed allow-list
    with pytest.raises(ValueError):
        verifier(keys, algorithms=["HS256"])  # never widened


def test_unknown_kid_refreshes_the_jwks_once_per_window(keys: Keys) -> None:
    first = keys.add()
    check = verifier(keys)
    check.verify(keys.sign(first))
    assert keys.fetches == 1
    rotated = keys.add()  # a key rotated in after the cache was filled
    check.jwks.min_refresh = 0
    assert check.verify(keys.sign(rotated)).subject == "user-1"
    assert keys.fetches == 2
    # A flood of made-up kids costs at most one fetch per min_refresh window.
    check.jwks.min_refresh = 60
    for _ in range(20):
        with pytest.raises(InvalidToken, match="unknown key id"):
            check.verify(jwt.encode({"sub": "x"}, keys.private[first], algorithm="ES256",
                                    headers={"typ": "at+jwt", "kid": uuid.uuid4().hex}))
    assert keys.fetches == 2  # the rotation fetch opened the window


def test_revocation_by_introspection(keys: Keys) -> None:
    kid = keys.add()
    check = verifier(keys, introspection=Introspection("app-1", "s3cret"))
    token = keys.sign(kid)
    assert check.verify(token).subject == "user-1"
    sent = keys.introspected[-1]
    assert sent.headers["authorization"].startswith("Basic ") and b"token_type_hint=access_token" in sent.content
    keys.introspection = {"active": False}
    refused(check, token, "token revoked")
    with pytest.raises(InvalidToken, match="token revoked"):
        asyncio.run(check.averify(token))
    check.close()


def test_jwks_unreachable_is_a_refusal_not_a_crash(keys: Keys) -> None:
    kid = keys.add()

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    check = TokenVerifier(issuer=ISSUER, audience=AUDIENCE, jwks=JwksCache(transport=httpx.MockTransport(down)))
    refused(check, keys.sign(kid), "the key set cannot be fetched")


def test_the_sdk_runs_the_platforms_rules() -> None:
    """Not a second copy: the wheel's rules module is the platform's file (the sync test checks
    the bytes); here, that both refuse with the same functions and messages."""
    from binoauth_sdk import _token_rules
    from services.common import token_rules, tokens

    assert _token_rules.ALLOWED_ALGORITHMS == token_rules.ALLOWED_ALGORITHMS == tokens.ALLOWED_ALGORITHMS
    assert tokens.InvalidToken is token_rules.InvalidToken
    assert tokens.checked_header is token_rules.checked_header
