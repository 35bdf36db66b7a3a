from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.binoauth_tenant_v1_branding_scope_descriptions import (
        BinoauthTenantV1BrandingScopeDescriptions,
    )


T = TypeVar("T", bound="BinoauthTenantV1Branding")


@_attrs_define
class BinoauthTenantV1Branding:
    """How the tenant's hosted pages look and speak (services/common/pages). Empty means the platform's own look.

    Attributes:
        primary_color (str | Unset): Buttons, links and accents, "#rrggbb". Refused unless white or black text on it and
            the colour as text on white reach WCAG AA (4.5:1). Default "#0969da".
        support_url (str | Unset): "Help" link in the page footer; https only.
        privacy_policy_url (str | Unset): "Privacy policy" link in the page footer; https only.
        footer (str | Unset): One line of text in the page footer (at most 200 characters).
        default_language (str | Unset): Language of the pages when neither ui_locales nor the browser's Accept-Language
            names one the pages offer, for example "de". Default English.
        scope_descriptions (BinoauthTenantV1BrandingScopeDescriptions | Unset): What custom scopes let an application
            do, shown on the consent page (scope name -> description); built-in scopes have their own descriptions.
        logo_url (str | Unset): The logo at the top of every page, fetched by the platform (SSRF-checked, at most 256
            KiB, cached) and served from the pages' own origin; https only.
        logo_image (str | Unset): An uploaded logo instead of logo_url: "data:image/png;base64,…" (PNG, JPEG, WebP or
            GIF, at most 256 KiB; the bytes must match the type; SVG is refused since it can carry script). The image is
            stored apart from the settings, which then hold its path, "/branding/logos/<hash>" (served by the tenant
            service, cached for a year); that path may be sent back unchanged.
    """

    primary_color: str | Unset = UNSET
    support_url: str | Unset = UNSET
    privacy_policy_url: str | Unset = UNSET
    footer: str | Unset = UNSET
    default_language: str | Unset = UNSET
    scope_descriptions: BinoauthTenantV1BrandingScopeDescriptions | Unset = UNSET
    logo_url: str | Unset = UNSET
    logo_image: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        primary_color = self.primary_color

        support_url = self.support_url

        privacy_policy_url = self.privacy_policy_url

        footer = self.footer

        default_language = self.default_language

        scope_descriptions: dict[str, Any] | Unset = UNSET
        if not isinstance(self.scope_descriptions, Unset):
            scope_descriptions = self.scope_descriptions.to_dict()

        logo_url = self.logo_url

        logo_image = self.logo_image

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if primary_color is not UNSET:
            field_dict["primary_color"] = primary_color
        if support_url is not UNSET:
            field_dict["support_url"] = support_url
        if privacy_policy_url is not UNSET:
            field_dict["privacy_policy_url"] = privacy_policy_url
        if footer is not UNSET:
            field_dict["footer"] = footer
        if default_language is not UNSET:
            field_dict["default_language"] = default_language
        if scope_descriptions is not UNSET:
            field_dict["scope_descriptions"] = scope_descriptions
        if logo_url is not UNSET:
            field_dict["logo_url"] = logo_url
        if logo_image is not UNSET:
            field_dict["logo_image"] = logo_image

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.binoauth_tenant_v1_branding_scope_descriptions import (
            BinoauthTenantV1BrandingScopeDescriptions,
        )

        d = dict(src_dict)
        primary_color = d.pop("primary_color", UNSET)

        support_url = d.pop("support_url", UNSET)

        privacy_policy_url = d.pop("privacy_policy_url", UNSET)

        footer = d.pop("footer", UNSET)

        default_language = d.pop("default_language", UNSET)

        _scope_descriptions = d.pop("scope_descriptions", UNSET)
        scope_descriptions: BinoauthTenantV1BrandingScopeDescriptions | Unset
        if isinstance(_scope_descriptions, Unset):
            scope_descriptions = UNSET
        else:
            scope_descriptions = BinoauthTenantV1BrandingScopeDescriptions.from_dict(
                _scope_descriptions
            )

        logo_url = d.pop("logo_url", UNSET)

        logo_image = d.pop("logo_image", UNSET)

        binoauth_tenant_v1_branding = cls(
            primary_color=primary_color,
            support_url=support_url,
            privacy_policy_url=privacy_policy_url,
            footer=footer,
            default_language=default_language,
            scope_descriptions=scope_descriptions,
            logo_url=logo_url,
            logo_image=logo_image,
        )

        return binoauth_tenant_v1_branding
