"""Signing keys: generation and the public JWK with its RFC 7638 thumbprint as kid."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

from services.common.errors import InvalidArgument

ALGORITHMS = ("RS256", "ES256", "EdDSA")
# Retired keys stay published this long: longer than any token lifetime a tenant can set
# (access and ID tokens live at most 24 h) plus clock leeway.
RETENTION = timedelta(hours=24, minutes=5)
PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey


class KeyState(Enum):
    ACTIVE = "active"
    RETIRED = "retired"


@dataclass(frozen=True)
class SigningKey:
    kid: str
    algorithm: str
    state: KeyState
    public_jwk: dict[str, Any]
    create_time: datetime
    retire_time: datetime | None = None
    expire_time: datetime | None = None

    def published(self, now: datetime) -> bool:
        return self.state is KeyState.ACTIVE or (self.expire_time is not None and self.expire_time > now)


def require_algorithm(algorithm: str) -> str:
    if algorithm not in ALGORITHMS:
        raise InvalidArgument(f"algorithm must be one of {', '.join(ALGORITHMS)}", reason="INVALID_ALGORITHM",
                              details={"field": "algorithm"})
    return algorithm


def generate(algorithm: str) -> PrivateKey:
    if algorithm == "RS256":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if algorithm == "ES256":
        return ec.generate_private_key(ec.SECP256R1())
    return ed25519.Ed25519PrivateKey.generate()


def public_jwk(algorithm: str, key: PrivateKey) -> dict[str, Any]:
    public = key.public_key()
    if isinstance(public, rsa.RSAPublicKey):
        jwk: dict[str, Any] = RSAAlgorithm.to_jwk(public, as_dict=True)
    elif isinstance(public, ec.EllipticCurvePublicKey):
        jwk = ECAlgorithm.to_jwk(public, as_dict=True)
    else:
        jwk = OKPAlgorithm.to_jwk(public, as_dict=True)
    members = {k: jwk[k] for k in _REQUIRED[jwk["kty"]]}
    return {**members, "kid": thumbprint(members), "alg": algorithm, "use": "sig"}


_REQUIRED = {"RSA": ("e", "kty", "n"), "EC": ("crv", "kty", "x", "y"), "OKP": ("crv", "kty", "x")}


def thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 JWK thumbprint (SHA-256, base64url): the key's stable kid."""
    canonical = json.dumps({k: jwk[k] for k in _REQUIRED[jwk["kty"]]}, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()


def private_pem(key: PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def load_private(pem: bytes) -> PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey):
        raise ValueError("unsupported key type")
    return key
