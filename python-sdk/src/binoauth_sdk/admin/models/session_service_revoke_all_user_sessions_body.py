from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SessionServiceRevokeAllUserSessionsBody")


@_attrs_define
class SessionServiceRevokeAllUserSessionsBody:
    """Request for SessionService.RevokeAllUserSessions."""

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        session_service_revoke_all_user_sessions_body = cls()

        return session_service_revoke_all_user_sessions_body
