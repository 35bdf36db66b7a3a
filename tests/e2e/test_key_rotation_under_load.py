"""Rotating a tenant's ES256 access-token key while client_credentials tokens are issued and
verified with the shared helper (AccessTokenVerifier + HttpJwksSource): no failures."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import jwt
import pytest

from services.common.tokens import AccessTokenVerifier, HttpJwksSource, InvalidToken
from tests.e2e.test_oauth_client_credentials import make_app
from tools.stack import Stack

pytestmark = pytest.mark.e2e
ISSUERS = 6
ROTATIONS = 3


async def test_rotating_the_access_token_key_under_load_fails_nothing(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str],
    new_tenant: Callable[..., dict[str, Any]]
) -> None:
    tenant_id = str(new_tenant()["tenant_id"])
    client_id, secret = make_app(gateway, platform_headers, tenant_id)
    admin = gateway.post(f"/api/v1/tenants/{tenant_id}/apiKeys", headers=platform_headers,
                         json={"scopes": ["tenants:read", "signing_keys:write"]}).json()["secret"]
    issuer = f"{stack.public_url}/tenant/{tenant_id}"
    token_url = f"{stack.gateway_url}/tenant/{tenant_id}/oauth2/token"
    tokens: list[str] = []
    failures: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def issue() -> None:
        with httpx.Client(timeout=30) as client:
            while not stop.is_set():
                response = client.post(token_url, auth=(client_id, secret), data={
                    "grant_type": "client_credentials", "scope": "reports:read"})
                with lock:
                    if response.status_code == 200:
                        tokens.append(response.json()["access_token"])
                    else:
                        failures.append(f"issue {response.status_code}: {response.text[:200]}")

    verifier = AccessTokenVerifier(HttpJwksSource())
    verified = 0

    async def verify_until(count: int) -> None:
        nonlocal verified
        while verified < count:
            with lock:
                batch = tokens[verified:count] if count <= len(tokens) else tokens[verified:]
            if not batch:
                await asyncio.sleep(0.01)
                continue
            for token in batch:
                try:
                    claims = (await verifier.verify(token, issuer=issuer, audience=None)).claims
                    assert claims["client_id"] == client_id
                except InvalidToken as error:
                    failures.append(f"verify: {error} (kid {jwt.get_unverified_header(token)['kid']})")
                verified += 1

    threads = [threading.Thread(target=issue) for _ in range(ISSUERS)]
    for thread in threads:
        thread.start()
    try:
        kids = set()
        for _ in range(ROTATIONS):
            await asyncio.sleep(1.0)
            with lock:
                seen = len(tokens)
            await verify_until(seen)  # verification runs while the next rotation happens
            rotated = await asyncio.to_thread(gateway.post, "/api/v1/signingKeys:rotate",
                                              headers={"Authorization": f"Bearer {admin}"},
                                              json={"algorithm": "ES256"})
            assert rotated.status_code == 200, rotated.text
            kids |= {k["kid"] for k in rotated.json()["signing_keys"] if k["algorithm"] == "ES256"}
        await asyncio.sleep(1.0)
    finally:
        stop.set()
        for thread in threads:
            await asyncio.to_thread(thread.join)
    deadline = time.monotonic() + 60
    await verify_until(len(tokens))
    assert time.monotonic() < deadline
    assert failures == [], failures[:10]
    used = {jwt.get_unverified_header(t)["kid"] for t in tokens}
    assert len(tokens) > 100 and verified == len(tokens)
    assert len(used) == ROTATIONS + 1, used  # every key signed some of them
    assert used <= kids | used
