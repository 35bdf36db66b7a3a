from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BinoauthSessionV1Session")


@_attrs_define
class BinoauthSessionV1Session:
    """A signed-in browser (or device) of one user of one tenant. The cookie value that proves it is never returned after
    creation and only its hash is stored.

        Attributes:
            session_id (str | Unset): Public identifier, safe to show and to use in URLs; not the cookie value.
            user_id (str | Unset):
            create_time (datetime.datetime | Unset):
            last_seen_time (datetime.datetime | Unset):
            expire_time (datetime.datetime | Unset): The absolute end of the session, whatever its activity.
            idle_expire_time (datetime.datetime | Unset): When the session ends if it stays idle from now on.
            amr (list[str] | Unset): Authentication methods used (RFC 8176 values: pwd, otp, mfa, ...), for the ID token's
                amr.
            auth_time (datetime.datetime | Unset): When the user last actively authenticated, for auth_time and max_age.
            ip_address (str | Unset):
            user_agent (str | Unset):
            current (bool | Unset): True for the session that made this request (self-service listing only).
    """

    session_id: str | Unset = UNSET
    user_id: str | Unset = UNSET
    create_time: datetime.datetime | Unset = UNSET
    last_seen_time: datetime.datetime | Unset = UNSET
    expire_time: datetime.datetime | Unset = UNSET
    idle_expire_time: datetime.datetime | Unset = UNSET
    amr: list[str] | Unset = UNSET
    auth_time: datetime.datetime | Unset = UNSET
    ip_address: str | Unset = UNSET
    user_agent: str | Unset = UNSET
    current: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        session_id = self.session_id

        user_id = self.user_id

        create_time: str | Unset = UNSET
        if not isinstance(self.create_time, Unset):
            create_time = self.create_time.isoformat()

        last_seen_time: str | Unset = UNSET
        if not isinstance(self.last_seen_time, Unset):
            last_seen_time = self.last_seen_time.isoformat()

        expire_time: str | Unset = UNSET
        if not isinstance(self.expire_time, Unset):
            expire_time = self.expire_time.isoformat()

        idle_expire_time: str | Unset = UNSET
        if not isinstance(self.idle_expire_time, Unset):
            idle_expire_time = self.idle_expire_time.isoformat()

        amr: list[str] | Unset = UNSET
        if not isinstance(self.amr, Unset):
            amr = self.amr

        auth_time: str | Unset = UNSET
        if not isinstance(self.auth_time, Unset):
            auth_time = self.auth_time.isoformat()

        ip_address = self.ip_address

        user_agent = self.user_agent

        current = self.current

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if session_id is not UNSET:
            field_dict["session_id"] = session_id
        if user_id is not UNSET:
            field_dict["user_id"] = user_id
        if create_time is not UNSET:
            field_dict["create_time"] = create_time
        if last_seen_time is not UNSET:
            field_dict["last_seen_time"] = last_seen_time
        if expire_time is not UNSET:
            field_dict["expire_time"] = expire_time
        if idle_expire_time is not UNSET:
            field_dict["idle_expire_time"] = idle_expire_time
        if amr is not UNSET:
            field_dict["amr"] = amr
        if auth_time is not UNSET:
            field_dict["auth_time"] = auth_time
        if ip_address is not UNSET:
            field_dict["ip_address"] = ip_address
        if user_agent is not UNSET:
            field_dict["user_agent"] = user_agent
        if current is not UNSET:
            field_dict["current"] = current

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        session_id = d.pop("session_id", UNSET)

        user_id = d.pop("user_id", UNSET)

        _create_time = d.pop("create_time", UNSET)
        create_time: datetime.datetime | Unset
        if isinstance(_create_time, Unset):
            create_time = UNSET
        else:
            create_time = datetime.datetime.fromisoformat(_create_time)

        _last_seen_time = d.pop("last_seen_time", UNSET)
        last_seen_time: datetime.datetime | Unset
        if isinstance(_last_seen_time, Unset):
            last_seen_time = UNSET
        else:
            last_seen_time = datetime.datetime.fromisoformat(_last_seen_time)

        _expire_time = d.pop("expire_time", UNSET)
        expire_time: datetime.datetime | Unset
        if isinstance(_expire_time, Unset):
            expire_time = UNSET
        else:
            expire_time = datetime.datetime.fromisoformat(_expire_time)

        _idle_expire_time = d.pop("idle_expire_time", UNSET)
        idle_expire_time: datetime.datetime | Unset
        if isinstance(_idle_expire_time, Unset):
            idle_expire_time = UNSET
        else:
            idle_expire_time = datetime.datetime.fromisoformat(_idle_expire_time)

        amr = cast(list[str], d.pop("amr", UNSET))

        _auth_time = d.pop("auth_time", UNSET)
        auth_time: datetime.datetime | Unset
        if isinstance(_auth_time, Unset):
            auth_time = UNSET
        else:
            auth_time = datetime.datetime.fromisoformat(_auth_time)

        ip_address = d.pop("ip_address", UNSET)

        user_agent = d.pop("user_agent", UNSET)

        current = d.pop("current", UNSET)

        binoauth_session_v1_session = cls(
            session_id=session_id,
            user_id=user_id,
            create_time=create_time,
            last_seen_time=last_seen_time,
            expire_time=expire_time,
            idle_expire_time=idle_expire_time,
            amr=amr,
            auth_time=auth_time,
            ip_address=ip_address,
            user_agent=user_agent,
            current=current,
        )

        return binoauth_session_v1_session
