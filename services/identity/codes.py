"""Single-use codes and link tokens: CSPRNG, hashed at rest, bound to user and purpose."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum


class Purpose(Enum):
    VERIFY_EMAIL = "verify_email"
    MAGIC_LINK = "magic_link"
    PASSWORD_RESET = "password_reset"
    VERIFY_PHONE = "verify_phone"
    MFA_LOGIN = "mfa_login"
    # An administrator's invitation to set a password: the one purpose allowed to outlive
    # 10 minutes, because a person has to find the mail first.
    INVITE = "invite"


LIFETIME: dict[Purpose, timedelta] = {
    Purpose.VERIFY_EMAIL: timedelta(minutes=10),
    Purpose.MAGIC_LINK: timedelta(minutes=10),
    Purpose.PASSWORD_RESET: timedelta(minutes=10),
    Purpose.VERIFY_PHONE: timedelta(minutes=10),
    Purpose.MFA_LOGIN: timedelta(minutes=5),
    Purpose.INVITE: timedelta(hours=72),
}


@dataclass(frozen=True)
class IssuedCode:
    purpose: Purpose
    value: str  # shown once: in a mail, an SMS, or a response

    @property
    def hash(self) -> bytes:
        return code_hash(self.purpose, self.value)


def new_code(purpose: Purpose) -> IssuedCode:
    if purpose is Purpose.VERIFY_PHONE:
        # Typed by a person from an SMS: 6 digits, protected by lockout, expiry and single use.
        return IssuedCode(purpose, f"{secrets.randbelow(1_000_000):06d}")
    return IssuedCode(purpose, secrets.token_urlsafe(32))


def code_hash(purpose: Purpose, value: str) -> bytes:
    # The purpose is part of the hash: a reset code can never be replayed as a magic link.
    return hashlib.sha256(f"{purpose.value}:{value.strip()}".encode()).digest()
