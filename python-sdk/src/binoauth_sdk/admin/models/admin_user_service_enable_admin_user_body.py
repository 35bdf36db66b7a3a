from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="AdminUserServiceEnableAdminUserBody")


@_attrs_define
class AdminUserServiceEnableAdminUserBody:
    """Request for AdminUserService.EnableAdminUser."""

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        admin_user_service_enable_admin_user_body = cls()

        return admin_user_service_enable_admin_user_body
