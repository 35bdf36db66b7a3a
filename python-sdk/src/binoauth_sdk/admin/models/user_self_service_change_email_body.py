from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="UserSelfServiceChangeEmailBody")


@_attrs_define
class UserSelfServiceChangeEmailBody:
    """Request for UserSelfService.ChangeEmail.

    Attributes:
        new_email (str):
        current_password (str | Unset):
    """

    new_email: str
    current_password: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        new_email = self.new_email

        current_password = self.current_password

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "new_email": new_email,
            }
        )
        if current_password is not UNSET:
            field_dict["current_password"] = current_password

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        new_email = d.pop("new_email")

        current_password = d.pop("current_password", UNSET)

        user_self_service_change_email_body = cls(
            new_email=new_email,
            current_password=current_password,
        )

        return user_self_service_change_email_body
