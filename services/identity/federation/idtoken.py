"""Validating an upstream's ID token (OpenID Connect Core 3.1.3.7) with PyJWT.

PyJWT is already the platform's JWT library (pinned, maintained, rejects unknown `crit`
since 2.13). Its PyJWKClient is not used: it fetches with urllib, around the SSRF-safe
outbound client and without our cache; the key set comes from upstream.py and PyJWT only
verifies. The signature is checked before any claim is read; the algorithm comes from an
allow-list of asymmetric algorithms (never `none`, never HMAC: a public key is not a secret),
intersected with what the provider says it uses; keys only from the provider's jwks_uri
(jku/x5u/jwk headers are ignored)."""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from typing import Any, Final

import jwt
from jwt import PyJWK, PyJWKSet

ALLOWED_ALGORITHMS: Final = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
                             "EdDSA")
LEEWAY_SECONDS: Final = 60
MAX_TOKEN = 16 * 1024
_TENANT_ID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


class InvalidIdToken(Exception):
    """The ID token must not be trusted; the message says why (for logs, never secrets)."""


class UnknownKey(InvalidIdToken):
    """No key of the current key set verifies it: the caller refetches the key set once."""


@dataclass(frozen=True)
class Expectation:
    issuer: str  # may hold "{tenantid}" (Entra's multi-tenant endpoints)
    client_id: str
    nonce: str
    algorithms: tuple[str, ...] = ALLOWED_ALGORITHMS
    aliases: tuple[str, ...] = ()  # other spellings the provider documents for its issuer


def algorithms_for(discovered: object) -> tuple[str, ...]:
    """Our allow-list, narrowed to the provider's id_token_signing_alg_values_supported."""
    if not isinstance(discovered, list):
        return ("RS256",)  # the OpenID Connect default
    narrowed = tuple(a for a in ALLOWED_ALGORITHMS if a in discovered)
    return narrowed or ("RS256",)


def expected_issuer(template: str, claims: dict[str, Any]) -> str:
    """The issuer this token must carry. Entra's common endpoint publishes
    "https://login.microsoftonline.com/{tenantid}/v2.0": the token's own `tid` fills it in,
    and `tid` must be a tenant id (a GUID), so a token from any other issuer fails."""
    if "{tenantid}" not in template:
        return template
    tid = claims.get("tid")
    if not isinstance(tid, str) or not _TENANT_ID.fullmatch(tid):
        raise InvalidIdToken("the token has no valid tid for a multi-tenant issuer")
    return template.replace("{tenantid}", tid)


def _key_for(token: str, key_set: dict[str, Any], algorithms: tuple[str, ...]) -> tuple[Any, str]:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as error:
        raise InvalidIdToken(f"malformed token ({type(error).__name__})") from None
    alg = header.get("alg")
    if alg not in algorithms:
        raise InvalidIdToken(f"algorithm {str(alg)[:16]!r} is not allowed")
    try:
        keys = PyJWKSet.from_dict(key_set).keys
    except jwt.PyJWTError:
        raise UnknownKey("the provider's key set holds no usable key") from None
    kid = header.get("kid")
    candidates: list[PyJWK] = [k for k in keys if (k.key_id == kid if kid else True)
                               and (k.public_key_use in (None, "sig"))]
    if not candidates:
        raise UnknownKey("no key with the token's kid")
    if len(candidates) > 1 and not kid:
        candidates = [k for k in candidates if k.algorithm_name == alg] or candidates[:1]
    return candidates[0].key, str(alg)


def validate_id_token(token: str, key_set: dict[str, Any], expect: Expectation, now: float) -> dict[str, Any]:
    """The claims of a valid ID token, or InvalidIdToken (UnknownKey when no key matches)."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN:
        raise InvalidIdToken("the token endpoint sent no usable id_token")
    key, alg = _key_for(token, key_set, expect.algorithms)
    try:
        claims: dict[str, Any] = jwt.decode(
            token, key, algorithms=[alg], audience=expect.client_id, leeway=LEEWAY_SECONDS,
            # The times are checked below against `now`, the caller's clock, not PyJWT's own.
            options={"require": ["iss", "sub", "aud", "exp", "iat"], "verify_iss": False,
                     "verify_exp": False, "verify_iat": False, "verify_nbf": False})
    except jwt.InvalidSignatureError:
        raise UnknownKey("the signature does not verify") from None
    except jwt.PyJWTError as error:
        raise InvalidIdToken(f"{type(error).__name__}: {str(error)[:120]}") from None
    for name in ("exp", "iat", "nbf"):
        if name in claims and (isinstance(claims[name], bool) or not isinstance(claims[name], int | float)):
            raise InvalidIdToken(f"the token's {name} is not a number")
    if now > float(claims["exp"]) + LEEWAY_SECONDS:
        raise InvalidIdToken("Expired: the token's exp has passed")
    if "nbf" in claims and float(claims["nbf"]) > now + LEEWAY_SECONDS:
        raise InvalidIdToken("the token is not yet valid (nbf)")
    issuer = expected_issuer(expect.issuer, claims)
    if not isinstance(claims.get("iss"), str) or claims["iss"] not in (issuer, *expect.aliases):
        raise InvalidIdToken("the token's issuer is not the provider's")
    if float(claims["iat"]) > now + LEEWAY_SECONDS:
        raise InvalidIdToken("the token is issued in the future")
    audience = claims["aud"]
    if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != expect.client_id:
        raise InvalidIdToken("a token for several audiences must name us as azp")
    if "azp" in claims and claims["azp"] != expect.client_id:
        raise InvalidIdToken("the token's azp is another client")
    nonce = claims.get("nonce")
    if not isinstance(nonce, str) or not hmac.compare_digest(nonce.encode(), expect.nonce.encode()):
        raise InvalidIdToken("the token's nonce is not this sign-in's")
    return claims
