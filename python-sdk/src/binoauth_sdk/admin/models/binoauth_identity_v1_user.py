from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.binoauth_identity_v1_user_state import BinoauthIdentityV1UserState
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.binoauth_identity_v1_user_metadata import (
        BinoauthIdentityV1UserMetadata,
    )


T = TypeVar("T", bound="BinoauthIdentityV1User")


@_attrs_define
class BinoauthIdentityV1User:
    """An end user of one tenant. Emails are unique per tenant, compared case-insensitively.

    Attributes:
        user_id (str | Unset):
        email (str | Unset):
        email_verified (bool | Unset):
        phone_number (str | Unset): E.164, for example "+14155550100".
        phone_verified (bool | Unset):
        name (str | Unset): OpenID Connect standard profile claims.
        given_name (str | Unset):
        family_name (str | Unset):
        picture (str | Unset):
        locale (str | Unset):
        zoneinfo (str | Unset):
        metadata (BinoauthIdentityV1UserMetadata | Unset): Free-form JSON object for the tenant's own data (at most 16
            KiB).
        state (BinoauthIdentityV1UserState | Unset): Lifecycle state of a user.
        mfa_enabled (bool | Unset):
        create_time (datetime.datetime | Unset):
        update_time (datetime.datetime | Unset):
        last_login_time (datetime.datetime | Unset):
    """

    user_id: str | Unset = UNSET
    email: str | Unset = UNSET
    email_verified: bool | Unset = UNSET
    phone_number: str | Unset = UNSET
    phone_verified: bool | Unset = UNSET
    name: str | Unset = UNSET
    given_name: str | Unset = UNSET
    family_name: str | Unset = UNSET
    picture: str | Unset = UNSET
    locale: str | Unset = UNSET
    zoneinfo: str | Unset = UNSET
    metadata: BinoauthIdentityV1UserMetadata | Unset = UNSET
    state: BinoauthIdentityV1UserState | Unset = UNSET
    mfa_enabled: bool | Unset = UNSET
    create_time: datetime.datetime | Unset = UNSET
    update_time: datetime.datetime | Unset = UNSET
    last_login_time: datetime.datetime | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        user_id = self.user_id

        email = self.email

        email_verified = self.email_verified

        phone_number = self.phone_number

        phone_verified = self.phone_verified

        name = self.name

        given_name = self.given_name

        family_name = self.family_name

        picture = self.picture

        locale = self.locale

        zoneinfo = self.zoneinfo

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        state: str | Unset = UNSET
        if not isinstance(self.state, Unset):
            state = self.state.value

        mfa_enabled = self.mfa_enabled

        create_time: str | Unset = UNSET
        if not isinstance(self.create_time, Unset):
            create_time = self.create_time.isoformat()

        update_time: str | Unset = UNSET
        if not isinstance(self.update_time, Unset):
            update_time = self.update_time.isoformat()

        last_login_time: str | Unset = UNSET
        if not isinstance(self.last_login_time, Unset):
            last_login_time = self.last_login_time.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if user_id is not UNSET:
            field_dict["user_id"] = user_id
        if email is not UNSET:
            field_dict["email"] = email
        if email_verified is not UNSET:
            field_dict["email_verified"] = email_verified
        if phone_number is not UNSET:
            field_dict["phone_number"] = phone_number
        if phone_verified is not UNSET:
            field_dict["phone_verified"] = phone_verified
        if name is not UNSET:
            field_dict["name"] = name
        if given_name is not UNSET:
            field_dict["given_name"] = given_name
        if family_name is not UNSET:
            field_dict["family_name"] = family_name
        if picture is not UNSET:
            field_dict["picture"] = picture
        if locale is not UNSET:
            field_dict["locale"] = locale
        if zoneinfo is not UNSET:
            field_dict["zoneinfo"] = zoneinfo
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if state is not UNSET:
            field_dict["state"] = state
        if mfa_enabled is not UNSET:
            field_dict["mfa_enabled"] = mfa_enabled
        if create_time is not UNSET:
            field_dict["create_time"] = create_time
        if update_time is not UNSET:
            field_dict["update_time"] = update_time
        if last_login_time is not UNSET:
            field_dict["last_login_time"] = last_login_time

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.binoauth_identity_v1_user_metadata import (
            BinoauthIdentityV1UserMetadata,
        )

        d = dict(src_dict)
        user_id = d.pop("user_id", UNSET)

        email = d.pop("email", UNSET)

        email_verified = d.pop("email_verified", UNSET)

        phone_number = d.pop("phone_number", UNSET)

        phone_verified = d.pop("phone_verified", UNSET)

        name = d.pop("name", UNSET)

        given_name = d.pop("given_name", UNSET)

        family_name = d.pop("family_name", UNSET)

        picture = d.pop("picture", UNSET)

        locale = d.pop("locale", UNSET)

        zoneinfo = d.pop("zoneinfo", UNSET)

        _metadata = d.pop("metadata", UNSET)
        metadata: BinoauthIdentityV1UserMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = BinoauthIdentityV1UserMetadata.from_dict(_metadata)

        _state = d.pop("state", UNSET)
        state: BinoauthIdentityV1UserState | Unset
        if isinstance(_state, Unset):
            state = UNSET
        else:
            state = BinoauthIdentityV1UserState(_state)

        mfa_enabled = d.pop("mfa_enabled", UNSET)

        _create_time = d.pop("create_time", UNSET)
        create_time: datetime.datetime | Unset
        if isinstance(_create_time, Unset):
            create_time = UNSET
        else:
            create_time = datetime.datetime.fromisoformat(_create_time)

        _update_time = d.pop("update_time", UNSET)
        update_time: datetime.datetime | Unset
        if isinstance(_update_time, Unset):
            update_time = UNSET
        else:
            update_time = datetime.datetime.fromisoformat(_update_time)

        _last_login_time = d.pop("last_login_time", UNSET)
        last_login_time: datetime.datetime | Unset
        if isinstance(_last_login_time, Unset):
            last_login_time = UNSET
        else:
            last_login_time = datetime.datetime.fromisoformat(_last_login_time)

        binoauth_identity_v1_user = cls(
            user_id=user_id,
            email=email,
            email_verified=email_verified,
            phone_number=phone_number,
            phone_verified=phone_verified,
            name=name,
            given_name=given_name,
            family_name=family_name,
            picture=picture,
            locale=locale,
            zoneinfo=zoneinfo,
            metadata=metadata,
            state=state,
            mfa_enabled=mfa_enabled,
            create_time=create_time,
            update_time=update_time,
            last_login_time=last_login_time,
        )

        return binoauth_identity_v1_user
