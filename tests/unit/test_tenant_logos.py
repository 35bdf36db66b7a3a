"""Uploaded tenant logos kept apart from the settings (services/tenant/logos.py): an upload
becomes a stored image and a hashed path in the settings; the pages link that path; replacing
or removing the logo drops the old image; the path may be sent back unchanged."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import pytest

from services.common.auth import ALL_SCOPES, Principal, PrincipalKind
from services.common.errors import InvalidArgument
from services.common.pages.branding import Branding as PageBranding
from services.common.tenancy import TenantSelection
from services.tenant.branding import Branding, validate_branding
from services.tenant.logos import StoredLogo, detach_logo, stored_logo_hash
from services.tenant.tenants import TenantSettings
from services.tenant.usecases import TenantUseCases
from tests.fakes import FakeProvisioner, FakeTenantStore

pytestmark = pytest.mark.unit
PLATFORM = Principal("ak_root", PrincipalKind.API_KEY, "", frozenset(ALL_SCOPES))
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
UPLOAD = "data:image/png;base64," + base64.b64encode(PNG).decode()
OTHER = "data:image/png;base64," + base64.b64encode(PNG + b"\x01").decode()


class Logos:
    def __init__(self) -> None:
        self.logos: dict[tuple[str, str], StoredLogo] = {}

    async def put(self, tenant_id: str, logo: StoredLogo) -> None:
        self.logos[(tenant_id, logo.image_hash)] = logo

    async def get(self, tenant_id: str, logo_hash: str) -> StoredLogo | None:
        return self.logos.get((tenant_id, logo_hash))

    async def keep_only(self, tenant_id: str, logo_hash: str) -> None:
        self.logos = {k: v for k, v in self.logos.items() if k[0] != tenant_id or k[1] == logo_hash}


def test_an_upload_becomes_a_hashed_path_and_a_stored_image() -> None:
    settings = TenantSettings(branding=Branding(logo_image=UPLOAD))
    detached, logo = detach_logo(settings)
    assert logo is not None and logo.data == PNG and logo.media_type == "image/png" and len(logo.image_hash) == 32
    assert detached.branding.logo_image == f"/branding/logos/{logo.image_hash}"
    assert stored_logo_hash(detached.branding.logo_image) == logo.image_hash
    assert detach_logo(detached) == (detached, None)  # the path, sent back, stays as it is
    validate_branding(detached.branding)
    with pytest.raises(InvalidArgument):
        validate_branding(Branding(logo_image="/branding/logos/../../etc/passwd"))
    page = PageBranding.from_settings("Acme", detached.to_dict())
    assert page.logo_href("/tenant/acme") == f"/tenant/acme/branding/logos/{logo.image_hash}"


def test_settings_keep_only_the_path_and_old_images_go() -> None:
    logos = Logos()
    tenants = TenantUseCases(FakeTenantStore(), FakeProvisioner(), "localhost", logos=logos)

    async def run() -> list[Any]:
        created = await tenants.create(PLATFORM, "acme", "Acme", {"branding": {"logo_image": UPLOAD}}, [])
        first = stored_logo_hash(created.settings.branding.logo_image)
        served = await tenants.logo([TenantSelection("path", tenant_id="acme")], first)
        again = await tenants.update(PLATFORM, "acme", {"settings.branding.logo_image":
                                                        created.settings.branding.logo_image})
        replaced = await tenants.update(PLATFORM, "acme", {"settings.branding.logo_image": OTHER})
        second = stored_logo_hash(replaced.settings.branding.logo_image)
        after_replace = set(logos.logos)
        removed = await tenants.update(PLATFORM, "acme", {"settings.branding.logo_image": ""})
        return [created, first, served, again, second, after_replace, removed,
                await tenants.logo([TenantSelection("path", tenant_id="acme")], "nothex")]

    created, first, served, again, second, after_replace, removed, bad = asyncio.run(run())
    assert len(str(created.settings.to_dict())) < 2000  # no base64 in the settings
    assert served is not None and served.data == PNG
    assert again.settings.branding.logo_image == created.settings.branding.logo_image
    assert second and second != first and after_replace == {("acme", second)}
    assert removed.settings.branding.logo_image == "" and logos.logos == {}
    assert bad is None


def test_without_a_logo_store_uploads_stay_inline() -> None:
    tenants = TenantUseCases(FakeTenantStore(), FakeProvisioner(), "localhost")
    created = asyncio.run(tenants.create(PLATFORM, "acme", "Acme", {"branding": {"logo_image": UPLOAD}}, []))
    assert created.settings.branding.logo_image == UPLOAD
