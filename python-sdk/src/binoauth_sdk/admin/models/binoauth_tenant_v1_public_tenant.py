from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.binoauth_tenant_v1_tenant_state import BinoauthTenantV1TenantState
from ..types import UNSET, Unset

T = TypeVar("T", bound="BinoauthTenantV1PublicTenant")


@_attrs_define
class BinoauthTenantV1PublicTenant:
    """What anyone may know about a tenant.

    Attributes:
        tenant_id (str | Unset):
        display_name (str | Unset):
        issuer (str | Unset):
        state (BinoauthTenantV1TenantState | Unset): Lifecycle state of a tenant.
    """

    tenant_id: str | Unset = UNSET
    display_name: str | Unset = UNSET
    issuer: str | Unset = UNSET
    state: BinoauthTenantV1TenantState | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        tenant_id = self.tenant_id

        display_name = self.display_name

        issuer = self.issuer

        state: str | Unset = UNSET
        if not isinstance(self.state, Unset):
            state = self.state.value

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if tenant_id is not UNSET:
            field_dict["tenant_id"] = tenant_id
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if issuer is not UNSET:
            field_dict["issuer"] = issuer
        if state is not UNSET:
            field_dict["state"] = state

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        tenant_id = d.pop("tenant_id", UNSET)

        display_name = d.pop("display_name", UNSET)

        issuer = d.pop("issuer", UNSET)

        _state = d.pop("state", UNSET)
        state: BinoauthTenantV1TenantState | Unset
        if isinstance(_state, Unset):
            state = UNSET
        else:
            state = BinoauthTenantV1TenantState(_state)

        binoauth_tenant_v1_public_tenant = cls(
            tenant_id=tenant_id,
            display_name=display_name,
            issuer=issuer,
            state=state,
        )

        return binoauth_tenant_v1_public_tenant
