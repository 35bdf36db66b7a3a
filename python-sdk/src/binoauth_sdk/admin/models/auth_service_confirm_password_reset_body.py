from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AuthServiceConfirmPasswordResetBody")


@_attrs_define
class AuthServiceConfirmPasswordResetBody:
    """Request for AuthService.ConfirmPasswordReset.

    Attributes:
        code (str):
        new_password (str | Unset):
    """

    code: str
    new_password: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        new_password = self.new_password

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
            }
        )
        if new_password is not UNSET:
            field_dict["new_password"] = new_password

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        code = d.pop("code")

        new_password = d.pop("new_password", UNSET)

        auth_service_confirm_password_reset_body = cls(
            code=code,
            new_password=new_password,
        )

        return auth_service_confirm_password_reset_body
