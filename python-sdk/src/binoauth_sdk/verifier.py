"""A resource server's check of BinoAuth access tokens (RFC 9068), sync and async.

    verifier = TokenVerifier(issuer="https://auth.example.com/tenant/acme", audience="https://api.example.com")
    token = verifier.verify(bearer, scopes=["reports:read"])        # Django, scripts
    token = await verifier.averify(bearer, scopes=["reports:read"])  # Starlette / FastAPI

The rules are the platform's own (`_token_rules`, vendored byte for byte from
services/common/token_rules.py): ES256/RS256/EdDSA only and matching the key's own `alg`,
`typ` at+jwt, a key of this issuer's JWKS found by `kid` (never `jku`/`x5u`/`jwk` headers),
`exp`/`nbf`/`iat` within the leeway, the exact issuer (a token of tenant A is never accepted
for tenant B) and the audience. This module adds what a resource server needs around them:
the JWKS cache, required scopes and, when asked, revocation through introspection.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from binoauth_sdk._token_rules import (
    ALLOWED_ALGORITHMS,
    DEFAULT_LEEWAY_SECONDS,
    InvalidToken,
    access_token_header,
    find_key,
    missing_scopes,
    scopes_of,
    verified_claims,
)

__all__ = ["AccessToken", "InsufficientScope", "Introspection", "InvalidToken", "JwksCache", "TokenVerifier"]


class InsufficientScope(InvalidToken):
    """A valid token without a scope the call needs (HTTP 403, RFC 6750 insufficient_scope)."""

    def __init__(self, missing: Sequence[str]) -> None:
        super().__init__("missing scope: " + " ".join(missing))
        self.missing = list(missing)


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
        return scopes_of(self.claims)


@dataclass(frozen=True)
class Introspection:
    """RFC 7662 introspection as a revocation check. BinoAuth answers a confidential client
    only about its own tokens, so these are the credentials of the client the tokens are
    issued to (a machine client, a backend-for-frontend); any other token reads as revoked."""

    client_id: str
    client_secret: str
    endpoint: str = ""  # default: <issuer>/oauth2/introspect


def _max_age(cache_control: str, default: float) -> float:
    for part in cache_control.split(","):
        name, _, value = part.strip().partition("=")
        if name == "max-age" and value.isdigit():
            return float(value)
    return default


def _keys_of(response: httpx.Response) -> list[dict[str, Any]]:
    if response.status_code != 200:
        raise InvalidToken("the key set cannot be fetched")
    try:
        keys = response.json().get("keys", [])
    except ValueError:
        raise InvalidToken("the key set cannot be fetched") from None
    return [k for k in keys if isinstance(k, dict)]


@dataclass
class _Entry:
    fetched: float
    expires: float
    keys: list[dict[str, Any]]


@dataclass
class JwksCache:
    """One issuer's keys per URL, kept for the response's Cache-Control max-age (at most
    `max_age`). An unknown kid refetches, but at most once per `min_refresh` seconds per URL,
    so a flood of made-up kids costs one request a window (as the platform's own cache)."""

    max_age: float = 300
    # Short: a rotated-in key signs at once, so a token with a new kid may follow the last fetch
    # closely; long enough that made-up kids cannot turn every request into a fetch.
    min_refresh: float = 1
    timeout: float = 3
    clock: Callable[[], float] = time.monotonic
    transport: httpx.BaseTransport | None = None
    async_transport: httpx.AsyncBaseTransport | None = None
    _entries: dict[str, _Entry] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _fetching: threading.Lock = field(default_factory=threading.Lock)

    def _fresh(self, url: str, refresh: bool) -> list[dict[str, Any]] | None:
        entry = self._entries.get(url)
        if entry is None:
            return None
        now = self.clock()
        if refresh:
            return entry.keys if now - entry.fetched < self.min_refresh else None
        return entry.keys if now < entry.expires else None

    def _store(self, url: str, response: httpx.Response) -> list[dict[str, Any]]:
        keys = _keys_of(response)
        now = self.clock()
        max_age = min(_max_age(response.headers.get("cache-control", ""), 60.0), self.max_age)
        with self._lock:
            self._entries[url] = _Entry(now, now + max_age, keys)
        return keys

    def keys(self, url: str, refresh: bool = False) -> list[dict[str, Any]]:
        cached = self._fresh(url, refresh)
        if cached is not None:
            return cached
        # One fetch at a time: threads that arrive meanwhile use its result (no stampede).
        with self._fetching:
            cached = self._fresh(url, refresh)
            if cached is not None:
                return cached
            try:
                with httpx.Client(timeout=self.timeout, transport=self.transport) as client:
                    response = client.get(url, headers={"Accept": "application/json"})
            except httpx.HTTPError:
                raise InvalidToken("the key set cannot be fetched") from None
            return self._store(url, response)

    async def akeys(self, url: str, refresh: bool = False) -> list[dict[str, Any]]:
        cached = self._fresh(url, refresh)
        if cached is not None:
            return cached
        try:
            async with httpx.AsyncClient(timeout=self.timeout, transport=self.async_transport) as client:
                response = await client.get(url, headers={"Accept": "application/json"})
        except httpx.HTTPError:
            raise InvalidToken("the key set cannot be fetched") from None
        return self._store(url, response)


@dataclass
class TokenVerifier:
    """Verifies access tokens of one tenant issuer for one resource server (`audience`)."""

    issuer: str
    audience: str | list[str]
    scopes: Sequence[str] = ()  # required of every token; verify(..., scopes=) adds per-call ones
    leeway: float = DEFAULT_LEEWAY_SECONDS
    algorithms: Sequence[str] = ALLOWED_ALGORITHMS  # narrowed to the platform's allow-list, never widened
    jwks_uri: str = ""  # default: <issuer>/.well-known/jwks.json
    introspection: Introspection | None = None
    jwks: JwksCache = field(default_factory=JwksCache)
    _http: httpx.Client | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.issuer.startswith(("https://", "http://")):
            raise ValueError("issuer must be an http(s) URL")
        self.issuer = self.issuer.rstrip("/")
        self.jwks_uri = self.jwks_uri or f"{self.issuer}/.well-known/jwks.json"
        if not set(self.algorithms) & set(ALLOWED_ALGORITHMS):
            raise ValueError(f"algorithms must include one of {', '.join(ALLOWED_ALGORITHMS)}")

    def verify(self, token: str, *, scopes: Iterable[str] = ()) -> AccessToken:
        algorithm, kid = access_token_header(token, self.algorithms)
        jwk = find_key(self.jwks.keys(self.jwks_uri), kid) or find_key(self.jwks.keys(self.jwks_uri, True), kid)
        claims = self._claims(token, jwk, algorithm, scopes)
        if self.introspection is not None:
            url, options = self._introspect_request(token)
            try:
                response = self._introspection_client().post(url, **options)
            except httpx.HTTPError:
                raise InvalidToken("introspection failed") from None
            self._check_active(response)
        return AccessToken(claims)

    async def averify(self, token: str, *, scopes: Iterable[str] = ()) -> AccessToken:
        algorithm, kid = access_token_header(token, self.algorithms)
        jwk = find_key(await self.jwks.akeys(self.jwks_uri), kid) or find_key(
            await self.jwks.akeys(self.jwks_uri, True), kid)
        claims = self._claims(token, jwk, algorithm, scopes)
        if self.introspection is not None:
            url, options = self._introspect_request(token)
            try:
                async with httpx.AsyncClient(timeout=self.jwks.timeout, transport=self.jwks.async_transport) as client:
                    response = await client.post(url, **options)
            except httpx.HTTPError:
                raise InvalidToken("introspection failed") from None
            self._check_active(response)
        return AccessToken(claims)

    def _claims(self, token: str, jwk: Mapping[str, Any] | None, algorithm: str,
                scopes: Iterable[str]) -> dict[str, Any]:
        if jwk is None:
            raise InvalidToken("unknown key id")
        claims = verified_claims(token, jwk, algorithm, issuer=self.issuer, audience=self.audience,
                                 leeway=self.leeway)
        missing = missing_scopes(claims, [*self.scopes, *scopes])
        if missing:
            raise InsufficientScope(missing)
        return claims

    def close(self) -> None:
        """Closes the introspection connection pool (a verifier usually lives as long as its app)."""
        if self._http is not None:
            self._http.close()
            self._http = None

    def _introspection_client(self) -> httpx.Client:
        # Kept for the verifier's life: one connection pool, not a TLS handshake per request
        # (httpx.Client is safe to share between threads).
        if self._http is None:
            self._http = httpx.Client(timeout=self.jwks.timeout, transport=self.jwks.transport)
        return self._http

    def _introspect_request(self, token: str) -> tuple[str, dict[str, Any]]:
        introspection = self.introspection
        if introspection is None:
            raise RuntimeError("introspection is not configured")
        endpoint = introspection.endpoint or f"{self.issuer}/oauth2/introspect"
        return endpoint, {"data": {"token": token, "token_type_hint": "access_token"},
                          "auth": (introspection.client_id, introspection.client_secret)}

    @staticmethod
    def _check_active(response: httpx.Response) -> None:
        if response.status_code != 200:
            raise InvalidToken("introspection failed")
        try:
            active = response.json().get("active")
        except ValueError:
            raise InvalidToken("introspection failed") from None
        if active is not True:
            raise InvalidToken("token revoked")
