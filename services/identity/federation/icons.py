"""Uploaded icons of generic OpenID providers' buttons. The same rules as tenant and
application logos (services/common/pages/logos.py: PNG, JPEG, WebP or GIF whose bytes match
their type, at most 256 KiB; SVG refused, it can carry script). The bytes live in their own
table (identity_provider_icons), out of the provider's configuration that every login page
reads; the provider keeps the icon's hash, and the pages link
/federation/<provider_id>/icon/<hash>, served same-origin and cached for a year (new bytes,
new path)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from services.common.errors import InvalidArgument
from services.common.pages.logos import LogoRefused, StoredImage, decode_data_url
from services.identity.federation.model import PRESETS, ProviderType

# An uploaded icon as stored (its bytes, their type and hash).
StoredIcon = StoredImage



def icon_path(provider_id: str, icon_hash: str) -> str:
    """The icon's path under the tenant's issuer ("" without an icon)."""
    return f"/federation/{quote(provider_id, safe='')}/icon/{icon_hash}" if icon_hash else ""


def _bad(message: str) -> InvalidArgument:
    return InvalidArgument(f"icon_image {message}", reason="INVALID_IDENTITY_PROVIDER",
                           details={"field": "icon_image"})


@dataclass(frozen=True)
class IconChange:
    """What an icon_image value asks: keep the current icon, remove it, or store a new one."""

    icon_hash: str
    upload: StoredIcon | None = None


def icon_change(provider_type: ProviderType, provider_id: str, value: str, current_hash: str) -> IconChange:
    """Reads icon_image: "" (no icon), the current icon's path sent back unchanged, or a new
    upload (data:image/...;base64,...); InvalidArgument naming icon_image otherwise."""
    value = value.strip()
    if not value:
        return IconChange("")
    if provider_type in PRESETS:
        raise _bad("is for generic OpenID providers: the presets show their brand's mark")
    if current_hash and value == icon_path(provider_id, current_hash):
        return IconChange(current_hash)
    if not value.startswith("data:"):
        raise _bad("must be an uploaded image (data:image/png;base64,…) or the icon's current path")
    try:
        media_type, data = decode_data_url(value)
    except LogoRefused as refused:
        raise _bad(f"is refused: {str(refused).replace('logo_image', 'the icon').replace('logo', 'icon')}") from None
    icon = StoredImage.of(media_type, data)
    return IconChange(icon.image_hash, icon)
