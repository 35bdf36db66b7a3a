"""The small ports the OAuth endpoints and grants are written against (fosite-style: one
narrow storage interface per feature), and the security events they report."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from services.token.applications.model import Application
from services.token.oauth.grant_records import (
    CodeGrant,
    IssuedAccess,
    PlannedFamily,
    PresentedRefresh,
    RefreshGrant,
    Rotation,
    StoredRefresh,
    Successor,
)


class Applications(Protocol):
    async def find(self, tenant_id: str, client_id: str) -> Application | None: ...
    async def authenticate_client(self, tenant_id: str, client_id: str, secret: str) -> Application: ...


class TokenEvent(StrEnum):
    """The security events the token service reports (a subset of the identity service's
    EventService types; tests/unit/test_events.py keeps them in step)."""

    REFRESH_TOKEN_REUSED = "REFRESH_TOKEN_REUSED"
    AUTHORIZATION_CODE_REUSED = "AUTHORIZATION_CODE_REUSED"
    CONSENT_GRANTED = "CONSENT_GRANTED"
    CONSENT_REVOKED = "CONSENT_REVOKED"
    CLIENT_AUTH_FAILED = "CLIENT_AUTH_FAILED"


class SecurityEvents(Protocol):
    def report(self, tenant_id: str, event_type: TokenEvent, *, user_id: str = "", **details: str) -> None:
        """Records an event for the tenant's administrators, in the background."""
        ...


class OAuthMetrics(Protocol):
    def issued(self, grant_type: str, result: str) -> None: ...
    def replay_detected(self, kind: str) -> None:
        """A used authorization code or rotated refresh token came back (its family revoked)."""
        ...
    def introspected(self, active: bool) -> None: ...
    def revoked(self) -> None: ...


# Puts an access token's jti on the platform deny-list until the token would expire.
RevokeToken = Callable[[str, str, datetime], Awaitable[None]]


class RevocationCheck(Protocol):
    """The platform's one revocation check (deny-list and not-before times, falling back to the
    session service when Redis lost the list)."""

    async def is_revoked(self, tenant_id: str, jti: str, user_id: str, issued_at: datetime) -> bool: ...


class CodeStore(Protocol):
    async def save_code(self, tenant_id: str, code_hash: bytes, grant: CodeGrant, now: datetime,
                        expire: datetime) -> None: ...

    async def redeem_code(self, tenant_id: str, code_hash: bytes, now: datetime,
                          planned: PlannedFamily) -> tuple[CodeGrant | None, PlannedFamily | None]:
        """Uses the code up and records, in the same transaction, the family and access token
        the redemption is about to issue. (grant, None) for the winner; (None, what the earlier
        redemption recorded) for a replay; (None, None) for an unknown or expired code."""
        ...


class FamilyStore(Protocol):
    """Grant families: everything issued from one authorization (code or device approval)."""

    async def start_family(self, tenant_id: str, planned: PlannedFamily, now: datetime) -> None: ...

    async def add_refresh(self, tenant_id: str, token_hash: bytes, grant: RefreshGrant, now: datetime) -> None:
        """Stores a refresh token of a family; stored already revoked if the family was revoked
        meanwhile (the family row serialises the two)."""
        ...

    async def revoke_family(self, tenant_id: str, family_id: str, now: datetime) -> list[IssuedAccess]:
        """Ends the family's refresh tokens; the unexpired access tokens it issued, to deny-list."""
        ...


class RefreshStore(FamilyStore, Protocol):
    async def refresh_by_hash(self, tenant_id: str, token_hash: bytes) -> StoredRefresh | None: ...

    async def rotate_presented(self, tenant_id: str, presented: PresentedRefresh, now: datetime,
                               successor: Successor, access: IssuedAccess,
                               confirm: Callable[[RefreshGrant], Awaitable[None]]) -> RefreshGrant | None:
        """A refresh's common case in one round trip: if the presented token is live (unused,
        unrevoked, unexpired, its family live), is the presenting client's and covers the scopes
        asked for, uses it up under the family's lock and stores its successor (the same grant)
        and the access token about to be issued; returns the used token's grant. Anything else
        changes nothing and returns None: refresh_by_hash and rotate_refresh then say why.
        `confirm` sees the grant before the rotation commits: if it raises, nothing changed
        and its exception propagates (a check that fails must not use the token up)."""
        ...

    async def rotate_refresh(self, tenant_id: str, token_hash: bytes, family_id: str, now: datetime,
                             new_hash: bytes, new_grant: RefreshGrant, access: IssuedAccess) -> Rotation:
        """One transaction under the family's lock: uses the token up and stores its successor
        and the access token about to be issued; or, for a token already used, revokes the
        family (reuse detection)."""
        ...


class ConsentStore(Protocol):
    async def consent(self, tenant_id: str, user_id: str, client_id: str) -> frozenset[str]: ...
    async def remember_consent(self, tenant_id: str, user_id: str, client_id: str, scopes: list[str],
                               now: datetime) -> None: ...
    async def consents_of(self, tenant_id: str, user_id: str) -> list[tuple[str, list[str]]]: ...
    async def forget_consent(self, tenant_id: str, user_id: str, client_id: str,
                             now: datetime) -> tuple[bool, list[IssuedAccess]]: ...


Claims = dict[str, Any]
