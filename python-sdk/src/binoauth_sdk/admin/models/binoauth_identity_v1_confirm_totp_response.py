from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BinoauthIdentityV1ConfirmTotpResponse")


@_attrs_define
class BinoauthIdentityV1ConfirmTotpResponse:
    """Response for UserSelfService.ConfirmTotp.

    Attributes:
        recovery_codes (list[str] | Unset):
    """

    recovery_codes: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        recovery_codes: list[str] | Unset = UNSET
        if not isinstance(self.recovery_codes, Unset):
            recovery_codes = self.recovery_codes

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if recovery_codes is not UNSET:
            field_dict["recovery_codes"] = recovery_codes

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        recovery_codes = cast(list[str], d.pop("recovery_codes", UNSET))

        binoauth_identity_v1_confirm_totp_response = cls(
            recovery_codes=recovery_codes,
        )

        return binoauth_identity_v1_confirm_totp_response
