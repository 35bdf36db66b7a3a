"""Signing keys against real PostgreSQL: sealed at rest, one active per algorithm, rotation
keeps old keys published until their tokens expire."""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest

from services.common.crypto import SecretBox
from services.common.db import create_pool
from services.common.errors import InvalidArgument
from services.common.migrations import MigrationRunner
from services.common.settings import Secret
from services.token.keys.model import RETENTION, KeyState
from services.token.keys.store import PgSigningKeyStore
from services.token.keys.usecases import SigningKeys
from tools.devstack import PostgresServer

pytestmark = pytest.mark.integration
MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "token" / "migrations"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 29, 12, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


async def test_keys_are_created_once_sealed_and_rotated(postgres: PostgresServer) -> None:
    pool = await create_pool(postgres.create_database(f"keys_{secrets.token_hex(3)}"))
    try:
        runner = MigrationRunner(pool, "token", MIGRATIONS)
        await runner.migrate_shared()
        await runner.migrate_tenant("acme")
        clock = Clock()
        box = SecretBox(Secret("k" * 40), "signing-keys")
        keys = SigningKeys(PgSigningKeyStore(pool), box, clock, monotonic=lambda: 0.0)
        await asyncio.gather(keys.ensure("acme"), keys.ensure("acme"))  # provisioning retried concurrently
        await keys.ensure("acme")
        first = await keys.keys("acme", fresh=True)
        assert sorted(k.algorithm for k in first) == ["ES256", "EdDSA", "RS256"]
        assert all(k.state is KeyState.ACTIVE for k in first)

        async with pool.acquire() as conn:
            sealed = await conn.fetch('SELECT private_key FROM "token_t_acme".signing_keys')
        assert all(b"PRIVATE KEY" not in bytes(r["private_key"]) for r in sealed)  # never in clear

        kid, private = await keys.signer("acme", "ES256")
        token = jwt.encode({"sub": "u"}, private, algorithm="ES256", headers={"kid": kid})

        clock.now += timedelta(minutes=1)
        await keys.rotate("acme", "ES256")
        published = await keys.jwks("acme")
        assert len(published["keys"]) == 4
        new_kid, _ = await keys.signer("acme", "ES256")
        assert new_kid != kid
        # A token signed before the rotation still verifies against the published set.
        old = next(k for k in published["keys"] if k["kid"] == kid)
        assert jwt.decode(token, jwt.PyJWK(old).key, algorithms=["ES256"])["sub"] == "u"

        clock.now += RETENTION + timedelta(seconds=1)
        assert kid not in {k.kid for k in await keys.keys("acme", fresh=True)}
        with pytest.raises(InvalidArgument):
            await keys.rotate("acme", "HS256")
    finally:
        await pool.close()
