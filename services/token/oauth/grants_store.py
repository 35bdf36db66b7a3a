"""Authorization codes, refresh-token families and consents in the tenant's token schema."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from services.common.db import in_tenant

SERVICE = "token"


@dataclass(frozen=True)
class CodeGrant:
    client_id: str
    user_id: str
    redirect_uri: str
    scope: str
    nonce: str
    code_challenge: str
    auth_time: datetime
    amr: tuple[str, ...]
    session_id: str
    claims: dict[str, Any]


@dataclass(frozen=True)
class RefreshGrant:
    family_id: str
    client_id: str
    user_id: str
    scope: str
    auth_time: datetime
    amr: tuple[str, ...]
    claims: dict[str, Any]
    expire_time: datetime
    family_expire_time: datetime
    used: bool
    revoked: bool


def _refresh(row: Any) -> RefreshGrant:
    return RefreshGrant(row["family_id"], row["client_id"], row["user_id"], row["scope"], row["auth_time"],
                        tuple(row["amr"]), row["claims"], row["expire_time"], row["family_expire_time"],
                        row["used_time"] is not None, row["revoke_time"] is not None)


class PgGrantStore:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def save_code(self, tenant_id: str, code_hash: bytes, grant: CodeGrant, now: datetime,
                        expire: datetime) -> None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            await conn.execute("DELETE FROM authorization_codes WHERE expire_time < $1 AND used_time IS NULL", now)
            await conn.execute(
                "INSERT INTO authorization_codes (code_hash, client_id, user_id, redirect_uri, scope, nonce, "
                "code_challenge, auth_time, amr, session_id, claims, create_time, expire_time) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                code_hash, grant.client_id, grant.user_id, grant.redirect_uri, grant.scope, grant.nonce,
                grant.code_challenge, grant.auth_time, list(grant.amr), grant.session_id, grant.claims, now, expire)

    async def redeem_code(self, tenant_id: str, code_hash: bytes,
                          now: datetime) -> tuple[CodeGrant | None, dict[str, Any] | None]:
        """(the grant, if this call is the one that used it up; the earlier redemption's record
        if the code was used before). Exactly one concurrent caller wins the UPDATE."""
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            row = await conn.fetchrow(
                "UPDATE authorization_codes SET used_time = $2 WHERE code_hash = $1 AND used_time IS NULL "
                "AND expire_time > $2 RETURNING *", code_hash, now)
            if row is not None:
                return CodeGrant(row["client_id"], row["user_id"], row["redirect_uri"], row["scope"], row["nonce"],
                                 row["code_challenge"], row["auth_time"], tuple(row["amr"]), row["session_id"],
                                 row["claims"]), None
            used = await conn.fetchrow(
                "SELECT client_id, user_id, family_id, access_jti, access_expire_time FROM authorization_codes "
                "WHERE code_hash = $1 AND used_time IS NOT NULL", code_hash)
        return None, (dict(used.items()) if used else None)

    async def record_issued(self, tenant_id: str, code_hash: bytes, family_id: str, access_jti: str,
                            access_expire: datetime) -> None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            await conn.execute(
                "UPDATE authorization_codes SET family_id = $2, access_jti = $3, access_expire_time = $4 "
                "WHERE code_hash = $1", code_hash, family_id, access_jti, access_expire)

    async def save_refresh(self, tenant_id: str, token_hash: bytes, grant: RefreshGrant, now: datetime) -> None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            await conn.execute(
                "INSERT INTO refresh_tokens (token_hash, family_id, client_id, user_id, scope, auth_time, amr, claims, "
                "create_time, expire_time, family_expire_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                token_hash, grant.family_id, grant.client_id, grant.user_id, grant.scope, grant.auth_time,
                list(grant.amr), grant.claims, now, grant.expire_time, grant.family_expire_time)

    async def use_refresh(self, tenant_id: str, token_hash: bytes, now: datetime) -> tuple[RefreshGrant | None, bool]:
        """(the token's grant, True if this call used it up). A token seen before (already used
        or revoked) comes back with False: the caller revokes the family."""
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            row = await conn.fetchrow(
                "UPDATE refresh_tokens SET used_time = $2 WHERE token_hash = $1 AND used_time IS NULL "
                "AND revoke_time IS NULL RETURNING *", token_hash, now)
            if row is not None:
                return _refresh(row), True
            row = await conn.fetchrow("SELECT * FROM refresh_tokens WHERE token_hash = $1", token_hash)
        return (_refresh(row) if row else None), False

    async def revoke_family(self, tenant_id: str, family_id: str, now: datetime) -> None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            await conn.execute(
                "UPDATE refresh_tokens SET revoke_time = coalesce(revoke_time, $2) WHERE family_id = $1",
                family_id, now)

    async def refresh_by_hash(self, tenant_id: str, token_hash: bytes) -> RefreshGrant | None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            row = await conn.fetchrow("SELECT * FROM refresh_tokens WHERE token_hash = $1", token_hash)
        return _refresh(row) if row else None

    async def consent(self, tenant_id: str, user_id: str, client_id: str) -> frozenset[str]:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            scopes = await conn.fetchval("SELECT scopes FROM consents WHERE user_id = $1 AND client_id = $2",
                                         user_id, client_id)
        return frozenset(scopes or ())

    async def remember_consent(self, tenant_id: str, user_id: str, client_id: str, scopes: list[str],
                               now: datetime) -> None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            await conn.execute(
                "INSERT INTO consents (user_id, client_id, scopes, update_time) VALUES ($1, $2, $3, $4) "
                "ON CONFLICT (user_id, client_id) DO UPDATE SET scopes = "
                "(SELECT array_agg(DISTINCT s) FROM unnest(consents.scopes || EXCLUDED.scopes) s), update_time = $4",
                user_id, client_id, scopes, now)

    async def consents_of(self, tenant_id: str, user_id: str) -> list[tuple[str, list[str]]]:
        """(client_id, scopes) of every consent the user remembered, oldest client first."""
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            rows = await conn.fetch("SELECT client_id, scopes FROM consents WHERE user_id = $1 ORDER BY client_id",
                                    user_id)
        return [(row["client_id"], sorted(row["scopes"])) for row in rows]

    async def forget_consent(self, tenant_id: str, user_id: str, client_id: str, now: datetime) -> bool:
        """Drops the consent and revokes the user's refresh-token families of that client (one
        transaction). True when there was a consent."""
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            deleted = await conn.fetchval(
                "DELETE FROM consents WHERE user_id = $1 AND client_id = $2 RETURNING client_id", user_id, client_id)
            await conn.execute(
                "UPDATE refresh_tokens SET revoke_time = coalesce(revoke_time, $3) WHERE family_id IN "
                "(SELECT family_id FROM refresh_tokens WHERE user_id = $1 AND client_id = $2)",
                user_id, client_id, now)
        return deleted is not None
