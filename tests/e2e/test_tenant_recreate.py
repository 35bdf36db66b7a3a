"""A tenant deleted and created again with the same id inherits nothing, on any replica: its
tokens are signed with the new tenant's keys only (every replica's JWKS and signer), the old
tokens, clients and sessions are dead, lockout counters start from zero, and the deleted
tenant leaves no key in Redis. Through Envoy, against two replicas of each service; several
rounds of delete and create, so that whichever replica did not serve the (de)provisioning
call is the one checked at some point."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

import httpx
import jwt
import pytest
import redis

from tests.e2e.helpers import assert_envelope, unique_id
from tools.stack import Stack

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery staple"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
ROUNDS = 4
# Requests per check: Envoy spreads them over both replicas of a service.
SPREAD = 8
# How long invalidation over Redis pub/sub may take to reach every replica.
PROPAGATION_SECONDS = 1.0
MAX_FAILURES = 3


@dataclass(frozen=True)
class Previous:
    kids: set[str]
    access_token: str
    basic: str
    session_cookie: str


def basic_auth(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


@pytest.fixture
def tenant_id(gateway: httpx.Client, platform_headers: dict[str, str]) -> Iterator[str]:
    tenant_id = unique_id("again")
    yield tenant_id
    gateway.delete(f"/api/v1/tenants/{tenant_id}", headers=platform_headers)


def create(gateway: httpx.Client, platform_headers: dict[str, str], tenant_id: str) -> None:
    created = gateway.post("/api/v1/tenants", headers=platform_headers, json={
        "tenant_id": tenant_id,
        "settings": {"lockout_policy": {"max_failures": MAX_FAILURES, "progressive_delay_seconds": 0}}})
    assert created.status_code == 200, created.text


def published_kids(gateway: httpx.Client, tenant_id: str) -> set[str]:
    """The JWKS as every replica serves it: one answer, whichever replica gives it."""
    answers = [frozenset(k["kid"] for k in gateway.get(f"/tenant/{tenant_id}/.well-known/jwks.json").json()["keys"])
               for _ in range(SPREAD)]
    assert len(set(answers)) == 1, f"replicas publish different key sets: {set(answers)}"
    return set(answers[0])


def make_client(gateway: httpx.Client, platform_headers: dict[str, str], tenant_id: str) -> str:
    app = gateway.post(f"/tenant/{tenant_id}/api/v1/applications", headers=platform_headers, json={
        "display_name": "Service", "client_type": "CLIENT_TYPE_CONFIDENTIAL", "grant_types": ["client_credentials"],
        "allowed_scopes": ["reports:read"]})
    assert app.status_code == 200, app.text
    return basic_auth(app.json()["application"]["client_id"], app.json()["client_secret"])


def token(gateway: httpx.Client, tenant_id: str, basic: str) -> httpx.Response:
    return gateway.post(f"/tenant/{tenant_id}/oauth2/token", headers={"Authorization": basic, **FORM},
                        content=b"grant_type=client_credentials")


def login(stack: Stack, tenant_id: str, email: str, password: str) -> httpx.Response:
    # Without a cookie jar: no session of an earlier round rides along.
    return httpx.post(f"{stack.gateway_url}/tenant/{tenant_id}/api/v1/auth/login",
                      json={"email": email, "password": password}, timeout=30)


def leftovers(stack: Stack, tenant_id: str) -> list[str]:
    """Redis keys that still name the tenant in one of their parts."""
    encoded = quote(tenant_id, safe="")
    client = redis.Redis.from_url(stack.redis_url)
    try:
        keys = [k.decode() for k in client.scan_iter(match=f"binoauth:*{encoded}*", count=500)]
    finally:
        client.close()
    return [k for k in keys if encoded in k.split(":")]


def test_a_tenant_created_again_with_the_same_id_inherits_nothing(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], tenant_id: str
) -> None:
    email = f"{unique_id('owner')}@example.com"
    previous: Previous | None = None
    left: dict[int, list[str]] = {}
    for round_ in range(ROUNDS):
        create(gateway, platform_headers, tenant_id)
        if previous is not None:
            time.sleep(PROPAGATION_SECONDS)

        # Signing: every replica publishes and signs with the new keys only.
        kids = published_kids(gateway, tenant_id)
        assert previous is None or kids.isdisjoint(previous.kids), f"round {round_}: old keys still published"
        basic = make_client(gateway, platform_headers, tenant_id)
        issued = [token(gateway, tenant_id, basic) for _ in range(SPREAD)]
        assert all(r.status_code == 200 for r in issued), [r.text for r in issued]
        signed_with = {jwt.get_unverified_header(r.json()["access_token"])["kid"] for r in issued}
        assert signed_with <= kids, f"round {round_}: signed with unpublished keys {signed_with - kids}"

        if previous is not None:
            # The old tokens cannot verify: their key is published by no replica.
            assert jwt.get_unverified_header(previous.access_token)["kid"] not in kids
            for _ in range(SPREAD // 2):
                # The old client is gone at every replica: it gets no token and cannot even
                # ask about its old token.
                assert token(gateway, tenant_id, previous.basic).status_code == 401, f"round {round_}"
                introspected = gateway.post(f"/tenant/{tenant_id}/oauth2/introspect",
                                            headers={"Authorization": previous.basic, **FORM},
                                            data={"token": previous.access_token})
                assert introspected.status_code == 401, f"round {round_}: {introspected.text}"
                # ... and to a client of the new tenant the old token is not active either.
                assert gateway.post(f"/tenant/{tenant_id}/oauth2/introspect", headers={"Authorization": basic, **FORM},
                                    data={"token": previous.access_token}).json() == {"active": False}
                assert_envelope(httpx.get(f"{stack.gateway_url}/tenant/{tenant_id}/api/v1/users/me", timeout=30,
                                          headers={"Cookie": f"binoauth_session={previous.session_cookie}"}),
                                401, "SESSION_REQUIRED")

        # Lockout: the deleted tenant left MAX_FAILURES - 1 failures on this address; the new
        # tenant's count starts from zero, so as many again do not lock the account.
        user = gateway.post(f"/tenant/{tenant_id}/api/v1/users", headers=platform_headers, json={
            "user": {"email": email, "name": "Ada"}, "password": PASSWORD, "email_verified": True})
        assert user.status_code == 200, user.text
        for _ in range(MAX_FAILURES - 1):
            assert_envelope(login(stack, tenant_id, email, "not the password"), 401, "INVALID_CREDENTIALS")
        signed_in = login(stack, tenant_id, email, PASSWORD)
        assert signed_in.status_code == 200, f"round {round_}: {signed_in.text}"
        for _ in range(MAX_FAILURES - 1):  # left for the next tenant of this id
            assert_envelope(login(stack, tenant_id, email, "not the password"), 401, "INVALID_CREDENTIALS")

        previous = Previous(kids, issued[0].json()["access_token"], basic, signed_in.cookies["binoauth_session"])
        deleted = gateway.delete(f"/api/v1/tenants/{tenant_id}", headers=platform_headers)
        assert deleted.status_code == 200, deleted.text
        left[round_] = leftovers(stack, tenant_id)

    assert left == {r: [] for r in range(ROUNDS)}, "the deleted tenant left keys in Redis"
