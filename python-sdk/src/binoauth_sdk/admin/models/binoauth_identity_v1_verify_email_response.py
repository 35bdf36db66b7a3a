from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BinoauthIdentityV1VerifyEmailResponse")


@_attrs_define
class BinoauthIdentityV1VerifyEmailResponse:
    """Response for AuthService.VerifyEmail.

    Attributes:
        email (str | Unset):
    """

    email: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if email is not UNSET:
            field_dict["email"] = email

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        email = d.pop("email", UNSET)

        binoauth_identity_v1_verify_email_response = cls(
            email=email,
        )

        return binoauth_identity_v1_verify_email_response
