"""Per-RPC request context taken from gRPC metadata (which Envoy fills from HTTP headers)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from typing import Any, overload

import structlog

# Headers the gateway sets after removing any client-supplied copy; see gateway/README.md.
GATEWAY_MARK = "x-binoauth-gateway"
GATEWAY_TENANT = "x-binoauth-tenant"
# The client address Envoy trusts (TCP peer, or the X-Forwarded-For entry xff_num_trusted_hops
# allows); what rate limits, lockouts and audit records key on.
GATEWAY_CLIENT_IP = "x-binoauth-client-ip"
# The client's Content-Type and :authority, which the transcoder does not pass on.
GATEWAY_CONTENT_TYPE = "x-binoauth-content-type"
GATEWAY_AUTHORITY = "x-binoauth-authority"
# The admin console's session cookie, and the header without which management APIs ignore it
# (services/tenant/console.py). A page of another origin cannot add a custom header to a
# request without a CORS preflight, which the gateway never grants to management APIs: a
# CSRF defence on top of SameSite=Strict. The gateway passes this one x-binoauth-* header on.
CONSOLE_COOKIE = "binoauth_console"
CONSOLE_HEADER = "x-binoauth-console"


class UndeclaredCookieUse(RuntimeError):
    """An RPC read or set a cookie but its method lacks (binoauth.options.v1.cookies).

    A programming error (500, logged): declare the option in the proto, which also puts the
    method under the cross-site checks (services/common/cross_site.py)."""


class _CookieHeader:
    """``RequestMeta.cookie``: the Cookie header, for RPCs whose method declares cookie use.

    A data descriptor so that every existing reader (``meta.cookie``) is checked without
    changing the constructor; the interceptor names the undeclared method it serves."""

    def __set_name__(self, owner: type, name: str) -> None:
        self._slot = f"_{name}_value"

    @overload
    def __get__(self, obj: None, owner: Any) -> str: ...
    @overload
    def __get__(self, obj: RequestMeta, owner: Any) -> str: ...
    def __get__(self, obj: RequestMeta | None, owner: Any) -> str:
        if obj is None:
            return ""  # the dataclass default
        obj.require_cookie_use()
        return str(getattr(obj, self._slot))

    def __set__(self, obj: RequestMeta, value: str) -> None:
        object.__setattr__(obj, self._slot, value)


@dataclass(frozen=True)
class RequestMeta:
    """What a servicer may know about the caller, independent of gRPC types."""

    request_id: str
    ip_address: str
    user_agent: str
    forwarded_host: str
    via_gateway: bool
    path_tenant: str
    header_tenant: str
    authorization: str
    api_key: str
    # Raises UndeclaredCookieUse when undeclared_cookie_method is set.
    cookie: _CookieHeader = field(default=_CookieHeader(), repr=False, compare=False)
    # The browser's Origin header (CORS); "" for other clients.
    origin: str = ""
    # The client's Content-Type (through the gateway; "" without a body), Sec-Fetch-Site and
    # :authority (host[:port], through the gateway): what services/common/cross_site.py checks.
    content_type: str = ""
    fetch_site: str = ""
    authority: str = ""
    # Set by the interceptor to the RPC's method when its proto does not declare
    # (binoauth.options.v1.cookies): reading .cookie or setting a cookie then raises.
    undeclared_cookie_method: str = ""
    # The browser's Accept-Language: the hosted pages' language (services/common/pages/i18n.py).
    accept_language: str = ""
    # The console session cookie's secret, only for a request with X-BinoAuth-Console: 1 and no
    # Authorization or X-API-Key (a management credential like an admin token; see `credential`).
    console_session: str = field(default="", repr=False)

    def require_cookie_use(self) -> None:
        if self.undeclared_cookie_method:
            raise UndeclaredCookieUse(
                f"{self.undeclared_cookie_method} uses the session cookie but its proto method has no "
                "(binoauth.options.v1.cookies) option")

    @property
    def credential(self) -> str:
        """The bearer credential of a management call, from Authorization or X-API-Key."""
        if self.authorization[:7].lower() == "bearer ":
            return self.authorization[7:].strip()
        return self.api_key.strip() or self.console_session


def cookie_value(cookie_header: str, name: str) -> str:
    """One cookie's value from a Cookie header ("" when absent or the header is malformed)."""
    try:
        jar = SimpleCookie(cookie_header)
    except CookieError:
        return ""
    morsel = jar.get(name)
    return morsel.value if morsel else ""


def _console_session(md: dict[str, str]) -> str:
    if md.get(CONSOLE_HEADER, "").strip() != "1" or md.get("authorization") or md.get("x-api-key"):
        return ""
    return cookie_value(md.get("cookie", ""), CONSOLE_COOKIE)[:200]


def _first_forwarded(xff: str) -> str:
    # Envoy runs with use_remote_address and a configured number of trusted hops, and puts
    # the address it trusts as the client into x-envoy-external-address; XFF alone is
    # client-controlled.
    parts = [p.strip() for p in xff.split(",") if p.strip()]
    return parts[-1] if parts else ""


def request_meta(metadata: Iterable[tuple[str, str | bytes]] | None, peer: str = "",
                 undeclared_cookie_method: str = "") -> RequestMeta:
    md: dict[str, str] = {}
    for key, value in metadata or ():
        if isinstance(value, bytes):
            continue
        md.setdefault(key.lower(), value)
    via_gateway = md.get(GATEWAY_MARK) == "1"
    ip = (md.get(GATEWAY_CLIENT_IP, "") if via_gateway else "") or md.get("x-envoy-external-address") or (
        _first_forwarded(md.get("x-forwarded-for", "")) if via_gateway else ""
    )
    if not ip:
        ip = _peer_ip(peer)
    return RequestMeta(
        # Random like uuid4().hex (32 hex digits) at a fifth of its cost: Envoy's rate-limit calls carry none.
        request_id=md.get("x-request-id") or os.urandom(16).hex(),
        ip_address=ip,
        user_agent=md.get("user-agent", "")[:256],
        forwarded_host=md.get("x-forwarded-host", "").lower() if via_gateway else "",
        via_gateway=via_gateway,
        path_tenant=md.get(GATEWAY_TENANT, "") if via_gateway else "",
        header_tenant=md.get("x-tenant-id", ""),
        authorization=md.get("authorization", ""),
        api_key=md.get("x-api-key", ""),
        cookie=md.get("cookie", ""),
        origin=md.get("origin", "")[:300],
        # Without the gateway the caller is a native gRPC client (gRPC keeps content-type to itself).
        content_type=md.get(GATEWAY_CONTENT_TYPE, "")[:200] if via_gateway else "",
        fetch_site=md.get("sec-fetch-site", "")[:32],
        authority=md.get(GATEWAY_AUTHORITY, "")[:300] if via_gateway else "",
        undeclared_cookie_method=undeclared_cookie_method,
        accept_language=md.get("accept-language", "")[:512],
        console_session=_console_session(md),
    )


def _peer_ip(peer: str) -> str:
    # grpc peers look like "ipv4:127.0.0.1:5000" or "ipv6:[::1]:5000".
    if peer.startswith("ipv4:"):
        return peer[5:].rsplit(":", 1)[0]
    if peer.startswith("ipv6:"):
        return peer[5:].rsplit(":", 1)[0].strip("[]")
    return peer


_CURRENT: ContextVar[RequestMeta | None] = ContextVar("binoauth_request", default=None)


_ACTOR: ContextVar[str] = ContextVar("binoauth_actor", default="")
# time.monotonic() by which the current RPC's caller stops waiting (None: no deadline).
_DEADLINE: ContextVar[float | None] = ContextVar("binoauth_deadline", default=None)


def set_current_request(meta: RequestMeta) -> None:
    """Called by the server interceptor once per RPC."""
    _CURRENT.set(meta)
    _ACTOR.set("")


def current_request_or_none() -> RequestMeta | None:
    """The RPC's request context, for code that has no gRPC context at hand (None outside an RPC)."""
    return _CURRENT.get()


def set_current_actor(principal_id: str) -> None:
    """The API key or admin user acting in this RPC (set once its credential is checked)."""
    _ACTOR.set(principal_id)


def current_actor() -> str:
    return _ACTOR.get()


def current_request(context: Any) -> RequestMeta:
    """The RPC's request context, parsed once by the interceptor (parsed here otherwise)."""
    meta = _CURRENT.get()
    return meta if meta is not None else request_meta(context.invocation_metadata(), context.peer())


def bind(**values: str) -> None:
    """Adds fields (tenant_id, user_id, client_id...) to every log line of this RPC."""
    structlog.contextvars.bind_contextvars(**{k: v for k, v in values.items() if v})


def set_current_deadline(seconds_left: float | None) -> None:
    """The current RPC's deadline, from its context's time_remaining() (the interceptor sets it)."""
    _DEADLINE.set(None if seconds_left is None else time.monotonic() + seconds_left)


def call_timeout(default: float) -> float:
    """The timeout of a call made while serving an RPC: `default`, or less when the RPC's own
    caller gives up sooner (its deadline travels on: nobody works for an answer nobody awaits)."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return default
    return max(min(default, deadline - time.monotonic()), 0.001)
