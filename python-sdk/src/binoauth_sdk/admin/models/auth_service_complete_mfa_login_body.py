from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="AuthServiceCompleteMfaLoginBody")


@_attrs_define
class AuthServiceCompleteMfaLoginBody:
    """Request for AuthService.CompleteMfaLogin.

    Attributes:
        mfa_token (str):
        code (str): A 6-digit TOTP code, or a recovery code.
    """

    mfa_token: str
    code: str

    def to_dict(self) -> dict[str, Any]:
        mfa_token = self.mfa_token

        code = self.code

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "mfa_token": mfa_token,
                "code": code,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        mfa_token = d.pop("mfa_token")

        code = d.pop("code")

        auth_service_complete_mfa_login_body = cls(
            mfa_token=mfa_token,
            code=code,
        )

        return auth_service_complete_mfa_login_body
