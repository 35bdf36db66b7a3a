"""RFC 9068 JWT access tokens, signed with the tenant's active ES256 key (by default)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import jwt


class Signer(Protocol):
    """The tenant's active private key of an algorithm (SigningKeys in the service)."""

    async def signer(self, tenant_id: str, algorithm: str) -> tuple[str, Any]: ...


ACCESS_TOKEN_ALGORITHM = "ES256"


def new_jti() -> str:
    return secrets.token_urlsafe(18)


@dataclass(frozen=True)
class IssuedToken:
    token: str
    jti: str
    expires_at: datetime
    ttl_seconds: int


class AccessTokenIssuer:
    def __init__(self, keys: Signer) -> None:
        self._keys = keys

    async def issue(self, tenant_id: str, issuer: str, *, subject: str, client_id: str, scopes: list[str],
                    audience: str, ttl_seconds: int, now: datetime, extra: dict[str, Any] | None = None,
                    jti: str = "") -> IssuedToken:
        """`jti`: one chosen (and recorded) before signing, or a new one."""
        kid, key = await self._keys.signer(tenant_id, ACCESS_TOKEN_ALGORITHM)
        jti = jti or new_jti()
        issued = int(now.timestamp())
        claims = {
            "iss": issuer, "sub": subject, "aud": audience, "client_id": client_id, "scope": " ".join(scopes),
            "iat": issued, "nbf": issued, "exp": issued + ttl_seconds, "jti": jti, **(extra or {}),
        }
        token = jwt.encode(claims, key, algorithm=ACCESS_TOKEN_ALGORITHM, headers={"kid": kid, "typ": "at+jwt"})
        return IssuedToken(token, jti, now + timedelta(seconds=ttl_seconds), ttl_seconds)
