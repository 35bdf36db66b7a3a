"""RFC 9068 JWT access tokens, signed with the tenant's active ES256 key (by default)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt

from services.token.keys.usecases import SigningKeys

ACCESS_TOKEN_ALGORITHM = "ES256"


@dataclass(frozen=True)
class IssuedToken:
    token: str
    jti: str
    expires_at: datetime
    ttl_seconds: int


class AccessTokenIssuer:
    def __init__(self, keys: SigningKeys) -> None:
        self._keys = keys

    async def issue(self, tenant_id: str, issuer: str, *, subject: str, client_id: str, scopes: list[str],
                    audience: str, ttl_seconds: int, now: datetime, extra: dict[str, Any] | None = None) -> IssuedToken:
        kid, key = await self._keys.signer(tenant_id, ACCESS_TOKEN_ALGORITHM)
        jti = secrets.token_urlsafe(18)
        issued = int(now.timestamp())
        claims = {
            "iss": issuer, "sub": subject, "aud": audience, "client_id": client_id, "scope": " ".join(scopes),
            "iat": issued, "nbf": issued, "exp": issued + ttl_seconds, "jti": jti, **(extra or {}),
        }
        token = jwt.encode(claims, key, algorithm=ACCESS_TOKEN_ALGORITHM, headers={"kid": kid, "typ": "at+jwt"})
        return IssuedToken(token, jti, now + timedelta(seconds=ttl_seconds), ttl_seconds)
