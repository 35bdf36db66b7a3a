from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.binoauth_tenant_v1_admin_user_state import BinoauthTenantV1AdminUserState
from ..types import UNSET, Unset

T = TypeVar("T", bound="BinoauthTenantV1AdminUser")


@_attrs_define
class BinoauthTenantV1AdminUser:
    """An administrator of the platform (empty tenant_id) or of one tenant, for the dashboard.

    Attributes:
        admin_user_id (str | Unset):
        email (str | Unset): Immutable once created.
        tenant_id (str | Unset): Empty for a platform administrator.

            Immutable once created.
        scopes (list[str] | Unset):
        state (BinoauthTenantV1AdminUserState | Unset): Lifecycle state of an administrator.
        create_time (datetime.datetime | Unset):
        last_login_time (datetime.datetime | Unset):
    """

    admin_user_id: str | Unset = UNSET
    email: str | Unset = UNSET
    tenant_id: str | Unset = UNSET
    scopes: list[str] | Unset = UNSET
    state: BinoauthTenantV1AdminUserState | Unset = UNSET
    create_time: datetime.datetime | Unset = UNSET
    last_login_time: datetime.datetime | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        admin_user_id = self.admin_user_id

        email = self.email

        tenant_id = self.tenant_id

        scopes: list[str] | Unset = UNSET
        if not isinstance(self.scopes, Unset):
            scopes = self.scopes

        state: str | Unset = UNSET
        if not isinstance(self.state, Unset):
            state = self.state.value

        create_time: str | Unset = UNSET
        if not isinstance(self.create_time, Unset):
            create_time = self.create_time.isoformat()

        last_login_time: str | Unset = UNSET
        if not isinstance(self.last_login_time, Unset):
            last_login_time = self.last_login_time.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if admin_user_id is not UNSET:
            field_dict["admin_user_id"] = admin_user_id
        if email is not UNSET:
            field_dict["email"] = email
        if tenant_id is not UNSET:
            field_dict["tenant_id"] = tenant_id
        if scopes is not UNSET:
            field_dict["scopes"] = scopes
        if state is not UNSET:
            field_dict["state"] = state
        if create_time is not UNSET:
            field_dict["create_time"] = create_time
        if last_login_time is not UNSET:
            field_dict["last_login_time"] = last_login_time

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        admin_user_id = d.pop("admin_user_id", UNSET)

        email = d.pop("email", UNSET)

        tenant_id = d.pop("tenant_id", UNSET)

        scopes = cast(list[str], d.pop("scopes", UNSET))

        _state = d.pop("state", UNSET)
        state: BinoauthTenantV1AdminUserState | Unset
        if isinstance(_state, Unset):
            state = UNSET
        else:
            state = BinoauthTenantV1AdminUserState(_state)

        _create_time = d.pop("create_time", UNSET)
        create_time: datetime.datetime | Unset
        if isinstance(_create_time, Unset):
            create_time = UNSET
        else:
            create_time = datetime.datetime.fromisoformat(_create_time)

        _last_login_time = d.pop("last_login_time", UNSET)
        last_login_time: datetime.datetime | Unset
        if isinstance(_last_login_time, Unset):
            last_login_time = UNSET
        else:
            last_login_time = datetime.datetime.fromisoformat(_last_login_time)

        binoauth_tenant_v1_admin_user = cls(
            admin_user_id=admin_user_id,
            email=email,
            tenant_id=tenant_id,
            scopes=scopes,
            state=state,
            create_time=create_time,
            last_login_time=last_login_time,
        )

        return binoauth_tenant_v1_admin_user
