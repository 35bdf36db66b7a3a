from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.binoauth_identity_v1_event_details import (
        BinoauthIdentityV1EventDetails,
    )


T = TypeVar("T", bound="BinoauthIdentityV1Event")


@_attrs_define
class BinoauthIdentityV1Event:
    """One thing that happened to an account.

    Attributes:
        event_id (str | Unset):
        type_ (str | Unset): LOGIN_SUCCEEDED, LOGIN_FAILED (details.reason: credentials, disabled or locked),
            MFA_FAILED, LOGGED_OUT, SIGNED_UP, EMAIL_VERIFIED, PASSWORD_CHANGED, PASSWORD_RESET, EMAIL_CHANGED,
            PHONE_VERIFIED, MFA_ENABLED, MFA_DISABLED, USER_CREATED, USER_UPDATED, USER_DELETED, USER_DISABLED,
            USER_ENABLED, USER_UNLOCKED, USER_MFA_RESET, and from the token service REFRESH_TOKEN_REUSED,
            AUTHORIZATION_CODE_REUSED (both revoke what was issued), CONSENT_GRANTED, CONSENT_REVOKED and
            CLIENT_AUTH_FAILED.
        user_id (str | Unset): The account concerned; empty for a failed sign-in to an unknown address.
        ip_address (str | Unset): The client's address and user agent, as the gateway saw them.
        user_agent (str | Unset):
        actor (str | Unset): The API key or admin user that acted, for administrators' actions.
        details (BinoauthIdentityV1EventDetails | Unset): Event-specific facts, e.g. {"method": "pwd"} or {"email":
            "...", "reason": "locked"}.
        create_time (datetime.datetime | Unset):
    """

    event_id: str | Unset = UNSET
    type_: str | Unset = UNSET
    user_id: str | Unset = UNSET
    ip_address: str | Unset = UNSET
    user_agent: str | Unset = UNSET
    actor: str | Unset = UNSET
    details: BinoauthIdentityV1EventDetails | Unset = UNSET
    create_time: datetime.datetime | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        event_id = self.event_id

        type_ = self.type_

        user_id = self.user_id

        ip_address = self.ip_address

        user_agent = self.user_agent

        actor = self.actor

        details: dict[str, Any] | Unset = UNSET
        if not isinstance(self.details, Unset):
            details = self.details.to_dict()

        create_time: str | Unset = UNSET
        if not isinstance(self.create_time, Unset):
            create_time = self.create_time.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if event_id is not UNSET:
            field_dict["event_id"] = event_id
        if type_ is not UNSET:
            field_dict["type"] = type_
        if user_id is not UNSET:
            field_dict["user_id"] = user_id
        if ip_address is not UNSET:
            field_dict["ip_address"] = ip_address
        if user_agent is not UNSET:
            field_dict["user_agent"] = user_agent
        if actor is not UNSET:
            field_dict["actor"] = actor
        if details is not UNSET:
            field_dict["details"] = details
        if create_time is not UNSET:
            field_dict["create_time"] = create_time

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.binoauth_identity_v1_event_details import (
            BinoauthIdentityV1EventDetails,
        )

        d = dict(src_dict)
        event_id = d.pop("event_id", UNSET)

        type_ = d.pop("type", UNSET)

        user_id = d.pop("user_id", UNSET)

        ip_address = d.pop("ip_address", UNSET)

        user_agent = d.pop("user_agent", UNSET)

        actor = d.pop("actor", UNSET)

        _details = d.pop("details", UNSET)
        details: BinoauthIdentityV1EventDetails | Unset
        if isinstance(_details, Unset):
            details = UNSET
        else:
            details = BinoauthIdentityV1EventDetails.from_dict(_details)

        _create_time = d.pop("create_time", UNSET)
        create_time: datetime.datetime | Unset
        if isinstance(_create_time, Unset):
            create_time = UNSET
        else:
            create_time = datetime.datetime.fromisoformat(_create_time)

        binoauth_identity_v1_event = cls(
            event_id=event_id,
            type_=type_,
            user_id=user_id,
            ip_address=ip_address,
            user_agent=user_agent,
            actor=actor,
            details=details,
            create_time=create_time,
        )

        return binoauth_identity_v1_event
