from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.binoauth_tenant_v1_api_key_state import BinoauthTenantV1ApiKeyState
from ..types import UNSET, Unset

T = TypeVar("T", bound="BinoauthTenantV1ApiKey")


@_attrs_define
class BinoauthTenantV1ApiKey:
    """A management API key. Platform keys (empty tenant_id) act on every tenant; tenant keys on one tenant only. The
    secret is shown once, at creation, and stored only as a hash.

        Attributes:
            api_key_id (str | Unset):
            tenant_id (str | Unset): Empty for a platform key.

                Immutable once created.
            display_name (str | Unset):
            scopes (list[str] | Unset): Scopes such as "tenants:read", "tenants:write", "users:read".

                Immutable once created.
            state (BinoauthTenantV1ApiKeyState | Unset): Lifecycle state of an API key.
            create_time (datetime.datetime | Unset):
            expire_time (datetime.datetime | Unset): Optional expiry; unset means the key does not expire.
            revoke_time (datetime.datetime | Unset):
    """

    api_key_id: str | Unset = UNSET
    tenant_id: str | Unset = UNSET
    display_name: str | Unset = UNSET
    scopes: list[str] | Unset = UNSET
    state: BinoauthTenantV1ApiKeyState | Unset = UNSET
    create_time: datetime.datetime | Unset = UNSET
    expire_time: datetime.datetime | Unset = UNSET
    revoke_time: datetime.datetime | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        api_key_id = self.api_key_id

        tenant_id = self.tenant_id

        display_name = self.display_name

        scopes: list[str] | Unset = UNSET
        if not isinstance(self.scopes, Unset):
            scopes = self.scopes

        state: str | Unset = UNSET
        if not isinstance(self.state, Unset):
            state = self.state.value

        create_time: str | Unset = UNSET
        if not isinstance(self.create_time, Unset):
            create_time = self.create_time.isoformat()

        expire_time: str | Unset = UNSET
        if not isinstance(self.expire_time, Unset):
            expire_time = self.expire_time.isoformat()

        revoke_time: str | Unset = UNSET
        if not isinstance(self.revoke_time, Unset):
            revoke_time = self.revoke_time.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if api_key_id is not UNSET:
            field_dict["api_key_id"] = api_key_id
        if tenant_id is not UNSET:
            field_dict["tenant_id"] = tenant_id
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if scopes is not UNSET:
            field_dict["scopes"] = scopes
        if state is not UNSET:
            field_dict["state"] = state
        if create_time is not UNSET:
            field_dict["create_time"] = create_time
        if expire_time is not UNSET:
            field_dict["expire_time"] = expire_time
        if revoke_time is not UNSET:
            field_dict["revoke_time"] = revoke_time

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        api_key_id = d.pop("api_key_id", UNSET)

        tenant_id = d.pop("tenant_id", UNSET)

        display_name = d.pop("display_name", UNSET)

        scopes = cast(list[str], d.pop("scopes", UNSET))

        _state = d.pop("state", UNSET)
        state: BinoauthTenantV1ApiKeyState | Unset
        if isinstance(_state, Unset):
            state = UNSET
        else:
            state = BinoauthTenantV1ApiKeyState(_state)

        _create_time = d.pop("create_time", UNSET)
        create_time: datetime.datetime | Unset
        if isinstance(_create_time, Unset):
            create_time = UNSET
        else:
            create_time = datetime.datetime.fromisoformat(_create_time)

        _expire_time = d.pop("expire_time", UNSET)
        expire_time: datetime.datetime | Unset
        if isinstance(_expire_time, Unset):
            expire_time = UNSET
        else:
            expire_time = datetime.datetime.fromisoformat(_expire_time)

        _revoke_time = d.pop("revoke_time", UNSET)
        revoke_time: datetime.datetime | Unset
        if isinstance(_revoke_time, Unset):
            revoke_time = UNSET
        else:
            revoke_time = datetime.datetime.fromisoformat(_revoke_time)

        binoauth_tenant_v1_api_key = cls(
            api_key_id=api_key_id,
            tenant_id=tenant_id,
            display_name=display_name,
            scopes=scopes,
            state=state,
            create_time=create_time,
            expire_time=expire_time,
            revoke_time=revoke_time,
        )

        return binoauth_tenant_v1_api_key
