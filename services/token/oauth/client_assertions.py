"""private_key_jwt: a client authenticates with a JWT it signed (RFC 7523 section 3, OpenID
Connect Core section 9), checked against the public keys it registered.

Every failure is the same invalid_client to the client; the reason goes to the log only."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from datetime import datetime
from typing import Any, Final, Protocol

import jwt

from services.common.timestamps import Clock, utcnow
from services.common.tokens import InvalidToken, checked_header
from services.token.applications.client_keys import ALGORITHMS, ClientKey, parse_key
from services.token.applications.model import Application
from services.token.oauth.client_key_sets import KeySetUnavailable

CLIENT_ASSERTION_TYPE: Final = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
LEEWAY_SECONDS: Final = 30
# An assertion is a one-time credential: a long-lived one is a password in disguise, and its
# jti must be remembered for as long. An hour, because common client libraries (Authlib among
# them) sign assertions valid for exactly that by default.
MAX_LIFETIME_SECONDS: Final = 3600
MAX_JTI: Final = 256
MAX_ASSERTION: Final = 8192
_KEY_CACHE_SIZE: Final = 10_000


class AssertionRejected(Exception):
    """Why an assertion was refused (for the log; the client only sees invalid_client)."""


class KeySets(Protocol):
    async def keys(self, url: str, *, refresh: bool = False) -> dict[str, ClientKey]:
        """The keys published at `url` (KeySetUnavailable when there are none to use)."""
        ...


class ReplayGuard(Protocol):
    async def first_use(self, tenant_id: str, client_id: str, jti_hash: str, ttl_seconds: int) -> bool:
        """True the first time this jti is seen for the client, until `ttl_seconds` pass."""
        ...


def assertion_subject(assertion: str) -> str:
    """The client an assertion claims to come from ("sub"), read before verification only to
    find which keys verify it; "" when it cannot be read."""
    try:
        claims = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.PyJWTError:
        return ""
    subject = claims.get("sub")
    return subject if isinstance(subject, str) else ""


class ClientAssertions:
    def __init__(self, replay: ReplayGuard, key_sets: KeySets, clock: Clock = utcnow) -> None:
        self._replay = replay
        self._key_sets = key_sets
        self._clock = clock
        # Parsed keys per application version: key objects are built once, not per request.
        self._keys: dict[tuple[str, str, datetime | None], dict[str, ClientKey]] = {}

    async def verify(self, tenant_id: str, client: Application, assertion: str, audiences: Collection[str]) -> None:
        """Returns if `assertion` authenticates `client` at one of `audiences` (the tenant's
        issuer and endpoint URLs); otherwise AssertionRejected."""
        if len(assertion) > MAX_ASSERTION:
            raise AssertionRejected("assertion too large")
        try:
            # Never "none", never HMAC with a public key as the secret.
            header = checked_header(assertion, ALGORITHMS)
        except InvalidToken as error:
            raise AssertionRejected(str(error)) from None
        algorithm = header["alg"]
        key = await self._key(tenant_id, client, header.get("kid"))
        if not key.verifies(algorithm):
            raise AssertionRejected("algorithm does not match the key")
        now = self._clock()
        try:
            claims: dict[str, Any] = jwt.decode(
                assertion, key.key, algorithms=[algorithm], audience=list(audiences), leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "sub", "aud", "exp", "jti"]},
            )
        except jwt.PyJWTError as error:
            raise AssertionRejected(f"invalid assertion: {type(error).__name__}") from None
        if claims["iss"] != client.client_id or claims["sub"] != client.client_id:
            raise AssertionRejected("iss and sub must both be the client_id")
        expires = claims["exp"]
        remaining = int(expires - now.timestamp()) if isinstance(expires, (int, float)) else -1
        if remaining > MAX_LIFETIME_SECONDS + LEEWAY_SECONDS:
            raise AssertionRejected("assertion lifetime too long")
        issued = claims.get("iat")
        if isinstance(issued, (int, float)) and issued > now.timestamp() + LEEWAY_SECONDS:
            raise AssertionRejected("assertion issued in the future")
        jti = claims["jti"]
        if not isinstance(jti, str) or not 1 <= len(jti) <= MAX_JTI:
            raise AssertionRejected("jti must be a string of 1 to 256 characters")
        digest = hashlib.sha256(jti.encode()).hexdigest()
        if not await self._replay.first_use(tenant_id, client.client_id, digest,
                                            max(remaining, 0) + LEEWAY_SECONDS):
            raise AssertionRejected("assertion replayed")

    async def _key(self, tenant_id: str, client: Application, kid: Any) -> ClientKey:
        if client.jwks_uri:
            try:
                found = _pick(await self._key_sets.keys(client.jwks_uri), kid)
                if found is None:  # perhaps a key the client has just added
                    found = _pick(await self._key_sets.keys(client.jwks_uri, refresh=True), kid)
            except KeySetUnavailable as error:
                raise AssertionRejected(f"jwks_uri: {error}") from None
        else:
            found = _pick(self._inline_keys(tenant_id, client), kid)
        if found is None:
            raise AssertionRejected("no registered key matches the assertion's kid")
        return found

    def _inline_keys(self, tenant_id: str, client: Application) -> dict[str, ClientKey]:
        cache_key = (tenant_id, client.client_id, client.update_time)
        keys = self._keys.get(cache_key)
        if keys is None:
            parsed = (parse_key(jwk) for jwk in client.jwks)
            keys = {key.kid: key for key in parsed}
            if len(self._keys) >= _KEY_CACHE_SIZE:
                self._keys.clear()
            self._keys[cache_key] = keys
        return keys


def _pick(keys: dict[str, ClientKey], kid: Any) -> ClientKey | None:
    """The key named by `kid`; without a kid, the only key there is."""
    if kid is None and len(keys) == 1:
        return next(iter(keys.values()))
    return keys.get(kid) if isinstance(kid, str) else None
