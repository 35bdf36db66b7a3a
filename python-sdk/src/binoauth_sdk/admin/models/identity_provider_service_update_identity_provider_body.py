from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.binoauth_identity_v1_provider_type import BinoauthIdentityV1ProviderType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.identity_provider_service_update_identity_provider_body_claim_mapping import (
        IdentityProviderServiceUpdateIdentityProviderBodyClaimMapping,
    )


T = TypeVar("T", bound="IdentityProviderServiceUpdateIdentityProviderBody")


@_attrs_define
class IdentityProviderServiceUpdateIdentityProviderBody:
    """One external identity provider of a tenant.

    Attributes:
        provider_type (BinoauthIdentityV1ProviderType | Unset): What kind of upstream a provider is.
        display_name (str | Unset): The button says "Continue with <display_name>".
        enabled (bool | Unset):
        display_order (int | Unset): Buttons are shown in ascending display_order, then by provider_id.
        issuer (str | Unset): The issuer (discovery at <issuer>/.well-known/openid-configuration). Presets fill it in.
        client_id (str | Unset):
        client_secret (str | Unset): Input only: sealed with the key-encryption key, never returned.
        client_auth_method (str | Unset): "client_secret_basic" (default), "client_secret_post" or "private_key_jwt".
        private_key (str | Unset): Input only: a PEM private key (private_key_jwt; Apple's .p8 key), sealed, never
            returned.
        key_id (str | Unset): The key id ("kid") of private_key at the provider.
        team_id (str | Unset): Apple only: the Apple developer team id (the client secret JWT's issuer).
        scopes (list[str] | Unset): Scopes requested; default "openid email profile" ("read:user user:email" for
            GitHub).
        claim_mapping (IdentityProviderServiceUpdateIdentityProviderBodyClaimMapping | Unset): User claim -> upstream
            claim, for email, email_verified, name, given_name, family_name, picture, locale. Presets and the default map
            each to the claim of the same name.
        allowed_email_domains (list[str] | Unset): When not empty, only upstream accounts whose verified email is in one
            of these domains.
        link_by_verified_email (bool | Unset): A first sign-in whose email the provider asserts as verified links to the
            existing user with that email. Off (default): such a sign-in is refused; the user signs in the usual way and
            connects the provider from there.
        trust_upstream_mfa (bool | Unset): A user with MFA who signs in through this provider is not asked for their
            second factor when the ID token's amr says the provider did multi-factor authentication.
        authorization_endpoint (str | Unset): Overrides of what discovery or the preset says (GitHub Enterprise,
            providers without discovery); https.
        token_endpoint (str | Unset):
        userinfo_endpoint (str | Unset):
        jwks_uri (str | Unset):
        client_secret_set (bool | Unset): Whether a client secret / private key is stored.
        private_key_set (bool | Unset):
        callback_url (str | Unset): The redirect URI to register at the provider.
        create_time (datetime.datetime | Unset):
        update_time (datetime.datetime | Unset):
        icon_image (str | Unset): The button's icon. Presets always show their brand's mark and take no icon. A generic
            OpenID provider may upload one: a data URL (data:image/png;base64,...; PNG, JPEG, WebP or GIF, at most 256 KiB;
            SVG is refused, it can carry script). Answers give the icon's path on this origin,
            /federation/<provider_id>/icon/<hash> (cached for a year: a new image is a new path), which an update may send
            back unchanged; "" removes the icon.
    """

    provider_type: BinoauthIdentityV1ProviderType | Unset = UNSET
    display_name: str | Unset = UNSET
    enabled: bool | Unset = UNSET
    display_order: int | Unset = UNSET
    issuer: str | Unset = UNSET
    client_id: str | Unset = UNSET
    client_secret: str | Unset = UNSET
    client_auth_method: str | Unset = UNSET
    private_key: str | Unset = UNSET
    key_id: str | Unset = UNSET
    team_id: str | Unset = UNSET
    scopes: list[str] | Unset = UNSET
    claim_mapping: (
        IdentityProviderServiceUpdateIdentityProviderBodyClaimMapping | Unset
    ) = UNSET
    allowed_email_domains: list[str] | Unset = UNSET
    link_by_verified_email: bool | Unset = UNSET
    trust_upstream_mfa: bool | Unset = UNSET
    authorization_endpoint: str | Unset = UNSET
    token_endpoint: str | Unset = UNSET
    userinfo_endpoint: str | Unset = UNSET
    jwks_uri: str | Unset = UNSET
    client_secret_set: bool | Unset = UNSET
    private_key_set: bool | Unset = UNSET
    callback_url: str | Unset = UNSET
    create_time: datetime.datetime | Unset = UNSET
    update_time: datetime.datetime | Unset = UNSET
    icon_image: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        provider_type: str | Unset = UNSET
        if not isinstance(self.provider_type, Unset):
            provider_type = self.provider_type.value

        display_name = self.display_name

        enabled = self.enabled

        display_order = self.display_order

        issuer = self.issuer

        client_id = self.client_id

        client_secret = self.client_secret

        client_auth_method = self.client_auth_method

        private_key = self.private_key

        key_id = self.key_id

        team_id = self.team_id

        scopes: list[str] | Unset = UNSET
        if not isinstance(self.scopes, Unset):
            scopes = self.scopes

        claim_mapping: dict[str, Any] | Unset = UNSET
        if not isinstance(self.claim_mapping, Unset):
            claim_mapping = self.claim_mapping.to_dict()

        allowed_email_domains: list[str] | Unset = UNSET
        if not isinstance(self.allowed_email_domains, Unset):
            allowed_email_domains = self.allowed_email_domains

        link_by_verified_email = self.link_by_verified_email

        trust_upstream_mfa = self.trust_upstream_mfa

        authorization_endpoint = self.authorization_endpoint

        token_endpoint = self.token_endpoint

        userinfo_endpoint = self.userinfo_endpoint

        jwks_uri = self.jwks_uri

        client_secret_set = self.client_secret_set

        private_key_set = self.private_key_set

        callback_url = self.callback_url

        create_time: str | Unset = UNSET
        if not isinstance(self.create_time, Unset):
            create_time = self.create_time.isoformat()

        update_time: str | Unset = UNSET
        if not isinstance(self.update_time, Unset):
            update_time = self.update_time.isoformat()

        icon_image = self.icon_image

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if provider_type is not UNSET:
            field_dict["provider_type"] = provider_type
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if display_order is not UNSET:
            field_dict["display_order"] = display_order
        if issuer is not UNSET:
            field_dict["issuer"] = issuer
        if client_id is not UNSET:
            field_dict["client_id"] = client_id
        if client_secret is not UNSET:
            field_dict["client_secret"] = client_secret
        if client_auth_method is not UNSET:
            field_dict["client_auth_method"] = client_auth_method
        if private_key is not UNSET:
            field_dict["private_key"] = private_key
        if key_id is not UNSET:
            field_dict["key_id"] = key_id
        if team_id is not UNSET:
            field_dict["team_id"] = team_id
        if scopes is not UNSET:
            field_dict["scopes"] = scopes
        if claim_mapping is not UNSET:
            field_dict["claim_mapping"] = claim_mapping
        if allowed_email_domains is not UNSET:
            field_dict["allowed_email_domains"] = allowed_email_domains
        if link_by_verified_email is not UNSET:
            field_dict["link_by_verified_email"] = link_by_verified_email
        if trust_upstream_mfa is not UNSET:
            field_dict["trust_upstream_mfa"] = trust_upstream_mfa
        if authorization_endpoint is not UNSET:
            field_dict["authorization_endpoint"] = authorization_endpoint
        if token_endpoint is not UNSET:
            field_dict["token_endpoint"] = token_endpoint
        if userinfo_endpoint is not UNSET:
            field_dict["userinfo_endpoint"] = userinfo_endpoint
        if jwks_uri is not UNSET:
            field_dict["jwks_uri"] = jwks_uri
        if client_secret_set is not UNSET:
            field_dict["client_secret_set"] = client_secret_set
        if private_key_set is not UNSET:
            field_dict["private_key_set"] = private_key_set
        if callback_url is not UNSET:
            field_dict["callback_url"] = callback_url
        if create_time is not UNSET:
            field_dict["create_time"] = create_time
        if update_time is not UNSET:
            field_dict["update_time"] = update_time
        if icon_image is not UNSET:
            field_dict["icon_image"] = icon_image

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.identity_provider_service_update_identity_provider_body_claim_mapping import (
            IdentityProviderServiceUpdateIdentityProviderBodyClaimMapping,
        )

        d = dict(src_dict)
        _provider_type = d.pop("provider_type", UNSET)
        provider_type: BinoauthIdentityV1ProviderType | Unset
        if isinstance(_provider_type, Unset):
            provider_type = UNSET
        else:
            provider_type = BinoauthIdentityV1ProviderType(_provider_type)

        display_name = d.pop("display_name", UNSET)

        enabled = d.pop("enabled", UNSET)

        display_order = d.pop("display_order", UNSET)

        issuer = d.pop("issuer", UNSET)

        client_id = d.pop("client_id", UNSET)

        client_secret = d.pop("client_secret", UNSET)

        client_auth_method = d.pop("client_auth_method", UNSET)

        private_key = d.pop("private_key", UNSET)

        key_id = d.pop("key_id", UNSET)

        team_id = d.pop("team_id", UNSET)

        scopes = cast(list[str], d.pop("scopes", UNSET))

        _claim_mapping = d.pop("claim_mapping", UNSET)
        claim_mapping: (
            IdentityProviderServiceUpdateIdentityProviderBodyClaimMapping | Unset
        )
        if isinstance(_claim_mapping, Unset):
            claim_mapping = UNSET
        else:
            claim_mapping = (
                IdentityProviderServiceUpdateIdentityProviderBodyClaimMapping.from_dict(
                    _claim_mapping
                )
            )

        allowed_email_domains = cast(list[str], d.pop("allowed_email_domains", UNSET))

        link_by_verified_email = d.pop("link_by_verified_email", UNSET)

        trust_upstream_mfa = d.pop("trust_upstream_mfa", UNSET)

        authorization_endpoint = d.pop("authorization_endpoint", UNSET)

        token_endpoint = d.pop("token_endpoint", UNSET)

        userinfo_endpoint = d.pop("userinfo_endpoint", UNSET)

        jwks_uri = d.pop("jwks_uri", UNSET)

        client_secret_set = d.pop("client_secret_set", UNSET)

        private_key_set = d.pop("private_key_set", UNSET)

        callback_url = d.pop("callback_url", UNSET)

        _create_time = d.pop("create_time", UNSET)
        create_time: datetime.datetime | Unset
        if isinstance(_create_time, Unset):
            create_time = UNSET
        else:
            create_time = datetime.datetime.fromisoformat(_create_time)

        _update_time = d.pop("update_time", UNSET)
        update_time: datetime.datetime | Unset
        if isinstance(_update_time, Unset):
            update_time = UNSET
        else:
            update_time = datetime.datetime.fromisoformat(_update_time)

        icon_image = d.pop("icon_image", UNSET)

        identity_provider_service_update_identity_provider_body = cls(
            provider_type=provider_type,
            display_name=display_name,
            enabled=enabled,
            display_order=display_order,
            issuer=issuer,
            client_id=client_id,
            client_secret=client_secret,
            client_auth_method=client_auth_method,
            private_key=private_key,
            key_id=key_id,
            team_id=team_id,
            scopes=scopes,
            claim_mapping=claim_mapping,
            allowed_email_domains=allowed_email_domains,
            link_by_verified_email=link_by_verified_email,
            trust_upstream_mfa=trust_upstream_mfa,
            authorization_endpoint=authorization_endpoint,
            token_endpoint=token_endpoint,
            userinfo_endpoint=userinfo_endpoint,
            jwks_uri=jwks_uri,
            client_secret_set=client_secret_set,
            private_key_set=private_key_set,
            callback_url=callback_url,
            create_time=create_time,
            update_time=update_time,
            icon_image=icon_image,
        )

        return identity_provider_service_update_identity_provider_body
