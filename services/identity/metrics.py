"""Business metrics of the identity service."""

from __future__ import annotations

import structlog
from prometheus_client import CollectorRegistry, Counter, Gauge


def _tenant() -> str:
    # The interceptor binds the request's tenant into the log context; the per-tenant
    # counters feed the credential-stuffing alerts and the per-tenant dashboard.
    return str(structlog.contextvars.get_contextvars().get("tenant_id") or "")


class PromIdentityMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self._registrations = Counter("binoauth_registrations", "Users registered", registry=registry)
        self._logins = Counter("binoauth_logins", "Sign-in attempts by result", ["result"], registry=registry)
        self._lockouts = Counter("binoauth_lockouts", "Accounts temporarily locked", registry=registry)
        self._tenant_logins = Counter("binoauth_tenant_logins", "Sign-in attempts by tenant and result",
                                      ["tenant", "result"], registry=registry)
        self._tenant_lockouts = Counter("binoauth_tenant_lockouts", "Accounts temporarily locked, by tenant",
                                        ["tenant"], registry=registry)
        self._verifications = Counter("binoauth_verifications_sent", "Codes and links sent, by purpose", ["purpose"],
                                      registry=registry)
        self._deliveries = Counter("binoauth_messages", "Outbox deliveries of mail and SMS, by result "
                                   "(sent, retried, failed, expired, unreadable)", ["kind", "result"],
                                   registry=registry)
        self._pending = Gauge("binoauth_outbox_pending", "Messages and requests waiting in the outbox (sampled)",
                              registry=registry)
        self._oldest = Gauge("binoauth_outbox_oldest_seconds", "Age of the oldest message in the outbox (sampled)",
                             registry=registry)

    def registered(self) -> None:
        self._registrations.inc()

    def login(self, result: str) -> None:
        self._logins.labels(result).inc()
        self._tenant_logins.labels(_tenant(), result).inc()

    def locked_out(self) -> None:
        self._lockouts.inc()
        self._tenant_lockouts.labels(_tenant()).inc()

    def verification_sent(self, kind: str) -> None:
        self._verifications.labels(kind).inc()

    def message_delivery(self, kind: str, result: str) -> None:
        self._deliveries.labels(kind, result).inc()

    def outbox_backlog(self, pending: int, oldest_age_seconds: float) -> None:
        self._pending.set(pending)
        self._oldest.set(oldest_age_seconds)
