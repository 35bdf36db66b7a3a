from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="IdentityProviderServiceDeleteIdentityProviderResponse200")


@_attrs_define
class IdentityProviderServiceDeleteIdentityProviderResponse200:
    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        identity_provider_service_delete_identity_provider_response_200 = cls()

        return identity_provider_service_delete_identity_provider_response_200
