from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="HostedPagesServiceSubmitForgotPasswordBody")


@_attrs_define
class HostedPagesServiceSubmitForgotPasswordBody:
    """
    Attributes:
        csrf_token (str | Unset): The token from the page's form.
        return_to (str | Unset): Where to go next.
    """

    csrf_token: str | Unset = UNSET
    return_to: str | Unset = UNSET
    additional_properties: dict[str, str] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        csrf_token = self.csrf_token

        return_to = self.return_to

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if csrf_token is not UNSET:
            field_dict["csrf_token"] = csrf_token
        if return_to is not UNSET:
            field_dict["return_to"] = return_to

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        csrf_token = d.pop("csrf_token", UNSET)

        return_to = d.pop("return_to", UNSET)

        hosted_pages_service_submit_forgot_password_body = cls(
            csrf_token=csrf_token,
            return_to=return_to,
        )

        hosted_pages_service_submit_forgot_password_body.additional_properties = d
        return hosted_pages_service_submit_forgot_password_body

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
