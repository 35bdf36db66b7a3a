"""Web origins an application's browser code calls the token service from (CORS), like
Auth0's "Allowed Web Origins" and Keycloak's "Web Origins".

An origin is exactly scheme://host[:port]: https, or http on a loopback host; no path,
wildcard, credentials, query or fragment. The token, revocation and userinfo endpoints let
a browser read their answers only from an origin registered by the application concerned."""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import urlsplit

from services.common.errors import InvalidArgument
from services.token.applications.redirects import LOOPBACK_HOSTS

MAX_ORIGINS: Final = 20
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"^(?:\[[0-9a-f:.]+\]|{_LABEL}(?:\.{_LABEL})*)$")


def origin_problem(origin: str) -> str | None:
    if not isinstance(origin, str) or not origin or len(origin) > 300 or origin != origin.strip():
        return "must be an origin such as https://app.example.com"
    try:
        parts = urlsplit(origin)
        port = parts.port
    except ValueError:
        return "is not a valid origin"
    host = (parts.netloc.rsplit(":", 1)[0] if port is not None else parts.netloc)
    if parts.scheme not in ("https", "http") or not host or parts.path or parts.query or parts.fragment \
            or "@" in parts.netloc or "#" in origin or "?" in origin:
        return "must be scheme://host[:port] only (no path, query, fragment or credentials)"
    if host != host.lower() or not _HOST.match(host):
        return "must have a lower-case host name without wildcards"
    if parts.scheme == "http" and host not in LOOPBACK_HOSTS:
        return "must use https (http only for localhost, 127.0.0.1 or [::1])"
    return None


def clean_origins(origins: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    if len(origins) > MAX_ORIGINS:
        raise InvalidArgument(f"allowed_origins may list at most {MAX_ORIGINS} origins", reason="INVALID_ORIGIN",
                              details={"field": "allowed_origins"})
    for origin in origins:
        problem = origin_problem(origin)
        if problem:
            raise InvalidArgument(f"origin {str(origin)[:300]!r} {problem}", reason="INVALID_ORIGIN",
                                  details={"field": "allowed_origins"})
    return tuple(dict.fromkeys(origins))
