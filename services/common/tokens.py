"""Verifying BinoAuth access tokens: the helper every service (and any resource server of
another team) uses for bearer tokens.

    verifier = AccessTokenVerifier(HttpJwksSource(), revocation=my_check)
    claims = await verifier.verify(token, issuer="https://auth.example.com/tenant/acme",
                                   audience="https://api.example.com")

What it enforces (security.md, "Tokens"):
- the signature is checked before any claim is read, with a key from the tenant's own JWKS
  only (`jku`, `x5u` and embedded `jwk` headers are ignored), found by `kid`;
- the algorithm is on an allow-list (ES256, RS256, EdDSA) and must match the key's own
  `alg`: `none` never, and an HMAC key is never built from a public key;
- unknown `crit` extensions are refused (pyjwt);
- `typ` must be `at+jwt` (RFC 9068): an ID token or anything else is not an access token;
- `exp`, `nbf` and `iat` with a small leeway, the exact `iss` and the expected `aud`;
- revocation (deny-listed `jti`, or issued before the user's or tenant's not-before), when a
  revocation check is given.
A token of tenant A is never accepted for tenant B: B's issuer and B's keys differ.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

# The rules themselves live in token_rules (pure, shared byte for byte with the Python SDK's
# verifier); this module adds the key fetching, caching and revocation around them.
from services.common.token_rules import (
    ACCESS_TOKEN_TYPES,
    ALLOWED_ALGORITHMS,
    DEFAULT_LEEWAY_SECONDS,
    InvalidToken,
    access_token_header,
    checked_header,
    find_key,
    tenant_from_issuer,
    verified_claims,
)

__all__ = [
    "ACCESS_TOKEN_TYPES", "ALLOWED_ALGORITHMS", "DEFAULT_LEEWAY_SECONDS", "AccessToken", "AccessTokenVerifier",
    "HttpJwksSource", "InvalidToken", "JwksSource", "RevocationCheck", "checked_header", "tenant_from_issuer",
]


class JwksSource(Protocol):
    async def keys(self, issuer: str, refresh: bool = False) -> list[dict[str, Any]]: ...


RevocationCheck = Callable[[str, str, str, datetime], Awaitable[bool]]


@dataclass(frozen=True)
class AccessToken:
    claims: dict[str, Any]

    @property
    def subject(self) -> str:
        return str(self.claims.get("sub", ""))

    @property
    def client_id(self) -> str:
        return str(self.claims.get("client_id", ""))

    @property
    def scopes(self) -> frozenset[str]:
        return frozenset(str(self.claims.get("scope", "")).split())


class AccessTokenVerifier:
    def __init__(self, jwks: JwksSource, revocation: RevocationCheck | None = None,
                 leeway: int = DEFAULT_LEEWAY_SECONDS, tenant_of: Callable[[str], str] | None = None) -> None:
        self._jwks = jwks
        self._revocation = revocation
        self._leeway = leeway
        self._tenant_of = tenant_of or tenant_from_issuer

    async def verify(self, token: str, *, issuer: str, audience: str | list[str] | None) -> AccessToken:
        """`audience=None` skips the audience check: only for the authorization server's own
        introspection, which answers for any resource server."""
        algorithm, kid = access_token_header(token, ALLOWED_ALGORITHMS)
        jwk = await self._key(issuer, kid)
        claims = verified_claims(token, jwk, algorithm, issuer=issuer, audience=audience, leeway=self._leeway)
        if self._revocation is not None:
            issued = datetime.fromtimestamp(int(claims["iat"]), UTC)
            if await self._revocation(self._tenant_of(issuer), str(claims["jti"]), str(claims["sub"]), issued):
                raise InvalidToken("token revoked")
        return AccessToken(claims)

    async def _key(self, issuer: str, kid: str) -> dict[str, Any]:
        for refresh in (False, True):
            jwk = find_key(await self._jwks.keys(issuer, refresh=refresh), kid)
            if jwk is not None:
                return jwk
        raise InvalidToken("unknown key id")


class HttpJwksSource:
    """Fetches `<issuer>/.well-known/jwks.json` and caches it for its Cache-Control max-age
    (at most `max_age`). An unknown kid (a key rotated in since the last fetch) refetches, at
    most once per `min_refresh` seconds per issuer: later callers wait for that fetch instead
    of failing or fetching again, so a flood of made-up kids costs one request a window."""

    def __init__(self, max_age: float = 300, min_refresh: float = 0.5, timeout: float = 3,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._max_age = max_age
        self._min_refresh = min_refresh
        self._timeout = timeout
        self._clock = clock
        self._cache: dict[str, tuple[float, float, list[dict[str, Any]]]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def keys(self, issuer: str, refresh: bool = False) -> list[dict[str, Any]]:
        asked = self._clock()
        cached = self._cache.get(issuer)
        if cached and asked < cached[0] and not refresh:
            return cached[2]
        async with self._locks.setdefault(issuer, asyncio.Lock()):
            cached = self._cache.get(issuer)
            if cached and cached[1] >= asked and (refresh or self._clock() < cached[0]):
                return cached[2]  # fetched by someone else while we waited
            if cached and refresh:
                wait = self._min_refresh - (self._clock() - cached[1])
                if wait > 0:
                    await asyncio.sleep(wait)
            now = self._clock()
            keys, max_age = await asyncio.to_thread(self._fetch, issuer.rstrip("/") + "/.well-known/jwks.json")
            self._cache[issuer] = (now + min(max_age, self._max_age), now, keys)
            return keys

    def _fetch(self, url: str) -> tuple[list[dict[str, Any]], float]:
        if not url.startswith(("https://", "http://")):
            raise InvalidToken("issuer must be an http(s) URL")
        request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 - scheme checked
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:  # noqa: S310
                body = response.read(1024 * 1024)
                cache_control = response.headers.get("Cache-Control", "")
        except OSError:
            raise InvalidToken("the key set cannot be fetched") from None
        max_age = 60.0
        for part in cache_control.split(","):
            name, _, value = part.strip().partition("=")
            if name == "max-age" and value.isdigit():
                max_age = float(value)
        keys = json.loads(body).get("keys", [])
        return [k for k in keys if isinstance(k, dict)], max_age
