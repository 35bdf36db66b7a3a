from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.binoauth_identity_v1_user import BinoauthIdentityV1User


T = TypeVar("T", bound="UserAdminServiceCreateUserBody")


@_attrs_define
class UserAdminServiceCreateUserBody:
    """Request for UserAdminService.CreateUser.

    Attributes:
        user (BinoauthIdentityV1User): An end user of one tenant. Emails are unique per tenant, compared case-
            insensitively.
        password (str | Unset): Optional initial password (the tenant's password policy applies).
        send_invite (bool | Unset): E-mail an invitation to choose a password.
        email_verified (bool | Unset): Mark the email as verified (the administrator vouches for it).
    """

    user: BinoauthIdentityV1User
    password: str | Unset = UNSET
    send_invite: bool | Unset = UNSET
    email_verified: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        user = self.user.to_dict()

        password = self.password

        send_invite = self.send_invite

        email_verified = self.email_verified

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "user": user,
            }
        )
        if password is not UNSET:
            field_dict["password"] = password
        if send_invite is not UNSET:
            field_dict["send_invite"] = send_invite
        if email_verified is not UNSET:
            field_dict["email_verified"] = email_verified

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.binoauth_identity_v1_user import BinoauthIdentityV1User

        d = dict(src_dict)
        user = BinoauthIdentityV1User.from_dict(d.pop("user"))

        password = d.pop("password", UNSET)

        send_invite = d.pop("send_invite", UNSET)

        email_verified = d.pop("email_verified", UNSET)

        user_admin_service_create_user_body = cls(
            user=user,
            password=password,
            send_invite=send_invite,
            email_verified=email_verified,
        )

        return user_admin_service_create_user_body
