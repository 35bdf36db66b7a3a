from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.binoauth_token_v1_application import BinoauthTokenV1Application


T = TypeVar("T", bound="BinoauthTokenV1CreateApplicationResponse")


@_attrs_define
class BinoauthTokenV1CreateApplicationResponse:
    """Response for ApplicationService.CreateApplication.

    Attributes:
        application (BinoauthTokenV1Application | Unset): An OAuth 2.0 / OpenID Connect client of one tenant. A
            confidential client's secret is shown once (at creation and at rotation) and stored only as a SHA-256 hash.
        client_secret (str | Unset): The client secret of a confidential client; empty for a public client. Shown only
            here. A private_key_jwt client gets one too, refused while it authenticates with its keys: it lets the client
            switch to a secret method later (as Auth0 applications do).
    """

    application: BinoauthTokenV1Application | Unset = UNSET
    client_secret: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        application: dict[str, Any] | Unset = UNSET
        if not isinstance(self.application, Unset):
            application = self.application.to_dict()

        client_secret = self.client_secret

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if application is not UNSET:
            field_dict["application"] = application
        if client_secret is not UNSET:
            field_dict["client_secret"] = client_secret

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.binoauth_token_v1_application import BinoauthTokenV1Application

        d = dict(src_dict)
        _application = d.pop("application", UNSET)
        application: BinoauthTokenV1Application | Unset
        if isinstance(_application, Unset):
            application = UNSET
        else:
            application = BinoauthTokenV1Application.from_dict(_application)

        client_secret = d.pop("client_secret", UNSET)

        binoauth_token_v1_create_application_response = cls(
            application=application,
            client_secret=client_secret,
        )

        return binoauth_token_v1_create_application_response
