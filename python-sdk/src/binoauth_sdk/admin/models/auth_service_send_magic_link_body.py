from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AuthServiceSendMagicLinkBody")


@_attrs_define
class AuthServiceSendMagicLinkBody:
    """Request for AuthService.SendMagicLink.

    Attributes:
        email (str):
        return_to (str | Unset): Where the hosted page continues after sign-in: a path on this tenant.
    """

    email: str
    return_to: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        return_to = self.return_to

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "email": email,
            }
        )
        if return_to is not UNSET:
            field_dict["return_to"] = return_to

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        email = d.pop("email")

        return_to = d.pop("return_to", UNSET)

        auth_service_send_magic_link_body = cls(
            email=email,
            return_to=return_to,
        )

        return auth_service_send_magic_link_body
