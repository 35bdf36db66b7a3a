from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BinoauthIdentityV1SendPhoneCodeResponse")


@_attrs_define
class BinoauthIdentityV1SendPhoneCodeResponse:
    """Response for UserSelfService.SendPhoneCode.

    Attributes:
        status (str | Unset):
    """

    status: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        status = d.pop("status", UNSET)

        binoauth_identity_v1_send_phone_code_response = cls(
            status=status,
        )

        return binoauth_identity_v1_send_phone_code_response
