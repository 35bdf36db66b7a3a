"""verified_claims builds a JWK's public key once (services/common/token_rules.py): the cache
must never let one key's object verify for another JWK, even under the same kid."""

from __future__ import annotations

import json
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from services.common import token_rules
from services.common.token_rules import InvalidToken, verified_claims

pytestmark = pytest.mark.unit

ISSUER = "https://auth.example.com/tenant/acme"


def es256_key(kid: str) -> tuple[Any, dict[str, Any]]:
    private = ec.generate_private_key(ec.SECP256R1())
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(private.public_key()))
    return private, {**jwk, "kid": kid, "alg": "ES256", "use": "sig"}


def signed(private: Any, kid: str) -> str:
    now = int(time.time())
    return jwt.encode({"iss": ISSUER, "aud": "api", "sub": "u", "iat": now, "exp": now + 60, "jti": "j"},
                      private, algorithm="ES256", headers={"typ": "at+jwt", "kid": kid})


def test_a_key_is_built_once_and_never_stands_in_for_another_jwk(monkeypatch: pytest.MonkeyPatch) -> None:
    token_rules._cached_public_key.cache_clear()
    built: list[str] = []
    real = jwt.PyJWK

    def counting(data: dict[str, Any], algorithm: str | None = None) -> Any:
        built.append(data["x"])
        return real(data, algorithm=algorithm)

    monkeypatch.setattr(token_rules.jwt, "PyJWK", counting)
    first, first_jwk = es256_key("same-kid")
    for _ in range(3):
        claims = verified_claims(signed(first, "same-kid"), first_jwk, "ES256", issuer=ISSUER, audience="api")
        assert claims["sub"] == "u"
    assert built == [first_jwk["x"]]
    # A rotated key that reuses the kid: its own object, and the old one's tokens fail with it.
    second, second_jwk = es256_key("same-kid")
    assert verified_claims(signed(second, "same-kid"), second_jwk, "ES256", issuer=ISSUER, audience="api")
    with pytest.raises(InvalidToken):
        verified_claims(signed(first, "same-kid"), second_jwk, "ES256", issuer=ISSUER, audience="api")
    assert built == [first_jwk["x"], second_jwk["x"]]


def test_a_jwk_with_list_members_still_verifies() -> None:
    private, jwk = es256_key("ops")
    jwk["key_ops"] = ["verify"]
    assert verified_claims(signed(private, "ops"), jwk, "ES256", issuer=ISSUER, audience="api")["sub"] == "u"
