"""SMS: the `SmsSender` port, a signed HTTP webhook adapter and a development file sender.

The webhook receives `{"to": "+E164", "text": "..."}` with
`X-Binoauth-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + the exact body>`.
The receiver recomputes it with the shared secret, compares in constant time and refuses a
timestamp more than five minutes away from its clock, so a captured request cannot be
replayed later. `Idempotency-Key` is the same on every attempt to deliver one message:
delivery is at least once, and the receiver drops repeats by this key."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import json
import os
import re
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Protocol
from urllib.parse import urlsplit

import structlog

from services.common.errors import Unavailable
from services.common.settings import Secret, SettingsError
from services.identity.messaging.mail import recipient_hash

SIGNATURE_HEADER: Final = "X-Binoauth-Signature"
IDEMPOTENCY_HEADER: Final = "Idempotency-Key"
SIGNATURE_TOLERANCE_SECONDS: Final = 300
E164: Final = re.compile(r"^\+[1-9][0-9]{6,14}$")
MAX_TEXT: Final = 1600
MAX_RESPONSE_BYTES: Final = 64 * 1024
DEFAULT_DEV_FILE: Final = ".data/sms.jsonl"

_log = structlog.get_logger("messaging")


@dataclass
class SmsDeliveryError(Unavailable):
    """The SMS webhook could not be reached or did not answer 2xx. The message carries no
    phone number, text or response body."""

    default_reason = "SMS_DELIVERY_FAILED"


class SmsSender(Protocol):
    async def send(self, to_e164: str, text: str, *, message_id: str = "") -> None:
        """`message_id`: the same for every attempt to deliver one message."""
        ...


def check_sms(to_e164: str, text: str) -> None:
    if not E164.match(to_e164):
        raise ValueError("the phone number must be in E.164 form, e.g. +14155550123")
    if not text or len(text) > MAX_TEXT:
        raise ValueError(f"the SMS text must have 1 to {MAX_TEXT} characters")


def _mac(secret: Secret, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.reveal().encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def sign(secret: Secret, body: bytes, timestamp: int) -> str:
    """The signature header value for `body` sent at `timestamp` (unix seconds)."""
    return f"t={timestamp},v1={_mac(secret, timestamp, body)}"


def verify_signature(secret: Secret, body: bytes, header: str, now: float,
                     tolerance: int = SIGNATURE_TOLERANCE_SECONDS) -> bool:
    """For receivers (and tests): the header signs `body`, with a timestamp within
    `tolerance` seconds of `now`; the MAC is compared in constant time."""
    fields = dict(part.partition("=")[::2] for part in header.strip().split(","))
    try:
        timestamp = int(fields.get("t", ""))
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = _mac(secret, timestamp, body).encode("ascii")
    return hmac.compare_digest(expected, fields.get("v1", "").encode("ascii", "replace"))


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A 3xx is an error: the signed body must not follow a redirect anywhere."""

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str,
                         headers: Any, newurl: str) -> urllib.request.Request | None:
        return None


class WebhookSmsSender:
    """POSTs each message as signed JSON to an HTTPS endpoint (plain http only on loopback)."""

    def __init__(self, url: str, secret: Secret, timeout: float = 5.0, *,
                 max_response_bytes: int = MAX_RESPONSE_BYTES) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SettingsError("BINOAUTH_SMS_WEBHOOK_URL must be an absolute https URL")
        if parts.scheme == "http" and not _is_loopback(parts.hostname):
            raise SettingsError("BINOAUTH_SMS_WEBHOOK_URL must use https (http only for loopback)")
        if parts.username is not None or parts.password is not None:
            raise SettingsError("BINOAUTH_SMS_WEBHOOK_URL must not carry credentials")
        if not secret:
            raise SettingsError("BINOAUTH_SMS_WEBHOOK_SECRET is required with BINOAUTH_SMS_WEBHOOK_URL")
        if not timeout > 0:
            raise SettingsError("the SMS webhook timeout must be greater than 0")
        self._url = url
        self._secret = secret
        self._timeout = timeout
        self._max_response_bytes = max_response_bytes
        # No redirects, and no proxy taken from the environment.
        self._opener = urllib.request.build_opener(_NoRedirect(), urllib.request.ProxyHandler({}))

    async def send(self, to_e164: str, text: str, *, message_id: str = "") -> None:
        check_sms(to_e164, text)
        body = json.dumps({"to": to_e164, "text": text}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        tag = recipient_hash(to_e164)
        try:
            await asyncio.wait_for(asyncio.to_thread(self._post, body, message_id), timeout=self._timeout * 2)
        except SmsDeliveryError as exc:
            _log.warning("sms delivery failed", recipient_hash=tag, reason=exc.message)
            raise
        except TimeoutError:
            _log.warning("sms delivery failed", recipient_hash=tag, reason="timed out")
            raise SmsDeliveryError("the SMS webhook did not answer in time") from None
        _log.info("sms sent", recipient_hash=tag)

    def _post(self, body: bytes, message_id: str) -> None:
        # The scheme is checked in __init__ (https, or http on loopback).
        request = urllib.request.Request(self._url, data=body, method="POST", headers={  # noqa: S310
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "BinoAuth-SMS/1",
            SIGNATURE_HEADER: sign(self._secret, body, int(time.time())),
            **({IDEMPOTENCY_HEADER: message_id} if message_id else {}),
        })
        try:
            with self._opener.open(request, timeout=self._timeout) as response:
                response.read(self._max_response_bytes)
                status = int(response.status)
        except urllib.error.HTTPError as exc:
            exc.close()
            raise SmsDeliveryError(f"the SMS webhook answered {exc.code}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise SmsDeliveryError(f"the SMS webhook could not be reached ({type(exc).__name__})") from None
        if not 200 <= status < 300:
            raise SmsDeliveryError(f"the SMS webhook answered {status}")


class DevSmsSender:
    """Appends each message as a JSON line {"time", "to", "text"} to a file, for `make run`
    and tests. The file holds live codes: it is created 0600, and this sender must never be
    used in production (`sms_sender_from_env` logs a warning when it picks it)."""

    def __init__(self, path: Path) -> None:
        self._path = Path(path)

    @property
    def path(self) -> Path:
        return self._path

    async def send(self, to_e164: str, text: str, *, message_id: str = "") -> None:
        check_sms(to_e164, text)
        line = json.dumps({"time": datetime.now(UTC).isoformat(timespec="milliseconds"), "to": to_e164,
                           "text": text}, ensure_ascii=False) + "\n"
        await asyncio.to_thread(self._append, line.encode("utf-8"))
        _log.info("sms written to the development file", recipient_hash=recipient_hash(to_e164))

    def _append(self, data: bytes) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        # One write() on an O_APPEND descriptor: lines from several replicas never interleave.
        fd = os.open(self._path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)

    def messages(self) -> list[dict[str, str]]:
        """Every message written so far, oldest first (for tests and tooling)."""
        if not self._path.exists():
            return []
        out: list[dict[str, str]] = []
        for line in self._path.read_text("utf-8").splitlines():
            if line.strip():
                out.append({str(k): str(v) for k, v in json.loads(line).items()})
        return out


def sms_sender_from_env(env: Mapping[str, str]) -> SmsSender:
    """The webhook sender when BINOAUTH_SMS_WEBHOOK_URL is set, else the development sender."""
    url = env.get("BINOAUTH_SMS_WEBHOOK_URL", "")
    if url:
        raw = env.get("BINOAUTH_SMS_WEBHOOK_TIMEOUT_SECONDS", "") or "5"
        try:
            timeout = float(raw)
        except ValueError:
            raise SettingsError(f"BINOAUTH_SMS_WEBHOOK_TIMEOUT_SECONDS must be a number, got {raw!r}") from None
        return WebhookSmsSender(url, Secret(env.get("BINOAUTH_SMS_WEBHOOK_SECRET", "")), timeout)
    path = Path(env.get("BINOAUTH_SMS_DEV_FILE", "") or DEFAULT_DEV_FILE)
    _log.warning("BINOAUTH_SMS_WEBHOOK_URL is not set: SMS messages go to a local development file",
                 file=str(path))
    return DevSmsSender(path)
