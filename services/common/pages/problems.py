"""A use case's refusal (DomainError) in the page's language: known reasons map to catalogue
msgids, filled from the error's details; anything else shows the English message."""

from __future__ import annotations

import string

from services.common.errors import DomainError
from services.common.pages.i18n import Translator

REASONS: dict[str, str] = {
    "PASSWORD_TOO_SHORT": "The password must have at least {min_length} characters.",
    "PASSWORD_TOO_LONG": "The password must have at most {max_length} characters.",
    "PASSWORD_INVALID_CHARACTERS": "The password must not contain control characters.",
    "PASSWORD_CONTAINS_EMAIL": "The password must not contain your email address.",
    "PASSWORD_CONTAINS_NAME": "The password must not contain your name.",
    "PASSWORD_TOO_COMMON": "This password is too common. Choose another one.",
    "INVALID_EMAIL": "Enter a valid email address.",
    "INVALID_CODE": "The code is invalid or has expired.",
    "SIGNUP_DISABLED": "Sign-up is disabled for this tenant.",
    "METHOD_DISABLED": "This way of signing in is turned off.",
    "TENANT_SUSPENDED": "This service is suspended.",
    "EMAIL_NOT_VERIFIED": "Verify your email address first: we sent you a new link.",
    "INVALID_CREDENTIALS": "The email or password is wrong.",
    "MFA_TOKEN_INVALID": "The sign-in attempt expired. Please start again.",
    "INVALID_MFA_CODE": "The code is wrong.",
    "TOO_MANY_ATTEMPTS": "Too many sign-in attempts at once. Try again in a moment.",
}


def problem_text(t: Translator, error: DomainError) -> str:
    msgid = REASONS.get(error.reason or "")
    if msgid is None:
        return t(error.message)
    names = {name for _, name, _, _ in string.Formatter().parse(msgid) if name}
    values = {name: error.details.get(name, "") for name in names}
    if any(not v for v in values.values()):
        return t(error.message)
    return t(msgid, **values)
