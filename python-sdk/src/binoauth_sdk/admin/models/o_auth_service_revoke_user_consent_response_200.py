from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="OAuthServiceRevokeUserConsentResponse200")


@_attrs_define
class OAuthServiceRevokeUserConsentResponse200:
    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        o_auth_service_revoke_user_consent_response_200 = cls()

        return o_auth_service_revoke_user_consent_response_200
