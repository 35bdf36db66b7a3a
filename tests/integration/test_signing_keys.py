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


async def test_keys_overdue_for_rotation_are_counted_from_one_platform_record(postgres: PostgresServer,
                                                                            tmp_path: Path) -> None:
    from prometheus_client import CollectorRegistry

    from services.token.keys.ages import KeyAgeMetrics

    pool = await create_pool(postgres.create_database(f"keys_{secrets.token_hex(3)}"))
    try:
        old_migrations = tmp_path / "migrations"
        for kind in ("shared", "tenant"):
            (old_migrations / kind).mkdir(parents=True)
            for sql in (MIGRATIONS / kind).glob("*.sql"):
                if kind == "tenant" or sql.name < "0002":
                    (old_migrations / kind / sql.name).write_text(sql.read_text())
        before = MigrationRunner(pool, "token", old_migrations)  # a tenant from before the record
        await before.migrate_shared()
        await before.migrate_tenant("old")
        clock = Clock()
        async with pool.acquire() as conn:  # a key written by the code of that time
            await conn.execute(
                "INSERT INTO token_t_old.signing_keys (kid, algorithm, private_key, public_jwk, state, create_time) "
                "VALUES ('k1', 'ES256', 'sealed', '{}', 'active', $1)", clock.now)
        store = PgSigningKeyStore(pool)
        box = SecretBox(Secret("k" * 40), "signing-keys")
        runner = MigrationRunner(pool, "token", MIGRATIONS)
        await runner.migrate_shared()  # backfills "old"
        await runner.migrate_tenant("new")
        clock.now += timedelta(days=100)
        keys = SigningKeys(store, box, clock, monotonic=lambda: 0.0)
        await keys.ensure("new")
        registry = CollectorRegistry()
        metrics = KeyAgeMetrics(store, registry, max_age_days=90, clock=lambda: clock.now)
        await metrics.refresh()
        assert registry.get_sample_value("binoauth_signing_keys_overdue_tenants") == 1  # "old" only
        assert registry.get_sample_value("binoauth_signing_key_oldest_age_seconds") == 100 * 86400
        async with pool.acquire() as conn:  # its owner rotates: a new active key, the old one retired
            await conn.execute("DELETE FROM token_t_old.signing_keys")
        await keys.ensure("old")
        await metrics.refresh()
        assert registry.get_sample_value("binoauth_signing_keys_overdue_tenants") == 0
        await store.forget_ages("new")
        await store.forget_ages("old")
        await metrics.refresh()
        assert registry.get_sample_value("binoauth_signing_key_oldest_age_seconds") == 0
    finally:
        await pool.close()
