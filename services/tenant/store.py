"""PostgreSQL storage of the tenant service (shared schema "tenant")."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import asyncpg

from services.common.db import in_schema
from services.common.errors import AlreadyExists
from services.tenant.admins import AdminState, AdminUser
from services.tenant.console import ConsoleSession
from services.tenant.credentials import ApiKey
from services.tenant.tenants import Tenant, TenantDraft, TenantSettings, TenantState

SCHEMA = "tenant"


def _tenant(row: Any, domains: list[str]) -> Tenant:
    return Tenant(
        tenant_id=row["tenant_id"],
        display_name=row["display_name"],
        state=TenantState(row["state"]),
        settings=TenantSettings.from_dict(row["settings"]),
        custom_domains=tuple(sorted(domains)),
        create_time=row["create_time"],
        update_time=row["update_time"],
    )


# A tenant row with its custom domains (the shared schema's name is fixed: "tenant").
_WITH_DOMAINS = (
    "SELECT t.*, coalesce(array_agg(d.domain) FILTER (WHERE d.domain IS NOT NULL), '{}') AS domains "
    "FROM tenant.tenants t LEFT JOIN tenant.tenant_domains d ON d.tenant_id = t.tenant_id "
)


def domain_taken() -> AlreadyExists:
    return AlreadyExists("a custom domain is already used by another tenant", reason="DOMAIN_TAKEN",
                         details={"field": "custom_domains"})


class PgTenantStore:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def insert(self, draft: TenantDraft, now: datetime) -> Tenant | None:
        async with in_schema(self._pool, SCHEMA) as conn:
            row = await conn.fetchrow(
                "INSERT INTO tenants (tenant_id, display_name, state, settings, create_time, update_time) "
                "VALUES ($1, $2, 'provisioning', $3, $4, $4) ON CONFLICT (tenant_id) DO NOTHING RETURNING *",
                draft.tenant_id, draft.display_name, draft.settings.to_dict(), now,
            )
            if row is None:
                return None
            taken = await conn.fetchval("SELECT count(*) FROM tenant_domains WHERE domain = ANY($1::text[])",
                                        list(draft.custom_domains))
            if taken:
                # Undo the insert: the transaction must not keep a tenant without its domains.
                raise domain_taken()
            try:
                await conn.executemany("INSERT INTO tenant_domains (domain, tenant_id) VALUES ($1, $2)",
                                       [(d, draft.tenant_id) for d in draft.custom_domains])
            except asyncpg.UniqueViolationError:
                raise domain_taken() from None
            return _tenant(row, list(draft.custom_domains))

    async def conflict(self, draft: TenantDraft) -> str:
        async with in_schema(self._pool, SCHEMA) as conn:
            exists = await conn.fetchval("SELECT EXISTS (SELECT 1 FROM tenants WHERE tenant_id = $1)",
                                         draft.tenant_id)
        return "tenant" if exists else "domain"

    async def get(self, tenant_id: str) -> Tenant | None:
        # One schema-qualified statement: this runs for every tenant resolution and every
        # tenant credential check, so no transaction or search_path round trips.
        row = await self._pool.fetchrow(_WITH_DOMAINS + "WHERE t.tenant_id = $1 GROUP BY t.tenant_id", tenant_id)
        return _tenant(row, list(row["domains"])) if row else None

    async def get_by_domain(self, domain: str) -> Tenant | None:
        row = await self._pool.fetchrow(
            _WITH_DOMAINS + "WHERE t.tenant_id = (SELECT tenant_id FROM tenant.tenant_domains WHERE domain = $1) "
            "GROUP BY t.tenant_id", domain)
        return _tenant(row, list(row["domains"])) if row else None

    async def list(self, after: str | None, limit: int, only: str | None = None, pattern: str | None = None,
                   state: TenantState | None = None) -> list[Tenant]:
        # `pattern` (services.common.search.like_pattern) uses the trigram indexes tenants_id_search and
        # tenants_name_search, the state filter tenants_state. Each filter is in the statement only
        # when it is used: a "$n IS NULL OR ..." condition would leave a prepared statement's
        # generic plan without the index.
        where = ["($1::text IS NULL OR t.tenant_id > $1)", "($2::text IS NULL OR t.tenant_id = $2)"]
        args: list[Any] = [after, only, limit]
        if pattern is not None:
            args.append(pattern)
            where.append(f"(lower(t.tenant_id) LIKE ${len(args)} OR lower(t.display_name) LIKE ${len(args)})")
        if state is not None:
            args.append(state.value)
            where.append(f"t.state = ${len(args)}")
        rows = await self._pool.fetch(
            _WITH_DOMAINS + "WHERE " + " AND ".join(where) + " GROUP BY t.tenant_id ORDER BY t.tenant_id LIMIT $3",
            *args,
        )
        return [_tenant(r, list(r["domains"])) for r in rows]

    async def save(self, tenant: Tenant, domains_changed: bool, now: datetime) -> Tenant:
        async with in_schema(self._pool, SCHEMA) as conn:
            row = await conn.fetchrow(
                "UPDATE tenants SET display_name = $2, settings = $3, update_time = $4 WHERE tenant_id = $1 "
                "RETURNING *",
                tenant.tenant_id, tenant.display_name, tenant.settings.to_dict(), now,
            )
            if domains_changed:
                await conn.execute("DELETE FROM tenant_domains WHERE tenant_id = $1", tenant.tenant_id)
                try:
                    await conn.executemany("INSERT INTO tenant_domains (domain, tenant_id) VALUES ($1, $2)",
                                           [(d, tenant.tenant_id) for d in tenant.custom_domains])
                except asyncpg.UniqueViolationError:
                    raise domain_taken() from None
            domains = await conn.fetch("SELECT domain FROM tenant_domains WHERE tenant_id = $1", tenant.tenant_id)
        return _tenant(row, [d["domain"] for d in domains])

    async def set_state(self, tenant_id: str, state: TenantState, now: datetime) -> Tenant | None:
        async with in_schema(self._pool, SCHEMA) as conn:
            updated = await conn.fetchval(
                "UPDATE tenants SET state = $2, update_time = $3 WHERE tenant_id = $1 RETURNING tenant_id",
                tenant_id, state.value, now,
            )
        return await self.get(tenant_id) if updated else None

    async def delete(self, tenant_id: str) -> None:
        async with in_schema(self._pool, SCHEMA) as conn:
            await conn.execute("DELETE FROM tenants WHERE tenant_id = $1", tenant_id)


def _key(row: Any) -> ApiKey:
    return ApiKey(row["api_key_id"], row["tenant_id"] or "", row["display_name"], frozenset(row["scopes"]),
                  row["create_time"], row["expire_time"], row["revoke_time"])


class PgApiKeyStore:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def insert(self, key: ApiKey, secret_hash: bytes) -> None:
        async with in_schema(self._pool, SCHEMA) as conn:
            await conn.execute(
                "INSERT INTO api_keys (api_key_id, tenant_id, display_name, scopes, secret_hash, create_time, "
                "expire_time) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                key.api_key_id, key.tenant_id or None, key.display_name, sorted(key.scopes), secret_hash,
                key.create_time, key.expire_time,
            )

    async def upsert_bootstrap(self, key: ApiKey, secret_hash: bytes) -> None:
        async with in_schema(self._pool, SCHEMA) as conn:
            await conn.execute(
                "INSERT INTO api_keys (api_key_id, tenant_id, display_name, scopes, secret_hash, create_time) "
                "VALUES ($1, NULL, $2, $3, $4, $5) ON CONFLICT (api_key_id) DO UPDATE SET "
                "secret_hash = EXCLUDED.secret_hash, scopes = EXCLUDED.scopes, revoke_time = NULL",
                key.api_key_id, key.display_name, sorted(key.scopes), secret_hash, key.create_time,
            )

    async def get(self, api_key_id: str) -> ApiKey | None:
        async with in_schema(self._pool, SCHEMA) as conn:
            row = await conn.fetchrow("SELECT * FROM api_keys WHERE api_key_id = $1", api_key_id)
        return _key(row) if row else None

    async def by_hash(self, secret_hash: bytes) -> ApiKey | None:
        async with in_schema(self._pool, SCHEMA) as conn:
            row = await conn.fetchrow("SELECT * FROM api_keys WHERE secret_hash = $1", secret_hash)
        return _key(row) if row else None

    async def list(self, tenant_id: str, after: str | None, limit: int) -> list[ApiKey]:
        async with in_schema(self._pool, SCHEMA) as conn:
            rows = await conn.fetch(
                "SELECT * FROM api_keys WHERE tenant_id IS NOT DISTINCT FROM $1 "
                "AND ($2::text IS NULL OR api_key_id > $2) ORDER BY api_key_id LIMIT $3",
                tenant_id or None, after, limit,
            )
        return [_key(r) for r in rows]

    async def revoke(self, api_key_id: str, now: datetime) -> ApiKey | None:
        async with in_schema(self._pool, SCHEMA) as conn:
            row = await conn.fetchrow(
                "UPDATE api_keys SET revoke_time = coalesce(revoke_time, $2) WHERE api_key_id = $1 RETURNING *",
                api_key_id, now,
            )
        return _key(row) if row else None


def _admin(row: Any) -> AdminUser:
    return AdminUser(row["admin_user_id"], row["email"], row["tenant_id"] or "", frozenset(row["scopes"]),
                     AdminState(row["state"]), row["create_time"], row["last_login_time"])


class PgAdminStore:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def insert(self, admin: AdminUser, password_hash: str) -> bool:
        async with in_schema(self._pool, SCHEMA) as conn:
            try:
                await conn.execute(
                    "INSERT INTO admin_users (admin_user_id, email, tenant_id, scopes, password_hash, state, "
                    "create_time) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    admin.admin_user_id, admin.email, admin.tenant_id or None, sorted(admin.scopes),
                    password_hash, admin.state.value, admin.create_time,
                )
            except asyncpg.UniqueViolationError:
                return False
        return True

    async def get(self, admin_user_id: str) -> AdminUser | None:
        async with in_schema(self._pool, SCHEMA) as conn:
            row = await conn.fetchrow("SELECT * FROM admin_users WHERE admin_user_id = $1", admin_user_id)
        return _admin(row) if row else None

    async def by_email(self, email: str) -> tuple[AdminUser, str] | None:
        async with in_schema(self._pool, SCHEMA) as conn:
            row = await conn.fetchrow("SELECT * FROM admin_users WHERE lower(email) = lower($1)", email)
        return (_admin(row), row["password_hash"]) if row else None

    async def list(self, tenant_id: str, after: str | None, limit: int) -> list[AdminUser]:
        async with in_schema(self._pool, SCHEMA) as conn:
            rows = await conn.fetch(
                "SELECT * FROM admin_users WHERE tenant_id IS NOT DISTINCT FROM $1 "
                "AND ($2::text IS NULL OR admin_user_id > $2) ORDER BY admin_user_id LIMIT $3",
                tenant_id or None, after, limit,
            )
        return [_admin(r) for r in rows]

    async def save(self, admin: AdminUser) -> None:
        async with in_schema(self._pool, SCHEMA) as conn:
            await conn.execute(
                "UPDATE admin_users SET scopes = $2, state = $3, last_login_time = $4 WHERE admin_user_id = $1",
                admin.admin_user_id, sorted(admin.scopes), admin.state.value, admin.last_login_time,
            )

    async def set_password_hash(self, admin_user_id: str, password_hash: str) -> None:
        async with in_schema(self._pool, SCHEMA) as conn:
            await conn.execute("UPDATE admin_users SET password_hash = $2 WHERE admin_user_id = $1",
                               admin_user_id, password_hash)

    async def insert_token(self, token_hash: bytes, admin_user_id: str, expire_time: datetime) -> None:
        async with in_schema(self._pool, SCHEMA) as conn:
            await conn.execute("DELETE FROM admin_tokens WHERE expire_time < now()")
            await conn.execute("INSERT INTO admin_tokens (token_hash, admin_user_id, expire_time) VALUES ($1, $2, $3)",
                               token_hash, admin_user_id, expire_time)

    async def by_token(self, token_hash: bytes, now: datetime) -> AdminUser | None:
        async with in_schema(self._pool, SCHEMA) as conn:
            row = await conn.fetchrow(
                "SELECT a.* FROM admin_tokens t JOIN admin_users a USING (admin_user_id) "
                "WHERE t.token_hash = $1 AND t.expire_time > $2",
                token_hash, now,
            )
        return _admin(row) if row else None

    async def delete_tokens(self, admin_user_id: str) -> None:
        async with in_schema(self._pool, SCHEMA) as conn:
            await conn.execute("DELETE FROM admin_tokens WHERE admin_user_id = $1", admin_user_id)


class PgConsoleSessionStore:
    """Console sessions, keyed by the hash of the cookie's secret."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def insert(self, session_hash: bytes, session: ConsoleSession) -> None:
        async with in_schema(self._pool, SCHEMA) as conn:
            # Expired sessions go as new ones come: no sweeper needed.
            await conn.execute("DELETE FROM admin_console_sessions WHERE expire_time < now() "
                               "OR idle_expire_time < now()")
            await conn.execute(
                "INSERT INTO admin_console_sessions (session_hash, admin_user_id, create_time, expire_time, "
                "idle_expire_time) VALUES ($1, $2, $3, $4, $5)",
                session_hash, session.admin_user_id, session.create_time, session.expire_time,
                session.idle_expire_time)

    async def touch(self, session_hash: bytes, now: datetime,
                    idle: timedelta) -> tuple[ConsoleSession, AdminUser] | None:
        """Slides a live session's idle deadline (one statement: two replicas touching at once
        both see it live or both not) and returns it with its administrator."""
        async with in_schema(self._pool, SCHEMA) as conn:
            row = await conn.fetchrow(
                "WITH s AS (UPDATE admin_console_sessions SET idle_expire_time = LEAST($2::timestamptz + $3, "
                "expire_time) WHERE session_hash = $1 AND idle_expire_time > $2 AND expire_time > $2 "
                "RETURNING admin_user_id, create_time AS session_create_time, expire_time, idle_expire_time) "
                "SELECT s.*, a.* FROM s JOIN admin_users a USING (admin_user_id)",
                session_hash, now, idle)
        if row is None:
            return None
        session = ConsoleSession(row["admin_user_id"], row["session_create_time"], row["expire_time"],
                                 row["idle_expire_time"])
        return session, _admin(row)

    async def delete(self, session_hash: bytes) -> bool:
        async with in_schema(self._pool, SCHEMA) as conn:
            deleted = await conn.fetchval(
                "DELETE FROM admin_console_sessions WHERE session_hash = $1 RETURNING 1", session_hash)
        return deleted is not None

    async def delete_for_admin(self, admin_user_id: str) -> None:
        async with in_schema(self._pool, SCHEMA) as conn:
            await conn.execute("DELETE FROM admin_console_sessions WHERE admin_user_id = $1", admin_user_id)
