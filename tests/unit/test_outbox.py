"""services.identity.outbox: durable queueing, sealing, retries and drops (in-memory store)."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import pytest

from services.common.crypto import SecretBox
from services.common.settings import Secret
from services.identity.messaging.mail import MailDeliveryError, OutgoingMail
from services.identity.outbox import LEASE, MAX_AGE, MAX_ATTEMPTS, DurableOutbox, retry_delay
from services.identity.ports import QueuedMessage

pytestmark = pytest.mark.unit

KEK = Secret("unit-test-key-encryption-key-0123456789abcdef")
LINKS = {"verify": "https://auth.example.com/tenant/acme/verify-email?code=SECRET-LINK-CODE"}
VALUES = {"code": "483920", "expires_minutes": "10"}


@dataclass
class MemoryStore:
    """The OutboxStore contract: claiming hides a message for the lease and counts an attempt."""

    rows: dict[str, tuple[QueuedMessage, datetime]] = field(default_factory=dict)

    async def add(self, message: QueuedMessage, now: datetime) -> None:
        self.rows[message.message_id] = (message, now)

    async def claim(self, now: datetime, lease: timedelta, limit: int) -> list[QueuedMessage]:
        due = sorted((m for m, at in self.rows.values() if at <= now), key=lambda m: self.rows[m.message_id][1])
        claimed = [replace(m, attempts=m.attempts + 1) for m in due[:limit]]
        for message in claimed:
            self.rows[message.message_id] = (message, now + lease)
        return claimed

    async def delete(self, message_id: str) -> None:
        self.rows.pop(message_id, None)

    async def reschedule(self, message_id: str, at: datetime) -> None:
        message, _ = self.rows[message_id]
        self.rows[message_id] = (message, at)

    async def purge_tenant(self, tenant_id: str) -> int:
        doomed = [k for k, (m, _) in self.rows.items() if m.tenant_id == tenant_id]
        for key in doomed:
            del self.rows[key]
        return len(doomed)

    async def backlog(self) -> tuple[int, datetime | None]:
        created = [m.expires_at - MAX_AGE for m, _ in self.rows.values()]
        return len(created), min(created, default=None)


@dataclass
class FakeMailer:
    sent: list[OutgoingMail] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)  # raised, in order, before any success

    async def send(self, message: OutgoingMail, *, message_id: str = "") -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(message)


@dataclass
class FakeSms:
    sent: list[tuple[str, str]] = field(default_factory=list)
    message_ids: list[str] = field(default_factory=list)

    async def send(self, to_e164: str, text: str, *, message_id: str = "") -> None:
        self.sent.append((to_e164, text))
        self.message_ids.append(message_id)


@dataclass
class Results:
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    backlog: tuple[int, float] | None = None

    def message_delivery(self, kind: str, result: str) -> None:
        self.counts[(kind, result)] += 1

    def outbox_backlog(self, pending: int, oldest_age_seconds: float) -> None:
        self.backlog = (pending, oldest_age_seconds)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Parts:
    store: MemoryStore
    mailer: FakeMailer
    sms: FakeSms
    results: Results
    clock: Clock
    outbox: DurableOutbox


@pytest.fixture
def parts() -> Parts:
    store, mailer, sms, results, clock = MemoryStore(), FakeMailer(), FakeSms(), Results(), Clock()
    outbox = DurableOutbox(store, mailer, sms, SecretBox(KEK, "outbox"), results, clock=clock, poll_seconds=0.05)
    return Parts(store, mailer, sms, results, clock, outbox)


async def queue_verification(outbox: DurableOutbox, tenant_id: str = "acme") -> None:
    await outbox.mail("verify_email", tenant_id=tenant_id, tenant_name="Acme", to="ann@example.com",
                      links=LINKS, values=VALUES)


async def test_a_queued_message_is_stored_sealed_before_any_delivery(parts: Parts) -> None:
    await queue_verification(parts.outbox)
    assert parts.mailer.sent == []  # queueing never waits for the mail server
    [(stored, _)] = parts.store.rows.values()
    assert (stored.tenant_id, stored.kind, stored.label) == ("acme", "mail", "verify_email")
    assert stored.expires_at == parts.clock.now + MAX_AGE
    for secret in (b"483920", b"SECRET-LINK-CODE", b"ann@example.com"):
        assert secret not in stored.payload


async def test_delivery_sends_once_and_removes_the_message(parts: Parts) -> None:
    await queue_verification(parts.outbox)
    assert await parts.outbox.deliver_due() == 1
    [mail] = parts.mailer.sent
    assert mail.to == "ann@example.com" and "483920" in mail.text and LINKS["verify"] in mail.text
    assert parts.store.rows == {}
    assert await parts.outbox.deliver_due() == 0
    assert len(parts.mailer.sent) == 1
    assert parts.results.counts == Counter({("mail", "sent"): 1})


async def test_sms_is_queued_and_delivered(parts: Parts) -> None:
    await parts.outbox.sms("+14155550123", "Acme: your verification code is 123456", tenant_id="acme")
    [(stored, _)] = parts.store.rows.values()
    assert b"123456" not in stored.payload and b"4155550123" not in stored.payload
    await parts.outbox.deliver_due()
    assert parts.sms.sent == [("+14155550123", "Acme: your verification code is 123456")]
    assert parts.sms.message_ids == [stored.message_id]  # the webhook's Idempotency-Key


async def test_bad_input_fails_at_once_and_queues_nothing(parts: Parts) -> None:
    with pytest.raises(ValueError, match="template"):
        await parts.outbox.mail("verify_email", tenant_id="acme", tenant_name="Acme", to="ann@example.com",
                                links={}, values=VALUES)
    with pytest.raises(ValueError, match=r"E\.164"):
        await parts.outbox.sms("4155550123", "hello", tenant_id="acme")
    assert parts.store.rows == {}


async def test_a_transient_failure_is_retried_later_with_backoff(parts: Parts) -> None:
    parts.mailer.failures = [MailDeliveryError("connection refused"), MailDeliveryError("connection refused")]
    await queue_verification(parts.outbox)
    await parts.outbox.deliver_due()
    [(_, next_at)] = parts.store.rows.values()
    assert next_at == parts.clock.now + retry_delay(1) == parts.clock.now + timedelta(seconds=2)
    assert await parts.outbox.deliver_due() == 0  # not due yet
    parts.clock.now = next_at
    await parts.outbox.deliver_due()
    [(_, next_at)] = parts.store.rows.values()
    assert next_at == parts.clock.now + timedelta(seconds=4)
    parts.clock.now = next_at
    await parts.outbox.deliver_due()
    assert len(parts.mailer.sent) == 1 and parts.store.rows == {}
    assert parts.results.counts == Counter({("mail", "retried"): 2, ("mail", "sent"): 1})


async def test_retries_end_after_the_last_attempt(parts: Parts) -> None:
    parts.mailer.failures = [MailDeliveryError("down") for _ in range(MAX_ATTEMPTS)]
    await queue_verification(parts.outbox)
    for _ in range(MAX_ATTEMPTS):
        parts.clock.now += timedelta(minutes=5)
        assert await parts.outbox.deliver_due() == 1
    assert parts.store.rows == {} and parts.mailer.sent == []
    assert parts.results.counts[("mail", "failed")] == 1
    assert parts.results.counts[("mail", "retried")] == MAX_ATTEMPTS - 1


async def test_a_permanent_refusal_is_not_retried(parts: Parts) -> None:
    parts.mailer.failures = [MailDeliveryError("mailbox unavailable", permanent=True)]
    await queue_verification(parts.outbox)
    await parts.outbox.deliver_due()
    assert parts.store.rows == {}
    assert parts.results.counts == Counter({("mail", "failed"): 1})


async def test_an_expired_message_is_dropped_unsent(parts: Parts) -> None:
    await queue_verification(parts.outbox)
    parts.clock.now += MAX_AGE
    await parts.outbox.deliver_due()
    assert parts.mailer.sent == [] and parts.store.rows == {}
    assert parts.results.counts == Counter({("mail", "expired"): 1})


async def test_a_message_claimed_by_a_replica_that_died_comes_back_after_the_lease(parts: Parts) -> None:
    await queue_verification(parts.outbox)
    await parts.store.claim(parts.clock.now, LEASE, 10)  # claimed, never finished
    assert await parts.outbox.deliver_due() == 0
    parts.clock.now += LEASE
    assert await parts.outbox.deliver_due() == 1
    assert len(parts.mailer.sent) == 1


async def test_a_payload_moved_to_another_row_does_not_open(parts: Parts) -> None:
    await queue_verification(parts.outbox, "acme")
    await queue_verification(parts.outbox, "globex")
    acme, globex = (m for m, _ in parts.store.rows.values())
    # Globex's row with acme's sealed body: the context (id, tenant, kind) is authenticated.
    await parts.store.add(replace(globex, payload=acme.payload), parts.clock.now)
    await parts.outbox.deliver_due()
    assert len(parts.mailer.sent) == 1  # acme's own row only
    assert parts.results.counts == Counter({("mail", "sent"): 1, ("mail", "unreadable"): 1})


async def test_a_payload_sealed_under_another_key_is_dropped(parts: Parts) -> None:
    await queue_verification(parts.outbox)
    rotated = DurableOutbox(parts.store, parts.mailer, parts.sms,
                            SecretBox(Secret("another-key-encryption-key-0123456789abcdef"), "outbox"),
                            parts.results, clock=parts.clock)
    await rotated.deliver_due()
    assert parts.mailer.sent == [] and parts.store.rows == {}
    assert parts.results.counts == Counter({("mail", "unreadable"): 1})


async def test_the_running_loop_delivers_new_messages_without_waiting_for_the_poll(parts: Parts) -> None:
    slow = DurableOutbox(parts.store, parts.mailer, parts.sms, SecretBox(KEK, "outbox"), parts.results,
                         clock=parts.clock, poll_seconds=60)
    slow.start()
    try:
        await asyncio.sleep(0.05)  # the loop is now waiting for work
        await queue_verification(slow)
        for _ in range(100):
            if parts.mailer.sent:
                break
            await asyncio.sleep(0.01)
        assert len(parts.mailer.sent) == 1
    finally:
        await asyncio.wait_for(slow.stop(), 2)


async def test_the_loop_survives_a_failing_store(parts: Parts) -> None:
    class FlakyStore(MemoryStore):
        fail = 2

        async def claim(self, now: datetime, lease: timedelta, limit: int) -> list[QueuedMessage]:
            if self.fail:
                self.fail -= 1
                raise ConnectionError("database went away")
            return await super().claim(now, lease, limit)

    store = FlakyStore()
    outbox = DurableOutbox(store, parts.mailer, parts.sms, SecretBox(KEK, "outbox"), parts.results,
                           clock=parts.clock, poll_seconds=0.01)
    await queue_verification(outbox)
    outbox.start()
    try:
        for _ in range(200):
            if parts.mailer.sent:
                break
            await asyncio.sleep(0.01)
        assert len(parts.mailer.sent) == 1 and store.fail == 0
    finally:
        await outbox.stop()


# --- deferred requests ----------------------------------------------------------------------

async def test_a_deferred_request_is_sealed_and_handled_in_the_background(parts: Parts) -> None:
    handled: list[tuple[str, dict[str, str]]] = []

    async def handler(tenant_id: str, values: dict[str, str]) -> None:
        handled.append((tenant_id, values))

    parts.outbox.register("reset_request", handler)
    await parts.outbox.defer("reset_request", tenant_id="acme", values={"email": "ann@example.com"})
    assert handled == []
    [(stored, _)] = parts.store.rows.values()
    assert (stored.kind, stored.label) == ("request", "reset_request")
    assert b"ann@example.com" not in stored.payload
    await parts.outbox.deliver_due()
    assert handled == [("acme", {"email": "ann@example.com"})]
    assert parts.store.rows == {}
    assert parts.results.counts == Counter({("request", "sent"): 1})


async def test_a_failing_handler_is_retried_later(parts: Parts) -> None:
    calls: list[int] = []

    async def flaky(tenant_id: str, values: dict[str, str]) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("database went away")

    parts.outbox.register("reset_request", flaky)
    await parts.outbox.defer("reset_request", tenant_id="acme", values={"email": "ann@example.com"})
    await parts.outbox.deliver_due()
    assert len(parts.store.rows) == 1
    parts.clock.now += retry_delay(1)
    await parts.outbox.deliver_due()
    assert len(calls) == 2 and parts.store.rows == {}


async def test_deferring_a_request_nobody_handles_fails_at_once(parts: Parts) -> None:
    with pytest.raises(ValueError, match="no handler"):
        await parts.outbox.defer("unknown", tenant_id="acme", values={})
    assert parts.store.rows == {}


async def test_the_backlog_gauges_show_what_waits_and_for_how_long(parts: Parts) -> None:
    await parts.outbox.sample_backlog()
    assert parts.results.backlog == (0, 0.0)
    parts.mailer.failures = [MailDeliveryError("down")]
    await queue_verification(parts.outbox)
    parts.clock.now += timedelta(seconds=90)
    await queue_verification(parts.outbox)
    await parts.outbox.sample_backlog()
    assert parts.results.backlog == (2, 90.0)
