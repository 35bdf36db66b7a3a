from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AuthServiceSignUpBody")


@_attrs_define
class AuthServiceSignUpBody:
    """Request for AuthService.SignUp.

    Attributes:
        email (str):
        password (str | Unset):
        name (str | Unset):
        given_name (str | Unset):
        family_name (str | Unset):
        locale (str | Unset):
    """

    email: str
    password: str | Unset = UNSET
    name: str | Unset = UNSET
    given_name: str | Unset = UNSET
    family_name: str | Unset = UNSET
    locale: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        password = self.password

        name = self.name

        given_name = self.given_name

        family_name = self.family_name

        locale = self.locale

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "email": email,
            }
        )
        if password is not UNSET:
            field_dict["password"] = password
        if name is not UNSET:
            field_dict["name"] = name
        if given_name is not UNSET:
            field_dict["given_name"] = given_name
        if family_name is not UNSET:
            field_dict["family_name"] = family_name
        if locale is not UNSET:
            field_dict["locale"] = locale

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        email = d.pop("email")

        password = d.pop("password", UNSET)

        name = d.pop("name", UNSET)

        given_name = d.pop("given_name", UNSET)

        family_name = d.pop("family_name", UNSET)

        locale = d.pop("locale", UNSET)

        auth_service_sign_up_body = cls(
            email=email,
            password=password,
            name=name,
            given_name=given_name,
            family_name=family_name,
            locale=locale,
        )

        return auth_service_sign_up_body
