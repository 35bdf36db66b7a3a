from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BinoauthSessionV1RevokeMyOtherSessionsResponse")


@_attrs_define
class BinoauthSessionV1RevokeMyOtherSessionsResponse:
    """Response for SessionService.RevokeMyOtherSessions.

    Attributes:
        revoked_count (int | Unset):
    """

    revoked_count: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        revoked_count = self.revoked_count

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if revoked_count is not UNSET:
            field_dict["revoked_count"] = revoked_count

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        revoked_count = d.pop("revoked_count", UNSET)

        binoauth_session_v1_revoke_my_other_sessions_response = cls(
            revoked_count=revoked_count,
        )

        return binoauth_session_v1_revoke_my_other_sessions_response
