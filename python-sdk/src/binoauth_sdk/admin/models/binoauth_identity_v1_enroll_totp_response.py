from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BinoauthIdentityV1EnrollTotpResponse")


@_attrs_define
class BinoauthIdentityV1EnrollTotpResponse:
    """Response for UserSelfService.EnrollTotp.

    Attributes:
        secret (str | Unset): Base32 secret, for manual entry.
        otpauth_uri (str | Unset):
    """

    secret: str | Unset = UNSET
    otpauth_uri: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        secret = self.secret

        otpauth_uri = self.otpauth_uri

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if secret is not UNSET:
            field_dict["secret"] = secret
        if otpauth_uri is not UNSET:
            field_dict["otpauth_uri"] = otpauth_uri

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        secret = d.pop("secret", UNSET)

        otpauth_uri = d.pop("otpauth_uri", UNSET)

        binoauth_identity_v1_enroll_totp_response = cls(
            secret=secret,
            otpauth_uri=otpauth_uri,
        )

        return binoauth_identity_v1_enroll_totp_response
