from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BinoauthTenantV1SessionSettings")


@_attrs_define
class BinoauthTenantV1SessionSettings:
    """Session timeouts, in seconds.

    Attributes:
        idle_timeout_seconds (int | Unset): Default 1800 (30 minutes).
        absolute_lifetime_seconds (int | Unset): Default 43200 (12 hours).
    """

    idle_timeout_seconds: int | Unset = UNSET
    absolute_lifetime_seconds: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        idle_timeout_seconds = self.idle_timeout_seconds

        absolute_lifetime_seconds = self.absolute_lifetime_seconds

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if idle_timeout_seconds is not UNSET:
            field_dict["idle_timeout_seconds"] = idle_timeout_seconds
        if absolute_lifetime_seconds is not UNSET:
            field_dict["absolute_lifetime_seconds"] = absolute_lifetime_seconds

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        idle_timeout_seconds = d.pop("idle_timeout_seconds", UNSET)

        absolute_lifetime_seconds = d.pop("absolute_lifetime_seconds", UNSET)

        binoauth_tenant_v1_session_settings = cls(
            idle_timeout_seconds=idle_timeout_seconds,
            absolute_lifetime_seconds=absolute_lifetime_seconds,
        )

        return binoauth_tenant_v1_session_settings
