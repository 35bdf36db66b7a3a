"""The one token issuer every user grant shares: the access token (RFC 9068), the ID token
(OpenID Connect Core section 2) and the opaque refresh token of a family.

Issuing is split in two so that the grants can record what they are about to issue before
anything is signed: `plan_access` / `plan_refresh` choose identifiers and expiry, the grant
stores them (atomically with using its code or refresh token), then `sign` makes the
tokens."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Final

import jwt

from services.common.auth import credential_hash
from services.common.directory import TenantInfo
from services.token.applications.model import REFRESH_TOKEN, Application
from services.token.oauth.access_tokens import AccessTokenIssuer, Signer, new_jti
from services.token.oauth.grant_records import IssuedAccess, PlannedFamily, RefreshGrant, Successor
from services.token.oauth.platform import claims_for_scopes

ID_TOKEN_ALGORITHM: Final = "RS256"


# Codes and refresh tokens are 256-bit random credentials, hashed like every other one.
token_hash = credential_hash


def at_hash(access_token: str) -> str:
    digest = hashlib.sha256(access_token.encode()).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


def new_family_id() -> str:
    return secrets.token_urlsafe(12)


@dataclass(frozen=True)
class UserAuthorization:
    """Who authorized the client, how and for what: what the tokens say."""

    user_id: str
    scopes: list[str]
    claims: dict[str, Any]
    auth_time: datetime
    amr: tuple[str, ...]
    nonce: str = ""


@dataclass(frozen=True)
class PlannedRefresh:
    token: str
    token_hash: bytes
    grant: RefreshGrant


@dataclass(frozen=True)
class PlannedSuccessor:
    """The next refresh token of a rotation, chosen before the store knows whose grant it is."""

    token: str
    successor: Successor

    def refresh_for(self, used: RefreshGrant) -> PlannedRefresh:
        """What the rotation stored for `used`: its grant, with the successor's expiry."""
        grant = replace(used, expire_time=min(self.successor.idle_expire_time, used.family_expire_time))
        return PlannedRefresh(self.token, self.successor.token_hash, grant)


class TokenIssuer:
    def __init__(self, keys: Signer, access: AccessTokenIssuer, issuer_for: Callable[[str], str]) -> None:
        self._keys = keys
        self._access = access
        self._issuer_for = issuer_for

    @staticmethod
    def lifetimes(tenant: TenantInfo, client: Application) -> dict[str, int]:
        return client.token_lifetimes.effective(tenant.settings.get("tokens"))

    def plan_access(self, tenant: TenantInfo, client: Application, now: datetime) -> IssuedAccess:
        ttl = self.lifetimes(tenant, client)["access_token_ttl_seconds"]
        return IssuedAccess(new_jti(), now + timedelta(seconds=ttl))

    def plan_family(self, tenant: TenantInfo, client: Application, user_id: str, now: datetime) -> PlannedFamily:
        return PlannedFamily(new_family_id(), client.client_id, user_id, self.plan_access(tenant, client, now))

    def plan_refresh(self, tenant: TenantInfo, client: Application, family_id: str, who: UserAuthorization,
                     now: datetime, family_expire: datetime | None = None) -> PlannedRefresh | None:
        """The family's next refresh token, or None for a client without the refresh grant."""
        if not client.allows_grant(REFRESH_TOKEN):
            return None
        lifetimes = self.lifetimes(tenant, client)
        absolute = family_expire or now + timedelta(seconds=lifetimes["refresh_token_absolute_ttl_seconds"])
        planned = self.plan_successor(tenant, client, now)
        grant = RefreshGrant(family_id, client.client_id, who.user_id, " ".join(who.scopes), who.auth_time, who.amr,
                             who.claims, min(planned.successor.idle_expire_time, absolute), absolute)
        return PlannedRefresh(planned.token, planned.successor.token_hash, grant)

    def plan_successor(self, tenant: TenantInfo, client: Application, now: datetime) -> PlannedSuccessor:
        """A rotation's next refresh token: the grant it belongs to is copied by the store."""
        idle = now + timedelta(seconds=self.lifetimes(tenant, client)["refresh_token_idle_ttl_seconds"])
        token = secrets.token_urlsafe(32)
        return PlannedSuccessor(token, Successor(token_hash(token), idle))

    async def sign(self, tenant: TenantInfo, client: Application, who: UserAuthorization, access: IssuedAccess,
                   now: datetime, refresh: PlannedRefresh | None) -> dict[str, Any]:
        lifetimes = self.lifetimes(tenant, client)
        issuer = self._issuer_for(tenant.tenant_id)
        ttl = max(int((access.expire_time - now).total_seconds()), 1)
        signed = await self._access.issue(
            tenant.tenant_id, issuer, subject=who.user_id, client_id=client.client_id, scopes=who.scopes,
            audience=issuer, ttl_seconds=ttl, now=now, jti=access.jti,
            extra={"auth_time": int(who.auth_time.timestamp()), "amr": list(who.amr)})
        response: dict[str, Any] = {"access_token": signed.token, "token_type": "Bearer",
                                    "expires_in": signed.ttl_seconds, "scope": " ".join(who.scopes)}
        if "openid" in who.scopes:
            response["id_token"] = await self._id_token(tenant, client, who, signed.token,
                                                        lifetimes["id_token_ttl_seconds"], now)
        if refresh is not None:
            response["refresh_token"] = refresh.token
        return response

    async def _id_token(self, tenant: TenantInfo, client: Application, who: UserAuthorization, access_token: str,
                        ttl: int, now: datetime) -> str:
        kid, key = await self._keys.signer(tenant.tenant_id, ID_TOKEN_ALGORITHM)
        issued = int(now.timestamp())
        body: dict[str, Any] = {
            **claims_for_scopes(who.claims, who.scopes), "iss": self._issuer_for(tenant.tenant_id),
            "sub": who.user_id, "aud": client.client_id, "azp": client.client_id, "iat": issued,
            "exp": issued + ttl, "auth_time": int(who.auth_time.timestamp()), "amr": list(who.amr),
            "acr": "2" if "mfa" in who.amr else "1", "at_hash": at_hash(access_token),
        }
        if who.nonce:
            body["nonce"] = who.nonce
        return jwt.encode(body, key, algorithm=ID_TOKEN_ALGORITHM, headers={"kid": kid, "typ": "JWT"})
