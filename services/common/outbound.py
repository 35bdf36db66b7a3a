"""Fetching URLs that tenants configure (an application's jwks_uri) without turning the
platform into a proxy into its own network (SSRF).

Every fetch resolves the host, refuses it unless every address is public (no loopback,
private, link-local, shared, reserved or multicast ranges, also when wrapped in IPv6),
then connects to the address it checked, so a DNS answer that changes between the check
and the connection cannot redirect it. Redirects are not followed, the answer is capped in
size and time, and no proxy from the environment is used."""

from __future__ import annotations

import asyncio
import http.client
import ipaddress
import json
import socket
import ssl
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import SplitResult, urlsplit

MAX_URL: Final = 2000
USER_AGENT: Final = "BinoAuth/1"


class OutboundRefused(Exception):
    """The URL may not be fetched, or fetching it failed; the message says why."""


@dataclass(frozen=True)
class OutboundPolicy:
    # Development and tests only: lets http:// and private or loopback targets through.
    allow_private: bool = False
    timeout_seconds: float = 3.0
    max_bytes: int = 64 * 1024


def url_problem(url: str) -> str | None:
    """What is wrong with `url` as a configured fetch target, before any network access."""
    if not isinstance(url, str) or not url or len(url) > MAX_URL:
        return f"must be an absolute https URL of at most {MAX_URL} characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return "is not a valid URL"
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return "must be an absolute https URL"
    if parts.username is not None or parts.password is not None:
        return "must not carry credentials"
    if parts.fragment or "#" in url:
        return "must not have a fragment"
    if any(ord(c) <= 0x20 or ord(c) == 0x7F for c in url):
        return "must not contain spaces or control characters"
    return None


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            return is_public(str(embedded))
    return ip.is_global and not ip.is_multicast


def _checked_target(url: str, policy: OutboundPolicy) -> tuple[SplitResult, str]:
    problem = url_problem(url)
    if problem:
        raise OutboundRefused(f"the URL {problem}")
    parts = urlsplit(url)
    if parts.scheme != "https" and not policy.allow_private:
        raise OutboundRefused("the URL must use https")
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise OutboundRefused("the host name does not resolve") from None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise OutboundRefused("the host name does not resolve")
    if not policy.allow_private and not all(is_public(a) for a in addresses):
        raise OutboundRefused("the host is not a public address")
    return parts, addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float, context: ssl.SSLContext) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self._address = address
        self._tls = context

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the host name, not the address we dialled.
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)


def fetch(url: str, policy: OutboundPolicy, ssl_context: ssl.SSLContext | None = None) -> bytes:
    """GET `url` under `policy` (blocking; see fetch_json for the async form): the body of a
    200 answer, or OutboundRefused."""
    response = send("GET", url, policy, ssl_context=ssl_context)
    if response.status != 200:
        raise OutboundRefused(f"the server answered {response.status}")
    return response.body


@dataclass(frozen=True)
class OutboundResponse:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes


def send(method: str, url: str, policy: OutboundPolicy, body: bytes | None = None,
         headers: dict[str, str] | None = None, ssl_context: ssl.SSLContext | None = None) -> OutboundResponse:
    """One request under `policy` (blocking) answered with any status but a redirect: the
    token endpoint's 400 carries an error to read. Same checks, pinning and caps as fetch."""
    parts, address = _checked_target(url, policy)
    host = parts.hostname or ""
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = _PinnedHTTPSConnection(host, parts.port or 443, address, policy.timeout_seconds,
                                            ssl_context or ssl.create_default_context())
    else:
        connection = _PinnedHTTPConnection(host, parts.port or 80, address, policy.timeout_seconds)
    try:
        connection.request(method, path, body=body, headers={
            "Accept": "application/json", "User-Agent": USER_AGENT, **(headers or {})})
        response = connection.getresponse()
        if 300 <= response.status < 400:
            raise OutboundRefused("redirects are not followed")
        data = response.read(policy.max_bytes + 1)
        answer_headers = {k.lower(): v for k, v in response.getheaders()}
    except (OSError, http.client.HTTPException) as error:
        raise OutboundRefused(f"the request failed ({type(error).__name__})") from None
    finally:
        connection.close()
    if len(data) > policy.max_bytes:
        raise OutboundRefused(f"the answer is larger than {policy.max_bytes} bytes")
    return OutboundResponse(response.status, answer_headers, data)


async def send_async(method: str, url: str, policy: OutboundPolicy, body: bytes | None = None,
                     headers: dict[str, str] | None = None) -> OutboundResponse:
    """`send` off the event loop, bounded in time."""
    try:
        return await asyncio.wait_for(asyncio.to_thread(send, method, url, policy, body, headers),
                                      timeout=policy.timeout_seconds * 2)
    except TimeoutError:
        raise OutboundRefused("the request timed out") from None


async def fetch_json(url: str, policy: OutboundPolicy) -> Any:
    """The JSON document at `url`, fetched under `policy`, or OutboundRefused."""
    response = await send_async("GET", url, policy)
    if response.status != 200:
        raise OutboundRefused(f"the server answered {response.status}")
    try:
        return json.loads(response.body)
    except ValueError:
        raise OutboundRefused("the answer is not JSON") from None
