from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.binoauth_tenant_v1_api_key import BinoauthTenantV1ApiKey


T = TypeVar("T", bound="BinoauthTenantV1CreateApiKeyResponse")


@_attrs_define
class BinoauthTenantV1CreateApiKeyResponse:
    """Response for ApiKeyService.CreateApiKey.

    Attributes:
        api_key (BinoauthTenantV1ApiKey | Unset): A management API key. Platform keys (empty tenant_id) act on every
            tenant; tenant keys on one tenant only. The secret is shown once, at creation, and stored only as a hash.
        secret (str | Unset): The key to send as "Authorization: Bearer <secret>". Shown only here.
    """

    api_key: BinoauthTenantV1ApiKey | Unset = UNSET
    secret: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        api_key: dict[str, Any] | Unset = UNSET
        if not isinstance(self.api_key, Unset):
            api_key = self.api_key.to_dict()

        secret = self.secret

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if api_key is not UNSET:
            field_dict["api_key"] = api_key
        if secret is not UNSET:
            field_dict["secret"] = secret

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.binoauth_tenant_v1_api_key import BinoauthTenantV1ApiKey

        d = dict(src_dict)
        _api_key = d.pop("api_key", UNSET)
        api_key: BinoauthTenantV1ApiKey | Unset
        if isinstance(_api_key, Unset):
            api_key = UNSET
        else:
            api_key = BinoauthTenantV1ApiKey.from_dict(_api_key)

        secret = d.pop("secret", UNSET)

        binoauth_tenant_v1_create_api_key_response = cls(
            api_key=api_key,
            secret=secret,
        )

        return binoauth_tenant_v1_create_api_key_response
