"""services.identity.lockout: policy parsing and the progressive delay (no Redis here)."""

from __future__ import annotations

import pytest

from services.identity.lockout import MAX_DELAY_SECONDS, AccountLockout, LockoutPolicy, LockStatus, delay_for

pytestmark = pytest.mark.unit


def unlocked(failures: int) -> LockStatus:
    return LockStatus(False, 0, failures)


def test_defaults_and_settings() -> None:
    default = LockoutPolicy()
    assert (default.max_failures, default.lockout_seconds, default.failure_reset_seconds,
            default.progressive_delay_seconds) == (10, 900, 43200, 1)
    assert LockoutPolicy.from_settings(None) == default == LockoutPolicy.from_settings({})
    custom = LockoutPolicy.from_settings({"max_failures": 5, "lockout_seconds": 60, "failure_reset_seconds": 600,
                                          "progressive_delay_seconds": 0, "extra": "x"})
    assert custom == LockoutPolicy(5, 60, 600, 0)
    assert LockoutPolicy.from_settings({"max_failures": "5", "lockout_seconds": None}) == default


def test_never_a_permanent_or_degenerate_lock() -> None:
    odd = LockoutPolicy(max_failures=0, lockout_seconds=10**9, failure_reset_seconds=0, progressive_delay_seconds=-3)
    assert odd.max_failures == 1
    assert odd.lockout_seconds == 86400  # at most a day, whatever is configured
    assert odd.failure_reset_seconds == 1 and odd.progressive_delay_seconds == 0
    assert LockoutPolicy(lockout_seconds=-1).lockout_seconds == 1


def test_progressive_delay_grows_with_failures_and_is_bounded() -> None:
    policy = LockoutPolicy()  # 1 s per failure
    assert [delay_for(unlocked(n), policy) for n in range(8)] == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 5.0, 5.0]
    assert delay_for(unlocked(10_000), policy) == MAX_DELAY_SECONDS == 5.0


def test_delay_never_exceeds_the_lockout_time() -> None:
    policy = LockoutPolicy(max_failures=10, lockout_seconds=2, progressive_delay_seconds=1)
    assert delay_for(unlocked(1), policy) == 1.0
    assert delay_for(unlocked(3), policy) == 2.0  # min(failures * delay, lockout_seconds)


def test_a_locked_answer_is_held_like_a_failure_at_the_limit() -> None:
    policy = LockoutPolicy(max_failures=3, progressive_delay_seconds=1)
    locked = LockStatus(True, 900, 0)
    assert delay_for(locked, policy) == delay_for(unlocked(3), policy) == 3.0
    assert delay_for(locked, LockoutPolicy()) == 5.0


def test_no_delay_when_disabled() -> None:
    policy = LockoutPolicy(progressive_delay_seconds=0)
    assert delay_for(unlocked(9), policy) == 0.0
    assert delay_for(LockStatus(True, 10, 0), policy) == 0.0


def test_keys_are_tenant_keys_and_injective() -> None:
    assert AccountLockout.keys("acme", "u1") == ["binoauth:lockout-failures:acme:u1", "binoauth:lockout-lock:acme:u1"]
    assert AccountLockout.keys("a", "b:c") != AccountLockout.keys("a:b", "c")
    assert AccountLockout.keys("a", "b-c") != AccountLockout.keys("a-b", "c")
    with pytest.raises(ValueError):
        AccountLockout.keys("", "u1")
