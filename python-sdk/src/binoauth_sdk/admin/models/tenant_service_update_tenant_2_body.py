from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.binoauth_tenant_v1_tenant_state import BinoauthTenantV1TenantState
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.binoauth_tenant_v1_tenant_settings import (
        BinoauthTenantV1TenantSettings,
    )


T = TypeVar("T", bound="TenantServiceUpdateTenant2Body")


@_attrs_define
class TenantServiceUpdateTenant2Body:
    """A tenant: one customer of the platform, with its own users, applications, keys and rules.

    Attributes:
        display_name (str | Unset): Human-readable name shown on hosted pages and in emails.
        state (BinoauthTenantV1TenantState | Unset): Lifecycle state of a tenant.
        settings (BinoauthTenantV1TenantSettings | Unset): Settings of one tenant. Every field has a documented platform
            default.
        custom_domains (list[str] | Unset): Custom domains that select this tenant (for example "login.acme.com");
            unique across tenants.
        issuer (str | Unset): The tenant's OpenID issuer URL, fixed by configuration.
        create_time (datetime.datetime | Unset):
        update_time (datetime.datetime | Unset):
    """

    display_name: str | Unset = UNSET
    state: BinoauthTenantV1TenantState | Unset = UNSET
    settings: BinoauthTenantV1TenantSettings | Unset = UNSET
    custom_domains: list[str] | Unset = UNSET
    issuer: str | Unset = UNSET
    create_time: datetime.datetime | Unset = UNSET
    update_time: datetime.datetime | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        display_name = self.display_name

        state: str | Unset = UNSET
        if not isinstance(self.state, Unset):
            state = self.state.value

        settings: dict[str, Any] | Unset = UNSET
        if not isinstance(self.settings, Unset):
            settings = self.settings.to_dict()

        custom_domains: list[str] | Unset = UNSET
        if not isinstance(self.custom_domains, Unset):
            custom_domains = self.custom_domains

        issuer = self.issuer

        create_time: str | Unset = UNSET
        if not isinstance(self.create_time, Unset):
            create_time = self.create_time.isoformat()

        update_time: str | Unset = UNSET
        if not isinstance(self.update_time, Unset):
            update_time = self.update_time.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if state is not UNSET:
            field_dict["state"] = state
        if settings is not UNSET:
            field_dict["settings"] = settings
        if custom_domains is not UNSET:
            field_dict["custom_domains"] = custom_domains
        if issuer is not UNSET:
            field_dict["issuer"] = issuer
        if create_time is not UNSET:
            field_dict["create_time"] = create_time
        if update_time is not UNSET:
            field_dict["update_time"] = update_time

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.binoauth_tenant_v1_tenant_settings import (
            BinoauthTenantV1TenantSettings,
        )

        d = dict(src_dict)
        display_name = d.pop("display_name", UNSET)

        _state = d.pop("state", UNSET)
        state: BinoauthTenantV1TenantState | Unset
        if isinstance(_state, Unset):
            state = UNSET
        else:
            state = BinoauthTenantV1TenantState(_state)

        _settings = d.pop("settings", UNSET)
        settings: BinoauthTenantV1TenantSettings | Unset
        if isinstance(_settings, Unset):
            settings = UNSET
        else:
            settings = BinoauthTenantV1TenantSettings.from_dict(_settings)

        custom_domains = cast(list[str], d.pop("custom_domains", UNSET))

        issuer = d.pop("issuer", UNSET)

        _create_time = d.pop("create_time", UNSET)
        create_time: datetime.datetime | Unset
        if isinstance(_create_time, Unset):
            create_time = UNSET
        else:
            create_time = datetime.datetime.fromisoformat(_create_time)

        _update_time = d.pop("update_time", UNSET)
        update_time: datetime.datetime | Unset
        if isinstance(_update_time, Unset):
            update_time = UNSET
        else:
            update_time = datetime.datetime.fromisoformat(_update_time)

        tenant_service_update_tenant_2_body = cls(
            display_name=display_name,
            state=state,
            settings=settings,
            custom_domains=custom_domains,
            issuer=issuer,
            create_time=create_time,
            update_time=update_time,
        )

        return tenant_service_update_tenant_2_body
