from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="IdentityProviderServiceEnableIdentityProviderBody")


@_attrs_define
class IdentityProviderServiceEnableIdentityProviderBody:
    """Request for IdentityProviderService.EnableIdentityProvider."""

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        identity_provider_service_enable_identity_provider_body = cls()

        return identity_provider_service_enable_identity_provider_body
