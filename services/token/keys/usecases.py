"""Signing keys of a tenant: created on the tenant's first key read, rotated on demand,
published as JWKS.

A tenant's first keys are made when they are first needed (its first token, its JWKS, the
console's key list), not while it is provisioned: an RSA-2048 key costs ~50 ms of CPU, half
of a provisioning's budget (issue 13), and a tenant that never signs never pays it. Whatever
reads the keys to sign or publish them asks for the complete set, so no replica signs with,
or publishes, a partial one.

Key objects are parsed once per kid and kept in process: handing PEM to pyjwt on every call
would re-parse it (tens of ms for RSA)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import structlog

from services.common.crypto import SecretBox
from services.common.tenancy import require_tenant_id
from services.common.timestamps import utcnow
from services.token.keys.model import (
    ALGORITHMS,
    RETENTION,
    KeyState,
    PrivateKey,
    SigningKey,
    generate,
    load_private,
    private_pem,
    public_jwk,
    require_algorithm,
)
from services.token.keys.store import PgSigningKeyStore

_log = structlog.get_logger("signing-keys")
# How long a replica serves its cached key list before reading it again: a rotation made on
# another replica is published everywhere within this time.
KEY_LIST_TTL_SECONDS = 30.0
KEYS_TOPIC = "signing-keys"




class SigningKeys:
    def __init__(self, store: PgSigningKeyStore, box: SecretBox, clock: Callable[[], datetime] = utcnow,
                 monotonic: Callable[[], float] = time.monotonic,
                 notify: Callable[[str, str], Awaitable[None]] | None = None) -> None:
        # Tells the other replicas to drop their cached key list when keys rotate, so that every
        # replica's JWKS lists a new key from the moment it signs.
        self._notify = notify
        self._store = store
        self._box = box
        self._clock = clock
        self._monotonic = monotonic
        self._lists: dict[str, tuple[float, list[SigningKey]]] = {}
        self._private: dict[tuple[str, str], PrivateKey] = {}
        # Counts forget() calls: a key list read while one ran may predate the change it
        # announced, so it is used but not cached.
        self._forgotten = 0
        # A burst of first requests for a tenant makes its first keys once in this process.
        self._first_keys: dict[str, asyncio.Lock] = {}

    async def ensure(self, tenant_id: str) -> None:
        """Creates the tenant's first key of each algorithm it lacks (idempotent; replicas
        meet at the store's per-algorithm lock, so each algorithm gets one active key)."""
        require_tenant_id(tenant_id)
        existing = {k.algorithm for k in await self._store.all(tenant_id) if k.state is KeyState.ACTIVE}
        for algorithm in ALGORITHMS:
            if algorithm not in existing:
                await self._add(tenant_id, algorithm, retire_others=False)
        await self.discard(tenant_id)

    async def discard(self, tenant_id: str) -> None:
        """Every replica drops what it cached under this tenant id: when the tenant is deleted,
        provisioned (a tenant deleted and created again with the same id must be signed for
        with its new keys only, at once; its keys are made on first use) or given new keys."""
        require_tenant_id(tenant_id)
        self.forget(tenant_id)
        if self._notify is not None:
            await self._notify(KEYS_TOPIC, tenant_id)

    async def rotate(self, tenant_id: str, algorithm: str = "") -> list[SigningKey]:
        algorithms = [require_algorithm(algorithm)] if algorithm else list(ALGORITHMS)
        for name in algorithms:
            await self._add(tenant_id, name, retire_others=True)
        self._lists.pop(tenant_id, None)
        if self._notify is not None:
            await self._notify(KEYS_TOPIC, tenant_id)
        _log.info("signing keys rotated", tenant_id=tenant_id, algorithms=",".join(algorithms))
        return await self.keys(tenant_id, fresh=True, complete=True)

    async def _add(self, tenant_id: str, algorithm: str, retire_others: bool) -> None:
        # In a thread: an RSA key takes tens of ms, which would stall every call in flight.
        key = await asyncio.to_thread(generate, algorithm)
        jwk = public_jwk(algorithm, key)
        now = self._clock()
        record = SigningKey(jwk["kid"], algorithm, KeyState.ACTIVE, jwk, now)
        sealed = self._box.seal(private_pem(key), f"{tenant_id}:{record.kid}")
        if await self._store.add_active(tenant_id, record, sealed, retire_others, now, now + RETENTION):
            self._private[(tenant_id, record.kid)] = key

    def forget(self, tenant_id: str) -> None:
        """Drops the tenant's cached key list and parsed private keys (KEYS_TOPIC)."""
        self._forgotten += 1
        self._lists.pop(tenant_id, None)
        for cached in [k for k in self._private if k[0] == tenant_id]:
            self._private.pop(cached, None)

    async def keys(self, tenant_id: str, fresh: bool = False, complete: bool = False) -> list[SigningKey]:
        """Every key still published (active, or retired with tokens possibly outstanding).
        complete: first make the active key of each algorithm the tenant lacks (to sign or to
        publish: a new tenant's first keys)."""
        found = await self._read(tenant_id, fresh)
        if complete and not _has_every_algorithm(found):
            await self._make_first_keys(tenant_id)
            found = await self._read(tenant_id, fresh=True)
        return found

    async def _make_first_keys(self, tenant_id: str) -> None:
        lock = self._first_keys.setdefault(tenant_id, asyncio.Lock())
        async with lock:
            if not _has_every_algorithm(await self._read(tenant_id, fresh=True)):
                _log.info("signing keys made on first use", tenant_id=tenant_id)
                await self.ensure(tenant_id)
        if self._first_keys.get(tenant_id) is lock and not lock.locked():
            del self._first_keys[tenant_id]

    async def _read(self, tenant_id: str, fresh: bool) -> list[SigningKey]:
        require_tenant_id(tenant_id)
        cached = self._lists.get(tenant_id)
        if cached and not fresh and cached[0] > self._monotonic():
            return cached[1]
        now = self._clock()
        forgotten = self._forgotten
        published = [k for k in await self._store.all(tenant_id) if k.published(now)]
        if len(self._lists) > 10_000:
            self._lists.clear()
        if forgotten == self._forgotten:
            self._lists[tenant_id] = (self._monotonic() + KEY_LIST_TTL_SECONDS, published)
        return published

    async def jwks(self, tenant_id: str) -> dict[str, Any]:
        return {"keys": [k.public_jwk for k in await self.keys(tenant_id, complete=True)]}

    async def signer(self, tenant_id: str, algorithm: str) -> tuple[str, PrivateKey]:
        """The active key of an algorithm, parsed once per kid."""
        # complete=True: every algorithm has an active key, made now if the tenant had none.
        active = [k for k in await self.keys(tenant_id, complete=True)
                  if k.algorithm == algorithm and k.state is KeyState.ACTIVE]
        if not active:
            raise LookupError(f"tenant {tenant_id} has no active {algorithm} key")
        kid = active[0].kid
        if (tenant_id, kid) not in self._private:
            sealed = await self._store.sealed_private(tenant_id, kid)
            if sealed is None:
                raise LookupError(f"signing key {kid} vanished")
            self._private[(tenant_id, kid)] = load_private(self._box.open(sealed, f"{tenant_id}:{kid}"))
        return kid, self._private[(tenant_id, kid)]


def _has_every_algorithm(keys: list[SigningKey]) -> bool:
    return len({k.algorithm for k in keys if k.state is KeyState.ACTIVE}) == len(ALGORITHMS)
