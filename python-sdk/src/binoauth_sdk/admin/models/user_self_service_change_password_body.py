from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="UserSelfServiceChangePasswordBody")


@_attrs_define
class UserSelfServiceChangePasswordBody:
    """Request for UserSelfService.ChangePassword.

    Attributes:
        current_password (str | Unset):
        new_password (str | Unset):
    """

    current_password: str | Unset = UNSET
    new_password: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        current_password = self.current_password

        new_password = self.new_password

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if current_password is not UNSET:
            field_dict["current_password"] = current_password
        if new_password is not UNSET:
            field_dict["new_password"] = new_password

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        current_password = d.pop("current_password", UNSET)

        new_password = d.pop("new_password", UNSET)

        user_self_service_change_password_body = cls(
            current_password=current_password,
            new_password=new_password,
        )

        return user_self_service_change_password_body
