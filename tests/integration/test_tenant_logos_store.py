"""Uploaded tenant logos in their own table (services/tenant/logos.py) on a real PostgreSQL:
migration 0003 moves logos uploaded before it out of the settings, and the store keeps one
logo per tenant."""

from __future__ import annotations

import base64
import hashlib
import secrets
import shutil
from pathlib import Path

import pytest

from services.common.db import create_pool
from services.common.migrations import MigrationRunner
from services.tenant.logos import PgLogoStore, StoredLogo
from tools.devstack import PostgresServer

pytestmark = pytest.mark.integration
MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "tenant" / "migrations"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(200))


async def test_migration_moves_inline_logos_out_of_the_settings(postgres: PostgresServer, tmp_path: Path) -> None:
    pool = await create_pool(postgres.create_database(f"logos_{secrets.token_hex(3)}"))
    try:
        before = tmp_path / "before"
        (before / "shared").mkdir(parents=True)
        for path in sorted((MIGRATIONS / "shared").glob("*.sql")):
            if int(path.name[:4]) < 3:
                shutil.copy(path, before / "shared" / path.name)
        await MigrationRunner(pool, "tenant", before).migrate_shared()
        inline = {"branding": {"logo_image": "data:image/png;base64," + base64.b64encode(PNG).decode(),
                               "primary_color": "#7c3aed"}}
        async with pool.acquire() as conn:
            for tenant_id, settings in (("acme", inline), ("plain", {"branding": {"logo_image": ""}})):
                await conn.execute(
                    "INSERT INTO tenant.tenants (tenant_id, display_name, state, settings, create_time, update_time) "
                    "VALUES ($1, $1, 'active', $2, now(), now())", tenant_id, settings)
        await MigrationRunner(pool, "tenant", MIGRATIONS).migrate_shared()
        digest = hashlib.sha256(PNG).hexdigest()[:32]
        async with pool.acquire() as conn:
            found = await conn.fetch("SELECT tenant_id, settings FROM tenant.tenants")
        rows = {r["tenant_id"]: r["settings"] for r in found}
        assert rows["acme"]["branding"] == {"logo_image": f"/branding/logos/{digest}", "primary_color": "#7c3aed"}
        assert rows["plain"]["branding"] == {"logo_image": ""}
        store = PgLogoStore(pool)
        assert await store.get("acme", digest) == StoredLogo(digest, "image/png", PNG)
        other = StoredLogo("f" * 32, "image/gif", b"GIF89a")
        await store.put("acme", other)
        await store.put("acme", other)  # idempotent
        await store.keep_only("acme", other.image_hash)
        assert await store.get("acme", digest) is None and await store.get("acme", other.image_hash) == other
        async with pool.acquire() as conn:  # a deleted tenant's logos go with it
            await conn.execute("DELETE FROM tenant.tenants WHERE tenant_id = 'acme'")
        assert await store.get("acme", other.image_hash) is None
    finally:
        await pool.close()
