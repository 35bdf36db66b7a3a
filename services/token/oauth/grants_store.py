"""Authorization codes, grant families, refresh tokens and consents in the tenant's token
schema (PostgreSQL).

Concurrency: every operation that changes what a family may still use takes the family's
row lock first (rotation and revocation FOR UPDATE, storing a refresh token FOR SHARE), so a
revocation either sees a concurrent rotation's new token or makes it be stored revoked. A
redemption records the family and the access token it is about to sign in the same
transaction that uses the code up, so a concurrent replay always finds what to revoke."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import asyncpg

from services.common.db import in_tenant
from services.token.oauth.grant_records import (
    CodeGrant,
    IssuedAccess,
    PlannedFamily,
    PresentedRefresh,
    RefreshGrant,
    Rotation,
    RotationOutcome,
    StoredRefresh,
    Successor,
)

SERVICE = "token"
_REFRESH_COLUMNS = ("r.family_id, r.client_id, r.user_id, r.scope, r.auth_time, r.amr, r.claims, r.create_time, "
                    "r.expire_time, r.family_expire_time, r.used_time, "
                    "coalesce(r.revoke_time, f.revoke_time) AS revoke_time")


def _refresh_grant(row: Any) -> RefreshGrant:
    return RefreshGrant(row["family_id"], row["client_id"], row["user_id"], row["scope"], row["auth_time"],
                        tuple(row["amr"]), row["claims"], row["expire_time"], row["family_expire_time"])


def _stored_refresh(row: Any) -> StoredRefresh:
    return StoredRefresh(_refresh_grant(row), row["create_time"], row["used_time"] is not None,
                         row["revoke_time"] is not None)


async def _record_access(conn: asyncpg.Connection, family_id: str, access: IssuedAccess | None) -> None:
    if access is not None:
        await conn.execute("INSERT INTO family_access_tokens (family_id, jti, expire_time) VALUES ($1, $2, $3)",
                           family_id, access.jti, access.expire_time)


async def _insert_refresh(conn: asyncpg.Connection, token_hash: bytes, grant: RefreshGrant, now: datetime,
                          revoke_time: datetime | None) -> None:
    await conn.execute(
        "INSERT INTO refresh_tokens (token_hash, family_id, client_id, user_id, scope, auth_time, amr, claims, "
        "create_time, expire_time, family_expire_time, revoke_time) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        token_hash, grant.family_id, grant.client_id, grant.user_id, grant.scope, grant.auth_time,
        list(grant.amr), grant.claims, now, grant.expire_time, grant.family_expire_time, revoke_time)


async def _revoke_families(conn: asyncpg.Connection, family_ids: list[str], now: datetime) -> list[IssuedAccess]:
    """Within a transaction that already holds (or now takes) the families' row locks."""
    if not family_ids:
        return []
    await conn.execute("UPDATE grant_families SET revoke_time = coalesce(revoke_time, $2) "
                       "WHERE family_id = ANY($1::text[])", family_ids, now)
    await conn.execute("UPDATE refresh_tokens SET revoke_time = coalesce(revoke_time, $2) "
                       "WHERE family_id = ANY($1::text[])", family_ids, now)
    rows = await conn.fetch("SELECT jti, expire_time FROM family_access_tokens "
                            "WHERE family_id = ANY($1::text[]) AND expire_time > $2", family_ids, now)
    return [IssuedAccess(row["jti"], row["expire_time"]) for row in rows]


# $1 token hash, $2 now, $3 family id, $4.. the successor and $13/$14 the access token. Data-
# modifying CTEs run to completion whether or not the final SELECT reads them; the inserts take
# their rows from `used`, so they happen exactly when the old token was marked used.
_ROTATE = """
WITH family AS (
    SELECT family_id FROM grant_families WHERE family_id = $3 AND revoke_time IS NULL FOR UPDATE
), used AS (
    UPDATE refresh_tokens SET used_time = $2
    WHERE token_hash = $1 AND family_id = (SELECT family_id FROM family)
      AND used_time IS NULL AND revoke_time IS NULL
    RETURNING family_id
), successor AS (
    INSERT INTO refresh_tokens (token_hash, family_id, client_id, user_id, scope, auth_time, amr, claims,
                                create_time, expire_time, family_expire_time, revoke_time)
    SELECT $4, family_id, $5, $6, $7, $8, $9, $10, $2, $11, $12, NULL FROM used
), access AS (
    INSERT INTO family_access_tokens (family_id, jti, expire_time) SELECT family_id, $13, $14 FROM used
)
SELECT EXISTS (SELECT 1 FROM family) AS live, EXISTS (SELECT 1 FROM used) AS rotated
"""


# $1 token hash, $2 now, $3 the presenting client, $4 the scopes asked for, $5/$6 the successor's
# hash and idle expiry, $7/$8 the access token. The same family lock and re-checked UPDATE as
# _ROTATE, with every check a refresh makes before using a token up in the UPDATE's condition:
# a token that fails any of them is left as it was.
_ROTATE_PRESENTED = """
WITH token AS (
    SELECT family_id FROM refresh_tokens WHERE token_hash = $1
), family AS (
    SELECT family_id FROM grant_families
    WHERE family_id = (SELECT family_id FROM token) AND revoke_time IS NULL FOR UPDATE
), used AS (
    UPDATE refresh_tokens SET used_time = $2
    WHERE token_hash = $1 AND family_id = (SELECT family_id FROM family)
      AND used_time IS NULL AND revoke_time IS NULL AND client_id = $3
      AND expire_time > $2 AND family_expire_time > $2 AND string_to_array(scope, ' ') @> $4::text[]
    RETURNING family_id, client_id, user_id, scope, auth_time, amr, claims, expire_time, family_expire_time
), successor AS (
    INSERT INTO refresh_tokens (token_hash, family_id, client_id, user_id, scope, auth_time, amr, claims,
                                create_time, expire_time, family_expire_time, revoke_time)
    SELECT $5, family_id, client_id, user_id, scope, auth_time, amr, claims, $2,
           LEAST($6::timestamptz, family_expire_time), family_expire_time, NULL FROM used
), access AS (
    INSERT INTO family_access_tokens (family_id, jti, expire_time) SELECT family_id, $7, $8 FROM used
)
SELECT * FROM used
"""


# $1 code hash, $2 now, $3 the planned family, $4/$5 its access token (NULL: none). The code is
# marked used and its family started, with what it issued, in one statement (one round trip
# instead of three); a second redemption finds the code used and learns what the first issued.
_REDEEM = """
WITH code AS (
    UPDATE authorization_codes SET used_time = $2, family_id = $3, access_jti = $4, access_expire_time = $5
    WHERE code_hash = $1 AND used_time IS NULL AND expire_time > $2
    RETURNING *
), family AS (
    INSERT INTO grant_families (family_id, client_id, user_id, create_time)
    SELECT $3, client_id, user_id, $2 FROM code
), access AS (
    INSERT INTO family_access_tokens (family_id, jti, expire_time)
    SELECT $3, $4, $5 FROM code WHERE $4::text IS NOT NULL
)
SELECT * FROM code
"""


class PgGrantStore:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    # --- authorization codes -----------------------------------------------------------------
    async def save_code(self, tenant_id: str, code_hash: bytes, grant: CodeGrant, now: datetime,
                        expire: datetime) -> None:
        # One statement: the tenant's expired, unused codes go as the new one is stored.
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            await conn.execute(
                "WITH expired AS (DELETE FROM authorization_codes WHERE expire_time < $12 AND used_time IS NULL) "
                "INSERT INTO authorization_codes (code_hash, client_id, user_id, redirect_uri, scope, nonce, "
                "code_challenge, auth_time, amr, session_id, claims, create_time, expire_time, redirect_uri_sent) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
                code_hash, grant.client_id, grant.user_id, grant.redirect_uri, grant.scope, grant.nonce,
                grant.code_challenge, grant.auth_time, list(grant.amr), grant.session_id, grant.claims, now, expire,
                grant.redirect_uri_sent)

    async def redeem_code(self, tenant_id: str, code_hash: bytes, now: datetime,
                          planned: PlannedFamily) -> tuple[CodeGrant | None, PlannedFamily | None]:
        access = planned.access
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            row = await conn.fetchrow(_REDEEM, code_hash, now, planned.family_id, access.jti if access else None,
                                      access.expire_time if access else None)
            if row is not None:
                return CodeGrant(row["client_id"], row["user_id"], row["redirect_uri"], row["scope"], row["nonce"],
                                 row["code_challenge"], row["auth_time"], tuple(row["amr"]), row["session_id"],
                                 row["claims"], row["redirect_uri_sent"]), None
            used = await conn.fetchrow(
                "SELECT client_id, user_id, family_id, access_jti, access_expire_time FROM authorization_codes "
                "WHERE code_hash = $1 AND used_time IS NOT NULL", code_hash)
        if used is None:
            return None, None
        earlier = (IssuedAccess(used["access_jti"], used["access_expire_time"])
                   if used["access_jti"] and used["access_expire_time"] else None)
        return None, PlannedFamily(used["family_id"] or "", used["client_id"], used["user_id"], earlier)

    # --- families and refresh tokens ---------------------------------------------------------------
    async def start_family(self, tenant_id: str, planned: PlannedFamily, now: datetime) -> None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            await conn.execute("INSERT INTO grant_families (family_id, client_id, user_id, create_time) "
                               "VALUES ($1, $2, $3, $4)", planned.family_id, planned.client_id, planned.user_id, now)
            await _record_access(conn, planned.family_id, planned.access)

    async def add_refresh(self, tenant_id: str, token_hash: bytes, grant: RefreshGrant, now: datetime) -> None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            family = await conn.fetchrow("SELECT revoke_time FROM grant_families WHERE family_id = $1 FOR SHARE",
                                         grant.family_id)
            # A family that is gone or revoked still gets the row, revoked: the client's answer
            # may already be on its way, and the token must not work.
            revoked = now if family is None else family["revoke_time"]
            await _insert_refresh(conn, token_hash, grant, now, revoked)

    async def revoke_family(self, tenant_id: str, family_id: str, now: datetime) -> list[IssuedAccess]:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            return await _revoke_families(conn, [family_id], now)

    async def refresh_by_hash(self, tenant_id: str, token_hash: bytes) -> StoredRefresh | None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            row = await conn.fetchrow(
                f"SELECT {_REFRESH_COLUMNS} FROM refresh_tokens r LEFT JOIN grant_families f "
                "ON f.family_id = r.family_id WHERE r.token_hash = $1", token_hash)
        return _stored_refresh(row) if row else None

    async def rotate_presented(self, tenant_id: str, presented: PresentedRefresh, now: datetime,
                               successor: Successor, access: IssuedAccess,
                               confirm: Callable[[RefreshGrant], Awaitable[None]]) -> RefreshGrant | None:
        """One statement, one transaction: a refresh's read and rotation were two transactions
        (six round trips), now three. `confirm` runs inside the transaction (the family's row
        lock held), so its exception rolls the rotation back."""
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            row = await conn.fetchrow(_ROTATE_PRESENTED, presented.token_hash, now, presented.client_id,
                                      list(presented.scopes), successor.token_hash, successor.idle_expire_time,
                                      access.jti, access.expire_time)
            if row is None:
                return None
            used = _refresh_grant(row)
            await confirm(used)
        return used

    async def rotate_refresh(self, tenant_id: str, token_hash: bytes, family_id: str, now: datetime,
                             new_hash: bytes, new_grant: RefreshGrant, access: IssuedAccess) -> Rotation:
        """One statement (issue 13: one round trip instead of four): the family's row lock, the
        old token marked used, its successor and the access token recorded. A rotation racing
        this one waits at the family lock, then finds the token used (PostgreSQL re-reads a row
        that changed under its UPDATE) and reports reuse, as before."""
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            live, rotated = await conn.fetchrow(_ROTATE, token_hash, now, family_id, new_hash, new_grant.client_id,
                                                new_grant.user_id, new_grant.scope, new_grant.auth_time,
                                                list(new_grant.amr), new_grant.claims, new_grant.expire_time,
                                                new_grant.family_expire_time, access.jti, access.expire_time)
            if not live:
                return Rotation(RotationOutcome.REVOKED)
            if not rotated:
                # Presented again after rotation: the family is compromised (RFC 9700 4.14.2).
                return Rotation(RotationOutcome.REUSED, tuple(await _revoke_families(conn, [family_id], now)))
        return Rotation(RotationOutcome.ROTATED)

    # --- consents ----------------------------------------------------------------------------------
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
        """(client_id, scopes) of every consent the user remembered, by client id."""
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            rows = await conn.fetch("SELECT client_id, scopes FROM consents WHERE user_id = $1 ORDER BY client_id",
                                    user_id)
        return [(row["client_id"], sorted(row["scopes"])) for row in rows]

    async def forget_consent(self, tenant_id: str, user_id: str, client_id: str,
                             now: datetime) -> tuple[bool, list[IssuedAccess]]:
        """Drops the consent and revokes the user's families of that client (one transaction):
        (whether there was a consent, the access tokens to deny-list)."""
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            deleted = await conn.fetchval(
                "DELETE FROM consents WHERE user_id = $1 AND client_id = $2 RETURNING client_id", user_id, client_id)
            families = await conn.fetch(
                "SELECT family_id FROM grant_families WHERE user_id = $1 AND client_id = $2 ORDER BY family_id "
                "FOR UPDATE", user_id, client_id)
            revoked = await _revoke_families(conn, [row["family_id"] for row in families], now)
        return deleted is not None, revoked
