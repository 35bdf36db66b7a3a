"""Cache invalidation across replicas and services over Redis pub/sub.

Services cache tenants, credential checks and clients in process for speed; when the owner of
such data changes it (an API key revoked, a tenant suspended), it publishes the key on a topic
and every subscriber drops its copy at once instead of waiting for the TTL. Messages are hints:
a lost one only means the TTL applies, as before."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

import redis.asyncio as aioredis
import structlog

from services.common.redis import redis_key

CHANNEL = redis_key("invalidate")
_log = structlog.get_logger("invalidation")

Handler = Callable[[str], None]


class InvalidationBus:
    def __init__(self, client: aioredis.Redis) -> None:
        self._client = client
        self._handlers: dict[str, list[Handler]] = {}
        self._task: asyncio.Task[None] | None = None

    def subscribe(self, topic: str, handler: Handler) -> None:
        self._handlers.setdefault(topic, []).append(handler)

    async def publish(self, topic: str, key: str = "") -> None:
        try:
            await self._client.publish(CHANNEL, f"{topic}\n{key}")
        except Exception as error:  # noqa: BLE001 - a lost hint only means the TTL applies
            _log.warning("invalidation not published", topic=topic, error=type(error).__name__)

    def start(self) -> None:
        if self._task is None and self._handlers:
            self._task = asyncio.create_task(self._listen())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _listen(self) -> None:
        while True:
            try:
                async with self._client.pubsub() as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self._dispatch(message["data"])
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - Redis away: retry; caches fall back on TTLs
                _log.warning("invalidation listener reconnecting", error=type(error).__name__)
                await asyncio.sleep(1.0)

    def _dispatch(self, data: bytes | str) -> None:
        text = data.decode() if isinstance(data, bytes) else data
        topic, _, key = text.partition("\n")
        for handler in self._handlers.get(topic, []):
            handler(key)
