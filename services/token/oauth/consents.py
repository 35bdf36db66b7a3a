"""The signed-in user's remembered consents: list them, withdraw one (the client asks again
next time, and the tokens the user granted that client end)."""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import structlog

from services.common.cookies import session_cookie_value
from services.common.errors import InvalidArgument, NotFound, Unauthenticated
from services.token.oauth.grants.family_revocation import FamilyRevoker
from services.token.oauth.platform import PlatformGateway
from services.token.oauth.ports import Applications, ConsentStore, SecurityEvents, TokenEvent

_log = structlog.get_logger("oauth.consents")
MAX_CLIENT_ID = 128


@dataclass(frozen=True)
class RememberedConsent:
    client_id: str
    client_name: str
    scopes: list[str]


class ConsentUseCases:
    def __init__(self, grants: ConsentStore, applications: Applications, platform: PlatformGateway,
                 events: SecurityEvents, revoker: FamilyRevoker,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._events = events
        self._revoker = revoker
        self._grants = grants
        self._applications = applications
        self._platform = platform
        self._clock = clock

    async def _user(self, tenant_id: str, cookie_header: str) -> str:
        signed_in = await self._platform.session(tenant_id, session_cookie_value(cookie_header))
        if signed_in is None:
            raise Unauthenticated("sign in first", reason="SESSION_REQUIRED")
        return signed_in.user_id

    async def list(self, tenant_id: str, cookie_header: str) -> list[RememberedConsent]:
        return await self.list_of(tenant_id, await self._user(tenant_id, cookie_header))

    async def list_of(self, tenant_id: str, user_id: str) -> builtins.list[RememberedConsent]:
        """Any user's consents, for an administrator (the caller checked the credential)."""
        _require_user_id(user_id)
        out = []
        for client_id, scopes in await self._grants.consents_of(tenant_id, user_id):
            client = await self._applications.find(tenant_id, client_id)
            out.append(RememberedConsent(client_id, client.display_name if client else "", scopes))
        return out

    async def revoke(self, tenant_id: str, cookie_header: str, client_id: str) -> None:
        await self.revoke_of(tenant_id, await self._user(tenant_id, cookie_header), client_id)

    async def revoke_of(self, tenant_id: str, user_id: str, client_id: str) -> None:
        """Withdraws a user's consent as the user would (an administrator's call is the same
        revocation: the grant families of that client end and their access tokens are denied)."""
        _require_user_id(user_id)
        if not client_id or len(client_id) > MAX_CLIENT_ID:
            raise InvalidArgument("client_id is required", reason="INVALID_CLIENT_ID", details={"field": "client_id"})
        now = self._clock()
        had_consent, issued = await self._grants.forget_consent(tenant_id, user_id, client_id, now)
        await self._revoker.deny(tenant_id, issued, now)
        if not had_consent:
            raise NotFound("no consent for this client", reason="CONSENT_NOT_FOUND")
        _log.info("consent withdrawn", tenant_id=tenant_id, client_id=client_id)
        self._events.report(tenant_id, TokenEvent.CONSENT_REVOKED, user_id=user_id, client_id=client_id)


def _require_user_id(user_id: str) -> None:
    if not user_id or len(user_id) > 64:
        raise InvalidArgument("user_id is required", reason="INVALID_USER_ID", details={"field": "user_id"})
