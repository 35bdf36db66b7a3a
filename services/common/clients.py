"""gRPC channels to the other services, balanced round-robin over their replicas."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

import structlog
from grpc import aio

from services.common import tracing

_HOSTPORT_LIST = re.compile(r"^[\w.\-]+:\d+(,[\w.\-]+:\d+)*$")

# Round robin over the replicas, and a call answered UNAVAILABLE is tried again (at most twice
# more, on the next replicas): a replica answers so while it stops, or when its connection just
# went away, or when it cannot reach a datastore, and "try again" is what that status asks of
# the caller anyway. A rolling restart must cost the caller nothing. Deadlines and the call's own
# errors are never retried.
SERVICE_CONFIG = json.dumps({
    "loadBalancingConfig": [{"round_robin": {}}],
    "methodConfig": [{
        "name": [{}],
        "retryPolicy": {"maxAttempts": 3, "initialBackoff": "0.05s", "maxBackoff": "0.5s",
                        "backoffMultiplier": 2, "retryableStatusCodes": ["UNAVAILABLE"]},
    }],
})


def grpc_target(address: str) -> str:
    """A list of IPv4 "ip:port" pairs becomes a static list that gRPC balances over; for
    host names use "dns:///name:port" (a headless Service in Kubernetes resolves to every
    pod). Anything else is passed through unchanged."""
    if _HOSTPORT_LIST.match(address) and "," in address:
        if all(re.match(r"^[\d.]+:\d+$", part) for part in address.split(",")):
            return "ipv4:" + address
    return address


class ServiceChannels:
    """One lazily created channel per service, shared by every caller in the process."""

    def __init__(self, addresses: Mapping[str, str]) -> None:
        self._addresses = dict(addresses)
        self._channels: dict[str, aio.Channel] = {}

    def channel(self, service: str) -> aio.Channel:
        if service not in self._channels:
            address = self._addresses.get(service)
            if not address:
                raise KeyError(f"no address configured for service {service!r}")
            self._channels[service] = aio.insecure_channel(
                grpc_target(address),
                # Carry the W3C trace context to the next service (none when tracing is off).
                interceptors=tracing.client_interceptors() or None,
                options=[
                    ("grpc.service_config", SERVICE_CONFIG),
                    ("grpc.enable_retries", 1),
                    ("grpc.keepalive_time_ms", 30000),
                ],
            )
        return self._channels[service]

    async def close(self) -> None:
        for channel in self._channels.values():
            await channel.close()
        self._channels.clear()


def outgoing_metadata() -> tuple[tuple[str, str], ...]:
    """Carries the current request id to the next service so one id spans the whole call."""
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    return (("x-request-id", str(request_id)),) if request_id else ()
