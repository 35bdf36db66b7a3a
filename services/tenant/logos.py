"""Uploaded tenant logos, kept apart from the settings (issue 16): the settings, which every
service caches, would otherwise carry up to ~350 KB of base64 each. An upload
(settings.branding.logo_image = "data:image/...;base64,...") is checked, stored in its own
table under the hash of its bytes, and the setting becomes the logo's path,
"/branding/logos/<hash>", which the pages link and the tenant service serves (cached for a
year: new bytes are a new path). A PATCH may send the path back unchanged."""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

import asyncpg

from services.common.db import in_schema
from services.common.pages.logos import StoredImage, decode_data_url, is_image_hash
from services.tenant.tenants import TenantSettings

SCHEMA = "tenant"
PATH_PREFIX = "/branding/logos/"
# An uploaded logo as stored (its bytes, their type and hash).
StoredLogo = StoredImage



def stored_logo_hash(logo_image: str) -> str:
    """The hash of a stored logo's path ("" for anything else)."""
    value = logo_image[len(PATH_PREFIX):] if logo_image.startswith(PATH_PREFIX) else ""
    return value if is_image_hash(value) else ""


def detach_logo(settings: TenantSettings) -> tuple[TenantSettings, StoredLogo | None]:
    """Settings whose uploaded logo (already validated) is replaced by its path, and the logo
    to store; unchanged settings and None when there is no new upload."""
    image = settings.branding.logo_image
    if not image.startswith("data:"):
        return settings, None
    media_type, data = decode_data_url(image)
    logo = StoredImage.of(media_type, data)
    return replace(settings, branding=replace(settings.branding, logo_image=PATH_PREFIX + logo.image_hash)), logo


class LogoStore(Protocol):
    async def put(self, tenant_id: str, logo: StoredLogo) -> None: ...
    async def get(self, tenant_id: str, logo_hash: str) -> StoredLogo | None: ...
    async def keep_only(self, tenant_id: str, logo_hash: str) -> None: ...


class PgLogoStore:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def put(self, tenant_id: str, logo: StoredLogo) -> None:
        async with in_schema(self._pool, SCHEMA) as conn:
            await conn.execute(
                "INSERT INTO tenant_logos (tenant_id, logo_hash, media_type, data) VALUES ($1, $2, $3, $4) "
                "ON CONFLICT (tenant_id, logo_hash) DO NOTHING", tenant_id, logo.image_hash, logo.media_type, logo.data)

    async def get(self, tenant_id: str, logo_hash: str) -> StoredLogo | None:
        async with in_schema(self._pool, SCHEMA) as conn:
            row = await conn.fetchrow(
                "SELECT media_type, data FROM tenant_logos WHERE tenant_id = $1 AND logo_hash = $2",
                tenant_id, logo_hash)
        return StoredLogo(logo_hash, row["media_type"], bytes(row["data"])) if row else None

    async def keep_only(self, tenant_id: str, logo_hash: str) -> None:
        """Drops the tenant's other logos (replaced or removed ones)."""
        async with in_schema(self._pool, SCHEMA) as conn:
            await conn.execute("DELETE FROM tenant_logos WHERE tenant_id = $1 AND logo_hash <> $2",
                               tenant_id, logo_hash)
