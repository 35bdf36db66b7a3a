from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BinoauthIdentityV1FederatedIdentity")


@_attrs_define
class BinoauthIdentityV1FederatedIdentity:
    """An upstream account linked to a user.

    Attributes:
        identity_id (str | Unset):
        provider_id (str | Unset):
        subject (str | Unset): The provider's `sub` (or GitHub's numeric user id).
        email (str | Unset): The email the provider gave at the last sign-in.
        create_time (datetime.datetime | Unset):
        last_login_time (datetime.datetime | Unset):
    """

    identity_id: str | Unset = UNSET
    provider_id: str | Unset = UNSET
    subject: str | Unset = UNSET
    email: str | Unset = UNSET
    create_time: datetime.datetime | Unset = UNSET
    last_login_time: datetime.datetime | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        identity_id = self.identity_id

        provider_id = self.provider_id

        subject = self.subject

        email = self.email

        create_time: str | Unset = UNSET
        if not isinstance(self.create_time, Unset):
            create_time = self.create_time.isoformat()

        last_login_time: str | Unset = UNSET
        if not isinstance(self.last_login_time, Unset):
            last_login_time = self.last_login_time.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if identity_id is not UNSET:
            field_dict["identity_id"] = identity_id
        if provider_id is not UNSET:
            field_dict["provider_id"] = provider_id
        if subject is not UNSET:
            field_dict["subject"] = subject
        if email is not UNSET:
            field_dict["email"] = email
        if create_time is not UNSET:
            field_dict["create_time"] = create_time
        if last_login_time is not UNSET:
            field_dict["last_login_time"] = last_login_time

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        identity_id = d.pop("identity_id", UNSET)

        provider_id = d.pop("provider_id", UNSET)

        subject = d.pop("subject", UNSET)

        email = d.pop("email", UNSET)

        _create_time = d.pop("create_time", UNSET)
        create_time: datetime.datetime | Unset
        if isinstance(_create_time, Unset):
            create_time = UNSET
        else:
            create_time = datetime.datetime.fromisoformat(_create_time)

        _last_login_time = d.pop("last_login_time", UNSET)
        last_login_time: datetime.datetime | Unset
        if isinstance(_last_login_time, Unset):
            last_login_time = UNSET
        else:
            last_login_time = datetime.datetime.fromisoformat(_last_login_time)

        binoauth_identity_v1_federated_identity = cls(
            identity_id=identity_id,
            provider_id=provider_id,
            subject=subject,
            email=email,
            create_time=create_time,
            last_login_time=last_login_time,
        )

        return binoauth_identity_v1_federated_identity
