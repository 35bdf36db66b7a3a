from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="OAuthServiceAuthorizeBody")


@_attrs_define
class OAuthServiceAuthorizeBody:
    """
    Attributes:
        response_type (str | Unset): `code` (the only response type).
        client_id (str | Unset): The application's client_id.
        redirect_uri (str | Unset): One of the client's registered redirect URIs; required with scope `openid`.
        scope (str | Unset): Space-separated scopes the client may request.
        state (str | Unset): Returned unchanged.
        nonce (str | Unset): Copied into the ID token.
        code_challenge (str | Unset): PKCE S256 challenge; required for public clients.
        code_challenge_method (str | Unset): `S256`.
        prompt (str | Unset): `none`, `login` or `consent`.
        max_age (str | Unset): Seconds; an older sign-in is asked again.
        login_hint (str | Unset): Accepted, not used yet.
        ui_locales (str | Unset): The pages' language: space-separated BCP 47 tags, best first (before Accept-Language).
        response_mode (str | Unset): `query` (the only mode).
    """

    response_type: str | Unset = UNSET
    client_id: str | Unset = UNSET
    redirect_uri: str | Unset = UNSET
    scope: str | Unset = UNSET
    state: str | Unset = UNSET
    nonce: str | Unset = UNSET
    code_challenge: str | Unset = UNSET
    code_challenge_method: str | Unset = UNSET
    prompt: str | Unset = UNSET
    max_age: str | Unset = UNSET
    login_hint: str | Unset = UNSET
    ui_locales: str | Unset = UNSET
    response_mode: str | Unset = UNSET
    additional_properties: dict[str, str] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        response_type = self.response_type

        client_id = self.client_id

        redirect_uri = self.redirect_uri

        scope = self.scope

        state = self.state

        nonce = self.nonce

        code_challenge = self.code_challenge

        code_challenge_method = self.code_challenge_method

        prompt = self.prompt

        max_age = self.max_age

        login_hint = self.login_hint

        ui_locales = self.ui_locales

        response_mode = self.response_mode

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if response_type is not UNSET:
            field_dict["response_type"] = response_type
        if client_id is not UNSET:
            field_dict["client_id"] = client_id
        if redirect_uri is not UNSET:
            field_dict["redirect_uri"] = redirect_uri
        if scope is not UNSET:
            field_dict["scope"] = scope
        if state is not UNSET:
            field_dict["state"] = state
        if nonce is not UNSET:
            field_dict["nonce"] = nonce
        if code_challenge is not UNSET:
            field_dict["code_challenge"] = code_challenge
        if code_challenge_method is not UNSET:
            field_dict["code_challenge_method"] = code_challenge_method
        if prompt is not UNSET:
            field_dict["prompt"] = prompt
        if max_age is not UNSET:
            field_dict["max_age"] = max_age
        if login_hint is not UNSET:
            field_dict["login_hint"] = login_hint
        if ui_locales is not UNSET:
            field_dict["ui_locales"] = ui_locales
        if response_mode is not UNSET:
            field_dict["response_mode"] = response_mode

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        response_type = d.pop("response_type", UNSET)

        client_id = d.pop("client_id", UNSET)

        redirect_uri = d.pop("redirect_uri", UNSET)

        scope = d.pop("scope", UNSET)

        state = d.pop("state", UNSET)

        nonce = d.pop("nonce", UNSET)

        code_challenge = d.pop("code_challenge", UNSET)

        code_challenge_method = d.pop("code_challenge_method", UNSET)

        prompt = d.pop("prompt", UNSET)

        max_age = d.pop("max_age", UNSET)

        login_hint = d.pop("login_hint", UNSET)

        ui_locales = d.pop("ui_locales", UNSET)

        response_mode = d.pop("response_mode", UNSET)

        o_auth_service_authorize_body = cls(
            response_type=response_type,
            client_id=client_id,
            redirect_uri=redirect_uri,
            scope=scope,
            state=state,
            nonce=nonce,
            code_challenge=code_challenge,
            code_challenge_method=code_challenge_method,
            prompt=prompt,
            max_age=max_age,
            login_hint=login_hint,
            ui_locales=ui_locales,
            response_mode=response_mode,
        )

        o_auth_service_authorize_body.additional_properties = d
        return o_auth_service_authorize_body

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
