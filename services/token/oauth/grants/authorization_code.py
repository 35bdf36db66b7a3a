"""RFC 6749 section 4.1.3: the authorization_code grant, with PKCE (RFC 7636) and replay
detection (RFC 9700 section 4.2.4: a second redemption revokes what the first issued)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Final

import structlog

from services.common.directory import TenantInfo
from services.token.applications.model import AUTHORIZATION_CODE, Application
from services.token.oauth.errors import OAuthError, invalid_request
from services.token.oauth.grant_records import CodeGrant
from services.token.oauth.grants.family_revocation import FamilyRevoker
from services.token.oauth.issuer import TokenIssuer, UserAuthorization, token_hash
from services.token.oauth.pkce import verifier_matches
from services.token.oauth.ports import (
    CodeStore,
    FamilyStore,
    OAuthMetrics,
    RevocationCheck,
    SecurityEvents,
    TokenEvent,
)

_log = structlog.get_logger("oauth")
MAX_CODE_LENGTH: Final = 128


class AuthorizationCodeGrant:
    grant_type = AUTHORIZATION_CODE

    def __init__(self, codes: CodeStore, families: FamilyStore, tokens: TokenIssuer, revoker: FamilyRevoker,
                 revocation: RevocationCheck, events: SecurityEvents, metrics: OAuthMetrics,
                 clock: Callable[[], datetime]) -> None:
        self._metrics = metrics
        self._codes = codes
        self._families = families
        self._tokens = tokens
        self._revoker = revoker
        self._revocation = revocation
        self._events = events
        self._clock = clock

    async def handle(self, tenant: TenantInfo, client: Application, form: dict[str, str]) -> dict[str, Any]:
        code = form.get("code", "")
        if not code or len(code) > MAX_CODE_LENGTH:
            raise invalid_request("code is required")
        now = self._clock()
        planned = self._tokens.plan_family(tenant, client, "", now)
        grant, earlier = await self._codes.redeem_code(tenant.tenant_id, token_hash(code), now, planned)
        if grant is None:
            if earlier is not None and earlier.client_id == client.client_id:
                # Used twice: stolen or replayed. Whatever the first redemption issued, or is
                # issuing right now, ends (it was recorded before it was signed).
                await self._revoker.revoke(tenant.tenant_id, earlier.family_id, now,
                                           [earlier.access] if earlier.access else [])
                _log.warning("authorization code replayed; tokens revoked", client_id=client.client_id)
                self._metrics.replay_detected(AUTHORIZATION_CODE)
                self._events.report(tenant.tenant_id, TokenEvent.AUTHORIZATION_CODE_REUSED,
                                    user_id=earlier.user_id, client_id=client.client_id)
            raise OAuthError("invalid_grant", "the code is invalid, expired or already used")
        problem = _mismatch(grant, client, form)
        if problem is None and await self._revocation.is_revoked(tenant.tenant_id, "", grant.user_id,
                                                                 grant.auth_time):
            problem = "the sign-in behind this code was revoked"
        if problem is not None:
            # The code is used up either way; the family it planned never signed anything, so
            # there is nothing to deny-list.
            await self._families.revoke_family(tenant.tenant_id, planned.family_id, now)
            raise OAuthError("invalid_grant", problem)
        who = UserAuthorization(grant.user_id, grant.scope.split(), grant.claims, grant.auth_time, grant.amr,
                                grant.nonce)
        refresh = self._tokens.plan_refresh(tenant, client, planned.family_id, who, now)
        if refresh is not None:
            await self._families.add_refresh(tenant.tenant_id, refresh.token_hash, refresh.grant, now)
        assert planned.access is not None
        return await self._tokens.sign(tenant, client, who, planned.access, now, refresh)


def _mismatch(grant: CodeGrant, client: Application, form: dict[str, str]) -> str | None:
    """Why this client may not redeem this code with this form, or None."""
    if grant.client_id != client.client_id:
        return "the code was issued to another client"
    presented = form.get("redirect_uri")
    if grant.redirect_uri_sent and presented != grant.redirect_uri:
        return "redirect_uri must be the one of the authorization request"
    if not grant.redirect_uri_sent and presented not in (None, grant.redirect_uri):
        return "redirect_uri does not match the authorization request"
    verifier = form.get("code_verifier", "")
    if grant.code_challenge:
        if not verifier_matches(verifier, grant.code_challenge):
            return "the code_verifier does not match"
    elif verifier:
        return "no code_challenge was sent for this code"
    return None
