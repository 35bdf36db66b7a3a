from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.binoauth_token_v1_signing_key import BinoauthTokenV1SigningKey


T = TypeVar("T", bound="BinoauthTokenV1ListSigningKeysResponse")


@_attrs_define
class BinoauthTokenV1ListSigningKeysResponse:
    """Response for SigningKeyService.ListSigningKeys.

    Attributes:
        signing_keys (list[BinoauthTokenV1SigningKey] | Unset):
    """

    signing_keys: list[BinoauthTokenV1SigningKey] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        signing_keys: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.signing_keys, Unset):
            signing_keys = []
            for signing_keys_item_data in self.signing_keys:
                signing_keys_item = signing_keys_item_data.to_dict()
                signing_keys.append(signing_keys_item)

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if signing_keys is not UNSET:
            field_dict["signing_keys"] = signing_keys

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.binoauth_token_v1_signing_key import BinoauthTokenV1SigningKey

        d = dict(src_dict)
        _signing_keys = d.pop("signing_keys", UNSET)
        signing_keys: list[BinoauthTokenV1SigningKey] | Unset = UNSET
        if _signing_keys is not UNSET:
            signing_keys = []
            for signing_keys_item_data in _signing_keys:
                signing_keys_item = BinoauthTokenV1SigningKey.from_dict(
                    signing_keys_item_data
                )

                signing_keys.append(signing_keys_item)

        binoauth_token_v1_list_signing_keys_response = cls(
            signing_keys=signing_keys,
        )

        return binoauth_token_v1_list_signing_keys_response
