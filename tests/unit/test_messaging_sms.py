"""services.identity.messaging.sms: signatures, URL policy and sender selection (no I/O)."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import pytest

from services.common.settings import Secret, SettingsError
from services.identity.messaging.sms import (
    DevSmsSender,
    WebhookSmsSender,
    sign,
    sms_sender_from_env,
    verify_signature,
)

pytestmark = pytest.mark.unit

SECRET = Secret("whsec-test-0123456789")


def test_signature_is_a_timestamped_hmac_sha256_of_the_body() -> None:
    body = b'{"to":"+14155550123","text":"Your code is 123456"}'
    now = 1_800_000_000
    expected = hmac.new(b"whsec-test-0123456789", b"1800000000." + body, hashlib.sha256).hexdigest()
    header = sign(SECRET, body, now)
    assert header == f"t={now},v1={expected}"
    assert verify_signature(SECRET, body, header, now)
    assert verify_signature(SECRET, body, header, now + 300) and verify_signature(SECRET, body, header, now - 300)
    assert not verify_signature(SECRET, body + b" ", header, now)
    assert not verify_signature(Secret("other"), body, header, now)
    # A captured request replayed later (or a forged timestamp) is refused.
    assert not verify_signature(SECRET, body, header, now + 301)
    assert not verify_signature(SECRET, body, f"t={now + 600},v1={expected}", now + 600)
    for broken in ("", "t=abc,v1=" + expected, f"v1={expected}", f"t={now}", f"t={now},v1=é"):
        assert not verify_signature(SECRET, body, broken, now)


@pytest.mark.parametrize("url", [
    "http://example.com/sms", "http://10.0.0.5/sms", "ftp://example.com/sms", "file:///etc/passwd",
    "example.com/sms", "https://user:pw@example.com/sms", "https:///sms",
])
def test_webhook_refuses_non_https_or_odd_urls(url: str) -> None:
    with pytest.raises(SettingsError):
        WebhookSmsSender(url, SECRET)


@pytest.mark.parametrize("url", [
    "https://sms.example.com/hook", "http://127.0.0.1:9000/hook", "http://localhost:9000/hook", "http://[::1]:9/h",
])
def test_webhook_accepts_https_and_loopback_http(url: str) -> None:
    WebhookSmsSender(url, SECRET)


def test_webhook_requires_a_secret_and_a_timeout() -> None:
    with pytest.raises(SettingsError):
        WebhookSmsSender("https://sms.example.com/hook", Secret(""))
    with pytest.raises(SettingsError):
        WebhookSmsSender("https://sms.example.com/hook", SECRET, timeout=0)


async def test_webhook_validates_the_message_before_any_request() -> None:
    sender = WebhookSmsSender("https://sms.invalid/hook", SECRET)
    for to, text in (("4155550123", "hi"), ("+0123456789", "hi"), ("+1415555", ""), ("+14155550123", "x" * 1601)):
        with pytest.raises(ValueError):
            await sender.send(to, text)


def test_from_env_picks_the_webhook_when_configured() -> None:
    sender = sms_sender_from_env({"BINOAUTH_SMS_WEBHOOK_URL": "https://sms.example.com/hook",
                                  "BINOAUTH_SMS_WEBHOOK_SECRET": "s3cret"})
    assert isinstance(sender, WebhookSmsSender)
    with pytest.raises(SettingsError):
        sms_sender_from_env({"BINOAUTH_SMS_WEBHOOK_URL": "https://sms.example.com/hook"})
    with pytest.raises(SettingsError):
        sms_sender_from_env({"BINOAUTH_SMS_WEBHOOK_URL": "http://sms.example.com/hook",
                             "BINOAUTH_SMS_WEBHOOK_SECRET": "s3cret"})


def test_from_env_falls_back_to_the_dev_file() -> None:
    sender = sms_sender_from_env({})
    assert isinstance(sender, DevSmsSender) and sender.path == Path(".data/sms.jsonl")
    custom = sms_sender_from_env({"BINOAUTH_SMS_DEV_FILE": "var/sms/dev.jsonl"})
    assert isinstance(custom, DevSmsSender) and custom.path == Path("var/sms/dev.jsonl")
