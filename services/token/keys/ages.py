"""Signing keys overdue for rotation, as metrics: how many tenants have an active key older
than BINOAUTH_SIGNING_KEY_MAX_AGE_DAYS, and the oldest active key's age. Read from the
platform-level record (one query, whatever the number of tenants) once a minute; the alert
BinoAuthSigningKeysOverdue (observability/rules.py) fires on the first."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

import structlog
from prometheus_client import CollectorRegistry, Gauge

from services.common.timestamps import utcnow
from services.token.keys.store import KeyAges

_log = structlog.get_logger("keys")
REFRESH_SECONDS = 60.0


class KeyAgeSource(Protocol):
    async def key_ages(self, now: datetime, max_age: timedelta) -> KeyAges: ...


class KeyAgeMetrics:
    def __init__(self, source: KeyAgeSource, registry: CollectorRegistry, max_age_days: int,
                 clock: Callable[[], datetime] = utcnow, every_seconds: float = REFRESH_SECONDS) -> None:
        self._source = source
        self._max_age = timedelta(days=max_age_days)
        self._clock = clock
        self._every = every_seconds
        self._task: asyncio.Task[None] | None = None
        self._overdue = Gauge("binoauth_signing_keys_overdue_tenants",
                              "Tenants whose active signing key is older than the rotation policy",
                              registry=registry)
        self._oldest = Gauge("binoauth_signing_key_oldest_age_seconds",
                             "Age of the oldest active signing key of any tenant", registry=registry)
        Gauge("binoauth_signing_key_max_age_seconds", "The rotation policy (BINOAUTH_SIGNING_KEY_MAX_AGE_DAYS)",
              registry=registry).set(self._max_age.total_seconds())

    async def refresh(self) -> None:
        try:
            ages = await self._source.key_ages(self._clock(), self._max_age)
        except Exception as error:  # noqa: BLE001 - keep the last figures; the datastore alerts say why
            _log.warning("signing key ages not read", error=type(error).__name__)
            return
        self._overdue.set(ages.overdue_tenants)
        self._oldest.set(ages.oldest_age_seconds)

    async def start(self) -> None:
        if self._task is not None:
            return

        async def loop() -> None:
            while True:
                await self.refresh()
                await asyncio.sleep(self._every)

        self._task = asyncio.get_running_loop().create_task(loop())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
