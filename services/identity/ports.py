"""The small interfaces the identity use cases depend on (implemented over gRPC, Redis, SMTP)."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from services.identity.events import EventType


@dataclass(frozen=True)
class StartedSession:
    session_id: str
    secret: str  # the cookie value
    max_age_seconds: int


@dataclass(frozen=True)
class CurrentSession:
    session_id: str
    user_id: str
    amr: tuple[str, ...]


class SessionGateway(Protocol):
    """The session service's internal RPCs."""

    async def create(self, tenant_id: str, user_id: str, amr: list[str], ip_address: str,
                     user_agent: str) -> StartedSession: ...
    async def validate(self, tenant_id: str, secret: str) -> CurrentSession | None: ...
    async def revoke(self, tenant_id: str, session_id: str) -> None: ...
    async def revoke_user(self, tenant_id: str, user_id: str, except_session_id: str = "") -> int: ...


class Outbox(Protocol):
    """Queues templated mail and SMS durably; returns once the message cannot be lost, without
    waiting for (or revealing) its delivery."""

    async def mail(self, template: str, *, tenant_id: str, tenant_name: str, to: str, links: dict[str, str],
                   values: dict[str, str], language: str = "") -> None:
        """`language`: the mail's (templates.mail_language); "" is English."""
        ...

    async def sms(self, to: str, text: str, *, tenant_id: str) -> None: ...

    async def defer(self, request: str, *, tenant_id: str, values: dict[str, str]) -> None:
        """Queues a request for its registered handler, run in the background."""
        ...


@dataclass(frozen=True)
class QueuedMessage:
    message_id: str
    tenant_id: str
    kind: str  # "mail", "sms" or "request"
    label: str  # template or request name, for logs; never the content
    payload: bytes  # sealed: messages carry codes and sign-in links
    attempts: int  # delivery attempts so far, including a claimed one
    expires_at: datetime


class OutboxStore(Protocol):
    """Where queued messages wait; shared by every replica."""

    async def add(self, message: QueuedMessage, now: datetime) -> None: ...

    async def claim(self, now: datetime, lease: timedelta, limit: int) -> list[QueuedMessage]:
        """Due messages, each claimed by one caller only: hidden from others for `lease`."""
        ...

    async def delete(self, message_id: str) -> None: ...
    async def reschedule(self, message_id: str, at: datetime) -> None: ...
    async def purge_tenant(self, tenant_id: str) -> int: ...

    async def backlog(self) -> tuple[int, datetime | None]:
        """How many messages wait (due or not), and when the oldest was queued."""
        ...


class Guess(Protocol):
    """One attempt on an account under its brute-force protection (see lockout.py): settle
    it once, right after the check."""

    @property
    def admitted(self) -> bool:
        """False while the account is locked: do not check the secret (answer like a wrong one)."""
        ...

    async def failed(self) -> float:
        """Counts the attempt as a failure (unless refused); returns how long to hold the answer."""
        ...

    async def succeeded(self) -> None:
        """The secret was right: forgives the failures."""
        ...

    async def released(self) -> None:
        """Neither: the attempt's slot back, nothing counted nor forgiven."""
        ...


class Lockout(Protocol):
    """Brute-force protection per account (subject) and tenant policy."""

    def attempt(self, tenant_id: str, subject: str, policy: dict[str, Any]) -> AbstractAsyncContextManager[Guess]:
        """Reserves a slot for one check before the secret is checked, so that parallel
        guesses never exceed the budget, and waits while every slot is held by attempts
        being checked; leaving the block unsettled releases the slot."""
        ...

    async def is_locked(self, tenant_id: str, subject: str) -> bool: ...
    async def unlock(self, tenant_id: str, subject: str) -> None: ...


class IdentityMetrics(Protocol):
    def registered(self) -> None: ...
    def login(self, result: str) -> None: ...
    def locked_out(self) -> None: ...
    def verification_sent(self, kind: str) -> None: ...


class EventRecorder(Protocol):
    """Security events (services/identity/events.py): recording never raises."""

    async def record(self, tenant_id: str, event_type: EventType, *, user_id: str = "", **details: Any) -> None: ...
