"""`binoauth doctor`: is a deployment one that clients can rely on? Each check answers ok,
warn or fail with one line of detail; nothing here needs a credential, except the rate-limit
probe of the management API, which uses the profile's when there is one."""

from __future__ import annotations

import ipaddress
import socket
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from binoauth_sdk._token_rules import ALLOWED_ALGORITHMS, DEFAULT_LEEWAY_SECONDS
from binoauth_sdk.cli.api import UNREACHABLE, CliError, describe_transport_error, http_client

OK, WARN, FAIL, SKIP = "ok", "warn", "fail", "skip"
PRIVATE_JWK_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "k")
RATE_LIMIT_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "ratelimit-limit", "ratelimit")


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    detail: str


def _is_local(host: str) -> bool:
    if host in ("localhost",) or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_tls(url: str, timeout: float = 5) -> Check:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme != "https":
        if _is_local(host):
            return Check("tls", WARN, "plain http: acceptable on loopback only")
        return Check("tls", FAIL, "plain http to a remote host: tokens and passwords travel in clear")
    context = ssl.create_default_context()
    try:
        with socket.create_connection((host, parts.port or 443), timeout=timeout) as raw, \
                context.wrap_socket(raw, server_hostname=host) as tls:
            cert: dict[str, Any] = tls.getpeercert() or {}
            version = tls.version() or "?"
    except ssl.SSLCertVerificationError as error:
        return Check("tls", FAIL, f"certificate not trusted: {error.verify_message}")
    except (OSError, ssl.SSLError) as error:
        return Check("tls", FAIL, f"TLS handshake failed: {error}")
    not_after = cert.get("notAfter")
    days = None
    if isinstance(not_after, str):
        days = (datetime.fromtimestamp(ssl.cert_time_to_seconds(not_after), UTC) - datetime.now(UTC)).days
    if version in ("TLSv1", "TLSv1.1"):
        return Check("tls", FAIL, f"{version} is obsolete")
    if days is not None and days < 14:
        return Check("tls", WARN, f"{version}; the certificate expires in {days} days")
    return Check("tls", OK, f"{version}; certificate valid" + (f" for {days} more days" if days is not None else ""))


def check_clock(response: httpx.Response, now: datetime | None = None) -> Check:
    date = response.headers.get("date")
    if not date:
        return Check("clock", WARN, "the server sends no Date header")
    try:
        server = parsedate_to_datetime(date)
    except (TypeError, ValueError):
        return Check("clock", WARN, f"unreadable Date header {date!r}")
    skew = ((now or datetime.now(UTC)) - server).total_seconds()
    # The Date header has a resolution of one second.
    detail = (f"local clock {'ahead of' if skew >= 0 else 'behind'} the server by {abs(skew):.0f} s"
              if abs(skew) >= 1.5 else "in step with the server (within a second)")
    if abs(skew) > DEFAULT_LEEWAY_SECONDS:
        return Check("clock", FAIL, detail + f" (tokens allow {DEFAULT_LEEWAY_SECONDS} s)")
    return Check("clock", OK, detail)


def check_jwks(keys: Any) -> Check:
    if not isinstance(keys, list) or not keys:
        return Check("jwks", FAIL, "no keys published")
    problems = []
    for key in keys:
        if not isinstance(key, dict) or not key.get("kid"):
            problems.append("a key without kid")
        elif key.get("alg") not in ALLOWED_ALGORITHMS:
            problems.append(f"{key.get('kid')}: alg {key.get('alg')!r} not in {', '.join(ALLOWED_ALGORITHMS)}")
        elif any(member in key for member in PRIVATE_JWK_MEMBERS):
            problems.append(f"{key.get('kid')}: PRIVATE key material published")
    if problems:
        return Check("jwks", FAIL, "; ".join(problems))
    algorithms = sorted({str(k["alg"]) for k in keys})
    return Check("jwks", OK, f"{len(keys)} keys ({', '.join(algorithms)})")


def run(url: str, tenant: str = "", token: str = "") -> list[Check]:
    """All checks against `url` (the gateway); discovery and JWKS need a tenant."""
    checks: list[Check] = []
    seen: list[httpx.Response] = []
    with http_client(url, token=token) as client:
        def get(path: str, **kwargs: Any) -> httpx.Response:
            try:
                response = client.get(path, **kwargs)
            except httpx.TransportError as error:
                raise CliError(f"cannot reach {url}: {describe_transport_error(error)}", UNREACHABLE) from None
            seen.append(response)
            return response

        if tenant:
            discovery = get(f"/tenant/{tenant}/.well-known/openid-configuration")
            document: dict[str, Any] = {}
            if discovery.status_code == 200:
                try:
                    document = dict(discovery.json())
                except ValueError:
                    document = {}
            issuer = str(document.get("issuer", ""))
            if not issuer:
                checks.append(Check("discovery", FAIL, f"HTTP {discovery.status_code} from the tenant's "
                                    "openid-configuration"))
            elif not issuer.endswith(f"/tenant/{tenant}"):
                checks.append(Check("discovery", FAIL, f"issuer {issuer} is not this tenant's"))
            else:
                checks.append(Check("discovery", OK, f"issuer {issuer}"))
            # The published jwks_uri is built on the public URL, which may not be this address
            # (a gateway reached directly); the tenant's JWKS path is the same either way.
            jwks = get(f"/tenant/{tenant}/.well-known/jwks.json")
            try:
                keys = jwks.json().get("keys") if jwks.status_code == 200 else None
            except ValueError:
                keys = None
            checks.append(check_jwks(keys) if jwks.status_code == 200
                          else Check("jwks", FAIL, f"HTTP {jwks.status_code}"))
        else:
            get("/api/v1/openapi.json")
            checks.append(Check("discovery", SKIP, "give --tenant to check a tenant's discovery and JWKS"))
        if token:
            get("/api/v1/tenants", params={"page_size": 1})
        checks.append(check_clock(seen[0]))
    limited = [r for r in seen if any(h in r.headers for h in RATE_LIMIT_HEADERS)]
    if limited:
        checks.append(Check("rate-limits", OK, f"{limited[0].headers.get('x-ratelimit-limit', '?')} per window on "
                            f"{limited[0].request.url.path}"))
    else:
        checks.append(Check("rate-limits", WARN, "no X-RateLimit-* headers on "
                            + ", ".join(sorted({r.request.url.path for r in seen}))))
    checks.append(check_tls(url))
    return checks
