"""A local SMTP sink: keeps every message it receives so a developer (or a test) can read it.

    python -m tools.mailsink --port 2525 --folder .data/mail [--http-port 8025]

stores each message as FOLDER/<time>-<n>.eml, appends "time<TAB>to<TAB>subject" to
FOLDER/index.txt and, with --http-port, serves a read-only page listing the messages on
127.0.0.1. Tests use `MailSink` in-process on a free port:

    with MailSink() as sink:
        ... settings with BINOAUTH_SMTP_PORT=str(sink.port) ...
        message = await sink.wait_for("user@example.com")
        link = links_in(message)[0]
"""

from __future__ import annotations

import argparse
import asyncio
import html
import re
import signal
import ssl
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any, Self

from aiosmtpd.controller import Controller

LOOPBACK = "127.0.0.1"
_LINK = re.compile(r"https?://[^\s<>\"'`]+")
_INDEX_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def text_of(message: EmailMessage) -> str:
    """The text/plain body ('' when there is none)."""
    part = message.get_body(preferencelist=("plain",))
    return str(part.get_content()) if part is not None else ""


def html_of(message: EmailMessage) -> str:
    """The text/html body ('' when there is none)."""
    part = message.get_body(preferencelist=("html",))
    return str(part.get_content()) if part is not None else ""


def links_in(message: EmailMessage) -> list[str]:
    """The http(s) links of the text part, in order, without trailing punctuation."""
    return [link.rstrip(".,;:!?)]") for link in _LINK.findall(text_of(message))]


@dataclass(frozen=True)
class _Received:
    recipients: tuple[str, ...]  # lower-cased envelope and To recipients
    message: EmailMessage
    received_at: datetime


def _parse(raw: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(raw)


def _recipients(message: EmailMessage, envelope: Sequence[str] = ()) -> tuple[str, ...]:
    header = [addr for _, addr in getaddresses([str(v) for v in message.get_all("To", [])])]
    return tuple(sorted({a.strip().lower() for a in [*envelope, *header] if a.strip()}))


class _Handler:
    def __init__(self, sink: MailSink) -> None:
        self._sink = sink

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        self._sink._store(raw if isinstance(raw, bytes) else str(raw).encode("utf-8"), list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


class _Controller(Controller):
    """aiosmtpd's Controller, able to listen on port 0 (the port is read after binding)."""

    def _trigger_server(self) -> None:
        if self.port == 0 and isinstance(self.server, asyncio.Server):
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class MailSink:
    """An SMTP server on `host:port` (0 = a free port) keeping every message in memory and,
    with `folder`, on disk. Thread-safe: aiosmtpd runs in its own thread and loop."""

    def __init__(self, folder: Path | None = None, *, host: str = LOOPBACK, port: int = 0,
                 tls_context: ssl.SSLContext | None = None) -> None:
        """`tls_context` makes the sink offer STARTTLS (for tests of the TLS paths)."""
        self._folder = folder
        self._host = host
        extra: dict[str, Any] = {"tls_context": tls_context} if tls_context is not None else {}
        self._controller = _Controller(_Handler(self), hostname=host, port=port, **extra)
        self._lock = threading.Lock()
        self._received: list[_Received] = []
        self._counter = 0
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            for path in sorted(folder.glob("*.eml")):
                message = _parse(path.read_bytes())
                stamp = datetime.fromtimestamp(path.stat().st_mtime, UTC)
                self._received.append(_Received(_recipients(message), message, stamp))

    @property
    def host(self) -> str:
        return self._host

    @property
    def port(self) -> int:
        return int(self._controller.port)

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def _store(self, raw: bytes, envelope_to: list[str]) -> None:
        message = _parse(raw)
        now = datetime.now(UTC)
        with self._lock:
            self._counter += 1
            self._received.append(_Received(_recipients(message, envelope_to), message, now))
            if self._folder is not None:
                name = f"{now.strftime('%Y%m%dT%H%M%S%f')}-{self._counter:04d}.eml"
                (self._folder / name).write_bytes(raw)
                subject = _INDEX_CONTROL.sub(" ", str(message.get("Subject", "")))
                to = _INDEX_CONTROL.sub(" ", ", ".join(envelope_to))
                with (self._folder / "index.txt").open("a", encoding="utf-8") as index:
                    index.write(f"{now.isoformat(timespec='seconds')}\t{to}\t{subject}\n")

    def messages(self) -> list[EmailMessage]:
        """Every message received, oldest first."""
        with self._lock:
            return [r.message for r in self._received]

    def received(self) -> list[tuple[datetime, EmailMessage]]:
        with self._lock:
            return [(r.received_at, r.message) for r in self._received]

    def mark(self) -> int:
        """The number of messages so far: pass it as `since` to wait only for newer ones."""
        with self._lock:
            return len(self._received)

    def clear(self) -> None:
        with self._lock:
            self._received.clear()

    def find(self, to: str, since: int = 0) -> EmailMessage | None:
        """The newest message to `to` (case-insensitive) among those after `since`."""
        wanted = to.strip().lower()
        with self._lock:
            for item in reversed(self._received[since:]):
                if wanted in item.recipients:
                    return item.message
        return None

    async def wait_for(self, to: str, timeout: float = 5.0, *, since: int = 0) -> EmailMessage:  # noqa: ASYNC109
        """Waits (without blocking the event loop) for a message to `to`; the newest one."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.find(to, since)
            if found is not None:
                return found
            if time.monotonic() >= deadline:
                raise TimeoutError(f"no mail to {to} within {timeout} s")
            await asyncio.sleep(0.02)

    def wait_for_blocking(self, to: str, timeout: float = 5.0, *, since: int = 0) -> EmailMessage:
        """`wait_for` for synchronous callers (never call it from a running event loop)."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.find(to, since)
            if found is not None:
                return found
            if time.monotonic() >= deadline:
                raise TimeoutError(f"no mail to {to} within {timeout} s")
            time.sleep(0.02)


# --- the read-only page -----------------------------------------------------------------

_PAGE_HEADERS = {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # The links carry one-time codes: never leak them in a Referer.
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _linkify(text: str) -> str:
    out: list[str] = []
    last = 0
    for match in _LINK.finditer(text):
        link = match.group(0).rstrip(".,;:!?)]")
        out.append(html.escape(text[last:match.start()]))
        out.append(f'<a href="{html.escape(link, quote=True)}" rel="noreferrer">{html.escape(link)}</a>')
        last = match.start() + len(link)
    out.append(html.escape(text[last:]))
    return "".join(out)


def render_page(sink: MailSink, limit: int = 100) -> str:
    rows: list[str] = []
    for received_at, message in reversed(sink.received()[-limit:]):
        rows.append(
            "<article><p><b>{subject}</b><br>to {to} &middot; from {sender} &middot; {when}</p>"
            "<pre>{body}</pre></article>".format(
                subject=html.escape(str(message.get("Subject", ""))),
                to=html.escape(str(message.get("To", ""))),
                sender=html.escape(str(message.get("From", ""))),
                when=html.escape(received_at.isoformat(timespec="seconds")),
                body=_linkify(text_of(message)),
            ))
    body = "\n".join(rows) or "<p>No messages yet.</p>"
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>BinoAuth mail sink</title>"
            "<style>body{font-family:sans-serif;max-width:900px;margin:auto;padding:1em}"
            "article{border-bottom:1px solid #ccc}pre{white-space:pre-wrap}</style></head>"
            f"<body><h1>Mail sink ({len(rows)} newest)</h1>{body}</body></html>")


def serve_page(sink: MailSink, port: int, host: str = LOOPBACK) -> ThreadingHTTPServer:
    """Starts the page on a daemon thread; loopback only: the mails hold live sign-in links."""
    if host not in (LOOPBACK, "localhost", "::1"):
        raise ValueError("the mail sink page only listens on loopback")

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path not in ("/", "/index.html"):
                self.send_error(404)
                return
            data = render_page(sink).encode("utf-8")
            self.send_response(200)
            for name, value in _PAGE_HEADERS.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer((host, port), Page)
    threading.Thread(target=server.serve_forever, name="mailsink-http", daemon=True).start()
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.mailsink", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=LOOPBACK, help="SMTP listen address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=2525, help="SMTP port (default 2525)")
    parser.add_argument("--folder", type=Path, default=Path(".data/mail"), help="where messages are stored")
    parser.add_argument("--http-port", type=int, default=0, help="serve a page listing messages (0 = off)")
    args = parser.parse_args(argv)

    stopping = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    sink = MailSink(args.folder, host=args.host, port=args.port)
    sink.start()
    page = serve_page(sink, args.http_port) if args.http_port else None
    where = f"; page on http://{LOOPBACK}:{args.http_port}/" if page else ""
    print(f"mail sink: SMTP on {args.host}:{sink.port}, messages in {args.folder}{where}", flush=True)
    try:
        stopping.wait()
    finally:
        if page is not None:
            page.shutdown()
            page.server_close()
        sink.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
