"""The analytics API through Envoy after a scripted workload: every count equals what the
workload did, for its tenant and platform-wide, and a tenant's administrator sees only its own."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import redis
from authlib.oauth2.rfc7636 import create_s256_code_challenge  # type: ignore[import-untyped]

from services.common.analytics import FLUSH_SECONDS
from tests.e2e.helpers import assert_envelope, unique_id
from tests.e2e.test_oauth_code_flow import CALLBACK, Browser, setup_world
from tools.stack import Stack

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery staple"
GRANTS = ("client_credentials", "authorization_code", "refresh_token",
          "urn:ietf:params:oauth:grant-type:device_code")
COUNTERS = ("sign_ins_succeeded", "sign_ins_failed", "sign_ups", "active_users", "lockouts", "rate_limited")


def folded(stack: Stack, timeout: float = 20.0) -> None:
    """Waits until everything counted so far is in PostgreSQL (nothing pending in Redis)."""
    time.sleep(FLUSH_SECONDS + 0.3)  # each process writes its counts to Redis once a second
    client = redis.Redis.from_url(stack.redis_url)
    try:
        deadline = time.monotonic() + timeout
        while client.exists("binoauth:analytics:pending") or client.scard("binoauth:analytics:batches"):
            assert time.monotonic() < deadline, "the analytics fold did not run"
            time.sleep(0.2)
        time.sleep(0.3)  # a fold that took the last batch may still be committing
        while client.scard("binoauth:analytics:batches"):
            time.sleep(0.2)
    finally:
        client.close()


def window() -> dict[str, str]:
    now = datetime.now(UTC)
    return {"start_time": (now - timedelta(days=1)).isoformat().replace("+00:00", "Z"),
            "end_time": (now + timedelta(hours=2)).isoformat().replace("+00:00", "Z")}


def totals(answer: httpx.Response) -> dict[str, Any]:
    assert answer.status_code == 200, answer.text
    body = answer.json()
    flat = {k: int(v) for k, v in body["totals"].items() if k != "tokens_issued"}
    flat.update({f"tokens:{g}": int(v) for g, v in body["totals"]["tokens_issued"].items()})
    return flat


def run_workload(stack: Stack, gateway: httpx.Client, platform: dict[str, str], tenant: str) -> dict[str, int]:
    """Sign-ins (good and bad), a sign-up, a lockout, tokens of three grant types and a 429;
    returns what an exact count must show."""
    t = f"/tenant/{tenant}"
    email_a, client_id, secret = setup_world(stack, gateway, platform, tenant)
    emails = {"b": f"{unique_id('b')}@example.com", "c": f"{unique_id('c')}@example.com"}
    for email in emails.values():
        created = gateway.post(f"{t}/api/v1/users", headers=platform, json={
            "user": {"email": email}, "password": PASSWORD, "email_verified": True})
        assert created.status_code == 200, created.text
    with httpx.Client(base_url=stack.public_url, timeout=30) as client:
        def login(email: str, password: str = PASSWORD) -> int:
            return client.post(f"{t}/api/v1/auth/login", json={"email": email, "password": password}).status_code

        # 3 sign-ins of 2 users (one more comes with the code flow below), 2 failed for B first.
        assert [login(emails["b"], "wrong password entirely") for _ in range(2)] == [401, 401]
        assert login(emails["b"]) == 200
        assert login(emails["b"]) == 200
        # C: 3 failures lock the account (max_failures 3), a 4th attempt is refused as locked.
        assert [login(emails["c"], "wrong password entirely") for _ in range(4)] == [401] * 4
        # One sign-up (self-service).
        signed_up = client.post(f"{t}/api/v1/auth/signup", json={"email": f"{unique_id('s')}@example.com",
                                                                  "password": PASSWORD})
        assert signed_up.status_code == 200, signed_up.text
        # The tenant allows 1 verification request a minute: the second is refused by the gateway.
        resets = [client.post(f"{t}/api/v1/auth/password-reset", json={"email": emails["b"]}).status_code
                  for _ in range(2)]
        assert resets == [200, 429], resets
    # Tokens: code flow (A signs in during it) → 1 authorization_code, 1 refresh_token.
    browser = Browser(stack, tenant)
    verifier = secrets.token_urlsafe(48)
    url = (f"/tenant/{tenant}/oauth2/authorize?response_type=code&client_id={client_id}"
           f"&redirect_uri={CALLBACK}&scope=openid%20offline_access"
           f"&code_challenge={create_s256_code_challenge(verifier)}&code_challenge_method=S256")
    callback = browser.authorize(url, email_a)
    assert callback.status_code == 302, callback.text
    code = parse_qs(urlsplit(callback.headers["location"]).query)["code"][0]
    issued = gateway.post(f"{t}/oauth2/token", auth=(client_id, secret), data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "code_verifier": verifier})
    assert issued.status_code == 200, issued.text
    refreshed = gateway.post(f"{t}/oauth2/token", auth=(client_id, secret), data={
        "grant_type": "refresh_token", "refresh_token": issued.json()["refresh_token"]})
    assert refreshed.status_code == 200, refreshed.text
    # 3 client_credentials tokens (a failed attempt issues nothing).
    service = gateway.post(f"{t}/api/v1/applications", headers=platform, json={
        "display_name": "Svc", "client_type": "CLIENT_TYPE_CONFIDENTIAL", "grant_types": ["client_credentials"],
        "allowed_scopes": ["reports:read"]}).json()
    creds = (service["application"]["client_id"], service["client_secret"])
    for _ in range(3):
        assert gateway.post(f"{t}/oauth2/token", auth=creds, data={"grant_type": "client_credentials"}).status_code \
            == 200
    assert gateway.post(f"{t}/oauth2/token", auth=(creds[0], "wrong"),
                        data={"grant_type": "client_credentials"}).status_code == 401
    browser.http.close()
    return {"sign_ins_succeeded": 3, "sign_ins_failed": 6, "sign_ups": 1, "active_users": 2, "lockouts": 1,
            "rate_limited": 1, "tokens:client_credentials": 3, "tokens:authorization_code": 1,
            "tokens:refresh_token": 1, "tokens:urn:ietf:params:oauth:grant-type:device_code": 0}


def test_counts_equal_the_workload_per_tenant_and_platform_wide(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], new_tenant: Callable[..., dict[str, Any]]
) -> None:
    settings = {"lockout_policy": {"max_failures": 3, "progressive_delay_seconds": 0},
                "rate_limits": {"verification": {"per_tenant_per_minute": 1}}}
    tenant = new_tenant(settings=settings)["tenant_id"]
    other = new_tenant()["tenant_id"]
    folded(stack)
    span = window()
    platform_before = totals(gateway.get("/api/v1/analytics", headers=platform_headers, params=span))
    platform_today_before = gateway.get("/api/v1/analytics", headers=platform_headers, params=span).json()

    expected = run_workload(stack, gateway, platform_headers, tenant)
    folded(stack)

    mine = gateway.get(f"/api/v1/tenants/{tenant}/analytics", headers=platform_headers, params=span)
    got = totals(mine)
    assert {k: got[k] for k in expected} == expected
    assert got["monthly_active_users"] == 2
    body = mine.json()
    assert body["granularity"] == "DAY" and body["tenant_id"] == tenant
    assert len(body["buckets"]) in (2, 3)  # yesterday, today (and tomorrow near midnight)
    assert set(body["buckets"][0]["tokens_issued"]) == set(GRANTS)
    assert sum(int(b["sign_ins_failed"]) for b in body["buckets"]) == 6
    # The same figures by the hour, and through the tenant's own query parameter.
    hourly = gateway.get("/api/v1/analytics", headers=platform_headers, params={
        "tenant_id": tenant, "granularity": "HOUR",
        "start_time": (datetime.now(UTC) - timedelta(hours=3)).isoformat().replace("+00:00", "Z")})
    hours = totals(hourly)
    assert {k: hours[k] for k in expected} == expected
    assert len(hourly.json()["buckets"]) in (3, 4)
    # Another tenant saw none of it.
    assert all(v == 0 for k, v in totals(gateway.get(f"/api/v1/tenants/{other}/analytics",
                                                     headers=platform_headers, params=span)).items())

    # Platform-wide: the platform rollup grew by exactly the workload (the test runs alone).
    platform_after = totals(gateway.get("/api/v1/analytics", headers=platform_headers, params=span))
    for key, value in expected.items():
        if key == "active_users":
            continue
        assert platform_after[key] - platform_before[key] == value, key
    # Distinct users platform-wide come from a HyperLogLog (an estimate, exact at this size in
    # practice); the per-day active_users counter beside it is exact.
    grown = platform_after["active_users"] - platform_before["active_users"]
    assert abs(grown - 2) <= max(1, platform_after["active_users"] // 50), (grown, platform_after)
    today = datetime.now(UTC).strftime("%Y-%m-%dT00:00:00Z")
    after_today = gateway.get("/api/v1/analytics", headers=platform_headers, params=span).json()

    def day_active(report: dict[str, Any]) -> int:
        return sum(int(b["active_users"]) for b in report["buckets"] if b["start_time"] == today)

    assert day_active(after_today) - day_active(platform_today_before) == 2


def test_a_tenant_admin_sees_only_its_tenant_and_bad_ranges_name_their_field(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], new_tenant: Callable[..., dict[str, Any]]
) -> None:
    mine, theirs = new_tenant()["tenant_id"], new_tenant()["tenant_id"]
    email = f"{unique_id('an')}@example.com"
    created = gateway.post("/api/v1/adminUsers", headers=platform_headers, json={
        "admin_user": {"email": email, "tenant_id": mine, "scopes": ["analytics:read"]}, "password": PASSWORD})
    assert created.status_code == 200, created.text
    token = gateway.post("/api/v1/admin/login", json={"email": email, "password": PASSWORD}).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert gateway.get(f"/api/v1/tenants/{mine}/analytics", headers=auth).status_code == 200
    assert gateway.get("/api/v1/analytics", headers=auth, params={"tenant_id": mine}).status_code == 200
    assert gateway.get(f"/tenant/{mine}/api/v1/analytics", headers=auth).json()["tenant_id"] == mine
    assert_envelope(gateway.get(f"/api/v1/tenants/{theirs}/analytics", headers=auth), 403, "TENANT_MISMATCH")
    assert_envelope(gateway.get("/api/v1/analytics", headers=auth), 403, "PLATFORM_CREDENTIAL_REQUIRED")
    assert_envelope(gateway.get("/api/v1/analytics"), 401, "CREDENTIAL_MISSING")
    reader = gateway.post(f"/api/v1/tenants/{mine}/apiKeys", headers=platform_headers,
                          json={"scopes": ["users:read"]}).json()["secret"]
    assert_envelope(gateway.get(f"/api/v1/tenants/{mine}/analytics", headers={"Authorization": f"Bearer {reader}"}),
                    403, "MISSING_SCOPE")
    old = (datetime.now(UTC) - timedelta(days=3)).isoformat().replace("+00:00", "Z")
    for params, field in (({"granularity": "WEEK"}, "granularity"),
                          ({"granularity": "HOUR", "start_time": old}, "start_time"),
                          ({"start_time": "2026-01-02T00:00:00Z", "end_time": "2026-01-01T00:00:00Z"}, "start_time")):
        error = assert_envelope(gateway.get(f"/api/v1/tenants/{mine}/analytics", headers=auth, params=params), 400)
        assert error["details"]["field"] == field, error
    assert_envelope(gateway.get("/api/v1/analytics", headers=platform_headers, params={"tenant_id": "no-such"}), 404)
