"""Talking to an upstream provider: discovery, JWKS, the token endpoint, userinfo and
GitHub's user API. Every request goes through the platform's SSRF-safe outbound client
(services/common/outbound.py); discovery documents and key sets are cached as long as their
HTTP caching headers say, and a key set is fetched again (at most every few seconds) when a
token names a key it does not hold."""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Protocol
from urllib.parse import urlencode

from services.common.outbound import OutboundPolicy, OutboundRefused, OutboundResponse, send_async

DEFAULT_TTL = 300.0  # no caching headers
MAX_TTL = 86400.0
MIN_TTL = 30.0  # even "no-cache" answers are not refetched for every sign-in
JWKS_REFETCH_INTERVAL = 2.0  # an unknown kid refetches at most this often per key set
MAX_DOCUMENT = 256 * 1024


class UpstreamError(Exception):
    """The provider could not be used; `reason` is a metric label, the message is for logs."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


Sender = Callable[[str, str, bytes | None, dict[str, str]], Awaitable[OutboundResponse]]


def cache_lifetime(headers: dict[str, str], now: float | None = None) -> float:
    """Seconds an answer may be reused (RFC 9111): max-age, else Expires - Date; no-store and
    no-cache are honoured down to MIN_TTL (a provider that says no-cache still gets a short
    cache, or every sign-in would fetch it twice); capped at a day."""
    control = {p.strip().split("=", 1)[0].lower(): (p.split("=", 1)[1].strip('" ') if "=" in p else "")
               for p in headers.get("cache-control", "").split(",") if p.strip()}
    if "no-store" in control or "no-cache" in control:
        return MIN_TTL
    if "max-age" in control:
        try:
            return max(MIN_TTL, min(MAX_TTL, float(int(control["max-age"]))))
        except ValueError:
            return MIN_TTL
    if "expires" in headers:
        try:
            expires = parsedate_to_datetime(headers["expires"]).timestamp()
            date = parsedate_to_datetime(headers["date"]).timestamp() if "date" in headers else (now or time.time())
            return max(MIN_TTL, min(MAX_TTL, expires - date))
        except (TypeError, ValueError, IndexError):
            return MIN_TTL
    return DEFAULT_TTL


@dataclass
class _Cached:
    value: Any
    expires: float
    fetched: float


class Upstream(Protocol):
    async def discovery(self, issuer: str) -> dict[str, Any]: ...
    async def jwks(self, uri: str, *, refresh: bool = False) -> dict[str, Any]: ...
    async def token(self, endpoint: str, form: dict[str, str], headers: dict[str, str]) -> dict[str, Any]: ...
    async def get_json(self, url: str, access_token: str) -> Any: ...


class HttpUpstream:
    """The real upstream, cached per process (replicas each keep their own copy)."""

    def __init__(self, policy: OutboundPolicy, sender: Sender | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._policy = OutboundPolicy(policy.allow_private, policy.timeout_seconds, MAX_DOCUMENT)
        self._send = sender or self._default_send
        self._clock = clock
        self._cache: dict[str, _Cached] = {}

    async def _default_send(self, method: str, url: str, body: bytes | None,
                            headers: dict[str, str]) -> OutboundResponse:
        return await send_async(method, url, self._policy, body, headers)

    async def _call(self, method: str, url: str, body: bytes | None = None,
                    headers: dict[str, str] | None = None) -> OutboundResponse:
        try:
            return await self._send(method, url, body, headers or {})
        except OutboundRefused as error:
            raise UpstreamError("provider_unreachable", f"{url.split('?')[0]}: {error}") from None

    async def _cached_json(self, url: str, refresh: bool = False) -> Any:
        now = self._clock()
        hit = self._cache.get(url)
        if hit and now < hit.expires and not (refresh and now - hit.fetched >= JWKS_REFETCH_INTERVAL):
            return hit.value
        answer = await self._call("GET", url)
        if answer.status != 200:
            if hit:  # serve the last good copy while the provider has a bad moment
                return hit.value
            raise UpstreamError("provider_error", f"{url}: answered {answer.status}")
        value = _json(answer.body, url)
        if not isinstance(value, dict):
            raise UpstreamError("provider_error", f"{url}: not a JSON object")
        self._cache[url] = _Cached(value, now + cache_lifetime(answer.headers), now)
        if len(self._cache) > 1000:  # tenants' providers come and go: keep the newest
            for key in sorted(self._cache, key=lambda k: self._cache[k].fetched)[:100]:
                del self._cache[key]
        return value

    async def discovery(self, issuer: str) -> dict[str, Any]:
        doc: dict[str, Any] = await self._cached_json(issuer.rstrip("/") + "/.well-known/openid-configuration")
        return doc

    async def jwks(self, uri: str, *, refresh: bool = False) -> dict[str, Any]:
        keys: dict[str, Any] = await self._cached_json(uri, refresh)
        return keys

    async def token(self, endpoint: str, form: dict[str, str], headers: dict[str, str]) -> dict[str, Any]:
        answer = await self._call("POST", endpoint, urlencode(form).encode(), {
            "Content-Type": "application/x-www-form-urlencoded", **headers})
        if answer.status >= 500:
            # The provider is having a bad moment: "try again later", not "start again".
            raise UpstreamError("provider_unreachable", f"token endpoint answered {answer.status}")
        value = _json(answer.body, endpoint)
        if not isinstance(value, dict):
            raise UpstreamError("provider_error", "token endpoint: not a JSON object")
        if answer.status != 200 or "error" in value:
            error = str(value.get("error", answer.status))[:64]
            raise UpstreamError("token_error", f"token endpoint answered {answer.status} {error}")
        return value

    async def get_json(self, url: str, access_token: str) -> Any:
        answer = await self._call("GET", url, headers={"Authorization": f"Bearer {access_token}"})
        if answer.status != 200:
            raise UpstreamError("provider_error", f"{url}: answered {answer.status}")
        return _json(answer.body, url)


def _json(body: bytes, url: str) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        raise UpstreamError("provider_error", f"{url.split('?')[0]}: the answer is not JSON") from None
