from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="OAuthServiceEndSessionBody")


@_attrs_define
class OAuthServiceEndSessionBody:
    """
    Attributes:
        id_token_hint (str | Unset): An ID token this issuer signed (an expired one is fine).
        post_logout_redirect_uri (str | Unset): One of the client's registered post-logout URIs.
        ui_locales (str | Unset): The pages' language: space-separated BCP 47 tags, best first (before Accept-Language).
        state (str | Unset): Returned unchanged with the redirect.
        client_id (str | Unset): The client, when there is no hint.
        csrf_token (str | Unset): The confirmation form's token.
        decision (str | Unset): `logout` or `stay` (confirmation form).
    """

    id_token_hint: str | Unset = UNSET
    post_logout_redirect_uri: str | Unset = UNSET
    ui_locales: str | Unset = UNSET
    state: str | Unset = UNSET
    client_id: str | Unset = UNSET
    csrf_token: str | Unset = UNSET
    decision: str | Unset = UNSET
    additional_properties: dict[str, str] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id_token_hint = self.id_token_hint

        post_logout_redirect_uri = self.post_logout_redirect_uri

        ui_locales = self.ui_locales

        state = self.state

        client_id = self.client_id

        csrf_token = self.csrf_token

        decision = self.decision

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id_token_hint is not UNSET:
            field_dict["id_token_hint"] = id_token_hint
        if post_logout_redirect_uri is not UNSET:
            field_dict["post_logout_redirect_uri"] = post_logout_redirect_uri
        if ui_locales is not UNSET:
            field_dict["ui_locales"] = ui_locales
        if state is not UNSET:
            field_dict["state"] = state
        if client_id is not UNSET:
            field_dict["client_id"] = client_id
        if csrf_token is not UNSET:
            field_dict["csrf_token"] = csrf_token
        if decision is not UNSET:
            field_dict["decision"] = decision

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id_token_hint = d.pop("id_token_hint", UNSET)

        post_logout_redirect_uri = d.pop("post_logout_redirect_uri", UNSET)

        ui_locales = d.pop("ui_locales", UNSET)

        state = d.pop("state", UNSET)

        client_id = d.pop("client_id", UNSET)

        csrf_token = d.pop("csrf_token", UNSET)

        decision = d.pop("decision", UNSET)

        o_auth_service_end_session_body = cls(
            id_token_hint=id_token_hint,
            post_logout_redirect_uri=post_logout_redirect_uri,
            ui_locales=ui_locales,
            state=state,
            client_id=client_id,
            csrf_token=csrf_token,
            decision=decision,
        )

        o_auth_service_end_session_body.additional_properties = d
        return o_auth_service_end_session_body

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
