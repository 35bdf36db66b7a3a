from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="BinoauthIdentityV1LogoutResponse")


@_attrs_define
class BinoauthIdentityV1LogoutResponse:
    """Response for AuthService.Logout."""

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        binoauth_identity_v1_logout_response = cls()

        return binoauth_identity_v1_logout_response
