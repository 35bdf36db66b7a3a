"""Users of a tenant: the rules for emails, phones and profile claims, free of gRPC and SQL."""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import Enum
from typing import Any
from urllib.parse import urlsplit

from services.common.errors import InvalidArgument

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"^[^@\s\x00-\x1f]{{1,64}}@{_LABEL}(?:\.{_LABEL})+$")
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
_LOCALE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
_ZONEINFO = re.compile(r"^[A-Za-z_]+(?:/[A-Za-z0-9_+\-]+){0,2}$")
MAX_METADATA_BYTES = 16 * 1024
PROFILE_FIELDS = ("name", "given_name", "family_name", "picture", "locale", "zoneinfo")


class UserState(Enum):
    ACTIVE = "active"
    DISABLED = "disabled"


@dataclass(frozen=True)
class Profile:
    name: str = ""
    given_name: str = ""
    family_name: str = ""
    picture: str = ""
    locale: str = ""
    zoneinfo: str = ""

    def to_dict(self) -> dict[str, str]:
        return {f: getattr(self, f) for f in PROFILE_FIELDS if getattr(self, f)}


@dataclass(frozen=True)
class User:
    user_id: str
    email: str
    email_verified: bool
    phone_number: str
    phone_verified: bool
    profile: Profile
    metadata: dict[str, Any]
    state: UserState
    mfa_enabled: bool
    create_time: datetime
    update_time: datetime
    last_login_time: datetime | None = None
    locked: bool = field(default=False, compare=False)

    @property
    def active(self) -> bool:
        return self.state is UserState.ACTIVE


def new_user_id() -> str:
    return "usr_" + secrets.token_hex(12)


def normalize_email(email: str) -> str:
    """Trimmed, domain lower-cased; uniqueness is checked case-insensitively on the whole."""
    email = (email or "").strip()
    if len(email) > 254 or not _EMAIL.match(email):
        raise InvalidArgument("email is not a valid address", reason="INVALID_EMAIL", details={"field": "email"})
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def email_or_none(email: str) -> str | None:
    try:
        return normalize_email(email)
    except InvalidArgument:
        return None


def normalize_phone(phone: str) -> str:
    phone = re.sub(r"[\s\-().]", "", phone or "")
    if phone and not _E164.match(phone):
        raise InvalidArgument("phone_number must be E.164, for example +14155550100", reason="INVALID_PHONE_NUMBER",
                              details={"field": "phone_number"})
    return phone


def clean_profile(values: dict[str, Any], current: Profile | None = None) -> Profile:
    """Validated profile claims; unknown keys are refused, missing ones keep `current`."""
    profile = current or Profile()
    changes: dict[str, str] = {}
    for key, value in values.items():
        if key not in PROFILE_FIELDS:
            raise InvalidArgument(f"unknown profile field {key!r}", reason="INVALID_PROFILE", details={"field": key})
        text = str(value or "").strip()
        if len(text) > (2048 if key == "picture" else 200) or any(ord(c) < 32 for c in text):
            raise InvalidArgument(f"{key} is too long or has control characters", reason="INVALID_PROFILE",
                                  details={"field": key})
        if text and key == "picture" and (urlsplit(text).scheme != "https" or not urlsplit(text).netloc):
            raise InvalidArgument("picture must be an https URL", reason="INVALID_PROFILE", details={"field": key})
        if text and key == "locale" and not _LOCALE.match(text):
            raise InvalidArgument("locale must be a BCP 47 tag such as en-US", reason="INVALID_PROFILE",
                                  details={"field": key})
        if text and key == "zoneinfo" and not _ZONEINFO.match(text):
            raise InvalidArgument("zoneinfo must be an IANA time zone such as Europe/Paris", reason="INVALID_PROFILE",
                                  details={"field": key})
        changes[key] = text
    return replace(profile, **changes)


def clean_metadata(metadata: Any) -> dict[str, Any]:
    if metadata is None:
        return {}
    if not isinstance(metadata, dict):
        raise InvalidArgument("metadata must be a JSON object", reason="INVALID_METADATA",
                              details={"field": "metadata"})
    if len(json.dumps(metadata, separators=(",", ":"))) > MAX_METADATA_BYTES:
        raise InvalidArgument(f"metadata must be at most {MAX_METADATA_BYTES} bytes", reason="INVALID_METADATA",
                              details={"field": "metadata"})
    return metadata


def claims(user: User, issuer_host: str = "") -> dict[str, Any]:
    """OpenID Connect standard claims of a user (all scopes; the token service filters)."""
    data: dict[str, Any] = {
        "sub": user.user_id, "email": user.email, "email_verified": user.email_verified,
        **user.profile.to_dict(), "updated_at": int(user.update_time.timestamp()),
    }
    if user.phone_number:
        data["phone_number"] = user.phone_number
        data["phone_number_verified"] = user.phone_verified
    return data
