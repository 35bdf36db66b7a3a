from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.binoauth_tenant_v1_admin_user import BinoauthTenantV1AdminUser


T = TypeVar("T", bound="BinoauthTenantV1ListAdminUsersResponse")


@_attrs_define
class BinoauthTenantV1ListAdminUsersResponse:
    """Response for AdminUserService.ListAdminUsers.

    Attributes:
        admin_users (list[BinoauthTenantV1AdminUser] | Unset):
        next_page_token (str | Unset):
    """

    admin_users: list[BinoauthTenantV1AdminUser] | Unset = UNSET
    next_page_token: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        admin_users: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.admin_users, Unset):
            admin_users = []
            for admin_users_item_data in self.admin_users:
                admin_users_item = admin_users_item_data.to_dict()
                admin_users.append(admin_users_item)

        next_page_token = self.next_page_token

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if admin_users is not UNSET:
            field_dict["admin_users"] = admin_users
        if next_page_token is not UNSET:
            field_dict["next_page_token"] = next_page_token

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.binoauth_tenant_v1_admin_user import BinoauthTenantV1AdminUser

        d = dict(src_dict)
        _admin_users = d.pop("admin_users", UNSET)
        admin_users: list[BinoauthTenantV1AdminUser] | Unset = UNSET
        if _admin_users is not UNSET:
            admin_users = []
            for admin_users_item_data in _admin_users:
                admin_users_item = BinoauthTenantV1AdminUser.from_dict(
                    admin_users_item_data
                )

                admin_users.append(admin_users_item)

        next_page_token = d.pop("next_page_token", UNSET)

        binoauth_tenant_v1_list_admin_users_response = cls(
            admin_users=admin_users,
            next_page_token=next_page_token,
        )

        return binoauth_tenant_v1_list_admin_users_response
