"""services.common.clients against real gRPC servers on loopback: a replica that refuses calls
with UNAVAILABLE (as one does while it stops) costs the caller nothing when another replica
answers; the call is retried there. Seen in the rolling-restart fault test: a sign-in failed
with SESSION_SERVICE_UNAVAILABLE when its CreateSession met a session replica mid-stop."""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import pytest
from grpc import aio
from grpc_health.v1 import health_pb2, health_pb2_grpc

from services.common.clients import ServiceChannels

pytestmark = pytest.mark.integration


class Refusing(health_pb2_grpc.HealthServicer):
    """A replica on its way down: every call is refused."""

    def __init__(self) -> None:
        self.calls = 0

    async def Check(self, request: health_pb2.HealthCheckRequest, context: aio.ServicerContext) -> None:  # type: ignore[override]
        self.calls += 1
        await context.abort(grpc.StatusCode.UNAVAILABLE, "shutting down")


class Answering(health_pb2_grpc.HealthServicer):
    async def Check(  # type: ignore[override]
        self, request: health_pb2.HealthCheckRequest, context: aio.ServicerContext,
    ) -> health_pb2.HealthCheckResponse:
        return health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVING)


async def serve(servicer: health_pb2_grpc.HealthServicer) -> tuple[aio.Server, int]:
    server = aio.server()
    health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    return server, port


@pytest.fixture
async def replicas() -> AsyncIterator[tuple[Refusing, str]]:
    refusing = Refusing()
    down, down_port = await serve(refusing)
    up, up_port = await serve(Answering())
    try:
        yield refusing, f"127.0.0.1:{down_port},127.0.0.1:{up_port}"
    finally:
        await down.stop(None)
        await up.stop(None)


async def test_a_call_refused_by_a_stopping_replica_is_answered_by_another(replicas: tuple[Refusing, str]) -> None:
    refusing, address = replicas
    channels = ServiceChannels({"session": address})
    try:
        stub = health_pb2_grpc.HealthStub(channels.channel("session"))
        for _ in range(20):
            reply = await stub.Check(health_pb2.HealthCheckRequest(), timeout=5)
            assert reply.status == health_pb2.HealthCheckResponse.SERVING
        assert refusing.calls > 0  # round robin did reach the stopping replica
    finally:
        await channels.close()
