from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="UserSelfServiceVerifyPhoneBody")


@_attrs_define
class UserSelfServiceVerifyPhoneBody:
    """Request for UserSelfService.VerifyPhone.

    Attributes:
        code (str):
    """

    code: str

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        code = d.pop("code")

        user_self_service_verify_phone_body = cls(
            code=code,
        )

        return user_self_service_verify_phone_body
