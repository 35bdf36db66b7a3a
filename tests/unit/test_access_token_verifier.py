"""The shared access-token verifier refuses every token a resource server must refuse."""

from __future__ import annotations

import base64
import json
import time
import uuid
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from services.common.tokens import AccessTokenVerifier, InvalidToken, tenant_from_issuer
from services.token.keys.model import generate, public_jwk

pytestmark = pytest.mark.unit
ISSUER_A = "https://auth.example.com/tenant/acme"
ISSUER_B = "https://auth.example.com/tenant/globex"
AUDIENCE = "https://api.example.com"


class Keys:
    """In-memory JWKS per issuer (a fake of the JwksSource port)."""

    def __init__(self) -> None:
        self.private: dict[str, Any] = {}
        self.sets: dict[str, list[dict[str, Any]]] = {}
        self.fetches = 0

    def add(self, issuer: str, algorithm: str) -> str:
        key = generate(algorithm)
        jwk = public_jwk(algorithm, key)
        self.private[jwk["kid"]] = key
        self.sets.setdefault(issuer, []).append(jwk)
        return str(jwk["kid"])

    async def keys(self, issuer: str, refresh: bool = False) -> list[dict[str, Any]]:
        self.fetches += 1
        return self.sets.get(issuer, [])


def claims(issuer: str = ISSUER_A, **extra: Any) -> dict[str, Any]:
    now = int(time.time())
    return {"iss": issuer, "sub": "usr_1", "aud": AUDIENCE, "exp": now + 300, "iat": now, "jti": uuid.uuid4().hex,
            "client_id": "app_1", "scope": "openid profile", **extra}


def sign(keys: Keys, kid: str, algorithm: str, body: dict[str, Any], typ: str = "at+jwt", **headers: Any) -> str:
    return jwt.encode(body, keys.private[kid], algorithm=algorithm, headers={"kid": kid, "typ": typ, **headers})


@pytest.fixture
def keys() -> Keys:
    return Keys()


async def test_a_good_token_verifies(keys: Keys) -> None:
    kid = keys.add(ISSUER_A, "ES256")
    token = await AccessTokenVerifier(keys).verify(sign(keys, kid, "ES256", claims()), issuer=ISSUER_A,
                                                   audience=AUDIENCE)
    assert token.subject == "usr_1" and token.client_id == "app_1" and token.scopes == {"openid", "profile"}


@pytest.mark.parametrize("algorithm", ["RS256", "EdDSA"])
async def test_other_allowed_algorithms(keys: Keys, algorithm: str) -> None:
    kid = keys.add(ISSUER_A, algorithm)
    await AccessTokenVerifier(keys).verify(sign(keys, kid, algorithm, claims()), issuer=ISSUER_A, audience=AUDIENCE)


async def expect_refused(verifier: AccessTokenVerifier, token: str, reason: str, issuer: str = ISSUER_A) -> None:
    with pytest.raises(InvalidToken, match=reason):
        await verifier.verify(token, issuer=issuer, audience=AUDIENCE)


def unsigned(header: dict[str, Any], body: dict[str, Any]) -> str:
    part = [base64.urlsafe_b64encode(json.dumps(x).encode()).rstrip(b"=").decode() for x in (header, body)]
    return f"{part[0]}.{part[1]}."


async def test_alg_none_is_refused(keys: Keys) -> None:
    kid = keys.add(ISSUER_A, "ES256")
    await expect_refused(AccessTokenVerifier(keys), unsigned({"alg": "none", "typ": "at+jwt", "kid": kid}, claims()),
                         "algorithm not allowed")


async def test_hs256_signed_with_the_public_key_is_refused(keys: Keys) -> None:
    kid = keys.add(ISSUER_A, "RS256")
    public_pem = keys.private[kid].public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    header = {"alg": "HS256", "typ": "at+jwt", "kid": kid}
    body = base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=").decode()
    payload = base64.urlsafe_b64encode(json.dumps(claims()).encode()).rstrip(b"=").decode()
    import hashlib
    import hmac

    mac = hmac.new(public_pem, f"{body}.{payload}".encode(), hashlib.sha256).digest()
    forged = f"{body}.{payload}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"
    await expect_refused(AccessTokenVerifier(keys), forged, "algorithm not allowed")


async def test_algorithm_must_match_the_key(keys: Keys) -> None:
    es = keys.add(ISSUER_A, "ES256")
    rs = keys.add(ISSUER_A, "RS256")
    token = jwt.encode(claims(), keys.private[rs], algorithm="RS256", headers={"kid": es, "typ": "at+jwt"})
    await expect_refused(AccessTokenVerifier(keys), token, "does not match")


async def test_unknown_kid_and_foreign_keys_are_refused(keys: Keys) -> None:
    keys.add(ISSUER_A, "ES256")
    stranger = Keys()
    kid = stranger.add("https://evil.example", "ES256")
    token = sign(stranger, kid, "ES256", claims())
    await expect_refused(AccessTokenVerifier(keys), token, "unknown key id")
    # A jku/jwk header pointing at the attacker's key changes nothing.
    jwk = stranger.sets["https://evil.example"][0]
    token = sign(stranger, kid, "ES256", claims(), jku="https://evil.example/jwks.json", jwk=jwk)
    await expect_refused(AccessTokenVerifier(keys), token, "unknown key id")


async def test_wrong_issuer_audience_and_expired_tokens_are_refused(keys: Keys) -> None:
    kid = keys.add(ISSUER_A, "ES256")
    verifier = AccessTokenVerifier(keys, leeway=5)
    await expect_refused(verifier, sign(keys, kid, "ES256", claims(iss="https://auth.example.com/tenant/acme/")),
                         "wrong issuer")
    await expect_refused(verifier, sign(keys, kid, "ES256", claims(aud="https://other.example.com")),
                         "wrong audience")
    past = int(time.time()) - 3600
    await expect_refused(verifier, sign(keys, kid, "ES256", claims(exp=past, iat=past - 300)), "expired")
    await expect_refused(verifier, sign(keys, kid, "ES256", claims(nbf=int(time.time()) + 600)), "not valid yet")
    missing_jti = claims()
    del missing_jti["jti"]
    await expect_refused(verifier, sign(keys, kid, "ES256", missing_jti), "invalid token")


async def test_an_id_token_is_not_an_access_token(keys: Keys) -> None:
    kid = keys.add(ISSUER_A, "RS256")
    await expect_refused(AccessTokenVerifier(keys), sign(keys, kid, "RS256", claims(), typ="JWT"),
                         "not an access token")


async def test_a_token_of_tenant_a_is_refused_by_tenant_b(keys: Keys) -> None:
    kid = keys.add(ISSUER_A, "ES256")
    keys.add(ISSUER_B, "ES256")
    token = sign(keys, kid, "ES256", claims())
    await expect_refused(AccessTokenVerifier(keys), token, "unknown key id", issuer=ISSUER_B)


async def test_unknown_critical_extensions_are_refused(keys: Keys) -> None:
    kid = keys.add(ISSUER_A, "ES256")
    token = sign(keys, kid, "ES256", claims(), crit=["exp-binoauth"], **{"exp-binoauth": 1})
    await expect_refused(AccessTokenVerifier(keys), token, "malformed token|invalid token")


async def test_revoked_tokens_are_refused(keys: Keys) -> None:
    kid = keys.add(ISSUER_A, "ES256")
    seen: list[tuple[str, str, str]] = []

    async def revoked(tenant: str, jti: str, sub: str, _iat: Any) -> bool:
        seen.append((tenant, jti, sub))
        return jti == "revoked-jti"

    verifier = AccessTokenVerifier(keys, revocation=revoked)
    await expect_refused(verifier, sign(keys, kid, "ES256", claims(jti="revoked-jti")), "revoked")
    await verifier.verify(sign(keys, kid, "ES256", claims(jti="fine")), issuer=ISSUER_A, audience=AUDIENCE)
    assert seen == [("acme", "revoked-jti", "usr_1"), ("acme", "fine", "usr_1")]


async def test_malformed_tokens_are_refused(keys: Keys) -> None:
    for junk in ("", "abc", "a.b.c", "eyJhbGciOiJFUzI1NiJ9..", "x" * 5000):
        await expect_refused(AccessTokenVerifier(keys), junk, "malformed|algorithm|not an access token|key id")


def test_tenant_from_issuer() -> None:
    assert tenant_from_issuer(ISSUER_A) == "acme"
