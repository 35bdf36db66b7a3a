"""Applications' JWK Sets fetched from their jwks_uri (private_key_jwt), cached per URL.

A set is kept for KEY_SET_TTL seconds; an assertion with an unknown kid may fetch it again,
but at most every MIN_REFETCH_SECONDS per URL, and a failed fetch is remembered as long, so
a flood of assertions cannot make the platform hammer (or be slowed down by) one URL."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Final

import structlog

from services.common.errors import InvalidArgument
from services.common.outbound import OutboundPolicy, OutboundRefused, fetch_json
from services.token.applications.client_keys import MAX_KEYS, ClientKey, parse_key

_log = structlog.get_logger("oauth")
KEY_SET_TTL: Final = 300.0
MIN_REFETCH_SECONDS: Final = 30.0
MAX_CACHED_URLS: Final = 10_000

Fetch = Callable[[str, OutboundPolicy], Awaitable[Any]]


class KeySetUnavailable(Exception):
    """The URL's key set could not be fetched or read; the message says why."""


@dataclass(frozen=True)
class _Entry:
    fetched_at: float
    keys: dict[str, ClientKey]
    error: str = ""


def keys_of(document: Any) -> dict[str, ClientKey]:
    """The usable signature keys of a fetched JWK Set; keys we cannot use (or must not hold,
    such as private ones) are skipped, so one odd key does not lock the application out."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise KeySetUnavailable('the document is not a JWK Set ({"keys": [...]})')
    keys: dict[str, ClientKey] = {}
    for jwk in document["keys"][: MAX_KEYS * 2]:
        if isinstance(jwk, dict) and jwk.get("use", "sig") != "sig":
            continue  # encryption keys may share the set
        try:
            key = parse_key(jwk)
        except InvalidArgument:
            continue
        keys.setdefault(key.kid, key)
    return keys


class FetchedKeySets:
    def __init__(self, policy: OutboundPolicy, fetch: Fetch = fetch_json,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._policy = policy
        self._fetch = fetch
        self._monotonic = monotonic
        self._entries: dict[str, _Entry] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def keys(self, url: str, *, refresh: bool = False) -> dict[str, ClientKey]:
        """The keys published at `url`; `refresh` asks for a new fetch (honoured at most
        every MIN_REFETCH_SECONDS). KeySetUnavailable when there is no usable answer."""
        entry = self._entries.get(url)
        if entry is None or not self._fresh(entry, refresh):
            lock = self._locks.setdefault(url, asyncio.Lock())
            async with lock:  # one fetch per URL at a time; the others use its result
                entry = self._entries.get(url)
                if entry is None or not self._fresh(entry, refresh):
                    entry = await self._load(url)
        if entry.error:
            raise KeySetUnavailable(entry.error)
        return entry.keys

    def _fresh(self, entry: _Entry, refresh: bool) -> bool:
        age = self._monotonic() - entry.fetched_at
        if age < MIN_REFETCH_SECONDS:
            return True
        return not refresh and not entry.error and age < KEY_SET_TTL

    async def _load(self, url: str) -> _Entry:
        try:
            entry = _Entry(self._monotonic(), keys_of(await self._fetch(url, self._policy)))
        except (OutboundRefused, KeySetUnavailable) as error:
            _log.warning("client key set unavailable", why=str(error))
            entry = _Entry(self._monotonic(), {}, str(error))
        if len(self._entries) >= MAX_CACHED_URLS:
            self._entries.clear()
            self._locks.clear()
        self._entries[url] = entry
        return entry
