"""prometheus-client metrics, one registry per server, exposed on a separate port."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Histogram, start_http_server

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


@dataclass(frozen=True)
class RpcMetrics:
    """Counts and times every RPC by method and gRPC status code."""

    requests: Counter
    latency: Histogram

    @classmethod
    def create(cls, registry: CollectorRegistry) -> RpcMetrics:
        return cls(
            requests=Counter(
                "binoauth_rpc_requests", "RPCs handled, by method and gRPC code",
                ["service", "method", "code"], registry=registry,
            ),
            latency=Histogram(
                "binoauth_rpc_duration_seconds", "RPC handling time, by method",
                ["service", "method"], buckets=_LATENCY_BUCKETS, registry=registry,
            ),
        )

    def observe(self, service: str, method: str, code: str, seconds: float) -> None:
        self.requests.labels(service, method, code).inc()
        self.latency.labels(service, method).observe(seconds)


def serve_metrics(registry: CollectorRegistry, host: str, port: int) -> None:
    """Starts the /metrics HTTP endpoint in a daemon thread. Port 0 disables it."""
    if port:
        start_http_server(port, addr=host, registry=registry)
