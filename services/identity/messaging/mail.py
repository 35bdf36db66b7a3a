"""Email over SMTP: settings from the environment, the `Mailer` port and its smtplib adapter.

Bodies carry one-time codes and sign-in links, so nothing here ever logs a body, a link or
a recipient address: only the template name and a short hash of the recipient."""

from __future__ import annotations

import asyncio
import hashlib
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Final, Literal, Protocol

import structlog

from services.common.errors import Unavailable
from services.common.settings import Secret, SettingsError

Security = Literal["none", "starttls", "tls"]
SECURITY_MODES: Final[tuple[Security, ...]] = ("none", "starttls", "tls")
LOOPBACK_HOSTS: Final = frozenset({"localhost", "127.0.0.1", "::1"})

_log = structlog.get_logger("messaging")


def recipient_hash(address: str) -> str:
    """A short, stable tag for a recipient in logs: correlates lines, shows no address."""
    return hashlib.sha256(address.strip().lower().encode("utf-8")).hexdigest()[:16]


def _has_control(value: str) -> bool:
    return any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value)


@dataclass(frozen=True)
class OutgoingMail:
    """One rendered message to one recipient. `template` names it in logs; `from_name`
    (the tenant's display name) replaces the configured sender name when set."""

    to: str
    subject: str
    text: str
    html: str
    template: str = ""
    from_name: str = ""


@dataclass
class MailDeliveryError(Unavailable):
    """The SMTP server could not be reached or refused the message.

    `permanent` is True for a 5xx answer (retrying the same message will not help). The
    message never contains the server's reply, the recipient or the body."""

    default_reason = "MAIL_DELIVERY_FAILED"
    permanent: bool = False


@dataclass(frozen=True)
class MailSettings:
    host: str = "127.0.0.1"
    port: int = 2525
    security: Security = "none"
    username: str = ""
    password: Secret = field(default_factory=lambda: Secret(""))
    from_address: str = "no-reply@localhost"
    from_name: str = "BinoAuth"
    # Seconds for each socket operation and for a whole delivery.
    timeout: float = 10.0

    def __post_init__(self) -> None:
        if not self.host or _has_control(self.host):
            raise SettingsError("BINOAUTH_SMTP_HOST must be a host name")
        if not 0 < self.port < 65536:
            raise SettingsError("BINOAUTH_SMTP_PORT must be between 1 and 65535")
        if self.security not in SECURITY_MODES:
            raise SettingsError("BINOAUTH_SMTP_SECURITY must be none, starttls or tls")
        if bool(self.username) != bool(self.password):
            raise SettingsError("BINOAUTH_SMTP_USERNAME and BINOAUTH_SMTP_PASSWORD go together")
        if self.username and self.security == "none" and self.host.lower() not in LOOPBACK_HOSTS:
            # smtplib would send AUTH PLAIN in the clear.
            raise SettingsError("SMTP credentials need BINOAUTH_SMTP_SECURITY=starttls or tls")
        if _has_control(self.from_address) or _has_control(self.from_name):
            raise SettingsError("BINOAUTH_SMTP_FROM and BINOAUTH_SMTP_FROM_NAME must be single-line")
        try:
            Address(display_name=self.from_name, addr_spec=self.from_address)
        except (ValueError, IndexError) as exc:
            raise SettingsError(f"BINOAUTH_SMTP_FROM is not an email address: {self.from_address!r}") from exc
        if "@" not in self.from_address:
            raise SettingsError(f"BINOAUTH_SMTP_FROM is not an email address: {self.from_address!r}")
        if not self.timeout > 0:
            raise SettingsError("BINOAUTH_SMTP_TIMEOUT_SECONDS must be greater than 0")

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> MailSettings:
        security = env.get("BINOAUTH_SMTP_SECURITY", "none").strip().lower() or "none"
        if security not in SECURITY_MODES:
            raise SettingsError(f"BINOAUTH_SMTP_SECURITY must be none, starttls or tls, got {security!r}")
        port_raw = env.get("BINOAUTH_SMTP_PORT", "") or "2525"
        timeout_raw = env.get("BINOAUTH_SMTP_TIMEOUT_SECONDS", "") or "10"
        try:
            port = int(port_raw)
        except ValueError:
            raise SettingsError(f"BINOAUTH_SMTP_PORT must be an integer, got {port_raw!r}") from None
        try:
            timeout = float(timeout_raw)
        except ValueError:
            raise SettingsError(f"BINOAUTH_SMTP_TIMEOUT_SECONDS must be a number, got {timeout_raw!r}") from None
        return cls(
            host=env.get("BINOAUTH_SMTP_HOST", "") or "127.0.0.1",
            port=port,
            security=security,
            username=env.get("BINOAUTH_SMTP_USERNAME", ""),
            password=Secret(env.get("BINOAUTH_SMTP_PASSWORD", "")),
            from_address=env.get("BINOAUTH_SMTP_FROM", "") or "no-reply@localhost",
            from_name=env.get("BINOAUTH_SMTP_FROM_NAME", "") or "BinoAuth",
            timeout=timeout,
        )


class Mailer(Protocol):
    async def send(self, message: OutgoingMail, *, message_id: str = "") -> None:
        """`message_id`: the same for every attempt to deliver one message."""
        ...


def build_email(settings: MailSettings, message: OutgoingMail, message_id: str = "") -> EmailMessage:
    """The MIME message: multipart/alternative with the text part first, then HTML. With a
    `message_id`, the Message-ID header derives from it, so a message delivered twice (the
    outbox delivers at least once) is one message to the recipient's mail client."""
    if not message.to or _has_control(message.to) or "," in message.to or "@" not in message.to:
        raise ValueError("the recipient must be a single email address")
    if _has_control(message.subject) or _has_control(message.from_name):
        raise ValueError("the subject and sender name must be single lines")
    try:
        to = Address(addr_spec=message.to)
    except (ValueError, IndexError) as exc:
        raise ValueError("the recipient must be a single email address") from exc
    email = EmailMessage()
    email["From"] = Address(display_name=message.from_name or settings.from_name, addr_spec=settings.from_address)
    email["To"] = to
    email["Subject"] = message.subject
    email["Date"] = formatdate(usegmt=True)
    domain = settings.from_address.rpartition("@")[2]
    if message_id and message_id.replace("-", "").isalnum() and domain:
        email["Message-ID"] = f"<{message_id}@{domain}>"
    else:
        email["Message-ID"] = make_msgid(domain=domain or None)
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.text)
    email.add_alternative(message.html, subtype="html")
    return email


class SmtpMailer:
    """Sends through one SMTP server with stdlib smtplib, in a worker thread.

    A connection per message: sign-up and reset mails are rare enough that pooling would
    only add failure modes (servers drop idle connections)."""

    def __init__(self, settings: MailSettings, *, ssl_context: ssl.SSLContext | None = None) -> None:
        self._settings = settings
        self._ssl_context = ssl_context or ssl.create_default_context()

    @property
    def settings(self) -> MailSettings:
        return self._settings

    async def send(self, message: OutgoingMail, *, message_id: str = "") -> None:
        email = build_email(self._settings, message, message_id)
        tag = recipient_hash(message.to)
        try:
            # The socket timeout bounds each step; this bounds the whole conversation.
            await asyncio.wait_for(asyncio.to_thread(self._deliver, email, message.to),
                                   timeout=self._settings.timeout * 2)
        except MailDeliveryError as exc:
            _log.warning("mail delivery failed", template=message.template, recipient_hash=tag,
                         reason=exc.message, permanent=exc.permanent)
            raise
        except TimeoutError:
            _log.warning("mail delivery failed", template=message.template, recipient_hash=tag,
                         reason="timed out")
            raise MailDeliveryError("the mail server did not answer in time") from None
        _log.info("mail sent", template=message.template, recipient_hash=tag)

    def _deliver(self, email: EmailMessage, to: str) -> None:
        s = self._settings
        try:
            client: smtplib.SMTP
            if s.security == "tls":
                client = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=self._ssl_context)
            else:
                client = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            with client:
                if s.security == "starttls":
                    # No silent downgrade to plain text when the server does not offer it.
                    try:
                        client.starttls(context=self._ssl_context)
                    except smtplib.SMTPNotSupportedError:
                        raise MailDeliveryError("the mail server does not offer STARTTLS", permanent=True) from None
                    client.ehlo()
                if s.username:
                    client.login(s.username, s.password.reveal())
                client.send_message(email, from_addr=s.from_address, to_addrs=[to])
        except smtplib.SMTPAuthenticationError:
            raise MailDeliveryError("the mail server rejected the configured credentials",
                                    permanent=True) from None
        except smtplib.SMTPNotSupportedError:
            # AUTH not offered, or a non-ASCII address without SMTPUTF8.
            raise MailDeliveryError("the mail server does not support a required extension",
                                    permanent=True) from None
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            permanent = bool(codes) and all(500 <= code < 600 for code in codes)
            raise MailDeliveryError("the mail server refused the recipient", permanent=permanent) from None
        except smtplib.SMTPResponseException as exc:
            raise MailDeliveryError(f"the mail server answered {exc.smtp_code}",
                                    permanent=500 <= exc.smtp_code < 600) from None
        except ssl.SSLError:
            raise MailDeliveryError("TLS with the mail server failed") from None
        except (smtplib.SMTPException, OSError) as exc:
            # OSError covers refused connections, DNS failures and socket timeouts.
            raise MailDeliveryError(f"the mail server could not be reached ({type(exc).__name__})") from None
