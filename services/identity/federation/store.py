"""PostgreSQL storage of a tenant's identity providers and linked identities (the tenant's
identity schema, migrations/tenant/0004_identity_providers.sql)."""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import asyncpg

from services.common.db import in_tenant, savepoint
from services.identity.federation.icons import StoredIcon
from services.identity.federation.model import IdentityProvider, ProviderType
from services.identity.users import User

SERVICE = "identity"
_CONFIG_FIELDS = tuple(f for f in IdentityProvider.__dataclass_fields__ if f not in {
    "provider_id", "provider_type", "enabled", "display_order", "sealed_client_secret", "sealed_private_key",
    "create_time", "update_time"})


@dataclass(frozen=True)
class LinkedIdentity:
    identity_id: str
    user_id: str
    provider_id: str
    subject: str
    email: str
    create_time: datetime
    last_login_time: datetime | None


def new_identity_id() -> str:
    return "fid_" + secrets.token_hex(12)


def _config(provider: IdentityProvider) -> dict[str, Any]:
    raw = asdict(provider)
    config = {k: raw[k] for k in _CONFIG_FIELDS}
    config["scopes"] = list(provider.scopes)
    config["allowed_email_domains"] = list(provider.allowed_email_domains)
    return config


def _provider(row: Any) -> IdentityProvider:
    config = dict(row["config"] or {})
    known = {k: v for k, v in config.items() if k in _CONFIG_FIELDS}
    known["scopes"] = tuple(known.get("scopes", ()))
    known["allowed_email_domains"] = tuple(known.get("allowed_email_domains", ()))
    return IdentityProvider(
        provider_id=row["provider_id"], provider_type=ProviderType(row["provider_type"]), enabled=row["enabled"],
        display_order=row["display_order"], sealed_client_secret=row["client_secret"],
        sealed_private_key=row["private_key"], create_time=row["created_at"], update_time=row["updated_at"],
        **known)


def _identity(row: Any) -> LinkedIdentity:
    return LinkedIdentity(row["identity_id"], row["user_id"], row["provider_id"], row["subject"], row["email"],
                          row["created_at"], row["last_login_at"])


class PgFederationStore:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    # --- providers -------------------------------------------------------------------------
    async def insert_provider(self, tenant_id: str, provider: IdentityProvider, now: datetime,
                              icon: StoredIcon | None = None) -> bool:
        """False if the provider id is taken in this tenant. The provider and its icon are
        written in one transaction."""
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            try:
                async with savepoint(conn):
                    await conn.execute(
                        "INSERT INTO identity_providers (provider_id, provider_type, config, enabled, display_order, "
                        "client_secret, private_key, created_at, updated_at) "
                        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
                        provider.provider_id, provider.provider_type.value, _config(provider), provider.enabled,
                        provider.display_order, provider.sealed_client_secret, provider.sealed_private_key, now)
                    await _write_icon(conn, provider, icon)
            except asyncpg.UniqueViolationError:
                return False
        return True

    async def save_provider(self, tenant_id: str, provider: IdentityProvider, now: datetime,
                            icon: StoredIcon | None = None) -> IdentityProvider | None:
        """Saves the provider; `icon` is a new upload (None: the icon is kept, or removed when
        the provider has no icon_hash any more)."""
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:  # one transaction
            row = await conn.fetchrow(
                "UPDATE identity_providers SET config = $2, enabled = $3, display_order = $4, client_secret = $5, "
                "private_key = $6, updated_at = $7 WHERE provider_id = $1 RETURNING *",
                provider.provider_id, _config(provider), provider.enabled, provider.display_order,
                provider.sealed_client_secret, provider.sealed_private_key, now)
            if row is not None:
                await _write_icon(conn, provider, icon)
        return _provider(row) if row else None

    async def icon(self, tenant_id: str, provider_id: str, icon_hash: str) -> StoredIcon | None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            row = await conn.fetchrow("SELECT media_type, data FROM identity_provider_icons "
                                      "WHERE provider_id = $1 AND icon_hash = $2", provider_id, icon_hash)
        return StoredIcon(icon_hash, row["media_type"], bytes(row["data"])) if row else None

    async def provider(self, tenant_id: str, provider_id: str) -> IdentityProvider | None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            row = await conn.fetchrow("SELECT * FROM identity_providers WHERE provider_id = $1", provider_id)
        return _provider(row) if row else None

    async def providers(self, tenant_id: str, enabled_only: bool = False) -> list[IdentityProvider]:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            rows = await conn.fetch("SELECT * FROM identity_providers WHERE enabled OR NOT $1 "
                                    "ORDER BY display_order, provider_id", enabled_only)
        return [_provider(r) for r in rows]

    async def delete_provider(self, tenant_id: str, provider_id: str) -> bool:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            result = await conn.execute("DELETE FROM identity_providers WHERE provider_id = $1", provider_id)
        return bool(result.endswith(" 1"))

    # --- identities ------------------------------------------------------------------------
    async def linked_user(self, tenant_id: str, provider_id: str, subject: str) -> str | None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            value: str | None = await conn.fetchval(
                "SELECT user_id FROM federated_identities WHERE provider_id = $1 AND subject = $2",
                provider_id, subject)
        return value

    async def link(self, tenant_id: str, user_id: str, provider_id: str, subject: str, email: str,
                   now: datetime) -> bool:
        """False if (provider, subject) is linked already (to anyone)."""
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            try:
                await conn.execute(
                    "INSERT INTO federated_identities (identity_id, user_id, provider_id, subject, email, created_at, "
                    "last_login_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
                    new_identity_id(), user_id, provider_id, subject, email, now)
            except asyncpg.UniqueViolationError:
                return False
        return True

    async def create_linked_user(self, tenant_id: str, user: User, provider_id: str, subject: str,
                                 now: datetime) -> bool:
        """The new user and its identity in one transaction (nothing half-created); False if
        the email or the identity was taken meanwhile."""
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            try:
                async with savepoint(conn):
                    await conn.execute(
                        "INSERT INTO users (user_id, email, email_verified, phone, phone_verified, password_hash, "
                        "profile, metadata, status, created_at, updated_at) "
                        "VALUES ($1, $2, $3, NULL, false, NULL, $4, '{}', $5, $6, $6)",
                        user.user_id, user.email, user.email_verified, user.profile.to_dict(), user.state.value, now)
                    await conn.execute(
                        "INSERT INTO federated_identities (identity_id, user_id, provider_id, subject, email, "
                        "created_at, last_login_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
                        new_identity_id(), user.user_id, provider_id, subject, user.email, now)
            except asyncpg.UniqueViolationError:
                return False
        return True

    async def touch(self, tenant_id: str, provider_id: str, subject: str, email: str, now: datetime) -> None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            await conn.execute("UPDATE federated_identities SET last_login_at = $3, email = $4 "
                               "WHERE provider_id = $1 AND subject = $2", provider_id, subject, now, email)

    async def identities(self, tenant_id: str, user_id: str) -> list[LinkedIdentity]:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            rows = await conn.fetch("SELECT * FROM federated_identities WHERE user_id = $1 "
                                    "ORDER BY created_at, identity_id", user_id)
        return [_identity(r) for r in rows]

    async def unlink(self, tenant_id: str, user_id: str, identity_id: str, keep_one: bool) -> str:
        """"unlinked", "missing", or "last" (refused: `keep_one` and no other way to sign in
        than this identity). Checked and deleted in one transaction, rows locked, so two
        parallel unlinks cannot remove both of the last two identities."""
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            user = await conn.fetchrow("SELECT password_hash FROM users WHERE user_id = $1 FOR UPDATE", user_id)
            if user is None:
                return "missing"
            rows = await conn.fetch("SELECT identity_id FROM federated_identities WHERE user_id = $1", user_id)
            ids = {r["identity_id"] for r in rows}
            if identity_id not in ids:
                return "missing"
            if keep_one and user["password_hash"] is None and len(ids) == 1:
                return "last"
            await conn.execute("DELETE FROM federated_identities WHERE identity_id = $1", identity_id)
        return "unlinked"


async def _write_icon(conn: Any, provider: IdentityProvider, icon: StoredIcon | None) -> None:
    if icon is not None:
        await conn.execute(
            "INSERT INTO identity_provider_icons (provider_id, icon_hash, media_type, data) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (provider_id) DO UPDATE SET icon_hash = $2, media_type = $3, data = $4",
            provider.provider_id, icon.image_hash, icon.media_type, icon.data)
    elif not provider.icon_hash:
        await conn.execute("DELETE FROM identity_provider_icons WHERE provider_id = $1", provider.provider_id)
