"""A mail the platform accepted survives the identity process being killed: the mail server
is down when the user asks for a reset, the replica that took the request is SIGKILLed, and
the replica that comes back delivers the mail once the server is up again."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import asyncpg
import httpx
import pytest

from tests.e2e.helpers import unique_id
from tools.mailsink import MailSink, links_in
from tools.stack import Stack, StackConfig

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def one_replica(server_dir: Callable[[str], Path]) -> Iterator[Stack]:
    config = StackConfig(
        data_dir=server_dir("outbox-stack"), free_ports=True, durable=False, drain_seconds=0.5, replicas=1,
        bootstrap_api_key="bino_outbox_" + secrets.token_urlsafe(32),
        extra_env={"BINOAUTH_RATE_LIMIT_SCALE": "1000"},
    )
    with Stack(config) as running:
        yield running


def _outbox(stack: Stack) -> list[tuple[str, int, bool]]:
    """(kind, attempts, claimed right now) of every waiting message."""
    async def read() -> list[tuple[str, int, bool]]:
        conn = await asyncpg.connect(stack.database_url)
        try:
            rows = await conn.fetch("SELECT kind, attempts, next_attempt_at > now() + interval '30 seconds' AS leased "
                                    "FROM identity.outbox")
            return [(r["kind"], r["attempts"], r["leased"]) for r in rows]
        finally:
            await conn.close()

    return asyncio.run(read())


def _wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_an_accepted_reset_mail_survives_a_killed_replica_and_a_mail_outage(one_replica: Stack) -> None:
    stack = one_replica
    assert stack.mail is not None
    platform = {"Authorization": f"Bearer {stack.bootstrap_api_key}"}
    tenant_id, email = unique_id("outbox"), f"{unique_id('ann')}@example.com"
    with httpx.Client(base_url=stack.gateway_url, timeout=30) as gateway:
        assert gateway.post("/api/v1/tenants", headers=platform, json={"tenant_id": tenant_id}).status_code == 200
        created = gateway.post(f"/tenant/{tenant_id}/api/v1/users", headers=platform, json={
            "user": {"email": email, "name": "Ann"}, "password": PASSWORD, "email_verified": True})
        assert created.status_code == 200, created.text

        # The mail server goes away; the platform still accepts the request.
        mail_port, mail_folder = stack.mail.port, stack.data_dir / "mail"
        stack.mail.stop()
        accepted = gateway.post(f"/tenant/{tenant_id}/api/v1/auth/password-reset", json={"email": email})
        assert accepted.status_code == 200 and accepted.json() == {"status": "sent"}
        # The reset request was handled and its mail tried once (and failed) ...
        _wait_until(lambda: ("mail", 1, False) in _outbox(stack), 20, "a failed first delivery")
        # ... then the replica dies without any chance to drain.
        stack.kill_replica("identity", 0)

        stack.mail = MailSink(mail_folder, port=mail_port)
        stack.mail.start()
        since = stack.mail.mark()
        replica = stack.replicas["identity"][0]
        stack.start_replica(replica)
        stack.wait_serving(replica)

        message = stack.mail.wait_for_blocking(email, timeout=30, since=since)
        assert _outbox(stack) == []
        link = next(link for link in links_in(message) if "code=" in link)
        code = parse_qs(urlsplit(link).query)["code"][0]
        stack.wait_replica_state("identity", 0, healthy=True)
        reset = gateway.post(f"/tenant/{tenant_id}/api/v1/auth/password-reset:confirm",
                             json={"code": code, "new_password": "a brand new passphrase"})
        assert reset.status_code == 200, reset.text
