"""An application's registered public keys (its JWK Set) for private_key_jwt: what may be
registered, and the key objects that verify its client assertions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from services.common.errors import InvalidArgument
from services.common.outbound import url_problem

MAX_KEYS: Final = 10
MAX_KEY_ID: Final = 128
MIN_RSA_BITS: Final = 2048
# Members that only a private (or symmetric) key has: registering one would hand us a secret.
PRIVATE_MEMBERS: Final = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})
# Which signature algorithms each kind of key may verify.
ALGORITHMS_BY_KIND: Final = {"RSA": ("RS256", "PS256"), "EC": ("ES256",), "OKP": ("EdDSA",)}
ALGORITHMS: Final = ("RS256", "PS256", "ES256", "EdDSA")


@dataclass(frozen=True)
class ClientKey:
    kid: str
    algorithms: tuple[str, ...]
    key: Any  # a cryptography public key object, parsed once

    def verifies(self, algorithm: str) -> bool:
        return algorithm in self.algorithms


def _invalid(message: str) -> InvalidArgument:
    return InvalidArgument(message, reason="INVALID_JWKS", details={"field": "jwks"})


def clean_jwks(keys: list[Any]) -> tuple[dict[str, Any], ...]:
    """The keys of a JWK Set as they may be stored, or InvalidArgument INVALID_JWKS naming
    the problem."""
    if len(keys) > MAX_KEYS:
        raise _invalid(f"jwks may hold at most {MAX_KEYS} keys")
    seen: set[str] = set()
    for index, jwk in enumerate(keys):
        key = parse_key(jwk, f"jwks.keys[{index}]")
        if key.kid in seen:
            raise _invalid(f'jwks.keys[{index}]: "kid" {key.kid!r} is used twice')
        seen.add(key.kid)
    return tuple(dict(jwk) for jwk in keys)


def clean_jwks_uri(uri: str, allow_http: bool = False) -> str:
    """The jwks_uri as it may be stored ("" for none). Only its form is checked here: where it
    points is checked at every fetch (services/common/outbound.py). `allow_http` follows the
    outbound policy (development and tests)."""
    uri = (uri or "").strip()
    if not uri:
        return ""
    problem = url_problem(uri)
    if problem is None and not uri.startswith("https://") and not allow_http:
        problem = "must use https"
    if problem:
        raise InvalidArgument(f"jwks_uri {problem}", reason="INVALID_JWKS_URI", details={"field": "jwks_uri"})
    return uri


def parse_key(jwk: Any, where: str = "jwk") -> ClientKey:
    """A registered JWK as a key object, or InvalidArgument INVALID_JWKS."""
    if not isinstance(jwk, dict):
        raise _invalid(f"{where} must be a JSON object")
    kid, kind = jwk.get("kid"), jwk.get("kty")
    if not isinstance(kid, str) or not 1 <= len(kid) <= MAX_KEY_ID or not kid.isprintable():
        raise _invalid(f'{where} needs a "kid" of 1 to {MAX_KEY_ID} printable characters')
    if kind not in ALGORITHMS_BY_KIND:
        raise _invalid(f'{where}: "kty" must be RSA, EC or OKP (public signature keys)')
    if PRIVATE_MEMBERS & set(jwk):
        raise _invalid(f"{where} contains private key material: register the public key only")
    if jwk.get("use", "sig") != "sig":
        raise _invalid(f'{where}: "use" must be "sig"')
    algorithms = ALGORITHMS_BY_KIND[kind]
    if "alg" in jwk:
        if jwk["alg"] not in algorithms:
            raise _invalid(f'{where}: "alg" must be one of {", ".join(algorithms)} for a {kind} key')
        algorithms = (jwk["alg"],)
    try:
        key = jwt.PyJWK(json.loads(json.dumps(jwk)), algorithms[0]).key
    except (jwt.PyJWKError, jwt.InvalidKeyError, ValueError, TypeError, KeyError):
        raise _invalid(f"{where} is not a valid {kind} public key") from None
    if isinstance(key, rsa.RSAPublicKey) and key.key_size < MIN_RSA_BITS:
        raise _invalid(f"{where}: RSA keys must have at least {MIN_RSA_BITS} bits")
    if isinstance(key, ec.EllipticCurvePublicKey) and not isinstance(key.curve, ec.SECP256R1):
        raise _invalid(f"{where}: EC keys must use the P-256 curve (ES256)")
    if kind == "OKP" and not isinstance(key, ed25519.Ed25519PublicKey):
        raise _invalid(f"{where}: OKP keys must be Ed25519 (EdDSA)")
    if not isinstance(key, (rsa.RSAPublicKey, ec.EllipticCurvePublicKey, ed25519.Ed25519PublicKey)):
        raise _invalid(f"{where} is not a public key")
    return ClientKey(kid, algorithms, key)
