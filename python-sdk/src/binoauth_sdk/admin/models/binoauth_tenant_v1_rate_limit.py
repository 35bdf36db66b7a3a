from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BinoauthTenantV1RateLimit")


@_attrs_define
class BinoauthTenantV1RateLimit:
    """One endpoint group's budget.

    Attributes:
        per_ip_per_minute (int | Unset):
        per_tenant_per_minute (int | Unset):
    """

    per_ip_per_minute: int | Unset = UNSET
    per_tenant_per_minute: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        per_ip_per_minute = self.per_ip_per_minute

        per_tenant_per_minute = self.per_tenant_per_minute

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if per_ip_per_minute is not UNSET:
            field_dict["per_ip_per_minute"] = per_ip_per_minute
        if per_tenant_per_minute is not UNSET:
            field_dict["per_tenant_per_minute"] = per_tenant_per_minute

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        per_ip_per_minute = d.pop("per_ip_per_minute", UNSET)

        per_tenant_per_minute = d.pop("per_tenant_per_minute", UNSET)

        binoauth_tenant_v1_rate_limit = cls(
            per_ip_per_minute=per_ip_per_minute,
            per_tenant_per_minute=per_tenant_per_minute,
        )

        return binoauth_tenant_v1_rate_limit
