"""Mail, SMS and deferred requests through a durable outbox.

A message is rendered and written to the outbox before the request that caused it is
answered, so a client told "we sent you a code" gets it even if this replica dies a moment
later; any replica delivers it. Delivery runs in the background, so no answer waits for (or
reveals, by its timing) the mail server. Rendering happens at once: a template error is the
caller's bug and surfaces immediately.

A deferred request ("mail a reset link to this address if it is registered") is queued the
same way and handled in the background by the handler registered for it: the answer costs
one write whether or not the address is registered, so its timing reveals nothing."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any, Protocol

import structlog
from cryptography.exceptions import InvalidTag

from services.common.crypto import SecretBox
from services.common.timestamps import Clock, utcnow
from services.identity.messaging.mail import Mailer, OutgoingMail, recipient_hash
from services.identity.messaging.sms import SmsSender, check_sms
from services.identity.messaging.templates import render
from services.identity.ports import OutboxStore, QueuedMessage

_log = structlog.get_logger("outbox")

# Codes in messages live at most an hour (most for 10 minutes): a later delivery helps nobody.
MAX_AGE = timedelta(hours=1)
MAX_ATTEMPTS = 8
# How long a claimed message stays hidden from other replicas while one delivers it.
LEASE = timedelta(seconds=60)
BATCH = 20
POLL_SECONDS = 2.0
# How often a replica samples the backlog for the pending/oldest-age gauges.
BACKLOG_SECONDS = 15.0
STOP_SECONDS = 5.0


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 2 s, 4 s, 8 s ... capped at five minutes."""
    return timedelta(seconds=min(300, 2 ** attempts))


class DeliveryMetrics(Protocol):
    def message_delivery(self, kind: str, result: str) -> None: ...
    def outbox_backlog(self, pending: int, oldest_age_seconds: float) -> None: ...


# Handles one deferred request: (tenant id, the values it was queued with). Raising means
# "try again later"; a request that can never succeed should log and return.
RequestHandler = Callable[[str, dict[str, str]], Awaitable[None]]


class DurableOutbox:
    def __init__(self, store: OutboxStore, mailer: Mailer, sms: SmsSender, box: SecretBox,
                 metrics: DeliveryMetrics, *, clock: Clock = utcnow, poll_seconds: float = POLL_SECONDS) -> None:
        self._store = store
        self._mailer = mailer
        self._sms = sms
        self._box = box
        self._metrics = metrics
        self._clock = clock
        self._poll_seconds = poll_seconds
        self._handlers: dict[str, RequestHandler] = {}
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    # --- queueing (the Outbox port) ---------------------------------------------------------
    async def mail(self, template: str, *, tenant_id: str, tenant_name: str, to: str, links: dict[str, str],
                   values: dict[str, str], language: str = "") -> None:
        message = render(template, tenant_name=tenant_name, to=to, links=links, values=values,
                         language=language or "en")
        await self._enqueue(tenant_id, "mail", template, asdict(message))

    async def sms(self, to: str, text: str, *, tenant_id: str) -> None:
        check_sms(to, text)
        await self._enqueue(tenant_id, "sms", "sms", {"to": to, "text": text})

    async def defer(self, request: str, *, tenant_id: str, values: dict[str, str]) -> None:
        if request not in self._handlers:
            raise ValueError(f"no handler for deferred request {request!r}")
        await self._enqueue(tenant_id, "request", request, values)

    def register(self, request: str, handler: RequestHandler) -> None:
        self._handlers[request] = handler

    async def _enqueue(self, tenant_id: str, kind: str, label: str, payload: dict[str, str]) -> None:
        message_id = str(uuid.uuid4())
        now = self._clock()
        sealed = self._box.seal(json.dumps(payload).encode(), _context(message_id, tenant_id, kind))
        await self._store.add(QueuedMessage(message_id, tenant_id, kind, label, sealed, 0, now + MAX_AGE), now)
        self._wake.set()

    # --- delivery ---------------------------------------------------------------------------
    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Finishes the batch in hand (bounded); whatever is left waits in the outbox for the
        next replica or restart."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            with suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(self._task, STOP_SECONDS)
            self._task = None

    async def sample_backlog(self) -> None:
        pending, oldest = await self._store.backlog()
        age = (self._clock() - oldest).total_seconds() if oldest is not None else 0.0
        self._metrics.outbox_backlog(pending, max(age, 0.0))

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        next_sample = loop.time()
        while not self._stopping:
            self._wake.clear()
            if loop.time() >= next_sample:
                next_sample = loop.time() + BACKLOG_SECONDS
                with suppress(Exception):  # a gauge is not worth a failed delivery loop
                    await self.sample_backlog()
            try:
                claimed = await self.deliver_due()
            except Exception as error:  # noqa: BLE001 - a lost database must not end the loop
                _log.warning("outbox poll failed", error=type(error).__name__)
                claimed = 0
            if claimed < BATCH:
                with suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._poll_seconds)

    async def deliver_due(self) -> int:
        """Claims the due messages and tries each once; returns how many it claimed."""
        now = self._clock()
        batch = await self._store.claim(now, LEASE, BATCH)
        results = await asyncio.gather(*(self._deliver(queued, now) for queued in batch), return_exceptions=True)
        for result in results:
            if isinstance(result, Exception):
                # The store failed mid-way: the lease brings the message back later.
                _log.warning("outbox update failed", error=type(result).__name__)
        return len(batch)

    async def _deliver(self, queued: QueuedMessage, now: datetime) -> None:
        log = _log.bind(kind=queued.kind, label=queued.label, tenant_id=queued.tenant_id, attempt=queued.attempts)
        if queued.expires_at <= now:
            await self._drop(queued, "expired", log)
            return
        try:
            payload = json.loads(self._box.open(queued.payload, _context(queued.message_id, queued.tenant_id,
                                                                         queued.kind)))
            send, to = self._sender(queued, payload)
        except (InvalidTag, ValueError, KeyError, TypeError):
            # Another key-encryption key or a damaged row: no retry can read it.
            await self._drop(queued, "unreadable", log)
            return
        log = log.bind(recipient=recipient_hash(to))
        try:
            await send()
        except Exception as error:  # noqa: BLE001 - delivery problems are retried, then dropped
            if getattr(error, "permanent", False) or queued.attempts >= MAX_ATTEMPTS:
                log.warning("message delivery failed", error=type(error).__name__)
                await self._drop(queued, "failed", log)
                return
            log.warning("message delivery failed, will retry", error=type(error).__name__)
            await self._store.reschedule(queued.message_id, now + retry_delay(queued.attempts))
            self._metrics.message_delivery(queued.kind, "retried")
            return
        await self._store.delete(queued.message_id)
        self._metrics.message_delivery(queued.kind, "sent")
        log.info("message sent")

    def _sender(self, queued: QueuedMessage, payload: dict[str, Any]) -> tuple[Callable[[], Awaitable[None]], str]:
        kind = queued.kind
        if kind == "request":
            handler = self._handlers[queued.label]
            values = {str(k): str(v) for k, v in payload.items()}
            return (lambda: handler(queued.tenant_id, values)), values.get("email", "")
        if kind == "mail":
            message = OutgoingMail(**payload)
            return (lambda: self._mailer.send(message, message_id=queued.message_id)), message.to
        if kind == "sms":
            to, text = str(payload["to"]), str(payload["text"])
            return (lambda: self._sms.send(to, text, message_id=queued.message_id)), to
        raise ValueError(f"unknown message kind {kind!r}")

    async def _drop(self, queued: QueuedMessage, result: str, log: Any) -> None:
        await self._store.delete(queued.message_id)
        self._metrics.message_delivery(queued.kind, result)
        log.warning("message dropped", result=result)


def _context(message_id: str, tenant_id: str, kind: str) -> str:
    # Authenticated with the payload: a sealed body copied to another row does not open there.
    return f"outbox:{message_id}:{tenant_id}:{kind}"
