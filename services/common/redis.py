"""redis-py asyncio client and key building that cannot collide across tenants."""

from __future__ import annotations

from urllib.parse import quote

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

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
    """A client that retries twice, quickly, on a broken connection (a pooled connection that
    died with a Redis restart) and otherwise fails fast: callers on authentication paths fail
    closed instead of hanging (redis-py's default is 10 retries with backoff)."""
    return aioredis.Redis.from_url(
        url,
        decode_responses=False,
        socket_timeout=1.0,
        socket_connect_timeout=1.0,
        health_check_interval=30,
        retry=Retry(ExponentialBackoff(cap=0.05, base=0.005), 2),
        retry_on_error=[RedisConnectionError, RedisTimeoutError],
    )


async def ping(client: aioredis.Redis) -> None:
    await client.ping()
