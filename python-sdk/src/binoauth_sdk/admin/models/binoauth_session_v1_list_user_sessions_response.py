from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.binoauth_session_v1_session import BinoauthSessionV1Session


T = TypeVar("T", bound="BinoauthSessionV1ListUserSessionsResponse")


@_attrs_define
class BinoauthSessionV1ListUserSessionsResponse:
    """Response for SessionService.ListUserSessions.

    Attributes:
        sessions (list[BinoauthSessionV1Session] | Unset):
    """

    sessions: list[BinoauthSessionV1Session] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        sessions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.sessions, Unset):
            sessions = []
            for sessions_item_data in self.sessions:
                sessions_item = sessions_item_data.to_dict()
                sessions.append(sessions_item)

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if sessions is not UNSET:
            field_dict["sessions"] = sessions

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.binoauth_session_v1_session import BinoauthSessionV1Session

        d = dict(src_dict)
        _sessions = d.pop("sessions", UNSET)
        sessions: list[BinoauthSessionV1Session] | Unset = UNSET
        if _sessions is not UNSET:
            sessions = []
            for sessions_item_data in _sessions:
                sessions_item = BinoauthSessionV1Session.from_dict(sessions_item_data)

                sessions.append(sessions_item)

        binoauth_session_v1_list_user_sessions_response = cls(
            sessions=sessions,
        )

        return binoauth_session_v1_list_user_sessions_response
