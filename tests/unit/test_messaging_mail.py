"""services.identity.messaging.mail: settings from the environment and the MIME message."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser

import pytest

from services.common.settings import Secret, SettingsError
from services.identity.messaging.mail import MailDeliveryError, MailSettings, OutgoingMail, build_email, recipient_hash

pytestmark = pytest.mark.unit


def test_defaults() -> None:
    s = MailSettings.from_env({})
    assert (s.host, s.port, s.security, s.username, s.from_address, s.from_name) == (
        "127.0.0.1", 2525, "none", "", "no-reply@localhost", "BinoAuth")
    assert not s.password
    assert s.timeout == 10.0


def test_from_env_reads_everything_and_hides_the_password() -> None:
    s = MailSettings.from_env({
        "BINOAUTH_SMTP_HOST": "smtp.example.com", "BINOAUTH_SMTP_PORT": "465", "BINOAUTH_SMTP_SECURITY": "TLS",
        "BINOAUTH_SMTP_USERNAME": "mailer", "BINOAUTH_SMTP_PASSWORD": "hunter2-smtp",
        "BINOAUTH_SMTP_FROM": "auth@example.com", "BINOAUTH_SMTP_FROM_NAME": "Example Auth",
        "BINOAUTH_SMTP_TIMEOUT_SECONDS": "3.5",
    })
    assert (s.host, s.port, s.security, s.username) == ("smtp.example.com", 465, "tls", "mailer")
    assert s.password == Secret("hunter2-smtp")
    assert (s.from_address, s.from_name, s.timeout) == ("auth@example.com", "Example Auth", 3.5)
    assert "hunter2" not in repr(s)


@pytest.mark.parametrize("env", [
    {"BINOAUTH_SMTP_PORT": "smtp"},
    {"BINOAUTH_SMTP_PORT": "0"},
    {"BINOAUTH_SMTP_PORT": "70000"},
    {"BINOAUTH_SMTP_SECURITY": "ssl"},
    {"BINOAUTH_SMTP_TIMEOUT_SECONDS": "0"},
    {"BINOAUTH_SMTP_TIMEOUT_SECONDS": "soon"},
    {"BINOAUTH_SMTP_FROM": "not-an-address"},
    {"BINOAUTH_SMTP_FROM": "a@example.com\r\nBcc: x@example.com"},
    {"BINOAUTH_SMTP_FROM_NAME": "Auth\nBcc: x@example.com"},
    {"BINOAUTH_SMTP_USERNAME": "user"},  # without a password
    # Credentials over plain text to a remote server.
    {"BINOAUTH_SMTP_HOST": "smtp.example.com", "BINOAUTH_SMTP_USERNAME": "u", "BINOAUTH_SMTP_PASSWORD": "p"},
])
def test_bad_settings_are_rejected(env: dict[str, str]) -> None:
    with pytest.raises(SettingsError):
        MailSettings.from_env(env)


def test_credentials_without_tls_are_allowed_on_loopback() -> None:
    s = MailSettings.from_env({"BINOAUTH_SMTP_USERNAME": "u", "BINOAUTH_SMTP_PASSWORD": "p"})
    assert s.username == "u"


def test_build_email_has_both_parts_and_headers() -> None:
    settings = MailSettings(from_address="auth@example.com", from_name="Platform")
    mail = OutgoingMail(to="user@example.com", subject="Sign in to Acme", text="plain body", html="<p>html body</p>",
                        template="magic_link", from_name='Acme "Corp", Inc.')
    message = build_email(settings, mail)
    parsed = BytesParser(policy=policy.default).parsebytes(message.as_bytes())
    assert parsed.get_content_type() == "multipart/alternative"
    assert parsed["To"] == "user@example.com"
    assert parsed["Subject"] == "Sign in to Acme"
    assert parsed["From"].addresses[0].display_name == 'Acme "Corp", Inc.'
    assert parsed["From"].addresses[0].addr_spec == "auth@example.com"
    assert parsed["Message-ID"].endswith("@example.com>")
    plain, rich = parsed.get_body(("plain",)), parsed.get_body(("html",))
    assert plain is not None and plain.get_content().strip() == "plain body"
    assert rich is not None and rich.get_content().strip() == "<p>html body</p>"


def test_build_email_falls_back_to_the_configured_sender_name() -> None:
    message = build_email(MailSettings(), OutgoingMail("u@example.com", "s", "t", "<p>h</p>"))
    assert str(message["From"]) == "BinoAuth <no-reply@localhost>"


@pytest.mark.parametrize("to", ["", "a@example.com, b@example.com", "a@example.com\r\nBcc: b@example.com", "nobody"])
def test_build_email_refuses_bad_recipients(to: str) -> None:
    with pytest.raises(ValueError):
        build_email(MailSettings(), OutgoingMail(to, "s", "t", "h"))


def test_build_email_refuses_multiline_subjects() -> None:
    with pytest.raises(ValueError):
        build_email(MailSettings(), OutgoingMail("u@example.com", "s\r\nBcc: x@example.com", "t", "h"))


def test_recipient_hash_is_stable_short_and_case_insensitive() -> None:
    assert recipient_hash("User@Example.com ") == recipient_hash("user@example.com")
    assert len(recipient_hash("user@example.com")) == 16
    assert "user" not in recipient_hash("user@example.com")


def test_delivery_error_is_a_503_without_details() -> None:
    error = MailDeliveryError("the mail server answered 550", permanent=True)
    assert error.reason == "MAIL_DELIVERY_FAILED"
    assert error.grpc_code.name == "UNAVAILABLE"
    assert error.permanent
