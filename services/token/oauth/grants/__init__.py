"""One handler per grant type at the token endpoint (authlib's grant classes, fosite's
flow handlers): each names its GRANT_TYPE and turns an authenticated client's form into a
token response, against the narrow storage ports it needs."""

from __future__ import annotations

from typing import Any, Protocol

from services.common.directory import TenantInfo
from services.token.applications.model import Application


class GrantHandler(Protocol):
    @property
    def grant_type(self) -> str: ...

    async def handle(self, tenant: TenantInfo, client: Application, form: dict[str, str]) -> dict[str, Any]:
        """The token response, or an OAuthError (RFC 6749 section 5.2)."""
        ...
