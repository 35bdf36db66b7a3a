"""PostgreSQL storage of users, credentials and one-time codes (the tenant's identity schema)."""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Any

import asyncpg

from services.common.db import in_tenant
from services.identity.codes import Purpose
from services.identity.users import Profile, User, UserState

SERVICE = "identity"


def _user(row: Any) -> User:
    profile = row["profile"] or {}
    return User(
        user_id=row["user_id"], email=row["email"], email_verified=row["email_verified"],
        phone_number=row["phone"] or "", phone_verified=row["phone_verified"],
        profile=Profile(**{k: v for k, v in profile.items() if k in Profile.__dataclass_fields__}),
        metadata=row["metadata"] or {}, state=UserState(row["status"]), mfa_enabled=row["mfa_enabled"],
        create_time=row["created_at"], update_time=row["updated_at"], last_login_time=row["last_login_at"],
    )


class PgUserStore:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def insert(self, tenant_id: str, user: User, password_hash: str | None) -> bool:
        """False if the email is taken in this tenant."""
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            try:
                await conn.execute(
                    "INSERT INTO users (user_id, email, email_verified, phone, phone_verified, password_hash, "
                    "profile, metadata, status, created_at, updated_at) "
                    "VALUES ($1, $2, $3, $4, false, $5, $6, $7, $8, $9, $9)",
                    user.user_id, user.email, user.email_verified, user.phone_number or None, password_hash,
                    user.profile.to_dict(), user.metadata, user.state.value, user.create_time,
                )
            except asyncpg.UniqueViolationError:
                return False
        return True

    async def get(self, tenant_id: str, user_id: str) -> User | None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            row = await conn.fetchrow("SELECT * FROM users WHERE user_id = $1", user_id)
        return _user(row) if row else None

    async def by_email(self, tenant_id: str, email: str) -> tuple[User, str | None] | None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            row = await conn.fetchrow("SELECT * FROM users WHERE lower(email) = lower($1)", email)
        return (_user(row), row["password_hash"]) if row else None

    async def password_hash(self, tenant_id: str, user_id: str) -> str | None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            value: str | None = await conn.fetchval("SELECT password_hash FROM users WHERE user_id = $1", user_id)
        return value

    async def list(self, tenant_id: str, pattern: str | None, after: str | None, limit: int) -> list[User]:
        """`pattern` is services.common.search.like_pattern's (None: every user)."""
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            rows = await conn.fetch(
                "SELECT * FROM users WHERE ($1::text IS NULL OR user_id > $1) AND ($2::text IS NULL "
                "OR lower(email) LIKE $2 OR lower(coalesce(profile->>'name', '')) LIKE $2) "
                "ORDER BY user_id LIMIT $3",
                after, pattern, limit,
            )
        return [_user(r) for r in rows]

    async def save(self, tenant_id: str, user: User, now: datetime) -> User | None:
        """Writes profile, email, phone, state; None if the email is taken."""
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            try:
                row = await conn.fetchrow(
                    "UPDATE users SET email = $2, email_verified = $3, phone = $4, phone_verified = $5, profile = $6, "
                    "metadata = $7, status = $8, updated_at = $9 WHERE user_id = $1 RETURNING *",
                    user.user_id, user.email, user.email_verified, user.phone_number or None, user.phone_verified,
                    user.profile.to_dict(), user.metadata, user.state.value, now,
                )
            except asyncpg.UniqueViolationError:
                return None
        return _user(row) if row else None

    async def set_password_hash(self, tenant_id: str, user_id: str, password_hash: str, now: datetime) -> None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            await conn.execute("UPDATE users SET password_hash = $2, updated_at = $3 WHERE user_id = $1",
                               user_id, password_hash, now)

    async def record_login(self, tenant_id: str, user_id: str, now: datetime) -> None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            await conn.execute("UPDATE users SET last_login_at = $2 WHERE user_id = $1", user_id, now)

    async def delete(self, tenant_id: str, user_id: str) -> bool:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            deleted = await conn.fetchval("DELETE FROM users WHERE user_id = $1 RETURNING user_id", user_id)
        return deleted is not None

    # --- MFA -------------------------------------------------------------------------
    async def totp(self, tenant_id: str, user_id: str) -> tuple[bytes | None, bytes | None, int | None]:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            row = await conn.fetchrow(
                "SELECT totp_secret, totp_pending_secret, totp_last_step FROM users WHERE user_id = $1", user_id)
        if row is None:
            return None, None, None
        return row["totp_secret"], row["totp_pending_secret"], row["totp_last_step"]

    async def set_pending_totp(self, tenant_id: str, user_id: str, sealed: bytes) -> None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            await conn.execute("UPDATE users SET totp_pending_secret = $2 WHERE user_id = $1", user_id, sealed)

    async def activate_totp(self, tenant_id: str, user_id: str, sealed: bytes, step: int,
                            recovery_hashes: builtins.list[bytes], now: datetime) -> None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            await conn.execute(
                "UPDATE users SET totp_secret = $2, totp_pending_secret = NULL, totp_last_step = $3, "
                "mfa_enabled = true, updated_at = $4 WHERE user_id = $1", user_id, sealed, step, now)
            await conn.execute("DELETE FROM recovery_codes WHERE user_id = $1", user_id)
            await conn.executemany("INSERT INTO recovery_codes (code_hash, user_id) VALUES ($1, $2)",
                                   [(h, user_id) for h in recovery_hashes])

    async def use_totp_step(self, tenant_id: str, user_id: str, step: int) -> bool:
        """Records a used time step; False if it (or a later one) was used already (replay)."""
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            updated = await conn.fetchval(
                "UPDATE users SET totp_last_step = $2 WHERE user_id = $1 "
                "AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING user_id", user_id, step)
        return updated is not None

    async def use_recovery_code(self, tenant_id: str, user_id: str, code_hash: bytes, now: datetime) -> bool:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            used = await conn.fetchval(
                "UPDATE recovery_codes SET used_at = $3 WHERE code_hash = $1 AND user_id = $2 AND used_at IS NULL "
                "RETURNING user_id", code_hash, user_id, now)
        return used is not None

    async def clear_mfa(self, tenant_id: str, user_id: str, now: datetime) -> None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            await conn.execute(
                "UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL, totp_last_step = NULL, "
                "mfa_enabled = false, updated_at = $2 WHERE user_id = $1", user_id, now)
            await conn.execute("DELETE FROM recovery_codes WHERE user_id = $1", user_id)

    # --- one-time codes ---------------------------------------------------------------
    async def insert_code(self, tenant_id: str, code_hash: bytes, user_id: str, purpose: Purpose, target: str,
                          expire_time: datetime, now: datetime) -> None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            # A new code replaces the user's older ones of that purpose (only the newest link
            # works), except MFA sign-in steps: two devices may be signing in at once.
            replaces = purpose is not Purpose.MFA_LOGIN
            await conn.execute(
                "DELETE FROM one_time_codes WHERE ($4 AND user_id = $1 AND purpose = $2) OR expire_time < $3",
                user_id, purpose.value, now, replaces)
            await conn.execute(
                "INSERT INTO one_time_codes (code_hash, user_id, purpose, target, expire_time, create_time) "
                "VALUES ($1, $2, $3, $4, $5, $6)", code_hash, user_id, purpose.value, target, expire_time, now)

    async def consume_code(self, tenant_id: str, code_hash: bytes, purpose: Purpose,
                           now: datetime) -> tuple[str, str] | None:
        """(user id, target) of a live code, marking it used; None if unknown, used or expired.
        Single use holds under concurrency: only one UPDATE can flip used_time."""
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            row = await conn.fetchrow(
                "UPDATE one_time_codes SET used_time = $3 WHERE code_hash = $1 AND purpose = $2 "
                "AND used_time IS NULL AND expire_time > $3 RETURNING user_id, target",
                code_hash, purpose.value, now)
        return (row["user_id"], row["target"]) if row else None

    async def live_code_for(self, tenant_id: str, user_id: str, purpose: Purpose,
                            now: datetime) -> tuple[bytes, str] | None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            row = await conn.fetchrow(
                "SELECT code_hash, target FROM one_time_codes WHERE user_id = $1 AND purpose = $2 "
                "AND used_time IS NULL AND expire_time > $3 ORDER BY create_time DESC LIMIT 1",
                user_id, purpose.value, now)
        return (bytes(row["code_hash"]), row["target"]) if row else None

    async def live_code_by_hash(self, tenant_id: str, code_hash: bytes, purpose: Purpose,
                                now: datetime) -> tuple[str, str] | None:
        """(user id, target) of a live code without using it up (MFA login step)."""
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            row = await conn.fetchrow(
                "SELECT user_id, target FROM one_time_codes WHERE code_hash = $1 AND purpose = $2 "
                "AND used_time IS NULL AND expire_time > $3", code_hash, purpose.value, now)
        return (row["user_id"], row["target"]) if row else None
