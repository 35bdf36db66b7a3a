"""Security events: what happened to a tenant's accounts, for its administrators (what
Auth0 calls logs and Keycloak events). Sign-ins and their failures, lockouts, password, email
and MFA changes, and administrators' actions on users.

Recording never fails the action it describes: a database hiccup loses the event (logged),
not the user's sign-in. Events are kept for the retention period; each insert prunes its
tenant's expired events now and then, so no sweep over thousands of schemas is needed."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

import structlog

from services.common import analytics as counters
from services.common.analytics import Analytics, NoAnalytics
from services.common.context import current_actor, current_request_or_none
from services.common.errors import InvalidArgument
from services.common.pagination import decode_page_token, encode_page_token, page_size
from services.common.settings import SettingsError
from services.common.timestamps import Clock, utcnow

_log = structlog.get_logger("events")
# One insert in PRUNE_EVERY (on average) also deletes the tenant's expired events.
PRUNE_EVERY = 100
MAX_DETAIL = 256


class EventType(StrEnum):
    SIGNED_UP = "SIGNED_UP"
    EMAIL_VERIFIED = "EMAIL_VERIFIED"
    LOGIN_SUCCEEDED = "LOGIN_SUCCEEDED"
    LOGIN_FAILED = "LOGIN_FAILED"
    MFA_FAILED = "MFA_FAILED"
    LOGGED_OUT = "LOGGED_OUT"
    PASSWORD_CHANGED = "PASSWORD_CHANGED"  # noqa: S105 - an event name
    PASSWORD_RESET = "PASSWORD_RESET"  # noqa: S105 - an event name
    EMAIL_CHANGED = "EMAIL_CHANGED"
    PHONE_VERIFIED = "PHONE_VERIFIED"
    MFA_ENABLED = "MFA_ENABLED"
    MFA_DISABLED = "MFA_DISABLED"
    USER_CREATED = "USER_CREATED"
    USER_UPDATED = "USER_UPDATED"
    USER_DELETED = "USER_DELETED"
    USER_DISABLED = "USER_DISABLED"
    USER_ENABLED = "USER_ENABLED"
    USER_UNLOCKED = "USER_UNLOCKED"
    USER_MFA_RESET = "USER_MFA_RESET"
    # External identity providers (services/identity/federation).
    IDENTITY_LINKED = "IDENTITY_LINKED"
    IDENTITY_UNLINKED = "IDENTITY_UNLINKED"
    IDENTITY_PROVIDER_CHANGED = "IDENTITY_PROVIDER_CHANGED"
    # Reported by the token service (IdentityInternalService.RecordEvent).
    REFRESH_TOKEN_REUSED = "REFRESH_TOKEN_REUSED"  # noqa: S105 - an event name
    AUTHORIZATION_CODE_REUSED = "AUTHORIZATION_CODE_REUSED"
    CONSENT_GRANTED = "CONSENT_GRANTED"
    CONSENT_REVOKED = "CONSENT_REVOKED"
    CLIENT_AUTH_FAILED = "CLIENT_AUTH_FAILED"


# The events the analytics API counts (services/common/analytics.py).
_COUNTED = {EventType.LOGIN_SUCCEEDED: counters.SIGN_INS_SUCCEEDED, EventType.LOGIN_FAILED: counters.SIGN_INS_FAILED,
            EventType.SIGNED_UP: counters.SIGN_UPS}


@dataclass(frozen=True)
class SecurityEvent:
    event_id: str
    type: str
    create_time: datetime
    user_id: str = ""
    ip_address: str = ""
    user_agent: str = ""
    actor: str = ""
    details: dict[str, str] = field(default_factory=dict)


class EventStore(Protocol):
    async def add(self, tenant_id: str, event: SecurityEvent) -> None: ...
    async def prune(self, tenant_id: str, before: datetime) -> int: ...

    async def list(self, tenant_id: str, *, user_id: str, event_type: str, after: tuple[datetime, str] | None,
                   limit: int, start: datetime | None = None, end: datetime | None = None) -> list[SecurityEvent]:
        """Newest first, strictly after the (create_time, event_id) cursor, in [start, end)."""
        ...


class EventLog:
    def __init__(self, store: EventStore, retention: timedelta, clock: Clock = utcnow,
                 chance: Callable[[], float] = random.random, analytics: Analytics | None = None) -> None:
        self._store = store
        # Sign-ins, their failures, sign-ups and active users are counted as they are recorded.
        self._analytics = analytics or NoAnalytics()
        self._retention = retention
        self._clock = clock
        self._chance = chance

    async def record(self, tenant_id: str, event_type: EventType, *, user_id: str = "",
                     **details: Any) -> None:
        """Records what just happened, with the caller's address and agent from the request
        and the acting administrator, if any. Never raises."""
        request = current_request_or_none()
        await self._write(tenant_id, event_type, user_id, request.ip_address if request else "",
                          request.user_agent if request else "", current_actor(), details)
        await self._count(tenant_id, event_type, user_id)

    async def _count(self, tenant_id: str, event_type: EventType, user_id: str) -> None:
        counter = _COUNTED.get(event_type)
        if counter is not None:
            await self._analytics.count(tenant_id, counter)
        if event_type is EventType.LOGIN_SUCCEEDED:
            await self._analytics.active(tenant_id, user_id)

    async def record_reported(self, tenant_id: str, event_type: EventType, *, user_id: str, ip_address: str,
                              user_agent: str, details: Mapping[str, str]) -> None:
        """An event another service saw, with the client as that service saw it."""
        await self._write(tenant_id, event_type, user_id, ip_address[:64], user_agent[:256], "", details)

    async def _write(self, tenant_id: str, event_type: EventType, user_id: str, ip_address: str, user_agent: str,
                     actor: str, details: Mapping[str, Any]) -> None:
        now = self._clock()
        event = SecurityEvent(
            event_id="evt_" + uuid.uuid4().hex, type=event_type.value, create_time=now, user_id=user_id[:64],
            ip_address=ip_address, user_agent=user_agent, actor=actor,
            details={str(k)[:64]: str(v)[:MAX_DETAIL] for k, v in list(details.items())[:20]
                     if v not in (None, "")},
        )
        try:
            await self._store.add(tenant_id, event)
            if self._chance() * PRUNE_EVERY < 1:
                await self._store.prune(tenant_id, now - self._retention)
        except Exception as error:  # noqa: BLE001 - an event is not worth the user's action
            _log.warning("event not recorded", type=event_type.value, error=type(error).__name__)

    async def page(self, tenant_id: str, *, user_id: str, event_type: str, size: int,
                   token: str, start_time: str = "", end_time: str = "") -> tuple[list[SecurityEvent], str]:
        """One page of events, newest first, and the token of the next page ("" at the end),
        of the time range [start_time, end_time) when given (RFC 3339)."""
        start, end = _instant(start_time, "start_time"), _instant(end_time, "end_time")
        if start is not None and end is not None and start >= end:
            raise InvalidArgument("start_time must be before end_time", reason="INVALID_TIME_RANGE",
                                  details={"field": "start_time"})
        if event_type and event_type not in EventType.__members__:
            raise InvalidArgument(f"unknown event type {event_type[:64]!r}", reason="INVALID_EVENT_TYPE",
                                  details={"field": "type"})
        if len(user_id) > 64:
            raise InvalidArgument("user_id is not valid", reason="INVALID_USER_ID", details={"field": "user_id"})
        limit = page_size(size)
        after = _cursor(decode_page_token(token))
        found = await self._store.list(tenant_id, user_id=user_id, event_type=event_type, after=after,
                                       limit=limit + 1, start=start, end=end)
        if len(found) <= limit:
            return found, ""
        last = found[limit - 1]
        return found[:limit], encode_page_token([last.create_time.isoformat(), last.event_id])


def _instant(text: str, field: str) -> datetime | None:
    """An RFC 3339 timestamp with its offset (a time without one is ambiguous), or None."""
    if not text:
        return None
    try:
        if len(text) > 64 or "t" not in text.lower():
            raise ValueError(text)
        value = datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        raise InvalidArgument(f"{field} is not an RFC 3339 timestamp such as 2026-12-01T00:00:00Z",
                              reason="INVALID_TIME", details={"field": field}) from None
    if value.tzinfo is None:
        raise InvalidArgument(f"{field} needs a time zone offset, e.g. 2026-12-01T00:00:00Z",
                              reason="INVALID_TIME", details={"field": field})
    return value


def _cursor(value: Any) -> tuple[datetime, str] | None:
    if value is None:
        return None
    try:
        when, event_id = value
        return datetime.fromisoformat(when), str(event_id)
    except (TypeError, ValueError):
        raise InvalidArgument("page_token is not valid", reason="INVALID_PAGE_TOKEN") from None


def retention_from_env(env: Mapping[str, str]) -> timedelta:
    """BINOAUTH_EVENT_RETENTION_DAYS: 1 to 3650, default 30."""
    raw = env.get("BINOAUTH_EVENT_RETENTION_DAYS", "30")
    try:
        days = int(raw)
    except ValueError:
        raise SettingsError(f"BINOAUTH_EVENT_RETENTION_DAYS must be a number of days, got {raw!r}") from None
    if not 1 <= days <= 3650:
        raise SettingsError("BINOAUTH_EVENT_RETENTION_DAYS must be between 1 and 3650")
    return timedelta(days=days)
