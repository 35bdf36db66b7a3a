from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SessionServiceRevokeUserSessionResponse200")


@_attrs_define
class SessionServiceRevokeUserSessionResponse200:
    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        session_service_revoke_user_session_response_200 = cls()

        return session_service_revoke_user_session_response_200
