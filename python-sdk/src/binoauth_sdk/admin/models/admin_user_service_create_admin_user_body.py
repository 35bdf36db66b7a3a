from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.binoauth_tenant_v1_admin_user import BinoauthTenantV1AdminUser


T = TypeVar("T", bound="AdminUserServiceCreateAdminUserBody")


@_attrs_define
class AdminUserServiceCreateAdminUserBody:
    """Request for AdminUserService.CreateAdminUser.

    Attributes:
        admin_user (BinoauthTenantV1AdminUser): An administrator of the platform (empty tenant_id) or of one tenant, for
            the dashboard.
        password (str | Unset): At least 12 characters.
    """

    admin_user: BinoauthTenantV1AdminUser
    password: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        admin_user = self.admin_user.to_dict()

        password = self.password

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "admin_user": admin_user,
            }
        )
        if password is not UNSET:
            field_dict["password"] = password

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.binoauth_tenant_v1_admin_user import BinoauthTenantV1AdminUser

        d = dict(src_dict)
        admin_user = BinoauthTenantV1AdminUser.from_dict(d.pop("admin_user"))

        password = d.pop("password", UNSET)

        admin_user_service_create_admin_user_body = cls(
            admin_user=admin_user,
            password=password,
        )

        return admin_user_service_create_admin_user_body
