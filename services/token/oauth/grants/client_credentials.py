"""RFC 6749 section 4.4: the client_credentials grant, for confidential clients acting for
themselves, with RFC 8707 resource indicators as the audience."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import structlog

from services.common.directory import TenantInfo
from services.token.applications.model import CLIENT_CREDENTIALS, Application
from services.token.oauth.access_tokens import AccessTokenIssuer
from services.token.oauth.errors import OAuthError
from services.token.oauth.scopes import USER_SCOPES, requested_scopes

_log = structlog.get_logger("oauth")
MAX_RESOURCE_LENGTH = 512


class ClientCredentialsGrant:
    grant_type = CLIENT_CREDENTIALS

    def __init__(self, access: AccessTokenIssuer, issuer_for: Callable[[str], str],
                 clock: Callable[[], datetime]) -> None:
        self._access = access
        self._issuer_for = issuer_for
        self._clock = clock

    async def handle(self, tenant: TenantInfo, client: Application, form: dict[str, str]) -> dict[str, Any]:
        if not client.confidential:
            raise OAuthError("unauthorized_client", "this client may not use this grant type")
        allowed = [s for s in client.allowed_scopes if s not in USER_SCOPES]
        scopes = requested_scopes(form.get("scope", ""), allowed, allowed)
        issuer = self._issuer_for(tenant.tenant_id)
        audience = _audience(issuer, form.get("resource", ""))
        ttl = client.token_lifetimes.effective(tenant.settings.get("tokens"))["access_token_ttl_seconds"]
        issued = await self._access.issue(
            tenant.tenant_id, issuer, subject=client.client_id, client_id=client.client_id, scopes=scopes,
            audience=audience, ttl_seconds=ttl, now=self._clock())
        _log.info("token issued", grant_type=self.grant_type, client_id=client.client_id)
        return {"access_token": issued.token, "token_type": "Bearer", "expires_in": issued.ttl_seconds,
                "scope": " ".join(scopes)}


def _audience(issuer: str, resource: str) -> str:
    """RFC 8707 resource indicator: an absolute URI without fragment; by default the issuer."""
    if not resource:
        return issuer
    parts = urlsplit(resource)
    if (parts.scheme not in ("https", "http") or not parts.netloc or parts.fragment
            or len(resource) > MAX_RESOURCE_LENGTH):
        raise OAuthError("invalid_target", "resource must be an absolute URI without a fragment")
    return resource
