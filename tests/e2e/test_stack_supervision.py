"""The local stack keeps its datastores up: Redis or PostgreSQL killed with SIGKILL is
restarted by the stack's supervisor on the same port and data, and sign-in through Envoy
works again without anyone restarting anything (the services' pools reconnect).

Runs its OWN durable stack (one replica per service): it kills the datastores, which must
not disturb the shared stack of the other e2e tests. Only processes this stack started are
killed, by PID.
"""

from __future__ import annotations

import os
import secrets
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import redis

from tests.e2e.helpers import unique_id
from tools.stack import Stack, StackConfig

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery staple"
RECOVERY_SECONDS = 30


@pytest.fixture(scope="module")
def durable_stack(server_dir: Callable[[str], Path]) -> Iterator[Stack]:
    config = StackConfig(
        data_dir=server_dir("supervised-stack"), free_ports=True, durable=True, drain_seconds=0.5, replicas=1,
        bootstrap_api_key="bino_sup_" + secrets.token_urlsafe(32),
        # The polling sign-ins below must not run into the per-address login budget.
        extra_env={"BINOAUTH_RATE_LIMIT_SCALE": "1000"},
    )
    with Stack(config) as running:
        yield running


def _sign_in(client: httpx.Client, tenant_id: str, email: str) -> httpx.Response:
    return client.post(f"/tenant/{tenant_id}/api/v1/auth/login", json={"email": email, "password": PASSWORD})


def _wait_for_sign_in(client: httpx.Client, tenant_id: str, email: str, what: str) -> float:
    """Seconds until sign-in answers 200 again; nobody restarts anything meanwhile."""
    started = time.monotonic()
    seen: list[int | str] = []
    while time.monotonic() - started < RECOVERY_SECONDS:
        try:
            status: int | str = _sign_in(client, tenant_id, email).status_code
        except httpx.HTTPError as error:
            status = type(error).__name__
        if status == 200:
            return time.monotonic() - started
        if not seen or seen[-1] != status:
            seen.append(status)
        time.sleep(0.25)
    raise AssertionError(f"sign-in did not recover within {RECOVERY_SECONDS}s after {what}; answers seen: {seen}")


def _supervisor_log(stack: Stack) -> str:
    path = stack.logs / "supervisor.log"
    return path.read_text() if path.exists() else "(no supervisor.log)"


def test_killed_datastores_are_restarted_with_their_data(durable_stack: Stack) -> None:
    stack = durable_stack
    assert stack.redis is not None and stack.postgres is not None, "the stack runs its own datastores"
    platform = {"Authorization": f"Bearer {stack.bootstrap_api_key}"}
    with httpx.Client(base_url=stack.gateway_url, timeout=5) as client:
        tenant_id = unique_id("sup")
        assert client.post("/api/v1/tenants", headers=platform, json={"tenant_id": tenant_id}).status_code == 200
        key = client.post(f"/api/v1/tenants/{tenant_id}/apiKeys", headers=platform, json={"scopes": ["users:write"]})
        assert key.status_code == 200, key.text
        email = f"{unique_id('ada')}@example.com"
        created = client.post(f"/tenant/{tenant_id}/api/v1/users",
                              headers={"Authorization": f"Bearer {key.json()['secret']}"},
                              json={"user": {"email": email, "name": "Ada"}, "password": PASSWORD,
                                    "email_verified": True})
        assert created.status_code == 200, created.text
        signed_in = _sign_in(client, tenant_id, email)
        assert signed_in.status_code == 200, signed_in.text
        cookie = {"Cookie": f"binoauth_session={signed_in.cookies['binoauth_session']}"}
        # Acknowledged just before the kill: the append-only file must bring it back.
        marker = secrets.token_hex(8)
        with redis.Redis.from_url(stack.redis_url) as store:
            assert store.set("test:supervision-marker", marker)

        # Redis dies without a chance to flush anything.
        redis_pid = stack.redis.pid
        assert redis_pid is not None
        os.kill(redis_pid, signal.SIGKILL)
        _wait_for_sign_in(client, tenant_id, email, "SIGKILL of Redis")
        assert stack.redis.pid not in (None, redis_pid), "Redis was restarted"
        with redis.Redis.from_url(stack.redis_url) as store:
            assert store.get("test:supervision-marker") == marker.encode(), "Redis lost acknowledged data"
        log = _supervisor_log(stack)
        assert "redis killed by SIGKILL; restarting" in log and "redis restarted" in log, log

        # PostgreSQL: SIGKILL of the postmaster leaves its backends behind for a moment.
        postgres_pid = stack.postgres.pid
        assert postgres_pid is not None
        os.kill(postgres_pid, signal.SIGKILL)
        _wait_for_sign_in(client, tenant_id, email, "SIGKILL of the PostgreSQL postmaster")
        assert stack.postgres.pid not in (None, postgres_pid), "PostgreSQL was restarted"
        log = _supervisor_log(stack)
        assert "postgres killed by SIGKILL; restarting" in log and "postgres restarted" in log, log

        # Everything created before the kills is still there: the user signed in above, and
        # the session it had before both restarts.
        me = client.get(f"/tenant/{tenant_id}/api/v1/users/me", headers=cookie)
        assert me.status_code == 200, me.text
        assert me.json()["email"] == email
