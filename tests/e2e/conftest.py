"""The whole stack (PostgreSQL, Redis, 4 services x 2 replicas, Envoy) for the e2e tier."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.helpers import unique_id
from tools.stack import Stack, StackConfig


@pytest.fixture(scope="session")
def stack(server_dir: Callable[[str], Path]) -> Iterator[Stack]:
    config = StackConfig(
        data_dir=server_dir("stack"), free_ports=True, durable=False, drain_seconds=3.0,
        bootstrap_api_key="bino_test_" + secrets.token_urlsafe(32),
        # Every test client shares 127.0.0.1: raise the platform defaults (tenant overrides
        # still apply); tests/e2e/test_rate_limits.py runs its own stack with the real ones.
        # Applications' jwks_uri in these tests point at loopback servers.
        extra_env={"BINOAUTH_RATE_LIMIT_SCALE": "1000", "BINOAUTH_OUTBOUND_ALLOW_PRIVATE": "true"},
    )
    with Stack(config) as running:
        yield running


@pytest.fixture(scope="session")
def gateway(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.gateway_url, timeout=30) as client:
        yield client


@pytest.fixture(scope="session")
def platform_headers(stack: Stack) -> dict[str, str]:
    return {"Authorization": f"Bearer {stack.bootstrap_api_key}"}


@pytest.fixture
def new_tenant(gateway: httpx.Client, platform_headers: dict[str, str]) -> Iterator[Callable[..., dict[str, Any]]]:
    """Creates tenants for one test and deletes whatever is left of them afterwards."""
    created: list[str] = []

    def make(**fields: Any) -> dict[str, Any]:
        body = {"tenant_id": unique_id(), **fields}
        response = gateway.post("/api/v1/tenants", json=body, headers=platform_headers)
        assert response.status_code == 200, response.text
        created.append(body["tenant_id"])
        return dict(response.json())

    yield make
    for tenant_id in created:
        gateway.delete(f"/api/v1/tenants/{tenant_id}", headers=platform_headers)


CHROMIUM = "/usr/bin/chromium"
# tools.md: `playwright install` cannot download here; the Debian package is the browser.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """The system Chromium under Playwright, for one browser test module at a time (Playwright's
    sync API must not stay up while other modules' tests run their event loops)."""
    if not os.path.exists(CHROMIUM):
        # In CI a missing browser is a broken set-up: the browser tests must run, not skip.
        message = f"{CHROMIUM} is missing (Debian package 'chromium'; .ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
