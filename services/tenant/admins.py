"""Administrators of the platform or of one tenant."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from services.common.errors import InvalidArgument

ADMIN_TOKEN_TTL_SECONDS = 900
MIN_ADMIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
# Per-account brute-force limit for admin sign-in: temporary, never permanent.
ADMIN_MAX_FAILURES = 5
ADMIN_LOCKOUT_SECONDS = 900

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,}$")


class AdminState(Enum):
    ACTIVE = "active"
    DISABLED = "disabled"


@dataclass(frozen=True)
class AdminUser:
    admin_user_id: str
    email: str
    tenant_id: str
    scopes: frozenset[str]
    state: AdminState
    create_time: datetime
    last_login_time: datetime | None


def normalize_email(email: str) -> str:
    email = (email or "").strip()
    if not _EMAIL.match(email) or len(email) > 320:
        raise InvalidArgument("email is not a valid address", reason="INVALID_EMAIL", details={"field": "email"})
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def check_admin_password(password: str) -> None:
    if len(password) < MIN_ADMIN_PASSWORD_LENGTH:
        raise InvalidArgument(f"password must be at least {MIN_ADMIN_PASSWORD_LENGTH} characters",
                              reason="PASSWORD_TOO_SHORT", details={"field": "password"})
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidArgument(f"password must be at most {MAX_PASSWORD_LENGTH} characters",
                              reason="PASSWORD_TOO_LONG", details={"field": "password"})
