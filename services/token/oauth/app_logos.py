"""Applications' logos for the consent page, served from the tenant's own origin (the pages'
CSP is img-src 'self'): the uploaded image, or the logo URL fetched through the outbound
policy and cached (services/common/pages/logos.py). The consent page links a logo with its
hash (?v=), so an answer may be cached for a long time."""

from __future__ import annotations

from typing import Protocol

from services.common.pages.logos import LogoSource
from services.token.applications.model import Application
from services.token.oauth.pages import HttpAnswer

LOGO_CACHE = "public, max-age=31536000, immutable"
_HEADERS = (("x-content-type-options", "nosniff"), ("content-security-policy", "default-src 'none'"),
            ("cross-origin-resource-policy", "same-origin"))


class FullApplications(Protocol):
    async def find(self, tenant_id: str, client_id: str, fresh: bool = False,
                   full: bool = False) -> Application | None: ...


def logo_path(prefix: str, app: Application) -> str:
    """The logo's same-origin URL, or "" when the application has none."""
    version = app.presentation.logo_hash
    return f"{prefix}/oauth2/applications/{app.client_id}/logo?v={version}" if version else ""


class ApplicationLogos:
    def __init__(self, applications: FullApplications, source: LogoSource) -> None:
        self._applications = applications
        self._source = source

    async def answer(self, tenant_id: str, client_id: str) -> HttpAnswer:
        app = await self._applications.find(tenant_id, client_id, full=True)
        p = app.presentation if app is not None else None
        logo = await self._source.logo(p.logo_url, p.logo_image) if p is not None else None
        if logo is None:
            return HttpAnswer(404, b"", "text/plain; charset=utf-8", (("cache-control", "no-store"), *_HEADERS))
        # Only checked raster bytes go out, typed by what they are, never rendered as a page.
        return HttpAnswer(200, logo.data, logo.media_type, (("cache-control", LOGO_CACHE), *_HEADERS))
