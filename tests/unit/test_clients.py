"""services.common.clients: gRPC targets and request id propagation."""

from __future__ import annotations

import pytest
import structlog

from services.common.clients import ServiceChannels, grpc_target, outgoing_metadata

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("address", "target"), [
    ("127.0.0.1:50051", "127.0.0.1:50051"),
    ("127.0.0.1:50051,127.0.0.1:50061", "ipv4:127.0.0.1:50051,127.0.0.1:50061"),
    ("10.0.0.1:1,10.0.0.2:2,10.0.0.3:3", "ipv4:10.0.0.1:1,10.0.0.2:2,10.0.0.3:3"),
    ("dns:///tenant.binoauth.svc.cluster.local:50051", "dns:///tenant.binoauth.svc.cluster.local:50051"),
    ("tenant:50051", "tenant:50051"),
    ("localhost:50051", "localhost:50051"),
    ("ipv4:127.0.0.1:1,127.0.0.1:2", "ipv4:127.0.0.1:1,127.0.0.1:2"),
    ("unix:///tmp/grpc.sock", "unix:///tmp/grpc.sock"),
])
def test_grpc_target(address: str, target: str) -> None:
    assert grpc_target(address) == target


def test_ip_list_is_never_double_prefixed() -> None:
    target = grpc_target("127.0.0.1:1,127.0.0.1:2")
    assert grpc_target(target) == target


def test_unknown_service_has_no_channel() -> None:
    channels = ServiceChannels({"tenant": "127.0.0.1:1"})
    with pytest.raises(KeyError, match="identity"):
        channels.channel("identity")


def test_outgoing_metadata_carries_request_id() -> None:
    structlog.contextvars.clear_contextvars()
    try:
        assert outgoing_metadata() == ()
        structlog.contextvars.bind_contextvars(request_id="req-7")
        assert outgoing_metadata() == (("x-request-id", "req-7"),)
    finally:
        structlog.contextvars.clear_contextvars()
