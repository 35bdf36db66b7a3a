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
    "INVALID_PROFILE": "The name is too long or contains characters that are not allowed.",
    "EMAIL_TAKEN": "This email address belongs to another account.",
    "SESSION_REQUIRED": "Please sign in first.",
    "TENANT_NOT_FOUND": "There is no sign-in page at this address. Check the link you followed.",
    "INVALID_TENANT_ID": "There is no sign-in page at this address. Check the link you followed.",
    "TENANT_REQUIRED": "There is no sign-in page at this address. Check the link you followed.",
}
# Refusals no hosted page can meet (management APIs only) or that pages answer with the
# generic "Something went wrong" (5xx): tests/unit/test_page_catalogue.py checks that every
# other reason the page use cases raise is in REASONS.
NOT_ON_PAGES = frozenset({
    "INVALID_METADATA", "INVALID_PHONE_NUMBER", "MFA_ALREADY_ENABLED", "MFA_NOT_ENABLED", "MFA_NOT_ENROLLING",
    "TENANT_MISMATCH", "TENANT_SERVICE_UNAVAILABLE", "SESSION_SERVICE_UNAVAILABLE", "DEPENDENCY_UNAVAILABLE",
})
GENERIC = "This request cannot be completed. Go back and try again."


def problem_text(t: Translator, error: DomainError) -> str:
    msgid = REASONS.get(error.reason or "")
    if msgid is None:
        # A refusal without words in the catalogue: never English on a page in another language.
        return t(error.message) if t.has(error.message) else t(GENERIC)
    names = {name for _, name, _, _ in string.Formatter().parse(msgid) if name}
    values: dict[str, object] = {name: error.details.get(name, "") for name in names}
    if any(not v for v in values.values()):
        return t(error.message) if t.has(error.message) else t(GENERIC)
    # Numbers (a minimum length) are written the language's way.
    return t(msgid, **{k: int(v) if isinstance(v, str) and v.isdigit() else v for k, v in values.items()})
