from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.binoauth_token_v1_signing_key_state import BinoauthTokenV1SigningKeyState
from ..types import UNSET, Unset

T = TypeVar("T", bound="BinoauthTokenV1SigningKey")


@_attrs_define
class BinoauthTokenV1SigningKey:
    """A tenant's token signing key. Private keys never leave the token service and are stored encrypted with the key-
    encryption key; the public part is published in the JWKS.

        Attributes:
            kid (str | Unset): RFC 7638 thumbprint of the public key: stable for the key's whole life.
            algorithm (str | Unset): RS256, ES256 or EdDSA.
            state (BinoauthTokenV1SigningKeyState | Unset): Lifecycle state of a signing key.
            create_time (datetime.datetime | Unset):
            retire_time (datetime.datetime | Unset): When a newer key took over signing.
            expire_time (datetime.datetime | Unset): When the key leaves the JWKS: after every token it signed has expired.
    """

    kid: str | Unset = UNSET
    algorithm: str | Unset = UNSET
    state: BinoauthTokenV1SigningKeyState | Unset = UNSET
    create_time: datetime.datetime | Unset = UNSET
    retire_time: datetime.datetime | Unset = UNSET
    expire_time: datetime.datetime | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        kid = self.kid

        algorithm = self.algorithm

        state: str | Unset = UNSET
        if not isinstance(self.state, Unset):
            state = self.state.value

        create_time: str | Unset = UNSET
        if not isinstance(self.create_time, Unset):
            create_time = self.create_time.isoformat()

        retire_time: str | Unset = UNSET
        if not isinstance(self.retire_time, Unset):
            retire_time = self.retire_time.isoformat()

        expire_time: str | Unset = UNSET
        if not isinstance(self.expire_time, Unset):
            expire_time = self.expire_time.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if kid is not UNSET:
            field_dict["kid"] = kid
        if algorithm is not UNSET:
            field_dict["algorithm"] = algorithm
        if state is not UNSET:
            field_dict["state"] = state
        if create_time is not UNSET:
            field_dict["create_time"] = create_time
        if retire_time is not UNSET:
            field_dict["retire_time"] = retire_time
        if expire_time is not UNSET:
            field_dict["expire_time"] = expire_time

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        kid = d.pop("kid", UNSET)

        algorithm = d.pop("algorithm", UNSET)

        _state = d.pop("state", UNSET)
        state: BinoauthTokenV1SigningKeyState | Unset
        if isinstance(_state, Unset):
            state = UNSET
        else:
            state = BinoauthTokenV1SigningKeyState(_state)

        _create_time = d.pop("create_time", UNSET)
        create_time: datetime.datetime | Unset
        if isinstance(_create_time, Unset):
            create_time = UNSET
        else:
            create_time = datetime.datetime.fromisoformat(_create_time)

        _retire_time = d.pop("retire_time", UNSET)
        retire_time: datetime.datetime | Unset
        if isinstance(_retire_time, Unset):
            retire_time = UNSET
        else:
            retire_time = datetime.datetime.fromisoformat(_retire_time)

        _expire_time = d.pop("expire_time", UNSET)
        expire_time: datetime.datetime | Unset
        if isinstance(_expire_time, Unset):
            expire_time = UNSET
        else:
            expire_time = datetime.datetime.fromisoformat(_expire_time)

        binoauth_token_v1_signing_key = cls(
            kid=kid,
            algorithm=algorithm,
            state=state,
            create_time=create_time,
            retire_time=retire_time,
            expire_time=expire_time,
        )

        return binoauth_token_v1_signing_key
