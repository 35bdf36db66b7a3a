from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.binoauth_identity_v1_federated_identity import (
        BinoauthIdentityV1FederatedIdentity,
    )


T = TypeVar("T", bound="BinoauthIdentityV1ListIdentitiesResponse")


@_attrs_define
class BinoauthIdentityV1ListIdentitiesResponse:
    """Response for FederatedIdentityService.ListMyIdentities and ListUserIdentities.

    Attributes:
        identities (list[BinoauthIdentityV1FederatedIdentity] | Unset):
    """

    identities: list[BinoauthIdentityV1FederatedIdentity] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        identities: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.identities, Unset):
            identities = []
            for identities_item_data in self.identities:
                identities_item = identities_item_data.to_dict()
                identities.append(identities_item)

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if identities is not UNSET:
            field_dict["identities"] = identities

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.binoauth_identity_v1_federated_identity import (
            BinoauthIdentityV1FederatedIdentity,
        )

        d = dict(src_dict)
        _identities = d.pop("identities", UNSET)
        identities: list[BinoauthIdentityV1FederatedIdentity] | Unset = UNSET
        if _identities is not UNSET:
            identities = []
            for identities_item_data in _identities:
                identities_item = BinoauthIdentityV1FederatedIdentity.from_dict(
                    identities_item_data
                )

                identities.append(identities_item)

        binoauth_identity_v1_list_identities_response = cls(
            identities=identities,
        )

        return binoauth_identity_v1_list_identities_response
