"""One sign-in is one trace: Envoy starts it, the identity service continues it, and its calls
to the session service (and Envoy's rate-limit decision) are spans of the same trace, with the
tenant as an attribute and no secret anywhere. Spans reach a real OTLP/gRPC receiver that this
test runs; the services are configured by the standard OTEL_* variables only. The log lines of
the sign-in carry the same trace id."""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from concurrent import futures
from pathlib import Path
from typing import Any

import grpc
import httpx
import pytest
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc

from tests.e2e.helpers import unique_id
from tools.stack import Stack, StackConfig

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery staple"


class Receiver(trace_service_pb2_grpc.TraceServiceServicer):
    """An OTLP trace receiver: keeps every span with its service name."""

    def __init__(self) -> None:
        self.spans: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def Export(self, request: Any, context: Any) -> Any:
        with self._lock:
            for resource_spans in request.resource_spans:
                attributes = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
                for scope in resource_spans.scope_spans:
                    for span in scope.spans:
                        self.spans.append({
                            "service": attributes.get("service.name", ""), "name": span.name,
                            "trace_id": span.trace_id.hex(), "span_id": span.span_id.hex(),
                            "parent": span.parent_span_id.hex(),
                            "attributes": {a.key: _value(a.value) for a in span.attributes},
                        })
        return trace_service_pb2.ExportTraceServiceResponse()

    def snapshot(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.spans)


def _value(value: Any) -> Any:
    kind = value.WhichOneof("value")
    return getattr(value, kind) if kind else None


@pytest.fixture(scope="module")
def traced(server_dir: Callable[[str], Path]) -> Iterator[tuple[Stack, Receiver]]:
    receiver = Receiver()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    trace_service_pb2_grpc.add_TraceServiceServicer_to_server(receiver, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    config = StackConfig(
        data_dir=server_dir("traced"), free_ports=True, durable=False, drain_seconds=0.5, replicas=1,
        bootstrap_api_key="bino_test_" + secrets.token_urlsafe(32), otlp_endpoint=f"127.0.0.1:{port}",
        extra_env={"BINOAUTH_RATE_LIMIT_SCALE": "1000"},
    )
    try:
        with Stack(config) as stack:
            yield stack, receiver
    finally:
        server.stop(0)


def test_one_sign_in_is_one_trace_across_envoy_identity_and_session(traced: tuple[Stack, Receiver]) -> None:
    stack, receiver = traced
    platform = {"Authorization": f"Bearer {stack.bootstrap_api_key}"}
    with httpx.Client(base_url=stack.gateway_url, timeout=30) as gateway:
        tenant = unique_id("trace")
        assert gateway.post("/api/v1/tenants", json={"tenant_id": tenant}, headers=platform).status_code == 200
        email = f"{unique_id('u')}@example.com"
        created = gateway.post(f"/tenant/{tenant}/api/v1/users", headers=platform, json={
            "user": {"email": email}, "password": PASSWORD, "email_verified": True})
        assert created.status_code == 200, created.text
        login = gateway.post(f"/tenant/{tenant}/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert login.status_code == 200, login.text
        request_id = login.headers["x-request-id"]
        session_cookie = login.cookies.get("binoauth_session") or ""

    def sign_in_trace() -> list[dict[str, Any]]:
        spans = receiver.snapshot()
        roots = [s for s in spans if s["service"] == "binoauth-identity" and s["name"].endswith("/Login")]
        if not roots:
            return []
        trace_id = roots[-1]["trace_id"]
        found = [s for s in spans if s["trace_id"] == trace_id]
        services = {s["service"] for s in found}
        return found if {"binoauth-gateway", "binoauth-identity", "binoauth-session"} <= services else []

    deadline = time.monotonic() + 30
    spans: list[dict[str, Any]] = []
    while time.monotonic() < deadline and not spans:
        spans = sign_in_trace()
        time.sleep(0.3)
    assert spans, f"no complete sign-in trace; services seen: {sorted({s['service'] for s in receiver.snapshot()})}"
    by_service: dict[str, list[dict[str, Any]]] = {}
    for span in spans:
        by_service.setdefault(span["service"], []).append(span)
    login_span = next(s for s in by_service["binoauth-identity"] if s["name"].endswith("/Login"))
    assert login_span["attributes"].get("binoauth.tenant_id") == tenant
    assert login_span["attributes"].get("binoauth.request_id") == request_id
    # The identity service's own call continues the trace in the session service.
    session_names = {s["name"] for s in by_service["binoauth-session"]}
    assert any(name.endswith("/CreateSession") for name in session_names), session_names
    # Envoy's span is the parent of the chain.
    # Envoy's request span is the root (exported when the request ends, in batches).
    def root() -> dict[str, Any] | None:
        return next((s for s in receiver.snapshot() if s["span_id"] == login_span["parent"]), None)

    deadline = time.monotonic() + 15
    while root() is None and time.monotonic() < deadline:
        time.sleep(0.3)
    envoy_span = root()
    assert envoy_span is not None and envoy_span["service"] == "binoauth-gateway", "identity's parent is not Envoy's"
    assert envoy_span["trace_id"] == login_span["trace_id"] and not envoy_span["parent"]
    # The rate-limit decision is a span of its own inside the serving RPC (group login).
    decision = [s for s in by_service["binoauth-identity"] if s["name"] == "ratelimit"]
    assert [(s["parent"], s["attributes"].get("binoauth.group")) for s in decision] == [
        (login_span["span_id"], "login")], decision
    text = json.dumps(spans)
    for secret in (PASSWORD, session_cookie, stack.bootstrap_api_key):
        assert not secret or secret not in text, "a secret reached a span"
    # The identity service's log lines of this RPC carry the trace id.
    log = (stack.logs / "identity-0.log").read_text()
    lines = [json.loads(line) for line in log.splitlines() if request_id in line and line.startswith("{")]
    assert lines and all(line.get("trace_id") == login_span["trace_id"] for line in lines), lines[:3]
    assert all({"timestamp", "level", "message", "request_id", "tenant_id", "ip_address", "user_agent"} <= set(line)
               for line in lines), lines[:3]
    rpc = [line for line in lines if line.get("message") == "rpc" and line.get("method", "").endswith("/Login")]
    assert rpc and rpc[-1]["user_id"] and rpc[-1]["duration_ms"] >= 0 and rpc[-1]["status"] == "OK", rpc
