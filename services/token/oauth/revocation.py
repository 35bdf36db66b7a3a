"""RFC 7009 token revocation: 200 whether or not the token was valid; only the owning
client's tokens are revoked. A refresh token ends its whole family, access tokens included;
an access token goes on the deny-list. Public clients may revoke their own tokens."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import structlog

from services.common.directory import TenantInfo
from services.common.tokens import AccessTokenVerifier
from services.token.oauth.client_auth import ClientAuthenticator
from services.token.oauth.grants.family_revocation import FamilyRevoker
from services.token.oauth.ports import OAuthMetrics, RefreshStore, RevokeToken
from services.token.oauth.presented_token import PresentedToken, own_access_claims, own_refresh_token, presented_token

_log = structlog.get_logger("oauth")


class RevocationEndpoint:
    def __init__(self, clients: ClientAuthenticator, verifier: AccessTokenVerifier, refresh: RefreshStore,
                 revoker: FamilyRevoker, revoke_token: RevokeToken, metrics: OAuthMetrics,
                 issuer_for: Callable[[str], str], clock: Callable[[], datetime]) -> None:
        self._clients = clients
        self._verifier = verifier
        self._refresh = refresh
        self._revoker = revoker
        self._revoke_token = revoke_token
        self._metrics = metrics
        self._issuer_for = issuer_for
        self._clock = clock

    async def revoke(self, tenant: TenantInfo, content_type: str, body: bytes, authorization: str) -> None:
        presented = await presented_token(self._clients, tenant, content_type, body, authorization,
                                          public_allowed=True)
        revoked = await (self._access(tenant, presented) if presented.is_jwt else self._family(tenant, presented))
        if revoked:
            self._metrics.revoked()

    async def _family(self, tenant: TenantInfo, presented: PresentedToken) -> bool:
        stored = await own_refresh_token(self._refresh, tenant.tenant_id, presented)
        if stored is None:
            return False
        await self._revoker.revoke(tenant.tenant_id, stored.grant.family_id, self._clock())
        _log.info("refresh token family revoked", client_id=presented.client.client_id)
        return True

    async def _access(self, tenant: TenantInfo, presented: PresentedToken) -> bool:
        claims = await own_access_claims(self._verifier, presented, self._issuer_for(tenant.tenant_id))
        if claims is None:
            return False
        await self._revoke_token(tenant.tenant_id, str(claims["jti"]), datetime.fromtimestamp(claims["exp"], UTC))
        _log.info("token revoked", client_id=presented.client.client_id)
        return True
