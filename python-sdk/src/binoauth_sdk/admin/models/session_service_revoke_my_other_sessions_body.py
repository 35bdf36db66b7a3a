from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SessionServiceRevokeMyOtherSessionsBody")


@_attrs_define
class SessionServiceRevokeMyOtherSessionsBody:
    """Request for SessionService.RevokeMyOtherSessions."""

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        session_service_revoke_my_other_sessions_body = cls()

        return session_service_revoke_my_other_sessions_body
