"""The admin console's session through Envoy: an HttpOnly, SameSite=Strict cookie kept on the
server (hashed), accepted by management APIs only with X-BinoAuth-Console: 1, acting with the
administrator's own scopes and tenant; sign-out, disabling and the two timeouts end it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.helpers import assert_envelope, unique_id
from tools.stack import Stack, StackConfig

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery staple"
CONSOLE = {"X-BinoAuth-Console": "1"}


def make_admin(gateway: httpx.Client, platform: dict[str, str], tenant_id: str, *scopes: str) -> str:
    email = f"{unique_id('console')}@example.com"
    created = gateway.post("/api/v1/adminUsers", headers=platform, json={
        "admin_user": {"email": email, "tenant_id": tenant_id, "scopes": list(scopes)}, "password": PASSWORD})
    assert created.status_code == 200, created.text
    return email


def sign_in(client: httpx.Client, email: str, password: str = PASSWORD) -> httpx.Response:
    return client.post("/api/v1/admin/sessions", json={"email": email, "password": password})


def cookie_of(response: httpx.Response) -> str:
    (header,) = [h for h in response.headers.get_list("set-cookie") if h.startswith("binoauth_console=")]
    return header


def test_sign_in_reload_scopes_and_sign_out(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], new_tenant: Callable[..., dict[str, Any]]
) -> None:
    mine, theirs = new_tenant()["tenant_id"], new_tenant()["tenant_id"]
    email = make_admin(gateway, platform_headers, mine, "tenants:read", "users:read", "analytics:read")
    with httpx.Client(base_url=stack.gateway_url, timeout=30) as browser:
        signed_in = sign_in(browser, email)
        assert signed_in.status_code == 200, signed_in.text
        header = cookie_of(signed_in)
        attributes = {a.strip().split("=")[0].lower(): a.strip() for a in header.split(";")[1:]}
        assert set(attributes) == {"path", "max-age", "httponly", "samesite"}  # no Secure over http
        assert attributes["path"] == "Path=/" and attributes["samesite"] == "SameSite=Strict"
        assert attributes["max-age"] == "Max-Age=43200"  # the 12 h absolute timeout
        secret = header.split(";")[0].split("=", 1)[1]
        assert secret.startswith("binoc_") and secret not in signed_in.text
        assert signed_in.headers["cache-control"] == "no-store"
        body = signed_in.json()
        assert set(body) == {"admin_user", "expire_time", "idle_expire_time"}
        assert body["admin_user"]["email"] == email and body["admin_user"]["tenant_id"] == mine
        assert body["idle_expire_time"] < body["expire_time"]

        # A reload: the cookie alone finds the session again and slides its idle deadline.
        time.sleep(1.1)
        current = browser.get("/api/v1/admin/sessions/current")
        assert current.status_code == 200, current.text
        assert current.json()["admin_user"] == body["admin_user"]
        assert current.json()["expire_time"] == body["expire_time"]
        assert current.json()["idle_expire_time"] > body["idle_expire_time"]

        # The cookie is a credential only with the CSRF header, and never beside Authorization.
        assert_envelope(browser.get(f"/tenant/{mine}/api/v1/users"), 401, "CREDENTIAL_MISSING")
        listed = browser.get(f"/tenant/{mine}/api/v1/users", headers=CONSOLE)
        assert listed.status_code == 200, listed.text
        both = {**CONSOLE, "Authorization": "Bearer bino_not_a_key"}
        assert_envelope(browser.get(f"/tenant/{mine}/api/v1/users", headers=both), 401, "CREDENTIAL_INVALID")
        # The administrator's scopes and tenant, enforced by the API (three services).
        assert_envelope(browser.post(f"/tenant/{mine}/api/v1/users", headers=CONSOLE, json={
            "user": {"email": f"{unique_id('u')}@example.com"}, "password": PASSWORD}), 403, "MISSING_SCOPE")
        assert_envelope(browser.get(f"/tenant/{theirs}/api/v1/users", headers=CONSOLE), 403, "TENANT_MISMATCH")
        assert_envelope(browser.get(f"/tenant/{mine}/api/v1/applications", headers=CONSOLE), 403, "MISSING_SCOPE")
        tenants = browser.get("/api/v1/tenants", headers=CONSOLE)
        assert [t["tenant_id"] for t in tenants.json()["tenants"]] == [mine]
        assert_envelope(browser.get(f"/api/v1/tenants/{theirs}", headers=CONSOLE), 404)
        assert browser.get(f"/api/v1/tenants/{mine}/analytics", headers=CONSOLE).status_code == 200
        assert_envelope(browser.get("/api/v1/analytics", headers=CONSOLE), 403, "PLATFORM_CREDENTIAL_REQUIRED")

        # Sign-out ends the session on the server: the old cookie, sent again, is refused.
        ended = browser.post("/api/v1/admin/sessions/current:end", json={})
        assert ended.status_code == 200 and ended.json() == {}
        assert "Max-Age=0" in cookie_of(ended)
    with httpx.Client(base_url=stack.gateway_url, timeout=30, cookies={"binoauth_console": secret}) as replay:
        assert_envelope(replay.get("/api/v1/admin/sessions/current"), 401, "CONSOLE_SESSION_INVALID")
        assert_envelope(replay.get(f"/tenant/{mine}/api/v1/users", headers=CONSOLE), 401, "CREDENTIAL_INVALID")


def test_cross_site_sign_in_is_refused_and_lockout_applies(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], new_tenant: Callable[..., dict[str, Any]]
) -> None:
    email = make_admin(gateway, platform_headers, new_tenant()["tenant_id"], "users:read")
    with httpx.Client(base_url=stack.gateway_url, timeout=30) as browser:
        refused = browser.post("/api/v1/admin/sessions", json={"email": email, "password": PASSWORD},
                               headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})
        assert_envelope(refused, 403, "CROSS_SITE_REQUEST")
        assert "set-cookie" not in refused.headers
        for _ in range(5):  # ADMIN_MAX_FAILURES
            assert_envelope(sign_in(browser, email, "not the password at all"), 401, "INVALID_CREDENTIALS")
        locked = sign_in(browser, email)
        assert_envelope(locked, 401, "INVALID_CREDENTIALS")
        assert "set-cookie" not in locked.headers
        assert_envelope(browser.get("/api/v1/admin/sessions/current"), 401)


def test_disabling_the_admin_ends_its_sessions(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], new_tenant: Callable[..., dict[str, Any]]
) -> None:
    tenant = new_tenant()["tenant_id"]
    email = make_admin(gateway, platform_headers, tenant, "users:read")
    with httpx.Client(base_url=stack.gateway_url, timeout=30) as browser:
        admin_id = sign_in(browser, email).json()["admin_user"]["admin_user_id"]
        assert browser.get(f"/tenant/{tenant}/api/v1/users", headers=CONSOLE).status_code == 200
        disabled = gateway.post(f"/api/v1/adminUsers/{admin_id}:disable", headers=platform_headers, json={})
        assert disabled.status_code == 200, disabled.text
        assert_envelope(browser.get(f"/tenant/{tenant}/api/v1/users", headers=CONSOLE), 401)
        assert_envelope(browser.get("/api/v1/admin/sessions/current"), 401)


# --- timeouts: a stack of its own (one replica each) with timeouts in seconds, on the main
# stack's PostgreSQL and Redis -------------------------------------------------------------
IDLE, ABSOLUTE = 8, 16


@pytest.fixture(scope="module")
def short_stack(stack: Stack, server_dir: Callable[[str], Path]) -> Iterator[Stack]:
    config = StackConfig(
        data_dir=server_dir("console-stack"), free_ports=True, durable=False, drain_seconds=0.5, replicas=1,
        database_url=stack.database_url, redis_url=stack.redis_url,
        # The same bootstrap key: the tenant service writes it into the shared database.
        bootstrap_api_key=stack.bootstrap_api_key,
        extra_env={"BINOAUTH_RATE_LIMIT_SCALE": "1000", "BINOAUTH_CONSOLE_IDLE_SECONDS": str(IDLE),
                   "BINOAUTH_CONSOLE_ABSOLUTE_SECONDS": str(ABSOLUTE)},
    )
    with Stack(config) as running:
        yield running


def test_idle_and_absolute_timeouts(
    short_stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str],
    new_tenant: Callable[..., dict[str, Any]]
) -> None:
    tenant = new_tenant()["tenant_id"]
    email = make_admin(gateway, platform_headers, tenant, "users:read")
    with httpx.Client(base_url=short_stack.gateway_url, timeout=30) as idle, \
            httpx.Client(base_url=short_stack.gateway_url, timeout=30) as busy:
        started = time.monotonic()
        for client in (idle, busy):
            assert sign_in(client, email).status_code == 200
        # `busy` is used every 3 s: past the idle timeout thanks to sliding, until the absolute one.
        while time.monotonic() - started < ABSOLUTE - 3:
            time.sleep(3)
            answer = busy.get(f"/tenant/{tenant}/api/v1/users", headers=CONSOLE)
            if time.monotonic() - started < ABSOLUTE - 1:
                assert answer.status_code == 200, (time.monotonic() - started, answer.text)
        assert time.monotonic() - started > IDLE + 1
        # `idle` was not used for longer than the idle timeout: gone.
        assert_envelope(idle.get("/api/v1/admin/sessions/current"), 401)
        time.sleep(max(0.0, ABSOLUTE + 0.5 - (time.monotonic() - started)))
        assert_envelope(busy.get(f"/tenant/{tenant}/api/v1/users", headers=CONSOLE), 401)
        assert_envelope(busy.get("/api/v1/admin/sessions/current"), 401)


def test_a_session_survives_a_restart_of_the_tenant_service(
    short_stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str],
    new_tenant: Callable[..., dict[str, Any]]
) -> None:
    tenant = new_tenant()["tenant_id"]
    email = make_admin(gateway, platform_headers, tenant, "users:read")
    with httpx.Client(base_url=short_stack.gateway_url, timeout=30) as browser:
        assert sign_in(browser, email).status_code == 200
        short_stack.kill_replica("tenant", 0)
        replica = short_stack.replicas["tenant"][0]
        short_stack.start_replica(replica)
        short_stack.wait_serving(replica)
        current = browser.get("/api/v1/admin/sessions/current")
        assert current.status_code == 200, current.text
        assert browser.get(f"/tenant/{tenant}/api/v1/users", headers=CONSOLE).status_code == 200
