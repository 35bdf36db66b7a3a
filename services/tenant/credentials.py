"""API keys and admin tokens: generation, scopes, and who may grant what."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from services.common.auth import ALL_SCOPES, Principal
from services.common.errors import InvalidArgument, PermissionDenied

API_KEY_PREFIX = "bino_"
ADMIN_TOKEN_PREFIX = "binoa_"
BOOTSTRAP_KEY_ID = "ak_bootstrap"
MIN_BOOTSTRAP_KEY_LENGTH = 32


class ApiKeyState(Enum):
    ACTIVE = "active"
    REVOKED = "revoked"
    EXPIRED = "expired"


@dataclass(frozen=True)
class ApiKey:
    api_key_id: str
    tenant_id: str  # "" for a platform key
    display_name: str
    scopes: frozenset[str]
    create_time: datetime
    expire_time: datetime | None
    revoke_time: datetime | None

    def state(self, now: datetime) -> ApiKeyState:
        if self.revoke_time is not None:
            return ApiKeyState.REVOKED
        if self.expire_time is not None and self.expire_time <= now:
            return ApiKeyState.EXPIRED
        return ApiKeyState.ACTIVE


def new_api_key_secret() -> str:
    # 256 bits from the CSPRNG; the prefix lets secret scanners recognise a leaked key.
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def new_admin_token() -> str:
    return ADMIN_TOKEN_PREFIX + secrets.token_urlsafe(32)


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


def validate_scopes(scopes: list[str] | tuple[str, ...] | frozenset[str], tenant_id: str) -> frozenset[str]:
    requested = frozenset(s.strip() for s in scopes)
    if not requested:
        raise InvalidArgument("at least one scope is required", reason="INVALID_SCOPE", details={"field": "scopes"})
    unknown = sorted(requested - ALL_SCOPES)
    if unknown:
        raise InvalidArgument(f"unknown scopes: {', '.join(unknown)}", reason="INVALID_SCOPE",
                              details={"field": "scopes", "allowed": " ".join(sorted(ALL_SCOPES))})
    return requested


def check_can_grant(principal: Principal, tenant_id: str, scopes: frozenset[str]) -> None:
    """Nobody hands out more than they hold, nor reaches into another tenant."""
    if not principal.can_access_tenant(tenant_id) or (principal.tenant_id and not tenant_id):
        raise PermissionDenied("this credential cannot create credentials for that tenant",
                               reason="TENANT_MISMATCH")
    missing = scopes - principal.scopes
    if missing:
        raise PermissionDenied(f"cannot grant scopes this credential does not hold: {', '.join(sorted(missing))}",
                               reason="SCOPE_ESCALATION")


def clean_label(value: str, field: str, max_length: int = 100) -> str:
    value = (value or "").strip()
    if len(value) > max_length or any(ord(c) < 32 for c in value):
        raise InvalidArgument(f"{field} must be at most {max_length} printable characters",
                              reason="INVALID_ARGUMENT", details={"field": field})
    return value
