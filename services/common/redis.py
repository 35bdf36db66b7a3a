"""redis-py asyncio client and key building that cannot collide across tenants."""

from __future__ import annotations

from urllib.parse import quote

import redis.asyncio as aioredis

KEY_PREFIX = "binoauth"


def redis_key(kind: str, *parts: str) -> str:
    """`binoauth:<kind>:<part>:<part>...` with every part percent-encoded, so that no
    choice of parts can produce another tuple's key (tenant "a:b" + user "c" differs from
    tenant "a" + user "b:c")."""
    if not kind or not kind.replace("_", "").replace("-", "").isalnum():
        raise ValueError(f"bad key kind {kind!r}")
    return ":".join((KEY_PREFIX, kind, *(quote(p, safe="") for p in parts)))


def tenant_key(kind: str, tenant_id: str, *parts: str) -> str:
    """A key that belongs to one tenant; the tenant is always the first part."""
    if not tenant_id:
        raise ValueError("tenant_id is required for a tenant key")
    return redis_key(kind, tenant_id, *parts)


def create_redis(url: str) -> aioredis.Redis:
    return aioredis.Redis.from_url(
        url,
        decode_responses=False,
        socket_timeout=2.0,
        socket_connect_timeout=2.0,
        health_check_interval=30,
        retry_on_timeout=False,
    )


async def ping(client: aioredis.Redis) -> None:
    await client.ping()
