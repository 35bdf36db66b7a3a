from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ApplicationServiceUpdateApplicationBodyJwks")


@_attrs_define
class ApplicationServiceUpdateApplicationBodyJwks:
    """The public keys that verify the application's client assertions (private_key_jwt), as a JWK Set: {"keys": [{"kty":
    "EC", "crv": "P-256", "kid": "...", "x": "...", "y": "..."}]}. RSA (2048 bits or more; RS256, PS256), EC P-256
    (ES256) or Ed25519 (EdDSA) public keys, each with a unique "kid"; private key members are refused. Up to 10 keys:
    add the new key before signing with it, remove the old one after.

    """

    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        application_service_update_application_body_jwks = cls()

        application_service_update_application_body_jwks.additional_properties = d
        return application_service_update_application_body_jwks

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
