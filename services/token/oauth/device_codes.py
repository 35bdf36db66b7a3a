"""RFC 8628 device codes: the user code format, the polling state machine (pure), and the
storage port of pending device requests."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final, Protocol

from services.common.auth import credential_hash

USER_CODE_ALPHABET: Final = "BCDFGHJKLMNPQRSTVWXZ"
# No vowels (no words), no look-alikes: only consonants that read unambiguously.
USER_CODE_LENGTH: Final = 8
EXPIRES_IN: Final = 600
INTERVAL: Final = 5
SLOW_DOWN_STEP: Final = 5


# Device and user codes are stored like every other credential: SHA-256 only.
device_hash = credential_hash


def new_user_code() -> str:
    """8 characters from the unambiguous alphabet (20^8, about 37 bits), normalised form."""
    return "".join(secrets.choice(USER_CODE_ALPHABET) for _ in range(USER_CODE_LENGTH))


def format_user_code(code: str) -> str:
    """XXXX-XXXX, as the device shows it."""
    half = USER_CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def normalise_user_code(value: str) -> str:
    """What the user typed as the stored form: case, dashes and spaces do not matter; ""
    when it cannot be a user code."""
    if len(value) > 32:
        return ""
    code = "".join(c for c in value.upper() if c not in "- \t")
    if len(code) != USER_CODE_LENGTH or any(c not in USER_CODE_ALPHABET for c in code):
        return ""
    return code


# --- the polling state machine ---------------------------------------------------------------
@dataclass(frozen=True)
class DeviceGrant:
    client_id: str
    scope: str
    status: str  # pending, approved, denied, issued
    interval: int
    last_poll_time: datetime | None
    expire_time: datetime
    user_id: str = ""
    auth_time: datetime | None = None
    amr: tuple[str, ...] = ()
    claims: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PollResult:
    outcome: str  # "issue" or the RFC 8628 / RFC 6749 error code
    status: str  # the request's status after this poll
    interval: int  # the polling interval after this poll


def decide_poll(grant: DeviceGrant | None, client_id: str, now: datetime) -> PollResult:
    """One poll of the token endpoint (RFC 8628 section 3.5). Pure: the store applies the
    resulting status, interval and poll time atomically."""
    if grant is None or grant.client_id != client_id or grant.status == "issued":
        return PollResult("invalid_grant", grant.status if grant else "", grant.interval if grant else INTERVAL)
    if now >= grant.expire_time:
        return PollResult("expired_token", grant.status, grant.interval)
    if grant.status == "denied":
        return PollResult("access_denied", grant.status, grant.interval)
    if grant.status == "approved":
        return PollResult("issue", "issued", grant.interval)
    if grant.last_poll_time is not None and now - grant.last_poll_time < timedelta(seconds=grant.interval):
        return PollResult("slow_down", grant.status, grant.interval + SLOW_DOWN_STEP)
    return PollResult("authorization_pending", grant.status, grant.interval)


POLL_ERRORS = {
    "invalid_grant": "the device code is invalid, expired or already used",
    "expired_token": "the device code has expired; start again",
    "access_denied": "the user denied the request",
    "slow_down": "polling too fast; the interval was raised",
    "authorization_pending": "the user has not approved the request yet",
}


# --- collaborators -------------------------------------------------------------------------------
@dataclass(frozen=True)
class PendingDevice:
    device_code_hash: bytes
    user_code_hash: bytes
    client_id: str
    scope: str
    interval: int
    expire_time: datetime


@dataclass(frozen=True)
class Approval:
    user_id: str
    auth_time: datetime
    amr: tuple[str, ...]
    session_id: str
    claims: dict[str, Any]


class DeviceStore(Protocol):
    async def create(self, tenant_id: str, pending: PendingDevice, now: datetime) -> bool: ...
    async def find_pending(self, tenant_id: str, user_code_hash: bytes, now: datetime) -> DeviceGrant | None: ...
    async def decide(self, tenant_id: str, user_code_hash: bytes, approval: Approval | None,
                     now: datetime) -> bool: ...
    async def poll(self, tenant_id: str, device_code_hash: bytes, client_id: str,
                   now: datetime) -> tuple[PollResult, DeviceGrant | None]: ...
