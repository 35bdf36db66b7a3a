"""The rules a BinoAuth access token must pass (security.md, "Tokens"), as pure functions:
no I/O, no asyncio, nothing of the platform, only PyJWT.

One copy of the rules for everyone: the platform's verifier (services/common/tokens.py) and
the Python SDK's resource-server verifier (python-sdk) both call these functions. The SDK's
wheel vendors this file byte for byte as binoauth_sdk/_token_rules.py (`make python-sdk-sync`
copies it; tests/unit/python_sdk/test_python_sdk_sync.py fails when the copy differs), so a
resource server refuses exactly what the platform refuses. Keep it free of imports beyond the
standard library and PyJWT for that reason.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from functools import lru_cache
from typing import Any

import jwt

ALLOWED_ALGORITHMS = ("ES256", "RS256", "EdDSA")
ACCESS_TOKEN_TYPES = ("at+jwt", "application/at+jwt")
DEFAULT_LEEWAY_SECONDS = 30
REQUIRED_CLAIMS = ("exp", "iat", "iss", "aud", "sub", "jti")


class InvalidToken(Exception):
    """The token must be refused; the message says why (never echo the token itself)."""


def checked_header(token: str, allowed: Collection[str]) -> dict[str, Any]:
    """The header of a JWT signed with one of the `allowed` algorithms; InvalidToken for
    anything else (malformed, "none", or an algorithm the caller does not accept)."""
    try:
        header: dict[str, Any] = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise InvalidToken("malformed token") from None
    if header.get("alg") not in allowed:
        raise InvalidToken("algorithm not allowed")
    return header


def access_token_header(token: str, allowed: Collection[str] = ALLOWED_ALGORITHMS) -> tuple[str, str]:
    """(alg, kid) of something that claims to be an RFC 9068 access token. Only the allow-list,
    `typ` and `kid` are read here: `jku`, `x5u` and an embedded `jwk` are ignored, the key
    always comes from the issuer's own JWKS."""
    header = checked_header(token, [a for a in allowed if a in ALLOWED_ALGORITHMS])
    if str(header.get("typ", "")).lower() not in ACCESS_TOKEN_TYPES:
        raise InvalidToken("not an access token")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise InvalidToken("no key id")
    return str(header["alg"]), kid


def find_key(keys: Iterable[Mapping[str, Any]], kid: str) -> dict[str, Any] | None:
    for jwk in keys:
        if jwk.get("kid") == kid:
            return dict(jwk)
    return None


def verified_claims(token: str, jwk: Mapping[str, Any], algorithm: str, *, issuer: str,
                    audience: str | list[str] | None, leeway: float = DEFAULT_LEEWAY_SECONDS) -> dict[str, Any]:
    """The claims, once the signature (with `jwk`, whose own `alg` must be `algorithm`: an
    HMAC key is never built from a public key), `exp`/`nbf`/`iat` within `leeway`, the exact
    `iss` and the expected `aud` are checked. `audience=None` skips the audience check: only
    for the authorization server's own introspection, which answers for any resource server."""
    if jwk.get("alg") != algorithm or algorithm not in ALLOWED_ALGORITHMS:
        raise InvalidToken("algorithm does not match the key")
    try:
        key = _public_key(jwk, algorithm)
        claims: dict[str, Any] = jwt.decode(
            token, key, algorithms=[algorithm], audience=audience, issuer=issuer, leeway=leeway,
            options={"require": list(REQUIRED_CLAIMS), "verify_aud": audience is not None},
        )
    except jwt.PyJWTError as error:
        raise InvalidToken(reason(error)) from None
    return claims


def _public_key(jwk: Mapping[str, Any], algorithm: str) -> Any:
    return _cached_public_key(json.dumps(jwk, sort_keys=True), algorithm)


# A JWKS holds a handful of keys and every token of a key checks with the same object: built
# once (~16 us each, a tenth of an ES256 verification), not per token. Keyed by the whole JWK
# (canonical JSON, lists such as key_ops included), so a key reusing a kid is its own entry.
@lru_cache(maxsize=1024)
def _cached_public_key(jwk_json: str, algorithm: str) -> Any:
    return jwt.PyJWK(json.loads(jwk_json), algorithm=algorithm).key


def scopes_of(claims: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(str(claims.get("scope", "")).split())


def missing_scopes(claims: Mapping[str, Any], required: Iterable[str]) -> list[str]:
    """The `required` scopes the token was not granted, in the order asked."""
    granted = scopes_of(claims)
    return [scope for scope in required if scope not in granted]


def reason(error: jwt.PyJWTError) -> str:
    if isinstance(error, jwt.ExpiredSignatureError):
        return "token expired"
    if isinstance(error, jwt.InvalidIssuerError):
        return "wrong issuer"
    if isinstance(error, jwt.InvalidAudienceError):
        return "wrong audience"
    if isinstance(error, jwt.ImmatureSignatureError):
        return "token not valid yet"
    if isinstance(error, jwt.InvalidSignatureError):
        return "bad signature"
    return "invalid token"


def tenant_from_issuer(issuer: str) -> str:
    """BinoAuth issuers end in /tenant/<id>."""
    return issuer.rstrip("/").rsplit("/tenant/", 1)[-1]
