"""JWKS and key rotation through the gateway."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.e2e.helpers import assert_envelope

pytestmark = pytest.mark.e2e


def test_every_tenant_has_its_own_jwks_and_rotation_keeps_old_keys(
    gateway: httpx.Client, platform_headers: dict[str, str], new_tenant: Callable[..., dict[str, Any]]
) -> None:
    a, b = new_tenant()["tenant_id"], new_tenant()["tenant_id"]
    jwks = gateway.get(f"/tenant/{a}/.well-known/jwks.json")
    assert jwks.status_code == 200, jwks.text
    assert jwks.headers["content-type"].startswith("application/json")
    assert "max-age" in jwks.headers["cache-control"]
    keys = jwks.json()["keys"]
    assert sorted(k["alg"] for k in keys) == ["ES256", "EdDSA", "RS256"]
    assert all("d" not in k for k in keys)
    other = {k["kid"] for k in gateway.get(f"/tenant/{b}/.well-known/jwks.json").json()["keys"]}
    assert not other & {k["kid"] for k in keys}

    admin = gateway.post(f"/api/v1/tenants/{a}/apiKeys", headers=platform_headers,
                         json={"scopes": ["tenants:read", "signing_keys:write"]}).json()["secret"]
    reader = gateway.post(f"/api/v1/tenants/{a}/apiKeys", headers=platform_headers,
                          json={"scopes": ["tenants:read"]}).json()["secret"]
    assert_envelope(gateway.post("/api/v1/signingKeys:rotate", headers={"Authorization": f"Bearer {reader}"},
                                 json={}), 403, "MISSING_SCOPE")
    rotated = gateway.post("/api/v1/signingKeys:rotate", headers={"Authorization": f"Bearer {admin}"},
                           json={"algorithm": "RS256"})
    assert rotated.status_code == 200, rotated.text
    states = sorted((k["algorithm"], k["state"]) for k in rotated.json()["signing_keys"])
    assert states == [("ES256", "SIGNING_KEY_STATE_ACTIVE"), ("EdDSA", "SIGNING_KEY_STATE_ACTIVE"),
                      ("RS256", "SIGNING_KEY_STATE_ACTIVE"), ("RS256", "SIGNING_KEY_STATE_RETIRED")]
    assert_envelope(gateway.post("/api/v1/signingKeys:rotate", headers={"Authorization": f"Bearer {admin}"},
                                 json={"algorithm": "HS256"}), 400, "INVALID_ALGORITHM")
    # The key of tenant A cannot rotate tenant B's keys.
    assert_envelope(gateway.post(f"/tenant/{b}/api/v1/signingKeys:rotate",
                                 headers={"Authorization": f"Bearer {admin}"}, json={}), 403, "TENANT_MISMATCH")


async def test_the_verifier_helper_fetches_and_caches_a_tenants_jwks(
    stack: Any, new_tenant: Callable[..., dict[str, Any]]
) -> None:
    from services.common.tokens import HttpJwksSource

    tenant_id = new_tenant()["tenant_id"]
    issuer = f"{stack.public_url}/tenant/{tenant_id}"
    now = [0.0]
    source = HttpJwksSource(clock=lambda: now[0])
    keys = await source.keys(issuer)
    assert sorted(k["alg"] for k in keys) == ["ES256", "EdDSA", "RS256"]
    assert await source.keys(issuer) is keys  # cached (Cache-Control max-age)
    now[0] += 301
    assert await source.keys(issuer) is not keys  # expired: fetched again


def test_token_service_metrics_count_rotations_and_authorizations(
    stack: Any, gateway: httpx.Client, platform_headers: dict[str, str], new_tenant: Callable[..., dict[str, Any]]
) -> None:
    tenant_id = new_tenant()["tenant_id"]
    key = gateway.post(f"/api/v1/tenants/{tenant_id}/apiKeys", headers=platform_headers,
                       json={"scopes": ["tenants:read", "signing_keys:write"]}).json()["secret"]
    gateway.post("/api/v1/signingKeys:rotate", headers={"Authorization": f"Bearer {key}"}, json={})
    gateway.get(f"/tenant/{tenant_id}/oauth2/authorize", params={"client_id": "app_" + "0" * 24})
    text = "".join(httpx.get(f"http://127.0.0.1:{r.metrics_port}/metrics", timeout=5).text
                   for r in stack.replicas["token"])
    rotations = sum(float(line.split()[-1]) for line in text.splitlines()
                    if line.startswith("binoauth_signing_key_rotations_total"))
    assert rotations >= 1
    assert 'binoauth_authorization_requests_total{result="error_page"}' in text
