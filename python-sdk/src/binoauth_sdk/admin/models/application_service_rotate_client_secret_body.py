from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ApplicationServiceRotateClientSecretBody")


@_attrs_define
class ApplicationServiceRotateClientSecretBody:
    """Request for ApplicationService.RotateClientSecret.

    Attributes:
        previous_secret_overlap_seconds (int | Unset): How long the replaced secret stays valid: 0-604800 seconds; unset
            means 86400 (24 h); 0 ends it at once (for a leaked secret).
    """

    previous_secret_overlap_seconds: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        previous_secret_overlap_seconds = self.previous_secret_overlap_seconds

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if previous_secret_overlap_seconds is not UNSET:
            field_dict["previous_secret_overlap_seconds"] = (
                previous_secret_overlap_seconds
            )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        previous_secret_overlap_seconds = d.pop(
            "previous_secret_overlap_seconds", UNSET
        )

        application_service_rotate_client_secret_body = cls(
            previous_secret_overlap_seconds=previous_secret_overlap_seconds,
        )

        return application_service_rotate_client_secret_body
