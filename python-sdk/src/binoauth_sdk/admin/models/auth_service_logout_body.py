from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="AuthServiceLogoutBody")


@_attrs_define
class AuthServiceLogoutBody:
    """Request for AuthService.Logout."""

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        auth_service_logout_body = cls()

        return auth_service_logout_body
