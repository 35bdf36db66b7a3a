"""More identity flows through Envoy: phone verification by SMS, change of email, sign-up
switched off, single-use and purpose-bound codes, and the business metrics."""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.helpers import assert_envelope, unique_id
from tests.e2e.test_identity_flows import PASSWORD, Browser
from tools.mailsink import text_of
from tools.stack import Stack

pytestmark = pytest.mark.e2e


# These tests send many codes from one address: a tenant override of the verification budget
# (5 per minute per IP by default) keeps them independent of BINOAUTH_RATE_LIMIT_SCALE.
GENEROUS = {"verification": {"per_ip_per_minute": 100_000, "per_tenant_per_minute": 1_000_000}}


@pytest.fixture
def tenant(new_tenant: Callable[..., dict[str, Any]]) -> str:
    return str(new_tenant(display_name="More Corp", settings={
        "lockout_policy": {"max_failures": 10, "progressive_delay_seconds": 0}, "rate_limits": GENEROUS})[
        "tenant_id"])


@pytest.fixture
def browser(stack: Stack, tenant: str) -> Iterator[Callable[[], Browser]]:
    made: list[Browser] = []

    def make() -> Browser:
        made.append(Browser(stack, tenant))
        return made[-1]

    yield make
    for b in made:
        b.close()


def email_of(name: str) -> str:
    return f"{unique_id(name)}@example.com"


def signed_in(browser: Callable[[], Browser], name: str) -> tuple[Browser, str]:
    user, email = browser(), email_of(name)
    user.signup_and_verify(email)
    assert user.login(email).status_code == 200
    return user, email


def sms_code(stack: Stack, to: str, since: int, timeout: float = 10) -> str:
    """The code of the newest development SMS to `to` after the first `since` lines."""
    path = stack.data_dir / "sms.jsonl"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = path.read_text("utf-8").splitlines() if path.exists() else []
        for line in reversed(lines[since:]):
            message = json.loads(line)
            if message["to"] == to:
                found = re.search(r"\b(\d{6})\b", message["text"])
                assert found, message
                return found.group(1)
        time.sleep(0.05)
    raise TimeoutError(f"no SMS to {to} within {timeout} s")


def sms_mark(stack: Stack) -> int:
    path = stack.data_dir / "sms.jsonl"
    return len(path.read_text("utf-8").splitlines()) if path.exists() else 0


def new_phone() -> str:
    return f"+1415{secrets.randbelow(10_000_000):07d}"


def test_phone_verification_by_sms(stack: Stack, browser: Callable[[], Browser]) -> None:
    user, _ = signed_in(browser, "phone")
    phone = new_phone()
    since = sms_mark(stack)
    sent = user.post("/api/v1/users/me/phone:sendCode", {"phone_number": phone})
    assert sent.status_code == 200 and sent.json() == {"status": "sent"}, sent.text
    code = sms_code(stack, phone, since)
    line = [json.loads(x) for x in (stack.data_dir / "sms.jsonl").read_text("utf-8").splitlines()][-1]
    assert "More Corp" in line["text"]  # branded with the tenant's name
    me = user.get("/api/v1/users/me").json()
    assert me["phone_number"] == phone and not me.get("phone_verified")

    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert_envelope(user.post("/api/v1/users/me/phone:verify", {"code": wrong}), 400, "INVALID_CODE")
    assert_envelope(user.post("/api/v1/users/me/phone:verify", {"code": ""}), 400)
    verified = user.post("/api/v1/users/me/phone:verify", {"code": code})
    assert verified.status_code == 200, verified.text
    assert verified.json()["phone_verified"] is True and verified.json()["phone_number"] == phone
    assert user.get("/api/v1/users/me").json()["phone_verified"] is True
    # Single use.
    assert_envelope(user.post("/api/v1/users/me/phone:verify", {"code": code}), 400, "INVALID_CODE")

    # Another user cannot use someone else's code, even a live one.
    other, _ = signed_in(browser, "phone-other")
    other_phone = new_phone()
    since = sms_mark(stack)
    other.post("/api/v1/users/me/phone:sendCode", {"phone_number": other_phone})
    their_code = sms_code(stack, other_phone, since)
    assert_envelope(user.post("/api/v1/users/me/phone:verify", {"code": their_code}), 400, "INVALID_CODE")
    assert other.post("/api/v1/users/me/phone:verify", {"code": their_code}).json()["phone_verified"] is True


def test_phone_number_must_be_e164(browser: Callable[[], Browser]) -> None:
    user, _ = signed_in(browser, "e164")
    for bad in ("12345", "+0123456789", "+1 (415) abc", "+1234567890123456789", "not a phone"):
        assert_envelope(user.post("/api/v1/users/me/phone:sendCode", {"phone_number": bad}), 400,
                        "INVALID_PHONE_NUMBER")
    assert_envelope(user.post("/api/v1/users/me/phone:sendCode", {"phone_number": ""}), 400)
    # Without a session there is nothing to verify.
    assert_envelope(browser().post("/api/v1/users/me/phone:sendCode", {"phone_number": new_phone()}), 401,
                    "SESSION_REQUIRED")


def test_change_email_needs_the_password_and_reverification(stack: Stack, browser: Callable[[], Browser]) -> None:
    user, old = signed_in(browser, "mover")
    new = email_of("moved")
    assert_envelope(user.post("/api/v1/users/me:changeEmail", {"new_email": new, "current_password": "wrong one!"}),
                    401, "INVALID_CREDENTIALS")
    assert user.get("/api/v1/users/me").json()["email"] == old
    assert_envelope(user.post("/api/v1/users/me:changeEmail", {"new_email": "not an email", "current_password":
                                                               PASSWORD}), 400)

    since = user.mark()
    changed = user.post("/api/v1/users/me:changeEmail", {"new_email": new, "current_password": PASSWORD})
    assert changed.status_code == 200, changed.text
    assert changed.json()["email"] == new and changed.json()["email_verified"] is False
    assert stack.mail is not None
    notice = stack.mail.wait_for_blocking(old, timeout=10, since=since)
    assert "changed" in str(notice["Subject"]).lower()
    assert new not in text_of(notice)  # the old address is told, not given the new one
    code = user.mail_code(new, since)
    me = user.get("/api/v1/users/me").json()
    assert me["email"] == new and me["email_verified"] is False

    # The old address no longer signs in; the new one must be verified first.
    assert_envelope(browser().login(old), 401, "INVALID_CREDENTIALS")
    since = user.mark()
    assert_envelope(browser().login(new), 403, "EMAIL_NOT_VERIFIED")
    code = user.mail_code(new, since)  # a new link replaced the first one
    assert user.post("/api/v1/auth/verify-email", {"code": code}).json()["email"] == new
    assert user.get("/api/v1/users/me").json()["email_verified"] is True
    assert browser().login(new).status_code == 200


def test_change_email_to_a_taken_address_is_409(browser: Callable[[], Browser]) -> None:
    user, mine = signed_in(browser, "taker")
    _, theirs = signed_in(browser, "owner")
    for taken in (theirs, theirs.replace("example.com", "EXAMPLE.com")):
        assert_envelope(user.post("/api/v1/users/me:changeEmail", {"new_email": taken, "current_password": PASSWORD}),
                        409, "EMAIL_TAKEN")
    me = user.get("/api/v1/users/me").json()
    assert me["email"] == mine and me["email_verified"] is True


def test_verification_code_of_the_old_address_does_not_verify_the_new_one(browser: Callable[[], Browser]) -> None:
    user = browser()
    first = email_of("first")
    since = user.mark()
    user.post("/api/v1/auth/signup", {"email": first, "password": PASSWORD})
    stale = user.mail_code(first, since)
    # Unverified, but signed in through a magic link (which proves the first address).
    since = user.mark()
    user.post("/api/v1/auth/magic-link", {"email": first})
    assert user.post("/api/v1/auth/magic-link:consume", {"code": user.mail_code(first, since)}).status_code == 200
    second = email_of("second")
    assert user.post("/api/v1/users/me:changeEmail", {"new_email": second,
                                                      "current_password": PASSWORD}).status_code == 200
    assert_envelope(user.post("/api/v1/auth/verify-email", {"code": stale}), 400, "INVALID_CODE")
    assert user.get("/api/v1/users/me").json()["email_verified"] is False


def test_signup_disabled_per_tenant(stack: Stack, new_tenant: Callable[..., dict[str, Any]]) -> None:
    closed = Browser(stack, str(new_tenant(settings={"login_methods": {"signup": False}})["tenant_id"]))
    try:
        email = email_of("closed")
        since = closed.mark()
        assert_envelope(closed.post("/api/v1/auth/signup", {"email": email, "password": PASSWORD}), 403,
                        "SIGNUP_DISABLED")
        time.sleep(0.5)
        assert stack.mail is not None and stack.mail.find(email, since) is None
        # Other methods stay on.
        assert_envelope(closed.login(email), 401, "INVALID_CREDENTIALS")
    finally:
        closed.close()


def test_stack_scale_applies_to_tenant_defaults(stack: Stack, new_tenant: Callable[..., dict[str, Any]]) -> None:
    client = Browser(stack, str(new_tenant()["tenant_id"]))
    try:
        answers = [client.post("/api/v1/auth/password-reset", {"email": email_of("scale")}).status_code
                   for _ in range(8)]
        assert answers == [200] * 8  # default 5 per minute per IP, times 1000 on this stack
    finally:
        client.close()


def test_codes_are_single_use_and_bound_to_their_purpose(browser: Callable[[], Browser]) -> None:
    user = browser()
    email = email_of("codes")
    since = user.mark()
    user.post("/api/v1/auth/signup", {"email": email, "password": PASSWORD})
    verify_code = user.mail_code(email, since)
    # A verify-email code is no reset code, no magic link, no MFA token.
    assert_envelope(user.post("/api/v1/auth/password-reset:confirm",
                              {"code": verify_code, "new_password": "taken over by a verify code"}),
                    400, "INVALID_CODE")
    assert_envelope(user.post("/api/v1/auth/magic-link:consume", {"code": verify_code}), 400, "INVALID_CODE")
    assert_envelope(user.post("/api/v1/auth/login/mfa", {"mfa_token": verify_code, "code": "123456"}), 401,
                    "MFA_TOKEN_INVALID")
    # The misuse did not burn it: it works once for its own purpose, and only once.
    assert user.post("/api/v1/auth/verify-email", {"code": verify_code}).status_code == 200
    assert_envelope(user.post("/api/v1/auth/verify-email", {"code": verify_code}), 400, "INVALID_CODE")
    assert_envelope(user.login(email, "taken over by a verify code"), 401, "INVALID_CREDENTIALS")

    since = user.mark()
    user.post("/api/v1/auth/password-reset", {"email": email})
    reset_code = user.mail_code(email, since)
    assert_envelope(user.post("/api/v1/auth/verify-email", {"code": reset_code}), 400, "INVALID_CODE")
    assert_envelope(user.post("/api/v1/auth/magic-link:consume", {"code": reset_code}), 400, "INVALID_CODE")
    since = user.mark()
    user.post("/api/v1/auth/magic-link", {"email": email})
    magic_code = user.mail_code(email, since)
    assert_envelope(user.post("/api/v1/auth/password-reset:confirm",
                              {"code": magic_code, "new_password": "taken over by a magic link"}),
                    400, "INVALID_CODE")
    assert user.post("/api/v1/auth/password-reset:confirm",
                     {"code": reset_code, "new_password": "the real new passphrase"}).status_code == 200
    assert_envelope(user.post("/api/v1/auth/password-reset:confirm",
                              {"code": reset_code, "new_password": "a second new passphrase"}), 400, "INVALID_CODE")
    assert user.post("/api/v1/auth/magic-link:consume", {"code": magic_code}).status_code == 200
    assert_envelope(user.post("/api/v1/auth/magic-link:consume", {"code": magic_code}), 400, "INVALID_CODE")
    # Codes are bound to their tenant's users too: garbage and oversized codes are just invalid.
    for junk in ("", "x", "x" * 500):
        assert_envelope(user.post("/api/v1/auth/verify-email", {"code": junk}), 400)


def test_a_newer_code_replaces_the_older_one(browser: Callable[[], Browser]) -> None:
    user = browser()
    email = email_of("newer")
    user.signup_and_verify(email)
    since = user.mark()
    user.post("/api/v1/auth/password-reset", {"email": email})
    first = user.mail_code(email, since)
    since = user.mark()
    user.post("/api/v1/auth/password-reset", {"email": email})
    second = user.mail_code(email, since)
    assert first != second
    assert_envelope(user.post("/api/v1/auth/password-reset:confirm",
                              {"code": first, "new_password": "from the first mail"}), 400, "INVALID_CODE")
    assert user.post("/api/v1/auth/password-reset:confirm",
                     {"code": second, "new_password": "from the second mail"}).status_code == 200


_SAMPLE = re.compile(r"^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?P<labels>[^}]*)\})?\s+(?P<value>\S+)$")


def identity_metrics(stack: Stack) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of every identity replica, summed over replicas."""
    total: dict[tuple[str, frozenset[tuple[str, str]]], float] = {}
    for replica in stack.replicas["identity"]:
        text = httpx.get(f"http://127.0.0.1:{replica.metrics_port}/metrics", timeout=10).text
        for line in text.splitlines():
            match = _SAMPLE.match(line)
            if line.startswith("#") or not match:
                continue
            labels = frozenset(re.findall(r'(\w+)="([^"]*)"', match["labels"] or ""))
            key = (match["name"], labels)
            total[key] = total.get(key, 0.0) + float(match["value"])
    return total


def value(samples: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_business_metrics(stack: Stack, browser: Callable[[], Browser]) -> None:
    before = identity_metrics(stack)
    assert any(name == "binoauth_registrations_total" for name, _ in before)
    user = browser()
    email = email_of("metrics")
    user.signup_and_verify(email)
    assert user.login(email).status_code == 200
    assert user.login(email, "not the password at all").status_code == 401
    since = user.mark()
    user.post("/api/v1/auth/password-reset", {"email": email})
    user.mail_code(email, since)
    after = identity_metrics(stack)

    assert value(after, "binoauth_registrations_total") >= value(before, "binoauth_registrations_total") + 1
    for result in ("success", "failure"):
        assert value(after, "binoauth_logins_total", result=result) >= (
            value(before, "binoauth_logins_total", result=result) + 1), result
    for purpose in ("verify_email", "password_reset"):
        assert value(after, "binoauth_verifications_sent_total", purpose=purpose) >= (
            value(before, "binoauth_verifications_sent_total", purpose=purpose) + 1), purpose
    assert ("binoauth_lockouts_total", frozenset()) in after
    # No personal data in the labels.
    assert not any(email in str(labels) for _, labels in after)
