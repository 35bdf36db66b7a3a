from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BinoauthTenantV1TokenSettings")


@_attrs_define
class BinoauthTenantV1TokenSettings:
    """Token lifetimes, in seconds.

    Attributes:
        access_token_ttl_seconds (int | Unset): Default 900 (15 minutes).
        id_token_ttl_seconds (int | Unset): Default 3600.
        refresh_token_idle_ttl_seconds (int | Unset): A refresh token unused for this long expires. Default 1209600 (14
            days).
        refresh_token_absolute_ttl_seconds (int | Unset): A refresh-token family expires this long after the login.
            Default 2592000 (30 days).
        authorization_code_ttl_seconds (int | Unset): Default 60; at most 600.
    """

    access_token_ttl_seconds: int | Unset = UNSET
    id_token_ttl_seconds: int | Unset = UNSET
    refresh_token_idle_ttl_seconds: int | Unset = UNSET
    refresh_token_absolute_ttl_seconds: int | Unset = UNSET
    authorization_code_ttl_seconds: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        access_token_ttl_seconds = self.access_token_ttl_seconds

        id_token_ttl_seconds = self.id_token_ttl_seconds

        refresh_token_idle_ttl_seconds = self.refresh_token_idle_ttl_seconds

        refresh_token_absolute_ttl_seconds = self.refresh_token_absolute_ttl_seconds

        authorization_code_ttl_seconds = self.authorization_code_ttl_seconds

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
        if authorization_code_ttl_seconds is not UNSET:
            field_dict["authorization_code_ttl_seconds"] = (
                authorization_code_ttl_seconds
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

        authorization_code_ttl_seconds = d.pop("authorization_code_ttl_seconds", UNSET)

        binoauth_tenant_v1_token_settings = cls(
            access_token_ttl_seconds=access_token_ttl_seconds,
            id_token_ttl_seconds=id_token_ttl_seconds,
            refresh_token_idle_ttl_seconds=refresh_token_idle_ttl_seconds,
            refresh_token_absolute_ttl_seconds=refresh_token_absolute_ttl_seconds,
            authorization_code_ttl_seconds=authorization_code_ttl_seconds,
        )

        return binoauth_tenant_v1_token_settings
