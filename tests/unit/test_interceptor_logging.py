"""The interceptor's log line and metrics: every RPC counted and logged."""

from __future__ import annotations

from typing import Any

import grpc
import pytest
import structlog
from grpc import aio
from prometheus_client import CollectorRegistry

from services.common.errors import NotFound
from services.common.interceptor import ServerInterceptor
from services.common.metrics import RpcMetrics

pytestmark = pytest.mark.unit

TOKEN = "/binoauth.token.v1.OAuthService/Token"


class FakeContext:
    def __init__(self) -> None:
        self.aborted: grpc.StatusCode | None = None

    def invocation_metadata(self) -> list[tuple[str, str]]:
        return [("x-request-id", "req-1")]

    def peer(self) -> str:
        return "ipv4:127.0.0.1:5000"

    def time_remaining(self) -> float | None:
        return None

    async def send_initial_metadata(self, metadata: Any) -> None:
        return None

    async def abort(self, code: grpc.StatusCode, message: str, trailing_metadata: Any = ()) -> None:
        self.aborted = code
        raise aio.AbortError()

    def code(self) -> grpc.StatusCode | None:
        return self.aborted


async def _ok(request: Any, context: Any) -> str:
    return "ok"


async def _missing(request: Any, context: Any) -> str:
    raise NotFound("no such thing")


async def _calls(method: str, behavior: Any, times: int = 1) -> tuple[list[dict[str, Any]], CollectorRegistry]:
    registry = CollectorRegistry()
    run = ServerInterceptor("test", RpcMetrics.create(registry))._wrap(method, behavior)
    with structlog.testing.capture_logs() as lines:
        for _ in range(times):
            try:
                await run(None, FakeContext())
            except aio.AbortError:
                pass
    return [line for line in lines if line.get("event") == "rpc"], registry


def _count(registry: CollectorRegistry, method: str, code: str) -> float:
    return registry.get_sample_value("binoauth_rpc_requests_total",
                                     {"service": "test", "method": method.rsplit("/", 1)[-1], "code": code}) or 0.0


async def test_a_successful_call_is_logged_and_counted() -> None:
    lines, registry = await _calls(TOKEN, _ok, times=3)
    assert [(line["method"], line["status"]) for line in lines] == [(TOKEN, "OK")] * 3
    assert _count(registry, TOKEN, "OK") == 3


async def test_a_failed_call_is_logged_and_counted() -> None:
    lines, registry = await _calls(TOKEN, _missing)
    assert [(line["method"], line["status"]) for line in lines] == [(TOKEN, "NOT_FOUND")]
    assert _count(registry, TOKEN, "NOT_FOUND") == 1
