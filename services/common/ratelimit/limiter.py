"""GCRA rate limiting in Redis: several budgets checked and consumed in one atomic script.

Each budget is a key holding a "theoretical arrival time" (TAT, in ms). With a limit of
``limit`` requests per ``period`` the emission interval is ``period / limit``; a request
is allowed while ``TAT + interval - period <= now``, i.e. up to ``limit`` requests in a
burst, then one every interval.

Semantics of a multi-budget check: the script evaluates every budget first and only
consumes from all of them when every one allows (all-or-nothing). A request refused by its
per-IP budget therefore costs nothing from its tenant's budget, so one noisy client cannot
drain a tenant's shared budget with requests that were refused anyway.

Time comes from the Redis server (``TIME``) unless a clock is given, so replicas of the
session service agree on it. In Redis Cluster every key of one check must live in one slot;
BinoAuth runs a single Redis (or a primary with replicas), where that always holds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import redis.asyncio as aioredis

# KEYS: the budget keys. ARGV: now_ms (0 = Redis TIME), cost, then per key limit, period_ms.
# Returns per key: allowed (1/0), remaining, retry_after_ms, reset_ms.
_GCRA = """
local now = tonumber(ARGV[1])
if now == 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local cost = tonumber(ARGV[2])
local n = #KEYS
local out = {}
local new_tats = {}
local all_ok = true
for i = 1, n do
  local limit = tonumber(ARGV[1 + 2 * i])
  local period = tonumber(ARGV[2 + 2 * i])
  local interval = period / limit
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0')
  if tat < now then tat = now end
  local new_tat = tat + interval * cost
  local allow_at = new_tat - period
  local allowed, retry_after, remaining, reset
  if allow_at <= now then
    allowed = 1
    retry_after = 0
    remaining = math.floor((period - (new_tat - now)) / interval)
    reset = new_tat - now
  else
    allowed = 0
    all_ok = false
    retry_after = allow_at - now
    remaining = math.floor((period - (tat - now)) / interval)
    reset = tat - now
  end
  if remaining < 0 then remaining = 0 end
  new_tats[i] = new_tat
  out[4 * i - 3] = allowed
  out[4 * i - 2] = remaining
  out[4 * i - 1] = math.ceil(retry_after)
  out[4 * i] = math.ceil(reset)
end
if all_ok then
  for i = 1, n do
    local ttl = math.ceil(new_tats[i] - now)
    if ttl < 1 then ttl = 1 end
    redis.call('SET', KEYS[i], string.format('%d', math.ceil(new_tats[i])), 'PX', ttl)
  end
end
return out
"""


@dataclass(frozen=True)
class Budget:
    """One rate-limit bucket: ``limit`` requests per ``period_seconds`` under ``key``."""

    key: str
    limit: int
    period_seconds: int = 60

    def __post_init__(self) -> None:
        if self.limit < 1:
            raise ValueError("limit must be >= 1")
        if self.period_seconds < 1:
            raise ValueError("period_seconds must be >= 1")


@dataclass(frozen=True)
class Verdict:
    """The outcome for one budget. ``retry_after_seconds`` is >= 1 when refused, else 0;
    ``reset_seconds`` is when the budget is full again."""

    allowed: bool
    limit: int
    remaining: int
    retry_after_seconds: int
    reset_seconds: int


def _ceil_seconds(ms: int) -> int:
    return -(-int(ms) // 1000)


class RateLimiter:
    """Checks budgets in Redis; one round trip (EVALSHA, EVAL on a cold script cache)."""

    def __init__(self, redis: aioredis.Redis, clock_ms: Callable[[], int] | None = None) -> None:
        self._redis = redis
        self._script = redis.register_script(_GCRA)
        self._clock_ms = clock_ms

    async def check(self, budgets: Sequence[Budget], cost: int = 1) -> list[Verdict]:
        """Consume ``cost`` from every budget if all of them allow it, else from none.

        Raises redis.exceptions.RedisError (ConnectionError, TimeoutError...) when Redis
        cannot answer: the caller decides between failing open and closed."""
        if not budgets:
            return []
        if len({b.key for b in budgets}) != len(budgets):
            raise ValueError("duplicate budget keys in one check")
        cost = max(1, int(cost))
        now = self._clock_ms() if self._clock_ms is not None else 0
        args: list[int] = [now, cost]
        for b in budgets:
            args += [b.limit, b.period_seconds * 1000]
        raw = await self._script(keys=[b.key for b in budgets], args=args)
        out: list[Verdict] = []
        for i, b in enumerate(budgets):
            allowed, remaining, retry_ms, reset_ms = (int(x) for x in raw[4 * i: 4 * i + 4])
            out.append(Verdict(
                allowed=bool(allowed), limit=b.limit, remaining=max(0, remaining),
                retry_after_seconds=0 if allowed else max(1, _ceil_seconds(retry_ms)),
                reset_seconds=max(0, _ceil_seconds(reset_ms)),
            ))
        return out
