from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ApplicationServiceUpdateApplicationBodyScopeDescriptions")


@_attrs_define
class ApplicationServiceUpdateApplicationBodyScopeDescriptions:
    """What each custom scope lets this application do, in words, shown on the consent page instead of the scope's name:
    {"read:orders": "See your orders"}. At most 50, each 1-200 characters on one line. Overrides the tenant's
    description of the same scope (settings.branding.scope_descriptions); built-in scopes keep their translated words.

    """

    additional_properties: dict[str, str] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        application_service_update_application_body_scope_descriptions = cls()

        application_service_update_application_body_scope_descriptions.additional_properties = d
        return application_service_update_application_body_scope_descriptions

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
