"""Ending a grant family everywhere: its refresh tokens in the store and its access tokens on
the platform deny-list."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from services.token.oauth.grant_records import IssuedAccess
from services.token.oauth.ports import FamilyStore, RevokeToken


class FamilyRevoker:
    def __init__(self, families: FamilyStore, revoke_token: RevokeToken) -> None:
        self._families = families
        self._revoke_token = revoke_token

    async def revoke(self, tenant_id: str, family_id: str, now: datetime,
                     also: Iterable[IssuedAccess] = ()) -> None:
        issued = await self._families.revoke_family(tenant_id, family_id, now) if family_id else []
        await self.deny(tenant_id, [*issued, *also], now)

    async def deny(self, tenant_id: str, issued: Iterable[IssuedAccess], now: datetime) -> None:
        for access in {a.jti: a for a in issued}.values():
            if access.expire_time > now:
                await self._revoke_token(tenant_id, access.jti, access.expire_time)
