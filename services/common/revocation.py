"""The token deny-list in Redis, as every service reads it.

The session service owns revocation (it writes these keys and their durable records); the
token service reads them directly so that introspection stays one hop. When the sentinel is
missing (Redis lost its data), only the session service can rebuild the list: readers then
ask it (CheckToken) instead of answering from an empty Redis."""

from __future__ import annotations

from datetime import UTC, datetime

import redis.asyncio as aioredis

from services.common.redis import redis_key, tenant_key

LOADED_SENTINEL = redis_key("revocation-loaded")


def jti_key(tenant_id: str, jti: str) -> str:
    return tenant_key("revoked-jti", tenant_id, jti)


def user_nbf_key(tenant_id: str, user_id: str) -> str:
    return tenant_key("nbf-user", tenant_id, user_id)


def tenant_nbf_key(tenant_id: str) -> str:
    return tenant_key("nbf-tenant", tenant_id)


def timestamp(value: bytes | str) -> datetime:
    return datetime.fromtimestamp(float(value), UTC)


async def read_revocation(client: aioredis.Redis, tenant_id: str, jti: str,
                          user_id: str) -> tuple[bool, bool, datetime | None]:
    """(deny-list loaded, jti denied, latest not-before of user and tenant): one MGET (every key
    is a string; a pipeline of EXISTS and GETs cost twice the client CPU for the same answer)."""
    keys = [LOADED_SENTINEL, tenant_nbf_key(tenant_id)]
    if jti:
        keys.append(jti_key(tenant_id, jti))
    if user_id:
        keys.append(user_nbf_key(tenant_id, user_id))
    loaded, tenant_nbf, *rest = await client.mget(keys)
    denied = rest.pop(0) is not None if jti else False
    user_nbf = rest.pop(0) if user_id else None
    nbfs = [timestamp(v) for v in (user_nbf, tenant_nbf) if v]
    return loaded is not None, denied, (max(nbfs) if nbfs else None)


def is_revoked(denied: bool, not_before: datetime | None, issued_at: datetime) -> bool:
    # Tokens carry whole-second iat: one issued in the same second as a revocation counts as
    # revoked.
    return denied or (not_before is not None and issued_at.timestamp() < not_before.timestamp() + 1)
