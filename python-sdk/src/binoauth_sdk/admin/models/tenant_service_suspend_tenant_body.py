from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="TenantServiceSuspendTenantBody")


@_attrs_define
class TenantServiceSuspendTenantBody:
    """Request for TenantService.SuspendTenant."""

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        tenant_service_suspend_tenant_body = cls()

        return tenant_service_suspend_tenant_body
