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
- `lockout-failures`: completed failures in the current window; every failure re-arms its
  expiry to `failure_reset_seconds`, so it vanishes after that long without a failure.
- `lockout-lock`: exists while the account is locked, expires after `lockout_seconds`.
- `lockout-pending`: the attempts being checked right now (a sorted set of attempt ids,
  scored by the end of their lease).
The failure that reaches `max_failures` sets the lock and deletes the counter, so the
account gets a fresh budget when the lock ends (no "locked again at the next failure").
Failures while locked are not counted: the caller does not check a secret then (it answers
like a wrong password), and the lock is not extended (an attacker can keep re-locking only
by spending a full budget each time, which the per-IP/per-tenant rate limits slow down).

Two guarantees, also for parallel attempts:
1. At most `max_failures` wrong secrets are checked per lock cycle. An attempt reserves a
   slot before its secret is checked, and is admitted only while
   failures + pending < max_failures; its failure turns the slot into a counted failure.
   So failures + pending never exceeds the budget: N parallel guesses cannot all pass a
   "not locked" check before any is recorded.
2. A right secret is refused only while the account is locked, that is after
   `max_failures` completed wrong guesses. A right attempt's slot is given back, never
   counted (counting every attempt first, as this module once did, let 16 parallel right
   passwords fill the budget and lock each other out). An attempt that finds every slot
   taken by attempts still being checked waits for one to settle (they take one argon2
   verification) rather than being refused; it gives up with TOO_MANY_ATTEMPTS after
   `MAX_WAIT_SECONDS`, which takes far more parallel attempts than any owner makes.

A slot whose attempt never settles (its process died) lapses after `LEASE_MS` and then
counts as a failure: it may have checked a secret. Usage:

    async with lockout.attempt(tenant, user, policy) as attempt:
        ok = attempt.admitted and <check the secret>   # when not admitted: a dummy check
        if ok: await attempt.succeeded()   # forgives the failures (and a lock set meanwhile)
        else: delay = await attempt.failed(); sleep(delay); answer 401
    # released(): the slot back without forgiving (a right password that still needs its
    # second factor); leaving the block without settling (an error) releases it too: no
    # answer was derived from the check."""

from __future__ import annotations

import asyncio
import math
import random
import secrets
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import redis.asyncio as aioredis

from services.common.errors import ResourceExhausted
from services.common.redis import purge_tenant, tenant_key

FAILURES_KIND = "lockout-failures"
LOCK_KIND = "lockout-lock"
PENDING_KIND = "lockout-pending"
# Every Redis key kind of this module: what deprovisioning a tenant purges.
KINDS = (FAILURES_KIND, LOCK_KIND, PENDING_KIND)
# A failed answer is held at most this long. The lock itself lives in Redis; the sleep only
# slows one connection's guessing. Each sleeping request holds a server task, a gRPC stream
# and a gateway connection, so a long sleep would let a flood of bad attempts pin them all
# (and run into the gateway's 10 s route timeout); 5 s with argon2 stays well inside it.
MAX_DELAY_SECONDS = 5.0
MAX_LOCKOUT_SECONDS = 86400  # what the tenant service allows at most: never "permanent"
# How long an attempt may wait for a slot. Slots are held for one argon2 verification, so a
# wait this long means a flood of parallel attempts on one account; with the failure delay
# (<= 5 s) it stays inside the gateway's 10 s route timeout.
MAX_WAIT_SECONDS = 3.0
# How long a slot stays reserved for an attempt that never settles (its process died).
LEASE_MS = 30_000

# Redis server time in ms: every replica's leases on one clock.
_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""

# count(n): counts `n` failures unless locked; the one that reaches max_failures sets the
# lock and deletes the counter. Returns failures, lock ttl ms, whether it set the lock (0/1).
# Needs KEYS[1] failures, KEYS[2] lock; ARGV[1] max_failures, ARGV[2] lockout_seconds,
# ARGV[3] failure_reset_seconds.
_COUNT = """
local function count(n)
  local ttl = redis.call('PTTL', KEYS[2])
  if ttl > 0 then
    return tonumber(redis.call('GET', KEYS[1]) or '0'), ttl, 0
  end
  local failures = redis.call('INCRBY', KEYS[1], n)
  if failures >= tonumber(ARGV[1]) then
    redis.call('SET', KEYS[2], '1', 'EX', ARGV[2])
    redis.call('DEL', KEYS[1])
    return failures, tonumber(ARGV[2]) * 1000, 1
  end
  redis.call('EXPIRE', KEYS[1], ARGV[3])
  return failures, 0, 0
end
"""

# KEYS: failures, lock, pending. ARGV: max_failures, lockout_seconds, failure_reset_seconds,
# attempt id, lease ms. Returns {state, failures, lock ttl ms}: state 1 admitted (slot
# reserved), 0 refused (locked), 2 busy (every slot held by attempts being checked).
_BEGIN = _NOW + _COUNT + """
local failures, ttl = tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('PTTL', KEYS[2])
local lapsed = redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
if lapsed > 0 then
  failures, ttl = count(lapsed)
end
if ttl > 0 then
  return {0, failures, ttl}
end
if failures >= tonumber(ARGV[1]) then
  -- The tenant lowered max_failures below what this account had already spent: the budget
  -- is used up, so lock now (waiting for a slot would wait for nothing).
  failures, ttl = count(0)
  return {0, failures, ttl}
end
if failures + redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[1]) then
  return {2, failures, 0}
end
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[5]), ARGV[4])
-- Outlives every lease in it, so that a lapsed one is still found and counted.
redis.call('PEXPIRE', KEYS[3], tonumber(ARGV[5]) + tonumber(ARGV[3]) * 1000)
return {1, failures, 0}
"""

# KEYS: failures, lock, pending. ARGV: max_failures, lockout_seconds, failure_reset_seconds,
# attempt id, outcome ("failed", "succeeded" or "released"). Returns {failures, lock ttl ms,
# this call set the lock (0/1)}.
_SETTLE = _COUNT + """
local held = redis.call('ZREM', KEYS[3], ARGV[4])
if ARGV[5] == 'succeeded' then
  redis.call('DEL', KEYS[1], KEYS[2])
  return {0, 0, 0}
end
if ARGV[5] == 'failed' and held == 1 then
  local failures, ttl, set_lock = count(1)
  return {failures, ttl, set_lock}
end
-- Released, or a lease that lapsed and was counted already.
return {tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('PTTL', KEYS[2]), 0}
"""

# KEYS: failures, lock. ARGV: max_failures, lockout_seconds, failure_reset_seconds.
# Returns {failures, lock ttl ms}.
_RECORD = _COUNT + """
local failures, ttl = count(1)
return {failures, ttl}
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

    def args(self) -> list[int]:
        """ARGV[1..3] of the scripts."""
        return [self.max_failures, self.lockout_seconds, self.failure_reset_seconds]


@dataclass(frozen=True)
class LockStatus:
    locked: bool
    retry_after_seconds: int  # 0 unless locked
    failures: int  # failures in the current window; the one that set a lock reports max_failures,
    # status() of a locked account 0 (the counter starts afresh when the lock ends)


def delay_for(status: LockStatus, policy: LockoutPolicy) -> float:
    """Seconds to hold a failed (or refused) answer: failures * delay, at most the lockout
    time and at most MAX_DELAY_SECONDS. A locked account gets the delay of a full budget,
    so that its answer looks like a wrong password near the limit."""
    failures = policy.max_failures if status.locked else status.failures
    return float(min(failures * policy.progressive_delay_seconds, policy.lockout_seconds, MAX_DELAY_SECONDS))


def too_many_attempts() -> ResourceExhausted:
    return ResourceExhausted("too many sign-in attempts for this account at once; try again in a moment",
                             reason="TOO_MANY_ATTEMPTS")


class Attempt:
    """One attempt on an account: `admitted` (a slot is reserved: check the secret) or
    refused because the account is locked (do not). Settle it once."""

    def __init__(self, lockout: AccountLockout, keys: list[str], policy: LockoutPolicy, attempt_id: str,
                 admitted: bool, status: LockStatus) -> None:
        self._lockout = lockout
        self._keys = keys
        self._policy = policy
        self._id = attempt_id
        self.admitted = admitted
        self.status = status  # when admitted: before this attempt; after failed(): after it
        self.settled = not admitted  # a refused attempt holds no slot
        self.set_lock = False  # failed() counted the failure that locked the account

    async def failed(self) -> float:
        """Counts this attempt as a failure (a refused one is not counted again); returns
        how long to hold the answer."""
        if not self.settled:
            self.status, self.set_lock = await self._lockout.settle(self._keys, self._policy, self._id, "failed")
            self.settled = True
        return delay_for(self.status, self._policy)

    async def succeeded(self) -> None:
        """The secret was right: the slot is given back and the failures (and any lock set
        meanwhile by others' guesses) are forgiven: the account's owner is there."""
        if self.admitted:
            await self._lockout.settle(self._keys, self._policy, self._id, "succeeded")
            self.settled = True

    async def released(self) -> None:
        """The slot back, nothing counted nor forgiven."""
        if not self.settled:
            await self._lockout.settle(self._keys, self._policy, self._id, "released")
            self.settled = True


class AccountLockout:
    def __init__(self, client: aioredis.Redis, *, max_wait_seconds: float = MAX_WAIT_SECONDS,
                 lease_ms: int = LEASE_MS, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._client = client
        self._max_wait = max_wait_seconds
        self._lease_ms = lease_ms
        self._monotonic = monotonic
        self._begin = client.register_script(_BEGIN)
        self._settle = client.register_script(_SETTLE)
        self._record = client.register_script(_RECORD)
        self._status = client.register_script(_STATUS)

    @staticmethod
    def keys(tenant_id: str, user_id: str) -> list[str]:
        """[failures key, lock key] of one account."""
        return [tenant_key(FAILURES_KIND, tenant_id, user_id), tenant_key(LOCK_KIND, tenant_id, user_id)]

    @staticmethod
    def pending_key(tenant_id: str, user_id: str) -> str:
        return tenant_key(PENDING_KIND, tenant_id, user_id)

    async def status(self, tenant_id: str, user_id: str) -> LockStatus:
        failures, ttl_ms = await self._status(keys=self.keys(tenant_id, user_id))
        return _status(int(failures), int(ttl_ms))

    async def record_failure(self, tenant_id: str, user_id: str, policy: LockoutPolicy) -> LockStatus:
        """Counts one failed check made outside `attempt` (unless the account is locked) and
        locks the account when that makes `max_failures`. Atomic: concurrent calls are each
        counted exactly once."""
        failures, ttl_ms = await self._record(keys=self.keys(tenant_id, user_id), args=policy.args())
        return _status(int(failures), int(ttl_ms))

    @asynccontextmanager
    async def attempt(self, tenant_id: str, user_id: str, policy: LockoutPolicy) -> AsyncIterator[Attempt]:
        """Reserves a slot for one check (waiting while every slot is held by attempts being
        checked), or refuses while the account is locked. Leaving the block unsettled
        releases the slot."""
        begun = await self.begin(tenant_id, user_id, policy)
        try:
            yield begun
        finally:
            if not begun.settled:
                await begun.released()

    async def begin(self, tenant_id: str, user_id: str, policy: LockoutPolicy) -> Attempt:
        """The reservation of `attempt`, for callers that settle it themselves."""
        keys = [*self.keys(tenant_id, user_id), self.pending_key(tenant_id, user_id)]
        attempt_id = secrets.token_hex(8)
        deadline = self._monotonic() + self._max_wait
        pause = 0.005
        while True:
            state, failures, ttl_ms = await self._begin(keys=keys, args=[*policy.args(), attempt_id, self._lease_ms])
            if int(state) != 2:
                status = _status(int(failures), int(ttl_ms))
                return Attempt(self, keys, policy, attempt_id, int(state) == 1, status)
            if self._monotonic() + pause > deadline:
                raise too_many_attempts()
            # Slots free up as the attempts holding them finish their check (milliseconds):
            # poll briefly, backing off (with jitter, so waiters do not poll in step).
            await asyncio.sleep(pause * random.uniform(0.5, 1.5))  # noqa: S311 - jitter, not a secret
            pause = min(pause * 2, 0.1)

    async def settle(self, keys: list[str], policy: LockoutPolicy, attempt_id: str,
                     outcome: str) -> tuple[LockStatus, bool]:
        """(status after, whether this call set the lock)."""
        failures, ttl_ms, set_lock = await self._settle(keys=keys, args=[*policy.args(), attempt_id, outcome])
        if int(set_lock):
            # This attempt set the lock; it still was one of the budget's guesses.
            return LockStatus(True, math.ceil(int(ttl_ms) / 1000), int(failures)), True
        return _status(int(failures), int(ttl_ms)), False

    async def reset(self, tenant_id: str, user_id: str) -> None:
        """Forgets the failures and any lock (attempts being checked keep their slots)."""
        await self._client.delete(*self.keys(tenant_id, user_id))

    async def unlock(self, tenant_id: str, user_id: str) -> None:
        """Admin unlock: the lock and the failure count are gone. Attempts being checked keep
        their slots, so their failures still count."""
        await self._client.delete(*self.keys(tenant_id, user_id))

    async def purge_tenant(self, tenant_id: str) -> int:
        """Deprovisioning: every counter, lock and slot of the tenant's accounts, so that a
        tenant created again with the same id starts from zero."""
        return await purge_tenant(self._client, tenant_id, KINDS)


def _status(failures: int, ttl_ms: int) -> LockStatus:
    if ttl_ms > 0:
        return LockStatus(True, max(1, math.ceil(ttl_ms / 1000)), failures)
    return LockStatus(False, 0, failures)


def _int(value: object, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default
