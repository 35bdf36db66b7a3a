from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.binoauth_tenant_v1_api_key import BinoauthTenantV1ApiKey


T = TypeVar("T", bound="BinoauthTenantV1ListApiKeysResponse")


@_attrs_define
class BinoauthTenantV1ListApiKeysResponse:
    """Response for ApiKeyService.ListApiKeys.

    Attributes:
        api_keys (list[BinoauthTenantV1ApiKey] | Unset):
        next_page_token (str | Unset):
    """

    api_keys: list[BinoauthTenantV1ApiKey] | Unset = UNSET
    next_page_token: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        api_keys: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.api_keys, Unset):
            api_keys = []
            for api_keys_item_data in self.api_keys:
                api_keys_item = api_keys_item_data.to_dict()
                api_keys.append(api_keys_item)

        next_page_token = self.next_page_token

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if api_keys is not UNSET:
            field_dict["api_keys"] = api_keys
        if next_page_token is not UNSET:
            field_dict["next_page_token"] = next_page_token

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.binoauth_tenant_v1_api_key import BinoauthTenantV1ApiKey

        d = dict(src_dict)
        _api_keys = d.pop("api_keys", UNSET)
        api_keys: list[BinoauthTenantV1ApiKey] | Unset = UNSET
        if _api_keys is not UNSET:
            api_keys = []
            for api_keys_item_data in _api_keys:
                api_keys_item = BinoauthTenantV1ApiKey.from_dict(api_keys_item_data)

                api_keys.append(api_keys_item)

        next_page_token = d.pop("next_page_token", UNSET)

        binoauth_tenant_v1_list_api_keys_response = cls(
            api_keys=api_keys,
            next_page_token=next_page_token,
        )

        return binoauth_tenant_v1_list_api_keys_response
