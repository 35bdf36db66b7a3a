"""redis-py asyncio client and key building that cannot collide across tenants."""

from __future__ import annotations

from collections.abc import Callable, Collection
from urllib.parse import quote

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

KEY_PREFIX = "binoauth"
PURGE_BATCH = 500  # keys per SCAN step and per UNLINK when purging a tenant


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


def is_tenant_key(key: str, tenant_id: str, kinds: Collection[str]) -> bool:
    """Whether `key` is tenant_key(kind, tenant_id, ...) for one of `kinds`: exact, because
    parts are percent-encoded (tenant "acme" owns none of tenant "acme2"'s keys)."""
    parts = key.split(":")
    return len(parts) >= 3 and parts[0] == KEY_PREFIX and parts[1] in kinds and parts[2] == quote(tenant_id, safe="")


def tenant_scan_pattern(tenant_id: str) -> str:
    """A SCAN pattern that every key naming the tenant in some part matches (and others
    too): narrows a scan on the server; the caller checks each key exactly."""
    return f"{KEY_PREFIX}:*:{_glob_escape(quote(tenant_id, safe=''))}*"


async def purge_keys(client: aioredis.Redis, pattern: str, owned: Callable[[str], bool], *,
                     batch: int = PURGE_BATCH) -> int:
    """Deletes the keys that match `pattern` and that `owned` accepts; returns how many.
    SCAN, never KEYS (which blocks Redis for the whole keyspace), `batch` keys a step,
    UNLINK (freed off the main thread)."""
    deleted = 0
    cursor: int = 0
    while True:
        cursor, found = await client.scan(cursor=cursor, match=pattern, count=batch)
        doomed = [key for key in found if owned(key.decode() if isinstance(key, bytes) else key)]
        if doomed:
            deleted += int(await client.unlink(*doomed))
        if cursor == 0:
            return deleted


async def purge_tenant(client: aioredis.Redis, tenant_id: str, kinds: Collection[str], *,
                       batch: int = PURGE_BATCH) -> int:
    """Deletes every tenant_key(kind, tenant_id, ...) of `kinds`: what a deleted tenant
    leaves in Redis must not reach a new tenant created with the same id."""
    if not tenant_id:
        raise ValueError("tenant_id is required")
    return await purge_keys(client, tenant_scan_pattern(tenant_id),
                            lambda key: is_tenant_key(key, tenant_id, kinds), batch=batch)


def _glob_escape(text: str) -> str:
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)


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
