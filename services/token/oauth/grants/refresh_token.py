"""RFC 6749 section 6: the refresh_token grant. Refresh tokens rotate on every use; one
presented again revokes its whole family, access tokens included (RFC 9700 section 4.14.2);
no scope escalation; idle and absolute expiry; revoked with the user's sign-ins."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any, Final

import structlog

from services.common.directory import TenantInfo
from services.token.applications.model import REFRESH_TOKEN, Application
from services.token.oauth.errors import OAuthError, invalid_request
from services.token.oauth.grant_records import IssuedAccess, PresentedRefresh, RefreshGrant, RotationOutcome
from services.token.oauth.grants.family_revocation import FamilyRevoker
from services.token.oauth.issuer import PlannedSuccessor, TokenIssuer, UserAuthorization, token_hash
from services.token.oauth.ports import OAuthMetrics, RefreshStore, RevocationCheck, SecurityEvents, TokenEvent

_log = structlog.get_logger("oauth")
MAX_TOKEN_LENGTH: Final = 128


class RefreshTokenGrant:
    grant_type = REFRESH_TOKEN

    def __init__(self, store: RefreshStore, tokens: TokenIssuer, revoker: FamilyRevoker,
                 revocation: RevocationCheck, events: SecurityEvents, metrics: OAuthMetrics,
                 clock: Callable[[], datetime]) -> None:
        self._metrics = metrics
        self._store = store
        self._tokens = tokens
        self._revoker = revoker
        self._revocation = revocation
        self._events = events
        self._clock = clock

    async def handle(self, tenant: TenantInfo, client: Application, form: dict[str, str]) -> dict[str, Any]:
        token = form.get("refresh_token", "")
        if not token or len(token) > MAX_TOKEN_LENGTH:
            raise invalid_request("refresh_token is required")
        now = self._clock()
        presented = PresentedRefresh(token_hash(token), client.client_id, tuple(form.get("scope", "").split()))
        access = self._tokens.plan_access(tenant, client, now)
        planned = self._tokens.plan_successor(tenant, client, now)
        # The common case is one statement (issue 13); a token it does not rotate is looked at
        # again, step by step, to answer why and to catch a reuse. On both paths the sign-out
        # check runs before the rotation commits: a refusal, or Redis failing, leaves the token
        # unused (a client retrying after an error must not look like a replay).
        try:
            used = await self._store.rotate_presented(tenant.tenant_id, presented, now, planned.successor, access,
                                                      partial(self._not_signed_out, tenant.tenant_id))
            if used is None:
                return await self._checked_rotation(tenant, client, presented, now, access, planned)
        except _SignedOut as signed_out:
            await self._revoker.revoke(tenant.tenant_id, signed_out.grant.family_id, now)
            raise OAuthError("invalid_grant", "the refresh token was revoked") from None
        return await self._tokens.sign(tenant, client, _who(used, presented), access, now, planned.refresh_for(used))

    async def _not_signed_out(self, tenant_id: str, grant: RefreshGrant) -> None:
        """Raises _SignedOut after a password reset, disable or "sign out everywhere" since the
        grant's sign-in."""
        if await self._revocation.is_revoked(tenant_id, "", grant.user_id, grant.auth_time):
            raise _SignedOut(grant)

    async def _checked_rotation(self, tenant: TenantInfo, client: Application, presented: PresentedRefresh,
                                now: datetime, access: IssuedAccess, planned: PlannedSuccessor) -> dict[str, Any]:
        stored = await self._store.refresh_by_hash(tenant.tenant_id, presented.token_hash)
        if stored is None or stored.grant.client_id != client.client_id:
            raise OAuthError("invalid_grant", "the refresh token is invalid")
        grant = stored.grant
        # Checks that do not use the token up come first: a bad scope must not burn it.
        if not set(presented.scopes) <= set(grant.scope.split()):
            raise OAuthError("invalid_scope", "a refresh cannot add scopes")
        if stored.revoked:
            raise OAuthError("invalid_grant", "the refresh token was revoked")
        if now >= grant.expire_time or now >= grant.family_expire_time:
            raise OAuthError("invalid_grant", "the refresh token has expired")
        await self._not_signed_out(tenant.tenant_id, grant)
        successor = planned.refresh_for(grant)
        rotation = await self._store.rotate_refresh(tenant.tenant_id, presented.token_hash, grant.family_id, now,
                                                    successor.token_hash, successor.grant, access)
        if rotation.outcome is RotationOutcome.REUSED:
            await self._revoker.deny(tenant.tenant_id, rotation.revoked_access, now)
            _log.warning("refresh token reused; family revoked", client_id=client.client_id)
            self._metrics.replay_detected(REFRESH_TOKEN)
            self._events.report(tenant.tenant_id, TokenEvent.REFRESH_TOKEN_REUSED, user_id=grant.user_id,
                                client_id=client.client_id)
        if rotation.outcome is not RotationOutcome.ROTATED:
            raise OAuthError("invalid_grant", "the refresh token is invalid")
        return await self._tokens.sign(tenant, client, _who(grant, presented), access, now, successor)


class _SignedOut(Exception):
    """Password reset, disable or "sign out everywhere" since the grant's sign-in."""

    def __init__(self, grant: RefreshGrant) -> None:
        super().__init__("signed out since this sign-in")
        self.grant = grant


def _who(grant: RefreshGrant, presented: PresentedRefresh) -> UserAuthorization:
    # RFC 6749 section 6: a narrower scope is for this access token only; the new refresh
    # token keeps the scope of the one it replaces.
    scopes = list(dict.fromkeys(presented.scopes or grant.scope.split()))
    return UserAuthorization(grant.user_id, scopes, grant.claims, grant.auth_time, grant.amr)
