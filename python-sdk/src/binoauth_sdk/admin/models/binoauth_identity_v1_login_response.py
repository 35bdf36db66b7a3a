from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.binoauth_identity_v1_user import BinoauthIdentityV1User


T = TypeVar("T", bound="BinoauthIdentityV1LoginResponse")


@_attrs_define
class BinoauthIdentityV1LoginResponse:
    """Response for AuthService.Login, CompleteMfaLogin and ConsumeMagicLink.

    Attributes:
        user (BinoauthIdentityV1User | Unset): An end user of one tenant. Emails are unique per tenant, compared case-
            insensitively.
        mfa_required (bool | Unset): True when a second factor is needed: send it with mfa_token to
            /api/v1/auth/login/mfa.
        mfa_token (str | Unset):
        session_id (str | Unset):
    """

    user: BinoauthIdentityV1User | Unset = UNSET
    mfa_required: bool | Unset = UNSET
    mfa_token: str | Unset = UNSET
    session_id: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        user: dict[str, Any] | Unset = UNSET
        if not isinstance(self.user, Unset):
            user = self.user.to_dict()

        mfa_required = self.mfa_required

        mfa_token = self.mfa_token

        session_id = self.session_id

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if user is not UNSET:
            field_dict["user"] = user
        if mfa_required is not UNSET:
            field_dict["mfa_required"] = mfa_required
        if mfa_token is not UNSET:
            field_dict["mfa_token"] = mfa_token
        if session_id is not UNSET:
            field_dict["session_id"] = session_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.binoauth_identity_v1_user import BinoauthIdentityV1User

        d = dict(src_dict)
        _user = d.pop("user", UNSET)
        user: BinoauthIdentityV1User | Unset
        if isinstance(_user, Unset):
            user = UNSET
        else:
            user = BinoauthIdentityV1User.from_dict(_user)

        mfa_required = d.pop("mfa_required", UNSET)

        mfa_token = d.pop("mfa_token", UNSET)

        session_id = d.pop("session_id", UNSET)

        binoauth_identity_v1_login_response = cls(
            user=user,
            mfa_required=mfa_required,
            mfa_token=mfa_token,
            session_id=session_id,
        )

        return binoauth_identity_v1_login_response
