"""Signing key model: kids are RFC 7638 thumbprints, JWKs carry only public members."""

from __future__ import annotations

import jwt
import pytest

from services.common.errors import InvalidArgument
from services.token.keys.model import (
    ALGORITHMS,
    generate,
    load_private,
    private_pem,
    public_jwk,
    require_algorithm,
    thumbprint,
)

pytestmark = pytest.mark.unit

# RFC 7638 section 3.1: the example RSA key and its thumbprint.
RFC7638_JWK = {
    "kty": "RSA",
    "n": ("0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZ"
          "CiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJ"
          "ZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBn"
          "iIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"),
    "e": "AQAB", "alg": "RS256", "kid": "2011-04-29",
}


def test_kid_is_the_rfc7638_thumbprint() -> None:
    assert thumbprint(RFC7638_JWK) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_generated_keys_sign_and_publish_only_public_members(algorithm: str) -> None:
    key = generate(algorithm)
    jwk = public_jwk(algorithm, key)
    assert jwk["kid"] == thumbprint(jwk) and jwk["alg"] == algorithm and jwk["use"] == "sig"
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(jwk)
    token = jwt.encode({"sub": "x"}, key, algorithm=algorithm, headers={"kid": jwk["kid"]})
    verifier = jwt.PyJWK(jwk).key
    assert jwt.decode(token, verifier, algorithms=[algorithm])["sub"] == "x"
    assert public_jwk(algorithm, load_private(private_pem(key)))["kid"] == jwk["kid"]  # stable across reloads


def test_unknown_algorithms_are_refused() -> None:
    for bad in ("HS256", "none", "RS512", ""):
        with pytest.raises(InvalidArgument):
            require_algorithm(bad)
