"""Administrators' console sessions (IETF "OAuth 2.0 for Browser-Based Applications": the
browser holds no credential a script can read).

The console signs in with an admin's email and password and gets an HttpOnly cookie whose
value is a random secret; the server keeps only its hash, with an idle timeout (slid by each
use) and an absolute one. The secret is then a management credential like an admin token
(services/tenant/usecases.py authenticate), which the browser presents only through the
cookie, and only on requests that carry ``X-BinoAuth-Console: 1`` (services/common/context.py)."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.common.settings import SettingsError

# The prefix tells authenticate() which table to look in, and secret scanners what leaked.
CONSOLE_SECRET_PREFIX = "binoc_"  # noqa: S105 - a prefix, not a secret
DEFAULT_IDLE_SECONDS = 30 * 60
DEFAULT_ABSOLUTE_SECONDS = 12 * 3600


def new_console_secret() -> str:
    return CONSOLE_SECRET_PREFIX + secrets.token_urlsafe(32)


def is_console_secret(credential: str) -> bool:
    return credential.startswith(CONSOLE_SECRET_PREFIX)


@dataclass(frozen=True)
class ConsoleTimeouts:
    idle: timedelta = timedelta(seconds=DEFAULT_IDLE_SECONDS)
    absolute: timedelta = timedelta(seconds=DEFAULT_ABSOLUTE_SECONDS)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ConsoleTimeouts:
        """BINOAUTH_CONSOLE_IDLE_SECONDS and BINOAUTH_CONSOLE_ABSOLUTE_SECONDS (tests use seconds)."""
        idle = _seconds(env, "BINOAUTH_CONSOLE_IDLE_SECONDS", DEFAULT_IDLE_SECONDS)
        absolute = _seconds(env, "BINOAUTH_CONSOLE_ABSOLUTE_SECONDS", DEFAULT_ABSOLUTE_SECONDS)
        return cls(timedelta(seconds=min(idle, absolute)), timedelta(seconds=absolute))


def _seconds(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise SettingsError(f"{name} must be a positive number of seconds, got {raw!r}")
    return int(raw)


@dataclass(frozen=True)
class ConsoleSession:
    admin_user_id: str
    create_time: datetime
    expire_time: datetime
    idle_expire_time: datetime

    def live(self, now: datetime) -> bool:
        return now < self.idle_expire_time and now < self.expire_time

    def seconds_left(self, now: datetime) -> float:
        return max(0.0, (min(self.idle_expire_time, self.expire_time) - now).total_seconds())


def start_session(admin_user_id: str, now: datetime, timeouts: ConsoleTimeouts) -> ConsoleSession:
    expire = now + timeouts.absolute
    return ConsoleSession(admin_user_id, now, expire, min(now + timeouts.idle, expire))
