from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.binoauth_token_v1_consent import BinoauthTokenV1Consent


T = TypeVar("T", bound="BinoauthTokenV1ListMyConsentsResponse")


@_attrs_define
class BinoauthTokenV1ListMyConsentsResponse:
    """Response for OAuthService.ListMyConsents.

    Attributes:
        consents (list[BinoauthTokenV1Consent] | Unset):
    """

    consents: list[BinoauthTokenV1Consent] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        consents: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.consents, Unset):
            consents = []
            for consents_item_data in self.consents:
                consents_item = consents_item_data.to_dict()
                consents.append(consents_item)

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if consents is not UNSET:
            field_dict["consents"] = consents

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.binoauth_token_v1_consent import BinoauthTokenV1Consent

        d = dict(src_dict)
        _consents = d.pop("consents", UNSET)
        consents: list[BinoauthTokenV1Consent] | Unset = UNSET
        if _consents is not UNSET:
            consents = []
            for consents_item_data in _consents:
                consents_item = BinoauthTokenV1Consent.from_dict(consents_item_data)

                consents.append(consents_item)

        binoauth_token_v1_list_my_consents_response = cls(
            consents=consents,
        )

        return binoauth_token_v1_list_my_consents_response
