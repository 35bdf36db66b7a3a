from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="FederatedSignInServiceFederatedCallbackPostBody")


@_attrs_define
class FederatedSignInServiceFederatedCallbackPostBody:
    """
    Attributes:
        code (str | Unset): The provider's authorization code.
        state (str | Unset): The flow's state.
        iss (str | Unset): The provider's issuer (RFC 9207).
        error (str | Unset): The provider's error code.
        user (str | Unset): Apple: the user's name on the first sign-in (JSON).
    """

    code: str | Unset = UNSET
    state: str | Unset = UNSET
    iss: str | Unset = UNSET
    error: str | Unset = UNSET
    user: str | Unset = UNSET
    additional_properties: dict[str, str] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        state = self.state

        iss = self.iss

        error = self.error

        user = self.user

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if code is not UNSET:
            field_dict["code"] = code
        if state is not UNSET:
            field_dict["state"] = state
        if iss is not UNSET:
            field_dict["iss"] = iss
        if error is not UNSET:
            field_dict["error"] = error
        if user is not UNSET:
            field_dict["user"] = user

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        code = d.pop("code", UNSET)

        state = d.pop("state", UNSET)

        iss = d.pop("iss", UNSET)

        error = d.pop("error", UNSET)

        user = d.pop("user", UNSET)

        federated_sign_in_service_federated_callback_post_body = cls(
            code=code,
            state=state,
            iss=iss,
            error=error,
            user=user,
        )

        federated_sign_in_service_federated_callback_post_body.additional_properties = d
        return federated_sign_in_service_federated_callback_post_body

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> str:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: str) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
