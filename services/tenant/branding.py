"""The tenant's branding settings (settings.branding) and their rules: what the hosted pages
show must be safe to show (https links only, no control characters) and readable (the primary
colour passes WCAG AA, services/common/pages/branding.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from services.common.errors import InvalidArgument
from services.common.pages.branding import STORED_LOGO, colour_problem
from services.common.pages.i18n import languages
from services.common.pages.logos import LogoRefused, decode_data_url, logo_url_problem

MAX_URL = 2048
MAX_FOOTER = 200
MAX_SCOPE_DESCRIPTIONS = 50
MAX_DESCRIPTION = 200
_SCOPE = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]{1,64}$")  # RFC 6749 scope-token


@dataclass(frozen=True)
class Branding:
    primary_color: str = ""
    support_url: str = ""
    privacy_policy_url: str = ""
    footer: str = ""
    default_language: str = ""
    scope_descriptions: dict[str, str] = field(default_factory=dict)
    logo_url: str = ""
    logo_image: str = ""


def _refuse(path: str, message: str) -> InvalidArgument:
    return InvalidArgument(f"settings.branding.{path} {message}", reason="INVALID_BRANDING",
                           details={"field": f"settings.branding.{path}"})


def _plain(text: str) -> bool:
    return not any(ord(c) < 32 or ord(c) == 127 for c in text)


def _https(url: str, path: str) -> None:
    if not url:
        return
    parts = urlsplit(url)
    if len(url) > MAX_URL or not _plain(url) or " " in url:
        raise _refuse(path, f"must be an https URL of at most {MAX_URL} characters")
    if parts.scheme != "https" or not parts.hostname or parts.username or parts.password:
        raise _refuse(path, "must be an https URL (https://…) without credentials")


def validate_branding(branding: Branding) -> Branding:
    """Raises InvalidArgument (INVALID_BRANDING, the field in details) for what the pages
    must not show."""
    if branding.primary_color:
        problem = colour_problem(branding.primary_color)
        if problem:
            raise _refuse("primary_color", problem)
    _https(branding.support_url, "support_url")
    _https(branding.privacy_policy_url, "privacy_policy_url")
    if len(branding.footer) > MAX_FOOTER or not _plain(branding.footer):
        raise _refuse("footer", f"must be one line of at most {MAX_FOOTER} characters")
    if branding.default_language and branding.default_language not in languages():
        raise _refuse("default_language", "must be one of " + ", ".join(languages()))
    if branding.logo_url:
        problem = logo_url_problem(branding.logo_url)
        if problem:
            raise _refuse("logo_url", problem)
    # A stored upload's own path (services/tenant/logos.py), sent back unchanged, is kept.
    if branding.logo_image and not STORED_LOGO.fullmatch(branding.logo_image):
        try:
            decode_data_url(branding.logo_image)
        except LogoRefused as refused:
            raise _refuse("logo_image", f"is refused: {refused}") from None
    descriptions = branding.scope_descriptions
    if len(descriptions) > MAX_SCOPE_DESCRIPTIONS:
        raise _refuse("scope_descriptions", f"may describe at most {MAX_SCOPE_DESCRIPTIONS} scopes")
    for scope, text in descriptions.items():
        if not isinstance(scope, str) or not _SCOPE.fullmatch(scope):
            raise _refuse("scope_descriptions", f"has an invalid scope name {str(scope)[:64]!r}")
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_DESCRIPTION or not _plain(text):
            raise _refuse("scope_descriptions", f"needs a description of 1-{MAX_DESCRIPTION} characters "
                                                f"on one line for {scope!r}")
    return branding
