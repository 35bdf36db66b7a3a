from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="UserAdminServiceResetUserMfaBody")


@_attrs_define
class UserAdminServiceResetUserMfaBody:
    """Request for UserAdminService.ResetUserMfa."""

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        user_admin_service_reset_user_mfa_body = cls()

        return user_admin_service_reset_user_mfa_body
