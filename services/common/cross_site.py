"""Which RPCs may use browser cookies, and the cross-site check of the cookie JSON APIs.

A method declares its cookie use in its proto (``(binoauth.options.v1.cookies)``,
protos/binoauth/options/v1/options.proto); the interceptor reads the option once per method:

- unmarked: the method never sees the Cookie header (reading or setting it raises);
- ``COOKIE_USE_JSON_API``: before the method runs, a request a cross-site page could make
  without a CORS preflight is refused. Such a page can submit a form (text/plain,
  form-urlencoded, multipart) or navigate, with the browser attaching or accepting the
  session cookie: login CSRF through ``POST /api/v1/auth/login`` with a text/plain body
  that happens to be JSON, or a cross-site GET of a cookie API. Browsers tell us where a
  request came from (Sec-Fetch-Site, Origin); non-browser clients send neither and pass;
- ``COOKIE_USE_BROWSER_FORM``: HTML forms and OAuth wire endpoints, which defend themselves
  (CSRF token in the form, id_token_hint, consent page).
"""

from __future__ import annotations

import enum
from functools import cache
from typing import Any

from google.protobuf import descriptor_pool

from binoauth.options.v1 import options_pb2
from services.common.context import RequestMeta
from services.common.errors import PermissionDenied, UnsupportedMediaType


class CookieUse(enum.Enum):
    NONE = options_pb2.COOKIE_USE_UNSPECIFIED
    JSON_API = options_pb2.COOKIE_USE_JSON_API
    BROWSER_FORM = options_pb2.COOKIE_USE_BROWSER_FORM


# Sec-Fetch-Site values a cross-site page cannot cause: the page itself, or the user typing
# the address. "same-site" is refused as well: tenants on sibling subdomains are same-site.
_SAFE_FETCH_SITES = frozenset({"same-origin", "none"})
_DEFAULT_PORTS = {"http": "80", "https": "443"}
# The generated .pyi types extensions as plain FieldDescriptors, which Extensions[] rejects.
_COOKIES_OPTION: Any = options_pb2.cookies


@cache
def cookie_use(method: str) -> CookieUse:
    """The ``(binoauth.options.v1.cookies)`` option of ``/pkg.Service/Method`` (NONE when the
    method is unknown to the generated descriptors or has no option)."""
    try:
        found = descriptor_pool.Default().FindMethodByName(method.strip("/").replace("/", "."))
    except KeyError:
        return CookieUse.NONE
    # An unset enum option reads as its zero value, COOKIE_USE_UNSPECIFIED.
    return CookieUse(found.GetOptions().Extensions[_COOKIES_OPTION])


def refuse_cross_site(meta: RequestMeta) -> None:
    """Raises when a cookie JSON API request may come from another site (see module doc)."""
    site = meta.fetch_site.strip().lower()
    if site and site not in _SAFE_FETCH_SITES:
        raise _cross_site("Sec-Fetch-Site")
    if meta.origin and not same_origin(meta.origin, meta.authority):
        raise _cross_site("Origin")
    media = meta.content_type.split(";", 1)[0].strip().lower()
    # application/grpc*: native gRPC through the gateway, which no web page can send.
    if media and media != "application/json" and not media.startswith("application/grpc"):
        raise UnsupportedMediaType(
            "this endpoint takes a JSON body: send Content-Type: application/json",
            reason="UNSUPPORTED_MEDIA_TYPE", details={"content_type": media[:100]})


def _cross_site(header: str) -> PermissionDenied:
    return PermissionDenied(
        "cross-site requests to this endpoint are refused: call it from the same origin "
        "(or from a server, without Origin and Sec-Fetch-Site)",
        reason="CROSS_SITE_REQUEST", details={"header": header})


def same_origin(origin: str, authority: str) -> bool:
    """Whether the Origin header names the host and port the request was sent to (its
    :authority). "null" (sandboxed frames, some redirects) and malformed origins never match."""
    scheme, sep, rest = origin.strip().lower().partition("://")
    default = _DEFAULT_PORTS.get(scheme)
    if not sep or default is None or not rest or not authority or any(c in rest for c in "/?#@ "):
        return False
    return _host_port(rest, default) == _host_port(authority.strip().lower(), default)


def _host_port(value: str, default_port: str) -> tuple[str, str]:
    if value.startswith("["):  # [v6] or [v6]:port
        host, _, tail = value.partition("]")
        return host + "]", tail[1:] if tail.startswith(":") and tail[1:] else default_port
    host, sep, port = value.rpartition(":")
    if not sep:
        return value, default_port
    return host, port or default_port
