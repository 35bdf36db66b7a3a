"""RFC 7662 token introspection, for confidential clients and only about their own tokens:
access tokens (JWTs, verified and checked against the deny-list) and refresh tokens (live
only while unused, unrevoked, unexpired and not ended by a sign-out since the sign-in)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from services.common.directory import TenantInfo
from services.common.tokens import AccessTokenVerifier
from services.token.oauth.client_auth import ClientAuthenticator
from services.token.oauth.ports import OAuthMetrics, RefreshStore, RevocationCheck
from services.token.oauth.presented_token import PresentedToken, own_access_claims, own_refresh_token, presented_token

INACTIVE: dict[str, Any] = {"active": False}
_ACCESS_CLAIMS = ("scope", "client_id", "sub", "aud", "iss", "exp", "iat", "nbf", "jti")


class IntrospectionEndpoint:
    def __init__(self, clients: ClientAuthenticator, verifier: AccessTokenVerifier, refresh: RefreshStore,
                 revocation: RevocationCheck, metrics: OAuthMetrics, issuer_for: Callable[[str], str],
                 clock: Callable[[], datetime]) -> None:
        self._clients = clients
        self._verifier = verifier
        self._refresh = refresh
        self._revocation = revocation
        self._metrics = metrics
        self._issuer_for = issuer_for
        self._clock = clock

    async def introspect(self, tenant: TenantInfo, content_type: str, body: bytes,
                         authorization: str) -> dict[str, Any]:
        presented = await presented_token(self._clients, tenant, content_type, body, authorization,
                                          public_allowed=False)
        answer = await (self._access(tenant, presented) if presented.is_jwt else self._refresh_token(tenant, presented))
        self._metrics.introspected(bool(answer["active"]))
        return answer

    async def _access(self, tenant: TenantInfo, presented: PresentedToken) -> dict[str, Any]:
        claims = await own_access_claims(self._verifier, presented, self._issuer_for(tenant.tenant_id))
        if claims is None:
            return INACTIVE
        return {"active": True, "token_type": "Bearer", "token_use": "access_token",
                **{k: claims[k] for k in _ACCESS_CLAIMS if k in claims}}

    async def _refresh_token(self, tenant: TenantInfo, presented: PresentedToken) -> dict[str, Any]:
        stored = await own_refresh_token(self._refresh, tenant.tenant_id, presented)
        if stored is None or stored.used or stored.revoked:
            return INACTIVE
        grant = stored.grant
        if self._clock() >= min(grant.expire_time, grant.family_expire_time):
            return INACTIVE
        if await self._revocation.is_revoked(tenant.tenant_id, "", grant.user_id, grant.auth_time):
            return INACTIVE
        return {"active": True, "token_use": "refresh_token", "scope": grant.scope, "client_id": grant.client_id,
                "sub": grant.user_id, "iss": self._issuer_for(tenant.tenant_id),
                "exp": int(min(grant.expire_time, grant.family_expire_time).timestamp()),
                "iat": int(stored.create_time.timestamp()), "auth_time": int(grant.auth_time.timestamp())}
