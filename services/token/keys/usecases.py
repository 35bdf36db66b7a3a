"""Signing keys of a tenant: created at provisioning, rotated on demand, published as JWKS.

Key objects are parsed once per kid and kept in process: handing PEM to pyjwt on every call
would re-parse it (tens of ms for RSA)."""

from __future__ import annotations

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

    async def ensure(self, tenant_id: str) -> None:
        """Creates the tenant's first key of each algorithm (idempotent: provisioning)."""
        require_tenant_id(tenant_id)
        existing = {k.algorithm for k in await self._store.all(tenant_id) if k.state is KeyState.ACTIVE}
        for algorithm in ALGORITHMS:
            if algorithm not in existing:
                await self._add(tenant_id, algorithm, retire_others=False)
        # Every replica drops what it cached under this id: a tenant deleted and created
        # again with the same id must be signed for with the new keys only, at once.
        self.forget(tenant_id)
        if self._notify is not None:
            await self._notify(KEYS_TOPIC, tenant_id)

    async def discard(self, tenant_id: str) -> None:
        """The tenant is deleted (deprovisioning): every replica drops its keys from memory."""
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
        return await self.keys(tenant_id, fresh=True)

    async def _add(self, tenant_id: str, algorithm: str, retire_others: bool) -> None:
        key = generate(algorithm)
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

    async def keys(self, tenant_id: str, fresh: bool = False) -> list[SigningKey]:
        """Every key still published (active, or retired with tokens possibly outstanding)."""
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
        return {"keys": [k.public_jwk for k in await self.keys(tenant_id)]}

    async def signer(self, tenant_id: str, algorithm: str) -> tuple[str, PrivateKey]:
        """The active key of an algorithm, parsed once per kid."""
        active = [k for k in await self.keys(tenant_id) if k.algorithm == algorithm and k.state is KeyState.ACTIVE]
        if not active:
            active = [k for k in await self.keys(tenant_id, fresh=True)
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
