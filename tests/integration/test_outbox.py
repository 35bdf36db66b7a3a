"""The identity outbox on real PostgreSQL and a real SMTP sink: what a client was told was
sent survives the replica dying, and replicas never deliver one message twice."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest

from services.common.crypto import SecretBox
from services.common.db import create_pool
from services.common.migrations import MigrationRunner
from services.common.provisioning import ProvisioningHandler
from services.common.settings import Secret
from services.common.timestamps import utcnow
from services.identity.bootstrap import MIGRATIONS
from services.identity.messaging.mail import MailSettings, SmtpMailer
from services.identity.messaging.sms import DevSmsSender
from services.identity.outbox import DurableOutbox
from services.identity.outbox_store import PgOutboxStore
from tools.devstack import PostgresServer, free_port
from tools.mailsink import MailSink, text_of

pytestmark = pytest.mark.integration

KEK = Secret("integration-tests-key-encryption-key-0123456789")


class Tally:
    def __init__(self) -> None:
        self.results: list[tuple[str, str]] = []

    def message_delivery(self, kind: str, result: str) -> None:
        self.results.append((kind, result))


@pytest.fixture
def database(postgres: PostgresServer) -> str:
    # A database of its own: the in-process services' outbox never mixes in.
    return postgres.create_database(f"outbox_{secrets.token_hex(3)}")


@pytest.fixture
async def pool(database: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(database)
    await MigrationRunner(pool, "identity", MIGRATIONS).migrate_shared()
    yield pool
    await pool.close()


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[MailSink]:
    with MailSink(tmp_path / "mail") as running:
        yield running


def smtp(port: int) -> SmtpMailer:
    return SmtpMailer(MailSettings.from_env({"BINOAUTH_SMTP_HOST": "127.0.0.1", "BINOAUTH_SMTP_PORT": str(port),
                                             "BINOAUTH_SMTP_FROM": "auth@example.com", "BINOAUTH_SMTP_TIMEOUT": "2"}))


def outbox(pool: asyncpg.Pool, mailer: SmtpMailer, tmp_path: Path, tally: Tally | None = None) -> DurableOutbox:
    return DurableOutbox(PgOutboxStore(pool), mailer, DevSmsSender(tmp_path / "sms.jsonl"),
                         SecretBox(KEK, "outbox"), tally or Tally())


async def queue(box: DurableOutbox, to: str, tenant_id: str = "acme") -> None:
    await box.mail("verify_email", tenant_id=tenant_id, tenant_name="Acme", to=to,
                   links={"verify": "https://auth.example.com/tenant/acme/verify-email?code=abc"},
                   values={"code": "123456", "expires_minutes": "10"})


async def rows(pool: asyncpg.Pool) -> list[asyncpg.Record]:
    return list(await pool.fetch("SELECT * FROM identity.outbox ORDER BY created_at"))


async def test_a_queued_message_outlives_its_replica_and_is_delivered_by_the_next(
        pool: asyncpg.Pool, sink: MailSink, tmp_path: Path) -> None:
    # The first replica accepts the request but never gets to deliver: the mail server is
    # down, and then the replica is gone (no stop, no drain).
    first = outbox(pool, smtp(free_port()), tmp_path)
    await queue(first, "ann@example.com")
    assert await first.deliver_due() == 1  # tried, failed, rescheduled
    [row] = await rows(pool)
    assert row["attempts"] == 1 and row["next_attempt_at"] > utcnow()
    assert b"123456" not in row["payload"] and b"ann@example.com" not in row["payload"]
    del first

    # A new replica comes up once the message is due again and the mail server answers.
    tally = Tally()
    second = outbox(pool, smtp(sink.port), tmp_path, tally)
    await pool.execute("UPDATE identity.outbox SET next_attempt_at = now()")
    second.start()
    try:
        message = await sink.wait_for("ann@example.com", timeout=10)
    finally:
        await second.stop()
    assert "123456" in text_of(message)
    # Derived from the outbox message: a repeated delivery is one message to mail clients.
    assert message["Message-ID"] == f"<{row['message_id']}@example.com>"
    assert await rows(pool) == []
    assert tally.results == [("mail", "sent")]


async def test_replicas_polling_together_deliver_every_message_exactly_once(
        database: str, pool: asyncpg.Pool, sink: MailSink, tmp_path: Path) -> None:
    producer = outbox(pool, smtp(sink.port), tmp_path)
    addresses = [f"user{n}@example.com" for n in range(30)]
    for address in addresses:
        await queue(producer, address)
    # Three replicas, each with its own connection pool, claim at the same moment.
    pools = [await create_pool(database) for _ in range(3)]
    try:
        replicas = [outbox(p, smtp(sink.port), tmp_path) for p in pools]
        claimed = 0
        while await rows(pool):
            counts = await asyncio.gather(*(r.deliver_due() for r in replicas))
            claimed += sum(counts)
        assert claimed == len(addresses)
    finally:
        for extra in pools:
            await extra.close()
    received = [m["To"] for m in sink.messages()]
    assert sorted(received) == sorted(addresses)


async def test_deprovisioning_a_tenant_discards_its_queued_messages(pool: asyncpg.Pool, tmp_path: Path) -> None:
    store = PgOutboxStore(pool)
    box = outbox(pool, smtp(free_port()), tmp_path)
    await queue(box, "a@example.com", "gone")
    await queue(box, "b@example.com", "stays")
    handler = ProvisioningHandler(MigrationRunner(pool, "identity", MIGRATIONS), on_deprovisioned=store.purge_tenant)
    await handler.deprovision("gone")
    assert [r["tenant_id"] for r in await rows(pool)] == ["stays"]
    assert await store.purge_tenant("gone") == 0  # idempotent


async def test_the_backlog_counts_every_waiting_message(pool: asyncpg.Pool, tmp_path: Path) -> None:
    store = PgOutboxStore(pool)
    assert await store.backlog() == (0, None)
    box = outbox(pool, smtp(free_port()), tmp_path)
    await queue(box, "a@example.com")
    await queue(box, "b@example.com")
    pending, oldest = await store.backlog()
    assert pending == 2 and oldest is not None and (utcnow() - oldest).total_seconds() < 60


async def test_a_claim_hides_the_message_for_the_lease_only(pool: asyncpg.Pool, tmp_path: Path) -> None:
    store = PgOutboxStore(pool)
    await queue(outbox(pool, smtp(free_port()), tmp_path), "c@example.com")
    now = utcnow()
    [claimed] = await store.claim(now, timedelta(seconds=60), 10)
    assert claimed.attempts == 1
    assert await store.claim(now + timedelta(seconds=59), timedelta(seconds=60), 10) == []
    [again] = await store.claim(now + timedelta(seconds=61), timedelta(seconds=60), 10)
    assert again.message_id == claimed.message_id and again.attempts == 2
