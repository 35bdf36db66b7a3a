"""RFC 6749 section 3.2: the token endpoint. Authenticates the client, then hands the form to
the handler of its grant_type (grants/)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from services.common.analytics import TOKENS_ISSUED, Analytics, NoAnalytics
from services.common.directory import TenantInfo
from services.token.oauth.client_auth import ClientAuthenticator
from services.token.oauth.errors import OAuthError, invalid_request
from services.token.oauth.forms import client_credentials, parse_form
from services.token.oauth.grants import GrantHandler
from services.token.oauth.ports import OAuthMetrics


class TokenEndpoint:
    def __init__(self, clients: ClientAuthenticator, grants: Iterable[GrantHandler], metrics: OAuthMetrics,
                 analytics: Analytics | None = None) -> None:
        self._clients = clients
        self._grants = {grant.grant_type: grant for grant in grants}
        self._metrics = metrics
        # Counted in memory, written to Redis once a second (services/common/analytics.py).
        self._analytics = analytics or NoAnalytics()

    @property
    def grant_types(self) -> list[str]:
        return list(self._grants)

    async def token(self, tenant: TenantInfo, content_type: str, body: bytes, authorization: str) -> dict[str, Any]:
        form = parse_form(content_type, body)
        grant_type = form.get("grant_type", "")
        if not grant_type:
            raise invalid_request("grant_type is required")
        client = await self._clients.authenticate(tenant, client_credentials(authorization, form))
        handler = self._grants.get(grant_type)
        if handler is None:
            self._metrics.issued("other", "unsupported")  # never a client-chosen label
            raise OAuthError("unsupported_grant_type", "this grant type is not supported")
        if not client.allows_grant(grant_type):
            self._metrics.issued(grant_type, "unauthorized_client")
            raise OAuthError("unauthorized_client", "this client may not use this grant type")
        try:
            response = await handler.handle(tenant, client, form)
        except OAuthError as error:
            self._metrics.issued(grant_type, error.error)
            raise
        self._metrics.issued(grant_type, "issued")
        await self._analytics.count(tenant.tenant_id, f"{TOKENS_ISSUED}:{grant_type}")
        return response
