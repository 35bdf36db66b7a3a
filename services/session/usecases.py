"""Session and revocation use cases.

Redis is the fast path; PostgreSQL is the record. Every change is written to PostgreSQL
first, then to Redis, so a Redis flush or restart can lose only cached state: sessions are
re-read from their durable rows on the next request (nobody is signed out), and revoked
sessions and tokens stay revoked (the deny-list is reloaded before the next answer)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Protocol

import structlog

from services.common.context import bind
from services.common.directory import TenantInfo
from services.common.errors import NotFound, Unauthenticated
from services.common.revocation import is_revoked
from services.common.tenancy import TenantSelection, require_tenant_id
from services.common.timestamps import Clock, utcnow
from services.session.live import RedisLiveState
from services.session.model import (
    LAST_SEEN_WRITE_INTERVAL,
    Session,
    latest,
    new_secret,
    require_user_id,
    secret_hash,
    session_invalid,
    start_session,
)
from services.session.store import PgRevocationStore, PgSessionStore

_log = structlog.get_logger("session")


class Tenants(Protocol):
    async def lookup(self, tenant_id: str = "", host: str = "") -> TenantInfo | None: ...
    async def select(self, candidates: list[TenantSelection]) -> TenantInfo: ...


class TenantSchemas(Protocol):
    async def tenant_ids(self) -> list[str]: ...


class SessionMetrics(Protocol):
    def created(self) -> None: ...
    def revoked(self, reason: str, count: int = 1) -> None: ...
    def token_checked(self, revoked: bool) -> None: ...


class Revocation:
    """Deny-listed access tokens and not-before times, per tenant and per user."""

    def __init__(self, live: RedisLiveState, store: PgRevocationStore, schemas: TenantSchemas,
                 metrics: SessionMetrics, clock: Clock = utcnow) -> None:
        self._live = live
        self._store = store
        self._schemas = schemas
        self._metrics = metrics
        self._clock = clock
        self._reload_lock = asyncio.Lock()

    async def revoke_token(self, tenant_id: str, jti: str, expire_time: datetime) -> None:
        require_tenant_id(tenant_id)
        now = self._clock()
        await self._store.revoke_token(tenant_id, jti, expire_time, now)
        await self._live.deny_jti(tenant_id, jti, expire_time, now)
        self._metrics.revoked("token")

    async def revoke_user(self, tenant_id: str, user_id: str, when: datetime) -> None:
        await self._store.set_not_before(tenant_id, f"user:{user_id}", when)
        await self._live.set_user_not_before(tenant_id, user_id, when)

    async def revoke_tenant(self, tenant_id: str) -> None:
        require_tenant_id(tenant_id)
        now = self._clock()
        await self._store.set_not_before(tenant_id, "tenant", now)
        await self._live.set_tenant_not_before(tenant_id, now)
        _log.info("every session and token of the tenant revoked", tenant_id=tenant_id)

    async def is_revoked(self, tenant_id: str, jti: str, user_id: str, issued_at: datetime) -> bool:
        require_tenant_id(tenant_id)
        loaded, denied, not_before = await self._live.check_token(tenant_id, jti, user_id)
        if not loaded:
            await self.reload()
            loaded, denied, not_before = await self._live.check_token(tenant_id, jti, user_id)
        revoked = is_revoked(denied, not_before, issued_at)
        self._metrics.token_checked(revoked)
        return revoked

    async def durable_tenant_not_before(self, tenant_id: str) -> datetime | None:
        return await self._store.not_before(tenant_id, "tenant")

    async def reload(self) -> None:
        """Rebuilds the Redis deny-list from PostgreSQL (after a flush or restart)."""
        async with self._reload_lock:
            now = self._clock()
            for tenant_id in await self._schemas.tenant_ids():
                jtis, not_befores = await self._store.snapshot(tenant_id, now)
                await self._live.load_snapshot(tenant_id, jtis, not_befores, now)
            await self._live.mark_loaded()
            _log.warning("revocation deny-list reloaded from PostgreSQL into Redis")


class Sessions:
    def __init__(self, live: RedisLiveState, store: PgSessionStore, revocation: Revocation, tenants: Tenants,
                 metrics: SessionMetrics, clock: Clock = utcnow) -> None:
        self._live = live
        self._store = store
        self._revocation = revocation
        self._tenants = tenants
        self._metrics = metrics
        self._clock = clock

    async def _active_tenant(self, tenant_id: str) -> TenantInfo:
        require_tenant_id(tenant_id)
        tenant = await self._tenants.lookup(tenant_id=tenant_id)
        if tenant is None or not tenant.active:
            raise NotFound("no such tenant", reason="TENANT_NOT_FOUND")
        return tenant

    async def create(self, tenant_id: str, user_id: str, amr: list[str], auth_time: datetime | None,
                     ip_address: str, user_agent: str) -> tuple[Session, str]:
        tenant = await self._active_tenant(tenant_id)
        limits = tenant.settings.get("sessions", {})
        now = self._clock()
        session = start_session(user_id, amr, auth_time, ip_address, user_agent,
                                int(limits.get("idle_timeout_seconds", 1800)),
                                int(limits.get("absolute_lifetime_seconds", 43200)), now)
        secret = new_secret()
        hashed = secret_hash(secret)
        await self._store.insert(tenant_id, session, hashed)
        await self._live.put_session(tenant_id, hashed, session, now)
        self._metrics.created()
        bind(tenant_id=tenant_id, user_id=session.user_id)
        _log.info("session created", session_id=session.session_id)
        return session, secret

    async def validate(self, tenant_id: str, secret: str) -> Session:
        """The live session behind a cookie value; touches its last-seen time."""
        require_tenant_id(tenant_id)
        if not secret or len(secret) > 128:
            raise session_invalid()
        tenant = await self._tenants.lookup(tenant_id=tenant_id)
        if tenant is None or not tenant.active:
            raise session_invalid()
        hashed = secret_hash(secret)
        now = self._clock()
        loaded, session, tenant_nbf = await self._live.get_session(tenant_id, hashed)
        if not loaded:
            await self._revocation.reload()
            loaded, session, tenant_nbf = await self._live.get_session(tenant_id, hashed)
        cached = session is not None
        if session is None:
            # Not in Redis: expired, unknown, revoked - or Redis lost it. The row decides.
            session = await self._store.by_hash(tenant_id, hashed)
            if session is None:
                raise session_invalid()
            tenant_nbf = latest(tenant_nbf, await self._revocation.durable_tenant_not_before(tenant_id))
        if not session.is_live(now, tenant_nbf):
            if cached:
                await self._live.drop_sessions(tenant_id, [hashed])
            raise session_invalid()
        touched = session.touched(now)
        if cached:
            await self._live.touch_session(tenant_id, hashed, touched, now)
        else:
            await self._live.put_session(tenant_id, hashed, touched, now)
        if now - session.last_seen_time >= LAST_SEEN_WRITE_INTERVAL or not cached:
            await self._store.touch(tenant_id, session.session_id, now)
        bind(user_id=session.user_id)
        return touched

    async def revoke(self, tenant_id: str, session_id: str, user_id: str | None = None) -> bool:
        """Ends one session (of `user_id`, if given: other users' sessions look missing)."""
        require_tenant_id(tenant_id)
        found = await self._store.get(tenant_id, session_id) if session_id.startswith("ses_") else None
        if found is None or (user_id is not None and found[0].user_id != user_id):
            return False
        session, hashed = found
        revoked = await self._store.revoke(tenant_id, [session.session_id], self._clock())
        await self._live.drop_sessions(tenant_id, [hashed])
        if revoked:
            self._metrics.revoked("session")
            _log.info("session revoked", session_id=session_id)
        return bool(revoked)

    async def revoke_user(self, tenant_id: str, user_id: str, except_session_id: str = "",
                          include_tokens: bool = True) -> int:
        """Ends every session of a user but one; with include_tokens, also every token issued
        to the user until now (one not-before write)."""
        require_tenant_id(tenant_id)
        require_user_id(user_id)
        now = self._clock()
        live = await self._store.live_of_user(tenant_id, user_id, now)
        targets = [(s, h) for s, h in live if s.session_id != except_session_id]
        revoked = await self._store.revoke(tenant_id, [s.session_id for s, _ in targets], now)
        await self._live.drop_sessions(tenant_id, [h for _, h in targets])
        if include_tokens:
            await self._revocation.revoke_user(tenant_id, user_id, now)
        self._metrics.revoked("user", len(revoked))
        _log.info("user sessions revoked", user_id=user_id, count=len(revoked), kept=bool(except_session_id))
        return len(revoked)

    async def list_for_user(self, tenant_id: str, user_id: str) -> list[Session]:
        now = self._clock()
        return [s for s, _ in await self._store.live_of_user(tenant_id, user_id, now)
                if s.is_live(now, None)]

    # --- the public API -------------------------------------------------------------------
    async def mine(self, candidates: list[TenantSelection], secret: str) -> tuple[str, Session]:
        """The caller's own session, from its cookie, in the tenant the request selected."""
        tenant = await self._tenants.select(candidates)
        try:
            return tenant.tenant_id, await self.validate(tenant.tenant_id, secret)
        except NotFound:
            raise Unauthenticated("the session is not valid; sign in again", reason="SESSION_INVALID") from None
