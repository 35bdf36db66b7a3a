"""Messaging against real servers: SmtpMailer -> aiosmtpd (tools.mailsink), the SMS webhook
sender -> a local http.server, the development SMS file."""

from __future__ import annotations

import json
import ssl
import threading
import time
import urllib.request
from collections.abc import Iterator
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from services.common.settings import Secret
from services.identity.messaging import (
    DevSmsSender,
    MailDeliveryError,
    MailSettings,
    SmsDeliveryError,
    SmtpMailer,
    WebhookSmsSender,
    build_link,
    render,
)
from services.identity.messaging.sms import IDEMPOTENCY_HEADER, SIGNATURE_HEADER, verify_signature
from tests.integration.certificates import self_signed
from tools.devstack import free_port
from tools.mailsink import MailSink, html_of, links_in, serve_page, text_of

pytestmark = pytest.mark.integration

BASE = "https://auth.example.com/tenant/acme"


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[MailSink]:
    with MailSink(tmp_path / "mail") as running:
        yield running


def mailer_for(sink: MailSink, **env: str) -> SmtpMailer:
    return SmtpMailer(MailSettings.from_env({"BINOAUTH_SMTP_HOST": "127.0.0.1", "BINOAUTH_SMTP_PORT": str(sink.port),
                                             "BINOAUTH_SMTP_FROM": "auth@example.com", **env}))


async def test_verification_mail_arrives_with_both_parts_and_a_usable_link(sink: MailSink, tmp_path: Path) -> None:
    link = build_link(BASE, "/verify-email", code="c0de/+=?&")
    mail = render("verify_email", tenant_name="Acme <Corp>", to="New.User@example.com",
                  links={"verify": link}, values={"code": "123456"})
    await mailer_for(sink).send(mail)

    message = await sink.wait_for("new.user@example.com", timeout=5)
    assert message.get_content_type() == "multipart/alternative"
    assert message["From"].addresses[0].addr_spec == "auth@example.com"
    assert message["From"].addresses[0].display_name == "Acme <Corp>"
    assert message["To"] == "New.User@example.com"
    assert message["Subject"] == "Verify your email address for Acme <Corp>"
    assert "123456" in text_of(message)
    assert "Acme &lt;Corp&gt;" in html_of(message)
    links = links_in(message)
    assert links == [link]
    parts = urlsplit(links[0])
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{BASE}/verify-email"
    assert parse_qs(parts.query) == {"code": ["c0de/+=?&"]}

    # On disk too: the .eml and a one-line index entry.
    folder = tmp_path / "mail"
    assert len(list(folder.glob("*.eml"))) == 1
    index = (folder / "index.txt").read_text().splitlines()
    assert len(index) == 1 and "new.user@example.com" in index[0].lower() and "Verify your email" in index[0]


async def test_wait_for_returns_the_newest_message_and_honours_since(sink: MailSink) -> None:
    mailer = mailer_for(sink)
    for code in ("111111", "222222"):
        await mailer.send(render("password_reset", tenant_name="Acme", to="a@example.com",
                                 links={"reset": build_link(BASE, "/reset", code=code)}, values={"code": code}))
    newest = await sink.wait_for("a@example.com")
    assert "222222" in text_of(newest)
    mark = sink.mark()
    with pytest.raises(TimeoutError):
        await sink.wait_for("a@example.com", timeout=0.2, since=mark)
    await mailer.send(render("magic_link", tenant_name="Acme", to="a@example.com",
                             links={"login": build_link(BASE, "/magic", code="m")}, values={}))
    assert (await sink.wait_for("a@example.com", since=mark))["Subject"] == "Sign in to Acme"


async def test_messages_persist_across_sink_restarts(tmp_path: Path) -> None:
    folder = tmp_path / "persist"
    with MailSink(folder) as first:
        await mailer_for(first).send(render("invite", tenant_name="Acme", to="b@example.com",
                                            links={"accept": build_link(BASE, "/invite", code="i")}, values={}))
        await first.wait_for("b@example.com")
    with MailSink(folder) as second:
        assert [m["To"] for m in second.messages()] == ["b@example.com"]


async def test_delivery_to_a_closed_port_fails_fast_with_mail_delivery_error() -> None:
    mailer = SmtpMailer(MailSettings(port=free_port(), timeout=2))
    mail = render("magic_link", tenant_name="Acme", to="u@example.com",
                  links={"login": build_link(BASE, "/magic", code="x")}, values={})
    started = time.monotonic()
    with pytest.raises(MailDeliveryError) as caught:
        await mailer.send(mail)
    assert time.monotonic() - started < 2
    assert caught.value.reason == "MAIL_DELIVERY_FAILED"
    assert "u@example.com" not in str(caught.value)


async def test_starttls_is_required_when_configured(sink: MailSink) -> None:
    # The sink offers no STARTTLS: the mailer must refuse rather than send in the clear.
    mailer = mailer_for(sink, BINOAUTH_SMTP_SECURITY="starttls")
    with pytest.raises(MailDeliveryError, match="STARTTLS"):
        await mailer.send(render("magic_link", tenant_name="Acme", to="u@example.com",
                                 links={"login": build_link(BASE, "/magic", code="x")}, values={}))
    assert sink.messages() == []


async def test_mail_logs_carry_no_address_body_or_link(sink: MailSink, capsys: pytest.CaptureFixture[str]) -> None:
    link = build_link(BASE, "/magic", code="SECRET-LINK-CODE")
    await mailer_for(sink).send(render("magic_link", tenant_name="Acme", to="private.person@example.com",
                                       links={"login": link}, values={}))
    await sink.wait_for("private.person@example.com")
    out = capsys.readouterr()
    logged = out.out + out.err
    assert "magic_link" in logged
    assert "private.person" not in logged and "SECRET-LINK-CODE" not in logged


def test_the_page_lists_messages_escaped(sink: MailSink) -> None:
    import smtplib

    message = EmailMessage()
    message["From"] = "x@example.com"
    message["To"] = "c@example.com"
    message["Subject"] = "<script>alert(1)</script>"
    message.set_content("open https://auth.example.com/tenant/acme/magic?code=a&b=<c> now")
    with smtplib.SMTP("127.0.0.1", sink.port, timeout=5) as client:
        client.send_message(message)
    sink.wait_for_blocking("c@example.com")
    page_port = free_port()
    server = serve_page(sink, page_port)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{page_port}/", timeout=5) as response:
            body = response.read().decode()
            assert response.headers["Referrer-Policy"] == "no-referrer"
            assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    finally:
        server.shutdown()
        server.server_close()
    assert "<script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert 'href="https://auth.example.com/tenant/acme/magic?code=a&amp;b=&lt;c&gt;"' not in body  # '<' ends a link
    assert 'href="https://auth.example.com/tenant/acme/magic?code=a&amp;b="' in body
    with pytest.raises(ValueError):
        serve_page(sink, 0, host="0.0.0.0")


async def test_starttls_delivers_to_a_trusted_server_and_refuses_an_untrusted_one(tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    mail = render("magic_link", tenant_name="Acme", to="tls@example.com",
                  links={"login": build_link(BASE, "/magic", code="x")}, values={})
    with MailSink(tls_context=server_context) as sink:
        settings = MailSettings(port=sink.port, security="starttls", username="u", password=Secret("p"), timeout=5)
        # The default context does not trust a self-signed certificate: nothing is sent.
        with pytest.raises(MailDeliveryError, match="TLS"):
            await SmtpMailer(settings).send(mail)
        assert sink.messages() == []
        trusting = ssl.create_default_context(cafile=str(cert))
        no_auth = MailSettings(port=sink.port, security="starttls", timeout=5)
        await SmtpMailer(no_auth, ssl_context=trusting).send(mail)
        assert links_in(await sink.wait_for("tls@example.com")) == [f"{BASE}/magic?code=x"]


# --- SMS ----------------------------------------------------------------------------------

class _Hook:
    def __init__(self, status: int = 200, location: str | None = None) -> None:
        self.status = status
        self.location = location
        self.requests: list[tuple[dict[str, str], bytes]] = []


@pytest.fixture
def hook() -> Iterator[tuple[_Hook, int]]:
    state = _Hook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.requests.append(({k: v for k, v in self.headers.items()}, body))
            self.send_response(state.status)
            if state.location:
                self.send_header("Location", state.location)
            payload = b"x" * 200_000 if state.status == 200 else b"no"
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield state, server.server_address[1]
    server.shutdown()
    server.server_close()


SECRET = Secret("whsec-integration-0123456789")


async def test_webhook_posts_signed_json(hook: tuple[_Hook, int]) -> None:
    state, port = hook
    sender = WebhookSmsSender(f"http://127.0.0.1:{port}/sms", SECRET, timeout=5)
    await sender.send("+14155550123", "Your Acme code is 123456 — ünïcode", message_id="msg-1")
    await sender.send("+14155550123", "Your Acme code is 123456 — ünïcode", message_id="msg-1")
    assert len(state.requests) == 2
    headers, body = state.requests[0]
    assert json.loads(body) == {"to": "+14155550123", "text": "Your Acme code is 123456 — ünïcode"}
    assert headers["Content-Type"].startswith("application/json")
    assert verify_signature(SECRET, body, headers[SIGNATURE_HEADER], time.time())
    assert not verify_signature(Secret("wrong"), body, headers[SIGNATURE_HEADER], time.time())
    assert not verify_signature(SECRET, body, headers[SIGNATURE_HEADER], time.time() + 3600)
    # Two attempts at one message carry one key, so the receiver can drop the repeat.
    assert [h[IDEMPOTENCY_HEADER] for h, _ in state.requests] == ["msg-1", "msg-1"]


async def test_webhook_errors_and_redirects_are_delivery_errors(hook: tuple[_Hook, int]) -> None:
    state, port = hook
    sender = WebhookSmsSender(f"http://127.0.0.1:{port}/sms", SECRET, timeout=5)
    state.status = 500
    with pytest.raises(SmsDeliveryError, match="500"):
        await sender.send("+14155550123", "code 1")
    state.status, state.location = 302, f"http://127.0.0.1:{port}/elsewhere"
    with pytest.raises(SmsDeliveryError, match="302"):
        await sender.send("+14155550123", "code 2")
    assert len(state.requests) == 2  # the redirect was not followed


async def test_webhook_unreachable_fails_fast() -> None:
    sender = WebhookSmsSender(f"http://127.0.0.1:{free_port()}/sms", SECRET, timeout=2)
    started = time.monotonic()
    with pytest.raises(SmsDeliveryError):
        await sender.send("+14155550123", "code")
    assert time.monotonic() - started < 2


async def test_dev_sender_appends_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "sms.jsonl"
    sender = DevSmsSender(path)
    await sender.send("+14155550123", "first 111111")
    await sender.send("+447700900123", "second\n222222")
    lines = path.read_text("utf-8").splitlines()
    assert len(lines) == 2
    records = [json.loads(line) for line in lines]
    assert [(r["to"], r["text"]) for r in records] == [("+14155550123", "first 111111"),
                                                      ("+447700900123", "second\n222222")]
    assert all("time" in r for r in records)
    assert sender.messages()[1]["text"] == "second\n222222"
    assert path.stat().st_mode & 0o777 == 0o600
