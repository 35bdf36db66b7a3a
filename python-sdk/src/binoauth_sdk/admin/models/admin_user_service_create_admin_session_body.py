from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AdminUserServiceCreateAdminSessionBody")


@_attrs_define
class AdminUserServiceCreateAdminSessionBody:
    """Request for AdminUserService.CreateAdminSession.

    Attributes:
        email (str):
        password (str | Unset):
    """

    email: str
    password: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        password = self.password

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "email": email,
            }
        )
        if password is not UNSET:
            field_dict["password"] = password

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        email = d.pop("email")

        password = d.pop("password", UNSET)

        admin_user_service_create_admin_session_body = cls(
            email=email,
            password=password,
        )

        return admin_user_service_create_admin_session_body
