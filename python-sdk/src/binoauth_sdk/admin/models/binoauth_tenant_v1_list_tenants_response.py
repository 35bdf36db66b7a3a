from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.binoauth_tenant_v1_tenant import BinoauthTenantV1Tenant


T = TypeVar("T", bound="BinoauthTenantV1ListTenantsResponse")


@_attrs_define
class BinoauthTenantV1ListTenantsResponse:
    """Response for TenantService.ListTenants.

    Attributes:
        tenants (list[BinoauthTenantV1Tenant] | Unset):
        next_page_token (str | Unset):
    """

    tenants: list[BinoauthTenantV1Tenant] | Unset = UNSET
    next_page_token: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        tenants: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tenants, Unset):
            tenants = []
            for tenants_item_data in self.tenants:
                tenants_item = tenants_item_data.to_dict()
                tenants.append(tenants_item)

        next_page_token = self.next_page_token

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if tenants is not UNSET:
            field_dict["tenants"] = tenants
        if next_page_token is not UNSET:
            field_dict["next_page_token"] = next_page_token

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.binoauth_tenant_v1_tenant import BinoauthTenantV1Tenant

        d = dict(src_dict)
        _tenants = d.pop("tenants", UNSET)
        tenants: list[BinoauthTenantV1Tenant] | Unset = UNSET
        if _tenants is not UNSET:
            tenants = []
            for tenants_item_data in _tenants:
                tenants_item = BinoauthTenantV1Tenant.from_dict(tenants_item_data)

                tenants.append(tenants_item)

        next_page_token = d.pop("next_page_token", UNSET)

        binoauth_tenant_v1_list_tenants_response = cls(
            tenants=tenants,
            next_page_token=next_page_token,
        )

        return binoauth_tenant_v1_list_tenants_response
