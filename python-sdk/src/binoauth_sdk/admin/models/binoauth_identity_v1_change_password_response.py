from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BinoauthIdentityV1ChangePasswordResponse")


@_attrs_define
class BinoauthIdentityV1ChangePasswordResponse:
    """Response for UserSelfService.ChangePassword.

    Attributes:
        revoked_sessions (int | Unset):
    """

    revoked_sessions: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        revoked_sessions = self.revoked_sessions

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if revoked_sessions is not UNSET:
            field_dict["revoked_sessions"] = revoked_sessions

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        revoked_sessions = d.pop("revoked_sessions", UNSET)

        binoauth_identity_v1_change_password_response = cls(
            revoked_sessions=revoked_sessions,
        )

        return binoauth_identity_v1_change_password_response
