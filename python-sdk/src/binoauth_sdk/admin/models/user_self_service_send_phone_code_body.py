from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="UserSelfServiceSendPhoneCodeBody")


@_attrs_define
class UserSelfServiceSendPhoneCodeBody:
    """Request for UserSelfService.SendPhoneCode.

    Attributes:
        phone_number (str): E.164; replaces the user's unverified number.
    """

    phone_number: str

    def to_dict(self) -> dict[str, Any]:
        phone_number = self.phone_number

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "phone_number": phone_number,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        phone_number = d.pop("phone_number")

        user_self_service_send_phone_code_body = cls(
            phone_number=phone_number,
        )

        return user_self_service_send_phone_code_body
