"""How an application presents itself on the consent page: its logo, links and the words
for its custom scopes. The same rules as the tenant's branding (services/tenant/branding.py):
links are https only, a logo is a checked raster image (services/common/pages/logos.py: an
SVG, which can carry script, or an image larger than 256 KiB is refused), descriptions are
single lines."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from services.common.errors import InvalidArgument
from services.common.pages.logos import LogoRefused, decode_data_url, logo_url_problem, logo_version
from services.common.pages.scopes import BUILT_IN

MAX_URL = 2048
MAX_SCOPE_DESCRIPTIONS = 50
MAX_DESCRIPTION = 200
LINKS = ("homepage_url", "privacy_policy_url", "terms_of_service_url")


@dataclass(frozen=True)
class Presentation:
    logo_url: str = ""
    logo_image: str = ""  # data:image/...;base64,... ("" in the token endpoint's cached copy)
    homepage_url: str = ""
    privacy_policy_url: str = ""
    terms_of_service_url: str = ""
    scope_descriptions: tuple[tuple[str, str], ...] = ()
    # Changes with the logo; kept when the cached copy drops logo_image (the logo's URL carries it).
    logo_hash: str = ""

    @property
    def descriptions(self) -> dict[str, str]:
        return dict(self.scope_descriptions)

    def slim(self) -> Presentation:
        """Without the uploaded image (up to ~350 KB): what the client cache keeps."""
        return Presentation(self.logo_url, "", self.homepage_url, self.privacy_policy_url,
                            self.terms_of_service_url, self.scope_descriptions, self.logo_hash)


def _refuse(name: str, message: str, reason: str = "INVALID_APPLICATION_PRESENTATION") -> InvalidArgument:
    return InvalidArgument(f"{name} {message}", reason=reason, details={"field": name})


def _plain(text: str) -> bool:
    return not any(ord(c) < 32 or 127 <= ord(c) < 160 or c in "\u2028\u2029" for c in text)


def _https(name: str, url: str) -> str:
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if len(url) > MAX_URL or not _plain(url) or " " in url:
        raise _refuse(name, f"must be an https URL of at most {MAX_URL} characters")
    if parts.scheme != "https" or not parts.hostname or parts.username is not None or parts.password is not None:
        raise _refuse(name, "must be an https URL (https://…) without credentials")
    return url


def clean_descriptions(descriptions: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    if len(descriptions) > MAX_SCOPE_DESCRIPTIONS:
        raise _refuse("scope_descriptions", f"may describe at most {MAX_SCOPE_DESCRIPTIONS} scopes")
    out = []
    for scope, text in descriptions.items():
        if scope in BUILT_IN:
            # The pages describe these in the user's language; one fixed text would not be.
            raise _refuse("scope_descriptions", f"cannot describe the built-in scope {scope!r}: the pages do, "
                                                "in the user's language")
        if not scope or len(scope) > 128 or not _plain(scope) or " " in scope:
            raise _refuse("scope_descriptions", f"has an invalid scope name {scope[:64]!r}")
        text = (text or "").strip()
        if not text or len(text) > MAX_DESCRIPTION or not _plain(text):
            raise _refuse("scope_descriptions",
                          f"needs a description of 1-{MAX_DESCRIPTION} characters on one line for {scope!r}")
        out.append((scope, text))
    return tuple(sorted(out))


def validated_presentation(p: Presentation) -> Presentation:
    """The presentation as it may be stored, or InvalidArgument naming the field."""
    logo_url = (p.logo_url or "").strip()
    if logo_url:
        problem = logo_url_problem(logo_url)
        if problem:
            raise _refuse("logo_url", problem, "INVALID_LOGO")
    if p.logo_image:
        try:
            decode_data_url(p.logo_image)
        except LogoRefused as refused:
            raise _refuse("logo_image", f"is refused: {refused}", "INVALID_LOGO") from None
    if logo_url and p.logo_image:
        raise _refuse("logo_image", "and logo_url cannot both be set: upload an image or give its URL",
                      "INVALID_LOGO")
    links = {name: _https(name, getattr(p, name)) for name in LINKS}
    return Presentation(logo_url, p.logo_image, **links, scope_descriptions=clean_descriptions(p.descriptions),
                        logo_hash=logo_version(logo_url, p.logo_image))
