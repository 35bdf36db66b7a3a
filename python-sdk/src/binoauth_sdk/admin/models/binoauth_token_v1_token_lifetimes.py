from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BinoauthTokenV1TokenLifetimes")


@_attrs_define
class BinoauthTokenV1TokenLifetimes:
    """Per-application token lifetimes in seconds; 0 means the tenant's setting. The bounds are those of the tenant
    settings.

        Attributes:
            access_token_ttl_seconds (int | Unset): 60-86400.
            id_token_ttl_seconds (int | Unset): 60-86400.
            refresh_token_idle_ttl_seconds (int | Unset): 300-31536000.
            refresh_token_absolute_ttl_seconds (int | Unset): 300-31536000; not below the idle lifetime.
    """

    access_token_ttl_seconds: int | Unset = UNSET
    id_token_ttl_seconds: int | Unset = UNSET
    refresh_token_idle_ttl_seconds: int | Unset = UNSET
    refresh_token_absolute_ttl_seconds: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        access_token_ttl_seconds = self.access_token_ttl_seconds

        id_token_ttl_seconds = self.id_token_ttl_seconds

        refresh_token_idle_ttl_seconds = self.refresh_token_idle_ttl_seconds

        refresh_token_absolute_ttl_seconds = self.refresh_token_absolute_ttl_seconds

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if access_token_ttl_seconds is not UNSET:
            field_dict["access_token_ttl_seconds"] = access_token_ttl_seconds
        if id_token_ttl_seconds is not UNSET:
            field_dict["id_token_ttl_seconds"] = id_token_ttl_seconds
        if refresh_token_idle_ttl_seconds is not UNSET:
            field_dict["refresh_token_idle_ttl_seconds"] = (
                refresh_token_idle_ttl_seconds
            )
        if refresh_token_absolute_ttl_seconds is not UNSET:
            field_dict["refresh_token_absolute_ttl_seconds"] = (
                refresh_token_absolute_ttl_seconds
            )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        access_token_ttl_seconds = d.pop("access_token_ttl_seconds", UNSET)

        id_token_ttl_seconds = d.pop("id_token_ttl_seconds", UNSET)

        refresh_token_idle_ttl_seconds = d.pop("refresh_token_idle_ttl_seconds", UNSET)

        refresh_token_absolute_ttl_seconds = d.pop(
            "refresh_token_absolute_ttl_seconds", UNSET
        )

        binoauth_token_v1_token_lifetimes = cls(
            access_token_ttl_seconds=access_token_ttl_seconds,
            id_token_ttl_seconds=id_token_ttl_seconds,
            refresh_token_idle_ttl_seconds=refresh_token_idle_ttl_seconds,
            refresh_token_absolute_ttl_seconds=refresh_token_absolute_ttl_seconds,
        )

        return binoauth_token_v1_token_lifetimes
