"""Per-account brute-force protection in the spirit of Keycloak's: a progressive delay, a
temporary lock after `max_failures` failures, counters that reset after
`failure_reset_seconds` without a failure, and never a permanent lock.

One budget per account covers every secret checked for it: password, TOTP, recovery codes,
verification and reset codes. Separate budgets per kind would multiply what an attacker
may try (10 passwords + 10 TOTP codes + 10 recovery codes + ...) and let one who already
has the password spend a full TOTP budget per lock cycle; the issue asks for protection of
the account, and a shared budget bounds guesses on it whatever the mix. The cost, that a
user mistyping codes also spends password attempts, is small next to that.

Redis state per (tenant, user), keys from services.common.redis.tenant_key:
- `lockout-failures`: failures in the current window; every failure re-arms its expiry to
  `failure_reset_seconds`, so it vanishes after that long without a failure.
- `lockout-lock`: exists while the account is locked, expires after `lockout_seconds`.
The failure that reaches `max_failures` sets the lock and deletes the counter, so the
account gets a fresh budget when the lock ends (no "locked again at the next failure").
Failures while locked are not counted: the caller does not check a secret then (it answers
like a wrong password), and the lock is not extended (an attacker can keep re-locking only
by spending a full budget each time, which the per-IP/per-tenant rate limits slow down).

Two ways to use it, with the same atomic Lua script (parallel attempts are all counted):
- count first (recommended where guesses matter: password, TOTP, recovery codes):
      attempt = await lockout.begin_attempt(tenant, user, policy)
      if not attempt.admitted: verify a dummy hash, sleep delay_for(...), answer 401
      elif secret correct: await lockout.reset(tenant, user)
      else: sleep delay_for(attempt.status, policy), answer 401
  The attempt is counted before the secret is checked, so N parallel guesses cannot all
  pass a "not locked" check before any is recorded: at most `max_failures` guesses per
  lock cycle, exactly.
- count after: `status()` before checking, `record_failure()` on a wrong secret.
  Simpler, but parallel requests that all read "not locked" all get their guess."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import redis.asyncio as aioredis

from services.common.redis import tenant_key

FAILURES_KIND = "lockout-failures"
LOCK_KIND = "lockout-lock"
# A failed answer is held at most this long. The lock itself lives in Redis; the sleep only
# slows one connection's guessing. Each sleeping request holds a server task, a gRPC stream
# and a gateway connection, so a long sleep would let a flood of bad attempts pin them all
# (and run into the gateway's 10 s route timeout); 5 s with argon2 stays well inside it.
MAX_DELAY_SECONDS = 5.0
MAX_LOCKOUT_SECONDS = 86400  # what the tenant service allows at most: never "permanent"

# KEYS: failures, lock. ARGV: max_failures, lockout_seconds, failure_reset_seconds.
# Returns {counted (0/1), failures, locked (0/1), lock ttl ms}.
_RECORD = """
local ttl = redis.call('PTTL', KEYS[2])
if ttl > 0 then
  return {0, tonumber(redis.call('GET', KEYS[1]) or '0'), 1, ttl}
end
local n = redis.call('INCR', KEYS[1])
if n >= tonumber(ARGV[1]) then
  redis.call('SET', KEYS[2], '1', 'EX', ARGV[2])
  redis.call('DEL', KEYS[1])
  return {1, n, 1, tonumber(ARGV[2]) * 1000}
end
redis.call('EXPIRE', KEYS[1], ARGV[3])
return {1, n, 0, 0}
"""

# KEYS: failures, lock. Returns {failures, lock ttl ms (<= 0: not locked)}: one snapshot.
_STATUS = """
return {tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('PTTL', KEYS[2])}
"""


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int = 10
    lockout_seconds: int = 900
    failure_reset_seconds: int = 12 * 3600
    progressive_delay_seconds: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "max_failures", max(1, self.max_failures))
        object.__setattr__(self, "lockout_seconds", min(max(1, self.lockout_seconds), MAX_LOCKOUT_SECONDS))
        object.__setattr__(self, "failure_reset_seconds", max(1, self.failure_reset_seconds))
        object.__setattr__(self, "progressive_delay_seconds", max(0, self.progressive_delay_seconds))

    @classmethod
    def from_settings(cls, policy: Mapping[str, Any] | None) -> LockoutPolicy:
        """From the tenant's `settings["lockout_policy"]` dict; missing or malformed fields
        take the defaults."""
        policy = policy or {}
        default = cls()
        return cls(**{name: _int(policy.get(name), getattr(default, name)) for name in (
            "max_failures", "lockout_seconds", "failure_reset_seconds", "progressive_delay_seconds")})


@dataclass(frozen=True)
class LockStatus:
    locked: bool
    retry_after_seconds: int  # 0 unless locked
    failures: int  # failures in the current window; the one that set a lock reports max_failures,
    # status() of a locked account 0 (the counter starts afresh when the lock ends)


@dataclass(frozen=True)
class Attempt:
    admitted: bool  # False: the account was already locked; do not check the secret
    status: LockStatus  # after counting this attempt


def delay_for(status: LockStatus, policy: LockoutPolicy) -> float:
    """Seconds to hold a failed (or refused) answer: failures * delay, at most the lockout
    time and at most MAX_DELAY_SECONDS. A locked account gets the delay of a full budget,
    so that its answer looks like a wrong password near the limit."""
    failures = policy.max_failures if status.locked else status.failures
    return float(min(failures * policy.progressive_delay_seconds, policy.lockout_seconds, MAX_DELAY_SECONDS))


class AccountLockout:
    def __init__(self, client: aioredis.Redis) -> None:
        self._client = client
        self._record = client.register_script(_RECORD)
        self._status = client.register_script(_STATUS)

    @staticmethod
    def keys(tenant_id: str, user_id: str) -> list[str]:
        """[failures key, lock key] of one account."""
        return [tenant_key(FAILURES_KIND, tenant_id, user_id), tenant_key(LOCK_KIND, tenant_id, user_id)]

    async def status(self, tenant_id: str, user_id: str) -> LockStatus:
        failures, ttl_ms = await self._status(keys=self.keys(tenant_id, user_id))
        return _status(int(failures), int(ttl_ms))

    async def record_failure(self, tenant_id: str, user_id: str, policy: LockoutPolicy) -> LockStatus:
        """Counts one failed check (unless the account is locked) and locks the account when
        that makes `max_failures`. Atomic: concurrent calls are each counted exactly once."""
        return (await self._count(tenant_id, user_id, policy)).status

    async def begin_attempt(self, tenant_id: str, user_id: str, policy: LockoutPolicy) -> Attempt:
        """Counts an attempt as a failure before its secret is checked (forgiven by `reset`
        when it succeeds). Not admitted while the account is locked."""
        return await self._count(tenant_id, user_id, policy)

    async def reset(self, tenant_id: str, user_id: str) -> None:
        """After a successful check: forget the failures and any lock set meanwhile (an
        admitted attempt that succeeded proves the account's owner is there)."""
        await self._client.delete(*self.keys(tenant_id, user_id))

    async def unlock(self, tenant_id: str, user_id: str) -> None:
        """Admin unlock: the lock and the failure count are gone."""
        await self._client.delete(*self.keys(tenant_id, user_id))

    async def _count(self, tenant_id: str, user_id: str, policy: LockoutPolicy) -> Attempt:
        counted, failures, locked, ttl_ms = await self._record(
            keys=self.keys(tenant_id, user_id),
            args=[policy.max_failures, policy.lockout_seconds, policy.failure_reset_seconds],
        )
        if int(locked) and int(counted):
            # This attempt set the lock; it still was one of the budget's guesses.
            return Attempt(True, LockStatus(True, math.ceil(int(ttl_ms) / 1000), int(failures)))
        return Attempt(bool(int(counted)), _status(int(failures), int(ttl_ms) if int(locked) else 0))


def _status(failures: int, ttl_ms: int) -> LockStatus:
    if ttl_ms > 0:
        return LockStatus(True, max(1, math.ceil(ttl_ms / 1000)), failures)
    return LockStatus(False, 0, failures)


def _int(value: object, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default

