from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="BinoauthTokenV1RevokeMyConsentResponse")


@_attrs_define
class BinoauthTokenV1RevokeMyConsentResponse:
    """Response for OAuthService.RevokeMyConsent."""

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        binoauth_token_v1_revoke_my_consent_response = cls()

        return binoauth_token_v1_revoke_my_consent_response
