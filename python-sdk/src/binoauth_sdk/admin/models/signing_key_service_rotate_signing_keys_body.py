from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SigningKeyServiceRotateSigningKeysBody")


@_attrs_define
class SigningKeyServiceRotateSigningKeysBody:
    """Request for SigningKeyService.RotateSigningKeys.

    Attributes:
        algorithm (str | Unset): RS256, ES256 or EdDSA; empty rotates all three.
    """

    algorithm: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        algorithm = self.algorithm

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if algorithm is not UNSET:
            field_dict["algorithm"] = algorithm

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        algorithm = d.pop("algorithm", UNSET)

        signing_key_service_rotate_signing_keys_body = cls(
            algorithm=algorithm,
        )

        return signing_key_service_rotate_signing_keys_body
