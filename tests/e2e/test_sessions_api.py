"""Sessions over REST through Envoy: self-service with the session cookie, admin with API keys."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import grpc
import httpx
import pytest

from binoauth.session.v1 import session_internal_service_pb2 as internal_pb
from binoauth.session.v1 import session_internal_service_pb2_grpc as internal_grpc
from tests.e2e.helpers import assert_envelope
from tools.stack import Stack

pytestmark = pytest.mark.e2e


def start_session(stack: Stack, tenant_id: str, user_id: str) -> tuple[str, str]:
    """What the identity service does at login: returns (session id, cookie value)."""
    with grpc.insecure_channel(f"127.0.0.1:{stack.replicas['session'][0].grpc_port}") as channel:
        reply = internal_grpc.SessionInternalServiceStub(channel).CreateSession(
            internal_pb.CreateSessionRequest(tenant_id=tenant_id, user_id=user_id, amr=["pwd"],
                                             ip_address="203.0.113.7", user_agent="test-browser"), timeout=10)
    return reply.session.session_id, reply.secret


def cookie(secret: str) -> dict[str, str]:
    return {"Cookie": f"binoauth_session={secret}"}


def test_self_service_list_revoke_and_sign_out_elsewhere(
    stack: Stack, gateway: httpx.Client, new_tenant: Callable[..., dict[str, Any]]
) -> None:
    tenant_id = new_tenant()["tenant_id"]
    base = f"/tenant/{tenant_id}/api/v1/sessions"
    sessions = [start_session(stack, tenant_id, "alice") for _ in range(3)]
    start_session(stack, tenant_id, "bob")
    (current_id, current), (other_id, other), (third_id, third) = sessions

    listed = gateway.get(base, headers=cookie(current))
    assert listed.status_code == 200, listed.text
    rows = listed.json()["sessions"]
    assert {r["session_id"] for r in rows} == {current_id, other_id, third_id}  # not bob's
    assert [r["current"] for r in rows if r["session_id"] == current_id] == [True]
    assert all(r["user_agent"] == "test-browser" and r["amr"] == ["pwd"] for r in rows)
    assert current not in listed.text  # cookie values are never returned

    assert gateway.delete(f"{base}/{other_id}", headers=cookie(current)).status_code == 200
    assert_envelope(gateway.get(base, headers=cookie(other)), 401, "SESSION_INVALID")
    assert_envelope(gateway.delete(f"{base}/{other_id}", headers=cookie(current)), 404, "SESSION_INVALID")

    revoked = gateway.post(f"{base}:revokeOthers", headers=cookie(current), json={})
    assert revoked.json()["revoked_count"] == 1
    assert_envelope(gateway.get(base, headers=cookie(third)), 401, "SESSION_INVALID")
    assert [r["session_id"] for r in gateway.get(base, headers=cookie(current)).json()["sessions"]] == [current_id]


def test_session_cookies_are_required_valid_and_tenant_bound(
    stack: Stack, gateway: httpx.Client, new_tenant: Callable[..., dict[str, Any]]
) -> None:
    a, b = new_tenant()["tenant_id"], new_tenant()["tenant_id"]
    _, secret = start_session(stack, a, "alice")
    assert_envelope(gateway.get(f"/tenant/{a}/api/v1/sessions"), 401, "SESSION_REQUIRED")
    assert_envelope(gateway.get(f"/tenant/{a}/api/v1/sessions", headers=cookie("forged")), 401, "SESSION_INVALID")
    # A session of tenant A is useless at tenant B, however B is selected.
    assert_envelope(gateway.get(f"/tenant/{b}/api/v1/sessions", headers=cookie(secret)), 401, "SESSION_INVALID")
    assert_envelope(gateway.get("/api/v1/sessions", headers={**cookie(secret), "X-Tenant-ID": b}),
                    401, "SESSION_INVALID")
    assert gateway.get("/api/v1/sessions", headers={**cookie(secret), "X-Tenant-ID": a}).status_code == 200


def test_admin_lists_and_revokes_any_users_sessions(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str],
    new_tenant: Callable[..., dict[str, Any]]
) -> None:
    tenant_id, other_tenant = new_tenant()["tenant_id"], new_tenant()["tenant_id"]
    alice = [start_session(stack, tenant_id, "alice") for _ in range(2)]
    key = gateway.post(f"/api/v1/tenants/{tenant_id}/apiKeys", headers=platform_headers,
                       json={"scopes": ["sessions:read", "sessions:write"]}).json()["secret"]
    reader = gateway.post(f"/api/v1/tenants/{tenant_id}/apiKeys", headers=platform_headers,
                          json={"scopes": ["sessions:read"]}).json()["secret"]
    admin = {"Authorization": f"Bearer {key}"}
    users = f"/tenant/{tenant_id}/api/v1/users/alice/sessions"

    listed = gateway.get(users, headers=admin).json()["sessions"]
    assert {s["session_id"] for s in listed} == {sid for sid, _ in alice}
    assert_envelope(gateway.post(f"{users}:revokeAll", headers={"Authorization": f"Bearer {reader}"}, json={}),
                    403, "MISSING_SCOPE")
    assert gateway.delete(f"{users}/{alice[0][0]}", headers=admin).status_code == 200
    assert gateway.post(f"{users}:revokeAll", headers=admin, json={}).json()["revoked_count"] == 1
    for _, secret in alice:
        assert_envelope(gateway.get(f"/tenant/{tenant_id}/api/v1/sessions", headers=cookie(secret)),
                        401, "SESSION_INVALID")
    # The tenant's key cannot reach another tenant's users.
    assert_envelope(gateway.get(f"/tenant/{other_tenant}/api/v1/users/alice/sessions", headers=admin),
                    403, "TENANT_MISMATCH")
    assert_envelope(gateway.get(users), 401, "CREDENTIAL_MISSING")


def test_suspending_a_tenant_ends_its_sessions_at_once(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str],
    new_tenant: Callable[..., dict[str, Any]]
) -> None:
    tenant_id = new_tenant()["tenant_id"]
    _, secret = start_session(stack, tenant_id, "alice")
    mine = f"/tenant/{tenant_id}/api/v1/sessions"
    assert gateway.get(mine, headers=cookie(secret)).status_code == 200
    gateway.post(f"/api/v1/tenants/{tenant_id}:suspend", headers=platform_headers, json={})
    gateway.post(f"/api/v1/tenants/{tenant_id}:resume", headers=platform_headers, json={})
    # Resuming does not bring the old sessions back: suspension ended them.
    assert_envelope(gateway.get(mine, headers=cookie(secret)), 401, "SESSION_INVALID")
    _, fresh = start_session(stack, tenant_id, "alice")
    assert gateway.get(mine, headers=cookie(fresh)).status_code == 200


def test_session_metrics_are_exported(stack: Stack, new_tenant: Callable[..., dict[str, Any]]) -> None:
    start_session(stack, new_tenant()["tenant_id"], "metrics-user")
    text = httpx.get(f"http://127.0.0.1:{stack.replicas['session'][0].metrics_port}/metrics", timeout=5).text
    created = [line for line in text.splitlines() if line.startswith("binoauth_sessions_created_total")]
    assert created and float(created[0].split()[-1]) >= 1
    assert "binoauth_sessions_active" in text and "binoauth_sessions_revoked_total" in text
