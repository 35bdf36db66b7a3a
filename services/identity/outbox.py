"""Mail and SMS sent in the background, so that no answer waits for (or reveals, by its
timing) whether a message was sent. Rendering happens at once: a template error is the
caller's bug and surfaces immediately."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import structlog

from services.identity.messaging.mail import Mailer, recipient_hash
from services.identity.messaging.sms import SmsSender
from services.identity.messaging.templates import render

_log = structlog.get_logger("outbox")
ATTEMPTS = 3
DRAIN_SECONDS = 5.0


class BackgroundOutbox:
    def __init__(self, mailer: Mailer, sms: SmsSender) -> None:
        self._mailer = mailer
        self._sms = sms
        self._tasks: set[asyncio.Task[None]] = set()

    def mail(self, template: str, *, tenant_id: str, tenant_name: str, to: str, links: dict[str, str],
             values: dict[str, str]) -> None:
        message = render(template, tenant_name=tenant_name, to=to, links=links, values=values)
        self._spawn(lambda: self._mailer.send(message), f"mail:{template}", to)

    def sms(self, to: str, text: str) -> None:
        self._spawn(lambda: self._sms.send(to, text), "sms", to)

    def _spawn(self, send: Callable[[], Awaitable[None]], kind: str, to: str) -> None:
        task = asyncio.get_running_loop().create_task(self._deliver(send, kind, to))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, send: Callable[[], Awaitable[None]], kind: str, to: str) -> None:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                await send()
                _log.info("message sent", kind=kind, recipient=recipient_hash(to))
                return
            except Exception as error:  # noqa: BLE001 - delivery problems are retried, then logged
                _log.warning("message delivery failed", kind=kind, recipient=recipient_hash(to), attempt=attempt,
                             error=type(error).__name__)
                await asyncio.sleep(0.5 * attempt)

    async def drain(self) -> None:
        """On shutdown: let queued messages go out (bounded by the stop grace period)."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=DRAIN_SECONDS)
