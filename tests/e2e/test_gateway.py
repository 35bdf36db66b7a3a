"""Gateway behaviour a REST client relies on: envelopes for bad input, request ids, load
balancing and failover across replicas."""

from __future__ import annotations

import json
import signal
import threading
import time
import uuid

import httpx
import pytest

from tests.e2e.helpers import assert_envelope, unique_id
from tools.stack import Stack

pytestmark = pytest.mark.e2e


def test_malformed_and_unknown_input_gets_400_envelopes(
    gateway: httpx.Client, platform_headers: dict[str, str]
) -> None:
    headers = {**platform_headers, "Content-Type": "application/json"}
    truncated = gateway.post("/api/v1/tenants", headers=headers, content=b'{"tenant_id": ')
    assert_envelope(truncated, 400, "INVALID_ARGUMENT")
    assert_envelope(gateway.post("/api/v1/tenants", headers=headers, content=b'{"tenant_id": 5}'), 400)
    assert_envelope(gateway.post("/api/v1/tenants", headers=headers, content=b'[1,2]'), 400)
    assert_envelope(gateway.get("/api/v1/tenants", params={"nope": "1"}, headers=platform_headers), 400)


def test_unknown_body_fields_are_refused_and_nothing_is_created(
    gateway: httpx.Client, platform_headers: dict[str, str]
) -> None:
    """Envoy's transcoder drops unknown JSON fields silently; the gateway's descriptor-generated
    field check refuses them instead, also nested ones."""
    headers = {**platform_headers, "Content-Type": "application/json"}
    tenant_id = unique_id()
    body = b'{"tenant_id": "%s", "evil": 1}' % tenant_id.encode()
    top = gateway.post("/api/v1/tenants", headers=headers, content=body)
    assert "evil" in assert_envelope(top, 400, "INVALID_ARGUMENT")["message"]
    nested = gateway.post("/api/v1/tenants", headers=headers,
                          json={"tenant_id": tenant_id, "settings": {"tokens": {"bogus": 1}}})
    assert_envelope(nested, 400, "INVALID_ARGUMENT")
    camel = gateway.post("/api/v1/tenants", headers=headers, json={"tenantId": tenant_id, "displayName": "Camel"})
    assert camel.status_code == 200, camel.text
    gateway.delete(f"/api/v1/tenants/{tenant_id}", headers=platform_headers)


def test_oversize_body_gets_413_envelope(gateway: httpx.Client, platform_headers: dict[str, str]) -> None:
    body = json.dumps({"tenant_id": "big", "display_name": "x" * (2 * 1024 * 1024)})
    response = gateway.post("/api/v1/tenants", headers={**platform_headers, "Content-Type": "application/json"},
                            content=body)
    assert_envelope(response, 413, "PAYLOAD_TOO_LARGE")


def test_unknown_path_and_internal_services_get_404(gateway: httpx.Client) -> None:
    assert_envelope(gateway.get("/api/v1/nothing-here"), 404, "NOT_FOUND")
    assert_envelope(gateway.get("/"), 404, "NOT_FOUND")
    # Internal RPCs are not reachable through the gateway, neither transcoded nor raw.
    raw = gateway.post("/binoauth.tenant.v1.TenantInternalService/AuthenticateCredential",
                       headers={"content-type": "application/grpc"}, content=b"\x00\x00\x00\x00\x00")
    # Envoy's router has no route for the raw gRPC path, so it answers as a gRPC server
    # would for an unknown method: HTTP 200 with grpc-status 12 (UNIMPLEMENTED).
    assert raw.status_code == 200
    assert raw.headers.get("grpc-status") == "12"


def test_request_id_is_echoed_and_logged(stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str]) -> None:
    request_id = str(uuid.uuid4())
    response = gateway.get("/api/v1/tenants", headers={**platform_headers, "X-Request-Id": request_id})
    assert response.headers["x-request-id"] == request_id
    generated = gateway.get("/api/v1/tenants", headers=platform_headers).headers["x-request-id"]
    assert generated and generated != request_id
    deadline = time.monotonic() + 5
    lines: list[dict[str, object]] = []
    while time.monotonic() < deadline and not lines:
        lines = [json.loads(line) for line in stack.log_lines()
                 if request_id in line and line.startswith("{")]
        time.sleep(0.1)
    rpc_lines = [line for line in lines if line.get("message") == "rpc"]
    assert rpc_lines, "the service's RPC log line carries the request id"
    assert rpc_lines[0]["method"] == "/binoauth.tenant.v1.TenantService/ListTenants"
    assert rpc_lines[0]["status"] == "OK" and "duration_ms" in rpc_lines[0]


def test_no_secret_reaches_a_log_line(stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str]) -> None:
    key = gateway.post("/api/v1/apiKeys", headers=platform_headers,
                       json={"display_name": "logged?", "scopes": ["tenants:read"]}).json()["secret"]
    gateway.get("/api/v1/tenants", headers={"Authorization": f"Bearer {key}"})
    gateway.post("/api/v1/admin/login", json={"email": "x@example.com", "password": "hunter2-very-secret"})
    time.sleep(0.5)
    text = "\n".join(stack.log_lines())
    assert key not in text
    assert stack.bootstrap_api_key not in text
    assert "hunter2-very-secret" not in text


def _replicas_seen(stack: Stack, request_ids: set[str]) -> set[str]:
    seen = set()
    for replica in stack.replicas["tenant"]:
        text = replica.log_file.read_text(errors="replace")
        if any(rid in text for rid in request_ids):
            seen.add(replica.name)
    return seen


def test_requests_are_spread_over_both_replicas(stack: Stack, gateway: httpx.Client,
                                                 platform_headers: dict[str, str]) -> None:
    ids = {f"spread-{uuid.uuid4()}" for _ in range(20)}
    for rid in ids:
        assert gateway.get("/api/v1/tenants", headers={**platform_headers, "X-Request-Id": rid}).status_code == 200
    time.sleep(0.3)
    assert _replicas_seen(stack, ids) == {"tenant-0", "tenant-1"}


def _burst(gateway_url: str, headers: dict[str, str], make_request: str, seconds: float) -> list[int]:
    statuses: list[int] = []
    stop = time.monotonic() + seconds

    def worker() -> None:
        with httpx.Client(base_url=gateway_url, timeout=30) as client:
            while time.monotonic() < stop:
                if make_request == "get":
                    response = client.get("/api/v1/tenants", headers=headers)
                else:
                    response = client.post("/api/v1/apiKeys", headers=headers,
                                           json={"display_name": unique_id("burst"), "scopes": ["tenants:read"]})
                statuses.append(response.status_code)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _restart(stack: Stack, index: int) -> None:
    replica = stack.replicas["tenant"][index]
    stack.start_replica(replica)
    stack.wait_serving(replica)
    stack.wait_replica_state("tenant", index, healthy=True)


@pytest.mark.parametrize("sig, kind", [(signal.SIGKILL, "get"), (signal.SIGTERM, "post")])
def test_killing_a_replica_under_load_loses_no_request(
    stack: Stack, platform_headers: dict[str, str], sig: int, kind: str
) -> None:
    """SIGKILL: idempotent reads are retried on the other replica. SIGTERM: the replica
    reports NOT_SERVING, drains, and finishes what it has, so even writes all succeed."""
    results: list[int] = []
    runner = threading.Thread(target=lambda: results.extend(_burst(stack.gateway_url, platform_headers, kind, 4.0)))
    runner.start()
    time.sleep(1.0)
    stack.kill_replica("tenant", 0, sig)
    runner.join()
    try:
        assert len(results) > 20
        failures = [s for s in results if s != 200]
        assert failures == [], f"{len(failures)} of {len(results)} failed: {sorted(set(failures))}"
    finally:
        _restart(stack, 0)


def test_metrics_count_rpcs_by_method_and_code(stack: Stack, gateway: httpx.Client,
                                               platform_headers: dict[str, str]) -> None:
    gateway.get("/api/v1/tenants/does-not-exist", headers=platform_headers)
    text = ""
    for replica in stack.replicas["tenant"]:
        text += httpx.get(f"http://127.0.0.1:{replica.metrics_port}/metrics", timeout=5).text
    assert 'binoauth_rpc_requests_total{code="NOT_FOUND",method="GetTenant",service="tenant"}' in text
    assert "binoauth_rpc_duration_seconds_bucket" in text


def test_envoy_stats_are_scrapable_but_the_admin_api_is_not_exposed(stack: Stack) -> None:
    stats = f"http://127.0.0.1:{stack.stats_port}"
    scraped = httpx.get(f"{stats}/stats/prometheus", timeout=5)
    assert scraped.status_code == 200 and "envoy_cluster_upstream_rq" in scraped.text
    for method, path in (("POST", "/quitquitquit"), ("GET", "/clusters"), ("GET", "/config_dump"),
                         ("POST", "/stats/prometheus")):
        assert httpx.request(method, f"{stats}{path}", timeout=5).status_code == 404
