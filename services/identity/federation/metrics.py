"""Metrics of sign-ins through external providers, labelled by provider type (bounded: the
provider ids are the tenants' own and would grow without limit)."""

from __future__ import annotations

from typing import Protocol

from prometheus_client import CollectorRegistry, Counter, Histogram


class FederationMetrics(Protocol):
    def started(self, provider_type: str) -> None: ...
    def succeeded(self, provider_type: str) -> None: ...
    def failed(self, provider_type: str, reason: str) -> None: ...
    def upstream(self, provider_type: str, call: str, seconds: float) -> None: ...


class PromFederationMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self._started = Counter("binoauth_federated_signins_started", "Sign-ins sent to an external provider",
                                ["provider_type"], registry=registry)
        self._succeeded = Counter("binoauth_federated_signins_succeeded", "Sign-ins back from a provider that "
                                  "signed a user in (or reached the MFA step)", ["provider_type"], registry=registry)
        self._failed = Counter("binoauth_federated_signins_failed", "Sign-ins back from a provider that failed, by "
                               "reason", ["provider_type", "reason"], registry=registry)
        self._latency = Histogram("binoauth_federation_upstream_seconds", "Time of calls to external providers",
                                  ["provider_type", "call"], registry=registry,
                                  buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10))

    def started(self, provider_type: str) -> None:
        self._started.labels(provider_type).inc()

    def succeeded(self, provider_type: str) -> None:
        self._succeeded.labels(provider_type).inc()

    def failed(self, provider_type: str, reason: str) -> None:
        self._failed.labels(provider_type, reason).inc()

    def upstream(self, provider_type: str, call: str, seconds: float) -> None:
        self._latency.labels(provider_type, call).observe(seconds)


class NoMetrics:
    def started(self, provider_type: str) -> None:
        pass

    def succeeded(self, provider_type: str) -> None:
        pass

    def failed(self, provider_type: str, reason: str) -> None:
        pass

    def upstream(self, provider_type: str, call: str, seconds: float) -> None:
        pass
