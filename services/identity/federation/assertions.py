"""JWTs we sign towards a provider's token endpoint: a private_key_jwt client assertion
(RFC 7523), and Apple's client secret (an ES256 JWT with the team id as issuer)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from services.common.errors import InvalidArgument

ASSERTION_LIFETIME = timedelta(minutes=5)
# Apple accepts up to six months; a short one limits what a leaked secret is worth.
APPLE_SECRET_LIFETIME = timedelta(minutes=10)
APPLE_AUDIENCE = "https://appleid.apple.com"


def load_private_key(pem: str) -> Any:
    try:
        key = load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError):
        raise InvalidArgument("private_key is not a PEM private key", reason="INVALID_IDENTITY_PROVIDER",
                              details={"field": "private_key"}) from None
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise InvalidArgument("private_key must be an EC or RSA key", reason="INVALID_IDENTITY_PROVIDER",
                              details={"field": "private_key"})
    return key


def _algorithm(key: Any) -> str:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return {"secp256r1": "ES256", "secp384r1": "ES384", "secp521r1": "ES512"}.get(key.curve.name, "ES256")
    return "RS256"


def client_assertion(pem: str, key_id: str, client_id: str, audience: str, now: datetime) -> str:
    """RFC 7523 section 3: iss = sub = client_id, aud = the token endpoint, a fresh jti."""
    key = load_private_key(pem)
    claims = {"iss": client_id, "sub": client_id, "aud": audience, "jti": secrets.token_urlsafe(16),
              "iat": int(now.timestamp()), "exp": int((now + ASSERTION_LIFETIME).timestamp())}
    return jwt.encode(claims, key, algorithm=_algorithm(key), headers={"kid": key_id})


def apple_client_secret(pem: str, key_id: str, team_id: str, client_id: str, now: datetime) -> str:
    """Sign in with Apple's client_secret: ES256, kid = the key's id, iss = the team id,
    sub = the Services ID (client_id), aud = https://appleid.apple.com."""
    key = load_private_key(pem)
    claims = {"iss": team_id, "sub": client_id, "aud": APPLE_AUDIENCE, "iat": int(now.timestamp()),
              "exp": int((now + APPLE_SECRET_LIFETIME).timestamp())}
    return jwt.encode(claims, key, algorithm="ES256", headers={"kid": key_id})
