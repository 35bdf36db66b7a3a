from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BinoauthTenantV1PasswordPolicy")


@_attrs_define
class BinoauthTenantV1PasswordPolicy:
    """Password rules for the tenant's users.

    Attributes:
        min_length (int | Unset): Default 8; never below 8.
        max_length (int | Unset): Default 128; never below 64.
        reject_common_passwords (bool | Unset): Refuse passwords from the shipped common-password list. Default true.
    """

    min_length: int | Unset = UNSET
    max_length: int | Unset = UNSET
    reject_common_passwords: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        min_length = self.min_length

        max_length = self.max_length

        reject_common_passwords = self.reject_common_passwords

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if min_length is not UNSET:
            field_dict["min_length"] = min_length
        if max_length is not UNSET:
            field_dict["max_length"] = max_length
        if reject_common_passwords is not UNSET:
            field_dict["reject_common_passwords"] = reject_common_passwords

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        min_length = d.pop("min_length", UNSET)

        max_length = d.pop("max_length", UNSET)

        reject_common_passwords = d.pop("reject_common_passwords", UNSET)

        binoauth_tenant_v1_password_policy = cls(
            min_length=min_length,
            max_length=max_length,
            reject_common_passwords=reject_common_passwords,
        )

        return binoauth_tenant_v1_password_policy
