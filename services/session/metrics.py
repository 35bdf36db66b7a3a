"""Business metrics of the session service."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge


class PromSessionMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self._created = Counter("binoauth_sessions_created", "Sessions started", registry=registry)
        self._revoked = Counter("binoauth_sessions_revoked", "Sessions and tokens revoked, by reason",
                                ["reason"], registry=registry)
        self._checks = Counter("binoauth_revocation_checks", "Token revocation checks, by result",
                               ["result"], registry=registry)
        self.active = Gauge("binoauth_sessions_active", "Live sessions (sampled from PostgreSQL)",
                            registry=registry)

    def created(self) -> None:
        self._created.inc()

    def revoked(self, reason: str, count: int = 1) -> None:
        self._revoked.labels(reason).inc(count)

    def token_checked(self, revoked: bool) -> None:
        self._checks.labels("revoked" if revoked else "valid").inc()
