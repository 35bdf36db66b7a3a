from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ApplicationServiceDeleteApplicationResponse200")


@_attrs_define
class ApplicationServiceDeleteApplicationResponse200:
    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        application_service_delete_application_response_200 = cls()

        return application_service_delete_application_response_200
