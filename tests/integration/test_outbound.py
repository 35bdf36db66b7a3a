"""services.common.outbound against real local HTTP and HTTPS servers: internal targets are
refused unless allowed, redirects are not followed, answers are capped in size and time,
and TLS still checks the host name although the connection goes to a pinned address."""

from __future__ import annotations

import json
import ssl
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.common.outbound import OutboundPolicy, OutboundRefused, fetch, fetch_json
from tests.integration.certificates import self_signed
from tests.local_http import serving

pytestmark = pytest.mark.integration

JWKS = {"keys": [{"kty": "EC", "crv": "P-256", "kid": "k", "x": "x", "y": "y"}]}


def _route(path: str) -> tuple[int, bytes, dict[str, str]]:
    if path == "/redirect":
        return 302, b"", {"Location": "http://169.254.169.254/latest/meta-data/"}
    if path == "/slow":
        time.sleep(3)
    if path == "/missing":
        return 404, b"{}", {}
    return 200, b"x" * 100_000 if path == "/big" else json.dumps(JWKS).encode(), {}


@pytest.fixture
def port() -> Iterator[int]:
    with serving(_route) as bound:
        yield bound


ALLOW = OutboundPolicy(allow_private=True, timeout_seconds=1.0, max_bytes=64 * 1024)


async def test_internal_targets_are_refused_by_default(port: int) -> None:
    strict = OutboundPolicy()
    with pytest.raises(OutboundRefused, match="https"):
        await fetch_json(f"http://127.0.0.1:{port}/jwks", strict)
    # Before any connection: the address (or what the name resolves to) is not public.
    for url in (f"https://127.0.0.1:{port}/jwks", f"https://localhost:{port}/jwks",
                "https://169.254.169.254/latest/meta-data/", "https://[::1]/jwks", "https://10.0.0.1/jwks"):
        with pytest.raises(OutboundRefused, match="not a public address"):
            await fetch_json(url, strict)


async def test_allowed_fetches_and_their_limits(port: int) -> None:
    assert await fetch_json(f"http://127.0.0.1:{port}/jwks", ALLOW) == JWKS
    with pytest.raises(OutboundRefused, match="redirects are not followed"):
        await fetch_json(f"http://127.0.0.1:{port}/redirect", ALLOW)
    with pytest.raises(OutboundRefused, match="larger than 65536 bytes"):
        await fetch_json(f"http://127.0.0.1:{port}/big", ALLOW)
    with pytest.raises(OutboundRefused, match="answered 404"):
        await fetch_json(f"http://127.0.0.1:{port}/missing", ALLOW)
    started = time.monotonic()
    with pytest.raises(OutboundRefused, match=r"timed out|TimeoutError"):
        await fetch_json(f"http://127.0.0.1:{port}/slow", ALLOW)
    assert time.monotonic() - started < 2.5


def test_tls_checks_the_host_name_of_the_pinned_connection(tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path, "localhost")
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    trusting = ssl.create_default_context(cafile=str(cert))
    with serving(_route, server_context) as tls_port:
        assert json.loads(fetch(f"https://localhost:{tls_port}/jwks", ALLOW, trusting)) == JWKS
        # Same server, same address, but the URL names a host the certificate is not for.
        with pytest.raises(OutboundRefused, match="SSL"):
            fetch(f"https://127.0.0.1:{tls_port}/jwks", ALLOW, trusting)
        # And an untrusted certificate is refused.
        with pytest.raises(OutboundRefused, match="SSL"):
            fetch(f"https://localhost:{tls_port}/jwks", ALLOW)
