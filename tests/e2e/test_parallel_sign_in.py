"""Brute-force protection under parallel sign-ins, through Envoy against two identity
replicas: a right password is refused only while the account is locked (never because
other right attempts are being checked at the same time), and however many wrong guesses
arrive at once, at most `max_failures` of them are checked before the account locks."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.helpers import assert_envelope, unique_id
from tools.stack import Stack

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery staple"
WRONG = "not the password at all"
ROUNDS = 20
# The smallest budget a tenant may set: the fewest slots for parallel attempts to share.
MAX_FAILURES = 3


class Tenant:
    def __init__(self, stack: Stack, gateway: httpx.Client, headers: dict[str, str], tenant_id: str) -> None:
        self.stack = stack
        self.gateway = gateway
        self.headers = headers
        self.tenant_id = tenant_id

    def user(self) -> tuple[str, str]:
        email = f"{unique_id('par')}@example.com"
        created = self.gateway.post(f"/tenant/{self.tenant_id}/api/v1/users", headers=self.headers, json={
            "user": {"email": email, "name": "Ada"}, "password": PASSWORD, "email_verified": True})
        assert created.status_code == 200, created.text
        return email, str(created.json()["user_id"])

    def login(self, email: str, password: str) -> httpx.Response:
        # One client per attempt: parallel attempts from separate connections, no cookie jar.
        return httpx.post(f"{self.stack.gateway_url}/tenant/{self.tenant_id}/api/v1/auth/login",
                          json={"email": email, "password": password}, timeout=30)

    def state(self, user_id: str) -> str:
        return str(self.gateway.get(f"/tenant/{self.tenant_id}/api/v1/users/{user_id}",
                                    headers=self.headers).json()["state"])

    def failure_reasons(self, user_id: str) -> list[str]:
        listed = self.gateway.get(f"/tenant/{self.tenant_id}/api/v1/events", headers=self.headers,
                                  params={"type": "LOGIN_FAILED", "user_id": user_id, "page_size": 100})
        assert listed.status_code == 200, listed.text
        return [e["details"]["reason"] for e in listed.json().get("events", [])]


@pytest.fixture
def tenant(stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str],
           new_tenant: Callable[..., dict[str, Any]]) -> Tenant:
    created = new_tenant(settings={"lockout_policy": {"max_failures": MAX_FAILURES, "progressive_delay_seconds": 0}})
    return Tenant(stack, gateway, platform_headers, created["tenant_id"])


@pytest.fixture(scope="module")
def pool() -> Iterator[concurrent.futures.ThreadPoolExecutor]:
    with concurrent.futures.ThreadPoolExecutor(40) as executor:
        yield executor


def in_parallel(pool: concurrent.futures.ThreadPoolExecutor, tenant: Tenant, email: str,
                passwords: list[str]) -> list[httpx.Response]:
    return list(pool.map(lambda password: tenant.login(email, password), passwords))


def test_parallel_right_passwords_all_sign_in(tenant: Tenant, pool: concurrent.futures.ThreadPoolExecutor) -> None:
    email, user_id = tenant.user()
    for round_ in range(ROUNDS):
        answers = in_parallel(pool, tenant, email, [PASSWORD] * 16)
        refused = [a.text for a in answers if a.status_code != 200]
        assert not refused, f"round {round_}: {len(refused)} of 16 right passwords refused: {refused[0]}"
    assert tenant.state(user_id) == "USER_STATE_ACTIVE"
    assert tenant.failure_reasons(user_id) == []


def test_parallel_wrong_guesses_check_at_most_max_failures(
    tenant: Tenant, pool: concurrent.futures.ThreadPoolExecutor
) -> None:
    email, user_id = tenant.user()
    for round_ in range(ROUNDS):
        answers = in_parallel(pool, tenant, email, [WRONG] * 40)
        for answer in answers:  # locked or wrong: the same answer
            assert_envelope(answer, 401, "INVALID_CREDENTIALS")
        assert tenant.state(user_id) == "USER_STATE_LOCKED", f"round {round_}"
        reasons = tenant.failure_reasons(user_id)
        # Exactly max_failures passwords were checked; every other guess was refused unchecked.
        assert (reasons.count("credentials"), reasons.count("locked")) == (MAX_FAILURES, 40 - MAX_FAILURES), \
            f"round {round_}"
        assert_envelope(tenant.login(email, PASSWORD), 401, "INVALID_CREDENTIALS")  # locked: refused
        email, user_id = tenant.user()  # a fresh account: its events are this round's only


def test_a_right_password_amid_wrong_guesses_is_refused_only_when_locked(
    tenant: Tenant, pool: concurrent.futures.ThreadPoolExecutor
) -> None:
    """One wrong guess short of the budget, in parallel with the owner's right passwords: the
    account never locks, so none of them may be refused."""
    email, user_id = tenant.user()
    for round_ in range(ROUNDS):
        # From zero failures: the last round's wrong guesses may have finished after its
        # last success, and three without a success between would rightly lock.
        assert tenant.login(email, PASSWORD).status_code == 200
        passwords = [WRONG] * (MAX_FAILURES - 1) + [PASSWORD] * 6
        answers = in_parallel(pool, tenant, email, passwords)
        statuses = [a.status_code for a in answers]
        assert statuses == [401] * (MAX_FAILURES - 1) + [200] * 6, f"round {round_}: {statuses}"
        assert tenant.state(user_id) == "USER_STATE_ACTIVE"
