"""Rate limits end to end: gateway -> the serving service's interceptor -> Redis (until
2026-12-05: Envoy's ratelimit filters -> the session service; these tests ran unchanged).

These tests run their OWN stack (one replica per service): they exhaust budgets of loopback
addresses and stop Redis, which must not disturb the shared stack of the other e2e tests.
Each test uses its own source address (127.0.0.x; Linux routes all of 127/8 to lo), so
budgets never leak from one test into another.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.helpers import assert_envelope, unique_id
from tools.stack import Stack, StackConfig

pytestmark = pytest.mark.e2e

LOGIN = "/api/v1/admin/login"
LOGIN_PER_IP = 20  # group "login" default, per client address per minute


@pytest.fixture(scope="module")
def rl_stack(server_dir: Callable[[str], Path]) -> Iterator[Stack]:
    config = StackConfig(
        data_dir=server_dir("rl-stack"), free_ports=True, durable=False, drain_seconds=1.0, replicas=1,
        bootstrap_api_key="bino_rl_" + secrets.token_urlsafe(32),
    )
    with Stack(config) as running:
        yield running


@pytest.fixture(scope="module")
def admin(rl_stack: Stack) -> dict[str, str]:
    return {"Authorization": f"Bearer {rl_stack.bootstrap_api_key}"}


def _client(stack: Stack, source: str) -> httpx.Client:
    return httpx.Client(base_url=stack.gateway_url, timeout=30,
                        transport=httpx.HTTPTransport(local_address=source))


def _login(client: httpx.Client, **headers: str) -> httpx.Response:
    return client.post(LOGIN, headers=headers,
                       json={"email": f"{unique_id('nobody')}@example.com", "password": "not the password"})


def _exhaust_login(client: httpx.Client) -> httpx.Response:
    """Logs in (unknown accounts) until 429; at least the per-IP budget must pass first."""
    statuses = []
    for _ in range(LOGIN_PER_IP + 10):
        response = _login(client)
        statuses.append(response.status_code)
        if response.status_code == 429:
            # GCRA refills one request per 3 s: a slow machine may see one or two more.
            assert LOGIN_PER_IP <= len(statuses) - 1 <= LOGIN_PER_IP + 3, statuses
            assert set(statuses[:-1]) == {401}, statuses
            return response
    raise AssertionError(f"never limited: {statuses}")


def _assert_limited(response: httpx.Response) -> None:
    assert_envelope(response, 429, "RATE_LIMITED")
    assert 1 <= int(response.headers["retry-after"]) <= 60
    assert response.headers["x-ratelimit-remaining"] == "0"


def test_login_budget_then_429_and_rotating_xff_does_not_escape(rl_stack: Stack) -> None:
    with _client(rl_stack, "127.0.0.1") as client:
        limited = _exhaust_login(client)
        _assert_limited(limited)
        assert limited.headers["x-ratelimit-limit"] == str(LOGIN_PER_IP)
        for i in range(5):  # the trusted address is the TCP peer (xff_num_trusted_hops 0)
            response = _login(client, **{"X-Forwarded-For": f"198.51.100.{i}", "X-Real-IP": f"203.0.113.{i}"})
            _assert_limited(response)
    # Another client address has its own budget.
    with _client(rl_stack, "127.0.0.2") as other:
        assert _login(other).status_code == 401


def test_tenant_budget_is_shared_by_its_clients_and_separate_per_tenant(
    rl_stack: Stack, admin: dict[str, str]
) -> None:
    # GET /tenant/<id>/api/v1/tenants/<id>: group "management" (no rate_limit option); the
    # /tenant/<id>/ prefix is what selects the tenant for the rate limiter (highest rank),
    # as for every tenant-scoped API, and the platform key may read the tenant.
    limits = {"rate_limits": {"management": {"per_tenant_per_minute": 5}}}
    with _client(rl_stack, "127.0.0.3") as setup:
        tenants = []
        for _ in range(2):
            tenant_id = unique_id()
            created = setup.post("/api/v1/tenants", headers=admin,
                                 json={"tenant_id": tenant_id, "settings": limits})
            assert created.status_code == 200, created.text
            tenants.append(tenant_id)
    a, b = tenants
    with _client(rl_stack, "127.0.0.4") as one, _client(rl_stack, "127.0.0.5") as two:
        statuses = [one.get(f"/tenant/{a}/api/v1/tenants/{a}", headers=admin).status_code for _ in range(5)]
        assert statuses == [200] * 5
        # Tenant A's budget is spent, from whichever address: the tenant-wide budget.
        limited = two.get(f"/tenant/{a}/api/v1/tenants/{a}", headers=admin)
        _assert_limited(limited)
        assert limited.headers["x-ratelimit-limit"] == "5"
        # Tenant B is still served, to the same clients.
        assert one.get(f"/tenant/{b}/api/v1/tenants/{b}", headers=admin).status_code == 200
        assert two.get(f"/tenant/{b}/api/v1/tenants/{b}", headers=admin).status_code == 200


def test_redis_down_login_fails_closed_management_open_then_recovers(
    rl_stack: Stack, admin: dict[str, str]
) -> None:
    assert rl_stack.redis is not None, "the stack runs its own Redis"
    with _client(rl_stack, "127.0.0.6") as client:
        assert _login(client).status_code == 401
        rl_stack.redis.stop()
        try:
            response = _login(client)
            assert_envelope(response, 503, "UNAVAILABLE")
            assert int(response.headers["retry-after"]) >= 1
            # Fail-open groups: management and public are still served.
            assert client.get("/api/v1/tenants", headers=admin).status_code == 200
            assert client.get("/api/v1/tenant", headers={"X-Tenant-ID": "nobody"}).status_code in (200, 404)
        finally:
            rl_stack.redis.start()
        deadline = time.monotonic() + 30
        while True:  # no restart of anything: the service reconnects by itself
            status = _login(client).status_code
            if status == 401:
                break
            # 503 while the rate limiter reconnects; anything else (a 500 from a service whose
            # pooled Redis connection died with the restart) is a failure to recover.
            assert status == 503 and time.monotonic() < deadline, (status, _login(client).text)
            time.sleep(0.5)
