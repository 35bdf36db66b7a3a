"""Redirect URI rules (RFC 9700 §4.1, RFC 8252, security.md "Authorization server").

Registration accepts https URIs, http only on a loopback host (localhost, 127.0.0.1, [::1]),
and private-use reverse-domain schemes of native apps ("com.example.app:/callback"). It
refuses relative URIs, every other scheme (javascript:, data:, file:, ...), fragments,
wildcards, userinfo, whitespace and backslashes.

Which of these an application may register depends on its type (model.py): private-use
schemes are for native apps only.

At use, a presented redirect URI must equal a registered one character for character; the
only exception, for native apps only, is the port of a loopback http URI (RFC 8252 §7.3),
because they listen on an ephemeral port. A web server has a fixed port: letting it vary
would let any local process on another port receive a confidential client's codes."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Final

from services.common.errors import InvalidArgument

MAX_URI_LENGTH: Final = 2000
MAX_URIS: Final = 20
LOOPBACK_HOSTS: Final = frozenset({"localhost", "127.0.0.1", "[::1]"})

# Private-use scheme: reverse domain name, so at least one dot ("com.example.app").
_NATIVE_SCHEME = re.compile(r"^[a-z][a-z0-9+-]*(\.[a-z0-9][a-z0-9+-]*)+$")
# Host names and IP literals we accept in http(s) URIs (no userinfo, no percent-encoding).
_HOST = re.compile(r"^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)$")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# A loopback http URI split into the parts that must match and the port that may vary.
_LOOPBACK = re.compile(r"^http://(?P<host>localhost|127\.0\.0\.1|\[::1\])(?::(?P<port>[0-9]{1,5}))?(?P<rest>[/?].*)?$",
                       re.DOTALL)
_FORBIDDEN_CHARS = frozenset(" \t\r\n\\*#\"<>^`{|}") | frozenset(chr(c) for c in range(0x20)) | {"\x7f"}


def redirect_uri_problem(uri: str) -> str | None:
    """Why `uri` cannot be registered as a redirect URI, or None."""
    if not isinstance(uri, str) or not uri:
        return "must not be empty"
    if len(uri) > MAX_URI_LENGTH:
        return f"must be at most {MAX_URI_LENGTH} characters"
    if not uri.isascii():
        return "must be ASCII (percent-encode other characters)"
    if "#" in uri:
        return "must not contain a fragment"
    if "*" in uri:
        return "must not contain wildcards"
    bad = sorted(set(uri) & _FORBIDDEN_CHARS)
    if bad:
        return f"must not contain {bad[0]!r}"
    match = _SCHEME.match(uri)
    if not match:
        return "must be an absolute URI"
    scheme = match.group(1)
    if scheme != scheme.lower():
        return "must use a lower-case scheme"
    rest = uri[len(scheme) + 1:]
    if scheme in ("https", "http"):
        return _web_problem(scheme, rest)
    if _NATIVE_SCHEME.fullmatch(scheme):
        return _native_problem(rest)
    return "must use https, http on a loopback host, or a private-use scheme such as com.example.app:/callback"


def _split_authority(rest: str) -> tuple[str, str] | None:
    """'//authority/path?query' -> (authority, '/path?query'); None without '//'."""
    if not rest.startswith("//"):
        return None
    body = rest[2:]
    end = min((i for i in (body.find("/"), body.find("?")) if i >= 0), default=len(body))
    return body[:end], body[end:]


def _host_port_problem(authority: str) -> tuple[str, str | None]:
    """(host, problem) of an authority without userinfo."""
    if "@" in authority:
        return "", "must not contain userinfo"
    if authority.startswith("["):
        close = authority.find("]")
        if close < 0:
            return "", "has an invalid host"
        host, port = authority[: close + 1], authority[close + 1:]
    else:
        host, _, port_part = authority.partition(":")
        port = ":" + port_part if ":" in authority else ""
    if not host or not _HOST.fullmatch(host.lower()):
        return host, "has an invalid host"
    if port:
        digits = port[1:]
        if not digits.isdigit() or len(digits) > 5 or not 0 < int(digits) <= 65535:
            return host, "has an invalid port"
    return host, None


def _web_problem(scheme: str, rest: str) -> str | None:
    split = _split_authority(rest)
    if split is None:
        return "must have a host (scheme://host/...)"
    authority, _path = split
    host, problem = _host_port_problem(authority)
    if problem:
        return problem
    if scheme == "http" and host.lower() not in LOOPBACK_HOSTS:
        return "must use https (http is allowed only for localhost, 127.0.0.1 and [::1])"
    return None


def _native_problem(rest: str) -> str | None:
    split = _split_authority(rest)
    if split is not None:
        authority, rest = split
        if authority:
            _host, problem = _host_port_problem(authority)
            if problem:
                return problem
    if not rest.startswith("/"):
        return "must have a path after the private-use scheme (com.example.app:/callback)"
    return None


def is_private_use(uri: str) -> bool:
    """Whether `uri` uses a private-use (reverse-domain) scheme, which only native apps have."""
    match = _SCHEME.match(uri) if isinstance(uri, str) else None
    return match is not None and bool(_NATIVE_SCHEME.fullmatch(match.group(1)))


def validate_redirect_uris(uris: list[str], field: str, *, private_use: bool = True) -> list[str]:
    """The list to store (duplicates removed, order kept), or InvalidArgument naming the URI.
    Without `private_use` (web apps), private-use schemes are refused too."""
    if len(uris) > MAX_URIS:
        raise InvalidArgument(f"{field} may list at most {MAX_URIS} URIs", reason="INVALID_REDIRECT_URI",
                              details={"field": field})
    clean: list[str] = []
    for index, uri in enumerate(uris):
        problem = redirect_uri_problem(uri)
        if problem is None and not private_use and is_private_use(uri):
            problem = ("uses a private-use scheme, which only native applications may register "
                       "(application_type APPLICATION_TYPE_NATIVE)")
        if problem:
            raise InvalidArgument(f"{field}[{index}] {problem}", reason="INVALID_REDIRECT_URI",
                                  details={"field": field, "index": str(index)})
        if uri not in clean:
            clean.append(uri)
    return clean


def redirect_uri_matches(registered: Collection[str], presented: str, *, vary_loopback_port: bool = False) -> bool:
    """Whether `presented` may be used as the redirect URI of a client that registered
    `registered`: exact string equality; with `vary_loopback_port` (native apps only,
    RFC 8252 §7.3), a registered loopback http URI also matches the same URI with any port
    (or none)."""
    if not isinstance(presented, str) or not presented or len(presented) > MAX_URI_LENGTH:
        return False
    if presented in registered:
        return True
    if not vary_loopback_port:
        return False
    given = _LOOPBACK.fullmatch(presented)
    if given is None or "#" in presented or "@" in presented or not _valid_port(given.group("port")):
        return False
    for uri in registered:
        known = _LOOPBACK.fullmatch(uri)
        if (known is not None and known.group("host") == given.group("host")
                and (known.group("rest") or "") == (given.group("rest") or "")):
            return True
    return False


def _valid_port(port: str | None) -> bool:
    return port is None or (0 < int(port) <= 65535 and not (len(port) > 1 and port.startswith("0")))
