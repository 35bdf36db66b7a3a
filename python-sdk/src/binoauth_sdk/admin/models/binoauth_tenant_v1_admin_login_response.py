from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.binoauth_tenant_v1_admin_user import BinoauthTenantV1AdminUser


T = TypeVar("T", bound="BinoauthTenantV1AdminLoginResponse")


@_attrs_define
class BinoauthTenantV1AdminLoginResponse:
    """Response for AdminUserService.AdminLogin.

    Attributes:
        access_token (str | Unset):
        token_type (str | Unset): Always "Bearer".
        expires_in (int | Unset):
        admin_user (BinoauthTenantV1AdminUser | Unset): An administrator of the platform (empty tenant_id) or of one
            tenant, for the dashboard.
    """

    access_token: str | Unset = UNSET
    token_type: str | Unset = UNSET
    expires_in: int | Unset = UNSET
    admin_user: BinoauthTenantV1AdminUser | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        access_token = self.access_token

        token_type = self.token_type

        expires_in = self.expires_in

        admin_user: dict[str, Any] | Unset = UNSET
        if not isinstance(self.admin_user, Unset):
            admin_user = self.admin_user.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if access_token is not UNSET:
            field_dict["access_token"] = access_token
        if token_type is not UNSET:
            field_dict["token_type"] = token_type
        if expires_in is not UNSET:
            field_dict["expires_in"] = expires_in
        if admin_user is not UNSET:
            field_dict["admin_user"] = admin_user

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.binoauth_tenant_v1_admin_user import BinoauthTenantV1AdminUser

        d = dict(src_dict)
        access_token = d.pop("access_token", UNSET)

        token_type = d.pop("token_type", UNSET)

        expires_in = d.pop("expires_in", UNSET)

        _admin_user = d.pop("admin_user", UNSET)
        admin_user: BinoauthTenantV1AdminUser | Unset
        if isinstance(_admin_user, Unset):
            admin_user = UNSET
        else:
            admin_user = BinoauthTenantV1AdminUser.from_dict(_admin_user)

        binoauth_tenant_v1_admin_login_response = cls(
            access_token=access_token,
            token_type=token_type,
            expires_in=expires_in,
            admin_user=admin_user,
        )

        return binoauth_tenant_v1_admin_login_response
