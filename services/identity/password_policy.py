"""The tenant's password policy (ASVS 5.0 V6.2): length in Unicode code points after NFKC,
at least 8 and at least 64 allowed, no truncation, any printable character (spaces and emoji
included), no control characters, not one of the most common passwords, not the account's
own email address or name.

Hash what `normalize_password` returns (at sign-up, login and change alike) so that the same
password typed on two keyboards (composed vs decomposed accents, full-width forms) matches."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from services.common.errors import InvalidArgument

MIN_LENGTH_FLOOR = 8  # never fewer (ASVS 6.2.1)
MAX_LENGTH_FLOOR = 64  # always at least this many allowed (ASVS 6.2.9)
COMMON_PASSWORDS_FILE = "data/common-passwords.txt"
# Refused: C0/C1 controls (tab, newline, NUL, DEL...) and lone surrogates (not encodable).
_REFUSED_CATEGORIES = frozenset({"Cc", "Cs"})
_MIN_CONTEXT_WORD = 4  # an email local part or name shorter than this is not searched for


@dataclass(frozen=True)
class PasswordPolicy:
    min_length: int = 8
    max_length: int = 128
    reject_common_passwords: bool = True

    def __post_init__(self) -> None:
        # Floors hold whatever the settings say.
        min_length = max(self.min_length, MIN_LENGTH_FLOOR)
        object.__setattr__(self, "min_length", min_length)
        object.__setattr__(self, "max_length", max(self.max_length, MAX_LENGTH_FLOOR, min_length))

    @classmethod
    def from_settings(cls, policy: Mapping[str, Any] | None) -> PasswordPolicy:
        """From the tenant's `settings["password_policy"]` dict; missing or malformed fields
        take the defaults."""
        policy = policy or {}
        default = cls()
        reject = policy.get("reject_common_passwords", default.reject_common_passwords)
        return cls(
            min_length=_int(policy.get("min_length"), default.min_length),
            max_length=_int(policy.get("max_length"), default.max_length),
            reject_common_passwords=reject if isinstance(reject, bool) else default.reject_common_passwords,
        )

    def check(self, password: str, *, email: str = "", name: str = "") -> None:
        """Raises InvalidArgument (details["field"] == "password") if the password is refused."""
        if any(unicodedata.category(ch) in _REFUSED_CATEGORIES for ch in password):
            raise _refused("PASSWORD_INVALID_CHARACTERS", "the password must not contain control characters")
        normalized = normalize_password(password)
        length = len(normalized)
        if length < self.min_length:
            raise _refused("PASSWORD_TOO_SHORT", f"the password must have at least {self.min_length} characters",
                           min_length=str(self.min_length))
        if length > self.max_length:
            raise _refused("PASSWORD_TOO_LONG", f"the password must have at most {self.max_length} characters",
                           max_length=str(self.max_length))
        folded = normalized.casefold()
        if _contains_email(folded, email):
            raise _refused("PASSWORD_CONTAINS_EMAIL", "the password must not contain the email address")
        if _contains_name(folded, name):
            raise _refused("PASSWORD_CONTAINS_NAME", "the password must not contain the account's name")
        if self.reject_common_passwords and is_common_password(normalized):
            raise _refused("PASSWORD_TOO_COMMON", "this password is too common; choose another one")


def normalize_password(password: str) -> str:
    """NFKC (NIST SP 800-63B 5.1.1.2): the form to count, check and hash. Never truncated."""
    return unicodedata.normalize("NFKC", password)


def is_common_password(password: str) -> bool:
    """True if the password (any case, surrounding spaces ignored) is on the shipped list."""
    folded = normalize_password(password).casefold()
    common = common_passwords()
    return folded in common or folded.strip() in common


@functools.cache
def common_passwords() -> frozenset[str]:
    """The shipped list, read once (call at startup to keep the first sign-up fast)."""
    text = resources.files(__package__ or "services.identity").joinpath(COMMON_PASSWORDS_FILE).read_text("utf-8")
    return frozenset(
        line.strip().casefold() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def _contains_email(folded: str, email: str) -> bool:
    email = normalize_password(email).casefold().strip()
    if not email:
        return False
    local = email.partition("@")[0]
    return email in folded or (len(local) >= _MIN_CONTEXT_WORD and local in folded)


def _contains_name(folded: str, name: str) -> bool:
    compact = "".join(normalize_password(name).casefold().split())
    return len(compact) >= _MIN_CONTEXT_WORD and compact in "".join(folded.split())


def _int(value: object, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _refused(reason: str, message: str, **details: str) -> InvalidArgument:
    return InvalidArgument(message, reason=reason, details={"field": "password", **details})
