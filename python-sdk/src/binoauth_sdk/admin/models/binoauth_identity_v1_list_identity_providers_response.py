from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.binoauth_identity_v1_identity_provider import (
        BinoauthIdentityV1IdentityProvider,
    )


T = TypeVar("T", bound="BinoauthIdentityV1ListIdentityProvidersResponse")


@_attrs_define
class BinoauthIdentityV1ListIdentityProvidersResponse:
    """Response for IdentityProviderService.ListIdentityProviders.

    Attributes:
        identity_providers (list[BinoauthIdentityV1IdentityProvider] | Unset):
    """

    identity_providers: list[BinoauthIdentityV1IdentityProvider] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        identity_providers: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.identity_providers, Unset):
            identity_providers = []
            for identity_providers_item_data in self.identity_providers:
                identity_providers_item = identity_providers_item_data.to_dict()
                identity_providers.append(identity_providers_item)

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if identity_providers is not UNSET:
            field_dict["identity_providers"] = identity_providers

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.binoauth_identity_v1_identity_provider import (
            BinoauthIdentityV1IdentityProvider,
        )

        d = dict(src_dict)
        _identity_providers = d.pop("identity_providers", UNSET)
        identity_providers: list[BinoauthIdentityV1IdentityProvider] | Unset = UNSET
        if _identity_providers is not UNSET:
            identity_providers = []
            for identity_providers_item_data in _identity_providers:
                identity_providers_item = BinoauthIdentityV1IdentityProvider.from_dict(
                    identity_providers_item_data
                )

                identity_providers.append(identity_providers_item)

        binoauth_identity_v1_list_identity_providers_response = cls(
            identity_providers=identity_providers,
        )

        return binoauth_identity_v1_list_identity_providers_response
