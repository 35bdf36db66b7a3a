from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.binoauth_tenant_v1_admin_user import BinoauthTenantV1AdminUser


T = TypeVar("T", bound="BinoauthTenantV1AdminSession")


@_attrs_define
class BinoauthTenantV1AdminSession:
    """An administrator's console session (the cookie itself is never in a body).

    Attributes:
        admin_user (BinoauthTenantV1AdminUser | Unset): An administrator of the platform (empty tenant_id) or of one
            tenant, for the dashboard.
        expire_time (datetime.datetime | Unset): When the session ends whatever happens (absolute timeout, 12 hours by
            default).
        idle_expire_time (datetime.datetime | Unset): When the session ends unless it is used before (idle timeout, 30
            minutes by default).
    """

    admin_user: BinoauthTenantV1AdminUser | Unset = UNSET
    expire_time: datetime.datetime | Unset = UNSET
    idle_expire_time: datetime.datetime | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        admin_user: dict[str, Any] | Unset = UNSET
        if not isinstance(self.admin_user, Unset):
            admin_user = self.admin_user.to_dict()

        expire_time: str | Unset = UNSET
        if not isinstance(self.expire_time, Unset):
            expire_time = self.expire_time.isoformat()

        idle_expire_time: str | Unset = UNSET
        if not isinstance(self.idle_expire_time, Unset):
            idle_expire_time = self.idle_expire_time.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if admin_user is not UNSET:
            field_dict["admin_user"] = admin_user
        if expire_time is not UNSET:
            field_dict["expire_time"] = expire_time
        if idle_expire_time is not UNSET:
            field_dict["idle_expire_time"] = idle_expire_time

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.binoauth_tenant_v1_admin_user import BinoauthTenantV1AdminUser

        d = dict(src_dict)
        _admin_user = d.pop("admin_user", UNSET)
        admin_user: BinoauthTenantV1AdminUser | Unset
        if isinstance(_admin_user, Unset):
            admin_user = UNSET
        else:
            admin_user = BinoauthTenantV1AdminUser.from_dict(_admin_user)

        _expire_time = d.pop("expire_time", UNSET)
        expire_time: datetime.datetime | Unset
        if isinstance(_expire_time, Unset):
            expire_time = UNSET
        else:
            expire_time = datetime.datetime.fromisoformat(_expire_time)

        _idle_expire_time = d.pop("idle_expire_time", UNSET)
        idle_expire_time: datetime.datetime | Unset
        if isinstance(_idle_expire_time, Unset):
            idle_expire_time = UNSET
        else:
            idle_expire_time = datetime.datetime.fromisoformat(_idle_expire_time)

        binoauth_tenant_v1_admin_session = cls(
            admin_user=admin_user,
            expire_time=expire_time,
            idle_expire_time=idle_expire_time,
        )

        return binoauth_tenant_v1_admin_session
