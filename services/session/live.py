"""The Redis fast path: live sessions, the token deny-list and not-before times.

Every key is built by services.common.redis.tenant_key, so no tenant/user pair can reach
another's keys. A sentinel key records that the deny-list was loaded from PostgreSQL; when a
flush or restart removes it, the next check reloads the deny-list before answering."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import redis.asyncio as aioredis

from services.common.redis import purge_tenant, tenant_key
from services.common.revocation import (
    LOADED_SENTINEL,
    jti_key,
    read_revocation,
    tenant_nbf_key,
    user_nbf_key,
)
from services.session.model import Session

# Not-before entries outlive every token and session they can cover (refresh tokens live at
# most a year, see tenant settings); they are re-written from PostgreSQL after a flush.
NOT_BEFORE_TTL_SECONDS = 400 * 86400


def _ts(value: datetime) -> str:
    return f"{value.timestamp():.6f}"


def _dt(value: bytes | str) -> datetime:
    return datetime.fromtimestamp(float(value), UTC)


SESSION_KIND = "session"
# Every tenant key kind this service writes (sessions here; the deny-list and not-before
# times of services.common.revocation): what deprovisioning a tenant purges.
KINDS = (SESSION_KIND, "revoked-jti", "nbf-user", "nbf-tenant")


def session_key(tenant_id: str, hashed: bytes) -> str:
    return tenant_key(SESSION_KIND, tenant_id, hashed.hex())


def encode_session(session: Session) -> dict[str, str]:
    return {
        "session_id": session.session_id, "user_id": session.user_id, "create_time": _ts(session.create_time),
        "last_seen_time": _ts(session.last_seen_time), "expire_time": _ts(session.expire_time),
        "idle": str(int(session.idle_timeout.total_seconds())), "amr": json.dumps(list(session.amr)),
        "auth_time": _ts(session.auth_time), "ip_address": session.ip_address, "user_agent": session.user_agent,
    }


def decode_session(data: dict[bytes, bytes]) -> Session:
    d = {k.decode(): v.decode() for k, v in data.items()}
    return Session(
        session_id=d["session_id"], user_id=d["user_id"], create_time=_dt(d["create_time"]),
        last_seen_time=_dt(d["last_seen_time"]), expire_time=_dt(d["expire_time"]),
        idle_timeout=timedelta(seconds=int(d["idle"])), amr=tuple(json.loads(d["amr"])),
        auth_time=_dt(d["auth_time"]), ip_address=d["ip_address"], user_agent=d["user_agent"],
    )


class RedisLiveState:
    def __init__(self, client: aioredis.Redis) -> None:
        self._redis = client

    async def put_session(self, tenant_id: str, hashed: bytes, session: Session, now: datetime) -> None:
        key = session_key(tenant_id, hashed)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            pipe.hset(key, mapping=cast(Any, encode_session(session)))
            pipe.expire(key, session.ttl_seconds(now))
            await pipe.execute()

    async def get_session(self, tenant_id: str, hashed: bytes) -> tuple[bool, Session | None, datetime | None]:
        """(deny-list loaded, the cached session, the tenant's not-before): one round trip."""
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.exists(LOADED_SENTINEL)
            pipe.hgetall(session_key(tenant_id, hashed))
            pipe.get(tenant_nbf_key(tenant_id))
            loaded, data, nbf = await pipe.execute()
        return bool(loaded), (decode_session(data) if data else None), (_dt(nbf) if nbf else None)

    async def touch_session(self, tenant_id: str, hashed: bytes, session: Session, now: datetime) -> None:
        key = session_key(tenant_id, hashed)
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.hset(key, "last_seen_time", _ts(session.last_seen_time))
            pipe.expire(key, session.ttl_seconds(now))
            await pipe.execute()

    async def drop_sessions(self, tenant_id: str, hashes: list[bytes]) -> None:
        if hashes:
            await self._redis.delete(*(session_key(tenant_id, h) for h in hashes))

    async def deny_jti(self, tenant_id: str, jti: str, expire_time: datetime, now: datetime) -> None:
        ttl = int((expire_time - now).total_seconds()) + 1
        if ttl > 0:
            await self._redis.set(jti_key(tenant_id, jti), b"1", ex=ttl)

    async def set_user_not_before(self, tenant_id: str, user_id: str, when: datetime) -> None:
        await self._redis.set(user_nbf_key(tenant_id, user_id), _ts(when), ex=NOT_BEFORE_TTL_SECONDS)

    async def set_tenant_not_before(self, tenant_id: str, when: datetime) -> None:
        await self._redis.set(tenant_nbf_key(tenant_id), _ts(when), ex=NOT_BEFORE_TTL_SECONDS)

    async def check_token(self, tenant_id: str, jti: str, user_id: str) -> tuple[bool, bool, datetime | None]:
        """(deny-list loaded, jti denied, latest not-before of user and tenant): one round trip."""
        return await read_revocation(self._redis, tenant_id, jti, user_id)

    async def load_snapshot(self, tenant_id: str, jtis: list[tuple[str, datetime]],
                            not_befores: list[tuple[str, datetime]], now: datetime) -> None:
        async with self._redis.pipeline(transaction=False) as pipe:
            for jti, expire_time in jtis:
                ttl = int((expire_time - now).total_seconds()) + 1
                if ttl > 0:
                    pipe.set(jti_key(tenant_id, jti), b"1", ex=ttl)
            for subject, when in not_befores:
                key = tenant_nbf_key(tenant_id) if subject == "tenant" else user_nbf_key(
                    tenant_id, subject.removeprefix("user:"))
                pipe.set(key, _ts(when), ex=NOT_BEFORE_TTL_SECONDS)
            await pipe.execute()

    async def mark_loaded(self) -> None:
        await self._redis.set(LOADED_SENTINEL, b"1")

    async def purge_tenant(self, tenant_id: str) -> int:
        """Deprovisioning: the tenant's live sessions, deny-list and not-before times."""
        return await purge_tenant(self._redis, tenant_id, KINDS)
