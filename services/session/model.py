"""Sessions and token revocation: the rules, free of gRPC, SQL and Redis."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from services.common.errors import InvalidArgument, NotFound

# Writes of last-seen to PostgreSQL are batched to at most one per session per minute; Redis
# has the exact value. After a Redis loss a session may look up to this much more idle.
LAST_SEEN_WRITE_INTERVAL = timedelta(seconds=60)
_AMR = re.compile(r"^[a-z][a-z0-9_]{1,15}$")
MAX_USER_ID = 128


@dataclass(frozen=True)
class Session:
    session_id: str
    user_id: str
    create_time: datetime
    last_seen_time: datetime
    expire_time: datetime  # absolute end
    idle_timeout: timedelta
    amr: tuple[str, ...]
    auth_time: datetime
    ip_address: str
    user_agent: str
    revoke_time: datetime | None = None

    @property
    def idle_expire_time(self) -> datetime:
        return min(self.last_seen_time + self.idle_timeout, self.expire_time)

    def is_live(self, now: datetime, not_before: datetime | None) -> bool:
        if self.revoke_time is not None:
            return False
        if now >= self.expire_time or now >= self.last_seen_time + self.idle_timeout:
            return False
        return not (not_before is not None and self.create_time < not_before)

    def touched(self, now: datetime) -> Session:
        return replace(self, last_seen_time=max(now, self.last_seen_time))

    def ttl_seconds(self, now: datetime) -> int:
        return max(1, int((self.idle_expire_time - now).total_seconds()) + 1)


def new_secret() -> str:
    """The cookie value: 256 bits from the CSPRNG. Only its hash is ever stored."""
    return secrets.token_urlsafe(32)


def secret_hash(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


def new_session_id() -> str:
    # Public and not a credential; random so that ids reveal nothing about order or count.
    return "ses_" + secrets.token_hex(12)


def start_session(user_id: str, amr: list[str], auth_time: datetime | None, ip_address: str, user_agent: str,
                  idle_timeout_seconds: int, absolute_lifetime_seconds: int, now: datetime) -> Session:
    user_id = require_user_id(user_id)
    methods = tuple(dict.fromkeys(m.strip().lower() for m in amr if m.strip()))
    for method in methods:
        if not _AMR.match(method):
            raise InvalidArgument(f"amr value {method!r} is not valid", reason="INVALID_AMR", details={"field": "amr"})
    if auth_time is not None and auth_time > now + timedelta(seconds=60):
        raise InvalidArgument("auth_time is in the future", reason="INVALID_AUTH_TIME", details={"field": "auth_time"})
    return Session(
        session_id=new_session_id(), user_id=user_id, create_time=now, last_seen_time=now,
        expire_time=now + timedelta(seconds=absolute_lifetime_seconds),
        idle_timeout=timedelta(seconds=idle_timeout_seconds), amr=methods,
        auth_time=min(auth_time or now, now), ip_address=ip_address[:64], user_agent=user_agent[:256],
    )


def require_user_id(user_id: str) -> str:
    if not user_id or len(user_id) > MAX_USER_ID or any(ord(c) < 33 for c in user_id):
        raise InvalidArgument("user_id is required and must be printable", reason="INVALID_USER_ID",
                              details={"field": "user_id"})
    return user_id


def session_invalid() -> NotFound:
    """One answer for unknown, expired and revoked sessions."""
    return NotFound("the session is not valid", reason="SESSION_INVALID")


def latest(*times: datetime | None) -> datetime | None:
    present = [t for t in times if t is not None]
    return max(present) if present else None
