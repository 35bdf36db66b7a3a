from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BinoauthTenantV1LoginMethods")


@_attrs_define
class BinoauthTenantV1LoginMethods:
    """Which ways of signing in the tenant allows. Unset means the default (all true).

    Attributes:
        password (bool | Unset):
        magic_link (bool | Unset):
        totp (bool | Unset): TOTP as a second factor.
        signup (bool | Unset): Self-service sign-up.
    """

    password: bool | Unset = UNSET
    magic_link: bool | Unset = UNSET
    totp: bool | Unset = UNSET
    signup: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        password = self.password

        magic_link = self.magic_link

        totp = self.totp

        signup = self.signup

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if password is not UNSET:
            field_dict["password"] = password
        if magic_link is not UNSET:
            field_dict["magic_link"] = magic_link
        if totp is not UNSET:
            field_dict["totp"] = totp
        if signup is not UNSET:
            field_dict["signup"] = signup

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        password = d.pop("password", UNSET)

        magic_link = d.pop("magic_link", UNSET)

        totp = d.pop("totp", UNSET)

        signup = d.pop("signup", UNSET)

        binoauth_tenant_v1_login_methods = cls(
            password=password,
            magic_link=magic_link,
            totp=totp,
            signup=signup,
        )

        return binoauth_tenant_v1_login_methods
