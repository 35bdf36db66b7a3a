"""argon2id password hashing off the event loop (it takes ~20 ms and releases the GIL)."""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1.
OWASP_MEMORY_KIB = 19 * 1024
OWASP_TIME_COST = 2
OWASP_PARALLELISM = 1


class PasswordHashing:
    def __init__(
        self,
        memory_kib: int = OWASP_MEMORY_KIB,
        time_cost: int = OWASP_TIME_COST,
        parallelism: int = OWASP_PARALLELISM,
        workers: int | None = None,
    ) -> None:
        self._hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism
        )
        self._pool = ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 2, thread_name_prefix="argon2")
        # Verified for unknown accounts so that they take as long as known ones.
        self._dummy = self._hasher.hash("binoauth-dummy-password-for-timing")

    async def hash(self, password: str) -> str:
        return await asyncio.get_running_loop().run_in_executor(self._pool, self._hasher.hash, password)

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        """True if the password matches; always spends one verification, also for None."""
        target = stored_hash or self._dummy
        ok = await asyncio.get_running_loop().run_in_executor(self._pool, self._check, target, password)
        return ok and bool(stored_hash)

    def needs_rehash(self, stored_hash: str) -> bool:
        return self._hasher.check_needs_rehash(stored_hash)

    def _check(self, stored_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def close(self) -> None:
        self._pool.shutdown(wait=False)
