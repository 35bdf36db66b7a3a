from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BinoauthTokenV1Consent")


@_attrs_define
class BinoauthTokenV1Consent:
    """A remembered consent.

    Attributes:
        client_id (str | Unset):
        client_name (str | Unset):
        scopes (list[str] | Unset):
    """

    client_id: str | Unset = UNSET
    client_name: str | Unset = UNSET
    scopes: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        client_id = self.client_id

        client_name = self.client_name

        scopes: list[str] | Unset = UNSET
        if not isinstance(self.scopes, Unset):
            scopes = self.scopes

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if client_id is not UNSET:
            field_dict["client_id"] = client_id
        if client_name is not UNSET:
            field_dict["client_name"] = client_name
        if scopes is not UNSET:
            field_dict["scopes"] = scopes

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        client_id = d.pop("client_id", UNSET)

        client_name = d.pop("client_name", UNSET)

        scopes = cast(list[str], d.pop("scopes", UNSET))

        binoauth_token_v1_consent = cls(
            client_id=client_id,
            client_name=client_name,
            scopes=scopes,
        )

        return binoauth_token_v1_consent
