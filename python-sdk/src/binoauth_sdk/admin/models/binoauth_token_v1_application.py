from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.binoauth_token_v1_application_type import BinoauthTokenV1ApplicationType
from ..models.binoauth_token_v1_client_type import BinoauthTokenV1ClientType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.binoauth_token_v1_application_jwks import (
        BinoauthTokenV1ApplicationJwks,
    )
    from ..models.binoauth_token_v1_application_scope_descriptions import (
        BinoauthTokenV1ApplicationScopeDescriptions,
    )
    from ..models.binoauth_token_v1_token_lifetimes import BinoauthTokenV1TokenLifetimes


T = TypeVar("T", bound="BinoauthTokenV1Application")


@_attrs_define
class BinoauthTokenV1Application:
    """An OAuth 2.0 / OpenID Connect client of one tenant. A confidential client's secret is shown once (at creation and at
    rotation) and stored only as a SHA-256 hash.

        Attributes:
            display_name (str): Human-readable name shown on consent pages. 1-200 characters.
            client_type (BinoauthTokenV1ClientType): Whether an application can keep a secret.
            client_id (str | Unset): Random identifier, "app_" followed by 24 hex digits; the OAuth client_id.
            redirect_uris (list[str] | Unset): Exact redirect URIs: https, http only on loopback (localhost, 127.0.0.1,
                [::1]; any port at use for native apps only), or, for native apps, a private-use reverse-domain scheme such as
                "com.example.app:/cb". No fragments, wildcards or userinfo. Required for the authorization_code grant.
            post_logout_redirect_uris (list[str] | Unset): Where RP-initiated logout may send the user back; registered
                under the same rules as redirect_uris, but always matched exactly (no loopback port variation).
            grant_types (list[str] | Unset): Any of "authorization_code", "refresh_token", "client_credentials"
                (confidential clients only) and "urn:ietf:params:oauth:grant-type:device_code". Implicit and password grants are
                refused. Default: ["authorization_code"].
            allowed_scopes (list[str] | Unset): Scopes the application may request: "openid", "profile", "email", "phone",
                "offline_access" and custom scopes (a letter, then up to 127 letters, digits or "_.:/-"). Default: ["openid"].
            token_lifetimes (BinoauthTokenV1TokenLifetimes | Unset): Per-application token lifetimes in seconds; 0 means the
                tenant's setting. The bounds are those of the tenant settings.
            first_party (bool | Unset): First-party applications skip the consent page.
            token_endpoint_auth_method (str | Unset): "client_secret_basic" (default for confidential clients),
                "client_secret_post", "private_key_jwt" (confidential clients with `jwks` or `jwks_uri`; RFC 7523 client
                assertions), or "none" (public clients, always).
            create_time (datetime.datetime | Unset):
            update_time (datetime.datetime | Unset):
            secret_create_time (datetime.datetime | Unset): When the current client secret was generated (confidential
                clients).
            previous_secret_expire_time (datetime.datetime | Unset): Until when the secret replaced by the last rotation is
                still accepted; unset when none is.
            jwks (BinoauthTokenV1ApplicationJwks | Unset): The public keys that verify the application's client assertions
                (private_key_jwt), as a JWK Set: {"keys": [{"kty": "EC", "crv": "P-256", "kid": "...", "x": "...", "y":
                "..."}]}. RSA (2048 bits or more; RS256, PS256), EC P-256 (ES256) or Ed25519 (EdDSA) public keys, each with a
                unique "kid"; private key members are refused. Up to 10 keys: add the new key before signing with it, remove the
                old one after.
            jwks_uri (str | Unset): Instead of `jwks`: an https URL where the application publishes its JWK Set (at most 64
                KiB). Fetched when needed, cached for five minutes and fetched again (at most every 30 s) for an unknown "kid";
                only public addresses are contacted, redirects are not followed.
            allowed_origins (list[str] | Unset): Web origins (scheme://host[:port]; https, or http on a loopback host) whose
                browser code may read the answers of the token, revocation and userinfo endpoints for this application (CORS),
                e.g. ["https://app.example.com"]. Empty: no browser access. At most 20.
            application_type (BinoauthTokenV1ApplicationType | Unset): Where an application runs, which decides its redirect
                URI rules (RFC 8252, OpenID Connect Dynamic Client Registration `application_type`).
            logo_url (str | Unset): The application's logo on the consent page, served from the tenant's own origin (the
                pages' CSP allows no other): an https URL, fetched through the outbound policy (public addresses only) and
                cached, or `logo_image`. PNG, JPEG, WebP or GIF of at most 256 KiB; SVG is refused (it can carry script).
            logo_image (str | Unset): An uploaded logo instead of `logo_url`: a data URL, "data:image/png;base64,...". Its
                bytes must be the image type it declares.
            homepage_url (str | Unset): Links shown on the consent page: https URLs of at most 2048 characters.
            privacy_policy_url (str | Unset):
            terms_of_service_url (str | Unset):
            scope_descriptions (BinoauthTokenV1ApplicationScopeDescriptions | Unset): What each custom scope lets this
                application do, in words, shown on the consent page instead of the scope's name: {"read:orders": "See your
                orders"}. At most 50, each 1-200 characters on one line. Overrides the tenant's description of the same scope
                (settings.branding.scope_descriptions); built-in scopes keep their translated words.
    """

    display_name: str
    client_type: BinoauthTokenV1ClientType
    client_id: str | Unset = UNSET
    redirect_uris: list[str] | Unset = UNSET
    post_logout_redirect_uris: list[str] | Unset = UNSET
    grant_types: list[str] | Unset = UNSET
    allowed_scopes: list[str] | Unset = UNSET
    token_lifetimes: BinoauthTokenV1TokenLifetimes | Unset = UNSET
    first_party: bool | Unset = UNSET
    token_endpoint_auth_method: str | Unset = UNSET
    create_time: datetime.datetime | Unset = UNSET
    update_time: datetime.datetime | Unset = UNSET
    secret_create_time: datetime.datetime | Unset = UNSET
    previous_secret_expire_time: datetime.datetime | Unset = UNSET
    jwks: BinoauthTokenV1ApplicationJwks | Unset = UNSET
    jwks_uri: str | Unset = UNSET
    allowed_origins: list[str] | Unset = UNSET
    application_type: BinoauthTokenV1ApplicationType | Unset = UNSET
    logo_url: str | Unset = UNSET
    logo_image: str | Unset = UNSET
    homepage_url: str | Unset = UNSET
    privacy_policy_url: str | Unset = UNSET
    terms_of_service_url: str | Unset = UNSET
    scope_descriptions: BinoauthTokenV1ApplicationScopeDescriptions | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        display_name = self.display_name

        client_type = self.client_type.value

        client_id = self.client_id

        redirect_uris: list[str] | Unset = UNSET
        if not isinstance(self.redirect_uris, Unset):
            redirect_uris = self.redirect_uris

        post_logout_redirect_uris: list[str] | Unset = UNSET
        if not isinstance(self.post_logout_redirect_uris, Unset):
            post_logout_redirect_uris = self.post_logout_redirect_uris

        grant_types: list[str] | Unset = UNSET
        if not isinstance(self.grant_types, Unset):
            grant_types = self.grant_types

        allowed_scopes: list[str] | Unset = UNSET
        if not isinstance(self.allowed_scopes, Unset):
            allowed_scopes = self.allowed_scopes

        token_lifetimes: dict[str, Any] | Unset = UNSET
        if not isinstance(self.token_lifetimes, Unset):
            token_lifetimes = self.token_lifetimes.to_dict()

        first_party = self.first_party

        token_endpoint_auth_method = self.token_endpoint_auth_method

        create_time: str | Unset = UNSET
        if not isinstance(self.create_time, Unset):
            create_time = self.create_time.isoformat()

        update_time: str | Unset = UNSET
        if not isinstance(self.update_time, Unset):
            update_time = self.update_time.isoformat()

        secret_create_time: str | Unset = UNSET
        if not isinstance(self.secret_create_time, Unset):
            secret_create_time = self.secret_create_time.isoformat()

        previous_secret_expire_time: str | Unset = UNSET
        if not isinstance(self.previous_secret_expire_time, Unset):
            previous_secret_expire_time = self.previous_secret_expire_time.isoformat()

        jwks: dict[str, Any] | Unset = UNSET
        if not isinstance(self.jwks, Unset):
            jwks = self.jwks.to_dict()

        jwks_uri = self.jwks_uri

        allowed_origins: list[str] | Unset = UNSET
        if not isinstance(self.allowed_origins, Unset):
            allowed_origins = self.allowed_origins

        application_type: str | Unset = UNSET
        if not isinstance(self.application_type, Unset):
            application_type = self.application_type.value

        logo_url = self.logo_url

        logo_image = self.logo_image

        homepage_url = self.homepage_url

        privacy_policy_url = self.privacy_policy_url

        terms_of_service_url = self.terms_of_service_url

        scope_descriptions: dict[str, Any] | Unset = UNSET
        if not isinstance(self.scope_descriptions, Unset):
            scope_descriptions = self.scope_descriptions.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "display_name": display_name,
                "client_type": client_type,
            }
        )
        if client_id is not UNSET:
            field_dict["client_id"] = client_id
        if redirect_uris is not UNSET:
            field_dict["redirect_uris"] = redirect_uris
        if post_logout_redirect_uris is not UNSET:
            field_dict["post_logout_redirect_uris"] = post_logout_redirect_uris
        if grant_types is not UNSET:
            field_dict["grant_types"] = grant_types
        if allowed_scopes is not UNSET:
            field_dict["allowed_scopes"] = allowed_scopes
        if token_lifetimes is not UNSET:
            field_dict["token_lifetimes"] = token_lifetimes
        if first_party is not UNSET:
            field_dict["first_party"] = first_party
        if token_endpoint_auth_method is not UNSET:
            field_dict["token_endpoint_auth_method"] = token_endpoint_auth_method
        if create_time is not UNSET:
            field_dict["create_time"] = create_time
        if update_time is not UNSET:
            field_dict["update_time"] = update_time
        if secret_create_time is not UNSET:
            field_dict["secret_create_time"] = secret_create_time
        if previous_secret_expire_time is not UNSET:
            field_dict["previous_secret_expire_time"] = previous_secret_expire_time
        if jwks is not UNSET:
            field_dict["jwks"] = jwks
        if jwks_uri is not UNSET:
            field_dict["jwks_uri"] = jwks_uri
        if allowed_origins is not UNSET:
            field_dict["allowed_origins"] = allowed_origins
        if application_type is not UNSET:
            field_dict["application_type"] = application_type
        if logo_url is not UNSET:
            field_dict["logo_url"] = logo_url
        if logo_image is not UNSET:
            field_dict["logo_image"] = logo_image
        if homepage_url is not UNSET:
            field_dict["homepage_url"] = homepage_url
        if privacy_policy_url is not UNSET:
            field_dict["privacy_policy_url"] = privacy_policy_url
        if terms_of_service_url is not UNSET:
            field_dict["terms_of_service_url"] = terms_of_service_url
        if scope_descriptions is not UNSET:
            field_dict["scope_descriptions"] = scope_descriptions

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.binoauth_token_v1_application_jwks import (
            BinoauthTokenV1ApplicationJwks,
        )
        from ..models.binoauth_token_v1_application_scope_descriptions import (
            BinoauthTokenV1ApplicationScopeDescriptions,
        )
        from ..models.binoauth_token_v1_token_lifetimes import (
            BinoauthTokenV1TokenLifetimes,
        )

        d = dict(src_dict)
        display_name = d.pop("display_name")

        client_type = BinoauthTokenV1ClientType(d.pop("client_type"))

        client_id = d.pop("client_id", UNSET)

        redirect_uris = cast(list[str], d.pop("redirect_uris", UNSET))

        post_logout_redirect_uris = cast(
            list[str], d.pop("post_logout_redirect_uris", UNSET)
        )

        grant_types = cast(list[str], d.pop("grant_types", UNSET))

        allowed_scopes = cast(list[str], d.pop("allowed_scopes", UNSET))

        _token_lifetimes = d.pop("token_lifetimes", UNSET)
        token_lifetimes: BinoauthTokenV1TokenLifetimes | Unset
        if isinstance(_token_lifetimes, Unset):
            token_lifetimes = UNSET
        else:
            token_lifetimes = BinoauthTokenV1TokenLifetimes.from_dict(_token_lifetimes)

        first_party = d.pop("first_party", UNSET)

        token_endpoint_auth_method = d.pop("token_endpoint_auth_method", UNSET)

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

        _secret_create_time = d.pop("secret_create_time", UNSET)
        secret_create_time: datetime.datetime | Unset
        if isinstance(_secret_create_time, Unset):
            secret_create_time = UNSET
        else:
            secret_create_time = datetime.datetime.fromisoformat(_secret_create_time)

        _previous_secret_expire_time = d.pop("previous_secret_expire_time", UNSET)
        previous_secret_expire_time: datetime.datetime | Unset
        if isinstance(_previous_secret_expire_time, Unset):
            previous_secret_expire_time = UNSET
        else:
            previous_secret_expire_time = datetime.datetime.fromisoformat(
                _previous_secret_expire_time
            )

        _jwks = d.pop("jwks", UNSET)
        jwks: BinoauthTokenV1ApplicationJwks | Unset
        if isinstance(_jwks, Unset):
            jwks = UNSET
        else:
            jwks = BinoauthTokenV1ApplicationJwks.from_dict(_jwks)

        jwks_uri = d.pop("jwks_uri", UNSET)

        allowed_origins = cast(list[str], d.pop("allowed_origins", UNSET))

        _application_type = d.pop("application_type", UNSET)
        application_type: BinoauthTokenV1ApplicationType | Unset
        if isinstance(_application_type, Unset):
            application_type = UNSET
        else:
            application_type = BinoauthTokenV1ApplicationType(_application_type)

        logo_url = d.pop("logo_url", UNSET)

        logo_image = d.pop("logo_image", UNSET)

        homepage_url = d.pop("homepage_url", UNSET)

        privacy_policy_url = d.pop("privacy_policy_url", UNSET)

        terms_of_service_url = d.pop("terms_of_service_url", UNSET)

        _scope_descriptions = d.pop("scope_descriptions", UNSET)
        scope_descriptions: BinoauthTokenV1ApplicationScopeDescriptions | Unset
        if isinstance(_scope_descriptions, Unset):
            scope_descriptions = UNSET
        else:
            scope_descriptions = BinoauthTokenV1ApplicationScopeDescriptions.from_dict(
                _scope_descriptions
            )

        binoauth_token_v1_application = cls(
            display_name=display_name,
            client_type=client_type,
            client_id=client_id,
            redirect_uris=redirect_uris,
            post_logout_redirect_uris=post_logout_redirect_uris,
            grant_types=grant_types,
            allowed_scopes=allowed_scopes,
            token_lifetimes=token_lifetimes,
            first_party=first_party,
            token_endpoint_auth_method=token_endpoint_auth_method,
            create_time=create_time,
            update_time=update_time,
            secret_create_time=secret_create_time,
            previous_secret_expire_time=previous_secret_expire_time,
            jwks=jwks,
            jwks_uri=jwks_uri,
            allowed_origins=allowed_origins,
            application_type=application_type,
            logo_url=logo_url,
            logo_image=logo_image,
            homepage_url=homepage_url,
            privacy_policy_url=privacy_policy_url,
            terms_of_service_url=terms_of_service_url,
            scope_descriptions=scope_descriptions,
        )

        return binoauth_token_v1_application
