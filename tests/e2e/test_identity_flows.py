"""End-user flows of the identity service through Envoy, with real PostgreSQL, Redis and SMTP."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from services.identity import totp
from tests.e2e.helpers import assert_envelope, unique_id
from tools.mailsink import links_in
from tools.stack import Stack

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery staple"


class Browser:
    """One user agent on one tenant (path-prefix selection), with its own cookie jar."""

    def __init__(self, stack: Stack, tenant_id: str) -> None:
        self.stack = stack
        self.tenant_id = tenant_id
        self.client = httpx.Client(base_url=f"{stack.gateway_url}/tenant/{tenant_id}", timeout=30)

    def post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        return self.client.post(path, json=body)

    def get(self, path: str) -> httpx.Response:
        return self.client.get(path)

    def mail_code(self, to: str, since: int) -> str:
        assert self.stack.mail is not None
        message = self.stack.mail.wait_for_blocking(to, timeout=10, since=since)
        link = next(link for link in links_in(message) if "code=" in link)
        assert link.startswith(f"{self.stack.public_url}/tenant/{self.tenant_id}/"), link
        return parse_qs(urlsplit(link).query)["code"][0]

    def mark(self) -> int:
        assert self.stack.mail is not None
        return self.stack.mail.mark()

    def signup_and_verify(self, email: str, password: str = PASSWORD) -> None:
        since = self.mark()
        assert self.post("/api/v1/auth/signup", {"email": email, "password": password, "name": "Ada"}).json() == {
            "status": "verification_sent"}
        verified = self.post("/api/v1/auth/verify-email", {"code": self.mail_code(email, since)})
        assert verified.status_code == 200, verified.text

    def login(self, email: str, password: str = PASSWORD) -> httpx.Response:
        return self.post("/api/v1/auth/login", {"email": email, "password": password})

    def close(self) -> None:
        self.client.close()


@pytest.fixture
def tenant(new_tenant: Callable[..., dict[str, Any]]) -> str:
    lockout = {"max_failures": 5, "progressive_delay_seconds": 0}
    return str(new_tenant(settings={"lockout_policy": lockout})["tenant_id"])


@pytest.fixture
def browser(stack: Stack, tenant: str) -> Any:
    made: list[Browser] = []

    def make() -> Browser:
        made.append(Browser(stack, tenant))
        return made[-1]

    yield make
    for b in made:
        b.close()


def test_signup_verify_login_profile_password_logout(browser: Callable[[], Browser]) -> None:
    alice, other_device = browser(), browser()
    email = f"{unique_id('alice')}@example.com"
    alice.signup_and_verify(email)

    login = alice.login(email)
    assert login.status_code == 200, login.text
    cookie = login.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and f"Path=/tenant/{alice.tenant_id}/" in cookie
    assert login.json()["user"]["email"] == email and login.json()["user"]["email_verified"] is True
    assert other_device.login(email).status_code == 200
    assert login.headers["set-cookie"] != other_device.client.cookies.get("binoauth_session")

    me = alice.get("/api/v1/users/me").json()
    assert me["email"] == email and me["name"] == "Ada" and "password" not in str(me).lower()
    updated = alice.client.patch("/api/v1/users/me", params={"update_mask": "given_name,locale"},
                                 json={"given_name": "Ada", "locale": "en-GB"})
    assert updated.json()["given_name"] == "Ada" and updated.json()["locale"] == "en-GB"
    assert_envelope(alice.client.patch("/api/v1/users/me", json={"email": "x@example.com"}), 400,
                    "INVALID_UPDATE_MASK")

    assert_envelope(alice.post("/api/v1/users/me:changePassword", {"current_password": "wrong password!!",
                                                                    "new_password": "another long password"}),
                    401, "INVALID_CREDENTIALS")
    changed = alice.post("/api/v1/users/me:changePassword", {"current_password": PASSWORD,
                                                              "new_password": "another long password"})
    assert changed.json()["revoked_sessions"] == 1
    assert_envelope(other_device.get("/api/v1/users/me"), 401, "SESSION_REQUIRED")  # the other session died
    assert alice.get("/api/v1/users/me").status_code == 200  # this one lives on
    assert_envelope(alice.login(email), 401, "INVALID_CREDENTIALS")
    assert alice.login(email, "another long password").status_code == 200

    out = alice.post("/api/v1/auth/logout", {})
    assert out.status_code == 200 and "Max-Age=0" in out.headers["set-cookie"]
    assert_envelope(alice.get("/api/v1/users/me"), 401, "SESSION_REQUIRED")


def test_password_policy_and_unverified_login(browser: Callable[[], Browser]) -> None:
    bob = browser()
    email = f"{unique_id('bob')}@example.com"
    for bad, reason in (("short", "PASSWORD_TOO_SHORT"), ("password123", "PASSWORD_TOO_COMMON"),
                        ("x" * 200, "PASSWORD_TOO_LONG")):
        assert_envelope(bob.post("/api/v1/auth/signup", {"email": email, "password": bad}), 400, reason)
    long_password = "é" * 64  # 64 characters are allowed and nothing is truncated
    since = bob.mark()
    assert bob.post("/api/v1/auth/signup", {"email": email, "password": long_password}).status_code == 200
    bob.mail_code(email, since)
    since = bob.mark()
    # Only someone with the right password learns that the address is unverified; a new
    # link goes to the address (and replaces the first one).
    assert_envelope(bob.login(email, long_password), 403, "EMAIL_NOT_VERIFIED")
    assert bob.post("/api/v1/auth/verify-email", {"code": bob.mail_code(email, since)}).status_code == 200
    assert_envelope(bob.login(email, "é" * 63), 401, "INVALID_CREDENTIALS")
    assert bob.login(email, long_password).status_code == 200


def test_magic_link_login(browser: Callable[[], Browser]) -> None:
    carol = browser()
    email = f"{unique_id('carol')}@example.com"
    carol.signup_and_verify(email)
    since = carol.mark()
    assert carol.post("/api/v1/auth/magic-link", {"email": email, "return_to": "/account"}).json()["status"] == "sent"
    code = carol.mail_code(email, since)
    signed_in = carol.post("/api/v1/auth/magic-link:consume", {"code": code})
    assert signed_in.status_code == 200 and signed_in.json()["user"]["email"] == email
    assert carol.get("/api/v1/users/me").status_code == 200
    assert_envelope(browser().post("/api/v1/auth/magic-link:consume", {"code": code}), 400, "INVALID_CODE")


def test_password_reset_ends_every_session(browser: Callable[[], Browser]) -> None:
    dave, laptop = browser(), browser()
    email = f"{unique_id('dave')}@example.com"
    dave.signup_and_verify(email)
    assert laptop.login(email).status_code == 200
    since = dave.mark()
    assert dave.post("/api/v1/auth/password-reset", {"email": email}).json() == {"status": "sent"}
    code = dave.mail_code(email, since)
    assert_envelope(dave.post("/api/v1/auth/password-reset:confirm", {"code": code, "new_password": "short"}),
                    400, "PASSWORD_TOO_SHORT")  # and the code still works:
    assert dave.post("/api/v1/auth/password-reset:confirm",
                     {"code": code, "new_password": "a brand new passphrase"}).status_code == 200
    assert_envelope(laptop.get("/api/v1/users/me"), 401, "SESSION_REQUIRED")
    assert_envelope(dave.login(email), 401, "INVALID_CREDENTIALS")
    assert dave.login(email, "a brand new passphrase").status_code == 200
    assert_envelope(dave.post("/api/v1/auth/password-reset:confirm",
                              {"code": code, "new_password": "yet another passphrase"}), 400, "INVALID_CODE")


def test_totp_enrollment_and_two_step_login(browser: Callable[[], Browser]) -> None:
    erin = browser()
    email = f"{unique_id('erin')}@example.com"
    erin.signup_and_verify(email)
    erin.login(email)
    enrolled = erin.post("/api/v1/users/me/mfa/totp:enroll", {}).json()
    assert enrolled["otpauth_uri"].startswith("otpauth://totp/")
    secret = enrolled["secret"]
    assert_envelope(erin.post("/api/v1/users/me/mfa/totp:confirm", {"code": "000000"}), 400, "INVALID_MFA_CODE")
    confirmed = erin.post("/api/v1/users/me/mfa/totp:confirm", {"code": totp.code_at(secret, datetime.now(UTC))})
    recovery = confirmed.json()["recovery_codes"]
    assert len(recovery) == 10

    fresh = browser()
    first = fresh.login(email).json()
    assert first["mfa_required"] is True and "set-cookie" not in fresh.login(email).headers
    assert_envelope(fresh.get("/api/v1/users/me"), 401, "SESSION_REQUIRED")
    assert_envelope(fresh.post("/api/v1/auth/login/mfa", {"mfa_token": first["mfa_token"], "code": "123456"}),
                    401, "INVALID_MFA_CODE")
    done = fresh.post("/api/v1/auth/login/mfa", {"mfa_token": first["mfa_token"], "code": recovery[0]})
    assert done.status_code == 200, done.text
    assert fresh.get("/api/v1/users/me").json()["mfa_enabled"] is True
    # A recovery code works once.
    again = browser().login(email).json()
    assert_envelope(browser().post("/api/v1/auth/login/mfa", {"mfa_token": again["mfa_token"], "code": recovery[0]}),
                    401, "INVALID_MFA_CODE")

    # A password reset does not bypass MFA.
    since = erin.mark()
    erin.post("/api/v1/auth/password-reset", {"email": email})
    erin.post("/api/v1/auth/password-reset:confirm", {"code": erin.mail_code(email, since),
                                                      "new_password": "reset but still two factors"})
    after = browser().login(email, "reset but still two factors").json()
    assert after["mfa_required"] is True


def _comparable(response: httpx.Response) -> tuple[int, Any]:
    body = response.json()
    if "error" in body:
        body["error"].pop("request_id")
        body["error"].pop("timestamp")
    return response.status_code, body


def test_no_enumeration_on_login_reset_and_signup(
    stack: Stack, browser: Callable[[], Browser], platform_headers: dict[str, str], tenant: str
) -> None:
    client = browser()
    existing, disabled, locked = (f"{unique_id(n)}@example.com" for n in ("known", "disabled", "locked"))
    for email in (existing, disabled, locked):
        client.signup_and_verify(email)
    users = stack_users(stack, platform_headers, tenant)
    httpx.post(f"{stack.gateway_url}/tenant/{tenant}/api/v1/users/{users[disabled]}:disable",
               headers=platform_headers, json={}, timeout=30)
    for _ in range(5):
        client.login(locked, "wrong password attempt")
    unknown = f"{unique_id('nobody')}@example.com"
    answers = {email: _comparable(client.login(email, "wrong password attempt"))
               for email in (existing, disabled, locked, unknown)}
    assert len(set(map(str, answers.values()))) == 1, answers
    # Even the right password says the same for disabled and locked accounts.
    assert _comparable(client.login(disabled)) == answers[unknown]
    assert _comparable(client.login(locked)) == answers[unknown]
    resets = {email: _comparable(client.post("/api/v1/auth/password-reset", {"email": email}))
              for email in (existing, disabled, unknown)}
    assert len(set(map(str, resets.values()))) == 1
    signups = {email: _comparable(client.post("/api/v1/auth/signup", {"email": email, "password": PASSWORD}))
               for email in (existing, f"{unique_id('new')}@example.com")}
    assert len(set(map(str, signups.values()))) == 1


def stack_users(stack: Stack, headers: dict[str, str], tenant: str) -> dict[str, str]:
    listed = httpx.get(f"{stack.gateway_url}/tenant/{tenant}/api/v1/users", headers=headers,
                       params={"page_size": 100}, timeout=30).json()["users"]
    return {u["email"]: u["user_id"] for u in listed}


def test_parallel_wrong_passwords_lock_the_account_until_unlocked(
    stack: Stack, browser: Callable[[], Browser], platform_headers: dict[str, str], tenant: str
) -> None:
    client = browser()
    email = f"{unique_id('target')}@example.com"
    client.signup_and_verify(email)

    def attempt(_: int) -> int:
        with httpx.Client(base_url=f"{stack.gateway_url}/tenant/{tenant}", timeout=30) as c:
            return c.post("/api/v1/auth/login", json={"email": email, "password": "not it at all"}).status_code

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        assert set(pool.map(attempt, range(12))) == {401}
    assert_envelope(client.login(email), 401, "INVALID_CREDENTIALS")  # locked: the right password fails too
    user_id = stack_users(stack, platform_headers, tenant)[email]
    admin = f"{stack.gateway_url}/tenant/{tenant}/api/v1/users/{user_id}"
    assert httpx.get(admin, headers=platform_headers, timeout=30).json()["state"] == "USER_STATE_LOCKED"
    httpx.post(f"{admin}:unlock", headers=platform_headers, json={}, timeout=30)
    assert client.login(email).status_code == 200


def test_tenants_are_separate_user_bases(stack: Stack, new_tenant: Callable[..., dict[str, Any]]) -> None:
    a, b = Browser(stack, new_tenant()["tenant_id"]), Browser(stack, new_tenant()["tenant_id"])
    email = f"{unique_id('twin')}@example.com"
    try:
        a.signup_and_verify(email, "password of tenant a")
        b.signup_and_verify(email, "password of tenant b")
        user_a = a.login(email, "password of tenant a").json()["user"]["user_id"]
        user_b = b.login(email, "password of tenant b").json()["user"]["user_id"]
        assert user_a != user_b
        assert_envelope(a.login(email, "password of tenant b"), 401, "INVALID_CREDENTIALS")
        stolen = a.client.cookies.get("binoauth_session")
        response = httpx.get(f"{stack.gateway_url}/tenant/{b.tenant_id}/api/v1/users/me",
                             headers={"Cookie": f"binoauth_session={stolen}"}, timeout=30)
        assert_envelope(response, 401, "SESSION_REQUIRED")
    finally:
        a.close()
        b.close()


def test_disabling_a_user_ends_their_sessions_at_once(
    stack: Stack, browser: Callable[[], Browser], platform_headers: dict[str, str], tenant: str
) -> None:
    frank = browser()
    email = f"{unique_id('frank')}@example.com"
    frank.signup_and_verify(email)
    frank.login(email)
    assert frank.get("/api/v1/users/me").status_code == 200
    user_id = stack_users(stack, platform_headers, tenant)[email]
    disabled = httpx.post(f"{stack.gateway_url}/tenant/{tenant}/api/v1/users/{user_id}:disable",
                          headers=platform_headers, json={}, timeout=30)
    assert disabled.json()["state"] == "USER_STATE_DISABLED"
    assert_envelope(frank.get("/api/v1/users/me"), 401, "SESSION_REQUIRED")
    assert_envelope(frank.login(email), 401, "INVALID_CREDENTIALS")
