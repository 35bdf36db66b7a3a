"""Failed-attempt counters in Redis: atomic, so parallel attempts are all counted."""

from __future__ import annotations

import redis.asyncio as aioredis

from services.common.redis import redis_key

# INCR and set the window on the first failure, in one round trip and atomically.
_RECORD = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
"""


class RedisFailureCounter:
    def __init__(self, client: aioredis.Redis, namespace: str) -> None:
        self._client = client
        self._namespace = namespace
        self._record = client.register_script(_RECORD)

    def _key(self, key: str) -> str:
        return redis_key("failures", self._namespace, key)

    async def failures(self, key: str) -> int:
        value = await self._client.get(self._key(key))
        return int(value or 0)

    async def record_failure(self, key: str, window_seconds: int) -> int:
        return int(await self._record(keys=[self._key(key)], args=[window_seconds]))

    async def reset(self, key: str) -> None:
        await self._client.delete(self._key(key))
