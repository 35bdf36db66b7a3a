"""What the grant stores keep: authorization codes, grant families, refresh tokens and the
access tokens a family issued (so that revoking the family can deny-list them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any


@dataclass(frozen=True)
class CodeGrant:
    client_id: str
    user_id: str
    redirect_uri: str
    scope: str
    nonce: str
    code_challenge: str
    auth_time: datetime
    amr: tuple[str, ...]
    session_id: str
    claims: dict[str, Any]
    # RFC 6749 section 4.1.3: the token request must repeat redirect_uri only if the
    # authorization request sent it.
    redirect_uri_sent: bool = True


@dataclass(frozen=True)
class IssuedAccess:
    """An access token issued (or about to be) from a family: its jti and expiry."""

    jti: str
    expire_time: datetime


@dataclass(frozen=True)
class PlannedFamily:
    """The family a redemption starts and the access token it is about to sign, recorded
    before signing so that a concurrent replay can revoke them."""

    family_id: str
    client_id: str
    user_id: str
    access: IssuedAccess | None


@dataclass(frozen=True)
class RefreshGrant:
    family_id: str
    client_id: str
    user_id: str
    scope: str
    auth_time: datetime
    amr: tuple[str, ...]
    claims: dict[str, Any]
    expire_time: datetime
    family_expire_time: datetime


@dataclass(frozen=True)
class PresentedRefresh:
    """A refresh request as it reaches the store: the token (by hash), the client presenting
    it and the scopes asked for (empty: the grant's own)."""

    token_hash: bytes
    client_id: str
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class Successor:
    """The refresh token a rotation stores in place of the one used: its hash and idle expiry
    (the family's absolute expiry still bounds it)."""

    token_hash: bytes
    idle_expire_time: datetime


@dataclass(frozen=True)
class StoredRefresh:
    grant: RefreshGrant
    create_time: datetime
    used: bool
    revoked: bool


class RotationOutcome(Enum):
    ROTATED = "rotated"
    REUSED = "reused"  # the token was used before: the family is now revoked
    REVOKED = "revoked"  # the token or its family was revoked before


@dataclass(frozen=True)
class Rotation:
    outcome: RotationOutcome
    # For REUSED: the family's unexpired access tokens, to deny-list.
    revoked_access: tuple[IssuedAccess, ...] = ()
