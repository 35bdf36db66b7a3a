"""Management principals (API keys, admin tokens), scope checks, and a cached verifier
that other services use to check credentials with the tenant service."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import Enum

from services.common.errors import PermissionDenied, Unauthenticated

ALL_SCOPES = frozenset({
    "tenants:read", "tenants:write",
    "api_keys:read", "api_keys:write",
    "admins:read", "admins:write",
    "users:read", "users:write", "events:read",
    "applications:read", "applications:write",
    "sessions:read", "sessions:write",
    "signing_keys:write",
    "identity_providers:read", "identity_providers:write",
    "analytics:read",
})


class PrincipalKind(Enum):
    API_KEY = "api_key"
    ADMIN_USER = "admin_user"


@dataclass(frozen=True)
class Principal:
    """Who made a management call. An empty tenant_id means a platform principal."""

    principal_id: str
    kind: PrincipalKind
    tenant_id: str
    scopes: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_platform(self) -> bool:
        return not self.tenant_id

    def require_scope(self, scope: str) -> None:
        if scope not in self.scopes:
            raise PermissionDenied(
                f"this credential lacks the scope {scope!r}", reason="MISSING_SCOPE",
                details={"scope": scope},
            )

    def require_platform(self) -> None:
        if not self.is_platform:
            raise PermissionDenied("this operation needs a platform credential", reason="PLATFORM_CREDENTIAL_REQUIRED")

    def can_access_tenant(self, tenant_id: str) -> bool:
        return self.is_platform or self.tenant_id == tenant_id


def credential_hash(credential: str) -> bytes:
    """Credentials are high-entropy random strings: SHA-256 is the right hash (a slow
    password hash would cap every management call at the hash rate)."""
    return hashlib.sha256(credential.encode()).digest()


def missing_credential() -> Unauthenticated:
    return Unauthenticated(
        "an API key is required: send 'Authorization: Bearer <key>'", reason="CREDENTIAL_MISSING"
    )


def invalid_credential() -> Unauthenticated:
    return Unauthenticated("the credential is invalid, expired or revoked", reason="CREDENTIAL_INVALID")


VerifyFn = Callable[[str], Awaitable[tuple[Principal, float]]]


class CachedCredentialVerifier:
    """Remembers successful checks for their TTL (keyed by the credential's hash, never the
    credential itself); failures are not cached, so a newly created key works at once."""

    def __init__(
        self, verify: VerifyFn, max_entries: int = 10_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._verify = verify
        self._cache: dict[bytes, tuple[float, Principal]] = {}
        self._max = max_entries
        self._clock = clock

    async def authenticate(self, credential: str) -> Principal:
        if not credential:
            raise missing_credential()
        key = credential_hash(credential)
        hit = self._cache.get(key)
        now = self._clock()
        if hit and hit[0] > now:
            return hit[1]
        principal, ttl = await self._verify(credential)
        if ttl > 0:
            if len(self._cache) >= self._max:
                self._cache.clear()
            self._cache[key] = (now + ttl, principal)
        return principal

    def forget(self, credential_digest: bytes) -> None:
        self._cache.pop(credential_digest, None)

    def clear(self, _key: str = "") -> None:
        """Drops every cached answer (a credential was revoked or a tenant suspended)."""
        self._cache.clear()
