"""The password sign-in path under its brute-force protection (the Lockout port), against an
in-memory fake of the port that keeps the same rules as services/identity/lockout.py: an
attempt reserves a slot before its check and only a failure consumes budget. Parallel right
passwords all sign in; parallel wrong guesses never check more than max_failures passwords;
each outcome settles the attempt the way it must (the Redis side is
tests/integration/test_lockout.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import pytest

from services.common.errors import Unauthenticated
from services.identity.auth import AuthUseCases, Tenant
from services.identity.ports import StartedSession
from services.identity.users import Profile, User, UserState

pytestmark = pytest.mark.unit
NOW = datetime(2030, 1, 1, tzinfo=UTC)
PASSWORD = "correct horse battery staple"
MAX_FAILURES = 3


class FakeLockout:
    """One account's budget: failures + attempts being checked never exceed max_failures."""

    def __init__(self) -> None:
        self.failures = 0
        self.locked = False
        self.pending = 0
        self.most_in_use = 0
        self.settled: list[str] = []

    @asynccontextmanager
    async def attempt(self, tenant_id: str, subject: str, policy: dict[str, Any]) -> AsyncIterator[FakeAttempt]:
        budget = int(policy.get("max_failures", 10))
        while True:  # wait for a slot, as the Redis lockout polls for one
            if self.locked or self.failures + self.pending < budget:
                break
            await asyncio.sleep(0)
        attempt = FakeAttempt(self, budget, admitted=not self.locked)
        if attempt.admitted:
            self.pending += 1
            self.most_in_use = max(self.most_in_use, self.failures + self.pending)
        try:
            yield attempt
        finally:
            if attempt.admitted and not attempt.done:
                await attempt.released()
                self.settled[-1] = "unsettled"

    async def is_locked(self, tenant_id: str, subject: str) -> bool:
        return self.locked

    async def unlock(self, tenant_id: str, subject: str) -> None:
        self.failures, self.locked = 0, False


class FakeAttempt:
    def __init__(self, lockout: FakeLockout, budget: int, admitted: bool) -> None:
        self._lockout = lockout
        self._budget = budget
        self.admitted = admitted
        self.done = False

    def _settle(self, outcome: str) -> None:
        assert not self.done, "settled twice"
        self.done = True
        self._lockout.settled.append(outcome)
        if self.admitted:
            self._lockout.pending -= 1

    async def failed(self) -> float:
        self._settle("failed" if self.admitted else "refused")
        if self.admitted and not self._lockout.locked:
            self._lockout.failures += 1
            if self._lockout.failures >= self._budget:
                self._lockout.locked, self._lockout.failures = True, 0
        return 0.0

    async def succeeded(self) -> None:
        self._settle("succeeded")
        self._lockout.failures, self._lockout.locked = 0, False

    async def released(self) -> None:
        self._settle("released")


class Users:
    def __init__(self, user: User) -> None:
        self.user = user

    async def by_email(self, tenant_id: str, email: str) -> tuple[User, str] | None:
        await asyncio.sleep(0)
        return (self.user, "stored-hash") if email == self.user.email else None

    async def record_login(self, *args: Any) -> None:
        pass

    async def insert_code(self, *args: Any) -> None:
        pass


class Passwords:
    """A verification that takes a while (argon2), so parallel attempts overlap."""

    def __init__(self) -> None:
        self.checked: list[bool] = []
        self.broken = False

    async def verify(self, stored: str | None, password: str) -> bool:
        await asyncio.sleep(0.001)
        if self.broken:
            raise RuntimeError("the check could not run")
        right = stored is not None and password == PASSWORD
        self.checked.append(right)
        return right

    def needs_rehash(self, stored: str) -> bool:
        return False


class Sessions:
    async def create(self, tenant_id: str, user_id: str, amr: list[str], ip_address: str,
                     user_agent: str) -> StartedSession:
        return StartedSession("ses_1", "secret", 3600)


class Metrics:
    def login(self, result: str) -> None:
        pass

    def locked_out(self) -> None:
        pass


class Events:
    def __init__(self) -> None:
        self.reasons: list[str] = []

    async def record(self, tenant_id: str, event_type: Any, *, user_id: str = "", **details: Any) -> None:
        if "reason" in details:
            self.reasons.append(details["reason"])


class World:
    def __init__(self, *, mfa: bool = False, state: UserState = UserState.ACTIVE) -> None:
        self.user = User("usr_1", "ada@example.com", True, "", False, Profile(), {}, state, mfa, NOW, NOW)
        self.lockout = FakeLockout()
        self.passwords = Passwords()
        self.events = Events()

        async def no_sleep(_: float) -> None:
            return None

        self.auth = AuthUseCases(Users(self.user), Sessions(), self.passwords, self.lockout,  # type: ignore[arg-type]
                                 None, None, None, Metrics(), lambda t: f"https://auth.example.com/tenant/{t}",  # type: ignore[arg-type]
                                 self.events, clock=lambda: NOW, sleep=no_sleep)
        self.tenant = Tenant("acme", "Acme", "https://auth.example.com/tenant/acme",
                             {"lockout_policy": {"max_failures": MAX_FAILURES}})

    async def login(self, password: str) -> str:
        try:
            result = await self.auth.login(self.tenant, self.user.email, password, "10.0.0.1", "test")
        except Unauthenticated as error:
            return error.reason
        return "mfa" if result.mfa_token else "ok"


async def test_parallel_right_passwords_all_sign_in() -> None:
    world = World()
    for _ in range(20):
        answers = await asyncio.gather(*(world.login(PASSWORD) for _ in range(16)))
        assert answers == ["ok"] * 16
    assert (world.lockout.failures, world.lockout.locked) == (0, False)
    assert world.lockout.most_in_use <= MAX_FAILURES
    assert set(world.lockout.settled) == {"succeeded"}


async def test_parallel_wrong_guesses_check_at_most_max_failures() -> None:
    for _ in range(20):
        world = World()
        answers = await asyncio.gather(*(world.login("wrong guess") for _ in range(40)))
        assert answers == ["INVALID_CREDENTIALS"] * 40
        assert world.lockout.locked and world.lockout.most_in_use <= MAX_FAILURES
        assert (world.events.reasons.count("credentials"), world.events.reasons.count("locked")) == (
            MAX_FAILURES, 40 - MAX_FAILURES)
        assert await world.login(PASSWORD) == "INVALID_CREDENTIALS"  # locked


async def test_right_passwords_amid_wrong_guesses_never_lock_short_of_the_budget() -> None:
    world = World()
    for _ in range(20):
        assert await world.login(PASSWORD) == "ok"
        guesses = ["wrong guess"] * (MAX_FAILURES - 1) + [PASSWORD] * 6
        answers = await asyncio.gather(*(world.login(p) for p in guesses))
        assert answers == ["INVALID_CREDENTIALS"] * (MAX_FAILURES - 1) + ["ok"] * 6
        assert not world.lockout.locked


async def test_a_right_password_with_mfa_pending_neither_counts_nor_forgives() -> None:
    world = World(mfa=True)
    assert await world.login("wrong guess") == "INVALID_CREDENTIALS"
    assert await world.login(PASSWORD) == "mfa"
    assert world.lockout.settled == ["failed", "released"]
    assert world.lockout.failures == 1  # forgiven only when the second factor succeeds


async def test_a_disabled_account_counts_like_a_wrong_password() -> None:
    world = World(state=UserState.DISABLED)
    assert await world.login(PASSWORD) == "INVALID_CREDENTIALS"
    assert world.lockout.settled == ["failed"] and world.lockout.failures == 1
    assert world.events.reasons == ["disabled"]


async def test_a_check_that_fails_to_run_gives_its_slot_back() -> None:
    world = World()
    world.passwords.broken = True
    with pytest.raises(RuntimeError):
        await world.login(PASSWORD)
    assert world.lockout.settled == ["unsettled"] and world.lockout.pending == 0 and world.lockout.failures == 0


async def test_a_locked_account_checks_nothing_it_answers() -> None:
    world = World()
    world.lockout.locked = True
    assert await world.login(PASSWORD) == "INVALID_CREDENTIALS"
    assert world.lockout.settled == ["refused"] and world.events.reasons == ["locked"]
